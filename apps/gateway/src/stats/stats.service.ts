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
    if (!journey || !(await canSeeJourney(p, { subjectId: journey.subject_id, agencies: journey.agencies }, this.mandates))) throw notFound(`Journey ${journeyId}`);
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
