import { Injectable, type OnModuleInit } from '@nestjs/common';
import type { Language } from '@levensloop/domain';
import { Stats, StepData } from '@levensloop/persistence';
import type { Principal } from '../auth/principal';
import { AccessService } from '../access/access.service';
import { describeField, tr } from '../data-access/reading';
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
    private readonly stats: Stats,
    private readonly stepData: StepData,
    private readonly access: AccessService,
  ) {}

  onModuleInit() {
    setOnceOnlyFieldsReader(async () => {
      const rows = await this.stepData.countsByLifeEvent();
      return rows.map((r) => ({ lifeEvent: r.life_event, origin: r.origin === 'source' ? 'prefilled' : 'asked', count: Number(r.n) }));
    });
  }

  /** Per step: which fields were pre-filled, which asked, which still pending; and the journey's rate. */
  async journeyDataUse(p: Principal, journeyId: string, lang: Language) {
    const journey = await this.access.visibleJourney(p, journeyId);
    const [steps, fields] = await Promise.all([
      // Declared requirements of each node's pinned step version; the step's title from the read model.
      this.stepData.pinnedSteps(journeyId, { key: journey.life_event_key, version: journey.life_event_version }),
      this.stepData.ofJourney(journeyId),
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
    const rows = await this.stats.journeysByStatus(lifeEvent);
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
    const rows = await this.stats.serviceNorms();
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
    const rows = await this.stats.automation(lifeEvent);
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
    const rows = await this.stats.onceOnly(lifeEvent);
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
