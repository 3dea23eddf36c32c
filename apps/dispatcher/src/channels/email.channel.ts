import nodemailer, { type Transporter } from 'nodemailer';
import type { NotificationsConfig } from '@levensloop/config';
import { appointmentIcs, emailChannel } from '@levensloop/notifications';
import type { Channel, Outgoing, SendResult } from './channel';

/** E-mail over SMTP; the Message-ID is the delivery id, so a re-send after a crash is the same message to the sink. */
export function createEmailChannel(config: NotificationsConfig): Channel<'email'> {
  // A small pool of SMTP connections; the sink (or relay) dedups on Message-ID.
  const mailer: Transporter | undefined = config.smtpUrl
    ? nodemailer.createTransport({
        url: config.smtpUrl,
        pool: true,
        maxConnections: 4,
        connectionTimeout: config.timeoutMs,
        greetingTimeout: config.timeoutMs,
        socketTimeout: config.timeoutMs,
      } as never)
    : undefined;
  return {
    ...emailChannel,
    concurrency: 16,
    close: () => mailer?.close(),
    async send({ delivery, message, language, context, link }: Outgoing): Promise<SendResult> {
      if (!mailer) return { kind: 'temporary', error: 'SMTP_URL is not set' };
      // An appointment's message carries its iCalendar (text/calendar; method=REQUEST or CANCEL).
      const ics = appointmentIcs({ category: context.category, data: context.data, stepTitle: context.step_title, journeyTitle: context.journey_title, language, link, organizer: organizerOf(config.emailFrom) });
      try {
        const info = await mailer.sendMail({
          from: config.emailFrom,
          to: delivery.address ?? '',
          subject: message.subject,
          text: message.body,
          messageId: `<${delivery.id}@levensloop.local>`,
          headers: { 'Content-Language': language, 'X-Transaction-Id': context.transaction_id },
          ...(ics ? { icalEvent: { method: ics.method, filename: ics.filename, content: ics.content } } : {}),
        });
        return { kind: 'delivered', providerRef: info.messageId };
      } catch (err) {
        const e = err as Error & { responseCode?: number; code?: string };
        const why = `${e.code ? `${e.code} ` : ''}${e.message}`;
        // 5xx: the server refuses this message for good (unknown mailbox, …); anything else may pass later.
        if (e.responseCode && e.responseCode >= 500 && e.responseCode < 600) return { kind: 'permanent', error: why };
        return { kind: 'temporary', error: why };
      }
    },
  };
}

/** The ORGANIZER of an appointment's .ics: the sender, "Name <address>" or a bare address. */
function organizerOf(from: string): { name?: string; email: string } {
  const match = /^\s*"?([^"<]*?)"?\s*<([^>]+)>\s*$/.exec(from);
  return match ? { ...(match[1] ? { name: match[1] } : {}), email: match[2] } : { email: from.trim() };
}
