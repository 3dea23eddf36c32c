import type { Translations } from '@levensloop/domain';
import type { Db } from './db';

export interface JourneyStatusCount {
  key: string;
  title: Translations | null;
  status: string;
  n: string;
  /** Seconds from start to completion (completed journeys only). */
  p50: number | null;
  p90: number | null;
}

export interface ServiceNormCount {
  agency: string;
  names: Translations | null;
  steps: string;
  breached: string;
  open_overdue: string;
  warned: string;
  escalated: string;
}

export interface AutomationCount {
  key: string;
  title: Translations | null;
  completed: string;
  automated: string;
}

export interface OnceOnlyCount {
  key: string;
  title: Translations | null;
  journeys: string;
  with_data: string;
  prefilled: string;
  asked: string;
}

/** Aggregate figures over the read model (counts come back as text: bigint). */
export class Stats {
  constructor(private readonly db: Db) {}

  /** Journeys by life event and status, with throughput percentiles of the completed ones. */
  async journeysByStatus(lifeEvent?: string): Promise<JourneyStatusCount[]> {
    return this.db.query(
      `SELECT life_event_key AS key, (array_agg(title ORDER BY life_event_version DESC))[1] AS title, status, count(*) AS n,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM completed_at - started_at)) FILTER (WHERE status = 'completed' AND completed_at IS NOT NULL) AS p50,
              percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM completed_at - started_at)) FILTER (WHERE status = 'completed' AND completed_at IS NOT NULL) AS p90
         FROM journeys ${lifeEvent ? 'WHERE life_event_key = $1' : ''}
        GROUP BY life_event_key, status ORDER BY life_event_key`,
      lifeEvent ? [lifeEvent] : [],
    );
  }

  /** Per agency: steps under a service norm, breaches, open overdue steps, warnings and escalations. */
  async serviceNorms(): Promise<ServiceNormCount[]> {
    return this.db.query(
      `SELECT s.agency, a.names,
              count(*) AS steps,
              -- A step whose legal clock is suspended (it waits on the citizen) is not in breach meanwhile.
              count(*) FILTER (WHERE coalesce(s.completed_at, now()) > s.due_at AND s.status NOT IN ('skipped', 'cancelled')
                                 AND (s.completed_at IS NOT NULL OR s.legal_clock->>'suspendedAt' IS NULL)) AS breached,
              count(*) FILTER (WHERE s.completed_at IS NULL AND s.due_at < now() AND s.status IN ('running', 'waiting', 'needs_attention')
                                 AND s.legal_clock->>'suspendedAt' IS NULL) AS open_overdue,
              count(*) FILTER (WHERE s.warned) AS warned,
              count(*) FILTER (WHERE s.escalated) AS escalated
         FROM journey_steps s LEFT JOIN agencies a ON a.code = s.agency
        WHERE s.due_at IS NOT NULL
        GROUP BY s.agency, a.names ORDER BY s.agency`,
    );
  }

  /** Completed steps per life event, and those no person worked on (automatic calls, decisions without a referral task). */
  async automation(lifeEvent?: string): Promise<AutomationCount[]> {
    return this.db.query(
      `SELECT j.life_event_key AS key, (array_agg(j.title ORDER BY j.life_event_version DESC))[1] AS title,
              count(*) AS completed,
              count(*) FILTER (WHERE s.kind IN ('automatic', 'decision')
                                 AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.journey_id = s.journey_id AND t.node_key = s.node_key AND t.purpose = 'task')) AS automated
         FROM journey_steps s JOIN journeys j ON j.id = s.journey_id
        WHERE s.status = 'completed' ${lifeEvent ? 'AND j.life_event_key = $1' : ''}
        GROUP BY j.life_event_key ORDER BY j.life_event_key`,
      lifeEvent ? [lifeEvent] : [],
    );
  }

  /** Per life event: journeys, journeys with data, and fields pre-filled versus asked. */
  async onceOnly(lifeEvent?: string): Promise<OnceOnlyCount[]> {
    return this.db.query(
      `SELECT j.life_event_key AS key,
              (array_agg(j.title ORDER BY j.life_event_version DESC))[1] AS title,
              count(DISTINCT j.id) AS journeys,
              count(DISTINCT f.journey_id) AS with_data,
              count(f.field) FILTER (WHERE f.origin = 'source') AS prefilled,
              count(f.field) FILTER (WHERE f.origin <> 'source') AS asked
         FROM journeys j LEFT JOIN journey_data_fields f ON f.journey_id = j.id
        ${lifeEvent ? 'WHERE j.life_event_key = $1' : ''}
        GROUP BY j.life_event_key ORDER BY j.life_event_key`,
      lifeEvent ? [lifeEvent] : [],
    );
  }

}
