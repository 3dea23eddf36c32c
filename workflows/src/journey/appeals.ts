/**
 * Appeal, the second stage: once an objection is upheld, a decision step that declares
 * `objection.appeal` may be appealed within its term; the decision goes to the appeal agency as a
 * caseworker task (`waitingFor: 'appeal'`), and a revision re-runs the dependants as an
 * objection's does. Histories before this stage never held an appeal: `patched('15W-appeal')`.
 */
import { patched, setHandler } from '@temporalio/workflow';
import { appealAgencyOf, appealTermEnd, decideAppealError, fileAppealError, type AppealPolicy, type StepState } from '@levensloop/domain';
import { decideAppealUpdate, fileAppealUpdate, type DecideAppealInput, type FileAppealInput } from '@levensloop/contracts/workflow';
import type { JourneyRun } from './journey-run';
import { filedState, reopenFor, settleVerdict, withNl } from './objections';

export const APPEAL_PATCH = '15W-appeal';

function refuse(error: string | undefined): void {
  if (error) throw new Error(error);
}

function appealPolicyOf(run: JourneyRun, nodeKey: string): AppealPolicy | undefined {
  return run.state.steps[nodeKey] ? run.definition(nodeKey).objection?.appeal : undefined;
}

export function registerAppealHandlers(run: JourneyRun): void {
  setHandler(fileAppealUpdate, (filing) => fileAppeal(run, filing), {
    validator: (filing) => refuse(fileAppealError(run.state.steps, filing, appealPolicyOf(run, filing.nodeKey), run.now())),
  });
  setHandler(decideAppealUpdate, (decision) => decideAppeal(run, decision), {
    validator: (decision) => refuse(decideAppealError(run.state.steps, decision)),
  });
}

/** The decision goes to the appeal agency as a task; a journey held open for the appeal term runs again. */
function fileAppeal(run: JourneyRun, filing: FileAppealInput): StepState {
  patched(APPEAL_PATCH);
  const step = run.state.steps[filing.nodeKey];
  const objection = run.definition(filing.nodeKey).objection!;
  const now = run.now();
  step.appeal = { ...filedState(filing, now, appealTermEnd(step.objection!.reviewedAt!, objection.appeal!)), agency: appealAgencyOf(objection, step.agency), against: step.decision!.outcome };
  reopenFor(run, step, 'appeal', step.appeal, { agency: step.appeal.agency }, now);
  return step;
}

function decideAppeal(run: JourneyRun, decision: DecideAppealInput): StepState {
  patched(APPEAL_PATCH);
  const step = run.state.steps[decision.nodeKey];
  const appeal = step.appeal!;
  step.appeal = { ...appeal, status: decision.verdict !== 'uphold' ? 'revised' : 'upheld', decidedBy: decision.by, decidedAt: run.now(), verdict: decision.verdict, explanation: withNl(decision.explanation) };
  settleVerdict(run, step, 'appeal', { by: decision.by, verdict: decision.verdict, against: appeal.against, explanation: step.appeal.explanation! }, run.now());
  return step;
}

/** When the term to appeal ends for an upheld objection not appealed yet (undefined when none runs). */
export function openAppealTermEnd(run: JourneyRun, step: StepState): number | undefined {
  if (step.objection?.status !== 'upheld' || !step.objection.reviewedAt || step.appeal || step.status !== 'completed') return undefined;
  const policy = run.definition(step.key).objection?.appeal;
  // Only journeys whose step declares an appeal get here: older histories never did.
  if (!policy || !patched(APPEAL_PATCH)) return undefined;
  return Date.parse(appealTermEnd(step.objection.reviewedAt, policy));
}
