import { useState } from 'preact/hooks';
import { ApiError, post, put, useResource } from '../api';
import { ErrorMessage, Loading, PageTitle, StepGraph, useFocusFirstInvalid } from '../components';
import { formatDate, LANGUAGES, t, tr, type Translations } from '../i18n';
import { Link, navigate } from '../router';
import { hasRole, type Session } from '../session';
import type { LifeEventView } from './journeys';

interface AgencyView {
  code: string;
  names: Translations;
}

interface StepVersion {
  agency: string;
  key: string;
  version: number;
  status: string;
  kind: string;
  titles: Translations;
  endpoint?: string;
  serviceNorm: { target: string; warn?: string; escalate?: string };
  createdAt: string;
  publishedAt: string | null;
  retiredAt: string | null;
  [more: string]: unknown;
}

type LifeEventVersion = LifeEventView & { createdAt: string; publishedAt: string | null; retiredAt: string | null };

const KINDS = ['automatic', 'caseworker', 'citizen', 'decision'];

const canManage = (s: Session, agency: string) => hasRole(s, 'catalog-admin') || (hasRole(s, 'agency-admin') && s.agency === agency);

function VersionStatus({ status }: { status: string }) {
  return <span class={`status status-version-${status}`}>{t(`catalog.status.${status}`)}</span>;
}

/** Publish or retire a version of `base` (a step or a life event); the refusal, if any, for ErrorMessage. */
function useLifecycle(base: string, reload: () => void, onDone: (action: Lifecycle, version: number) => void = () => undefined) {
  const [error, setError] = useState<ApiError | undefined>();
  const act = async (version: number, action: Lifecycle) => {
    setError(undefined);
    try {
      await post(`${base}/versions/${version}/${action}`);
      onDone(action, version);
      reload();
    } catch (err) {
      setError(err as ApiError);
    }
  };
  return { error, act };
}

type Lifecycle = 'publish' | 'retire';

/** Publish for a draft, retire for a published version (each button names its version for screen readers). */
function LifecycleButton({ version, status, act }: { version: number; status: string; act: (version: number, action: Lifecycle) => Promise<void> }) {
  if (status !== 'draft' && status !== 'published') return null;
  const action: Lifecycle = status === 'draft' ? 'publish' : 'retire';
  return (
    <button type="button" class={`button small${action === 'retire' ? ' secondary' : ''}`} onClick={() => act(version, action)}>
      {t(`catalog.${action}`)}
      <span class="visually-hidden"> {t('catalog.version', { version })}</span>
    </button>
  );
}

