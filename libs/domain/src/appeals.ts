import { hasAnyRole, type Access, type Viewer } from './access';
import { addDuration, DURATION_RULE, isValidDuration } from './durations';
import type { StepState } from './model';
import { AGENCY_CODE, blank, explanationError, STAGE_STATUSES, STAGE_VERDICTS, verdictError, type FiledState, type StageFiling, type StageVerdict } from './decision-stage';
import type { Problem } from './problem';

/**
 * Appeal (beroep): the second stage after an objection was upheld (the decision stands). A decision
 * step that declares `objection.appeal` lets the subject or a mandate holder appeal within its own
 * term, counted from the objection's review, to the appeal agency (declared, else the objection's
 * reviewing agency). A caseworker of that agency who neither decided, overrode nor reviewed the
 * objection (four eyes) upholds or revises; a revision re-runs the dependants as an objection's does.
 */

/** What `objection.appeal` declares: the term (ISO-8601, from the objection's review) and who decides. */
export interface AppealPolicy {
  term: string;
  /** Default: the objection's reviewing agency (else the deciding agency). */
  agency?: string;
}

export const APPEAL_STATUSES = STAGE_STATUSES;
export type AppealStatus = (typeof APPEAL_STATUSES)[number];

/** How the appeal agency closes an appeal: the decision stands, or becomes a grant or a refusal. */
export const APPEAL_VERDICTS = STAGE_VERDICTS;
export type AppealVerdict = (typeof APPEAL_VERDICTS)[number];

/** An appeal as the decision step keeps it (`against`: the outcome the objection upheld). */
export interface AppealState extends FiledState<AppealStatus, AppealVerdict> {
  agency: string;
  decidedBy?: string;
  decidedAt?: string;
}

export const APPEAL_TIMELINE_TYPES = ['decision.appeal_filed', 'decision.appeal_upheld', 'decision.appeal_revised'] as const;
export type AppealTimelineType = (typeof APPEAL_TIMELINE_TYPES)[number];

export type AppealFiling = StageFiling;
export type AppealDecision = StageVerdict;

/** Problems with `objection.appeal` (paths relative to the step). */
export function validateAppealPolicy(appeal: unknown): Problem[] {
  if (appeal === undefined) return [];
  if (typeof appeal !== 'object' || appeal === null || Array.isArray(appeal)) {
    return [{ path: '/objection/appeal', message: 'appeal must be { "term": "P30D" }, optionally with "agency"' }];
  }
  const { term, agency, ...rest } = appeal as Record<string, unknown>;
  const problems: Problem[] = [];
  if (!isValidDuration(term)) problems.push({ path: '/objection/appeal/term', message: `the appeal term must be ${DURATION_RULE} (got ${JSON.stringify(term ?? null)})` });
  if (agency !== undefined && (typeof agency !== 'string' || !AGENCY_CODE.test(agency))) {
    problems.push({ path: '/objection/appeal/agency', message: 'agency must be an agency code (lowercase letters, digits and dashes)' });
  }
  for (const key of Object.keys(rest)) problems.push({ path: `/objection/appeal/${key}`, message: `unknown field '${key}': an appeal declares only term and agency` });
  return problems;
}

/** The agency that decides an appeal: declared, else the objection's reviewing agency, else the deciding one. */
export function appealAgencyOf(policy: { reviewingAgency?: string; appeal?: AppealPolicy }, decidingAgency: string): string {
  return policy.appeal?.agency ?? policy.reviewingAgency ?? decidingAgency;
}

/** When the term to appeal ends: the appeal term after the objection was reviewed. */
export function appealTermEnd(reviewedAt: string, policy: AppealPolicy): string {
  return addDuration(reviewedAt, policy.term);
}

/** The refusal after the term, saying the term and when it ended. */
export function appealTermEndedMessage(policy: AppealPolicy, termEndsAt: string): string {
  return `The term to appeal this decision (${policy.term}) ended on ${termEndsAt}; an appeal is no longer possible.`;
}

/** Whoever decided, overrode or reviewed the objection: they may not decide the appeal. */
export function appealExcluded(step: Pick<StepState, 'outcome' | 'decidedBy' | 'objection'>): string[] {
  return [...new Set([...(step.decidedBy ?? []), ...(step.outcome?.by ? [step.outcome.by] : []), ...(step.objection?.reviewedBy ? [step.objection.reviewedBy] : [])])];
}

export const appealFourEyesMessage = (who: string) =>
  `Four eyes: ${who} decided, overrode or reviewed the objection against this decision and cannot decide the appeal; another caseworker must.`;

/**
 * Why an appeal is refused: no such decision, no appeal declared, no upheld objection (an appeal
 * comes after one), an appeal already filed, the term over, or no reason.
 */
export function fileAppealError(steps: Readonly<Record<string, StepState>>, filing: AppealFiling, policy: AppealPolicy | undefined, now: string): string | undefined {
  const step = steps[filing.nodeKey];
  if (!step) return `Journey has no step '${filing.nodeKey}'.`;
  if (step.kind !== 'decision' || !step.decision) return `Step '${filing.nodeKey}' has no decision to appeal.`;
  if (!policy) return `The decision of step '${filing.nodeKey}' declares no appeal.`;
  if (step.appeal) return `An appeal against this decision was already filed on ${step.appeal.filedAt} (${step.appeal.status}).`;
  if (step.objection?.status !== 'upheld' || !step.objection.reviewedAt) return `An appeal comes after an objection that was upheld; object to the decision of step '${filing.nodeKey}' first.`;
  const termEndsAt = appealTermEnd(step.objection.reviewedAt, policy);
  if (Date.parse(now) > Date.parse(termEndsAt)) return appealTermEndedMessage(policy, termEndsAt);
  if (blank(filing.reason)) return 'An appeal needs a reason: say why the decision is wrong.';
  return undefined;
}

/** Why an appeal's decision is refused: no appeal to decide, four eyes, a bad verdict or no explanation. */
export function decideAppealError(steps: Readonly<Record<string, StepState>>, decision: AppealDecision): string | undefined {
  const step = steps[decision.nodeKey];
  if (!step) return `Journey has no step '${decision.nodeKey}'.`;
  if (step.appeal?.status !== 'filed') return `There is no appeal to decide against the decision of step '${decision.nodeKey}'.`;
  if (appealExcluded(step).includes(decision.by)) return appealFourEyesMessage(decision.by);
  return verdictError(decision.verdict) ?? explanationError(decision.explanation, 'An appeal decision');
}

/** A caseworker of the appeal agency decides an appeal (four eyes are the journey's rule: decideAppealError). */
export function appealDecisionAccess(v: Viewer, agency: string): Access<'caseworker'> {
  if (hasAnyRole(v, 'caseworker') && v.agency === agency) return { kind: 'allow', as: 'caseworker' };
  return { kind: 'deny', refusal: { kind: 'forbidden', message: `Only a caseworker of ${agency}, the appeal agency, may decide this appeal.` } };
}
