import type { AppealStatus, AppealVerdict, Translations } from '@levensloop/domain';
import type { Db } from './db';
import { DecisionStageTable, type FiledRow } from './decision-stage';

export interface AppealRow extends FiledRow<AppealStatus, AppealVerdict> {
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
 * with their audit row before the journey is told, taken back when it refuses, decided once
 * (reading, taking back and deciding as objections do: ./decision-stage).
 */
export class DecisionAppeals extends DecisionStageTable<AppealRow> {
  constructor(db: Db) {
    super(db, 'decision_appeals', COLUMNS, 'decided');
  }

  /** Records the appeal (in `tx`, with its audit row); false when the decision already has one. */
  async record(a: NewAppeal, tx: Db = this.db): Promise<boolean> {
    return this.changed(
      tx,
      `INSERT INTO decision_appeals (journey_id, node_key, agency, rule_id, rule_version, against, reason, filed_by, term_ends_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (journey_id, node_key) DO NOTHING RETURNING node_key`,
      [a.journey_id, a.node_key, a.agency, a.rule_id, a.rule_version, a.against, a.reason, a.filed_by, a.term_ends_at],
    );
  }

  /** Closes a filed appeal with its decision; false when it was not open. */
  async decide(journeyId: string, nodeKey: string, d: AppealDecisionChange, tx: Db = this.db): Promise<boolean> {
    return this.close(journeyId, nodeKey, d, tx);
  }

  /** Opens this very decision again (the journey refused it). */
  async undecide(journeyId: string, nodeKey: string, by: string, tx: Db = this.db): Promise<boolean> {
    return this.reopen(journeyId, nodeKey, by, tx);
  }
}
