import { Injectable, type OnModuleInit } from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { DataRequirement, Language, Translations } from '@levensloop/domain';
import type { Principal } from '../auth/principal';
import { notFound } from '../common/problem';
import { describeField, isUuid, tr } from '../data-access/reading';
import { canSeeJourney } from '../journeys/journey-access';
import { MandatesService } from '../mandates/mandates.service';
import { setOnceOnlyFieldsReader } from '../metrics/metrics';

/** prefilled / (prefilled + asked); undefined while nothing was requested (not 0: nothing was asked either). */
const rate = (prefilled: number, asked: number) => (prefilled + asked > 0 ? Math.round((prefilled / (prefilled + asked)) * 10_000) / 10_000 : undefined);

/**
 * The once-only rate: of the fields steps needed, how many came from an authentic source
 * (pre-filled) rather than from the citizen (asked). Per journey, per life event, and on /metrics.
 */
@Injectable()
export class StatsService implements OnModuleInit {
  constructor(
    private readonly db: DataSource,
    private readonly mandates: MandatesService,
  ) {}

  onModuleInit() {
    setOnceOnlyFieldsReader(async () => {
      const rows: Array<{ life_event: string; origin: string; n: string }> = await this.db.query(
        `SELECT j.life_event_key AS life_event, f.origin, count(*) AS n
           FROM journey_data_fields f JOIN journeys j ON j.id = f.journey_id
          GROUP BY j.life_event_key, f.origin`,
      );
      return rows.map((r) => ({ lifeEvent: r.life_event, origin: r.origin === 'source' ? 'prefilled' : 'asked', count: Number(r.n) }));
    });
  }

  /** Per step: which fields were pre-filled, which asked, which still pending; and the journey's rate. */
  async journeyDataUse(p: Principal, journeyId: string, lang: Language) {
    const rows: Array<{ subject_id: string; agencies: string[]; life_event_key: string; life_event_version: number }> = isUuid(journeyId)
      ? await this.db.query(`SELECT subject_id, agencies, life_event_key, life_event_version FROM journeys WHERE id = $1`, [journeyId])
      : [];
    const journey = rows[0];
    if (!journey || !(await canSeeJourney(p, { subjectId: journey.subject_id, agencies: journey.agencies, lifeEvent: journey.life_event_key }, this.mandates))) throw notFound(`Journey ${journeyId}`);
    const [steps, fields]: [Array<{ node_key: string; agency: string; title: Translations | null; requirements: DataRequirement[] | null }>, Array<{ node_key: string; source: string; field: string; origin: string; at: Date }>] = await Promise.all([
      // Declared requirements of each node's pinned step version; the step's title from the read model.
      this.db.query(
        `SELECT n.node->>'key' AS node_key, n.node->'step'->>'agency' AS agency, js.title, s.definition->'dataRequirements' AS requirements
           FROM life_events le
           CROSS JOIN LATERAL jsonb_array_elements(le.definition->'nodes') WITH ORDINALITY AS n(node, ord)
           LEFT JOIN service_steps s ON s.agency = n.node->'step'->>'agency' AND s.key = n.node->'step'->>'key'
                                    AND s.version = (n.node->'step'->>'version')::int
           LEFT JOIN journey_steps js ON js.journey_id = $3 AND js.node_key = n.node->>'key'
          WHERE le.key = $1 AND le.version = $2
          ORDER BY n.ord`,
        [journey.life_event_key, journey.life_event_version, journeyId],
      ),
      this.db.query(`SELECT node_key, source, field, origin, at FROM journey_data_fields WHERE journey_id = $1`, [journeyId]),
    ]);
    const byNode = new Map<string, typeof fields>();
    for (const f of fields) byNode.set(f.node_key, [...(byNode.get(f.node_key) ?? []), f]);
    let prefilled = 0;
    let asked = 0;
    const stepViews = steps
      .map((s) => {
        const used = byNode.get(s.node_key) ?? [];
        const seen = new Set(used.map((f) => `${f.source}/${f.field}`));
        const view = (f: { source: string; field: string }) => describeField(f.source, f.field, lang);
        const stepPrefilled = used.filter((f) => f.origin === 'source').map(view);
        const stepAsked = used.filter((f) => f.origin !== 'source').map(view);
        prefilled += stepPrefilled.length;
        asked += stepAsked.length;
        return {
          node: s.node_key,
          agency: s.agency,
          title: tr(s.title, lang) ?? s.node_key,
          prefilled: stepPrefilled,
          asked: stepAsked,
          // Declared but not obtained yet (the step has not run, or waits for the citizen).
          pending: (s.requirements ?? []).filter((r) => !seen.has(`${r.source}/${r.field}`)).map(view),
          onceOnlyRate: rate(stepPrefilled.length, stepAsked.length),
        };
      })
      .filter((s) => s.prefilled.length + s.asked.length + s.pending.length > 0);
    return { journeyId, fields: { prefilled, asked }, onceOnlyRate: rate(prefilled, asked), steps: stepViews };
  }

