import { DURATION_RULE, parseDuration } from './durations';
import { AGENCY_STEP_KINDS } from './lateness';
import type { LegalClock, ServiceNorm, StepState } from './model';

/**
 * The legal clock of a step's term (its service norm). An agency's term does not run while the
 * agency waits on the citizen (a consent, missing data, or information a caseworker asked for):
 * the clock is suspended, and when the answer comes it resumes and every deadline still ahead
 * (due, warning, escalation) moves by the time it stood still. A caseworker may extend the term
 * once, with a reason, by at most the step's `serviceNorm.maxExtension`. Pure: "now" is passed in.
 */

export type SuspendReason = NonNullable<LegalClock['suspendedFor']>;

type Steps = Readonly<Record<string, StepState>>;

/** A caseworker extends a step's term (the shape of the workflow's update input). */
export interface TermExtensionRequest {
  nodeKey: string;
  /** ISO-8601 duration, at most the step's `serviceNorm.maxExtension`. */
  extension?: string;
  reason?: string;
  by?: string;
}

/** A caseworker asks the citizen for information by a date (the shape of the workflow's update input). */
export interface InformationRequestInput {
  nodeKey: string;
  question?: string;
  dueAt?: string;
  by?: string;
}

const blank = (text: string | undefined) => !text?.trim();
const STATUSES_WITH_CLOCK: readonly string[] = ['running', 'waiting', 'needs_attention'];

/** The term is an agency's (automatic, caseworker, decision): a citizen's own step is not suspended for its own work. */
export function suspendsOnCitizen(step: Pick<StepState, 'kind'>): boolean {
  return AGENCY_STEP_KINDS.includes(step.kind);
}

export function isClockSuspended(step: Pick<StepState, 'clock'>): boolean {
  return !!step.clock?.suspendedAt;
}

/** Suspends the step's clock at `now` (false when it was suspended already or has no deadline). */
export function suspendClock(step: StepState, reason: SuspendReason, now: string): boolean {
  if (!step.dueAt || isClockSuspended(step)) return false;
  step.clock = { ...step.clock, suspendedAt: now, suspendedFor: reason };
  return true;
}

/**
 * Resumes a suspended clock at `now`: the deadlines still ahead (not yet rung) move by the time it
 * stood still. Returns the milliseconds suspended, or undefined when it was not suspended.
 */
export function resumeClock(step: StepState, now: string): number | undefined {
  const since = step.clock?.suspendedAt;
  if (!since) return undefined;
  const ms = Math.max(0, Date.parse(now) - Date.parse(since));
  const { suspendedAt: _at, suspendedFor: _for, ...rest } = step.clock!;
  step.clock = { ...rest, suspendedMs: (rest.suspendedMs ?? 0) + ms };
  shiftDeadlines(step, ms);
  return ms;
}

/** Moves the due date, and the warning and escalation not rung yet, by `ms`. */
export function shiftDeadlines(step: StepState, ms: number): void {
  if (ms <= 0) return;
  const shift = (iso: string) => new Date(Date.parse(iso) + ms).toISOString();
  if (step.dueAt) step.dueAt = shift(step.dueAt);
  if (step.warnAt && !step.warned) step.warnAt = shift(step.warnAt);
  if (step.escalateAt && !step.escalated) step.escalateAt = shift(step.escalateAt);
}

/** Extends the step's term (validated by `extendTermError`): returns the due dates before and after. */
export function extendTerm(step: StepState, request: Required<TermExtensionRequest>, now: string): { previousDueAt: string; dueAt: string } {
  const previousDueAt = step.dueAt!;
  shiftDeadlines(step, parseDuration(request.extension)!);
  step.clock = { ...step.clock, extension: { duration: request.extension, reason: request.reason.trim(), by: request.by, at: now } };
  return { previousDueAt, dueAt: step.dueAt! };
}

/**
 * Why an extension is refused: no such step, its term does not run (not started, or done), the
 * step declares no `maxExtension`, it was extended before, or the extension is not a duration
 * within the maximum; a reason is required.
 */
export function extendTermError(steps: Steps, norm: ServiceNorm | undefined, request: TermExtensionRequest): string | undefined {
  const step = steps[request.nodeKey];
  if (!step) return `Journey has no step '${request.nodeKey}'.`;
  if (!step.dueAt || !STATUSES_WITH_CLOCK.includes(step.status)) return `The term of step '${request.nodeKey}' does not run (step is ${step.status}); only a step under way can be extended.`;
  const max = norm?.maxExtension;
  if (!max) return `Step '${request.nodeKey}' declares no maximum extension (serviceNorm.maxExtension): its term cannot be extended.`;
  const previous = step.clock?.extension;
  if (previous) return `The term of step '${request.nodeKey}' was already extended (by ${previous.duration} on ${previous.at}); a term is extended once.`;
  const ms = parseDuration(request.extension);
  if (ms === undefined) return `The extension must be ${DURATION_RULE} (got ${JSON.stringify(request.extension ?? null)}).`;
  if (ms > parseDuration(max)!) return `The extension ${request.extension} is longer than this step allows (at most ${max}).`;
  if (blank(request.reason)) return 'Extending a term needs a reason.';
  return undefined;
}

/**
 * Why a request for information is refused: the step's own caseworker task must be open (a
 * caseworker step, or a decision referred to one), not held by another caseworker, with no
 * request still open; the question must be said and the due date lie ahead of `now`.
 */
export function requestInformationError(steps: Steps, request: InformationRequestInput, now: string): string | undefined {
  const step = steps[request.nodeKey];
  if (!step) return `Journey has no step '${request.nodeKey}'.`;
  if (step.kind !== 'caseworker' && step.kind !== 'decision') return `Step '${request.nodeKey}' has no caseworker working it; information is asked from a caseworker's task.`;
  if (step.status === 'waiting' && step.waitingFor === 'information') return `Information for step '${request.nodeKey}' was already asked (due ${step.information?.dueAt}); wait for the answer.`;
  if (step.status !== 'waiting' || (step.waitingFor ?? 'task') !== 'task') return `The caseworker task of step '${request.nodeKey}' is not open (step is ${step.status}).`;
  if (step.claimedBy && request.by !== step.claimedBy) return `The task is claimed by ${step.claimedBy}; only they can ask for information.`;
  if (blank(request.question)) return 'Say what information is asked.';
  const due = request.dueAt ? Date.parse(request.dueAt) : NaN;
  if (Number.isNaN(due)) return `The due date must be an ISO-8601 instant such as 2026-01-31T09:00:00Z (got ${JSON.stringify(request.dueAt ?? null)}).`;
  if (due <= Date.parse(now)) return `The due date (${request.dueAt}) must lie in the future.`;
  return undefined;
}

/** An answer to a request for information says something. */
export function informationAnswerError(answer: string | undefined): string | undefined {
  return blank(answer) ? 'Give the information asked (a text answer).' : undefined;
}
