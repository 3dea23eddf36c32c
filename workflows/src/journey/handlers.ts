/**
 * The journey's messages: the live-state query, the updates (claim, release and complete a task,
 * resolve attention, cancel, override a decision) and the source-event signal. Validators apply the rules of
 * `@levensloop/domain` (journey-updates); a refused update never reaches the history.
 */
import { patched, setHandler } from '@temporalio/workflow';
import { cancelJourneyError, claimTaskError, compensationClaimError, compensationOpen, completeCompensationError, resolveCompensationError, completeTaskError, overrideDecisionError, releaseTaskError, resolveAttentionError, taskAnswerSummary, decidersOf } from '@levensloop/domain';
import {
  cancelJourneyUpdate,
  claimTaskUpdate,
  completeTaskUpdate,
  journeyStateQuery,
  overrideDecisionUpdate,
  releaseTaskUpdate,
  resolveAttentionUpdate,
  sourceEventSignal,
  type CompleteTaskInput,
  type StepAnswers,
} from '@levensloop/contracts/workflow';
import { claimCompensationTask, completeCompensationTask, resolveCompensation } from './compensation';
import { TERMINAL } from './constants';
import type { JourneyRun } from './journey-run';
import { answered, answerInformation, registerLegalClockHandlers } from './legal-clock';
import { STEP_RUNNERS } from './runners';
import { registerTeamHandlers } from './teams';
import { registerObjectionHandlers, rerunDependants } from './objections';
import { registerAppealHandlers } from './appeals';
import { objectionRemedy } from './remedy';
import { referralDecisionDetail } from './referral-decision';
import { recordAttendance, registerAppointmentHandlers } from './appointments';
import { registerPaymentHandlers } from './payments';

/** Throws the rule's message, if any: what an update validator does with a refusal. */
function refuse(error: string | undefined): void {
  if (error) throw new Error(error);
}

export function registerHandlers(run: JourneyRun): void {
  const { state } = run;
  setHandler(journeyStateQuery, () => run.liveState());
  registerTeamHandlers(run);
  registerObjectionHandlers(run);
  registerAppealHandlers(run);
  registerAppointmentHandlers(run);
  registerPaymentHandlers(run);

  setHandler(
    completeTaskUpdate,
    (task) => {
      if (task.purpose === 'compensation') return completeCompensationTask(run, task);
      if (task.purpose === 'information') return answerInformation(run, task);
      if ((task.purpose ?? 'task') === 'task' && state.steps[task.nodeKey]?.kind === 'appointment') return recordAttendance(run, task);
      return task.purpose === 'consent' || task.purpose === 'data' ? answerForData(run, task) : completeTask(run, task);
    },
    {
      validator: (task) => refuse(task.purpose === 'compensation' ? completeCompensationError(state.steps[task.nodeKey], task) : completeTaskError(state.steps, task)),
    },
  );
  registerLegalClockHandlers(run);

  // The claim lives in the step: the projection writes it to the task row. Claiming one's own
  // claim again changes nothing (and projects nothing).
  setHandler(
    claimTaskUpdate,
    (claim) => {
      if (claim.purpose === 'compensation') return claimCompensationTask(run, claim.nodeKey, claim.by);
      const step = state.steps[claim.nodeKey];
      if (step.claimedBy !== claim.by) {
        step.claimedBy = claim.by;
        run.markDirty(step.key);
      }
      return step;
    },
    { validator: (claim) => refuse(claim.purpose === 'compensation' ? compensationClaimError(state.steps[claim.nodeKey], claim, false) : claimTaskError(state.steps, claim)) },
  );

  setHandler(
    releaseTaskUpdate,
    (claim) => {
      if (claim.purpose === 'compensation') return claimCompensationTask(run, claim.nodeKey, null);
      const step = state.steps[claim.nodeKey];
      step.claimedBy = null;
      run.markDirty(step.key);
      return step;
    },
    { validator: (claim) => refuse(claim.purpose === 'compensation' ? compensationClaimError(state.steps[claim.nodeKey], claim, true) : releaseTaskError(state.steps, claim)) },
  );

  setHandler(
    resolveAttentionUpdate,
    (decision) => {
      if (compensationOpen(state.steps[decision.nodeKey])) return resolveCompensation(run, decision);
      run.attentionDecisions.set(decision.nodeKey, decision.action);
      const step = state.steps[decision.nodeKey];
      run.record(decision.action === 'retry' ? 'step.retried' : 'step.skipped', decision.nodeKey, {
        by: decision.by,
        ...(decision.reason ? { reason: decision.reason } : {}),
      });
      return step;
    },
    {
      validator: (decision) => {
        const answered = run.attentionDecisions.has(decision.nodeKey);
        const step = state.steps[decision.nodeKey];
        refuse(compensationOpen(step) ? resolveCompensationError(step, decision, answered) : resolveAttentionError(state.steps, decision, answered));
      },
    },
  );

  setHandler(
    cancelJourneyUpdate,
    (request) => {
      run.cancel(request);
      return state.status;
    },
    { validator: (request) => refuse(cancelJourneyError(state.status, request)) },
  );

  setHandler(
    overrideDecisionUpdate,
    (request) => {
      const step = state.steps[request.nodeKey];
      // Asked when an override arrives: histories before it kept the dependants as they were.
      const rerun = patched('15O-override-reruns-dependants');
      if (rerun) step.decidedBy = [...decidersOf(step), request.by];
      step.decision = { ...step.decision!, outcome: request.outcome, overridden: true };
      step.outcome = { ...step.outcome, result: request.outcome === 'grant' ? 'approved' : 'rejected', by: request.by, reason: request.reason };
      run.record('step.decision_overridden', request.nodeKey, { by: request.by, outcome: request.outcome, reason: request.reason, ...objectionRemedy(run, step) });
      if (rerun) rerunDependants(run, request.nodeKey);
      return step;
    },
    { validator: (request) => refuse(overrideDecisionError(state.steps, request)) },
  );

  /** A source says a record changed: steps holding its data and not yet done fetch it again. */
  setHandler(sourceEventSignal, (notice) => {
    if (!run.isOpen()) return;
    const refreshed: string[] = [];
    for (const step of Object.values(state.steps)) {
      if (step.status === 'pending' || TERMINAL.has(step.status)) continue; // pending steps fetch when they start
      if (!(run.definition(step.key).dataRequirements ?? []).some((r) => r.source === notice.source)) continue;
      step.dataRound = (step.dataRound ?? 0) + 1;
      refreshed.push(step.key);
      // A step still preparing its data reads everything again on its next fetch.
      if (step.dataReady) run.refreshes.push(step.key);
      else step.staleData = true;
    }
    run.record('journey.source_event', undefined, { source: notice.source, type: notice.type, eventId: notice.eventId, refreshed });
  });
}

