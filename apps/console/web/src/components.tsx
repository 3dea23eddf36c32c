import type { ComponentChildren } from 'preact';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import type { ApiError, FieldProblem } from './api';
import { layoutGraph, wrapText } from './graph';
import { t } from './i18n';

/** The page's heading: focused after a route change, so screen readers announce the new page. */
export function PageTitle({ children }: { children: ComponentChildren }) {
  return (
    <h1 id="page-title" tabIndex={-1}>
      {children}
    </h1>
  );
}

/** One fact of a `<dl class="facts">`: its label and its value. */
export function Fact({ label, children }: { label: string; children: ComponentChildren }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </div>
  );
}

/** A status in words (never colour alone). */
export function Status({ value, kind = 'step' }: { value: string; kind?: 'step' | 'journey' | 'task' }) {
  return <span class={`status status-${value}`}>{t(`${kind}.status.${value}`)}</span>;
}

export function Loading() {
  return (
    <p class="loading" role="status">
      {t('common.loading')}
    </p>
  );
}

/** A problem from the API in words, with the field problems listed. */
export function ErrorMessage({ error }: { error?: ApiError | Error }) {
  if (!error) return null;
  const problem = (error as ApiError).problem;
  const status = (error as ApiError).status;
  const text = status === 0 ? t('error.network') : status === 404 ? t('error.notFound') : status === 403 ? t('error.forbidden') : problem?.detail || error.message;
  return (
    <div class="error" role="alert">
      <p>{text}</p>
      {problem?.errors?.length ? (
        <ul>
          {problem.errors.map((e) => (
            <li key={e.path}>
              <code>{e.path}</code>: {e.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/**
 * A form's problem: the API's own words when no field is named; else one alert that sends the
 * reader to the fields, whose messages stand next to them.
 */
export function FormProblem({ problem }: { problem?: ApiError }) {
  if (!problem) return null;
  if (!problem.problem.errors?.length) return <ErrorMessage error={problem} />;
  return (
    <p class="error" role="alert">
      {t('task.fixErrors')}
    </p>
  );
}

/** A polite live region: what changed on the page, for screen readers (and a visible note). */
export function LiveNote({ text }: { text: string }) {
  return (
    <p class="live-note" role="status" aria-live="polite">
      {text}
    </p>
  );
}

export interface GraphStep {
  key: string;
  title: string;
  status?: string;
  agency?: string;
  dependsOn?: string[];
  optional?: boolean;
}

/**
 * The life event's graph as a picture: a box per step with its state in words, arrows for the
 * dependencies. The steps table next to it carries the same facts for assistive technology.
 */
export function StepGraph({ steps, label, id = 'graph' }: { steps: GraphStep[]; label: string; id?: string }) {
  const layout = layoutGraph(steps);
  const byKey = new Map(steps.map((s) => [s.key, s]));
  const descId = `${id}-desc`;
  return (
    <div class="graph-scroll" tabIndex={0} role="group" aria-label={label}>
      <svg class="graph" width={layout.width} height={layout.height} viewBox={`0 0 ${layout.width} ${layout.height}`} role="img" aria-labelledby={`${id}-title`} aria-describedby={descId}>
        <title id={`${id}-title`}>{label}</title>
        <desc id={descId}>
          {steps.map((s) => `${s.title}: ${s.status ? t(`step.status.${s.status}`) : ''}${s.dependsOn?.length ? ` (${t('graph.after', { steps: s.dependsOn.map((d) => byKey.get(d)?.title ?? d).join(', ') })})` : ''}`).join('; ')}
        </desc>
        <defs>
          <marker id={`${id}-arrow`} viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse">
            <path d="M0,0 L10,5 L0,10 z" class="graph-arrow" />
          </marker>
        </defs>
        {layout.edges.map((e) => (
          <path key={`${e.from}-${e.to}`} d={e.d} class="graph-edge" marker-end={`url(#${id}-arrow)`} />
        ))}
        {layout.nodes.map((n) => {
          const step = byKey.get(n.key)!;
          const lines = wrapText(step.title, 22);
          return (
            <g key={n.key} class={`graph-node node-${step.status ?? 'definition'}`} transform={`translate(${n.x},${n.y})`}>
              <rect width={layout.nodeWidth} height={layout.nodeHeight} rx="6" stroke-dasharray={step.optional ? '5 3' : undefined} />
              {lines.map((line, i) => (
                <text key={i} x="10" y={18 + i * 16} class="graph-title">
                  {line}
                </text>
              ))}
              {step.status ? (
                <text x="10" y={layout.nodeHeight - 10} class="graph-status">
                  {t(`step.status.${step.status}`)}
                </text>
              ) : null}
            </g>
          );
        })}
      </svg>
    </div>
  );
}

export interface Bar {
  label: string;
  value: number;
  /** What is written next to the bar (defaults to the value). */
  text?: string;
  /** A second, lighter value drawn over the bar (e.g. p90 next to the median). */
  secondary?: number;
}

/**
 * A horizontal bar chart: each bar is drawn in SVG, its label and figures are text next to it
 * (readable at any zoom, and the same facts for assistive technology).
 */
export function BarChart({ title, bars, id }: { title: string; bars: Bar[]; id: string }) {
  const max = Math.max(1, ...bars.map((b) => Math.max(b.value, b.secondary ?? 0)));
  const pct = (v: number) => Math.max(0.5, (100 * v) / max);
  return (
    <figure class="chart" aria-labelledby={`${id}-caption`}>
      <figcaption id={`${id}-caption`}>{title}</figcaption>
      {bars.length === 0 ? (
        <p>{t('common.noData')}</p>
      ) : (
        <ul class="bars" id={`${id}-desc`}>
          {bars.map((b) => (
            <li key={b.label}>
              <span class="bar-label">
                {b.label}: {b.text ?? b.value}
              </span>
              <svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" focusable="false">
                {b.secondary !== undefined ? <rect x="0" y="0" width={pct(b.secondary)} height="10" class="chart-bar-secondary" /> : null}
                <rect x="0" y="0" width={pct(b.value)} height="10" class="chart-bar" />
              </svg>
            </li>
          ))}
        </ul>
      )}
    </figure>
  );
}

/**
 * Focus the first element with a problem after a refused submit, as soon as it is drawn; in a
 * group with a problem of its own, the group's first control with a problem (else its first control).
 */
export function useFocusFirstInvalid(trigger: unknown) {
  const ref = useRef<HTMLFormElement>(null);
  useLayoutEffect(() => {
    if (!trigger) return;
    const el = ref.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
    const group = el?.matches('fieldset:not([tabindex])');
    (group ? (el!.querySelector<HTMLElement>('[aria-invalid="true"]:not(fieldset)') ?? el!.querySelector<HTMLElement>('input, select, textarea')) : el)?.focus();
  }, [trigger]);
  return ref;
}

/**
 * A form's submit: busy while `run` works, and what it threw as the form's problem (cleared at
 * each try). `onSubmit` is the form's handler (no reload, then `run()`); `submit(...args)` runs
 * the same from a button, or after a check of the form's own that sets `setProblem` instead.
 */
export function useSubmit<A extends unknown[] = []>(run: (...args: A) => Promise<unknown>) {
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ApiError | undefined>();
  const submit = async (...args: A) => {
    setBusy(true);
    setProblem(undefined);
    try {
      await run(...args);
    } catch (err) {
      setProblem(err as ApiError);
    } finally {
      setBusy(false);
    }
  };
  const onSubmit = (e: Event) => {
    e.preventDefault();
    void submit(...([] as unknown[] as A));
  };
  return { busy, problem, setProblem, onSubmit, submit };
}

/**
 * The problems of a refused save, each at the field its JSON pointer names: the field whose
 * pointer is the longest one the problem's path falls under (`/nodes/1/dependsOn/0` goes to
 * `/nodes/1/dependsOn`); what no field takes is listed at the foot of the form.
 */
export function placeProblems(problem: ApiError | undefined, pointers: string[]) {
  const at = new Map<string, string[]>();
  const other: FieldProblem[] = [];
  for (const e of problem?.problem.errors ?? []) {
    let best = '';
    for (const p of pointers) if ((e.path === p || e.path.startsWith(`${p}/`)) && p.length > best.length) best = p;
    if (best) at.set(best, [...(at.get(best) ?? []), e.message]);
    else other.push(e);
  }
  return { at: (pointer: string) => at.get(pointer)?.join(' '), other };
}

export interface ControlProps {
  id: string;
  'aria-invalid'?: 'true';
  'aria-describedby'?: string;
}

/** A labelled control with its hint and its problem, both tied to it. */
export function Field({ id, label, hint, error, control, class: cls = 'field' }: { id: string; label: string; hint?: string; error?: string; control: (props: ControlProps) => ComponentChildren; class?: string }) {
  const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div class={cls}>
      <label for={id}>{label}</label>
      {hint ? (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      {control({ id, 'aria-invalid': error ? 'true' : undefined, 'aria-describedby': described })}
      <FieldError id={id} error={error} />
    </div>
  );
}

/** A required free text (a reason, an explanation): a labelled textarea with its hint and problem. */
export function RequiredText({ id, label, hint, error, value, rows = 3, onInput }: { id: string; label: string; hint?: string; error?: string; value: string; rows?: number; onInput: (value: string) => void }) {
  return <Field id={id} label={label} hint={hint} error={error} control={(p) => <textarea {...p} rows={rows} required aria-required="true" value={value} onInput={(e) => onInput((e.target as HTMLTextAreaElement).value)} />} />;
}

/** A labelled choice among fixed values, each shown by its label. */
export function SelectField({ id, label, error, value, options, optionLabel, onChange }: { id: string; label: string; error?: string; value: string; options: readonly string[]; optionLabel: (option: string) => string; onChange: (value: string) => void }) {
  return (
    <Field
      id={id}
      label={label}
      error={error}
      control={(props) => (
        <select {...props} value={value} onChange={(e) => onChange((e.target as HTMLSelectElement).value)}>
          {options.map((o) => (
            <option key={o} value={o}>
              {optionLabel(o)}
            </option>
          ))}
        </select>
      )}
    />
  );
}

export function FieldError({ id, error }: { id: string; error?: string }) {
  return error ? (
    <p class="field-error" id={`${id}-error`}>
      {error}
    </p>
  ) : null;
}

/** The foot of a refused form: what to do, and the problems no field shows. */
export function ProblemSummary({ problem, other, fixText }: { problem?: ApiError; other: FieldProblem[]; fixText: string }) {
  if (!problem) return null;
  return (
    <div class="error" role="alert">
      <p>{problem.problem.errors?.length ? fixText : problem.status === 403 ? t('error.forbidden') : problem.status === 0 ? t('error.network') : problem.problem.detail}</p>
      {other.length ? (
        <ul>
          {other.map((e, i) => (
            <li key={i}>
              <code>{e.path || '/'}</code>: {e.message}
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
