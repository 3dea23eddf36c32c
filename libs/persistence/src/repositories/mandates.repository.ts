import type { DataSource, EntityManager } from 'typeorm';
import type { MandateAccess } from '@levensloop/domain';
import { queryRows } from '../query';

export type { MandateAccess } from '@levensloop/domain';

/** One `mandates` row. */
export interface MandateRow {
  holder_id: string;
  subject_type: string;
  subject_id: string;
  kind: string;
  source: string;
  valid_from: Date;
  valid_until: Date | null;
  access: MandateAccess;
  life_events: string[] | null;
}

/** A held mandate as a grant sees it: whether it still runs, and what it covers. */
export interface HeldMandate {
  holder_id: string;
  valid_until: Date | null;
  access: MandateAccess;
  life_events: string[] | null;
  running: boolean;
}

type Db = DataSource | EntityManager;

/**
 * The `mandates` table, and the one place that says when a mandate counts: it runs (started and
 * not ended), its life events cover the journey's (or it covers all), and it lets its holder act
 * when acting is asked. Every read and write of mandates goes through here. Readers ask
 * `mandates_in_force`: these rows and the accepted mandates people grant (`GrantedMandates`).
 */
export class Mandates {
  constructor(private readonly db: DataSource) {}

  /** SQL that holds while a mandate row (columns unqualified or with `alias.`) runs: started, and not (yet) ended. */
  static runsSql(alias = ''): string {
    const a = alias ? `${alias}.` : '';
    return `${a}valid_from <= now() AND (${a}valid_until IS NULL OR ${a}valid_until > now())`;
  }

  /**
   * SQL that holds when a mandate row covers a life event (an SQL expression, e.g.
   * `journeys.life_event_key`; absent: regardless of life event) at an access level, for
   * statements of other repositories that join mandates (one question, asked the same way).
   */
  static coversSql(lifeEventExpr: string | undefined, access: MandateAccess, alias = ''): string {
    const a = alias ? `${alias}.` : '';
    return [Mandates.runsSql(alias), lifeEventExpr ? `(${a}life_events IS NULL OR ${lifeEventExpr} = ANY(${a}life_events))` : undefined, access === 'act' ? `${a}access = 'act'` : undefined]
      .filter(Boolean)
      .join(' AND ');
  }

  /** Whether one of `holderIds` holds a mandate for the subject that covers the need. */
  async covers(holderIds: string[], subjectId: string, need: { lifeEvent?: string; access: MandateAccess }): Promise<boolean> {
    const rows = await queryRows(
      this.db,
      `SELECT 1 FROM mandates_in_force WHERE holder_id = ANY($1) AND subject_id = $2 AND ${Mandates.coversSql(need.lifeEvent ? '$3::text' : undefined, need.access)} LIMIT 1`,
      need.lifeEvent ? [holderIds, subjectId, need.lifeEvent] : [holderIds, subjectId],
    );
    return rows.length > 0;
  }

  /** The subjects `holderIds` hold a covering mandate for, with its kinds. */
  async subjectsOf(holderIds: string[], access: MandateAccess): Promise<Array<{ subject_id: string; kinds: string[] }>> {
    return queryRows(
      this.db,
      `SELECT subject_id, array_agg(DISTINCT kind ORDER BY kind) AS kinds FROM mandates_in_force
        WHERE holder_id = ANY($1) AND ${Mandates.coversSql(undefined, access)} GROUP BY subject_id`,
      [holderIds],
    );
  }

  /** Running mandates held by or over any of `ids`, newest first; `mine` when one of them holds it. */
  async runningAround(ids: string[]): Promise<Array<MandateRow & { mine: boolean }>> {
    return queryRows(
      this.db,
      `SELECT *, holder_id = ANY($1) AS mine FROM mandates_in_force
        WHERE (holder_id = ANY($1) OR subject_id = ANY($1)) AND ${Mandates.runsSql()}
        ORDER BY valid_from DESC, subject_id, kind`,
      [ids],
    );
  }

  /** The mandates of a kind the holders have over a subject, locked for the grant's transaction. */
  async lockHeld(tx: EntityManager, subjectId: string, kind: string, holders: string[]): Promise<HeldMandate[]> {
    return queryRows<HeldMandate>(
      tx,
      `SELECT holder_id, valid_until, access, life_events, (${Mandates.runsSql()}) AS running
         FROM mandates WHERE subject_id = $1 AND kind = $2 AND holder_id = ANY($3) FOR UPDATE`,
      [subjectId, kind, holders],
    );
  }

  /** Inserts a new mandate; false when one of that holder, subject and kind is there already. */
  async insert(tx: Db, m: Omit<MandateRow, 'valid_from'>): Promise<boolean> {
    const inserted = await queryRows(
      tx,
      `INSERT INTO mandates (holder_id, subject_type, subject_id, kind, source, valid_until, access, life_events)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (holder_id, subject_id, kind) DO NOTHING RETURNING holder_id`,
      [m.holder_id, m.subject_type, m.subject_id, m.kind, m.source, m.valid_until, m.access, m.life_events],
    );
    return inserted.length > 0;
  }

  /** Renews (an ended one starts again now) or widens a mandate, with its new end and scope. */
  async renew(tx: Db, m: Omit<MandateRow, 'valid_from' | 'subject_type'>): Promise<void> {
    await tx.query(
      `UPDATE mandates SET valid_from = CASE WHEN ${Mandates.runsSql()} THEN valid_from ELSE now() END, valid_until = $4, access = $5, life_events = $6, source = $7
        WHERE holder_id = $1 AND subject_id = $2 AND kind = $3`,
      [m.holder_id, m.subject_id, m.kind, m.valid_until, m.access, m.life_events, m.source],
    );
  }

  /** Ends, now, the running mandates a source granted for a subject. */
  async endFromSource(tx: Db, subjectId: string, source: string): Promise<Array<{ holder_id: string; kind: string; subject_type: string }>> {
    return queryRows(
      tx,
      `UPDATE mandates SET valid_until = now() WHERE subject_id = $1 AND source = $2 AND (valid_until IS NULL OR valid_until > now()) RETURNING holder_id, kind, subject_type`,
      [subjectId, source],
    );
  }
}
