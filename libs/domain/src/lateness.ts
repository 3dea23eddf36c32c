import { addDuration, parseDuration } from './durations';
import type { ServiceNorm, StepKind } from './model';

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
