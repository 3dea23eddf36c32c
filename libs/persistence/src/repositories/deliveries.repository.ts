import type { DataSource, EntityManager } from 'typeorm';
import type { DeliveryContextRow, SmsReportOutcome, SmsReportStatus } from '@levensloop/notifications';
import type { NotificationContent } from './notification-content.repository';
import { columns, count, rows } from './sql';

/**
 * A delivery to send now, in the two ways the probe and the claim both ask for it (each by an
 * index): queued or to retry and due, or `sending` whose lease ran out (a crash before recording).
 * `lease` is the placeholder of the lease in seconds.
 */
const DUE_QUEUED = `status IN ('queued', 'temporary_failure') AND next_attempt_at <= now()`;
const leaseRunOut = (lease: string) => `status = 'sending' AND sent_at IS NULL AND updated_at < now() - make_interval(secs => ${lease})`;

/** What is due now, asked in one round trip. */
export interface DueWork {
  fanOut: boolean;
  channels: string[];
  status: boolean;
  smsReports: boolean;
  /** Deliveries failed for good whose fallback is not decided yet (DeliveryFallbacks). */
  fallback: boolean;
  /** The mail side's reports not applied yet (EmailReports). */
  emailReports: boolean;
}

/** A delivery taken for a send: committed `sending` with attempts + 1, with the text it says. */
export interface ClaimedDelivery {
  id: string;
  notification_id: string;
  recipient_type: string;
  recipient_id: string;
  channel: string;
  address: string | null;
  language: string;
  attempts: number;
  /** What it says: rendered in the claim that first took it, the same for every resend. */
  subject: string | null;
  body: string | null;
  sms: string | null;
}

/** A message rendered for a delivery by the claim that first takes it. */
export interface RenderedDelivery {
  id: string;
  subject: string;
  body: string;
  sms: string;
  templateVersion: number | null;
}

/** A claimed delivery with its context (none: the journey is not in the read model). */
export interface Claim {
  delivery: ClaimedDelivery;
  context: DeliveryContextRow | undefined;
}

/** How a send ended, as recorded (only while the delivery is still the `sending` of this attempt). */
export type DeliveryOutcome =
  | { kind: 'delivered'; providerRef?: string }
  | { kind: 'accepted'; providerRef: string }
  | { kind: 'expired' }
  | { kind: 'failed'; status: 'temporary_failure' | 'permanent_failure'; error: string; retryInSeconds: number };

/** A delivery the fan-out decided on. */
export interface NewDelivery {
  notificationId: string;
  recipientType: string;
  recipientId: string;
  /** `supervisor`: an agency's supervisor told of an escalation (supervisor_contacts). */
  relation: 'subject' | 'mandate' | 'supervisor';
  channel: string;
  address: string | null;
  language: string;
}

/** A letter for the print queue. */
export interface NewLetter {
  id: string;
  deliveryId: string;
  recipientId: string;
  postalAddress: string;
  link: string;
  pdf: Buffer;
}

/**
 * `notification_deliveries`: the dispatcher writes it (claims, outcomes, letters, the unread
 * fallback, SMS reports); a recipient's copies read are the gateway's (`delivery_reads`, markRead).
 * Claims are FOR UPDATE SKIP LOCKED, committed as `sending` before anything is sent, and a stale
 * `sending` (a crash) is due again after the lease.
 */
export class Deliveries {
  constructor(
    private readonly ds: DataSource,
    private readonly content: NotificationContent,
  ) {}

