/**
 * Service norms: a started step gets its due date (and warning and escalation instants); timers
 * add "warning" and "escalated" events to the timeline while the step is not done, and the
 * citizen's notices: a reminder before their task is due and, when an agency's step passes its
 * due date, an apology with a new expected date (the projection files both as notifications).
 */
import { CancellationScope, condition, isCancellation, sleep } from '@temporalio/workflow';
import {
  AGENCY_STEP_KINDS,
  callMayOutlast,
  DEFAULT_RETRY,
  isClockSuspended,
  JOURNEY_UNDER_WAY,
  newExpectedDate,
  openTaskOf,
  reminderAt,
  remindsAtOpening,
  serviceNormDeadlines,
  STEP_UNDER_WAY,
  type RetryPolicy,
  type StepState,
} from '@levensloop/domain';
import { AGENCY_ATTEMPT_TIMEOUT_MS } from './activities';
import { TERMINAL } from './constants';
import type { JourneyRun } from './journey-run';
import { clockStart } from './legal-clock';

/** Sets the step's deadlines from now, after its service norm. */
export function setDeadlines(run: JourneyRun, step: StepState): void {
  const startedAt = run.now();
  step.startedAt = startedAt;
  Object.assign(step, serviceNormDeadlines(startedAt, run.definition(step.key).serviceNorm));
}

/** A step's service-norm timers: cancel `timers`, then await `done` (the step's coroutine does it inline). */
export interface NormWatch {
  timers: CancellationScope;
  done: Promise<void>;
}

/**
 * One instant to wait for, and what happens then (each sets its step's flag, so it happens once).
 * `at` is read again when its timer fires: the legal clock (./legal-clock.ts) may have moved it
 * later (a suspension that ended, an extension); an alarm that `followsClock` also waits while
 * the clock is suspended. Deadlines only ever move later, so a timer never fires too late.
 */
interface Alarm {
  at(): string;
  ring(): void;
  followsClock?: boolean;
}

/**
 * Starts the timers of a step with an alarm still to come: every scope, timer and promise costs
 * workflow CPU (the SDK records a stack trace for each promise). Undefined when there is nothing
 * to watch. The alarms run one after the other, so a step has at most one timer at a time.
 */
export function watchServiceNorm(run: JourneyRun, step: StepState): NormWatch | undefined {
  let alarms = normAlarms(run, step);
  let afterCall: Alarm | undefined;
  // Journeys of an earlier revision keep the timers they had (their histories replay unchanged).
  if (run.legacy.noticesOnTimers()) {
    const { notices, late } = noticeAlarms(run, step);
    if (notices.length) alarms = [...alarms, ...notices].sort((a, b) => Date.parse(a.at()) - Date.parse(b.at()));
    afterCall = late;
  }
  // Journeys started before this change always created the scope (replay-safe).
  const watch = run.legacy.normTimersOnlyWhenNeeded() ? alarms.length > 0 || !!afterCall : true;
  if (!watch) return undefined;
  const timers = new CancellationScope();
  const done = timers
    .run(() => (afterCall ? Promise.all([ring(step, alarms), ringAfterCall(step, afterCall)]).then(() => undefined) : ring(step, alarms)))
    .catch((err) => {
      if (!isCancellation(err)) throw err;
    });
  return { timers, done };
}

async function ring(step: StepState, alarms: Alarm[]): Promise<void> {
  for (const alarm of alarms) {
    // Without a legal clock on the step this is one timer per alarm, as it always was.
    for (;;) {
      const wait = Date.parse(alarm.at()) - Date.now();
      if (wait > 0) await sleep(wait);
      if (TERMINAL.has(step.status)) return;
      if (alarm.followsClock && isClockSuspended(step)) {
        await condition(() => !isClockSuspended(step) || TERMINAL.has(step.status));
        continue;
      }
      if (Date.parse(alarm.at()) <= Date.now()) break;
    }
    alarm.ring();
  }
}

/**
 * The delay notice of a step that does its work in one call (an agency's endpoint, a rule): its
 * timer starts only once the step is out of that call (waiting for the citizen or a caseworker,
 * or needing attention), as nearly every call ends in seconds; a timer per call would cost two
 * history events for nothing.
 */
async function ringAfterCall(step: StepState, alarm: Alarm): Promise<void> {
  await condition(() => step.status !== 'running');
  if (TERMINAL.has(step.status)) return;
  await ring(step, [alarm]);
}

