import type { DataRequirement, DecisionOutcome, DecisionRule, Translations } from '@levensloop/domain';
import { queryRows } from '../query';
import { AUDIT_INSERT } from './audit-log.repository';
import type { Db } from './db';

export interface DecisionRow {
  journey_id: string;
  node_key: string;
  subject_type: string;
  subject_id: string;
  agency: string;
  step_key: string;
  step_version: number;
  rule_id: string;
  rule_version: number;
  inputs: Record<string, unknown>;
  outcome: DecisionOutcome;
  branch: number;
  explanation: Translations;
  decided_at: Date;
  override_outcome: 'grant' | 'deny' | null;
  override_reason: string | null;
  overridden_by: string | null;
  overridden_at: Date | null;
}

/** A decision with what a reader needs: the step's title, the agency's names, the step version's data requirements and rule. */
export interface DecisionView extends DecisionRow {
  step_title: Translations | null;
  agency_names: Translations | null;
  requirements: DataRequirement[] | null;
  /** The rule as the step's version defines it (its explanation texts with placeholders). */
  rule: DecisionRule | null;
}

/** What the worker records once per decision step. */
export interface NewDecision {
  journeyId: string;
  nodeKey: string;
  subject: { type: string; id: string };
  agency: string;
  stepKey: string;
  stepVersion: number;
  rule: { id: string; version: number };
  inputs: Record<string, unknown>;
  outcome: DecisionOutcome;
  branch: number;
  explanation: Translations | Record<string, string>;
}

export interface OverrideChange {
  outcome: 'grant' | 'deny';
  reason: string;
  by: string;
}

const DECISION_SELECT = `
  SELECT d.*, js.title AS step_title, a.names AS agency_names, st.definition->'dataRequirements' AS requirements, st.definition->'rule' AS rule
    FROM decisions d
    LEFT JOIN journey_steps js ON js.journey_id = d.journey_id AND js.node_key = d.node_key
    LEFT JOIN agencies a ON a.code = d.agency
    LEFT JOIN service_steps st ON st.agency = d.agency AND st.key = d.step_key AND st.version = d.step_version`;

/**
 * Automatic decisions: recorded once by the worker, read with their explanation by the gateway,
 * overridden by a caseworker of the deciding agency (the override and its audit row together).
 */
export class Decisions {
  constructor(private readonly db: Db) {}

  /** Records the decision once (a retried activity keeps the first) and answers what is recorded. */
  async record(d: NewDecision): Promise<Pick<DecisionRow, 'outcome' | 'branch' | 'explanation'>> {
    await this.db.query(
      `INSERT INTO decisions (journey_id, node_key, subject_type, subject_id, agency, step_key, step_version, rule_id, rule_version,
                              inputs, outcome, branch, explanation)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
       ON CONFLICT (journey_id, node_key) DO NOTHING`,
      [
        d.journeyId, d.nodeKey, d.subject.type, d.subject.id, d.agency, d.stepKey, d.stepVersion,
        d.rule.id, d.rule.version, JSON.stringify(d.inputs), d.outcome, d.branch, JSON.stringify(d.explanation),
      ],
    );
    const [stored]: Array<Pick<DecisionRow, 'outcome' | 'branch' | 'explanation'>> = await this.db.query(
      `SELECT outcome, branch, explanation FROM decisions WHERE journey_id = $1 AND node_key = $2`,
      [d.journeyId, d.nodeKey],
    );
    return stored;
  }

  /** The journey's decisions, in the order they were taken. */
  async ofJourney(journeyId: string): Promise<DecisionView[]> {
    return this.db.query(`${DECISION_SELECT} WHERE d.journey_id = $1 ORDER BY d.decided_at, d.node_key`, [journeyId]);
  }

  async view(journeyId: string, nodeKey: string): Promise<DecisionView | undefined> {
    const rows: DecisionView[] = await this.db.query(`${DECISION_SELECT} WHERE d.journey_id = $1 AND d.node_key = $2`, [journeyId, nodeKey]);
    return rows[0];
  }

  /** The deciding agency of a step's decision, if it decided. */
  async agencyOf(journeyId: string, nodeKey: string): Promise<string | undefined> {
    const rows: Array<{ agency: string }> = await this.db.query(`SELECT agency FROM decisions WHERE journey_id = $1 AND node_key = $2`, [journeyId, nodeKey]);
    return rows[0]?.agency;
  }

  /** The decision, locked for the rest of the transaction `tx`. */
  async lock(tx: Db, journeyId: string, nodeKey: string): Promise<DecisionRow | undefined> {
    const rows: DecisionRow[] = await tx.query(`SELECT * FROM decisions WHERE journey_id = $1 AND node_key = $2 FOR UPDATE`, [journeyId, nodeKey]);
    return rows[0];
  }

  async setOverride(tx: Db, journeyId: string, nodeKey: string, o: OverrideChange): Promise<void> {
    await queryRows(tx, `UPDATE decisions SET override_outcome = $3, override_reason = $4, overridden_by = $5, overridden_at = now() WHERE journey_id = $1 AND node_key = $2`, [
      journeyId, nodeKey, o.outcome, o.reason, o.by,
    ]);
  }

  /** Undoes this very override (same outcome and reason); true when there was one to undo. */
  async clearOverride(tx: Db, journeyId: string, nodeKey: string, outcome: string, reason: string): Promise<boolean> {
    const reverted = await queryRows(
      tx,
      `UPDATE decisions SET override_outcome = NULL, override_reason = NULL, overridden_by = NULL, overridden_at = NULL
        WHERE journey_id = $1 AND node_key = $2 AND override_outcome = $3 AND override_reason = $4 RETURNING node_key`,
      [journeyId, nodeKey, outcome, reason],
    );
    return reverted.length > 0;
  }

  /**
   * A decision the rule referred to a caseworker: their approve/reject is the decision, recorded
   * on the decision (as decided by a person, with their reason) and audited, in one statement.
   */
  async recordReferralDecision(journeyId: string, nodeKey: string, o: OverrideChange): Promise<void> {
    await this.db.query(
      `WITH decided AS (
         UPDATE decisions SET override_outcome = $3, override_reason = $4, overridden_by = $5, overridden_at = now()
          WHERE journey_id = $1 AND node_key = $2 AND outcome = 'refer' AND override_outcome IS NULL
         RETURNING journey_id, node_key)
       ${AUDIT_INSERT}
       SELECT $5, 'decision.referral_decided', 'decision', journey_id::text || '/' || node_key, jsonb_build_object('outcome', $3::text, 'reason', $4::text)
         FROM decided`,
      [journeyId, nodeKey, o.outcome, o.reason, o.by],
    );
  }
}
