import type { DataSource } from 'typeorm';
import type { PrefilledContact } from '../entities/notification.entities';
import { rows } from './sql';

/** A delivery that failed for good and whose fallback is not decided yet, with what is known to reach its recipient. */
export interface FailedDelivery {
  id: string;
  notification_id: string;
  recipient_type: string;
  recipient_id: string;
  relation: 'subject' | 'mandate' | 'supervisor';
  channel: string;
  language: string;
  /** The person's own choices (null: none made) and the register's values. */
  own: { language: string | null; channels: string[] | null; email: string | null; phone: string | null; postal_address: Record<string, unknown> | null } | null;
  prefilled: PrefilledContact | null;
  /** The other deliveries of the same message to the same person. */
  others: Array<{ channel: string; status: string }>;
}

/** Where a failed delivery goes next (null: nowhere), with the address on that channel. */
export interface FallbackDecision {
  channel: string | null;
  address: string | null;
}

/**
 * The fallback of deliveries that failed for good (`notification_deliveries`, the dispatcher's):
 * each is decided once, in one transaction with the delivery it adds, under the row's lock
 * (FOR UPDATE SKIP LOCKED: another dispatcher takes other rows). The unique key of a message,
 * recipient and channel keeps a forward from being sent twice even when two failures of one
 * message choose the same channel.
 */
export class DeliveryFallbacks {
  constructor(private readonly ds: DataSource) {}

  /** Decides up to `limit` fallbacks with `decide`; how many new deliveries were queued. */
  forward(limit: number, fromChannels: readonly string[], decide: (failed: FailedDelivery) => FallbackDecision): Promise<number> {
    return this.ds.transaction(async (em) => {
      const failed = await rows<FailedDelivery>(
        em,
        `SELECT d.id, d.notification_id, d.recipient_type, d.recipient_id, d.relation, d.channel, d.language,
                CASE WHEN cp.subject_id IS NULL THEN NULL
                     ELSE json_build_object('language', cp.language, 'channels', cp.channels, 'email', cp.email, 'phone', cp.phone, 'postal_address', cp.postal_address) END AS own,
                pf.prefilled,
                coalesce((SELECT json_agg(json_build_object('channel', o.channel, 'status', o.status)) FROM notification_deliveries o
                           WHERE o.notification_id = d.notification_id AND o.recipient_id = d.recipient_id AND o.id <> d.id), '[]'::json) AS others
           FROM notification_deliveries d
           LEFT JOIN contact_preferences cp ON cp.subject_id = d.recipient_id
           LEFT JOIN contact_prefills pf ON pf.subject_id = d.recipient_id
          WHERE d.status = 'permanent_failure' AND d.fallback_checked_at IS NULL
          ORDER BY d.updated_at LIMIT $1 FOR UPDATE OF d SKIP LOCKED`,
        [limit],
      );
      if (!failed.length) return 0;
      const decided = failed.map((f) => ({ f, to: fromChannels.includes(f.channel) ? decide(f) : { channel: null, address: null } }));
      const forwards = decided.filter((d) => d.to.channel !== null);
      let queued = 0;
      if (forwards.length) {
        const inserted = await rows<{ id: string }>(
          em,
          `INSERT INTO notification_deliveries (id, notification_id, recipient_type, recipient_id, relation, channel, address, language, forwarded_from)
           SELECT gen_random_uuid(), * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::uuid[])
           ON CONFLICT (notification_id, recipient_id, channel) DO NOTHING RETURNING id`,
          [
            forwards.map((d) => d.f.notification_id),
            forwards.map((d) => d.f.recipient_type),
            forwards.map((d) => d.f.recipient_id),
            forwards.map((d) => d.f.relation),
            forwards.map((d) => d.to.channel),
            forwards.map((d) => d.to.address),
            forwards.map((d) => d.f.language),
            forwards.map((d) => d.f.id),
          ],
        );
        queued = inserted.length;
      }
      await em.query(
        `UPDATE notification_deliveries d SET fallback_checked_at = now(), forwarded_to = c.channel
           FROM unnest($1::uuid[], $2::text[]) AS c(id, channel) WHERE d.id = c.id`,
        [decided.map((d) => d.f.id), decided.map((d) => d.to.channel)],
      );
      if (queued) await em.query(`SELECT pg_notify('levensloop_outbox', 'fallback')`);
      return queued;
    });
  }
}