/** A consent or missing values: the step's coroutine goes on preparing its data with these answers. */
function answerForData(run: JourneyRun, task: CompleteTaskInput) {
  const { state } = run;
  const step = state.steps[task.nodeKey];
  const answers: StepAnswers = (state.answers ??= {})[task.nodeKey] ?? {};
  if (task.purpose === 'consent') answers.consents = { ...task.consents };
  else answers.provided = { ...answers.provided, ...task.values };
  answers.by = task.by;
  state.answers[task.nodeKey] = answers;
  if (run.legacy.answersOnStep()) {
    const purpose = task.purpose === 'consent' ? 'consent' : 'data';
    step.answered = { ...step.answered, [purpose]: { by: task.by, data: taskAnswerSummary(purpose, task), ...(task.comment ? { comment: task.comment } : {}) } };
  }
  step.status = 'running';
  delete step.waitingFor;
  run.record(task.purpose === 'consent' ? 'step.consent_answered' : 'step.data_provided', task.nodeKey, {
    by: task.by,
    fields: Object.keys(task.purpose === 'consent' ? task.consents ?? {} : task.values ?? {}),
  });
  answered(run, step);
  return step;
}

/** The step's own task is done: approved or rejected, with what the caseworker or citizen gave. */
function completeTask(run: JourneyRun, task: CompleteTaskInput) {
  const step = run.state.steps[task.nodeKey];
  STEP_RUNNERS[step.kind].taskCompleted?.(step, task);
  delete step.waitingFor;
  step.status = 'completed';
  step.completedAt = run.now();
  step.outcome = {
    result: task.outcome === 'approve' ? 'approved' : 'rejected',
    by: task.by,
    ...(task.data ? { data: task.data } : {}),
    ...(task.comment ? { comment: task.comment } : {}),
    // Only when documents were uploaded: a completion without them has the outcome it always had.
    ...(task.documents?.length ? { documents: task.documents.map((d) => ({ key: d.key, hash: d.hash, type: d.type, size: d.size })) } : {}),
  };
  run.record(task.outcome === 'approve' ? 'step.completed' : 'step.rejected', task.nodeKey, {
    by: task.by,
    ...(task.comment ? { comment: task.comment } : {}),
    // A referred decision's answer: told to the citizen as the decision (./referral-decision).
    ...referralDecisionDetail(run, step),
  });
  return step;
}
