import type { AppealStatus, AppealVerdict, DecisionOutcome, Translations } from '@levensloop/domain';
import { queryRows } from '../query';
import type { Db } from './db';

export interface AppealRow {
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
  status: AppealStatus;
  verdict: AppealVerdict | null;
  explanation: Translations | null;
  decided_by: string | null;
  decided_at: Date | null;
}

export type NewAppeal = Pick<AppealRow, 'journey_id' | 'node_key' | 'agency' | 'rule_id' | 'rule_version' | 'against' | 'reason' | 'filed_by'> & { term_ends_at: string };

export interface AppealDecisionChange {
  verdict: AppealVerdict;
  explanation: Translations;
  by: string;
}

const COLUMNS = `journey_id, node_key, agency, rule_id, rule_version, against, reason, filed_by, filed_at, term_ends_at,
                 status, verdict, explanation, decided_by, decided_at`;

/**
 * Appeals after upheld objections (`decision_appeals`, the gateway's, as objections are): recorded
 * with their audit row before the journey is told, taken back when it refuses, decided once.
 */
export class DecisionAppeals {
  constructor(private readonly db: Db) {}

  async of(journeyId: string, nodeKey: string, tx: Db = this.db): Promise<AppealRow | undefined> {
    return (await queryRows<AppealRow>(tx, `SELECT ${COLUMNS} FROM decision_appeals WHERE journey_id = $1 AND node_key = $2`, [journeyId, nodeKey]))[0];
  }

  async ofJourney(journeyId: string): Promise<AppealRow[]> {
    return queryRows<AppealRow>(this.db, `SELECT ${COLUMNS} FROM decision_appeals WHERE journey_id = $1 ORDER BY filed_at`, [journeyId]);
  }

  /** Records the appeal (in `tx`, with its audit row); false when the decision already has one. */
  async record(a: NewAppeal, tx: Db = this.db): Promise<boolean> {
    const rows = await queryRows(
      tx,
      `INSERT INTO decision_appeals (journey_id, node_key, agency, rule_id, rule_version, against, reason, filed_by, term_ends_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (journey_id, node_key) DO NOTHING RETURNING node_key`,
      [a.journey_id, a.node_key, a.agency, a.rule_id, a.rule_version, a.against, a.reason, a.filed_by, a.term_ends_at],
    );
    return rows.length > 0;
  }

  /** Takes back this very appeal while it is not decided (the journey refused it). */
  async revert(journeyId: string, nodeKey: string, filedBy: string, reason: string, tx: Db = this.db): Promise<boolean> {
    const rows = await queryRows(
      tx,
      `DELETE FROM decision_appeals WHERE journey_id = $1 AND node_key = $2 AND filed_by = $3 AND reason = $4 AND status = 'filed' RETURNING node_key`,
      [journeyId, nodeKey, filedBy, reason],
    );
    return rows.length > 0;
  }

  /** Closes a filed appeal with its decision; false when it was not open. */
  async decide(journeyId: string, nodeKey: string, d: AppealDecisionChange, tx: Db = this.db): Promise<boolean> {
    const rows = await queryRows(
      tx,
      `UPDATE decision_appeals SET status = CASE WHEN $3 = 'uphold' THEN 'upheld' ELSE 'revised' END, verdict = $3, explanation = $4::jsonb,
              decided_by = $5, decided_at = now()
        WHERE journey_id = $1 AND node_key = $2 AND status = 'filed' RETURNING node_key`,
      [journeyId, nodeKey, d.verdict, JSON.stringify(d.explanation), d.by],
    );
    return rows.length > 0;
  }

  /** Opens this very decision again (the journey refused it). */
  async undecide(journeyId: string, nodeKey: string, by: string, tx: Db = this.db): Promise<boolean> {
    const rows = await queryRows(
      tx,
      `UPDATE decision_appeals SET status = 'filed', verdict = NULL, explanation = NULL, decided_by = NULL, decided_at = NULL
        WHERE journey_id = $1 AND node_key = $2 AND decided_by = $3 RETURNING node_key`,
      [journeyId, nodeKey, by],
    );
    return rows.length > 0;
  }
}
