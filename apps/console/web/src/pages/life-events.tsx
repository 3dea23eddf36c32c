import { useState } from 'preact/hooks';
import { ApiError, post, put, useResource, type FieldProblem } from '../api';
import { ErrorMessage, Field, FieldError, PageTitle, placeProblems, ProblemSummary, SelectField, StepGraph, useFocusFirstInvalid, useSubmit, type ControlProps } from '../components';
import { LANGUAGES, t, tr } from '../i18n';
import { Link, navigate } from '../router';
import { hasRole, type Session } from '../session';
import { OfferedByRole } from './offered-by';
import { cleanTexts, Group, LifecycleButton, nextUid, useLifecycle, VersionsHeader, VersionStatus, type AgencyView, type LifeEventVersion, type StepVersion } from './catalog';

interface NodeForm {
  uid: number;
  key: string;
  /** `agency/key` of the step, '' when none is chosen yet. */
  step: string;
  version: string;
  /** Node keys separated by commas. */
  dependsOn: string;
  /** JSONLogic as JSON text; '' for none. */
  condition: string;
  optional: boolean;
}

interface LifeEventForm {
  key: string;
  audience: string;
  titles: Record<string, string>;
  nodes: NodeForm[];
}

const AUDIENCES = ['citizen', 'business'];

const emptyNode = (): NodeForm => ({ uid: nextUid(), key: '', step: '', version: '', dependsOn: '', condition: '', optional: false });

const toForm = (v?: LifeEventVersion): LifeEventForm =>
  v
    ? {
        key: v.key,
        audience: v.audience,
        titles: { ...v.titles } as Record<string, string>,
        nodes: v.nodes.map((n) => ({
          uid: nextUid(),
          key: n.key,
          step: `${n.step.agency}/${n.step.key}`,
          version: String(n.step.version),
          dependsOn: (n.dependsOn ?? []).join(', '),
          condition: n.condition === undefined ? '' : JSON.stringify(n.condition),
          optional: !!n.optional,
        })),
      }
    : { key: '', audience: 'citizen', titles: {}, nodes: [emptyNode()] };

const splitKeys = (text: string) => text.split(/[\s,]+/).filter(Boolean);

/**
 * The definition for the API (what the form does not edit, the triggers, is kept), or the
 * problems found before asking it: a node without a step, a condition that is not JSON.
 */
function toBody(f: LifeEventForm, base?: LifeEventVersion): { body: Record<string, unknown>; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const nodes = f.nodes.map((n, i) => {
    const slash = n.step.indexOf('/');
    if (!n.step) problems.push({ path: `/nodes/${i}/step`, message: t('lifeEvent.chooseStepFirst') });
    else if (!n.version) problems.push({ path: `/nodes/${i}/step/version`, message: t('lifeEvent.chooseVersionFirst') });
    let condition: unknown;
    if (n.condition.trim()) {
      try {
        condition = JSON.parse(n.condition);
      } catch {
        problems.push({ path: `/nodes/${i}/condition`, message: t('lifeEvent.conditionNotJson') });
      }
    }
    const dependsOn = splitKeys(n.dependsOn);
    return {
      key: n.key.trim(),
      step: { agency: n.step.slice(0, slash), key: n.step.slice(slash + 1), version: Number(n.version) },
      ...(dependsOn.length ? { dependsOn } : {}),
      ...(condition !== undefined ? { condition } : {}),
      ...(n.optional ? { optional: true } : {}),
    };
  });
  const body: Record<string, unknown> = { key: f.key.trim(), audience: f.audience, titles: cleanTexts(f.titles), nodes };
  if (base?.triggers) body.triggers = base.triggers;
  return { body, problems };
}

function pointersOf(f: LifeEventForm): string[] {
  const pointers = ['/key', '/audience', '/titles', '/nodes', ...LANGUAGES.map((l) => `/titles/${l}`)];
  f.nodes.forEach((_, i) => {
    const at = `/nodes/${i}`;
    pointers.push(at, `${at}/key`, `${at}/step`, `${at}/step/version`, `${at}/dependsOn`, `${at}/condition`, `${at}/optional`);
  });
  return pointers;
}

