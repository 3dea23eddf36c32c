/**
 * A referred decision answered by a caseworker is the decision: its completion event
 * (`step.completed` grants, `step.rejected` refuses) says so (`referred`, the outcome) and names the
 * remedy, as an automatic decision's `step.decided` does, so the citizen is told it once, with
 * the objection term (the projection files `decision.made` for it: libs/notifications
 * referral-decision.ts). Histories before this told nothing: `patched('17G-referral-decision-message')`,
 * asked only when a decision step's task completes.
 */
import { patched } from '@temporalio/workflow';
import type { StepState } from '@levensloop/domain';
import type { JourneyRun } from './journey-run';
import { objectionRemedy } from './remedy';

export const REFERRAL_DECISION_PATCH = '17G-referral-decision-message';

/** What the completion of a referred decision adds to its event's detail (nothing for another step). */
export function referralDecisionDetail(run: JourneyRun, step: StepState): Record<string, unknown> {
  const outcome = step.decision?.outcome;
  if (step.kind !== 'decision' || (outcome !== 'grant' && outcome !== 'deny')) return {};
  if (!patched(REFERRAL_DECISION_PATCH)) return {};
  return { referred: true, outcome, ...objectionRemedy(run, step) };
}