  /** What is due now: messages to fan out, the channels with deliveries to send, dossier statuses, SMS reports. */
  async dueWork(channels: readonly string[], leaseSeconds: number): Promise<DueWork> {
    const [due] = await rows<{ fan_out: boolean; channels: string[]; status: boolean; sms_reports: boolean; fallback: boolean; email_reports: boolean }>(
      this.ds,
      `SELECT EXISTS (SELECT 1 FROM notifications WHERE fanned_out_at IS NULL) AS fan_out,
              ARRAY(SELECT c FROM unnest($1::text[]) AS c
                     WHERE EXISTS (SELECT 1 FROM notification_deliveries WHERE channel = c AND ${DUE_QUEUED})
                        OR EXISTS (SELECT 1 FROM notification_deliveries WHERE channel = c AND ${leaseRunOut('$2')})) AS channels,
              EXISTS (SELECT 1 FROM dossier_status_outbox WHERE status = 'pending' AND next_attempt_at <= now()) AS status,
              EXISTS (SELECT 1 FROM sms_delivery_reports WHERE applied_at IS NULL) AS sms_reports,
              EXISTS (SELECT 1 FROM notification_deliveries WHERE status = 'permanent_failure' AND fallback_checked_at IS NULL) AS fallback,
              EXISTS (SELECT 1 FROM email_delivery_reports WHERE applied_at IS NULL) AS email_reports`,
      [channels, leaseSeconds],
      'levensloop-dispatch-due',
    );
    return { fanOut: due.fan_out, channels: due.channels, status: due.status, smsReports: due.sms_reports, fallback: due.fallback, emailReports: due.email_reports };
  }

  /** The deliveries a fan-out decided on, in its transaction (a second fan-out of a message adds nothing). */
  async insertFannedOut(em: EntityManager, deliveries: readonly NewDelivery[]): Promise<void> {
    if (!deliveries.length) return;
    await em.query(
      `INSERT INTO notification_deliveries (id, notification_id, recipient_type, recipient_id, relation, channel, address, language)
       SELECT gen_random_uuid(), * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
       ON CONFLICT (notification_id, recipient_id, channel) DO NOTHING`,
      columns(deliveries, ['notificationId', 'recipientType', 'recipientId', 'relation', 'channel', 'address', 'language']),
    );
  }

  /**
   * Takes up to `limit` due deliveries of a channel. The message is rendered here (by `render`),
   * the first time a delivery is taken, and stored by the same update that claims it: every later
   * send of it (after a crash, after a failure) says the same under the same key.
   */
  claim(
    channel: string,
    limit: number,
    leaseSeconds: number,
    render: (toRender: Array<{ delivery: ClaimedDelivery; context: DeliveryContextRow }>) => Promise<RenderedDelivery[]>,
  ): Promise<Claim[]> {
    return this.ds.transaction(async (em) => {
      const due = await rows<ClaimedDelivery>(
        em,
        `SELECT id, notification_id, recipient_type, recipient_id, channel, address, language, attempts, subject, body, sms
           FROM notification_deliveries
          WHERE channel = $1
            AND ((${DUE_QUEUED}) OR (${leaseRunOut('$3')}))
          ORDER BY next_attempt_at LIMIT $2 FOR UPDATE SKIP LOCKED`,
        [channel, limit, leaseSeconds],
      );
      if (!due.length) return [];
      const contexts = await this.content.contexts(due.map((d) => d.id), em);
      // Nothing to render for what will not be sent (not in the read model yet, expired) or was rendered before.
      const toRender = due.flatMap((d) => {
        const context = contexts.get(d.id);
        return d.body === null && context && !context.expired ? [{ delivery: d, context }] : [];
      });
      const rendered = toRender.length ? await render(toRender) : [];
      await em.query(
        `UPDATE notification_deliveries d SET status = 'sending', attempts = d.attempts + 1, updated_at = now(),
                subject = coalesce(d.subject, r.subject), body = coalesce(d.body, r.body), sms = coalesce(d.sms, r.sms),
                template_version = CASE WHEN d.body IS NULL THEN r.template_version ELSE d.template_version END,
                rendered_at = CASE WHEN d.body IS NULL AND r.body IS NOT NULL THEN now() ELSE d.rendered_at END
           FROM unnest($1::uuid[]) AS c(id)
           LEFT JOIN unnest($2::uuid[], $3::text[], $4::text[], $5::text[], $6::int[]) AS r(id, subject, body, sms, template_version) ON r.id = c.id
          WHERE d.id = c.id`,
        [due.map((d) => d.id), ...(['id', 'subject', 'body', 'sms', 'templateVersion'] as const).map((k) => rendered.map((r) => r[k]))],
      );
      const byId = new Map(rendered.map((r) => [r.id, r]));
      return due.map((d) => {
        const r = byId.get(d.id);
        const delivery = { ...d, attempts: d.attempts + 1, ...(r && d.body === null ? { subject: r.subject, body: r.body, sms: r.sms } : {}) };
        return { delivery, context: contexts.get(d.id) };
      });
    });
  }

