import nodemailer, { type Transporter } from 'nodemailer';
import type { NotificationsConfig } from '@levensloop/config';

/** What a send came to: the channel took it (maybe awaiting a report), may be tried again, or never will. */
export type SendResult =
  | { kind: 'delivered'; providerRef?: string }
  | { kind: 'accepted'; providerRef: string }
  | { kind: 'temporary'; error: string }
  | { kind: 'permanent'; error: string };

export interface EmailMessage {
  deliveryId: string;
  to: string;
  subject: string;
  text: string;
  language: string;
  transactionId: string;
}

/** Timeouts, 408, 429 and 5xx may pass; any other 4xx will not. */
export function classifyHttp(status: number, detail: string): SendResult {
  if (status === 408 || status === 429 || status >= 500) return { kind: 'temporary', error: `${status} ${detail}`.trim() };
  return { kind: 'permanent', error: `${status} ${detail}`.trim() };
}

export class Senders {
  private mailer?: Transporter;

  constructor(private readonly config: NotificationsConfig) {
    if (config.smtpUrl) {
      // A small pool of SMTP connections; the sink (or relay) dedups on Message-ID.
      this.mailer = nodemailer.createTransport({
        url: config.smtpUrl,
        pool: true,
        maxConnections: 4,
        connectionTimeout: config.timeoutMs,
        greetingTimeout: config.timeoutMs,
        socketTimeout: config.timeoutMs,
      } as never);
    }
  }

  close() {
    this.mailer?.close();
  }

  /** The Message-ID is the delivery id: a re-send after a crash is the same message to the sink. */
  async email(m: EmailMessage): Promise<SendResult> {
    if (!this.mailer) return { kind: 'temporary', error: 'SMTP_URL is not set' };
    try {
      const info = await this.mailer.sendMail({
        from: this.config.emailFrom,
        to: m.to,
        subject: m.subject,
        text: m.text,
        messageId: `<${m.deliveryId}@levensloop.local>`,
        headers: { 'Content-Language': m.language, 'X-Transaction-Id': m.transactionId },
      });
      return { kind: 'delivered', providerRef: info.messageId };
    } catch (err) {
      const e = err as Error & { responseCode?: number; code?: string };
      const why = `${e.code ? `${e.code} ` : ''}${e.message}`;
      // 5xx: the server refuses this message for good (unknown mailbox, …); anything else may pass later.
      if (e.responseCode && e.responseCode >= 500 && e.responseCode < 600) return { kind: 'permanent', error: why };
      return { kind: 'temporary', error: why };
    }
  }

  async sms(deliveryId: string, to: string, text: string): Promise<SendResult> {
    const { url, token, callbackUrl } = this.config.sms;
    if (!url) return { kind: 'temporary', error: 'SMS_GATEWAY_URL is not set' };
    const res = await this.post(`${url}/messages`, token, deliveryId, { to, text, reference: deliveryId, callbackUrl });
    if ('error' in res) return { kind: 'temporary', error: res.error };
    if (res.status >= 200 && res.status < 300) {
      const id = (res.body as { id?: unknown })?.id;
      return { kind: 'accepted', providerRef: typeof id === 'string' ? id : deliveryId };
    }
    return classifyHttp(res.status, res.text.slice(0, 300));
  }

  async ecounterNotification(deliveryId: string, body: Record<string, unknown>): Promise<SendResult> {
    const { url, token } = this.config.ecounter;
    if (!url) return { kind: 'temporary', error: 'ECOUNTER_URL is not set' };
    const res = await this.post(`${url}/notifications`, token, deliveryId, body);
    if ('error' in res) return { kind: 'temporary', error: res.error };
    if (res.status >= 200 && res.status < 300) {
      const id = (res.body as { id?: unknown })?.id;
      return { kind: 'delivered', providerRef: typeof id === 'string' ? id : undefined };
    }
    return classifyHttp(res.status, res.text.slice(0, 300));
  }

  /** PUT of the dossier's status; the e-counter keeps the highest seq (`applied: false` for an older one). */
  async dossierStatus(dossierNumber: string, body: Record<string, unknown>): Promise<SendResult & { applied?: boolean }> {
    const { url, token } = this.config.ecounter;
    if (!url) return { kind: 'temporary', error: 'ECOUNTER_URL is not set' };
    const res = await this.request('PUT', `${url}/dossiers/${encodeURIComponent(dossierNumber)}`, token, undefined, body);
    if ('error' in res) return { kind: 'temporary', error: res.error };
    if (res.status >= 200 && res.status < 300) return { kind: 'delivered', applied: (res.body as { applied?: boolean })?.applied };
    return classifyHttp(res.status, res.text.slice(0, 300));
  }

  private post(url: string, token: string | undefined, key: string, body: unknown) {
    return this.request('POST', url, token, key, body);
  }

  private async request(method: string, url: string, token: string | undefined, idempotencyKey: string | undefined, body: unknown): Promise<{ status: number; text: string; body: unknown } | { error: string }> {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
    try {
      const res = await fetch(url, { method, headers, body: JSON.stringify(body), signal: AbortSignal.timeout(this.config.timeoutMs) });
      const text = await res.text();
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      return { status: res.status, text, body: parsed };
    } catch (err) {
      const e = err as Error & { cause?: { code?: string } };
      return { error: e.name === 'TimeoutError' ? `no answer within ${this.config.timeoutMs} ms` : `${e.message}${e.cause?.code ? ` (${e.cause.code})` : ''}` };
    }
  }
}
