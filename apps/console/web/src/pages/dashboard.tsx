import { useResource } from '../api';
import { BarChart, ErrorMessage, Loading, PageTitle } from '../components';
import { formatDuration, formatNumber, formatPercent, language, t } from '../i18n';

interface JourneyStats {
  journeys: number;
  byStatus: Record<string, number>;
  items: Array<{ lifeEvent: string; title: string; journeys: number; throughput: { completed: number; medianMs?: number; p90Ms?: number } }>;
}
interface NormStats {
  items: Array<{ agency: string; name: string; steps: number; breached: number; openOverdue: number; breachRate?: number }>;
}
interface AutomationStats {
  automationRate?: number;
  items: Array<{ lifeEvent: string; title: string; completedSteps: number; automated: number; automationRate?: number }>;
}
interface OnceOnlyStats {
  total: { onceOnlyRate?: number; fields: { prefilled: number; asked: number } };
  items: Array<{ lifeEvent: string; title: string; onceOnlyRate?: number; fields: { prefilled: number; asked: number } }>;
}

interface ObjectionStats {
  items: Array<{ rule: { id: string; version: number }; objections: number; open: number; upheld: number; revised: number; appeals: number; appealsRevised: number }>;
}

const STATUSES = ['running', 'needs_attention', 'completed', 'cancelled'];

/** How the service performs: GET /stats/* drawn as SVG bar charts (each with its figures in text). */
export function Dashboard() {
  const lang = language();
  const journeys = useResource<JourneyStats>(`/stats/journeys?lang=${lang}`);
  const norms = useResource<NormStats>(`/stats/service-norms?lang=${lang}`);
  const automation = useResource<AutomationStats>(`/stats/automation?lang=${lang}`);
  const onceOnly = useResource<OnceOnlyStats>(`/stats/once-only?lang=${lang}`);
  const objections = useResource<ObjectionStats>('/stats/objections');
  const loading = journeys.loading || norms.loading || automation.loading || onceOnly.loading;
  return (
    <>
      <PageTitle>{t('dashboard.title')}</PageTitle>
      <p>{t('dashboard.intro')}</p>
      {loading ? <Loading /> : null}
      <ErrorMessage error={journeys.error ?? norms.error ?? automation.error ?? onceOnly.error} />
      <div class="charts">
        {journeys.data ? (
          <BarChart
            id="by-status"
            title={t('dashboard.byStatus', { total: formatNumber(journeys.data.journeys) })}
            bars={STATUSES.map((s) => ({ label: t(`journey.status.${s}`), value: journeys.data!.byStatus[s] ?? 0, text: formatNumber(journeys.data!.byStatus[s] ?? 0) }))}
          />
        ) : null}
        {journeys.data ? (
          <BarChart
            id="throughput"
            title={t('dashboard.throughput')}
            bars={journeys.data.items
              .filter((i) => i.throughput.completed > 0)
              .map((i) => ({
                label: i.title,
                value: i.throughput.medianMs ?? 0,
                secondary: i.throughput.p90Ms,
                text: t('dashboard.throughputText', { median: formatDuration(i.throughput.medianMs), p90: formatDuration(i.throughput.p90Ms), n: i.throughput.completed }),
              }))}
          />
        ) : null}
        {norms.data ? (
          <BarChart
            id="norms"
            title={t('dashboard.breaches')}
            bars={norms.data.items.map((a) => ({ label: a.name, value: a.breached, text: t('dashboard.breachText', { breached: formatNumber(a.breached), steps: formatNumber(a.steps), rate: formatPercent(a.breachRate), open: formatNumber(a.openOverdue) }) }))}
          />
        ) : null}
        {automation.data ? (
          <BarChart
            id="automation"
            title={t('dashboard.automation', { rate: formatPercent(automation.data.automationRate) })}
            bars={automation.data.items.map((i) => ({ label: i.title, value: Math.round((i.automationRate ?? 0) * 100), text: t('dashboard.automationText', { rate: formatPercent(i.automationRate), automated: i.automated, steps: i.completedSteps }) }))}
          />
        ) : null}
        {onceOnly.data ? (
          <BarChart
            id="once-only"
            title={t('dashboard.onceOnly', { rate: formatPercent(onceOnly.data.total.onceOnlyRate) })}
            bars={onceOnly.data.items
              .filter((i) => i.fields.prefilled + i.fields.asked > 0)
              .map((i) => ({ label: i.title, value: Math.round((i.onceOnlyRate ?? 0) * 100), text: t('dashboard.onceOnlyText', { rate: formatPercent(i.onceOnlyRate), prefilled: i.fields.prefilled, asked: i.fields.asked }) }))}
          />
        ) : null}
        {objections.data?.items.length ? (
          <BarChart
            id="objections"
            title={t('dashboard.objections')}
            bars={objections.data.items.map((i) => ({
              label: t('dashboard.ruleVersion', { rule: i.rule.id, version: i.rule.version }),
              value: i.objections,
              // The appeals after them (the second stage), when there were any.
              text: [
                t('dashboard.objectionsText', { objections: formatNumber(i.objections), revised: formatNumber(i.revised), upheld: formatNumber(i.upheld), open: formatNumber(i.open) }),
                ...(i.appeals ? [t('dashboard.appealsText', { appeals: formatNumber(i.appeals), revised: formatNumber(i.appealsRevised) })] : []),
              ].join('; '),
            }))}
          />
        ) : null}
      </div>
    </>
  );
}
