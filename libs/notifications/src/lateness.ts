import { AGENCY_STEP_KINDS, JOURNEY_UNDER_WAY, newExpectedDate, STEP_UNDER_WAY, type ServiceNorm } from '@levensloop/domain';

// The rules live in the domain, where the journey workflow runs them on its timers.
export { AGENCY_STEP_KINDS, JOURNEY_UNDER_WAY, newExpectedDate, STEP_UNDER_WAY };

/** A step as the read model has it, with the journey's status. */
export interface StepProgress {
  kind: string;
  status: string;
  journeyStatus: string;
  startedAt: Date | null;
  dueAt: Date | null;
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

/** The delay notice a step calls for now (undefined: it is not late). */
export function delayNotice(step: StepProgress, norm: Partial<ServiceNorm> | null | undefined, now: Date): { newExpectedDate: Date } | undefined {
  return isLate(step, now) ? { newExpectedDate: newExpectedDate(step.startedAt, norm, now) } : undefined;
}