/** The warning and the escalation, in that order (as they always were). */
function normAlarms(run: JourneyRun, step: StepState): Alarm[] {
  const alarms: Alarm[] = [];
  if (step.warnAt && !step.warned) {
    alarms.push({
      at: () => step.warnAt!,
      followsClock: true,
      ring: () => {
        step.warned = true;
        run.record('step.warning', step.key, { dueAt: step.dueAt });
      },
    });
  }
  if (step.escalateAt && !step.escalated) {
    alarms.push({
      at: () => step.escalateAt!,
      followsClock: true,
      ring: () => {
        step.escalated = true;
        run.record('step.escalated', step.key, { dueAt: step.dueAt });
      },
    });
  }
  return alarms;
}

/**
 * The citizen's notices, only for steps that may call for one: a reminder for a step that may
 * wait for the citizen (their own step, or one asking consent or data) when the journey has a lead
 * time, and a delay notice for an agency's step (`late` for an automatic or decision step, which
 * nearly always completes in its call: see ringAfterCall).
 */
function noticeAlarms(run: JourneyRun, step: StepState): { notices: Alarm[]; late?: Alarm } {
  const notices: Alarm[] = [];
  const remindAt = step.reminded ? undefined : reminderAt(step.dueAt, run.input.reminderBefore);
  if (remindAt && (step.kind === 'citizen' || run.definition(step.key).dataRequirements?.length)) {
    notices.push({ at: () => reminderAt(step.dueAt, run.input.reminderBefore) ?? remindAt, ring: () => remind(run, step) });
  }
  if (!step.dueAt || step.delayNoticed || !AGENCY_STEP_KINDS.includes(step.kind)) return { notices };
  const delay: Alarm = { at: () => step.dueAt!, followsClock: true, ring: () => apologise(run, step) };
  if (step.kind === 'automatic' || step.kind === 'decision') return { notices, late: delay };
  return { notices: [...notices, delay] };
}

/**
 * A task of the step just opened (revision 3 on): a citizen's task past its reminder instant and
 * not due yet is reminded now (its timer found no task open, or rang before the task existed).
 * Past its due date it gets no reminder; an agency's step gets its delay notice from its timer.
 */
export function taskOpened(run: JourneyRun, step: StepState): void {
  if (run.legacy.noticesAtOpeningAndDuringCalls() && remindsAtOpening(step.dueAt, run.input.reminderBefore, Date.now())) remind(run, step);
}

/**
 * A timer racing an agency call that may still be under way at the step's due date (revision 3
 * on): the delay notice comes at the due instant, not once the call ends. Cancel the scope when
 * the call ends. Undefined when the call cannot reach the due date (no timer, no history events).
 */
export function raceDueDate(run: JourneyRun, step: StepState, policy: RetryPolicy | undefined): CancellationScope | undefined {
  if (!run.legacy.noticesAtOpeningAndDuringCalls() || step.delayNoticed) return undefined;
  if (!callMayOutlast(step.dueAt, Date.now(), policy ?? DEFAULT_RETRY, AGENCY_ATTEMPT_TIMEOUT_MS)) return undefined;
  const timer = new CancellationScope();
  timer
    .run(() => ring(step, [{ at: () => step.dueAt!, followsClock: true, ring: () => apologise(run, step) }]))
    .catch((err) => {
      if (!isCancellation(err)) throw err;
    });
  return timer;
}

/** A reminder, when the step waits for the citizen at its reminder instant, before it is due. */
function remind(run: JourneyRun, step: StepState): void {
  const task = openTaskOf(run.journeyId, step);
  // A request for information has its own due date (the step's is not the citizen's then).
  if (task?.purpose === 'information') return;
  if (step.reminded || task?.assignee !== 'citizen' || !JOURNEY_UNDER_WAY.includes(run.state.status) || Date.parse(step.dueAt!) <= Date.now()) return;
  step.reminded = true;
  run.record('step.reminder', step.key, { taskId: task.id, dueAt: step.dueAt });
}

/** An apology with a new expected date, when the agency's step is under way at its due date. */
function apologise(run: JourneyRun, step: StepState): void {
  if (step.delayNoticed || !STEP_UNDER_WAY.includes(step.status) || !JOURNEY_UNDER_WAY.includes(run.state.status)) return;
  step.delayNoticed = true;
  const expected = newExpectedDate(clockStart(run, step), run.definition(step.key).serviceNorm, new Date());
  run.record('step.delayed', step.key, { agency: step.agency, newExpectedDate: expected.toISOString() });
}
