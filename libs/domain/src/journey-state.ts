import { addDuration } from './durations';
import { isJourneyFinished } from './planning';
import type { JourneyStatus, LifeEventSnapshot, ServiceNorm, StepState } from './model';

/**
 * Pure helpers for the journey state machine. Instants are ISO-8601 strings and "now" is always
 * passed in (in a workflow: from the workflow's deterministic clock).
 */

/** One 'pending' state per node, with the agency and kind of its pinned step definition. */
export function initialStepStates(snapshot: LifeEventSnapshot): Record<string, StepState> {
  return Object.fromEntries(
    snapshot.nodes.map((n) => [n.key, { key: n.key, agency: n.definition.agency, kind: n.definition.kind, status: 'pending', attempts: 0 } satisfies StepState]),
  );
}

/**
 * The journey status the steps imply: 'needs_attention' while any step needs a caseworker;
 * once every step is terminal, 'cancelled' if any step was cancelled (steps are only cancelled
 * with their journey), else 'completed'; otherwise 'running'.
 */
export function journeyStatus(states: Record<string, StepState>): JourneyStatus {
  const all = Object.values(states);
  if (all.some((s) => s.status === 'needs_attention')) return 'needs_attention';
  if (isJourneyFinished(states)) return all.some((s) => s.status === 'cancelled') ? 'cancelled' : 'completed';
  return 'running';
}

/**
 * Whether a step's service-norm clock runs: it has started and is not terminal. A step in
 * 'needs_attention' counts too: the citizen is still waiting for it. A suspended legal clock
 * (the step waits on the citizen, see legal-clock.ts) does not run.
 */
const clockRuns = (s: StepState) => (s.status === 'running' || s.status === 'waiting' || s.status === 'needs_attention') && !s.clock?.suspendedAt;

/** The earliest `dueAt` among steps whose clock runs (running, waiting, needs_attention), if any. */
export function nextDueAt(states: Record<string, StepState>): string | undefined {
  let next: string | undefined;
  let nextMs = Infinity;
  for (const s of Object.values(states)) {
    if (!clockRuns(s) || !s.dueAt) continue;
    const ms = Date.parse(s.dueAt);
    if (ms < nextMs) {
      next = s.dueAt;
      nextMs = ms;
    }
  }
  return next;
}

/** A step is overdue when its clock runs and its due date lies before `nowIso`. */
export function isStepOverdue(step: StepState, nowIso: string): boolean {
  return clockRuns(step) && !!step.dueAt && Date.parse(step.dueAt) < Date.parse(nowIso);
}

/** The keys of the overdue steps, in state order. */
export function overdueSteps(states: Record<string, StepState>, nowIso: string): string[] {
  return Object.values(states).filter((s) => isStepOverdue(s, nowIso)).map((s) => s.key);
}

/** Whether any step of the journey is overdue at `nowIso`. */
export function isOverdue(states: Record<string, StepState>, nowIso: string): boolean {
  return Object.values(states).some((s) => isStepOverdue(s, nowIso));
}

/** The deadlines of a step started at `startedAt`: due (target), and warn/escalate when the norm has them. */
export function serviceNormDeadlines(startedAt: string, norm: ServiceNorm): Pick<StepState, 'dueAt' | 'warnAt' | 'escalateAt'> & { dueAt: string } {
  return {
    dueAt: addDuration(startedAt, norm.target),
    ...(norm.warn ? { warnAt: addDuration(startedAt, norm.warn) } : {}),
    ...(norm.escalate ? { escalateAt: addDuration(startedAt, norm.escalate) } : {}),
  };
}