interface PublishedStep {
  agency: string;
  key: string;
  titles: StepVersion['titles'];
  versions: number[];
}

/** Published step versions by agency and step, to pick from. */
function publishedSteps(versions: StepVersion[]): Map<string, PublishedStep> {
  const steps = new Map<string, PublishedStep>();
  for (const v of versions) {
    const id = `${v.agency}/${v.key}`;
    const s = steps.get(id) ?? { agency: v.agency, key: v.key, titles: v.titles, versions: [] };
    s.versions.push(v.version);
    s.titles = v.titles; // the newest version's titles (versions come oldest first)
    steps.set(id, s);
  }
  return steps;
}

/**
 * The life-event form: key, audience, titles, and the graph's nodes (a published step and
 * version each, its key, what it waits for, an optional JSONLogic condition), with a preview
 * of the graph; every problem the API finds is shown at the field its JSON pointer names.
 */
function LifeEventEditor({ initial, base, lockKey, onSave }: { initial: LifeEventForm; base?: LifeEventVersion; lockKey: boolean; onSave: (body: Record<string, unknown>) => Promise<void> }) {
  const [form, setForm] = useState<LifeEventForm>(initial);
  const { busy, problem, setProblem, submit: save } = useSubmit(onSave);
  const stepVersions = useResource<StepVersion[]>('/steps?status=published');
  const agencies = useResource<AgencyView[]>('/agencies');
  const formRef = useFocusFirstInvalid(problem);
  const { at, other } = placeProblems(problem, pointersOf(form));
  const steps = publishedSteps(stepVersions.data ?? []);
  const byAgency = new Map<string, PublishedStep[]>();
  for (const s of steps.values()) byAgency.set(s.agency, [...(byAgency.get(s.agency) ?? []), s]);
  const agencyName = (code: string) => tr(agencies.data?.find((a) => a.code === code)?.names, code);
  const setNode = (i: number, change: Partial<NodeForm>) => setForm({ ...form, nodes: form.nodes.map((n, j) => (j === i ? { ...n, ...change } : n)) });

  const submit = (e: Event) => {
    e.preventDefault();
    const { body, problems } = toBody(form, base);
    if (problems.length) {
      setProblem(new ApiError(422, { title: 'Invalid', status: 422, detail: '', errors: problems }));
      return;
    }
    void save(body);
  };

  // The preview draws what is typed; keys that are empty or taken twice get a stand-in, so every box shows.
  const seen = new Set<string>();
  const preview = form.nodes.map((n, i) => {
    let key = n.key.trim() || `#${i + 1}`;
    if (seen.has(key)) key = `${key}#${i + 1}`;
    seen.add(key);
    const step = steps.get(n.step);
    return { key, title: `${n.key.trim() || '…'}: ${step ? tr(step.titles, step.key) : t('lifeEvent.noStep')}`, dependsOn: splitKeys(n.dependsOn), optional: n.optional };
  });
  const keys = form.nodes.map((n) => n.key.trim()).filter(Boolean);

  return (
    <form class="form" ref={formRef} onSubmit={submit} noValidate>
      <Field id="le-key" label={t('catalog.key')} hint={t('catalog.keyHint')} error={at('/key')} control={(p: ControlProps) => <input {...p} value={form.key} readOnly={lockKey} onInput={(e) => setForm({ ...form, key: (e.target as HTMLInputElement).value })} />} />
      <SelectField id="le-audience" label={t('lifeEvent.audience')} error={at('/audience')} value={form.audience} options={AUDIENCES} optionLabel={(a) => t(`lifeEvent.audience.${a}`)} onChange={(audience) => setForm({ ...form, audience })} />
      <Group id="le-titles" legend={t('catalog.titles')} error={at('/titles')}>
        {LANGUAGES.map((l) => (
          <Field key={l} id={`le-title-${l}`} label={t(`language.${l}`)} error={at(`/titles/${l}`)} control={(p) => <input {...p} value={form.titles[l] ?? ''} onInput={(e) => setForm({ ...form, titles: { ...form.titles, [l]: (e.target as HTMLInputElement).value } })} />} />
        ))}
      </Group>
      {base?.triggers?.length ? <p class="hint">{t('lifeEvent.triggersKept', { count: base.triggers.length })}</p> : null}
      <Group id="le-nodes" legend={t('lifeEvent.nodes')} hint={t('lifeEvent.nodesHint')} error={at('/nodes')}>
        <ErrorMessage error={stepVersions.error ?? agencies.error} />
        {form.nodes.map((n, i) => {
          const id = `node-${i}`;
          const base = `/nodes/${i}`;
          const chosen = steps.get(n.step);
          const versions = chosen?.versions ?? [];
          return (
            <Group key={n.uid} id={id} class="item" legend={t('lifeEvent.node', { n: i + 1 })} error={at(base)}>
              <div class="item-grid">
                <Field
                  id={`${id}-step`}
                  label={t('lifeEvent.step')}
                  error={at(`${base}/step`)}
                  control={(p) => (
                    <select
                      {...p}
                      value={n.step}
                      onChange={(e) => {
                        const step = (e.target as HTMLSelectElement).value;
                        const found = steps.get(step);
                        // A new node takes the step's key until it is given one of its own.
                        setNode(i, { step, version: found ? String(found.versions[found.versions.length - 1]) : '', key: n.key.trim() ? n.key : found?.key ?? '' });
                      }}
                    >
                      <option value="">{t('lifeEvent.chooseStep')}</option>
                      {[...byAgency].map(([agency, list]) => (
                        <optgroup key={agency} label={agencyName(agency)}>
                          {list.map((s) => (
                            <option key={s.key} value={`${s.agency}/${s.key}`}>
                              {tr(s.titles, s.key)}
                            </option>
                          ))}
                        </optgroup>
                      ))}
                      {n.step && !chosen ? <option value={n.step}>{t('lifeEvent.notPublished', { step: n.step })}</option> : null}
                    </select>
                  )}
                />
                <Field
                  id={`${id}-version`}
                  label={t('lifeEvent.version')}
                  error={at(`${base}/step/version`)}
                  control={(p) => (
                    <select {...p} value={n.version} onChange={(e) => setNode(i, { version: (e.target as HTMLSelectElement).value })}>
                      {n.version === '' ? <option value="">–</option> : null}
                      {[...versions].reverse().map((v) => (
                        <option key={v} value={String(v)}>
                          {t('catalog.version', { version: v })}
                        </option>
                      ))}
                      {n.version && !versions.includes(Number(n.version)) ? <option value={n.version}>{t('lifeEvent.versionNotPublished', { version: n.version })}</option> : null}
                    </select>
                  )}
                />
                <Field id={`${id}-key`} label={t('lifeEvent.nodeKey')} hint={t('lifeEvent.nodeKeyHint')} error={at(`${base}/key`)} control={(p) => <input {...p} value={n.key} onInput={(e) => setNode(i, { key: (e.target as HTMLInputElement).value })} />} />
                <Field
                  id={`${id}-dependsOn`}
                  label={t('lifeEvent.dependsOn')}
                  hint={keys.length ? t('lifeEvent.dependsOnHint', { keys: keys.filter((k) => k !== n.key.trim()).join(', ') || '–' }) : t('lifeEvent.dependsOnHintEmpty')}
                  error={at(`${base}/dependsOn`)}
                  control={(p) => <input {...p} value={n.dependsOn} onInput={(e) => setNode(i, { dependsOn: (e.target as HTMLInputElement).value })} />}
                />
              </div>
              <Field
                id={`${id}-condition`}
                label={t('lifeEvent.condition')}
                hint={t('lifeEvent.conditionHint')}
                error={at(`${base}/condition`)}
                control={(p) => <textarea {...p} class="code" rows={2} spellcheck={false} value={n.condition} onInput={(e) => setNode(i, { condition: (e.target as HTMLTextAreaElement).value })} />}
              />
              <div class="choice">
                <input type="checkbox" id={`${id}-optional`} checked={n.optional} onChange={(e) => setNode(i, { optional: (e.target as HTMLInputElement).checked })} aria-invalid={at(`${base}/optional`) ? 'true' : undefined} aria-describedby={at(`${base}/optional`) ? `${id}-optional-error` : undefined} />
                <label for={`${id}-optional`}>{t('lifeEvent.optional')}</label>
              </div>
              <FieldError id={`${id}-optional`} error={at(`${base}/optional`)} />
              {form.nodes.length > 1 ? (
                <button
                  type="button"
                  class="button small secondary"
                  onClick={() => {
                    setProblem(undefined);
                    setForm({ ...form, nodes: form.nodes.filter((_, j) => j !== i) });
                  }}
                >
                  {t('lifeEvent.removeNode', { n: i + 1 })}
                </button>
              ) : null}
            </Group>
          );
        })}
        <button type="button" class="button small secondary" onClick={() => setForm({ ...form, nodes: [...form.nodes, emptyNode()] })}>
          {t('lifeEvent.addNode')}
        </button>
      </Group>
      <section aria-labelledby="preview-h">
        <h3 id="preview-h">{t('lifeEvent.preview')}</h3>
        <StepGraph id="preview" steps={preview} label={t('lifeEvent.previewLabel')} />
      </section>
      <ProblemSummary problem={problem} other={other} fixText={t('lifeEvent.fixErrors')} />
      <button type="submit" class="button" disabled={busy}>
        {t('catalog.saveDraft')}
      </button>
    </form>
  );
}

