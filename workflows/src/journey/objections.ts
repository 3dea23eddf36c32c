/**
 * Objection and appeal: a decision step that declares an objection term keeps its journey open
 * until the term ends; an objection filed in it re-opens the decision for review (a caseworker
 * task of the reviewing agency, `waitingFor: 'review'`); the review upholds or revises it, and a
 * revised decision (or an overridden one) starts again the steps that depended on its outcome.
 */
import { condition, setHandler } from '@temporalio/workflow';
import {
  addDuration,
  decidersOf,
  dependantsOf,
  fileObjectionError,
  objectionTermEnd,
  outcomeAfterReview,
  rerunState,
  reviewObjectionError,
  type DecisionOutcome,
  type ObjectionPolicy,
  type ObjectionState,
  type ObjectionVerdict,
  type StepState,
  type Translations,
} from '@levensloop/domain';
import { fileObjectionUpdate, reviewObjectionUpdate, type FileObjectionInput, type ReviewObjectionInput } from '@levensloop/contracts/workflow';
import type { JourneyRun } from './journey-run';
import { openAppealTermEnd } from './appeals';
import { markReopened } from './completion';
import { appealRemedy } from './remedy';

/** How long the reviewing agency has for an objection (its task's due date). */
export const REVIEW_WITHIN = 'P6W';

function refuse(error: string | undefined): void {
  if (error) throw new Error(error);
}

function policyOf(run: JourneyRun, nodeKey: string): ObjectionPolicy | undefined {
  return run.state.steps[nodeKey] ? run.definition(nodeKey).objection : undefined;
}

export function registerObjectionHandlers(run: JourneyRun): void {
  setHandler(fileObjectionUpdate, (filing) => fileObjection(run, filing), {
    validator: (filing) => refuse(fileObjectionError(run.state.steps, filing, policyOf(run, filing.nodeKey), run.now())),
  });
  setHandler(reviewObjectionUpdate, (review) => reviewObjection(run, review), {
    validator: (review) => refuse(reviewObjectionError(run.state.steps, review)),
  });
}

/** The decision goes back to its reviewing agency as a task; a journey held open for the term runs again. */
function fileObjection(run: JourneyRun, filing: FileObjectionInput): StepState {
  const step = run.state.steps[filing.nodeKey];
  const policy = run.definition(filing.nodeKey).objection!;
  const now = run.now();
  step.objection = { ...filedState(filing, now, objectionTermEnd(step.completedAt!, policy)), reviewingAgency: policy.reviewingAgency ?? step.agency, against: step.decision!.outcome };
  reopenFor(run, step, 'objection', step.objection, { reviewingAgency: step.objection.reviewingAgency }, now);
  return step;
}

function reviewObjection(run: JourneyRun, review: ReviewObjectionInput): StepState {
  const step = run.state.steps[review.nodeKey];
  const objection = step.objection!;
  const now = run.now();
  step.objection = { ...objection, status: review.verdict !== 'uphold' ? 'revised' : 'upheld', reviewedBy: review.by, reviewedAt: now, verdict: review.verdict, explanation: withNl(review.explanation) };
  settleVerdict(run, step, 'objection', { by: review.by, verdict: review.verdict, against: objection.against, explanation: step.objection.explanation! }, now);
  return step;
}

/** What an objection and an appeal (./appeals) keep of their filing, in this order; each adds its agency and `against`. */
export function filedState(filing: FileObjectionInput, now: string, termEndsAt: string): Pick<ObjectionState, 'status' | 'by' | 'reason' | 'filedAt' | 'termEndsAt'> {
  return { status: 'filed', by: filing.by, reason: filing.reason.trim(), filedAt: now, termEndsAt };
}

/**
 * Filing an objection or an appeal takes the decision back to a caseworker (waiting for the review
 * or the appeal's decision until its due date, no longer done), and is told on the timeline with
 * who acts on it (`agency`); a journey held open for the term runs again.
 */
export function reopenFor(
  run: JourneyRun,
  step: StepState,
  stage: 'objection' | 'appeal',
  filed: Pick<ObjectionState, 'by' | 'reason' | 'termEndsAt'>,
  agency: Record<string, string>,
  now: string,
): void {
  step.status = 'waiting';
  step.waitingFor = stage === 'objection' ? 'review' : 'appeal';
  step.dueAt = addDuration(now, REVIEW_WITHIN);
  // Open again until the review: no longer done (the term was counted from the first completion).
  delete step.completedAt;
  delete step.warnAt;
  delete step.escalateAt;
  if (!run.isOpen()) {
    run.state.status = 'running';
    markReopened(run, false);
  }
  run.record(`decision.${stage}_filed`, step.key, { by: filed.by, reason: filed.reason, termEndsAt: filed.termEndsAt, ...agency, dueAt: step.dueAt });
}

