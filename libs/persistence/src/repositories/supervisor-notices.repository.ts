import type { Db } from './db';

/** A notice to an agency's supervisors, with what it needs to be told: the step's and the journey's titles, the task. */
export interface SupervisorNoticeRow {
  id: string;
  journey_id: string;
  node_key: string;
  agency: string;
  kind: string;
  task_id: string | null;
  detail: Record<string, unknown> | null;
  created_at: Date;
  step_title: Record<string, string> | null;
  journey_title: Record<string, string> | null;
  due_at: Date | null;
  /** The task's state now (null: the step has no caseworker task). */
  task_status: string | null;
  task_claimed_by: string | null;
  task_team: string | null;
}

/**
 * What an agency's supervisors are told (escalations). Only the journey projection writes them
 * (see journey-projection.sql.ts); the gateway reads them for the agency's supervisors.
 */
export class SupervisorNotices {
  constructor(private readonly db: Db) {}

  /** The agency's notices, newest first (at most `limit`, 200 at most). */
  async list(agency: string, limit = 100): Promise<SupervisorNoticeRow[]> {
    return this.db.query(
      `SELECT n.id::text AS id, n.journey_id, n.node_key, n.agency, n.kind, n.task_id, n.detail, n.created_at,
              s.title AS step_title, j.title AS journey_title, s.due_at,
              t.status AS task_status, t.claimed_by AS task_claimed_by, t.team AS task_team
         FROM supervisor_notices n
         JOIN journeys j ON j.id = n.journey_id
         LEFT JOIN journey_steps s ON s.journey_id = n.journey_id AND s.node_key = n.node_key
         LEFT JOIN tasks t ON t.id = n.task_id
        WHERE n.agency = $1
        ORDER BY n.created_at DESC, n.id DESC
        LIMIT $2`,
      [agency, Math.min(Math.max(limit, 1), 200)],
    );
  }
}
