import type { AppointmentSpec } from '@levensloop/domain';
import { isJourneyId, type Db } from './db';

/** What the gateway reads of an appointment step to list free slots: its pinned definition and when it started. */
export interface AppointmentStepRow {
  agency: string;
  step_key: string;
  endpoint: string | null;
  appointment: AppointmentSpec | null;
  started_at: Date | null;
}

/**
 * Appointment steps as the journey pinned them (the life event version's node, the step version
 * it names) with the step's start from the read model. Read only: the journey is the one writer
 * of bookings (they live in its state and timeline).
 */
export class AppointmentSteps {
  constructor(private readonly db: Db) {}

  async find(journeyId: string, nodeKey: string): Promise<AppointmentStepRow | undefined> {
    if (!isJourneyId(journeyId)) return undefined;
    const rows: AppointmentStepRow[] = await this.db.query(
      `SELECT s.agency, s.key AS step_key, s.definition->>'endpoint' AS endpoint, s.definition->'appointment' AS appointment, js.started_at
         FROM journeys j
         JOIN life_events le ON le.key = j.life_event_key AND le.version = j.life_event_version
         CROSS JOIN LATERAL jsonb_array_elements(le.definition->'nodes') AS n(node)
         JOIN service_steps s ON s.agency = n.node->'step'->>'agency' AND s.key = n.node->'step'->>'key'
                             AND s.version = (n.node->'step'->>'version')::int
         LEFT JOIN journey_steps js ON js.journey_id = j.id AND js.node_key = n.node->>'key'
        WHERE j.id = $1 AND n.node->>'key' = $2 AND s.kind = 'appointment'`,
      [journeyId, nodeKey],
    );
    return rows[0];
  }

  /**
   * The booking the step holds now, as its timeline tells it: the last of its booked, moved,
   * cancelled and no-show events (a cancel and a no-show leave none).
   */
  async booking(journeyId: string, nodeKey: string): Promise<{ start: string; end: string; uid: string; sequence: number } | undefined> {
    if (!isJourneyId(journeyId)) return undefined;
    const rows: Array<{ type: string; detail: { start: string; end: string; uid: string; sequence: number } }> = await this.db.query(
      `SELECT type, detail FROM journey_events
        WHERE journey_id = $1 AND node_key = $2
          AND type IN ('step.appointment_booked', 'step.appointment_moved', 'step.appointment_cancelled', 'step.appointment_no_show')
        ORDER BY seq DESC LIMIT 1`,
      [journeyId, nodeKey],
    );
    const last = rows[0];
    if (!last || (last.type !== 'step.appointment_booked' && last.type !== 'step.appointment_moved')) return undefined;
    const { start, end, uid, sequence } = last.detail;
    return { start, end, uid, sequence };
  }
}