  /**
   * Gives back claims that were not sent (over the shared rate, or a dispatcher stopping): due again
   * at once for any dispatcher, as they were before the claim (the attempt not counted). Only a
   * delivery still `sending` under that claim and not sent is given back.
   */
  async release(claims: ReadonlyArray<{ id: string; attempts: number }>): Promise<number> {
    if (!claims.length) return 0;
    return count(
      this.ds,
      `UPDATE notification_deliveries d
          SET status = CASE WHEN d.last_error IS NULL THEN 'queued' ELSE 'temporary_failure' END,
              attempts = d.attempts - 1, next_attempt_at = now(), updated_at = now()
         FROM unnest($1::uuid[], $2::int[]) AS c(id, attempts)
        WHERE d.id = c.id AND d.status = 'sending' AND d.attempts = c.attempts AND d.sent_at IS NULL`,
      [claims.map((c) => c.id), claims.map((c) => c.attempts)],
    );
  }

  /** Records how the send of this attempt ended (nothing when the delivery moved on meanwhile). */
  async record(id: string, attempts: number, outcome: DeliveryOutcome): Promise<void> {
    switch (outcome.kind) {
      case 'delivered':
        await this.ds.query(
          `UPDATE notification_deliveries SET status = 'delivered', sent_at = coalesce(sent_at, now()), delivered_at = now(), provider_ref = $2, last_error = NULL, updated_at = now() WHERE id = $1 AND status = 'sending' AND attempts = $3`,
          [id, outcome.providerRef ?? null, attempts],
        );
        return;
      case 'accepted':
        // Stays `sending` with sent_at set: the SMS gateway's report settles it.
        await this.ds.query(
          `UPDATE notification_deliveries SET sent_at = now(), provider_ref = $2, last_error = NULL, updated_at = now() WHERE id = $1 AND status = 'sending' AND attempts = $3`,
          [id, outcome.providerRef, attempts],
        );
        return;
      case 'expired':
        await this.ds.query(`UPDATE notification_deliveries SET status = 'expired', updated_at = now() WHERE id = $1 AND status = 'sending' AND attempts = $2`, [id, attempts]);
        return;
      case 'failed':
        await this.ds.query(
          `UPDATE notification_deliveries SET status = $2, last_error = $3, next_attempt_at = now() + make_interval(secs => $4), updated_at = now() WHERE id = $1 AND status = 'sending' AND attempts = $5`,
          [id, outcome.status, outcome.error.slice(0, 1000), outcome.retryInSeconds, attempts],
        );
    }
  }

  /** The letter into the print queue and its delivery delivered, in one transaction, once per delivery. */
  async storeLetter(letter: NewLetter): Promise<void> {
    await this.ds.transaction(async (em) => {
      await em.query(
        `INSERT INTO letters (id, delivery_id, recipient_id, postal_address, link, pdf) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (delivery_id) DO NOTHING`,
        [letter.id, letter.deliveryId, letter.recipientId, letter.postalAddress, letter.link, letter.pdf],
      );
      await em.query(
        `UPDATE notification_deliveries SET status = 'delivered', sent_at = now(), delivered_at = now(), updated_at = now(), last_error = NULL WHERE id = $1`,
        [letter.deliveryId],
      );
    });
  }