/** A new life event: a draft of version 1 (or the next version of an existing key). Catalog admins. */
export function NewLifeEvent() {
  return (
    <>
      <PageTitle>{t('lifeEvent.new')}</PageTitle>
      <p>
        <Link href="/catalog">{t('catalog.back')}</Link>
      </p>
      <p>{t('lifeEvent.newIntro')}</p>
      <LifeEventEditor
        initial={toForm()}
        lockKey={false}
        onSave={async (body) => {
          const created = await post<LifeEventVersion>('/life-events', body);
          navigate(`/catalog/life-events/${encodeURIComponent(created.key)}`);
        }}
      />
    </>
  );
}

/** A life event's versions and its graph; catalog admins edit the draft (or start a new version), publish and retire. */
export function LifeEventPage({ lifeEventKey, session }: { lifeEventKey: string; session: Session }) {
  const versions = useResource<LifeEventVersion[]>(`/life-events/${encodeURIComponent(lifeEventKey)}`);
  const list = versions.data ?? [];
  const latest = list[list.length - 1];
  const admin = hasRole(session, 'catalog-admin');
  const { error, act, note, setNote } = useLifecycle(`/life-events/${lifeEventKey}`, versions.reload);
  return (
    <>
      <VersionsHeader title={latest ? tr(latest.titles, lifeEventKey) : lifeEventKey} note={note} error={error ?? versions.error} loading={versions.loading} />
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
                <strong>{n.key}</strong>:
                {n.step.agencyRole ? (
                  <OfferedByRole role={n.step.agencyRole} stepKey={n.step.key} />
                ) : (
                  <>
                    {' '}
                    <Link href={`/catalog/steps/${n.step.agency}/${n.step.key}`}>{`${n.step.agency}/${n.step.key}`}</Link> v{n.step.version}
                  </>
                )}
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
          <li key={v.version} data-version={v.version}>
            {t('catalog.version', { version: v.version })} <VersionStatus status={v.status} />
            {admin ? (
              <>
                {' '}
                <LifecycleButton version={v.version} status={v.status} act={act} />
              </>
            ) : null}
          </li>
        ))}
      </ul>
      {admin && latest ? (
        <section aria-labelledby="edit-title">
          <h2 id="edit-title">{latest.status === 'draft' ? t('catalog.editDraft', { version: latest.version }) : t('catalog.newVersion')}</h2>
          <LifeEventEditor
            key={`${latest.version}-${latest.status}`}
            initial={toForm(latest)}
            base={latest}
            lockKey
            onSave={async (body) => {
              const saved =
                latest.status === 'draft'
                  ? await put<LifeEventVersion>(`/life-events/${encodeURIComponent(lifeEventKey)}/versions/${latest.version}`, body)
                  : await post<LifeEventVersion>('/life-events', body);
              setNote(t('catalog.saved', { version: saved.version }));
              versions.reload();
            }}
          />
        </section>
      ) : null}
    </>
  );
}
