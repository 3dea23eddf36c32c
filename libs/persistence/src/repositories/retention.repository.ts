import type { Db } from './db';
import { TaskDocuments, type DocumentStore } from './documents.repository';
import { purgeExpiredEvidencePreviews } from './evidence-previews.repository';

/** The kinds of record with a retention term of their own (RETENTION_* in libs/config). */
export const RETENTION_KINDS = ['letters', 'messages', 'journeys', 'sourceEvents', 'dataAccessLog', 'auditLog'] as const;
export type RetentionKind = (typeof RETENTION_KINDS)[number];

/** What one batch removed: rows of the kind's main table, and for a log the anchor it recorded. */
export interface RetentionBatch {
  removed: number;
  anchor?: { upToId: string; hash: string };
}

const FINISHED = `status IN ('completed', 'cancelled')`;

/**
 * The retention job's removals (the worker's retention schedule: a lifecycle writer next to each
 * table's own writer, see docs/tables.md). Each call removes at most `limit` records of one kind
 * whose term (an ISO-8601 duration, which PostgreSQL reads as an interval) has passed, in one
 * statement: no run holds long locks, and a run cut short leaves nothing half removed.
 */
export class Retention {
  /**
   * `documentsTerm`: RETENTION_DOCUMENTS, the term of documents uploaded to finished journeys (default: the journeys' own);
   * `documentStore`: the store their content is in (default: the rows of document_blobs alone, the PostgreSQL store's).
   */
  constructor(
    private readonly db: Db,
    private readonly options: { documentsTerm?: string; documentStore?: DocumentStore } = {},
  ) {}

  /** One batch of `kind` past `term`. */
  async purge(kind: RetentionKind, term: string, limit: number): Promise<RetentionBatch> {
    switch (kind) {
      case 'letters':
        return this.count(this.db.query(LETTERS_SQL, [term, limit]));
      case 'messages': {
        const notifications = await this.count(this.db.query(MESSAGES_SQL, [term, limit]));
        const pushes = await this.count(this.db.query(DOSSIER_PUSHES_SQL, [term, limit]));
        return { removed: notifications.removed + pushes.removed };
      }
      case 'journeys': {
        // A journey's documents first (they may have a shorter term), batch after batch, so none outlives its journey.
        const documents = new TaskDocuments(this.db);
        while ((await documents.purgeOfFinishedJourneys(this.options.documentsTerm ?? term, limit, this.options.documentStore)) >= limit);
        // Evidence previews nobody accepted in time (EVIDENCE_PREVIEW_TERM): what the person did not take is not kept.
        while ((await purgeExpiredEvidencePreviews(this.db, limit)) >= limit);
        const journeys = await this.count(this.db.query(JOURNEYS_SQL, [term, limit]));
        await this.db.query(CONSENTS_SQL, [term, limit]);
        return journeys;
      }
      case 'sourceEvents':
        return this.count(this.db.query(SOURCE_EVENTS_SQL, [term, limit]));
      case 'dataAccessLog':
      case 'auditLog':
        return this.purgeLog(kind === 'auditLog' ? 'audit_log' : 'data_access_log', term, limit);
    }
  }

  private async count(result: Promise<Array<{ removed: number }>>): Promise<RetentionBatch> {
    const rows = await result;
    return { removed: Number(rows[0]?.removed ?? 0) };
  }

  /** A prefix of a chained log, through the database's one way to remove one (it records the anchor). */
  private async purgeLog(log: 'audit_log' | 'data_access_log', term: string, limit: number): Promise<RetentionBatch> {
    const [row]: Array<{ removed_rows: number; anchor_id: string | null; anchor_hash: string | null }> = await this.db.query(
      `SELECT removed_rows, anchor_id::text AS anchor_id, anchor_hash FROM log_purge_before($1, now() - $2::interval, $3)`,
      [log, term, limit],
    );
    return { removed: Number(row?.removed_rows ?? 0), ...(row?.anchor_id && row.anchor_hash ? { anchor: { upToId: row.anchor_id, hash: row.anchor_hash } } : {}) };
  }
}

/** Letters' PDFs and addresses past their term (their print receipts go with them, by cascade). */
const LETTERS_SQL = `
  WITH gone AS (
    DELETE FROM letters WHERE id IN (SELECT id FROM letters WHERE created_at < now() - $1::interval ORDER BY created_at LIMIT $2)
    RETURNING 1
  )
  SELECT count(*)::int AS removed FROM gone`;

