import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import type { ApiError } from './api';
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
export function StepGraph({ steps, label }: { steps: GraphStep[]; label: string }) {
  const layout = layoutGraph(steps);
  const byKey = new Map(steps.map((s) => [s.key, s]));
  const descId = 'graph-desc';
  return (
    <div class="graph-scroll" tabIndex={0} role="group" aria-label={label}>
      <svg class="graph" width={layout.width} height={layout.height} viewBox={`0 0 ${layout.width} ${layout.height}`} role="img" aria-labelledby="graph-title" aria-describedby={descId}>
        <title id="graph-title">{label}</title>
        <desc id={descId}>
          {steps.map((s) => `${s.title}: ${s.status ? t(`step.status.${s.status}`) : ''}${s.dependsOn?.length ? ` (${t('graph.after', { steps: s.dependsOn.map((d) => byKey.get(d)?.title ?? d).join(', ') })})` : ''}`).join('; ')}
        </desc>
        <defs>
          <marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse">
            <path d="M0,0 L10,5 L0,10 z" class="graph-arrow" />
          </marker>
        </defs>
        {layout.edges.map((e) => (
          <path key={`${e.from}-${e.to}`} d={e.d} class="graph-edge" marker-end="url(#arrow)" />
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

/** Focus the first element with a problem after a refused submit. */
export function useFocusFirstInvalid(trigger: unknown) {
  const ref = useRef<HTMLFormElement>(null);
  useEffect(() => {
    if (!trigger) return;
    const el = ref.current?.querySelector<HTMLElement>('[aria-invalid="true"]');
    el?.focus();
  }, [trigger]);
  return ref;
}
