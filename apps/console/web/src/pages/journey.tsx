import { useState } from 'preact/hooks';
import { post, useResource } from '../api';
import { ErrorMessage, Fact, LiveNote, Loading, PageTitle, placeProblems, ProblemSummary, RequiredText, Status, StepGraph, useFocusFirstInvalid, useSubmit } from '../components';
import { formatDate, formatPercent, formatRelative, t, tr, type Translations } from '../i18n';
import { Link } from '../router';
import { hasRole, ownIds, type Session } from '../session';
import type { JourneySummary, LifeEventView } from './journeys';
import { ClockActions, ClockFlags, type StepClock, type StepInformation } from './legal-clock';
import { Objections } from './objections';
import { JourneyDocuments } from './documents';
import { CancelJourney } from './cancel-journey';
import { DossierExport } from './dossier-export';
import { StepPayment, type StepPaymentView } from './payment';

export interface StepView {
  key: string;
  agency: string;
  kind: string;
  status: string;
  title: Translations;
  startedAt?: string;
  dueAt?: string;
  completedAt?: string;
  overdue: boolean;
  attempts: number;
  outcome?: { result?: string; comment?: string; reason?: string; by?: string };
  error?: string;
  warned?: boolean;
  escalated?: boolean;
  task?: { id: string; status: string };
  clock?: StepClock;
  information?: StepInformation;
  /** Undoing the step once its journey was cancelled (see the API's step view). */
  compensation?: { status: string; error?: string };
  /** A payment step's payment (see ./payment.tsx). */
  payment?: StepPaymentView;
}

export interface JourneyDetailView extends JourneySummary {
  data: Record<string, unknown>;
  cancelReason?: string;
  startedBy: string;
  steps: StepView[];
  timeline: Array<{ seq: number; at: string; type: string; step?: string; detail?: Record<string, unknown> }>;
}
const POLL_MS = 2000;