/**
 * Messages past their term whose every delivery is settled (none queued, being sent or awaiting a retry):
 * the notification, its deliveries with their rendered texts and addresses, and what hangs off a
 * delivery (read marks and SMS reports by cascade, a letter not yet past its own term: a letter
 * never outlives its message).
 */
const MESSAGES_SQL = `
  WITH doomed AS (
    SELECT n.id FROM notifications n
     WHERE n.created_at < now() - $1::interval AND n.fanned_out_at IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM notification_deliveries d WHERE d.notification_id = n.id AND d.status IN ('queued', 'temporary_failure', 'sending'))
     ORDER BY n.created_at LIMIT $2
  ), letters_gone AS (
    DELETE FROM letters l USING notification_deliveries d WHERE l.delivery_id = d.id AND d.notification_id IN (SELECT id FROM doomed)
  ), deliveries_gone AS (
    DELETE FROM notification_deliveries d WHERE d.notification_id IN (SELECT id FROM doomed)
  ), gone AS (
    DELETE FROM notifications n WHERE n.id IN (SELECT id FROM doomed) RETURNING 1
  )
  SELECT count(*)::int AS removed FROM gone`;

/** Dossier-status pushes past their term that are no longer pending. */
const DOSSIER_PUSHES_SQL = `
  WITH gone AS (
    DELETE FROM dossier_status_outbox o
     WHERE (o.journey_id, o.seq) IN (SELECT journey_id, seq FROM dossier_status_outbox
                                      WHERE created_at < now() - $1::interval AND status <> 'pending' ORDER BY created_at LIMIT $2)
    RETURNING 1
  )
  SELECT count(*)::int AS removed FROM gone`;

/**
 * Finished journeys (completed or cancelled) whose end is past the term, with their read model:
 * steps, timeline, tasks, decisions and overrides (by cascade), step data. A running journey or one that needs attention is never chosen. The
 * data-access log and the audit log keep their own, longer terms; messages theirs.
 */
const JOURNEYS_SQL = `
  WITH doomed AS (
    SELECT id FROM journeys
     WHERE ${FINISHED} AND COALESCE(completed_at, updated_at) < now() - $1::interval
     ORDER BY COALESCE(completed_at, updated_at) LIMIT $2
  ), steps AS (DELETE FROM journey_steps WHERE journey_id IN (SELECT id FROM doomed)),
     events AS (DELETE FROM journey_events WHERE journey_id IN (SELECT id FROM doomed)),
     tasks_gone AS (DELETE FROM tasks WHERE journey_id IN (SELECT id FROM doomed)),
     decisions_gone AS (DELETE FROM decisions WHERE journey_id IN (SELECT id FROM doomed)),
     fields AS (DELETE FROM journey_data_fields WHERE journey_id IN (SELECT id FROM doomed)),
     gone AS (DELETE FROM journeys WHERE id IN (SELECT id FROM doomed) RETURNING 1)
  SELECT count(*)::int AS removed FROM gone`;

/**
 * Consents (and their withdrawals, by cascade) given in a journey that is gone, answered before
 * the term, of a person with no open journey: a consent outlives its journey while a later one of
 * the same person may still rely on it.
 */
const CONSENTS_SQL = `
  DELETE FROM consents c
   WHERE c.id IN (SELECT k.id FROM consents k
                   WHERE k.journey_id IS NOT NULL AND k.given_at < now() - $1::interval
                     AND NOT EXISTS (SELECT 1 FROM journeys j WHERE j.id = k.journey_id)
                     AND NOT EXISTS (SELECT 1 FROM journeys j WHERE j.subject_id = k.subject_id AND NOT (j.${FINISHED}))
                   LIMIT $2)`;

/** Source events past their term, processed or failed (an event still waiting is never removed). */
const SOURCE_EVENTS_SQL = `
  WITH gone AS (
    DELETE FROM source_events s
     WHERE (s.source, s.event_id) IN (SELECT source, event_id FROM source_events
                                       WHERE status <> 'received' AND received_at < now() - $1::interval ORDER BY received_at LIMIT $2)
    RETURNING 1
  )
  SELECT count(*)::int AS removed FROM gone`;
