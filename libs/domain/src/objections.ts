import { citizenFor, hasAnyRole, type Access, type Viewer } from './access';
import { addDuration, DURATION_RULE, isValidDuration } from './durations';
import { referencedSteps } from './conditions';
import type { DecisionOutcome, LifeEventNode, StepState } from './model';
import type { Problem } from './problem';
import { validateAppealPolicy, type AppealPolicy } from './appeals';
import { AGENCY_CODE, blank, explanationError, STAGE_STATUSES, STAGE_VERDICTS, verdictError, type FiledState, type StageFiling, type StageVerdict } from './decision-stage';

/**
 * Objection (bezwaar) against a final decision: the right of defence a decision step declares.
 * The subject or a mandate holder objects within the term, counted from the decision's completion;
 * a caseworker other than whoever decided or overrode it (four eyes) upholds or revises it, with
 * an explanation in the citizen's language. Pure rules; the workflow and the gateway apply them.
 */

/** What a decision step declares: the term (ISO-8601) and the agency that reviews (default: the deciding one). */
export interface ObjectionPolicy {
  term: string;
  reviewingAgency?: string;
  /** A second stage once an objection is upheld: the term to appeal and the agency that decides (see appeals.ts). */
  appeal?: AppealPolicy;
}

export const OBJECTION_STATUSES = STAGE_STATUSES;
export type ObjectionStatus = (typeof OBJECTION_STATUSES)[number];

/** How a reviewer closes an objection: the decision stands, or becomes a grant or a refusal. */
export const OBJECTION_VERDICTS = STAGE_VERDICTS;
export type ObjectionVerdict = (typeof OBJECTION_VERDICTS)[number];

/** An objection as the decision step keeps it. */
export interface ObjectionState extends FiledState<ObjectionStatus, ObjectionVerdict> {
  reviewingAgency: string;
  reviewedBy?: string;
  reviewedAt?: string;
}

/** The timeline events of objections and of the steps a changed decision starts again. */
export const OBJECTION_TIMELINE_TYPES = ['decision.objection_filed', 'decision.objection_upheld', 'decision.objection_revised', 'step.rerun'] as const;
export type ObjectionTimelineType = (typeof OBJECTION_TIMELINE_TYPES)[number];

export type ObjectionFiling = StageFiling;
export type ObjectionReview = StageVerdict;

/** Problems with a step's `objection` (paths relative to the step); only decision steps may declare one. */
export function validateObjectionPolicy(objection: unknown, kind: unknown): Problem[] {
  if (objection === undefined) return [];
  if (kind !== 'decision') return [{ path: '/objection', message: `only decision steps can be objected to; a ${String(kind)} step must not declare an objection term` }];
  if (typeof objection !== 'object' || objection === null || Array.isArray(objection)) {
    return [{ path: '/objection', message: 'objection must be { "term": "P30D" }, optionally with "reviewingAgency"' }];
  }
  const { term, reviewingAgency, appeal, ...rest } = objection as Record<string, unknown>;
  const problems: Problem[] = [];
  if (!isValidDuration(term)) problems.push({ path: '/objection/term', message: `the objection term must be ${DURATION_RULE} (got ${JSON.stringify(term ?? null)})` });
  if (reviewingAgency !== undefined && (typeof reviewingAgency !== 'string' || !AGENCY_CODE.test(reviewingAgency))) {
    problems.push({ path: '/objection/reviewingAgency', message: 'reviewingAgency must be an agency code (lowercase letters, digits and dashes)' });
  }
  problems.push(...validateAppealPolicy(appeal));
  for (const key of Object.keys(rest)) problems.push({ path: `/objection/${key}`, message: `unknown field '${key}': an objection declares only term, reviewingAgency and appeal` });
  return problems;
}

/** When the term to object ends: the term after the decision became final. */
export function objectionTermEnd(decidedAt: string, policy: ObjectionPolicy): string {
  return addDuration(decidedAt, policy.term);
}

/** The refusal after the term, saying the term and when it ended. */
export function termEndedMessage(policy: ObjectionPolicy, termEndsAt: string): string {
  return `The term to object to this decision (${policy.term}) ended on ${termEndsAt}; an objection is no longer possible.`;
}

/** Whoever decided or overrode the decision: they may not review an objection against it. */
export function decidersOf(step: Pick<StepState, 'outcome' | 'decidedBy'>): string[] {
  return [...new Set([...(step.decidedBy ?? []), ...(step.outcome?.by ? [step.outcome.by] : [])])];
}

/**
 * Why an objection is refused: no such decision step, no objection term declared, the decision
 * not final (or a referral), an objection already filed, the term over, or no reason.
 */
