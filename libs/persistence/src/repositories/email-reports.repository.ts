import type { DataSource } from 'typeorm';
import type { EmailReportOutcome, EmailReportStatus } from '@levensloop/notifications';
import { OUTBOX_CHANNEL } from './sms-reports.repository';
import { rows } from './sql';

/** A verified mail report as the gateway stores it. */
export interface IncomingEmailReport {
  reportId: string;
  /** The Message-ID of the e-mail (`<delivery id@…>`, as the dispatcher sent it). */
  messageId: string;
  /** The delivery it names (read off the Message-ID), when it names one. */
  deliveryId: string | null;
  status: EmailReportStatus['status'];
  at: string;
  error: string | null;
  signedAt: Date;
}

export type ReceivedEmailReport =
  | { found: false }
  | {
      found: true;
      delivery: { id: string; status: string };
      /** Reports of the delivery received before and not applied yet, in order. */
      pending: EmailReportStatus[];
      /** False: a report with this id was received before (nothing is stored again). */
      stored: boolean;
    };

/**
 * `email_delivery_reports`, the inbox of the mail side's verified delivery reports (bounces): the
 * gateway stores each report once, by its id, and wakes the dispatcher, which applies it to the
 * e-mail delivery (`apply`, the dispatcher being the one writer of `notification_deliveries`) and
 * marks it applied. The same shape as the SMS gateway's inbox.
 */
export class EmailReports {
  constructor(private readonly ds: DataSource) {}

  /** Stores a report for the e-mail delivery it names (by the delivery id or the provider's Message-ID), the delivery's row locked meanwhile. */
  receive(report: IncomingEmailReport): Promise<ReceivedEmailReport> {
    return this.ds.transaction(async (em) => {
      const [delivery] = await rows<{ id: string; status: string }>(
        em,
        `SELECT id, status FROM notification_deliveries WHERE channel = 'email' AND (id = $1::uuid OR provider_ref = $2) LIMIT 1 FOR UPDATE`,
        [report.deliveryId, report.messageId],
      );
      if (!delivery) return { found: false as const };
      const pending = await rows<{ status: EmailReportStatus['status']; error: string | null }>(
        em,
        `SELECT status, error FROM email_delivery_reports WHERE delivery_id = $1 AND applied_at IS NULL ORDER BY received_at, report_id`,
        [delivery.id],
      );
      const stored = await rows<{ report_id: string }>(
        em,
        `INSERT INTO email_delivery_reports (report_id, delivery_id, status, signed_at, message_id, reported_at, error) VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (report_id) DO NOTHING RETURNING report_id`,
        [report.reportId, delivery.id, report.status, report.signedAt, report.messageId, report.at, report.error],
      );
      if (stored.length) await em.query(`SELECT pg_notify($1, 'email-report')`, [OUTBOX_CHANNEL]);
      return { found: true as const, delivery, pending: pending.map((p) => ({ status: p.status, ...(p.error ? { error: p.error } : {}) })), stored: stored.length > 0 };
    });
  }

  /**
   * Applies the stored reports in the order they came in and marks them applied (the dispatcher).
   * A report moves a delivery only out of the statuses `outcomeOf` says it may settle; a bounce
   * leaves the fallback undecided, so the next channel is chosen once.
   */
  apply(limit: number, outcomeOf: (report: EmailReportStatus) => EmailReportOutcome): Promise<number> {
    return this.ds.transaction(async (em) => {
      const reports = await rows<{ report_id: string; delivery_id: string; status: EmailReportStatus['status']; error: string | null; reported_at: Date | null; signed_at: Date }>(
        em,
        `SELECT report_id, delivery_id, status, error, reported_at, signed_at FROM email_delivery_reports
          WHERE applied_at IS NULL ORDER BY received_at, report_id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit],
      );
      for (const r of reports) {
        const outcome = outcomeOf({ status: r.status, ...(r.error ? { error: r.error } : {}) });
        await em.query(
          `UPDATE notification_deliveries
              SET status = $2::varchar,
                  delivered_at = CASE WHEN $2::varchar = 'delivered' THEN coalesce(delivered_at, $3::timestamptz) ELSE NULL END,
                  last_error = $4, updated_at = now()
            WHERE id = $1 AND status = ANY($5)`,
          [r.delivery_id, outcome.status, r.reported_at ?? r.signed_at, outcome.error, outcome.from],
        );
      }
      if (reports.length) await em.query(`UPDATE email_delivery_reports SET applied_at = now() WHERE report_id = ANY($1)`, [reports.map((r) => r.report_id)]);
      return reports.length;
    });
  }
}
