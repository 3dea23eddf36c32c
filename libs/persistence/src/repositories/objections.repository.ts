import type { DecisionOutcome, ObjectionPolicy, ObjectionStatus, ObjectionVerdict, Translations } from '@levensloop/domain';
import { queryRows } from '../query';
import type { Db } from './db';
import { DecisionStageTable, type FiledRow } from './decision-stage';

export interface ObjectionRow extends FiledRow<ObjectionStatus, ObjectionVerdict> {
  reviewing_agency: string;
  reviewed_by: string | null;
  reviewed_at: Date | null;
}

/** What an objection is checked against: the decision as it holds now, when it became final, and the term its step version declares. */
export interface ObjectableDecision {
  node_key: string;
  agency: string;
  rule_id: string;
  rule_version: number;
  /** The outcome that holds now: an override or a referral's answer, else the rule's. */
  outcome: DecisionOutcome;
  overridden_by: string | null;
  /** When the decision step completed (the read model); null while it has not. */
  completed_at: Date | null;
  step_status: string | null;
  policy: ObjectionPolicy | null;
}

export type NewObjection = Pick<ObjectionRow, 'journey_id' | 'node_key' | 'agency' | 'reviewing_agency' | 'rule_id' | 'rule_version' | 'against' | 'reason' | 'filed_by'> & { term_ends_at: string };

export interface ObjectionReviewChange {
  verdict: ObjectionVerdict;
  explanation: Translations;
  by: string;
}

export interface ObjectionCount {
  rule_id: string;
  rule_version: number;
  objections: number;
  open: number;
  upheld: number;
  revised: number;
  /** The second stage (decision_appeals): appeals filed against these decisions, and those that revised the decision. */
  appeals: number;
  appeals_revised: number;
}

const OBJECTABLE_SELECT = `
  SELECT d.node_key, d.agency, d.rule_id, d.rule_version, coalesce(o.outcome, d.override_outcome, d.outcome) AS outcome,
         coalesce(o.overridden_by, d.overridden_by) AS overridden_by,
         js.completed_at, js.status AS step_status, st.definition->'objection' AS policy
    FROM decisions d
    LEFT JOIN decision_overrides o ON o.journey_id = d.journey_id AND o.node_key = d.node_key
    LEFT JOIN journey_steps js ON js.journey_id = d.journey_id AND js.node_key = d.node_key
    LEFT JOIN service_steps st ON st.agency = d.agency AND st.key = d.step_key AND st.version = d.step_version`;

const COLUMNS = `journey_id, node_key, agency, reviewing_agency, rule_id, rule_version, against, reason, filed_by, filed_at, term_ends_at,
                 status, verdict, explanation, reviewed_by, reviewed_at`;

/**
 * Objections against final decisions (`decision_objections`, the gateway's): recorded with their
 * audit row before the journey is told, taken back when the journey refuses, reviewed once.
 * A fact of the API like an override: it stays recordable whatever the journey's state. Reading,
 * taking back and reviewing are an appeal's too (./decision-stage).
 */
export class DecisionObjections extends DecisionStageTable<ObjectionRow> {
  constructor(db: Db) {
    super(db, 'decision_objections', COLUMNS, 'reviewed');
  }

  /** The decision with its current outcome, completion and objection term; undefined when there is no such decision. */
  async objectable(journeyId: string, nodeKey: string): Promise<ObjectableDecision | undefined> {
    return (await queryRows<ObjectableDecision>(this.db, `${OBJECTABLE_SELECT} WHERE d.journey_id = $1 AND d.node_key = $2`, [journeyId, nodeKey]))[0];
  }

  /** Every decision of a journey, as `objectable` reads one. */
  async objectableOfJourney(journeyId: string): Promise<ObjectableDecision[]> {
    return queryRows<ObjectableDecision>(this.db, `${OBJECTABLE_SELECT} WHERE d.journey_id = $1 ORDER BY d.decided_at, d.node_key`, [journeyId]);
  }

  /** Records the objection (in `tx`, with its audit row); false when the decision already has one. */
  async record(o: NewObjection, tx: Db = this.db): Promise<boolean> {
    return this.changed(
      tx,
      `INSERT INTO decision_objections (journey_id, node_key, agency, reviewing_agency, rule_id, rule_version, against, reason, filed_by, term_ends_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (journey_id, node_key) DO NOTHING RETURNING node_key`,
      [o.journey_id, o.node_key, o.agency, o.reviewing_agency, o.rule_id, o.rule_version, o.against, o.reason, o.filed_by, o.term_ends_at],
    );
  }

  /** Closes a filed objection with the review; false when it was not open (reviewed already, or none). */
  async review(journeyId: string, nodeKey: string, r: ObjectionReviewChange, tx: Db = this.db): Promise<boolean> {
    return this.close(journeyId, nodeKey, r, tx);
  }

  /** Opens this very review again (the journey refused it). */
  async unreview(journeyId: string, nodeKey: string, by: string, tx: Db = this.db): Promise<boolean> {
    return this.reopen(journeyId, nodeKey, by, tx);
  }

  /**
   * Objections and their reviews per rule id and version, with the appeals after them (an appeal
   * belongs to its objection: one each per decision): the feedback a rule owner needs.
   */
  async countsByRule(ruleId?: string): Promise<ObjectionCount[]> {
    return queryRows<ObjectionCount>(
      this.db,
      `SELECT o.rule_id, o.rule_version, count(*)::int AS objections,
              (count(*) FILTER (WHERE o.status = 'filed'))::int AS open,
              (count(*) FILTER (WHERE o.status = 'upheld'))::int AS upheld,
              (count(*) FILTER (WHERE o.status = 'revised'))::int AS revised,
              count(a.node_key)::int AS appeals,
              (count(*) FILTER (WHERE a.status = 'revised'))::int AS appeals_revised
         FROM decision_objections o
         LEFT JOIN decision_appeals a ON a.journey_id = o.journey_id AND a.node_key = o.node_key
        ${ruleId ? 'WHERE o.rule_id = $1' : ''}
        GROUP BY o.rule_id, o.rule_version ORDER BY o.rule_id, o.rule_version`,
      ruleId ? [ruleId] : [],
    );
  }
}
