import { addDuration, durationToMs, parseDuration } from './durations';
import type { RetryPolicy, ServiceNorm, StepKind } from './model';

/**
 * What a citizen is told about time, as pure rules the journey workflow runs on its own timers:
 * a reminder before their task is due, and an apology with a new date when an agency's step
 * passes its due date.
 */

/** The steps an agency works on: those whose lateness the citizen is told about. */
export const AGENCY_STEP_KINDS: readonly string[] = ['automatic', 'caseworker', 'decision'] satisfies readonly StepKind[];
/** Still under way: a late step in any other status is not apologised for any more. */
export const STEP_UNDER_WAY: readonly string[] = ['running', 'waiting', 'needs_attention'];
export const JOURNEY_UNDER_WAY: readonly string[] = ['running', 'needs_attention'];

/**
 * The new expected date a delay notice gives: the escalation instant of the norm when it is
 * still ahead, else now plus the norm's target (five days without a norm). Counted from the step's
 * start (now when unknown).
 */
export function newExpectedDate(startedAt: Date | null, norm: Partial<ServiceNorm> | null | undefined, now: Date): Date {
  const started = (startedAt ?? now).toISOString();
  const escalate = norm?.escalate ? new Date(addDuration(started, norm.escalate)) : undefined;
  return escalate && escalate > now ? escalate : new Date(addDuration(now.toISOString(), norm?.target ?? 'P5D'));
}

/** The instant a reminder goes out: `before` (an ISO duration) ahead of the due date; undefined without either. */
export function reminderAt(dueAt: string | undefined, before: string | undefined): string | undefined {
  const lead = parseDuration(before);
  if (!dueAt || lead === undefined) return undefined;
  return new Date(Date.parse(dueAt) - lead).toISOString();
}

/**
 * The longest a call with this retry policy can take: every attempt to its timeout and every wait
 * between attempts to its cap (Temporal's backoff: the initial interval times the coefficient per
 * retry, at most the maximum interval). Without an attempt limit: no bound.
 */
export function longestCallMs(policy: RetryPolicy, attemptTimeoutMs: number): number {
  if (!(policy.maximumAttempts >= 1)) return Number.POSITIVE_INFINITY;
  const cap = durationToMs(policy.maximumInterval);
  let interval = durationToMs(policy.initialInterval);
  let total = attemptTimeoutMs;
  for (let retry = 1; retry < policy.maximumAttempts; retry++) {
    total += Math.min(interval, cap) + attemptTimeoutMs;
    interval *= policy.backoffCoefficient;
  }
  return total;
}

/** What waiting in a busy task queue may add to a call, on top of its attempts. */
export const CALL_QUEUE_SLACK_MS = 60_000;

/**
 * Whether a call started at `now` may still be under way at the step's due date, so that the
 * delay notice must be able to come during the call (a timer racing it). Nearly every call is
 * bounded well within its step's norm; those need no timer (two history events each).
 */
export function callMayOutlast(dueAt: string | undefined, now: number, policy: RetryPolicy, attemptTimeoutMs: number): boolean {
  if (!dueAt) return false;
  const due = Date.parse(dueAt);
  return due > now && now + longestCallMs(policy, attemptTimeoutMs) + CALL_QUEUE_SLACK_MS >= due;
}

/**
 * Whether a citizen's task that opens at `now` is reminded at once: its reminder instant has
 * passed and it is not due yet. A task that opens past its due date gets no reminder (the
 * agency's step it belongs to gets its delay notice instead, as the dispatcher's sweep did).
 */
export function remindsAtOpening(dueAt: string | undefined, before: string | undefined, now: number): boolean {
  const at = reminderAt(dueAt, before);
  return !!at && Date.parse(at) <= now && now < Date.parse(dueAt!);
}