  /** Journeys by status per life event; throughput (start to completion) of the completed ones. */
  async journeys(lifeEvent: string | undefined, lang: Language) {
    const rows: Array<{ key: string; title: Translations | null; status: string; n: string; p50: number | null; p90: number | null }> = await this.db.query(
      `SELECT life_event_key AS key, (array_agg(title ORDER BY life_event_version DESC))[1] AS title, status, count(*) AS n,
              percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM completed_at - started_at)) FILTER (WHERE status = 'completed' AND completed_at IS NOT NULL) AS p50,
              percentile_cont(0.9) WITHIN GROUP (ORDER BY extract(epoch FROM completed_at - started_at)) FILTER (WHERE status = 'completed' AND completed_at IS NOT NULL) AS p90
         FROM journeys ${lifeEvent ? 'WHERE life_event_key = $1' : ''}
        GROUP BY life_event_key, status ORDER BY life_event_key`,
      lifeEvent ? [lifeEvent] : [],
    );
    const empty = () => ({ running: 0, needs_attention: 0, completed: 0, cancelled: 0 });
    const byKey = new Map<string, { lifeEvent: string; title: string; journeys: number; byStatus: ReturnType<typeof empty>; throughput: { completed: number; medianMs?: number; p90Ms?: number } }>();
    const total = empty();
    for (const r of rows) {
      const item = byKey.get(r.key) ?? { lifeEvent: r.key, title: tr(r.title, lang) ?? r.key, journeys: 0, byStatus: empty(), throughput: { completed: 0 } };
      byKey.set(r.key, item);
      const n = Number(r.n);
      item.journeys += n;
      if (r.status in item.byStatus) {
        item.byStatus[r.status as keyof ReturnType<typeof empty>] += n;
        total[r.status as keyof ReturnType<typeof empty>] += n;
      }
      if (r.status === 'completed' && r.p50 !== null) {
        item.throughput = { completed: n, medianMs: Math.round(Number(r.p50) * 1000), p90Ms: Math.round(Number(r.p90) * 1000) };
      }
    }
    const items = [...byKey.values()];
    return { items, byStatus: total, journeys: items.reduce((n, i) => n + i.journeys, 0) };
  }

  /** Per agency: steps under a service norm, how many breached it, warnings and escalations. */
  async serviceNorms(lang: Language) {
    const rows: Array<{ agency: string; names: Translations | null; steps: string; breached: string; open_overdue: string; warned: string; escalated: string }> = await this.db.query(
      `SELECT s.agency, a.names,
              count(*) AS steps,
              count(*) FILTER (WHERE coalesce(s.completed_at, now()) > s.due_at AND s.status NOT IN ('skipped', 'cancelled')) AS breached,
              count(*) FILTER (WHERE s.completed_at IS NULL AND s.due_at < now() AND s.status IN ('running', 'waiting', 'needs_attention')) AS open_overdue,
              count(*) FILTER (WHERE s.warned) AS warned,
              count(*) FILTER (WHERE s.escalated) AS escalated
         FROM journey_steps s LEFT JOIN agencies a ON a.code = s.agency
        WHERE s.due_at IS NOT NULL
        GROUP BY s.agency, a.names ORDER BY s.agency`,
    );
    return {
      items: rows.map((r) => ({
        agency: r.agency,
        name: tr(r.names, lang) ?? r.agency,
        steps: Number(r.steps),
        breached: Number(r.breached),
        openOverdue: Number(r.open_overdue),
        warned: Number(r.warned),
        escalated: Number(r.escalated),
        breachRate: rate(Number(r.breached), Number(r.steps) - Number(r.breached)),
      })),
    };
  }

  /**
   * The automation rate: of the completed steps, those no person worked on: automatic calls,
   * and decisions the rule took alone (a decision referred to a caseworker has a task).
   */
  async automation(lifeEvent: string | undefined, lang: Language) {
    const rows: Array<{ key: string; title: Translations | null; completed: string; automated: string }> = await this.db.query(
      `SELECT j.life_event_key AS key, (array_agg(j.title ORDER BY j.life_event_version DESC))[1] AS title,
              count(*) AS completed,
              count(*) FILTER (WHERE s.kind IN ('automatic', 'decision')
                                 AND NOT EXISTS (SELECT 1 FROM tasks t WHERE t.journey_id = s.journey_id AND t.node_key = s.node_key AND t.purpose = 'task')) AS automated
         FROM journey_steps s JOIN journeys j ON j.id = s.journey_id
        WHERE s.status = 'completed' ${lifeEvent ? 'AND j.life_event_key = $1' : ''}
        GROUP BY j.life_event_key ORDER BY j.life_event_key`,
      lifeEvent ? [lifeEvent] : [],
    );
    const items = rows.map((r) => ({
      lifeEvent: r.key,
      title: tr(r.title, lang) ?? r.key,
      completedSteps: Number(r.completed),
      automated: Number(r.automated),
      automationRate: rate(Number(r.automated), Number(r.completed) - Number(r.automated)),
    }));
    const completedSteps = items.reduce((n, i) => n + i.completedSteps, 0);
    const automated = items.reduce((n, i) => n + i.automated, 0);
    return { items, completedSteps, automated, automationRate: rate(automated, completedSteps - automated) };
  }

  /** Per life event: fields pre-filled and asked over all its journeys, the rate, and how many journeys. */
  async onceOnly(lifeEvent: string | undefined, lang: Language) {
    const rows: Array<{ key: string; title: Translations | null; journeys: string; with_data: string; prefilled: string; asked: string }> = await this.db.query(
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
    const items = rows.map((r) => ({
      lifeEvent: r.key,
      title: tr(r.title, lang) ?? r.key,
      journeys: Number(r.journeys),
      journeysWithData: Number(r.with_data),
      fields: { prefilled: Number(r.prefilled), asked: Number(r.asked) },
      onceOnlyRate: rate(Number(r.prefilled), Number(r.asked)),
    }));
    const prefilled = items.reduce((n, i) => n + i.fields.prefilled, 0);
    const asked = items.reduce((n, i) => n + i.fields.asked, 0);
    return { items, total: { journeys: items.reduce((n, i) => n + i.journeys, 0), fields: { prefilled, asked }, onceOnlyRate: rate(prefilled, asked) } };
  }
}
