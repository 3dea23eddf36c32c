import type { Db } from './db';

/** One row of the audit log: who did what to which target, with what details. */
export interface AuditEntry {
  actor: string;
  action: string;
  targetType: string;
  targetId: string;
  detail: Record<string, unknown> | null;
}

export interface AuditRow {
  id: string;
  at: Date;
  /** `at` with PostgreSQL's microseconds, for keyset cursors. */
  at_key: string;
  actor: string;
  action: string;
  target_type: string;
  target_id: string;
  detail: Record<string, unknown> | null;
}

export interface AuditFilter {
  /** A target id; a journey id also finds its decisions (targets `<journey>/<node>`). */
  target?: string;
  targetType?: string;
  action?: string;
  actor?: string;
  after?: { at: string; id: string };
  /** Rows wanted; one more is read to know whether a next page exists. */
  limit: number;
}

/**
 * The head of the audit log's one INSERT. A change audited in the same statement as itself (a
 * CTE, one round trip) selects its row into it: `${AUDIT_INSERT} SELECT actor, action, …`.
 */
export const AUDIT_INSERT = 'INSERT INTO audit_log (actor, action, target_type, target_id, detail)';

const params = (e: AuditEntry) => [e.actor, e.action, e.targetType, e.targetId, e.detail === null ? null : JSON.stringify(e.detail)];

/**
 * The audit log (insert-only: the runtime role and a trigger refuse anything else; each row is
 * hash-chained by the trigger). Appends go in the caller's transaction when `db` is one, so a
 * change and its audit row commit together.
 */
export class AuditLog {
  constructor(private readonly db: Db) {}

  async append(entry: AuditEntry, db: Pick<Db, 'query'> = this.db): Promise<void> {
    await db.query(`${AUDIT_INSERT} VALUES ($1, $2, $3, $4, $5)`, params(entry));
  }

  /** Appends unless the target already has a row of this action (a retried request audits once). */
  async appendOnce(entry: AuditEntry, db: Pick<Db, 'query'> = this.db): Promise<void> {
    await db.query(
      `${AUDIT_INSERT} SELECT $1::varchar, $2::varchar, $3::varchar, $4::varchar, $5::jsonb
        WHERE NOT EXISTS (SELECT 1 FROM audit_log WHERE target_type = $3::varchar AND target_id = $4::varchar AND action = $2::varchar)`,
      params(entry),
    );
  }

  /** Newest first, keyset-paginated: `limit + 1` rows. */
  async page(f: AuditFilter): Promise<AuditRow[]> {
    const where: string[] = [];
    const values: unknown[] = [];
    const p = (value: unknown) => `$${values.push(value)}`;
    if (f.target) where.push(`(target_id = ${p(f.target)} OR target_id LIKE ${p(`${f.target.replace(/[\\%_]/g, (c) => `\\${c}`)}/%`)} ESCAPE '\\')`);
    if (f.targetType) where.push(`target_type = ${p(f.targetType)}`);
    if (f.action) where.push(`action = ${p(f.action)}`);
    if (f.actor) where.push(`actor = ${p(f.actor)}`);
    if (f.after) where.push(`(at, id) < (${p(f.after.at)}::timestamptz, ${p(f.after.id)}::bigint)`);
    return this.db.query(
      `SELECT id, at, actor, action, target_type, target_id, detail, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at_key FROM audit_log
        ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY at DESC, id DESC LIMIT ${p(f.limit + 1)}`,
      values,
    );
  }
}
