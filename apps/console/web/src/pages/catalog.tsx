import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { ApiError, post, put, useResource } from '../api';
import { ErrorMessage, Field, FieldError, Loading, PageTitle, placeProblems, ProblemSummary, SelectField, useFocusFirstInvalid, useSubmit, type ControlProps } from '../components';
import { formatDate, LANGUAGES, t, tr, type Translations } from '../i18n';
import { Link, navigate } from '../router';
import { hasRole, type Session } from '../session';
import { EventTypesSection } from './event-types';
import type { LifeEventView } from './journeys';
import { APPOINTMENT_POINTERS, AppointmentFields, appointmentBody, appointmentForm, emptyAppointment, type AppointmentForm } from './appointment';
import { emptyPayment, PAYMENT_POINTERS, paymentBody, PaymentFields, paymentFormOf, type PaymentForm } from './payment';

export interface AgencyView {
  code: string;
  names: Translations;
}

export interface StepVersion {
  agency: string;
  key: string;
  version: number;
  status: string;
  kind: string;
  titles: Translations;
  endpoint?: string;
  serviceNorm: { target: string; warn?: string; escalate?: string };
  dataRequirements?: Array<{ source: string; field: string; purpose: Translations; legalBasis: { type: string; reference: string } }>;
  outputs?: Array<{ name: string; type?: string }>;
  createdAt: string;
  publishedAt: string | null;
  retiredAt: string | null;
  [more: string]: unknown;
}

export type LifeEventVersion = LifeEventView & { triggers?: unknown[]; createdAt: string; publishedAt: string | null; retiredAt: string | null };

const KINDS = ['automatic', 'caseworker', 'citizen', 'decision', 'appointment', 'payment'];

const canManage = (s: Session, agency: string) => hasRole(s, 'catalog-admin') || (hasRole(s, 'agency-admin') && s.agency === agency);

export function VersionStatus({ status }: { status: string }) {
  return <span class={`status status-version-${status}`}>{t(`catalog.status.${status}`)}</span>;
}

/** Publish or retire a version of `base` (a step or a life event); the refusal, if any, for ErrorMessage. */
export function useLifecycle(base: string, reload: () => void) {
  const [error, setError] = useState<ApiError | undefined>();
  const [note, setNote] = useState('');
  const act = async (version: number, action: Lifecycle) => {
    setError(undefined);
    try {
      await post(`${base}/versions/${version}/${action}`);
      setNote(t(action === 'publish' ? 'catalog.published' : 'catalog.retired', { version }));
      reload();
    } catch (err) {
      setError(err as ApiError);
    }
  };
  // The page also tells what it saved in the same live note.
  return { error, act, note, setNote };
}

/** The top of a step's or a life event's page: title, the way back, what was just done, problems. */
export function VersionsHeader({ title, note, error, loading }: { title: string; note: string; error?: ApiError; loading: boolean }) {
  return (
    <>
      <PageTitle>{title}</PageTitle>
      <p>
        <Link href="/catalog">{t('catalog.back')}</Link>
      </p>
      <p role="status" class="live-note">
        {note}
      </p>
      <ErrorMessage error={error} />
      {loading ? <Loading /> : null}
    </>
  );
}

export type Lifecycle = 'publish' | 'retire';