  /**
   * The subject did not read a request within `afterSeconds` and it is still open: it goes out on
   * paper too (the request itself, not each reminder of it). A mandate holder reading their copy
   * does not stop the subject's letter; it only spares the holder a paper copy of their own.
   */
  insertUnreadLetters(afterSeconds: number): Promise<number> {
    return count(
      this.ds,
      `INSERT INTO notification_deliveries (id, notification_id, recipient_type, recipient_id, relation, channel, address, language)
       SELECT DISTINCT ON (d.notification_id, d.recipient_id) gen_random_uuid(), d.notification_id, d.recipient_type, d.recipient_id, d.relation, 'letter',
              coalesce(cp.postal_address, pf.prefilled->'address')::text, d.language
         FROM notifications n
         JOIN notification_deliveries d ON d.notification_id = n.id
         LEFT JOIN contact_preferences cp ON cp.subject_id = d.recipient_id
         LEFT JOIN contact_prefills pf ON pf.subject_id = d.recipient_id
        WHERE n.category = 'action.needed' AND n.fanned_out_at IS NOT NULL AND n.created_at < now() - make_interval(secs => $1)
          AND n.created_at > now() - make_interval(secs => $1) - interval '30 days'
          AND NOT EXISTS (SELECT 1 FROM notification_deliveries r JOIN delivery_reads rd ON rd.delivery_id = r.id
                           WHERE r.notification_id = n.id AND (r.relation = 'subject' OR r.recipient_id = d.recipient_id))
          AND EXISTS (SELECT 1 FROM tasks t WHERE t.journey_id = n.journey_id AND t.node_key = n.node_key AND t.assignee = 'citizen' AND t.status IN ('open', 'claimed'))
       ON CONFLICT (notification_id, recipient_id, channel) DO NOTHING`,
      [afterSeconds],
    );
  }

  /**
   * The reader's copies of a message marked read (the first time counts): the gateway's fact, in
   * its own table `delivery_reads` (see docs/tables.md); the dispatcher reads it for the letter fallback.
   */
  async markRead(notificationId: string, recipientIds: readonly string[]): Promise<void> {
    await this.ds.query(
      `INSERT INTO delivery_reads (delivery_id)
       SELECT d.id FROM notification_deliveries d WHERE d.notification_id = $1 AND d.recipient_id = ANY($2) AND d.status <> 'expired'
       ON CONFLICT (delivery_id) DO NOTHING`,
      [notificationId, recipientIds],
    );
  }

  /**
   * Applies the SMS reports the gateway stored, in the order they came in, and marks them applied.
   * `outcomeOf` is the rule (a report only moves a delivery out of the statuses it may settle).
   */
  applySmsReports(limit: number, outcomeOf: (report: SmsReportStatus) => SmsReportOutcome): Promise<number> {
    return this.ds.transaction(async (em) => {
      const reports = await rows<{ report_id: string; delivery_id: string; status: SmsReportStatus['status']; error: string | null; message_id: string | null; reported_at: Date | null; signed_at: Date }>(
        em,
        `SELECT report_id, delivery_id, status, error, message_id, reported_at, signed_at FROM sms_delivery_reports
          WHERE applied_at IS NULL ORDER BY received_at, report_id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit],
      );
      for (const r of reports) {
        const outcome = outcomeOf({ status: r.status, ...(r.error ? { error: r.error } : {}) });
        await em.query(
          `UPDATE notification_deliveries
              SET status = $3::varchar,
                  sent_at = coalesce(sent_at, $4::timestamptz),
                  delivered_at = CASE WHEN $3::varchar = 'delivered' THEN $4::timestamptz ELSE delivered_at END,
                  last_error = $5,
                  provider_ref = coalesce(provider_ref, $2),
                  updated_at = now()
            WHERE id = $1 AND status = ANY($6)`,
          [r.delivery_id, r.message_id, outcome.status, r.reported_at ?? r.signed_at, outcome.error, outcome.from],
        );
      }
      if (reports.length) await em.query(`UPDATE sms_delivery_reports SET applied_at = now() WHERE report_id = ANY($1)`, [reports.map((r) => r.report_id)]);
      return reports.length;
    });
  }

  /** Deliveries by channel and status (metrics). */
  countsByChannelAndStatus(): Promise<Array<{ channel: string; status: string; n: number }>> {
    return rows(this.ds, `SELECT channel, status, count(*)::int AS n FROM notification_deliveries GROUP BY 1, 2`);
  }
}
