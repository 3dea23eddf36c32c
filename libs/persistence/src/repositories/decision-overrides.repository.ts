import { queryRows } from '../query';
import type { Db } from './db';
import type { OverrideChange } from './decisions.repository';

/**
 * Caseworkers' overrides of final decisions (`decision_overrides`, the gateway's): a fact that
 * must be recordable whatever the journey's state (a finished journey, one Temporal no longer
 * has), so it is not the journey's write. A running journey is asked as well (its update's
 * validator may refuse), and a refused override is taken back here. `Decisions` reads them with
 * the decision.
 */
export class DecisionOverrides {
  constructor(private readonly db: Db) {}

  /** Records the override (in `tx`, with its audit row) unless the decision has one: false when it had (a retry, or a race lost). */
  async record(journeyId: string, nodeKey: string, o: OverrideChange, tx: Db = this.db): Promise<boolean> {
    const rows = await queryRows(
      tx,
      `INSERT INTO decision_overrides (journey_id, node_key, outcome, reason, overridden_by) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (journey_id, node_key) DO NOTHING RETURNING node_key`,
      [journeyId, nodeKey, o.outcome, o.reason, o.by],
    );
    return rows.length > 0;
  }

  /** Takes back this very override (same outcome and reason); true when there was one to take back. */
  async revert(journeyId: string, nodeKey: string, outcome: string, reason: string, tx: Db = this.db): Promise<boolean> {
    const rows = await queryRows(
      tx,
      `DELETE FROM decision_overrides WHERE journey_id = $1 AND node_key = $2 AND outcome = $3 AND reason = $4 RETURNING node_key`,
      [journeyId, nodeKey, outcome, reason],
    );
    return rows.length > 0;
  }
}
