/**
 * The due date of a caseworker's request for information (rules: libs/domain/src/information-due.ts):
 * a timer reminds the citizen before it (3 days, or half-way for a short term) and, when it passes
 * unanswered, the request lapses: the step's clock runs again (its deadlines move by the time it
 * stood still), the caseworker's task is theirs again with "no answer by <date>" on it, and the
 * citizen is told. One coroutine per request, in the steps' scope (a cancelled journey ends it);
 * its `condition` timers end early when the answer comes.
 * Guarded by `patched('15F-information-due')`, asked when a request is made: journeys recorded
 * before had no such timers. A request made with them is marked `followed`, so that a journey
 * that continues as new starts them again without asking.
 */
import { condition, isCancellation, patched } from '@temporalio/workflow';
import { informationOpen, informationReminderAt, JOURNEY_UNDER_WAY, resumeClock, taskIdOf, type StepState } from '@levensloop/domain';
import type { JourneyRun } from './journey-run';

/** A request was just made: follow its due date (new journeys only). */
export function followInformationDue(run: JourneyRun, step: StepState): void {
  if (!step.information || !patched('15F-information-due')) return;
  step.information.followed = true;
  start(run, step);
}

/** After a continue-as-new: requests still open whose due date was followed are followed again. */
export function resumeInformationDue(run: JourneyRun): void {
  for (const step of Object.values(run.state.steps)) {
    if (step.information?.followed && informationOpen(step, step.information.askedAt)) start(run, step);
  }
}

function start(run: JourneyRun, step: StepState): void {
  run.steps
    .run(() => follow(run, step, step.information!.askedAt))
    .catch((err) => {
      if (!isCancellation(err)) throw err;
    });
}

/** Waits until `at` unless the request stops being open first; true when it is still open then. */
async function stillOpenAt(run: JourneyRun, step: StepState, askedAt: string, at: string): Promise<boolean> {
  const open = () => informationOpen(step, askedAt) && JOURNEY_UNDER_WAY.includes(run.state.status);
  const wait = Date.parse(at) - Date.now();
  if (wait > 0) await condition(() => !open(), wait);
  return open();
}

async function follow(run: JourneyRun, step: StepState, askedAt: string): Promise<void> {
  const request = step.information!;
  const remindAt = request.remindedAt ? undefined : informationReminderAt(request);
  if (remindAt && (await stillOpenAt(run, step, askedAt, remindAt))) remind(run, step);
  if (await stillOpenAt(run, step, askedAt, request.dueAt)) lapse(run, step);
}

function remind(run: JourneyRun, step: StepState): void {
  const info = step.information!;
  info.remindedAt = run.now();
  run.record('step.information_reminder', step.key, {
    agency: step.agency,
    question: info.question,
    dueAt: info.dueAt,
    taskId: taskIdOf(run.journeyId, step.key, 'information'),
  });
}

/** No answer by the due date: the clock runs again and the caseworker's task is theirs, flagged. */
function lapse(run: JourneyRun, step: StepState): void {
  const now = run.now();
  step.information = { ...step.information!, lapsedAt: now };
  step.waitingFor = 'task';
  const suspendedMs = resumeClock(step, now);
  run.record('step.information_lapsed', step.key, {
    agency: step.agency,
    question: step.information.question,
    dueAt: step.information.dueAt,
    taskId: taskIdOf(run.journeyId, step.key),
    ...(suspendedMs === undefined ? {} : { suspendedMs, termDueAt: step.dueAt }),
  });
}
