import type { DecisionOutcome, Translations } from '@levensloop/domain';
import { queryRows } from '../query';
import type { Db } from './db';

/** What an objection's row and an appeal's share; each adds its agency and who closed it when. */
export interface FiledRow<Status extends string = string, Verdict extends string = string> {
  journey_id: string;
  node_key: string;
  agency: string;
  rule_id: string;
  rule_version: number;
  against: DecisionOutcome;
  reason: string;
  filed_by: string;
  filed_at: Date;
  term_ends_at: Date;
  status: Status;
  verdict: Verdict | null;
  explanation: Translations | null;
}

/**
 * An objection and an appeal are the same record in two tables, one owner each
 * (`decision_objections`, `decision_appeals`): filed once per decision, taken back while filed
 * when the journey refuses it, closed once by a verdict and opened again when the journey refuses
 * that. The two repositories share these statements; only the table and who closes (`reviewed` or
 * `decided`) differ.
 */
export abstract class DecisionStageTable<Row> {
  protected constructor(
    protected readonly db: Db,
    private readonly table: 'decision_objections' | 'decision_appeals',
    private readonly columns: string,
    private readonly closer: 'reviewed' | 'decided',
  ) {}

  async of(journeyId: string, nodeKey: string, tx: Db = this.db): Promise<Row | undefined> {
    return (await queryRows<Row>(tx, `SELECT ${this.columns} FROM ${this.table} WHERE journey_id = $1 AND node_key = $2`, [journeyId, nodeKey]))[0];
  }

  async ofJourney(journeyId: string): Promise<Row[]> {
    return queryRows<Row>(this.db, `SELECT ${this.columns} FROM ${this.table} WHERE journey_id = $1 ORDER BY filed_at`, [journeyId]);
  }

  /** Takes back this very record while it is still filed (the journey refused it). */
  async revert(journeyId: string, nodeKey: string, filedBy: string, reason: string, tx: Db = this.db): Promise<boolean> {
    return this.changed(
      tx,
      `DELETE FROM ${this.table} WHERE journey_id = $1 AND node_key = $2 AND filed_by = $3 AND reason = $4 AND status = 'filed' RETURNING node_key`,
      [journeyId, nodeKey, filedBy, reason],
    );
  }

  /** Closes a filed record with its verdict; false when it was not open (closed already, or none). */
  protected close(journeyId: string, nodeKey: string, c: { verdict: string; explanation: unknown; by: string }, tx: Db): Promise<boolean> {
    return this.changed(
      tx,
      `UPDATE ${this.table} SET status = CASE WHEN $3 = 'uphold' THEN 'upheld' ELSE 'revised' END, verdict = $3, explanation = $4::jsonb,
              ${this.closer}_by = $5, ${this.closer}_at = now()
        WHERE journey_id = $1 AND node_key = $2 AND status = 'filed' RETURNING node_key`,
      [journeyId, nodeKey, c.verdict, JSON.stringify(c.explanation), c.by],
    );
  }

  /** Opens this very verdict again (the journey refused it). */
  protected reopen(journeyId: string, nodeKey: string, by: string, tx: Db): Promise<boolean> {
    return this.changed(
      tx,
      `UPDATE ${this.table} SET status = 'filed', verdict = NULL, explanation = NULL, ${this.closer}_by = NULL, ${this.closer}_at = NULL
        WHERE journey_id = $1 AND node_key = $2 AND ${this.closer}_by = $3 RETURNING node_key`,
      [journeyId, nodeKey, by],
    );
  }

  /** Whether a statement that returns the rows it touched touched any. */
  protected async changed(tx: Db, sql: string, params: unknown[]): Promise<boolean> {
    return (await queryRows(tx, sql, params)).length > 0;
  }
}
