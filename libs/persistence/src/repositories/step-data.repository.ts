import type { DataRequirement, Translations } from '@levensloop/domain';
import { isJourneyId, type Db } from './db';

/** `source`: read from an authentic source; `citizen`: given by the citizen. */
export type FieldOrigin = 'source' | 'citizen';

export interface StepFieldRow {
  node_key: string;
  source: string;
  field: string;
  origin: FieldOrigin;
  value: unknown;
  at: Date;
}

/** A node of a journey's pinned life-event version, with its step's declared data requirements. */
export interface PinnedStep {
  node_key: string;
  agency: string;
  step_key: string;
  title: Translations | null;
  requirements: DataRequirement[] | null;
}

/**
 * What each journey step used (`journey_data_fields`): written by the worker's data preparation,
 * read by the worker's steps, the gateway's purpose-limited reads and the once-only figures; and
 * the steps as a journey's pinned life-event version declares them.
 */
export class StepData {
  constructor(private readonly db: Db) {}

  /** Stores a value for a step's field (a later one for the same field replaces it). */
  async put(journeyId: string, nodeKey: string, field: { source: string; field: string }, origin: FieldOrigin, value: unknown): Promise<void> {
    await this.db.query(
      `INSERT INTO journey_data_fields (journey_id, node_key, source, field, origin, value) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (journey_id, node_key, source, field) DO UPDATE SET value = EXCLUDED.value, origin = EXCLUDED.origin, at = now()`,
      [journeyId, nodeKey, field.source, field.field, origin, JSON.stringify(value)],
    );
  }

  /** A step's fields (all, or those whose `source/field` is in `ids`), by source and field. */
  async ofStep(journeyId: string, nodeKey: string, ids?: string[], db: Db = this.db): Promise<StepFieldRow[]> {
    return ids
      ? db.query(
          `SELECT node_key, source, field, origin, value, at FROM journey_data_fields
            WHERE journey_id = $1 AND node_key = $2 AND (source || '/' || field) = ANY($3)`,
          [journeyId, nodeKey, ids],
        )
      : db.query(`SELECT node_key, source, field, origin, value, at FROM journey_data_fields WHERE journey_id = $1 AND node_key = $2 ORDER BY source, field`, [
          journeyId,
          nodeKey,
        ]);
  }

  /** Every step's fields of a journey (without values). */
  async ofJourney(journeyId: string): Promise<Array<Omit<StepFieldRow, 'value'>>> {
    return this.db.query(`SELECT node_key, source, field, origin, at FROM journey_data_fields WHERE journey_id = $1`, [journeyId]);
  }

  /** Fields per life event and origin over all journeys (the once-only figures on /metrics). */
  async countsByLifeEvent(): Promise<Array<{ life_event: string; origin: FieldOrigin; n: string }>> {
    return this.db.query(
      `SELECT j.life_event_key AS life_event, f.origin, count(*) AS n
         FROM journey_data_fields f JOIN journeys j ON j.id = f.journey_id
        GROUP BY j.life_event_key, f.origin`,
    );
  }

  /**
   * The step of a node as the journey runs it: its agency and the data requirements of the step
   * version its pinned life-event version references (published versions never change), with the
   * journey's subject. Undefined when the journey or the node is not there.
   */
  async pinnedStep(journeyId: string, nodeKey: string): Promise<(PinnedStep & { subject_type: string; subject_id: string }) | undefined> {
    if (!isJourneyId(journeyId)) return undefined;
    const rows: Array<PinnedStep & { subject_type: string; subject_id: string }> = await this.db.query(
      `SELECT j.subject_type, j.subject_id, n.node->>'key' AS node_key, n.node->'step'->>'agency' AS agency, n.node->'step'->>'key' AS step_key,
              NULL::jsonb AS title, s.definition->'dataRequirements' AS requirements
         FROM journeys j
         JOIN life_events le ON le.key = j.life_event_key AND le.version = j.life_event_version
         CROSS JOIN LATERAL jsonb_array_elements(le.definition->'nodes') AS n(node)
         LEFT JOIN service_steps s ON s.agency = n.node->'step'->>'agency' AND s.key = n.node->'step'->>'key'
                                  AND s.version = (n.node->'step'->>'version')::int
        WHERE j.id = $1 AND n.node->>'key' = $2`,
      [journeyId, nodeKey],
    );
    return rows[0];
  }

  /** Every node of a life-event version in its order, with the journey's step titles. */
  async pinnedSteps(journeyId: string, lifeEvent: { key: string; version: number }): Promise<PinnedStep[]> {
    return this.db.query(
      `SELECT n.node->>'key' AS node_key, n.node->'step'->>'agency' AS agency, n.node->'step'->>'key' AS step_key, js.title,
              s.definition->'dataRequirements' AS requirements
         FROM life_events le
         CROSS JOIN LATERAL jsonb_array_elements(le.definition->'nodes') WITH ORDINALITY AS n(node, ord)
         LEFT JOIN service_steps s ON s.agency = n.node->'step'->>'agency' AND s.key = n.node->'step'->>'key'
                                  AND s.version = (n.node->'step'->>'version')::int
         LEFT JOIN journey_steps js ON js.journey_id = $3 AND js.node_key = n.node->>'key'
        WHERE le.key = $1 AND le.version = $2
        ORDER BY n.ord`,
      [lifeEvent.key, lifeEvent.version, journeyId],
    );
  }
}
