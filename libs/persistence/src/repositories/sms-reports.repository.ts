import type { DataSource } from 'typeorm';
import type { SmsReportStatus } from '@levensloop/notifications';
import { rows } from './sql';

/** The NOTIFY channel the dispatcher listens on for new work (the projection's outbox wake-ups). */
export const OUTBOX_CHANNEL = 'levensloop_outbox';

/** A verified report as the gateway stores it. */
export interface IncomingSmsReport {
  reportId: string;
  /** Our reference (the delivery id), when the report names one. */
  reference: string | null;
  /** The SMS gateway's message id. */
  messageId: string;
  status: 'delivered' | 'failed';
  at: string;
  error: string | null;
  signedAt: Date;
}

/** What the inbox knew when a report came in. */
export type ReceivedSmsReport =
  | { found: false }
  | {
      found: true;
      delivery: { id: string; status: string };
      /** Reports of the delivery received before and not applied yet, in order. */
      pending: SmsReportStatus[];
      /** False: a report with this id was received before (nothing is stored again). */
      stored: boolean;
    };

/**
 * `sms_delivery_reports`, the inbox of the SMS gateway's verified delivery reports: the gateway
 * stores each report once (by its id) and wakes the dispatcher, which applies it to the delivery
 * (Deliveries.applySmsReports) and marks it applied.
 */
export class SmsReports {
  constructor(private readonly ds: DataSource) {}

  /**
   * Stores a report for the SMS delivery it names (by our reference or by the gateway's message
   * id). The delivery's row is locked meanwhile, so reports of one delivery are taken one at a time.
   */
  receive(report: IncomingSmsReport): Promise<ReceivedSmsReport> {
    return this.ds.transaction(async (em) => {
      const [delivery] = await rows<{ id: string; status: string }>(
        em,
        `SELECT id, status FROM notification_deliveries WHERE channel = 'sms' AND (id = $1::uuid OR provider_ref = $2) LIMIT 1 FOR UPDATE`,
        [report.reference, report.messageId],
      );
      if (!delivery) return { found: false as const };
      const pending = await rows<{ status: SmsReportStatus['status']; error: string | null }>(
        em,
        `SELECT status, error FROM sms_delivery_reports WHERE delivery_id = $1 AND applied_at IS NULL ORDER BY received_at, report_id`,
        [delivery.id],
      );
      const stored = await rows<{ report_id: string }>(
        em,
        `INSERT INTO sms_delivery_reports (report_id, delivery_id, status, signed_at, message_id, reported_at, error) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (report_id) DO NOTHING RETURNING report_id`,
        [report.reportId, delivery.id, report.status, report.signedAt, report.messageId, report.at, report.error],
      );
      if (stored.length) await em.query(`SELECT pg_notify($1, 'sms-report')`, [OUTBOX_CHANNEL]);
      return { found: true as const, delivery, pending: pending.map((p) => ({ status: p.status, ...(p.error ? { error: p.error } : {}) })), stored: stored.length > 0 };
    });
  }
}
