import { type SubjectType, type Translations } from '@levensloop/domain';
import type { DataAccessOutcome } from '../entities/once-only.entities';
import { preparedRows } from '../query';
import type { Db } from './db';
import { Mandates } from './mandates.repository';

/** Who read: a step (the engine for an agency), a caseworker, a citizen (subject or representative), an auditor. */
export type DataAccessActorKind = 'step' | 'caseworker' | 'citizen' | 'auditor';

/** One row of the data-access log as a writer gives it (the database adds id, time and hash chain). */
export interface DataAccessEntry {
  /** For writers that may retry (an activity, a scheduler): the same key is written once. */
  accessKey?: string | null;
  subjectType: SubjectType | string;
  subjectId: string;
  journeyId?: string | null;
  nodeKey?: string | null;
  agency: string | null;
  stepKey: string | null;
  actor: string;
  actorKind: DataAccessActorKind;
  source: string;
  /** Field paths in the source (without the source prefix). */
  fields: string[];
  purpose: Partial<Translations>;
  legalBasis: { type: string; reference: string };
  outcome: DataAccessOutcome;
  reason?: string | null;
  /** The `requested` row an outcome row answers. */
  requestId?: string | null;
}

/** A log row with what a reader needs to recognise it: the journey's, step's and agency's titles. */
export interface DataAccessRow {
  id: string;
  at: Date;
  /** `at` with PostgreSQL's microseconds, for keyset cursors (a JavaScript date loses them). */
  at_key: string;
  subject_type: string;
  subject_id: string;
  journey_id: string | null;
  node_key: string | null;
  agency: string | null;
  step_key: string | null;
  actor: string;
  actor_kind: string;
  source: string;
  fields: string[];
  purpose: Translations;
  legal_basis: { type: string; reference: string };
  outcome: DataAccessOutcome;
  reason: string | null;
  journey_title: Translations | null;
  step_title: Translations | null;
  agency_names: Translations | null;
}

/** What a page of the log is narrowed to; every condition given holds (a filter never widens). */
export interface DataAccessFilter {
  /** A citizen's view: entries about `own`, and about `represented` within the scope of a mandate one of `holderIds` holds. */
  reader?: { own: string[]; represented: string[]; holderIds: string[] };
  subject?: string;
  agency?: string;
  journey?: string;
  outcome?: string;
  /** The last row of the previous page. */
  after?: { at: string; id: string };
  /** Rows wanted; one more is read to know whether a next page exists. */
  limit: number;
}

/**
 * Inserts rows of `$1` (a JSON array of entries), in order, skipping any whose access key is
 * already there; answers the id of every keyed entry (new or already there) and of the new
 * unkeyed ones, with the entry's position. The log's trigger chains each row's hash.
 */
const APPEND_SQL = `
  WITH e AS (
    SELECT * FROM ROWS FROM (jsonb_to_recordset($1::jsonb) AS (
      access_key text, subject_type text, subject_id text, journey_id uuid, node_key text, agency text, step_key text,
      actor text, actor_kind text, source text, fields text[], purpose jsonb, legal_basis jsonb, outcome text, reason text,
      request_id bigint)) WITH ORDINALITY AS e),
  ins AS (
    INSERT INTO data_access_log (access_key, subject_type, subject_id, journey_id, node_key, agency, step_key, actor, actor_kind,
                                 source, fields, purpose, legal_basis, outcome, reason, request_id)
    SELECT access_key, subject_type, subject_id, journey_id, node_key, agency, step_key, actor, actor_kind,
           source, fields, purpose, legal_basis, outcome, reason, request_id
      FROM e ORDER BY e.ordinality
    ON CONFLICT (access_key) DO NOTHING
    RETURNING id, access_key)
  SELECT ins.id::text AS id, ins.access_key FROM ins
  UNION ALL
  SELECT l.id::text, l.access_key FROM data_access_log l
   WHERE l.access_key IN (SELECT access_key FROM e WHERE access_key IS NOT NULL)
     AND NOT EXISTS (SELECT 1 FROM ins WHERE ins.access_key = l.access_key)`;

/**
 * The data-access log (append-only, hash-chained): the one place that writes it, and its
 * readers' pages. Writers: the worker's register reads, caseworkers' step-data reads, decision
 * inputs shown, mandate confirmations, the dispatcher's contact prefill.
 */
export class DataAccessLog {
  constructor(private readonly db: Db) {}

  /**
   * Appends entries (in `db`'s transaction when given), once per access key. Answers each
   * entry's row id, in entry order: the existing row's for a key written before; undefined only
   * for an unkeyed entry whose row was not written (never, unless the database refused it).
   */
  async append(entries: DataAccessEntry[], db: Db = this.db): Promise<Array<string | undefined>> {
    if (!entries.length) return [];
    // Prepared once per connection: every register read of every step goes through it.
    const rows = await preparedRows<{ id: string; access_key: string | null }>(db, 'levensloop-data-access-append', APPEND_SQL, [JSON.stringify(entries.map(toRecord))]);
    const byKey = new Map(rows.filter((r) => r.access_key !== null).map((r) => [r.access_key as string, r.id]));
    // Unkeyed rows come back in insertion order, which is entry order (INSERT … SELECT … ORDER BY).
    const unkeyed = rows.filter((r) => r.access_key === null).map((r) => r.id);
    let next = 0;
    return entries.map((e) => (e.accessKey ? byKey.get(e.accessKey) : unkeyed[next++]));
  }