/** A journey: its graph with each step's state, due dates and warnings, timeline, decisions, data used, notifications. Live. */
export function JourneyDetail({ id, session }: { id: string; session: Session }) {
  const [note, setNote] = useState('');
  const [version, setVersion] = useState(0);
  const journey = useResource<JourneyDetailView>(`/journeys/${encodeURIComponent(id)}`, {
    pollMs: POLL_MS,
    onChange: (next, previous) => {
      const changed = next.steps.filter((s) => previous.steps.find((p) => p.key === s.key)?.status !== s.status);
      const parts = changed.map((s) => t('journey.stepNow', { step: tr(s.title, s.key), status: t(`step.status.${s.status}`) }));
      if (next.status !== previous.status) parts.unshift(t('journey.journeyNow', { status: t(`journey.status.${next.status}`) }));
      setNote(parts.length ? parts.join(' ') : t('journey.updated'));
      setVersion((v) => v + 1);
    },
  });
  const j = journey.data;
  const lifeEvent = useResource<LifeEventView>(j ? `/life-events/${j.lifeEvent.key}/versions/${j.lifeEvent.version}` : undefined);

  if (journey.error && !j) {
    return (
      <>
        <PageTitle>{t('journey.title')}</PageTitle>
        {journey.error.status === 404 ? (
          <div class="error" role="alert">
            <p>{t('journey.notFound')}</p>
          </div>
        ) : (
          <ErrorMessage error={journey.error} />
        )}
        <p>
          <Link href="/">{t('nav.home')}</Link>
        </p>
      </>
    );
  }
  if (!j) {
    return (
      <>
        <PageTitle>{t('journey.title')}</PageTitle>
        <Loading />
      </>
    );
  }
  const isCitizen = hasRole(session, 'citizen');
  const forSomeoneElse = isCitizen && !ownIds(session).includes(j.subject.id);
  const nodes = lifeEvent.data?.nodes ?? j.steps.map((s) => ({ key: s.key, dependsOn: [] as string[], optional: false }));
  const graphSteps = nodes.map((n) => {
    const s = j.steps.find((x) => x.key === n.key);
    return { key: n.key, title: s ? tr(s.title, n.key) : n.key, status: s?.status, dependsOn: n.dependsOn, optional: n.optional };
  });

  return (
    <>
      <PageTitle>{tr(j.lifeEvent.title, j.lifeEvent.key)}</PageTitle>
      <LiveNote text={note} />
      <dl class="facts">
        <Fact label={t('journey.status')}>
          <Status value={j.status} kind="journey" />
        </Fact>
        <Fact label={t('journey.subject')}>
          {j.subject.id}
          {forSomeoneElse ? <span class="flag flag-mandate"> {t('journey.underMandate')}</span> : null}
        </Fact>
        <Fact label={t('journey.started')}>{formatDate(j.startedAt)}</Fact>
        {j.completedAt ? (
          <Fact label={t('journey.completed')}>{formatDate(j.completedAt)}</Fact>
        ) : null}
        {j.nextDueAt && !j.completedAt ? (
          <Fact label={t('journey.nextDue')}>
            {formatDate(j.nextDueAt)} ({formatRelative(j.nextDueAt)}){j.overdue ? <span class="flag flag-warning"> {t('journeys.overdueFlag')}</span> : null}
          </Fact>
        ) : null}
        {j.cancelReason ? (
          <Fact label={t('journey.cancelReason')}>{j.cancelReason}</Fact>
        ) : null}
      </dl>
      {isCitizen && !forSomeoneElse && !['completed', 'cancelled', 'compensating'].includes(j.status) ? <CancelJourney journeyId={j.id} onDone={journey.reload} /> : null}

      <section aria-labelledby="steps-title">
        <h2 id="steps-title">{t('journey.steps')}</h2>
        <StepGraph steps={graphSteps} label={t('journey.graph', { title: tr(j.lifeEvent.title, j.lifeEvent.key) })} />
        <StepsTable journey={j} order={nodes.map((n) => n.key)} session={session} onAction={journey.reload} />
      </section>

      <Timeline journey={j} />
      <Decisions journey={j} session={session} version={version} onOverride={journey.reload} />
      <Objections journeyId={j.id} titles={Object.fromEntries(j.steps.map((s) => [s.key, tr(s.title, s.key)]))} session={session} version={version} onChange={journey.reload} />
      <DataUse id={j.id} version={version} />
      <JourneyDocuments journeyId={j.id} version={version} />
      <DataAccess id={j.id} version={version} />
      <Notifications id={j.id} version={version} />
      {isCitizen ? <DossierExport journeyId={j.id} fileName={`dossier-${j.lifeEvent.key}`} /> : null}
    </>
  );
}

