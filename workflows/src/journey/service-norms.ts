/**
 * Service norms: a started step gets its due date (and warning and escalation instants); timers
 * add "warning" and "escalated" events to the timeline while the step is not done.
 */
import { CancellationScope, isCancellation, sleep } from '@temporalio/workflow';
import { serviceNormDeadlines, type StepState } from '@levensloop/domain';
import { TERMINAL } from './constants';
import type { JourneyRun } from './journey-run';

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
 * Starts the timers of a step with a warning or escalation still to come: every scope, timer and
 * promise costs workflow CPU (the SDK records a stack trace for each promise). Undefined when
 * there is nothing to watch.
 */
export function watchServiceNorm(run: JourneyRun, step: StepState): NormWatch | undefined {
  const needed = (step.warnAt && !step.warned) || (step.escalateAt && !step.escalated);
  // Journeys started before this change always created the scope (replay-safe).
  const watch = run.legacy.normTimersOnlyWhenNeeded() ? needed : true;
  if (!watch) return undefined;
  const timers = new CancellationScope();
  const done = timers
    .run(() => alarms(run, step))
    .catch((err) => {
      if (!isCancellation(err)) throw err;
    });
  return { timers, done };
}

async function alarms(run: JourneyRun, step: StepState): Promise<void> {
  const alarms: Array<['warning' | 'escalated', string | undefined, boolean | undefined]> = [
    ['warning', step.warnAt, step.warned],
    ['escalated', step.escalateAt, step.escalated],
  ];
  for (const [kind, at, done] of alarms) {
    if (!at || done) continue;
    const wait = Date.parse(at) - Date.now();
    if (wait > 0) await sleep(wait);
    if (TERMINAL.has(step.status)) return;
    if (kind === 'warning') step.warned = true;
    else step.escalated = true;
    run.record(kind === 'warning' ? 'step.warning' : 'step.escalated', step.key, { dueAt: step.dueAt });
  }
}
