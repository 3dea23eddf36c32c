import type { Db } from './db';

/** Full-precision keyset value: JavaScript dates lose PostgreSQL's microseconds. */
const AT_KEY = (col: string) => `to_char(${col} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** One message as its recipient reads it back, from the delivery to read it from. */
export interface InboxRow {
  id: string;
  category: string;
  journey_id: string;
  action_needed: boolean;
  created_at: Date;
  expires_at: Date | null;
  event_seq: number | null;
  at_key: string;
  subject_type: string;
  subject_id: string;
  delivery_id: string;
  language: string;
  /** The text the delivery went out with (null while it was not rendered yet). */
  subject: string | null;
  body: string | null;
  sms: string | null;
  as_subject: boolean;
  read_at: Date | null;
  /** `forwardedTo`: a delivery that failed for good went out once more on that channel. */
  channels: Array<{ channel: string; status: string; forwardedTo?: string }>;
  letter_id: string | null;
}

/** A journey's message with one of its deliveries (none: `delivery_id` null), as caseworkers see it. */
export interface JourneyDeliveryRow {
  id: string;
  category: string;
  node_key: string | null;
  action_needed: boolean;
  created_at: Date;
  expires_at: Date | null;
  fanned_out_at: Date | null;
  transaction_id: string;
  delivery_id: string | null;
  recipient_type: string;
  recipient_id: string;
  relation: string;
  channel: string;
  address: string | null;
  language: string;
  status: string;
  attempts: number;
  last_error: string | null;
  provider_ref: string | null;
  queued_at: Date;
  sent_at: Date | null;
  delivered_at: Date | null;
  read_at: Date | null;
  next_attempt_at: Date | null;
  subject: string | null;
  body: string | null;
  sms: string | null;
  template_version: number | null;
  rendered_at: Date | null;
  letter_id: string | null;
  printed_at: Date | null;
  /** The channel a failure of this delivery was forwarded to, and the delivery this one stands in for. */
  forwarded_to: string | null;
  forwarded_from: string | null;
}

export interface DossierPushRow {
  seq: number;
  status: string;
  attempts: number;
  created_at: Date;
  delivered_at: Date | null;
  last_error: string | null;
  status_code: string | null;
}

/**
 * One row per message that reached one of `$1` (the caller's ids): the delivery to read it from
 * (one that went out, the e-counter's first), its language and stored text, whether any copy was
 * read, and the channels it went out on.
 */
const INBOX_SQL = `
  WITH mine AS (
    SELECT d.notification_id,
           (array_agg(d.id ORDER BY d.rendered_at IS NULL, (d.channel = 'ecounter') DESC, d.created_at, d.id))[1] AS delivery_id,
           bool_or(d.relation = 'subject') AS as_subject,
           min(r.read_at) AS read_at,
           json_agg(json_strip_nulls(json_build_object('channel', d.channel, 'status', d.status, 'forwardedTo', d.forwarded_to)) ORDER BY d.channel) AS channels,
           (array_agg(l.id) FILTER (WHERE l.id IS NOT NULL))[1] AS letter_id
      FROM notification_deliveries d
      LEFT JOIN delivery_reads r ON r.delivery_id = d.id
      LEFT JOIN letters l ON l.delivery_id = d.id
     WHERE d.recipient_id = ANY($1) AND d.status <> 'expired'
     GROUP BY d.notification_id)
  SELECT n.id, n.category, n.journey_id, n.action_needed, n.created_at, n.expires_at, n.event_seq, ${AT_KEY('n.created_at')} AS at_key,
         j.subject_type, j.subject_id, m.delivery_id, c.language, c.subject, c.body, c.sms, m.as_subject, m.read_at, m.channels, m.letter_id
    FROM mine m
    JOIN notification_deliveries c ON c.id = m.delivery_id
    JOIN notifications n ON n.id = m.notification_id
    JOIN journeys j ON j.id = n.journey_id
   WHERE true`;

/** Messages as their recipients and caseworkers read them back (the projection and the dispatcher write them). */
export class NotificationInbox {
  constructor(private readonly db: Db) {}

  /**
   * A recipient's messages newest first, `limit + 1` of them (messages never sent are left out);
   * messages of one projection share their instant: the timeline order breaks the tie.
   */
  async page(recipientIds: string[], limit: number, after?: { at: string; seq: number; id: string }): Promise<InboxRow[]> {
    const params: unknown[] = [recipientIds];
    const cursor = after
      ? `AND (n.created_at, coalesce(n.event_seq, 0), n.id) < ($${params.push(after.at)}::timestamptz, $${params.push(after.seq)}::int, $${params.push(after.id)}::uuid)`
      : '';
    params.push(limit + 1);
    return this.db.query(`${INBOX_SQL} ${cursor} ORDER BY n.created_at DESC, coalesce(n.event_seq, 0) DESC, n.id DESC LIMIT $${params.length}`, params);
  }

  /** One message of the recipient's, if it reached them. */
  async find(recipientIds: string[], id: string): Promise<InboxRow | undefined> {
    const rows: InboxRow[] = await this.db.query(`${INBOX_SQL} AND n.id = $2`, [recipientIds, id]);
    return rows[0];
  }

  /** A journey's messages with their deliveries (only those to `recipientIds` when given) and letters. */
  async ofJourney(journeyId: string, recipientIds?: string[]): Promise<JourneyDeliveryRow[]> {
    const params: unknown[] = [journeyId];
    const own = recipientIds ? `AND d.recipient_id = ANY($${params.push(recipientIds)})` : '';
    return this.db.query(
      `SELECT n.id, n.category, n.node_key, n.action_needed, n.created_at, n.expires_at, n.fanned_out_at, n.transaction_id,
              d.id AS delivery_id, d.recipient_type, d.recipient_id, d.relation, d.channel, d.address, d.language, d.status,
              d.attempts, d.last_error, d.provider_ref, d.created_at AS queued_at, d.sent_at, d.delivered_at, r.read_at, d.next_attempt_at,
              d.subject, d.body, d.sms, d.template_version, d.rendered_at, l.id AS letter_id, lp.printed_at,
              d.forwarded_to, d.forwarded_from
         FROM notifications n
         LEFT JOIN notification_deliveries d ON d.notification_id = n.id
         LEFT JOIN delivery_reads r ON r.delivery_id = d.id
         LEFT JOIN letters l ON l.delivery_id = d.id
         LEFT JOIN letter_prints lp ON lp.letter_id = l.id
        WHERE n.journey_id = $1 ${own}
        ORDER BY n.created_at, n.id, d.relation DESC, d.recipient_id, d.channel`,
      params,
    );
  }

  /** The journey's dossier-status pushes in order. */
  async dossierPushes(journeyId: string): Promise<DossierPushRow[]> {
    return this.db.query(
      `SELECT seq, status, attempts, created_at, delivered_at, last_error, payload->>'statusCode' AS status_code
         FROM dossier_status_outbox WHERE journey_id = $1 ORDER BY seq`,
      [journeyId],
    );
  }
}