/**
 * An objection's review and an appeal's decision close the step alike (the stage's own record is
 * the caller's): the decision is done again; a revision changes its outcome, is decided by the
 * closer, and starts again the steps that depended on it.
 */
export function settleVerdict(
  run: JourneyRun,
  step: StepState,
  stage: 'objection' | 'appeal',
  v: { by: string; verdict: ObjectionVerdict; against: DecisionOutcome; explanation: Translations },
  now: string,
): void {
  const outcome = outcomeAfterReview(v.against, v.verdict);
  const revised = v.verdict !== 'uphold';
  step.status = 'completed';
  step.completedAt = now;
  delete step.waitingFor;
  if (revised) {
    step.decidedBy = [...decidersOf(step), v.by];
    step.decision = { ...step.decision!, outcome, overridden: true };
    step.outcome = { ...step.outcome, result: outcome === 'grant' ? 'approved' : 'rejected', by: v.by, reason: stage };
  }
  // An upheld objection names the appeal that may follow (remedy.ts); an appeal's verdict names none.
  run.record(revised ? `decision.${stage}_revised` : `decision.${stage}_upheld`, step.key, {
    by: v.by,
    verdict: v.verdict,
    from: v.against,
    outcome,
    explanation: v.explanation,
    ...(stage === 'objection' && !revised ? appealRemedy(run, step) : {}),
  });
  if (revised && run.state.reopened) markReopened(run, true);
  if (revised) rerunDependants(run, step.key);
}

/** The citizen reads the explanation in their language; a missing nl falls back to the first given. */
export function withNl(explanation: Record<string, string>): Translations {
  const given = Object.fromEntries(Object.entries(explanation).filter(([, t]) => typeof t === 'string' && t.trim()).map(([l, t]) => [l, t.trim()]));
  return { ...given, nl: given.nl ?? Object.values(given)[0] ?? '' };
}

/**
 * The steps that depended on a changed decision and already ran (completed, or skipped because of
 * it) start again from pending; the planner runs or skips them anew. Steps under way are left to
 * finish (their coroutine holds the state).
 */
export function rerunDependants(run: JourneyRun, key: string): void {
  let reran = false;
  for (const dependant of dependantsOf(run.snapshot.nodes, key)) {
    const step = run.state.steps[dependant];
    if ((step.status !== 'completed' && step.status !== 'skipped') || run.active.has(dependant)) continue;
    run.state.steps[dependant] = rerunState(step);
    if (run.state.answers) delete run.state.answers[dependant];
    run.attentionDecisions.delete(dependant);
    run.record('step.rerun', dependant, { because: key, was: step.status });
    reran = true;
  }
  // A journey held open for an objection term (completed meanwhile) runs again, as an objection re-opens it.
  if (reran && run.state.status === 'completed') {
    run.state.status = 'running';
    markReopened(run, true);
  }
}

/** The latest end of an objection term still running on a final decision nobody objected to yet. */
function openTermEnd(run: JourneyRun): number | undefined {
  let latest: number | undefined;
  for (const step of Object.values(run.state.steps)) {
    // An upheld objection may be followed by an appeal, within its own term (./appeals).
    const appealEnd = step.kind === 'decision' ? openAppealTermEnd(run, step) : undefined;
    if (appealEnd !== undefined && (latest === undefined || appealEnd > latest)) latest = appealEnd;
    if (step.kind !== 'decision' || step.status !== 'completed' || step.objection || !step.completedAt) continue;
    const policy = run.definition(step.key).objection;
    if (!policy) continue;
    const end = Date.parse(objectionTermEnd(step.completedAt, policy));
    if (latest === undefined || end > latest) latest = end;
  }
  return latest;
}

/**
 * A completed journey whose decisions may still be objected to stays open until the last term
 * ends: true when an objection re-opened it (the planner runs again), false when it may close.
 * Only journeys whose life event declares an objection term reach a timer here.
 */
export async function holdForObjections(run: JourneyRun): Promise<boolean> {
  if (run.state.status !== 'completed') return false;
  const end = openTermEnd(run);
  if (end === undefined || end < Date.now()) return false;
  run.plannerOff = true;
  const reopened = await condition(() => run.isOpen(), end - Date.now() + 1000);
  if (reopened) run.plannerOff = false;
  return reopened;
}