function StepsTable({ journey, order, session, onAction }: { journey: JourneyDetailView; order: string[]; session: Session; onAction: () => void }) {
  // The API lists the steps in the life event's order already; this keeps that order should the
  // graph be known and the answer not (a step the graph lacks stays after the others, in the API's order).
  const rank = (key: string) => (order.includes(key) ? order.indexOf(key) : order.length);
  const steps = [...journey.steps].sort((a, b) => rank(a.key) - rank(b.key));
  return (
    <div class="table-scroll" tabIndex={0} role="group" aria-label={t('journey.steps')}>
      <table class="steps">
        <thead>
          <tr>
            <th scope="col">{t('journey.step')}</th>
            <th scope="col">{t('journey.agency')}</th>
            <th scope="col">{t('journey.state')}</th>
            <th scope="col">{t('journey.due')}</th>
            <th scope="col">{t('journey.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {steps.map((s) => (
            <tr key={s.key} data-step={s.key}>
              <th scope="row">{tr(s.title, s.key)}</th>
              <td>{s.agency}</td>
              <td>
                <Status value={s.status} />
                {s.error && s.status === 'needs_attention' ? <p class="hint">{s.error}</p> : null}
                {s.outcome?.reason ? <p class="hint">{s.outcome.reason}</p> : null}
                {s.outcome?.comment ? <p class="hint">{s.outcome.comment}</p> : null}
                {s.compensation ? (
                  <p class={`hint compensation compensation-${s.compensation.status}`}>
                    {t(`journey.compensation.${s.compensation.status}`)}
                    {s.compensation.error && s.compensation.status === 'needs_attention' ? `: ${s.compensation.error}` : ''}
                  </p>
                ) : null}
                {s.payment ? <StepPayment journeyId={journey.id} nodeKey={s.key} payment={s.payment} mayRenew={hasRole(session, 'citizen') && s.status === 'waiting'} onDone={onAction} /> : null}
              </td>
              <td>
                {s.dueAt && !s.completedAt ? <time dateTime={s.dueAt}>{formatDate(s.dueAt, false)}</time> : s.completedAt ? <span>{t('journey.doneOn', { date: formatDate(s.completedAt, false) })}</span> : '–'}
                {s.escalated ? <span class="flag flag-danger"> {t('journey.escalated')}</span> : s.warned ? <span class="flag flag-warning"> {t('journey.warned')}</span> : null}
                {s.overdue && !s.escalated ? <span class="flag flag-warning"> {t('journeys.overdueFlag')}</span> : null}
                <ClockFlags step={s} />
              </td>
              <td>
                {s.task && (s.task.status === 'open' || s.task.status === 'claimed') ? <Link href={`/tasks/${encodeURIComponent(s.task.id)}`}>{t('journey.openTask')}</Link> : null}
                {(s.status === 'needs_attention' || s.compensation?.status === 'needs_attention') && hasRole(session, 'caseworker') && session.agency === s.agency ? (
                  <AttentionActions journeyId={journey.id} step={s} onDone={onAction} />
                ) : null}
                {s.kind !== 'citizen' && hasRole(session, 'caseworker') && session.agency === s.agency ? <ClockActions journeyId={journey.id} step={s} onDone={onAction} /> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Retry a step that needs attention, or skip it with a reason. */
function AttentionActions({ journeyId, step, onDone }: { journeyId: string; step: StepView; onDone: () => void }) {
  const [skipping, setSkipping] = useState(false);
  const [reason, setReason] = useState('');
  const { busy, problem: error, submit: act } = useSubmit(async (action: 'retry' | 'skip') => {
    await post(`/journeys/${journeyId}/steps/${encodeURIComponent(step.key)}/${action}`, action === 'skip' ? { reason } : {});
    setSkipping(false);
    onDone();
  });
  const fieldError = error?.problem.errors?.find((e) => e.path === '/reason');
  return (
    <div class="actions">
      <button type="button" class="button small" disabled={busy} onClick={() => act('retry')}>
        {t('journey.retry')}
      </button>
      {skipping ? (
        <form
          class="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            void act('skip');
          }}
        >
          <label for={`skip-${step.key}`}>{t('journey.skipReason')}</label>
          <input id={`skip-${step.key}`} value={reason} required minLength={3} onInput={(e) => setReason((e.target as HTMLInputElement).value)} aria-invalid={fieldError ? 'true' : undefined} aria-describedby={fieldError ? `skip-${step.key}-error` : undefined} />
          {fieldError ? (
            <p class="field-error" id={`skip-${step.key}-error`}>
              {fieldError.message}
            </p>
          ) : null}
          <button type="submit" class="button small" disabled={busy}>
            {t('journey.skipConfirm')}
          </button>
        </form>
      ) : (
        <button type="button" class="button small secondary" onClick={() => setSkipping(true)}>
          {t('journey.skip')}
        </button>
      )}
      {error && !fieldError ? <ErrorMessage error={error} /> : null}
    </div>
  );
}

/** A step routed by agency role says to whom and why, in the reader's language. */
function routedParams(detail: Record<string, unknown> | undefined): { explanation?: string } {
  const explanation = detail?.explanation;
  return explanation && typeof explanation === 'object' && typeof (explanation as { nl?: unknown }).nl === 'string' ? { explanation: tr(explanation as { nl: string }, '') } : {};
}

function Timeline({ journey }: { journey: JourneyDetailView }) {
  const title = (key?: string) => {
    const s = journey.steps.find((x) => x.key === key);
    return s ? tr(s.title, s.key) : key ?? '';
  };
  return (
    <section aria-labelledby="timeline-title">
      <h2 id="timeline-title">{t('journey.timeline')}</h2>
      {journey.timeline.length === 0 ? (
        <p>{t('journey.timelineEmpty')}</p>
      ) : (
        <ol class="timeline">
          {journey.timeline.map((e) => (
            <li key={e.seq}>
              <time dateTime={e.at}>{formatDate(e.at)}</time> — {t(`timeline.${e.type}`, { step: title(e.step), ...routedParams(e.detail) })}
              {typeof e.detail?.reason === 'string' ? <span class="hint"> ({e.detail.reason})</span> : null}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

interface DecisionView {
  node: string;
  step: { title: string };
  agency: { code: string; name: string };
  rule: { id: string; version: number };
  outcome: string;
  decided: { outcome: string; explanation: string; at: string };
  /** Only for the deciding agency's caseworkers, the subject and their representatives, and auditors. */
  inputs?: { fields: Array<{ id: string; title: string; sourceTitle: string; value: unknown; origin?: string }> };
  override?: { outcome: string; reason: string; by: string; at: string; explanation: string };
}

function Decisions({ journey, session, version, onOverride }: { journey: JourneyDetailView; session: Session; version: number; onOverride: () => void }) {
  const res = useResource<{ items: DecisionView[] }>(`/journeys/${journey.id}/decisions`, { refreshKey: version });
  const [note, setNote] = useState('');
  return (
    <section aria-labelledby="decisions-title">
      <h2 id="decisions-title">{t('journey.decisions')}</h2>
      <ErrorMessage error={res.error} />
      {hasRole(session, 'caseworker') ? (
        <p class="live-note" role="status">
          {note}
        </p>
      ) : null}
      {res.data && res.data.items.length === 0 ? <p>{t('journey.noDecisions')}</p> : null}
      {res.data?.items.map((d) => {
        // A caseworker of the deciding agency may turn a final grant or refusal around, once, with a reason.
        const final = journey.steps.find((s) => s.key === d.node)?.status === 'completed';
        const mayOverride = !d.override && final && (d.outcome === 'grant' || d.outcome === 'deny') && hasRole(session, 'caseworker') && session.agency === d.agency.code;
        return (
          <article class="card" key={d.node} data-decision={d.node}>
            <h3>
              {d.step.title}: {t(`decision.${d.outcome}`)}
            </h3>
            <p>{d.override ? d.override.explanation : d.decided.explanation}</p>
            <p class="hint">
              {t('journey.rule', { rule: d.rule.id, version: d.rule.version, agency: d.agency.name, date: formatDate(d.decided.at) })}
            </p>
            {d.override ? (
              <p class="override-record">
                {t('journey.overridden', { from: t(`decision.${d.decided.outcome}`), to: t(`decision.${d.override.outcome}`), by: d.override.by, date: formatDate(d.override.at) })}{' '}
                <q>{d.override.reason}</q>
              </p>
            ) : null}
            {d.inputs?.fields.length ? (
              <details>
                <summary>{t('journey.decisionInputs')}</summary>
                <ul>
                  {d.inputs.fields.map((f) => (
                    <li key={f.id}>
                      {f.title} ({f.sourceTitle}): {formatValue(f.value)}
                    </li>
                  ))}
                </ul>
              </details>
            ) : null}
            {mayOverride ? (
              <OverrideForm
                journeyId={journey.id}
                decision={d}
                onDone={(to) => {
                  setNote(t('journey.overrideSaved', { step: d.step.title, outcome: t(`decision.${to}`) }));
                  res.reload();
                  onOverride();
                }}
              />
            ) : null}
          </article>
        );
      })}
    </section>
  );
}

/** Overrides a decision: the other outcome, and the reason (required; it is audited and shown to the citizen). */
function OverrideForm({ journeyId, decision, onDone }: { journeyId: string; decision: DecisionView; onDone: (outcome: string) => void }) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const to = decision.outcome === 'grant' ? 'deny' : 'grant';
  const { busy, problem, onSubmit } = useSubmit(async () => {
    await post(`/journeys/${journeyId}/decisions/${encodeURIComponent(decision.node)}/override`, { outcome: to, reason: reason.trim() });
    onDone(to);
  });
  const formRef = useFocusFirstInvalid(problem);
  const id = `override-${decision.node}`;
  const { at, other } = placeProblems(problem, ['/reason', '/outcome']);
  if (!open) {
    return (
      <button type="button" class="button small secondary" onClick={() => setOpen(true)}>
        {t('journey.override')}
        <span class="visually-hidden"> {decision.step.title}</span>
      </button>
    );
  }
  return (
    <form class="form override" ref={formRef} onSubmit={onSubmit} noValidate aria-labelledby={`${id}-title`}>
      <h4 id={`${id}-title`}>{t('journey.overrideTitle', { step: decision.step.title })}</h4>
      <p>{t('journey.overrideTo', { outcome: t(`decision.${to}`) })}</p>
      <RequiredText id={`${id}-reason`} label={t('journey.overrideReason')} hint={t('journey.overrideReasonHint')} error={at('/reason') ?? at('/outcome')} value={reason} onInput={setReason} />
      <ProblemSummary problem={problem} other={other} fixText={t('journey.overrideFix')} />
      <div class="actions">
        <button type="submit" class="button" disabled={busy}>
          {t('journey.overrideConfirm')}
        </button>
        <button type="button" class="button secondary" onClick={() => setOpen(false)}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

interface DataUseView {
  onceOnlyRate?: number;
  fields: { prefilled: number; asked: number };
  steps: Array<{ node: string; title: string; prefilled: FieldRef[]; asked: FieldRef[]; pending: FieldRef[] }>;
}
interface FieldRef {
  id: string;
  title: string;
  sourceTitle: string;
}

function DataUse({ id, version }: { id: string; version: number }) {
  const res = useResource<DataUseView>(`/journeys/${id}/data-use`, { refreshKey: version });
  const list = (fields: FieldRef[]) => fields.map((f) => `${f.title} (${f.sourceTitle})`).join(', ');
  return (
    <section aria-labelledby="data-use-title">
      <h2 id="data-use-title">{t('journey.dataUse')}</h2>
      <ErrorMessage error={res.error} />
      {res.data ? (
        <>
          <p>{t('journey.onceOnly', { prefilled: res.data.fields.prefilled, asked: res.data.fields.asked, rate: formatPercent(res.data.onceOnlyRate) })}</p>
          {res.data.steps.length ? (
            <ul class="data-use">
              {res.data.steps.map((s) => (
                <li key={s.node}>
                  <strong>{s.title}</strong>
                  {s.prefilled.length ? <p>{t('journey.prefilled', { fields: list(s.prefilled) })}</p> : null}
                  {s.asked.length ? <p>{t('journey.asked', { fields: list(s.asked) })}</p> : null}
                  {s.pending.length ? <p>{t('journey.pending', { fields: list(s.pending) })}</p> : null}
                </li>
              ))}
            </ul>
          ) : null}
          <p>
            {t('journey.whoConsulted')}
          </p>
        </>
      ) : null}
    </section>
  );
}

interface AccessEntry {
  id: string;
  at: string;
  agency?: { name: string };
  actor: { kind: string; caseworker?: string };
  source: { title: string };
  step?: { title?: string };
  fields: Array<{ id: string; title: string }>;
  purpose?: string;
  legalBasis: { explanation: string };
  outcome: string;
  reason?: string;
}

/** Who read this journey's data: which agency (or which caseworker of it) for which step, which fields, why and when. */
function DataAccess({ id, version }: { id: string; version: number }) {
  const res = useResource<{ items: AccessEntry[]; nextCursor?: string }>(`/journeys/${id}/data-access?limit=200`, { refreshKey: version });
  return (
    <section aria-labelledby="access-title">
      <h2 id="access-title">{t('journey.dataAccess')}</h2>
      <ErrorMessage error={res.error} />
      {res.data && res.data.items.length === 0 ? <p>{t('journey.noAccess')}</p> : null}
      {res.data?.items.length ? (
        <ul class="data-access">
          {res.data.items.map((e) => (
            <li key={e.id} data-access={e.id}>
              <time dateTime={e.at}>{formatDate(e.at)}</time> —{' '}
              {t('journey.accessWho', {
                who: e.actor.kind === 'caseworker' ? t('journey.accessCaseworker', { who: e.actor.caseworker ?? '', agency: e.agency?.name ?? '' }) : e.agency?.name ?? t(e.actor.kind === 'auditor' ? 'me.actor.auditor' : 'me.actor.engine'),
                step: e.step?.title ?? '–',
              })}
              : {e.fields.length ? t('journey.accessWhat', { fields: e.fields.map((f) => f.title).join(', '), source: e.source.title }) : e.source.title}
              {e.purpose ? <span class="hint"> — {t('me.why')}: {e.purpose}</span> : null}
              <span class="hint"> — {e.legalBasis.explanation}</span>
              {e.outcome !== 'granted' ? <strong> — {t(e.outcome === 'refused' ? 'me.refused' : `me.outcome.${e.outcome}`)}{e.reason ? `: ${e.reason}` : ''}</strong> : null}
            </li>
          ))}
        </ul>
      ) : null}
      {res.data?.nextCursor ? <p class="hint">{t('journey.accessMore')}</p> : null}
    </section>
  );
}

export interface DeliveryView {
  channel: string;
  status: string;
  address?: string;
  relation?: string;
  readAt?: string;
  deliveredAt?: string;
  sentAt?: string;
  /** Failed for good and sent once more on this channel. */
  forwardedTo?: string;
}

export interface JourneyNotificationView {
  id: string;
  category: string;
  categoryTitle?: string;
  createdAt?: string;
  actionNeeded?: boolean;
  deliveries: DeliveryView[];
}

/** GET /journeys/{id}/notifications: shown when the API offers it (and the reader may see it); otherwise a note. */
function Notifications({ id, version }: { id: string; version: number }) {
  const res = useResource<{ notifications: JourneyNotificationView[] }>(`/journeys/${id}/notifications`, { refreshKey: version });
  const items = res.data?.notifications ?? [];
  return (
    <section aria-labelledby="notifications-title">
      <h2 id="notifications-title">{t('journey.notifications')}</h2>
      {res.error ? [403, 404, 405].includes(res.error.status) ? <p>{t('common.notAvailable')}</p> : <ErrorMessage error={res.error} /> : null}
      {res.data && items.length === 0 ? <p>{t('journey.noNotifications')}</p> : null}
      {items.length ? (
        <ul class="notifications">
          {items.map((n) => (
            <li key={n.id}>
              <strong>{n.categoryTitle ?? t(`notification.${n.category}`)}</strong>
              {n.createdAt ? <span class="hint"> — {formatDate(n.createdAt)}</span> : null}
              {n.deliveries.length ? (
                <ul>
                  {n.deliveries.map((d, i) => (
                    <li key={i}>
                      {t(`channel.${d.channel}`)}
                      {d.address ? ` (${d.address})` : ''}: {t(`delivery.${d.status}`)}
                      {d.readAt ? `, ${t('delivery.read')}` : ''}
                      {d.forwardedTo ? ` → ${t('delivery.forwardedTo', { channel: t(`channel.${d.forwardedTo}`) })}` : ''}
                    </li>
                  ))}
                </ul>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

export function formatValue(value: unknown): string {
  if (value === null || value === undefined) return '–';
  if (typeof value === 'boolean') return value ? t('common.yes') : t('common.no');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
