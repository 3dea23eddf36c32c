/**
 * A step's coroutine: start (deadlines, and the task for human steps without data to prepare),
 * wait for attention left from an earlier run, prepare the declared data, then the kind's work
 * (see ./runners), under the step's service-norm timers. Every kind runs through the same phases.
 */
import { condition, isCancellation } from '@temporalio/workflow';
import type { StepState } from '@levensloop/domain';
import { awaitAttention, withAttention } from './attention';
import type { JourneyRun } from './journey-run';
import { STEP_RUNNERS } from './runners';
import { setDeadlines, taskOpened, watchServiceNorm } from './service-norms';
import { needsData, prepareData } from './step-data';
import { openInTeamQueue } from './teams';
import { needsRouting, routeStep } from './routing';

/** Starts a pending step: its service-norm deadlines, and its task when it can open at once. */
function startStep(run: JourneyRun, step: StepState): void {
  setDeadlines(run, step);
  // A human step's task opens once its data is prepared; until then it is running.
  const task = STEP_RUNNERS[step.kind].opensTaskAtStart && !run.definition(step.key).dataRequirements?.length;
  step.status = task ? 'waiting' : 'running';
  run.record('step.started', step.key, { agency: step.agency, dueAt: step.dueAt });
  if (task) {
    if (step.kind === 'caseworker') openInTeamQueue(run, step);
    run.record('step.task_created', step.key, { assignee: step.kind });
    taskOpened(run, step);
  }
}

// The awaits below are the step's timeline in the history: keep their number and order (an
// extra `await` or `async` wrapper shifts when commands are issued, and old histories would not
// replay).
async function runStep(run: JourneyRun, key: string): Promise<void> {
  const step = run.state.steps[key];
  if (step.status === 'pending') startStep(run, step);
  const norms = watchServiceNorm(run, step);
  try {
    if (step.status === 'needs_attention') await awaitAttention(run, step);
    const prepared = needsData(run, step) ? await withAttention(run, step, () => prepareData(run, step)) : true;
    if (!prepared) return;
    const runner = STEP_RUNNERS[step.kind];
    const work = runner.work(run, step);
    if (work && (await work) === false) return;
    if (runner.waitsForTask) await condition(() => step.status !== 'waiting');
  } finally {
    if (norms) {
      norms.timers.cancel();
      await norms.done;
    }
    run.active.delete(key);
    run.touch();
  }
}

/** A step named by agency role is routed first (./routing.ts); skipped while it needed attention, it ends there. */
async function routeThenRun(run: JourneyRun, key: string): Promise<void> {
  const step = run.state.steps[key];
  let routed = false;
  try {
    routed = await routeStep(run, step);
  } finally {
    if (!routed) {
      run.active.delete(key);
      run.touch();
    }
  }
  if (routed) await runStep(run, key);
}

/** Runs a step's coroutine in the journey's step scope (cancelling the journey cancels it). */
export function launch(run: JourneyRun, key: string): void {
  run.active.add(key);
  const routing = needsRouting(run, run.state.steps[key]);
  run.steps
    .run(() => (routing ? routeThenRun(run, key) : runStep(run, key)))
    .catch((err) => {
      if (!isCancellation(err)) throw err;
    });
}
