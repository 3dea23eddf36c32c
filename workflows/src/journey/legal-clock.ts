/**
 * The legal clock of a step's term (rules: `libs/domain/src/legal-clock.ts`). An agency's step
 * waiting on the citizen (a consent, missing data, information a caseworker asked) has its clock
 * suspended; the answer resumes it and the deadlines move by the time it stood still. A caseworker
 * extends a term once. The step's timers (./service-norms.ts) read the moved deadlines when they
 * fire. Every change is a timeline event the projection files as a message to the citizen.
 */
import { setHandler } from '@temporalio/workflow';
import {
  durationToMs,
  extendTerm,
  extendTermError,
  requestInformationError,
  resumeClock,
  suspendClock,
  suspendsOnCitizen,
  taskIdOf,
  type StepState,
  type SuspendReason,
} from '@levensloop/domain';
import { extendTermUpdate, requestInformationUpdate, type CompleteTaskInput } from '@levensloop/contracts/workflow';
import { followInformationDue } from './information-due';
import type { JourneyRun } from './journey-run';

function refuse(error: string | undefined): void {
  if (error) throw new Error(error);
}

export function registerLegalClockHandlers(run: JourneyRun): void {
  const { state } = run;

  setHandler(
    requestInformationUpdate,
    (request) => {
      const step = state.steps[request.nodeKey];
      const now = run.now();
      step.waitingFor = 'information';
      step.information = { question: request.question.trim(), dueAt: new Date(request.dueAt).toISOString(), by: request.by, askedAt: now };
      run.record('step.information_requested', step.key, {
        by: request.by,
        agency: step.agency,
        question: step.information.question,
        dueAt: step.information.dueAt,
        taskId: taskIdOf(run.journeyId, step.key, 'information'),
      });
      suspend(run, step, 'information');
      followInformationDue(run, step);
      return step;
    },
    { validator: (request) => refuse(requestInformationError(state.steps, request, run.now())) },
  );

  setHandler(
    extendTermUpdate,
    (request) => {
      const step = state.steps[request.nodeKey];
      const { previousDueAt, dueAt } = extendTerm(step, request, run.now());
      run.record('step.term_extended', step.key, { by: request.by, extension: request.extension, reason: request.reason.trim(), previousDueAt, dueAt });
      return step;
    },
    { validator: (request) => refuse(extendTermError(state.steps, state.steps[request.nodeKey] ? run.definition(request.nodeKey).serviceNorm : undefined, request)) },
  );
}

/**
 * The step now waits on the citizen for a consent or data: an agency's term stops running. Asked
 * only then, behind a patch: journeys recorded before took no such step (see LegacyPaths).
 */
export function waitingOnCitizen(run: JourneyRun, step: StepState, reason: 'consent' | 'data'): void {
  if (suspendsOnCitizen(step) && step.dueAt && run.legacy.legalClock()) suspend(run, step, reason);
}

function suspend(run: JourneyRun, step: StepState, reason: SuspendReason): void {
  if (suspendClock(step, reason, run.now())) run.record('step.clock_suspended', step.key, { reason, dueAt: step.dueAt });
}

/** The citizen answered: a suspended clock resumes and its deadlines move by the time it stood still. */
export function answered(run: JourneyRun, step: StepState): void {
  const ms = resumeClock(step, run.now());
  if (ms !== undefined) run.record('step.clock_resumed', step.key, { suspendedMs: ms, dueAt: step.dueAt });
}

/** The citizen gave the information asked: the caseworker's task is theirs again, and the clock runs. */
export function answerInformation(run: JourneyRun, task: CompleteTaskInput): StepState {
  const step = run.state.steps[task.nodeKey];
  step.waitingFor = 'task';
  step.information = { ...step.information!, answeredAt: run.now() };
  step.answered = { ...step.answered, information: { by: task.by, data: { question: step.information!.question }, ...(task.comment ? { comment: task.comment.trim() } : {}) } };
  run.record('step.information_provided', step.key, { by: task.by });
  answered(run, step);
  return step;
}

/**
 * Where the step's term is counted from, for a delay notice's new expected date: its start, or,
 * once the legal clock moved its due date, that due date less the norm's target.
 */
export function clockStart(run: JourneyRun, step: StepState): Date | null {
  if (step.clock && step.dueAt) return new Date(Date.parse(step.dueAt) - durationToMs(run.definition(step.key).serviceNorm.target));
  return step.startedAt ? new Date(step.startedAt) : null;
}
