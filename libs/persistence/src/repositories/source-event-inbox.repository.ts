import type { DataSource, EntityManager } from 'typeorm';
import { queryRows } from '../query';

/** One `source_events` row. */
export interface SourceEventRow {
  source: string;
  event_id: string;
  type: string;
  subject: string | null;
  time: Date | null;
  data: Record<string, unknown> | null;
  received_at: Date;
  received_by: string;
  status: 'received' | 'processed' | 'ignored' | 'failed';
  processed_at: Date | null;
  result: unknown;
  error: string | null;
}

/** An event to store: validated by the gateway. */
export interface InboxEvent {
  id: string;
  type: string;
  subject?: string;
  time?: string;
  data: Record<string, unknown>;
}

/** An event id received before, compared with the one received now. */
export interface EarlierEvent {
  event_id: string;
  status: string;
  received_at: Date;
  processed_at: Date | null;
  result: unknown;
  type: string;
  /** The same type and data: a redelivery (otherwise the id is reused for another event). */
  same: boolean;
}

/**
 * The inbox of source events (`source_events`), deduplicated by source and event id. The gateway
 * stores; the source-event workflow reads an event and records its outcome once.
 */
export class SourceEventInbox {
  constructor(private readonly db: DataSource) {}

  /**
   * Inserts the new events in one transaction and compares the ids received before with what
   * they are now; `check` sees those and may throw, which stores nothing.
   */
  async store(source: string, receivedBy: string, events: InboxEvent[], check: (earlier: EarlierEvent[]) => void): Promise<{ inserted: Set<string>; earlier: EarlierEvent[] }> {
    return this.db.transaction(async (tx: EntityManager) => {
      const rows = await queryRows<{ event_id: string }>(
        tx,
        `INSERT INTO source_events (source, event_id, type, subject, time, data, received_by)
         SELECT $1, e.event_id, e.type, e.subject, e.time, e.data, $7
           FROM unnest($2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::jsonb[]) AS e(event_id, type, subject, time, data)
         ON CONFLICT (source, event_id) DO NOTHING RETURNING event_id`,
        [source, events.map((e) => e.id), events.map((e) => e.type), events.map((e) => e.subject ?? null), events.map((e) => e.time ?? null), events.map((e) => JSON.stringify(e.data)), receivedBy],
      );
      const inserted = new Set(rows.map((r) => r.event_id));
      const again = events.filter((e) => !inserted.has(e.id));
      const earlier = again.length
        ? await queryRows<EarlierEvent>(
            tx,
            `SELECT s.event_id, s.status, s.received_at, s.processed_at, s.result, s.type, (s.type = e.type AND s.data = e.data) AS same
               FROM unnest($2::text[], $3::text[], $4::jsonb[]) AS e(event_id, type, data)
               JOIN source_events s ON s.source = $1 AND s.event_id = e.event_id`,
            [source, again.map((e) => e.id), again.map((e) => e.type), again.map((e) => JSON.stringify(e.data))],
          )
        : [];
      check(earlier);
      return { inserted, earlier };
    });
  }

  async find(source: string, eventId: string): Promise<SourceEventRow | undefined> {
    const [row] = await queryRows<SourceEventRow>(this.db, `SELECT * FROM source_events WHERE source = $1 AND event_id = $2`, [source, eventId]);
    return row;
  }

  /** Rows still `received` after `graceSeconds` (their workflow did not start, or its outcome was not recorded), oldest first. */
  async unfinished(graceSeconds: number, max: number): Promise<Array<{ source: string; event_id: string; type: string }>> {
    return queryRows(
      this.db,
      `SELECT source, event_id, type FROM source_events
        WHERE status = 'received' AND received_at < now() - make_interval(secs => $1)
        ORDER BY received_at LIMIT $2`,
      [graceSeconds, max],
    );
  }

  /** An event of one of `types` from the source about the subject (e.g. an annulment that came first), if any. */
  async firstOf(source: string, types: string[], subject: string, onlyUnprocessed = false): Promise<string | undefined> {
    const [row] = await queryRows<{ event_id: string }>(
      this.db,
      `SELECT event_id FROM source_events WHERE source = $1 AND type = ANY($2) AND subject = $3 ${onlyUnprocessed ? `AND status = 'received'` : ''} LIMIT 1`,
      [source, types, subject],
    );
    return row?.event_id;
  }

  /** Why a row waits (best effort; the row stays `received`). */
  async noteError(source: string, eventId: string, error: string): Promise<void> {
    await this.db.query(`UPDATE source_events SET error = $3 WHERE source = $1 AND event_id = $2 AND status = 'received'`, [source, eventId, error.slice(0, 2000)]);
  }

  /** Records the outcome once: false when the row had one already. */
  async finish(source: string, eventId: string, status: string, result: unknown): Promise<boolean> {
    const rows = await queryRows(
      this.db,
      `UPDATE source_events SET status = $3, processed_at = now(), result = $4, error = NULL WHERE source = $1 AND event_id = $2 AND status = 'received' RETURNING event_id`,
      [source, eventId, status, JSON.stringify(result)],
    );
    return rows.length > 0;
  }

  /** The latest published version of every life event whose triggers name the type, with those triggers. */
  async triggeredBy<T>(eventType: string): Promise<Array<{ key: string; version: number; triggers: T[] }>> {
    return queryRows(
      this.db,
      `SELECT key, version, definition->'triggers' AS triggers
         FROM (SELECT DISTINCT ON (key) key, version, definition FROM life_events
                WHERE status = 'published' ORDER BY key, version DESC) latest
        WHERE definition->'triggers' @> $1::jsonb
        ORDER BY key`,
      [JSON.stringify([{ eventType }])],
    );
  }
}