/** The catalog: agencies' steps and the life events, each with its latest version. */
export function Catalog({ session }: { session: Session }) {
  const agencies = useResource<AgencyView[]>('/agencies');
  const lifeEvents = useResource<LifeEventVersion[]>('/life-events');
  const shown = (agencies.data ?? []).filter((a) => !hasRole(session, 'agency-admin') || hasRole(session, 'catalog-admin', 'auditor') || a.code === session.agency);
  return (
    <>
      <PageTitle>{t('catalog.title')}</PageTitle>
      <p>{t('catalog.intro')}</p>
      {hasRole(session, 'catalog-admin', 'agency-admin') ? (
        <p>
          <Link href="/catalog/new-step" class="button">
            {t('catalog.newStep')}
          </Link>
        </p>
      ) : null}
      <section aria-labelledby="steps-title">
        <h2 id="steps-title">{t('catalog.steps')}</h2>
        <ErrorMessage error={agencies.error} />
        {agencies.loading ? <Loading /> : null}
        {shown.map((a) => (
          <AgencySteps key={a.code} agency={a} />
        ))}
      </section>
      <section aria-labelledby="life-events-title">
        <h2 id="life-events-title">{t('catalog.lifeEvents')}</h2>
        <ErrorMessage error={lifeEvents.error} />
        <ul class="cards">
          {(lifeEvents.data ?? []).map((le) => (
            <li class="card" key={le.key}>
              <h3 class="card-title">
                <Link href={`/catalog/life-events/${le.key}`}>{tr(le.titles, le.key)}</Link>
              </h3>
              <p>
                {t('catalog.version', { version: le.version })} <VersionStatus status={le.status} /> — {t('catalog.stepCount', { count: le.nodes.length })}
              </p>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}

function AgencySteps({ agency }: { agency: AgencyView }) {
  const steps = useResource<StepVersion[]>(`/agencies/${agency.code}/steps`);
  const id = `agency-${agency.code}`;
  return (
    <div class="agency-steps" aria-labelledby={id} role="group">
      <h3 id={id}>{tr(agency.names, agency.code)}</h3>
      <ErrorMessage error={steps.error} />
      {steps.data && steps.data.length === 0 ? <p>{t('catalog.noSteps')}</p> : null}
      {steps.data?.length ? (
        <ul>
          {steps.data.map((s) => (
            <li key={s.key} data-step={`${s.agency}/${s.key}`}>
              <Link href={`/catalog/steps/${s.agency}/${s.key}`}>{tr(s.titles, s.key)}</Link> — {t(`catalog.kind.${s.kind}`)}, {t('catalog.version', { version: s.version })} <VersionStatus status={s.status} />
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

interface StepForm {
  agency: string;
  key: string;
  kind: string;
  titles: Record<string, string>;
  endpoint: string;
  target: string;
  warn: string;
  escalate: string;
}

const toForm = (s: StepVersion): StepForm => ({
  agency: s.agency,
  key: s.key,
  kind: s.kind,
  titles: { ...s.titles } as Record<string, string>,
  endpoint: s.endpoint ?? '',
  target: s.serviceNorm.target,
  warn: s.serviceNorm.warn ?? '',
  escalate: s.serviceNorm.escalate ?? '',
});

/** A step's definition for the API; what the form does not edit (data requirements, rule, retry) is kept. */
function toBody(f: StepForm, base?: StepVersion) {
  const { agency: _a, version: _v, status: _s, createdAt: _c, publishedAt: _p, retiredAt: _r, ...kept } = (base ?? {}) as Record<string, unknown>;
  const titles = Object.fromEntries(Object.entries(f.titles).filter(([, v]) => v.trim()).map(([k, v]) => [k, v.trim()]));
  const norm: Record<string, string> = { target: f.target.trim() };
  if (f.warn.trim()) norm.warn = f.warn.trim();
  if (f.escalate.trim()) norm.escalate = f.escalate.trim();
  const body: Record<string, unknown> = { ...kept, key: f.key.trim(), kind: f.kind, titles, serviceNorm: norm };
  if (f.endpoint.trim()) body.endpoint = f.endpoint.trim();
  else delete body.endpoint;
  return body;
}

/** The step form: every problem the API finds (problem+json, JSON pointers) is shown at its field. */
function StepEditor({ initial, agencies, lockIdentity, onSave, submitLabel }: { initial: StepForm; agencies: AgencyView[]; lockIdentity: boolean; onSave: (f: StepForm) => Promise<void>; submitLabel: string }) {
  const [form, setForm] = useState<StepForm>(initial);
  const [problem, setProblem] = useState<ApiError | undefined>();
  const [busy, setBusy] = useState(false);
  const formRef = useFocusFirstInvalid(problem);
  const errorAt = (pointer: string) =>
    problem?.problem.errors
      ?.filter((e) => e.path === pointer || (pointer === '/serviceNorm/target' && e.path === '/serviceNorm'))
      .map((e) => e.message)
      .join(' ');
  const other = problem?.problem.errors?.filter((e) => !FIELD_POINTERS.some((p) => e.path === p || (p === '/serviceNorm/target' && e.path === '/serviceNorm'))) ?? [];
  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setProblem(undefined);
    try {
      await onSave(form);
    } catch (err) {
      setProblem(err as ApiError);
    } finally {
      setBusy(false);
    }
  };
  const input = (id: string, pointer: string, label: string, value: string, onInput: (v: string) => void, hint?: string) => {
    const error = errorAt(pointer);
    const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
    return (
      <div class="field">
        <label for={id}>{label}</label>
        {hint ? (
          <p class="hint" id={`${id}-hint`}>
            {hint}
          </p>
        ) : null}
        <input id={id} value={value} readOnly={lockIdentity && pointer === '/key'} onInput={(e) => onInput((e.target as HTMLInputElement).value)} aria-invalid={error ? 'true' : undefined} aria-describedby={described} />
        {error ? (
          <p class="field-error" id={`${id}-error`}>
            {error}
          </p>
        ) : null}
      </div>
    );
  };
  return (
    <form class="form" ref={formRef} onSubmit={submit} noValidate>
      <div class="field">
        <label for="step-agency">{t('catalog.agency')}</label>
        <select id="step-agency" value={form.agency} disabled={lockIdentity || agencies.length < 2} onChange={(e) => setForm({ ...form, agency: (e.target as HTMLSelectElement).value })}>
          {agencies.map((a) => (
            <option key={a.code} value={a.code}>
              {tr(a.names, a.code)}
            </option>
          ))}
        </select>
      </div>
      {input('step-key', '/key', t('catalog.key'), form.key, (v) => setForm({ ...form, key: v }), t('catalog.keyHint'))}
      <div class="field">
        <label for="step-kind">{t('catalog.kind')}</label>
        <select id="step-kind" value={form.kind} onChange={(e) => setForm({ ...form, kind: (e.target as HTMLSelectElement).value })} aria-invalid={errorAt('/kind') ? 'true' : undefined}>
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`catalog.kind.${k}`)}
            </option>
          ))}
        </select>
      </div>
      <fieldset>
        <legend>{t('catalog.titles')}</legend>
        {LANGUAGES.map((l) => input(`step-title-${l}`, `/titles/${l}`, t(`language.${l}`), form.titles[l] ?? '', (v) => setForm({ ...form, titles: { ...form.titles, [l]: v } })))}
      </fieldset>
      {form.kind === 'automatic' || errorAt('/endpoint') ? input('step-endpoint', '/endpoint', t('catalog.endpoint'), form.endpoint, (v) => setForm({ ...form, endpoint: v }), t('catalog.endpointHint')) : null}
      <fieldset>
        <legend>{t('catalog.serviceNorm')}</legend>
        <p class="hint">{t('catalog.serviceNormHint')}</p>
        {input('step-target', '/serviceNorm/target', t('catalog.target'), form.target, (v) => setForm({ ...form, target: v }))}
        {input('step-warn', '/serviceNorm/warn', t('catalog.warn'), form.warn, (v) => setForm({ ...form, warn: v }))}
        {input('step-escalate', '/serviceNorm/escalate', t('catalog.escalate'), form.escalate, (v) => setForm({ ...form, escalate: v }))}
      </fieldset>
      {problem ? (
        <div class="error" role="alert">
          <p>{problem.problem.errors?.length ? t('catalog.fixErrors') : problem.status === 403 ? t('error.forbidden') : problem.problem.detail}</p>
          {other.length ? (
            <ul>
              {other.map((e) => (
                <li key={e.path}>
                  <code>{e.path || '/'}</code>: {e.message}
                </li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      <button type="submit" class="button" disabled={busy}>
        {submitLabel}
      </button>
    </form>
  );
}

const FIELD_POINTERS = ['/key', '/kind', '/endpoint', '/serviceNorm/target', '/serviceNorm/warn', '/serviceNorm/escalate', ...LANGUAGES.map((l) => `/titles/${l}`)];

/** A new step: a draft of version 1 (or the next version of an existing key). */
export function NewStep({ session }: { session: Session }) {
  const agencies = useResource<AgencyView[]>('/agencies');
  const mine = (agencies.data ?? []).filter((a) => canManage(session, a.code));
  if (!agencies.data) {
    return (
      <>
        <PageTitle>{t('catalog.newStep')}</PageTitle>
        {agencies.error ? <ErrorMessage error={agencies.error} /> : <Loading />}
      </>
    );
  }
  const initial: StepForm = { agency: mine[0]?.code ?? session.agency ?? '', key: '', kind: 'caseworker', titles: {}, endpoint: '', target: 'P5D', warn: '', escalate: '' };
  return (
    <>
      <PageTitle>{t('catalog.newStep')}</PageTitle>
      <p>{t('catalog.newStepIntro')}</p>
      <StepEditor
        initial={initial}
        agencies={mine}
        lockIdentity={false}
        submitLabel={t('catalog.saveDraft')}
        onSave={async (f) => {
          const created = await post<StepVersion>(`/agencies/${encodeURIComponent(f.agency)}/steps`, toBody(f));
          navigate(`/catalog/steps/${created.agency}/${created.key}`);
        }}
      />
    </>
  );
}

/** Every version of a step; a draft can be edited and published, a published version retired. */
export function StepPage({ agency, stepKey, session }: { agency: string; stepKey: string; session: Session }) {
  const versions = useResource<StepVersion[]>(`/agencies/${encodeURIComponent(agency)}/steps/${encodeURIComponent(stepKey)}`);
  const agencies = useResource<AgencyView[]>('/agencies');
  const [note, setNote] = useState('');
  const manage = canManage(session, agency);
  const list = versions.data ?? [];
  const latest = list[list.length - 1];
  const { error, act } = useLifecycle(`/agencies/${agency}/steps/${stepKey}`, versions.reload, (action, version) => setNote(t(action === 'publish' ? 'catalog.published' : 'catalog.retired', { version })));
  return (
    <>
      <PageTitle>{latest ? tr(latest.titles, stepKey) : stepKey}</PageTitle>
      <p>
        <Link href="/catalog">{t('catalog.back')}</Link>
      </p>
      <p role="status" class="live-note">
        {note}
      </p>
      <ErrorMessage error={error ?? versions.error} />
      {versions.loading ? <Loading /> : null}
      <div class="table-scroll" tabIndex={0} role="group" aria-label={t('catalog.versions')}>
        <table>
          <caption class="visually-hidden">{t('catalog.versions')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('catalog.versionCol')}</th>
              <th scope="col">{t('catalog.statusCol')}</th>
              <th scope="col">{t('catalog.kind')}</th>
              <th scope="col">{t('catalog.serviceNorm')}</th>
              <th scope="col">{t('journey.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {list.map((v) => (
              <tr key={v.version} data-version={v.version}>
                <th scope="row">{v.version}</th>
                <td>
                  <VersionStatus status={v.status} />
                  <span class="hint"> {formatDate(v.publishedAt ?? v.createdAt, false)}</span>
                </td>
                <td>{t(`catalog.kind.${v.kind}`)}</td>
                <td>{[v.serviceNorm.target, v.serviceNorm.warn, v.serviceNorm.escalate].filter(Boolean).join(' / ')}</td>
                <td>{manage ? <LifecycleButton version={v.version} status={v.status} act={act} /> : null}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {manage && latest && agencies.data ? (
        <section aria-labelledby="edit-title">
          <h2 id="edit-title">{latest.status === 'draft' ? t('catalog.editDraft', { version: latest.version }) : t('catalog.newVersion')}</h2>
          <StepEditor
            key={`${latest.version}-${latest.status}`}
            initial={toForm(latest)}
            agencies={agencies.data.filter((a) => a.code === agency)}
            lockIdentity
            submitLabel={t('catalog.saveDraft')}
            onSave={async (f) => {
              const saved =
                latest.status === 'draft'
                  ? await put<StepVersion>(`/agencies/${agency}/steps/${stepKey}/versions/${latest.version}`, toBody(f, latest))
                  : await post<StepVersion>(`/agencies/${agency}/steps`, toBody(f, latest));
              setNote(t('catalog.saved', { version: saved.version }));
              versions.reload();
            }}
          />
        </section>
      ) : null}
    </>
  );
}

/** A life event's versions and its graph; catalog admins publish and retire. */
export function LifeEventPage({ lifeEventKey, session }: { lifeEventKey: string; session: Session }) {
  const versions = useResource<LifeEventVersion[]>(`/life-events/${encodeURIComponent(lifeEventKey)}`);
  const list = versions.data ?? [];
  const latest = list[list.length - 1];
  const { error, act } = useLifecycle(`/life-events/${lifeEventKey}`, versions.reload);
  return (
    <>
      <PageTitle>{latest ? tr(latest.titles, lifeEventKey) : lifeEventKey}</PageTitle>
      <p>
        <Link href="/catalog">{t('catalog.back')}</Link>
      </p>
      <ErrorMessage error={error ?? versions.error} />
      {latest ? (
        <section aria-labelledby="graph-title-h">
          <h2 id="graph-title-h">{t('catalog.graph', { version: latest.version })}</h2>
          <StepGraph
            steps={latest.nodes.map((n) => ({ key: n.key, title: `${n.key} (${n.step.agency}/${n.step.key} v${n.step.version})`, dependsOn: n.dependsOn, optional: n.optional }))}
            label={t('journey.graph', { title: tr(latest.titles, lifeEventKey) })}
          />
          <ul>
            {latest.nodes.map((n) => (
              <li key={n.key}>
                <strong>{n.key}</strong>: <Link href={`/catalog/steps/${n.step.agency}/${n.step.key}`}>{`${n.step.agency}/${n.step.key}`}</Link> v{n.step.version}
                {n.dependsOn?.length ? ` — ${t('graph.after', { steps: n.dependsOn.join(', ') })}` : ''}
                {n.optional ? ` — ${t('catalog.optional')}` : ''}
                {n.condition !== undefined ? ` — ${t('catalog.condition')}: ${JSON.stringify(n.condition)}` : ''}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <h2>{t('catalog.versions')}</h2>
      <ul>
        {list.map((v) => (
          <li key={v.version}>
            {t('catalog.version', { version: v.version })} <VersionStatus status={v.status} />
            {hasRole(session, 'catalog-admin') ? <> <LifecycleButton version={v.version} status={v.status} act={act} /></> : null}
          </li>
        ))}
      </ul>
    </>
  );
}
