/**
 * The remedy a decision names (in Belgium the "beroepsclausule"): a final decision whose step
 * declares an objection term says until when and with which agency the citizen may object; an
 * upheld objection followed by an appeal term says the same of the appeal. Carried in the timeline
 * event's detail, so the dispatcher tells the term end the workflow holds open and computes nothing.
 * Histories before this recorded no remedy: `patched('15R-remedy-in-decision')`.
 */
import { patched } from '@temporalio/workflow';
import { appealAgencyOf, appealTermEnd, objectionTermEnd, type StepState } from '@levensloop/domain';
import type { JourneyRun } from './journey-run';

export const REMEDY_PATCH = '15R-remedy-in-decision';

/** What a decision's event says of its remedy: which one, until when, and the agency when it is not the deciding one. */
export interface RemedyDetail {
  kind: 'objection' | 'appeal';
  until: string;
  agency?: string;
}

/** The objection open against a final decision (from its completion), as the event's detail adds it. */
export function objectionRemedy(run: JourneyRun, step: StepState, decidedAt = step.completedAt): { remedy?: RemedyDetail } {
  const policy = run.definition(step.key).objection;
  const outcome = step.decision?.outcome;
  if (!policy || !decidedAt || step.objection || (outcome !== 'grant' && outcome !== 'deny')) return {};
  if (!patched(REMEDY_PATCH)) return {};
  const agency = policy.reviewingAgency && policy.reviewingAgency !== step.agency ? { agency: policy.reviewingAgency } : {};
  return { remedy: { kind: 'objection', until: objectionTermEnd(decidedAt, policy), ...agency } };
}

/** The appeal open after an upheld objection (from its review), as the event's detail adds it. */
export function appealRemedy(run: JourneyRun, step: StepState): { remedy?: RemedyDetail } {
  const policy = run.definition(step.key).objection;
  if (!policy?.appeal || step.objection?.status !== 'upheld' || !step.objection.reviewedAt) return {};
  if (!patched(REMEDY_PATCH)) return {};
  const agency = appealAgencyOf(policy, step.agency);
  return { remedy: { kind: 'appeal', until: appealTermEnd(step.objection.reviewedAt, policy.appeal), ...(agency !== step.agency ? { agency } : {}) } };
}
