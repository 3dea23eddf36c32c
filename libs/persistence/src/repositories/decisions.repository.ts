import type { DataRequirement, DecisionOutcome, DecisionRule, Translations } from '@levensloop/domain';
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
  /** The outcome an appeal or an objection's review revised the decision to (decision_appeals, decision_objections), if any. */
  revised_outcome?: 'grant' | 'deny' | null;
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

/**
 * A decision with what holds now: the caseworker's override (the gateway's `decision_overrides`)
 * if any, else the referral's decision (the worker's, on the row), in the `override_*` columns.
 */
const DECISION_COLUMNS = `d.journey_id, d.node_key, d.subject_type, d.subject_id, d.agency, d.step_key, d.step_version, d.rule_id, d.rule_version,
         d.inputs, d.outcome, d.branch, d.explanation, d.decided_at,
         coalesce(o.outcome, d.override_outcome) AS override_outcome, coalesce(o.reason, d.override_reason) AS override_reason,
         coalesce(o.overridden_by, d.overridden_by) AS overridden_by, coalesce(o.overridden_at, d.overridden_at) AS overridden_at`;

const DECISION_SELECT = `
  SELECT ${DECISION_COLUMNS}, js.title AS step_title, a.names AS agency_names, st.definition->'dataRequirements' AS requirements, st.definition->'rule' AS rule,
         CASE WHEN ap.status = 'revised' THEN ap.verdict WHEN ob.status = 'revised' THEN ob.verdict END AS revised_outcome
    FROM decisions d
    LEFT JOIN decision_overrides o ON o.journey_id = d.journey_id AND o.node_key = d.node_key
    LEFT JOIN decision_objections ob ON ob.journey_id = d.journey_id AND ob.node_key = d.node_key
    LEFT JOIN decision_appeals ap ON ap.journey_id = d.journey_id AND ap.node_key = d.node_key
    LEFT JOIN journey_steps js ON js.journey_id = d.journey_id AND js.node_key = d.node_key
    LEFT JOIN agencies a ON a.code = d.agency
    LEFT JOIN service_steps st ON st.agency = d.agency AND st.key = d.step_key AND st.version = d.step_version`;

/**
 * Automatic decisions: recorded once by the worker (and a referral's decision by its projection,
 * from the caseworker's answer to the journey), read with their explanation and any override.
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

  /** The decision with what holds now (override or referral decision), read in `db` (a transaction's, to see its own override). */
  async current(db: Db, journeyId: string, nodeKey: string): Promise<DecisionRow | undefined> {
    const rows: DecisionRow[] = await db.query(
      `SELECT ${DECISION_COLUMNS} FROM decisions d LEFT JOIN decision_overrides o ON o.journey_id = d.journey_id AND o.node_key = d.node_key
        WHERE d.journey_id = $1 AND d.node_key = $2`,
      [journeyId, nodeKey],
    );
    return rows[0];
  }
}
