import { randomUUID } from 'node:crypto';
import { letterChannel, renderLetterPdf } from '@levensloop/notifications';
import type { Deliveries } from '@levensloop/persistence';
import type { Channel, Outgoing, SendResult } from './channel';

/** A paper letter: a PDF in the print queue, stored with its delivery delivered in one transaction. */
export function createLetterChannel(deliveries: Deliveries): Channel<'letter'> {
  return {
    ...letterChannel,
    // Rendering a PDF is CPU work: two at a time.
    concurrency: 2,
    async send({ delivery, context, message, language, link }: Outgoing): Promise<SendResult> {
      if (!delivery.address) return { kind: 'permanent', error: 'no postal address known' };
      const pdf = await renderLetterPdf({
        recipientName: context.recipient_name ?? undefined,
        postalAddress: JSON.parse(delivery.address) as Record<string, unknown>,
        subject: message.subject,
        body: message.body,
        link,
        reference: `${context.journey_id} · ${delivery.id}`,
        date: new Date(),
        language,
      });
      await deliveries.storeLetter({ id: randomUUID(), deliveryId: delivery.id, recipientId: delivery.recipient_id, postalAddress: delivery.address, link, pdf });
      return { kind: 'recorded' };
    },
  };
}
