import { addDuration, type ServiceNorm } from '@levensloop/domain';

/** The steps an agency works on: those whose lateness the citizen is told about. */
export const AGENCY_STEP_KINDS: readonly string[] = ['automatic', 'caseworker', 'decision'];
/** Still under way: a late step in any other status is not apologised for any more. */
export const STEP_UNDER_WAY: readonly string[] = ['running', 'waiting', 'needs_attention'];
export const JOURNEY_UNDER_WAY: readonly string[] = ['running', 'needs_attention'];

/** A step as the read model has it, with the journey's status. */
export interface StepProgress {
  kind: string;
  status: string;
  journeyStatus: string;
  startedAt: Date | null;
  dueAt: Date | null;
}

/** A node of a life event's definition, as far as lateness needs it. */
export interface LifeEventNodeRef {
  key: string;
  step?: { agency: string; key: string; version: number };
}

/** An agency's step past its service norm, while it and its journey are still under way. */
export function isLate(step: StepProgress, now: Date): boolean {
  return (
    AGENCY_STEP_KINDS.includes(step.kind) &&
    STEP_UNDER_WAY.includes(step.status) &&
    JOURNEY_UNDER_WAY.includes(step.journeyStatus) &&
    !!step.dueAt &&
    step.dueAt.getTime() < now.getTime()
  );
}

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

/** The delay notice a step calls for now (undefined: it is not late). */
export function delayNotice(step: StepProgress, norm: Partial<ServiceNorm> | null | undefined, now: Date): { newExpectedDate: Date } | undefined {
  return isLate(step, now) ? { newExpectedDate: newExpectedDate(step.startedAt, norm, now) } : undefined;
}