/** Publish for a draft, retire for a published version (each button names its version for screen readers). */
export function LifecycleButton({ version, status, act }: { version: number; status: string; act: (version: number, action: Lifecycle) => Promise<void> }) {
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
        <p class="actions">
          <Link href="/catalog/new-step" class="button">
            {t('catalog.newStep')}
          </Link>
          {hasRole(session, 'catalog-admin') ? (
            <Link href="/catalog/new-life-event" class="button">
              {t('lifeEvent.new')}
            </Link>
          ) : null}
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
      <EventTypesSection canRegister={hasRole(session, 'catalog-admin')} />
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

interface SourceView {
  key: string;
  titles: Translations;
  fields: Array<{ field: string; type: string; titles: Translations }>;
}

interface RequirementForm {
  uid: number;
  source: string;
  field: string;
  purpose: Record<string, string>;
  basisType: string;
  basisReference: string;
}

interface StepForm {
  agency: string;
  key: string;
  kind: string;
  titles: Record<string, string>;
  endpoint: string;
  /** The answer fields an automatic step keeps, comma-separated. */
  outputs: string;
  target: string;
  warn: string;
  escalate: string;
  requirements: RequirementForm[];
  /** An appointment step's calendar, duration, place, window and reminder. */
  appointment: AppointmentForm;
  /** A payment step's fee (see ./payment.tsx). */
  payment: PaymentForm;
}

const LEGAL_BASES = ['law', 'deliberation', 'consent'];

let uids = 0;
/** A stable identity for an item of a list in a form (so removing one keeps what was typed in the others). */
export const nextUid = () => ++uids;

const emptyRequirement = (): RequirementForm => ({ uid: nextUid(), source: '', field: '', purpose: {}, basisType: 'law', basisReference: '' });

const toForm = (s: StepVersion): StepForm => ({
  agency: s.agency,
  key: s.key,
  kind: s.kind,
  titles: { ...s.titles } as Record<string, string>,
  endpoint: s.endpoint ?? '',
  outputs: (s.outputs ?? []).map((o) => o.name).join(', '),
  target: s.serviceNorm.target,
  warn: s.serviceNorm.warn ?? '',
  escalate: s.serviceNorm.escalate ?? '',
  payment: paymentFormOf(s.payment as Parameters<typeof paymentFormOf>[0]),
  requirements: (s.dataRequirements ?? []).map((r) => ({
    uid: nextUid(),
    source: r.source,
    field: r.field,
    purpose: { ...r.purpose } as Record<string, string>,
    basisType: r.legalBasis.type,
    basisReference: r.legalBasis.reference,
  })),
  appointment: appointmentForm(s.appointment as Parameters<typeof appointmentForm>[0]),
});

/** Texts per language as the API takes them: trimmed, empty ones left out. */
export const cleanTexts = (texts: Record<string, string>) => Object.fromEntries(Object.entries(texts).filter(([, v]) => v.trim()).map(([k, v]) => [k, v.trim()]));

/** A step's definition for the API; what the form does not edit (rule, retry) is kept. */
function toBody(f: StepForm, base?: StepVersion) {
  const { agency: _a, version: _v, status: _s, createdAt: _c, publishedAt: _p, retiredAt: _r, dataRequirements: _d, endpoint: _e, outputs: _o, ...kept } = (base ?? {}) as Record<string, unknown>;
  const norm: Record<string, string> = { target: f.target.trim() };
  if (f.warn.trim()) norm.warn = f.warn.trim();
  if (f.escalate.trim()) norm.escalate = f.escalate.trim();
  const body: Record<string, unknown> = { ...kept, key: f.key.trim(), kind: f.kind, titles: cleanTexts(f.titles), serviceNorm: norm };
  // Only an automatic step calls an endpoint (and is retried), only a decision step has a rule:
  // what a former kind had goes when the kind changes.
  if ((f.kind === 'automatic' || f.kind === 'appointment') && f.endpoint.trim()) body.endpoint = f.endpoint.trim();
  // An appointment step's endpoint is the agency's calendar service; its appointment goes with the kind.
  if (f.kind === 'appointment') body.appointment = appointmentBody(f.appointment);
  else delete body.appointment;
  // Outputs by name; a type declared before (through the API or the files) is kept with its name.
  const names = f.outputs.split(',').map((n) => n.trim()).filter(Boolean);
  if (f.kind === 'automatic' && names.length) body.outputs = names.map((name) => base?.outputs?.find((o) => o.name === name) ?? { name });
  if (f.kind !== 'automatic') delete body.retry;
  if (f.kind !== 'decision') delete body.rule;
  if (f.kind === 'payment') body.payment = paymentBody(f.payment);
  else delete body.payment;
  if (f.requirements.length) {
    body.dataRequirements = f.requirements.map((r) => ({ source: r.source, field: r.field, purpose: cleanTexts(r.purpose), legalBasis: { type: r.basisType, reference: r.basisReference.trim() } }));
  }
  return body;
}

/** Where the step form shows each problem (see placeProblems). */
function stepPointers(f: StepForm): string[] {
  const pointers = ['/key', '/kind', '/endpoint', '/outputs', '/titles', '/serviceNorm', '/serviceNorm/target', '/serviceNorm/warn', '/serviceNorm/escalate', '/dataRequirements', ...LANGUAGES.map((l) => `/titles/${l}`), ...APPOINTMENT_POINTERS, ...(f.kind === 'payment' ? PAYMENT_POINTERS : [])];
  f.requirements.forEach((_, i) => {
    const at = `/dataRequirements/${i}`;
    pointers.push(at, `${at}/source`, `${at}/field`, `${at}/purpose`, `${at}/legalBasis/type`, `${at}/legalBasis/reference`, ...LANGUAGES.map((l) => `${at}/purpose/${l}`));
  });
  return pointers;
}

/** A group of fields (fieldset) with a problem of its own, tied to it. */
export function Group({ id, legend, error, hint, children, class: cls }: { id: string; legend: string; error?: string; hint?: string; children: ComponentChildren; class?: string }) {
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <fieldset id={id} class={cls} aria-invalid={error ? 'true' : undefined} aria-describedby={described}>
      <legend>{legend}</legend>
      {hint ? (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      <FieldError id={id} error={error} />
      {children}
    </fieldset>
  );
}

const inputOf = (value: string, onInput: (v: string) => void, readOnly = false) => (props: ControlProps) => (
  <input {...props} value={value} readOnly={readOnly} onInput={(e) => onInput((e.target as HTMLInputElement).value)} />
);

/** The step form: every problem the API finds (problem+json, JSON pointers) is shown at its field. */
function StepEditor({ initial, agencies, lockIdentity, onSave, submitLabel }: { initial: StepForm; agencies: AgencyView[]; lockIdentity: boolean; onSave: (f: StepForm) => Promise<void>; submitLabel: string }) {
  const [form, setForm] = useState<StepForm>(initial);
  const { busy, problem, setProblem, onSubmit } = useSubmit(() => onSave(form));
  const sources = useResource<SourceView[]>('/sources');
  const formRef = useFocusFirstInvalid(problem);
  const { at, other } = placeProblems(problem, stepPointers(form));
  const field = (id: string, pointer: string, label: string, value: string, onInput: (v: string) => void, hint?: string) => (
    <Field id={id} label={label} hint={hint} error={at(pointer)} control={inputOf(value, onInput, lockIdentity && pointer === '/key')} />
  );
  const setRequirement = (i: number, change: Partial<RequirementForm>) => setForm({ ...form, requirements: form.requirements.map((r, j) => (j === i ? { ...r, ...change } : r)) });
  return (
    <form class="form" ref={formRef} onSubmit={onSubmit} noValidate>
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
      {field('step-key', '/key', t('catalog.key'), form.key, (v) => setForm({ ...form, key: v }), t('catalog.keyHint'))}
      <SelectField id="step-kind" label={t('catalog.kind')} error={at('/kind')} value={form.kind} options={KINDS} optionLabel={(k) => t(`catalog.kind.${k}`)} onChange={(kind) => setForm({ ...form, kind })} />
      <Group id="step-titles" legend={t('catalog.titles')} error={at('/titles')}>
        {LANGUAGES.map((l) => field(`step-title-${l}`, `/titles/${l}`, t(`language.${l}`), form.titles[l] ?? '', (v) => setForm({ ...form, titles: { ...form.titles, [l]: v } })))}
      </Group>
      {form.kind === 'automatic' || form.kind === 'appointment' || at('/endpoint')
        ? field('step-endpoint', '/endpoint', t(form.kind === 'appointment' ? 'catalog.calendarEndpoint' : 'catalog.endpoint'), form.endpoint, (v) => setForm({ ...form, endpoint: v }), t(form.kind === 'appointment' ? 'catalog.calendarEndpointHint' : 'catalog.endpointHint'))
        : null}
      {form.kind === 'appointment' ? <AppointmentFields value={form.appointment} at={at} onChange={(appointment) => setForm({ ...form, appointment })} /> : null}
      {form.kind === 'automatic' || at('/outputs') ? field('step-outputs', '/outputs', t('catalog.outputs'), form.outputs, (v) => setForm({ ...form, outputs: v }), t('catalog.outputsHint')) : null}
      {form.kind === 'payment' || at('/payment') ? <PaymentFields value={form.payment} at={at} onChange={(payment) => setForm({ ...form, payment })} /> : null}
      <Group id="step-norm" legend={t('catalog.serviceNorm')} hint={t('catalog.serviceNormHint')} error={at('/serviceNorm')}>
        {field('step-target', '/serviceNorm/target', t('catalog.target'), form.target, (v) => setForm({ ...form, target: v }))}
        {field('step-warn', '/serviceNorm/warn', t('catalog.warn'), form.warn, (v) => setForm({ ...form, warn: v }))}
        {field('step-escalate', '/serviceNorm/escalate', t('catalog.escalate'), form.escalate, (v) => setForm({ ...form, escalate: v }))}
      </Group>
      <Group id="step-data" legend={t('catalog.data')} hint={t('catalog.dataHint')} error={at('/dataRequirements')}>
        <ErrorMessage error={sources.error} />
        {form.requirements.map((r, i) => (
          <RequirementFields key={r.uid} index={i} req={r} sources={sources.data ?? []} at={at} onChange={(change) => setRequirement(i, change)} onRemove={() => {
            setProblem(undefined);
            setForm({ ...form, requirements: form.requirements.filter((_, j) => j !== i) });
          }} />
        ))}
        <button type="button" class="button small secondary" onClick={() => setForm({ ...form, requirements: [...form.requirements, emptyRequirement()] })}>
          {t('catalog.addData')}
        </button>
      </Group>
      <ProblemSummary problem={problem} other={other} fixText={t('catalog.fixErrors')} />
      <button type="submit" class="button" disabled={busy}>
        {submitLabel}
      </button>
    </form>
  );
}

/** One field the step needs: from which source, why (per language) and on what legal basis. */
function RequirementFields({ index, req, sources, at, onChange, onRemove }: { index: number; req: RequirementForm; sources: SourceView[]; at: (pointer: string) => string | undefined; onChange: (change: Partial<RequirementForm>) => void; onRemove: () => void }) {
  const id = `data-${index}`;
  const base = `/dataRequirements/${index}`;
  const source = sources.find((s) => s.key === req.source);
  const fields = source?.fields ?? [];
  return (
    <Group id={id} class="item" legend={t('catalog.dataItem', { n: index + 1 })} error={at(base)}>
      <div class="item-grid">
        <Field
          id={`${id}-source`}
          label={t('catalog.source')}
          error={at(`${base}/source`)}
          control={(props) => (
            <select {...props} value={req.source} onChange={(e) => onChange({ source: (e.target as HTMLSelectElement).value, field: '' })}>
              <option value="">{t('catalog.chooseSource')}</option>
              {sources.map((s) => (
                <option key={s.key} value={s.key}>
                  {tr(s.titles, s.key)}
                </option>
              ))}
              {req.source && !source ? <option value={req.source}>{req.source}</option> : null}
            </select>
          )}
        />
        <Field
          id={`${id}-field`}
          label={t('catalog.sourceField')}
          error={at(`${base}/field`)}
          control={(props) => (
            <select {...props} value={req.field} onChange={(e) => onChange({ field: (e.target as HTMLSelectElement).value })}>
              <option value="">{t('catalog.chooseField')}</option>
              {fields.map((f) => (
                <option key={f.field} value={f.field}>
                  {`${tr(f.titles, f.field)} (${f.field})`}
                </option>
              ))}
              {req.field && !fields.some((f) => f.field === req.field) ? <option value={req.field}>{req.field}</option> : null}
            </select>
          )}
        />
      </div>
      <Group id={`${id}-purpose`} legend={t('catalog.purpose')} error={at(`${base}/purpose`)}>
        <div class="item-grid">
          {LANGUAGES.map((l) => (
            <Field key={l} id={`${id}-purpose-${l}`} label={t(`language.${l}`)} error={at(`${base}/purpose/${l}`)} control={inputOf(req.purpose[l] ?? '', (v) => onChange({ purpose: { ...req.purpose, [l]: v } }))} />
          ))}
        </div>
      </Group>
      <div class="item-grid">
        <SelectField id={`${id}-basis`} label={t('catalog.legalBasis')} error={at(`${base}/legalBasis/type`)} value={req.basisType} options={LEGAL_BASES} optionLabel={(b) => t(`catalog.basis.${b}`)} onChange={(basisType) => onChange({ basisType })} />
        <Field id={`${id}-reference`} label={t('catalog.legalReference')} hint={t('catalog.legalReferenceHint')} error={at(`${base}/legalBasis/reference`)} control={inputOf(req.basisReference, (v) => onChange({ basisReference: v }))} />
      </div>
      <button type="button" class="button small secondary" onClick={onRemove}>
        {t('catalog.removeData', { n: index + 1 })}
      </button>
    </Group>
  );
}

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
  const initial: StepForm = { agency: mine[0]?.code ?? session.agency ?? '', key: '', kind: 'caseworker', titles: {}, endpoint: '', outputs: '', target: 'P5D', warn: '', escalate: '', requirements: [], appointment: emptyAppointment(), payment: emptyPayment() };
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
  const manage = canManage(session, agency);
  const list = versions.data ?? [];
  const latest = list[list.length - 1];
  const { error, act, note, setNote } = useLifecycle(`/agencies/${agency}/steps/${stepKey}`, versions.reload);
  return (
    <>
      <VersionsHeader title={latest ? tr(latest.titles, stepKey) : stepKey} note={note} error={error ?? versions.error} loading={versions.loading} />
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