export function fileObjectionError(steps: Readonly<Record<string, StepState>>, filing: ObjectionFiling, policy: ObjectionPolicy | undefined, now: string): string | undefined {
  const step = steps[filing.nodeKey];
  if (!step) return `Journey has no step '${filing.nodeKey}'.`;
  if (step.kind !== 'decision' || !step.decision) return `Step '${filing.nodeKey}' has no decision to object to.`;
  if (!policy) return `The decision of step '${filing.nodeKey}' declares no objection term.`;
  if (step.objection) return `An objection against this decision was already filed on ${step.objection.filedAt} (${step.objection.status}).`;
  if (step.status !== 'completed' || !step.completedAt || step.decision.outcome === 'refer') return `The decision of step '${filing.nodeKey}' is not final yet (step is ${step.status}).`;
  const termEndsAt = objectionTermEnd(step.completedAt, policy);
  if (Date.parse(now) > Date.parse(termEndsAt)) return termEndedMessage(policy, termEndsAt);
  if (blank(filing.reason)) return 'An objection needs a reason: say why the decision is wrong.';
  return undefined;
}

/** Why a review is refused: no objection to review, the reviewer decided or overrode (four eyes), a bad verdict or no explanation. */
export function reviewObjectionError(steps: Readonly<Record<string, StepState>>, review: ObjectionReview): string | undefined {
  const step = steps[review.nodeKey];
  if (!step) return `Journey has no step '${review.nodeKey}'.`;
  if (step.objection?.status !== 'filed') return `There is no objection to review against the decision of step '${review.nodeKey}'.`;
  if (decidersOf(step).includes(review.by)) return fourEyesMessage(review.by);
  return verdictError(review.verdict) ?? explanationError(review.explanation, 'A review');
}

export const fourEyesMessage = (who: string) =>
  `Four eyes: ${who} decided or overrode this decision and cannot review the objection against it; another caseworker must.`;

/** The decision outcome after the review: unchanged when upheld. */
export function outcomeAfterReview(against: DecisionOutcome, verdict: ObjectionVerdict): DecisionOutcome {
  return verdict === 'uphold' ? against : verdict;
}

/**
 * The nodes whose run depends on a node's outcome: those that come after it (directly or
 * transitively) and those whose condition reads it, with everything that comes after those.
 */
export function dependantsOf(nodes: ReadonlyArray<Pick<LifeEventNode, 'key' | 'dependsOn' | 'condition'>>, key: string): string[] {
  const found = new Set<string>();
  const reads = (n: Pick<LifeEventNode, 'dependsOn' | 'condition'>, k: string) => (n.dependsOn ?? []).includes(k) || referencedSteps(n.condition).includes(k);
  let frontier = [key];
  while (frontier.length) {
    const next: string[] = [];
    for (const n of nodes) {
      if (n.key === key || found.has(n.key)) continue;
      if (frontier.some((k) => reads(n, k))) {
        found.add(n.key);
        next.push(n.key);
      }
    }
    frontier = next;
  }
  // In the life event's node order.
  return nodes.map((n) => n.key).filter((k) => found.has(k));
}

/** The state a dependant starts again from: what it had at the journey's start, with its run count. */
export function rerunState(step: StepState): StepState {
  return { key: step.key, agency: step.agency, kind: step.kind, status: 'pending', attempts: 0, reruns: (step.reruns ?? 0) + 1 };
}

/** The subject objects, or whoever holds a mandate to act for them in the journey's life event. */
export function objectionFilingAccess(v: Viewer, journey: { subjectId: string; lifeEvent: string }): Access<'subject' | 'representative'> {
  if (!hasAnyRole(v, 'citizen')) return { kind: 'deny', refusal: { kind: 'forbidden', message: 'Only the person the decision is about, or whoever acts for them, may object to it.' } };
  const refusal = { kind: 'forbidden' as const, message: 'Objecting needs a mandate to act for this person in this life event (a read-only mandate is not enough).' };
  const access = citizenFor(v, journey.subjectId, { lifeEvent: journey.lifeEvent, access: 'act' }, { self: 'subject', mandate: 'representative' });
  return access.kind === 'mandate' ? { ...access, refusal } : access;
}

/** A caseworker of the reviewing agency reviews an objection (four eyes are the journey's rule: reviewObjectionError). */
export function objectionReviewAccess(v: Viewer, reviewingAgency: string): Access<'caseworker'> {
  if (hasAnyRole(v, 'caseworker') && v.agency === reviewingAgency) return { kind: 'allow', as: 'caseworker' };
  return { kind: 'deny', refusal: { kind: 'forbidden', message: `Only a caseworker of ${reviewingAgency}, the reviewing agency, may review this objection.` } };
}
