import type { NotificationsConfig } from '@levensloop/config';
import { ecounterChannel } from '@levensloop/notifications';
import type { Channel, Outgoing, SendResult } from './channel';
import { answerToResult, sendJson } from './http';

/** The e-counter's notifications; its dossier status is pushed by the dossier-status job (pushDossierStatus). */
export function createEcounterChannel(config: NotificationsConfig): Channel<'ecounter'> {
  return {
    ...ecounterChannel,
    concurrency: 16,
    async send({ delivery, context, message, language, link }: Outgoing): Promise<SendResult> {
      const { url, token } = config.ecounter;
      if (!url) return { kind: 'temporary', error: 'ECOUNTER_URL is not set' };
      const answer = await sendJson(config, 'POST', `${url}/notifications`, token, delivery.id, {
        recipient: { type: delivery.recipient_type, id: delivery.recipient_id },
        category: context.category,
        // The e-counter's limits; a long registered template still reaches the counter, cut short.
        title: message.subject.slice(0, 200),
        body: message.body.slice(0, 4000),
        link,
        transactionId: context.transaction_id,
        actionNeeded: context.action_needed,
        language,
        ...(context.expires_at ? { expiresAt: new Date(context.expires_at).toISOString() } : {}),
      });
      return answerToResult(answer, (id) => ({ kind: 'delivered', providerRef: id }));
    },
  };
}

/** PUT of a dossier's status; the e-counter keeps the highest seq. */
export async function pushDossierStatus(config: NotificationsConfig, dossierNumber: string, body: Record<string, unknown>): Promise<SendResult> {
  const { url, token } = config.ecounter;
  if (!url) return { kind: 'temporary', error: 'ECOUNTER_URL is not set' };
  const answer = await sendJson(config, 'PUT', `${url}/dossiers/${encodeURIComponent(dossierNumber)}`, token, undefined, body);
  return answerToResult(answer, () => ({ kind: 'delivered' }));
}