  /** Appends one entry; answers its row id (that of the row already there for a known access key). */
  async appendOne(entry: DataAccessEntry, db: Db = this.db): Promise<string | undefined> {
    return (await this.append([entry], db))[0];
  }

  /**
   * The writer a logged register read takes (`loggedRead` of libs/sources): `requested` before
   * the read, then its outcome pointing at the request. With `accessKey`, the request is written
   * once under it and its outcome under `<accessKey>/outcome`.
   */
  readEntry(
    base: Omit<DataAccessEntry, 'outcome' | 'reason' | 'requestId' | 'accessKey'>,
    accessKey?: string,
  ): (outcome: DataAccessOutcome, requestId?: string, reason?: string) => Promise<string | undefined> {
    return (outcome, requestId, reason) =>
      this.appendOne({ ...base, outcome, reason: reason ?? null, requestId: requestId ?? null, accessKey: accessKey ? (requestId ? `${accessKey}/outcome` : accessKey) : null });
  }

  /**
   * The outcome of logged requests, as rows of their own (the log is insert-only): a copy of each
   * request with its outcome and a pointer to it, keyed `<request key>/outcome/<suffix>` so that
   * writing the same outcome again is a no-op. One statement, whatever the number of requests.
   */
  async appendOutcomes(requestIds: string[], outcome: DataAccessOutcome, keySuffix: string, reason?: string, db: Db = this.db): Promise<void> {
    if (!requestIds.length) return;
    await db.query(
      `INSERT INTO data_access_log (access_key, subject_type, subject_id, journey_id, node_key, agency, step_key, actor, actor_kind,
                                    source, fields, purpose, legal_basis, outcome, reason, request_id)
       SELECT r.access_key || '/outcome/' || $2::text, r.subject_type, r.subject_id, r.journey_id, r.node_key, r.agency, r.step_key, r.actor, r.actor_kind,
              r.source, r.fields, r.purpose, r.legal_basis, $3, $4, r.id
         FROM data_access_log r WHERE r.id = ANY($1::bigint[]) ORDER BY r.id
       ON CONFLICT (access_key) DO NOTHING`,
      [requestIds, keySuffix, outcome, reason?.slice(0, 1000) ?? null],
    );
  }

  /**
   * A page of the log, newest first (`limit + 1` rows, to tell whether there is a next one). A
   * request that has an outcome row is left out: the outcome stands for it.
   */
  async page(f: DataAccessFilter): Promise<DataAccessRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const p = (value: unknown) => `$${params.push(value)}`;
    if (f.reader) {
      where.push(`(l.subject_id = ANY(${p(f.reader.own)}) OR (l.subject_id = ANY(${p(f.reader.represented)}) AND EXISTS (
        SELECT 1 FROM mandates_in_force m WHERE m.holder_id = ANY(${p(f.reader.holderIds)}) AND m.subject_id = l.subject_id AND ${Mandates.coversSql('j.life_event_key', 'read', 'm')})))`);
    }
    if (f.subject) where.push(`l.subject_id = ${p(f.subject)}`);
    if (f.agency) where.push(`l.agency = ${p(f.agency)}`);
    if (f.journey) where.push(`l.journey_id = ${p(f.journey)}`);
    if (f.outcome) where.push(`l.outcome = ${p(f.outcome)}`);
    where.push(`NOT (l.outcome = 'requested' AND EXISTS (SELECT 1 FROM data_access_log o WHERE o.request_id = l.id))`);
    if (f.after) where.push(`(l.at, l.id) < (${p(f.after.at)}::timestamptz, ${p(f.after.id)}::bigint)`);
    return this.db.query(
      `SELECT l.*, to_char(l.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at_key,
              j.title AS journey_title, s.title AS step_title, a.names AS agency_names
         FROM data_access_log l
         LEFT JOIN journeys j ON j.id = l.journey_id
         LEFT JOIN journey_steps s ON s.journey_id = l.journey_id AND s.node_key = l.node_key
         LEFT JOIN agencies a ON a.code = l.agency
        WHERE ${where.join(' AND ')}
        ORDER BY l.at DESC, l.id DESC
        LIMIT ${p(f.limit + 1)}`,
      params,
    );
  }
}

function toRecord(e: DataAccessEntry) {
  return {
    access_key: e.accessKey ?? null,
    subject_type: e.subjectType,
    subject_id: e.subjectId,
    journey_id: e.journeyId ?? null,
    node_key: e.nodeKey ?? null,
    agency: e.agency,
    step_key: e.stepKey,
    actor: e.actor,
    actor_kind: e.actorKind,
    source: e.source,
    fields: e.fields,
    purpose: e.purpose,
    legal_basis: e.legalBasis,
    outcome: e.outcome,
    reason: e.reason ?? null,
    request_id: e.requestId ?? null,
  };
}
