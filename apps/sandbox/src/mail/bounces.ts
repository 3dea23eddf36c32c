import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { signSmsCallback } from '../sms/sms-gateway';
import { CallbackTimers } from '../http/signed-callback';
import type { StoredMail } from './mail-sink';

/**
 * Designated test addresses that bounce: a mailbox starting with `bounce` (`bounce@…`,
 * `bounce-jan@…`, `bounce+x@…`). The sink takes the message (250, as a relay would) and the mail
 * side reports later that it could not be delivered, as a hard bounce.
 */
export const isBounceAddress = (address: string): boolean => /^bounce([+._-][^@]*)?@/i.test(address);

export interface BounceReport {
  messageId: string;
  status: 'bounced';
  at: string;
  error: string;
}

export interface MailReporterOptions {
  logger: Logger;
  /** Where reports go (the engine's `POST /callbacks/email`). */
  url: string;
  /** HMAC-SHA256 key of `X-Signature`, signed as the SMS gateway's reports are. */
  secret: string;
  /** Time from receipt to the bounce report; default 50 ms. */
  delayMs?: number;
  /** Waits between report attempts after a failure; default 200, 1000, 3000 ms. */
  retryDelaysMs?: number[];
}

/** Reports bounces of mail to designated test addresses, signed, with retries (the same report id on every attempt). */
export class MailReporter {
  private readonly timers = new CallbackTimers();
  /** Every bounce reported, with how its posting went. */
  readonly reports: Array<{ report: BounceReport; reportId: string; attempts: number; lastResult: string | null }> = [];

  constructor(private readonly options: MailReporterOptions) {}

  /** Called for every message the sink stores: one bounce report when a recipient is a bounce address. */
  received(mail: StoredMail): void {
    const bounced = mail.to.filter(isBounceAddress);
    if (!bounced.length || !mail.messageId) return;
    const report: BounceReport = { messageId: mail.messageId, status: 'bounced', at: new Date().toISOString(), error: `550 5.1.1 <${bounced[0]}>: the mailbox does not exist` };
    const entry = { report, reportId: randomUUID(), attempts: 0, lastResult: null as string | null };
    this.reports.push(entry);
    this.timers.later(this.options.delayMs ?? 50, () => void this.post(entry, JSON.stringify(report), 0));
  }

  dispose(): void {
    this.timers.clear();
  }

  private async post(entry: MailReporter['reports'][number], body: string, attempt: number): Promise<void> {
    entry.attempts = attempt + 1;
    try {
      const res = await fetch(this.options.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...signSmsCallback(body, this.options.secret, entry.reportId) },
        body,
        signal: AbortSignal.timeout(5_000),
      });
      await res.arrayBuffer().catch(() => undefined);
      entry.lastResult = String(res.status);
      if (res.ok) return;
    } catch (err) {
      entry.lastResult = err instanceof Error ? err.message : String(err);
    }
    const wait = (this.options.retryDelaysMs ?? [200, 1000, 3000])[attempt];
    if (wait === undefined) {
      this.options.logger.warn({ url: this.options.url, attempts: entry.attempts, lastResult: entry.lastResult }, 'mail bounce report not accepted; giving up');
      return;
    }
    this.timers.later(wait, () => void this.post(entry, body, attempt + 1));
  }
}
