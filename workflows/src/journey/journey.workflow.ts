/**
 * The journey workflow: runs one life event for one subject as a graph of service steps.
 * Deterministic: all I/O happens in activities; the definition snapshot is pinned at start.
 * This module is the planner (the main loop); README.md says where every other concern lives.
 */
import { CancellationScope, allHandlersFinished, condition, continueAsNew, isCancellation, workflowInfo } from '@temporalio/workflow';
import { isJourneyFinished, journeyStatus, planReadySteps, type LifeEventSnapshot, type StepState } from '@levensloop/domain';
import type { JourneyInput, JourneyResult } from '@levensloop/contracts/workflow';
import { compensate } from './compensation';
import { TERMINAL } from './constants';
import { registerHandlers } from './handlers';
import { JourneyRun } from './journey-run';
import { refreshData } from './step-data';
import { launch } from './steps';
import { holdForObjections } from './objections';
import { recordCompletion } from './completion';
import { resumeInformationDue } from './information-due';
import { heldBookings, releaseBookings } from './appointments';

export async function journeyWorkflow(input: JourneyInput): Promise<JourneyResult> {
  const run = new JourneyRun(input);
  const { state, projector } = run;
  const historyLimit = input.continueAsNewAfterEvents ?? 5000;
  registerHandlers(run);
  projector.start();

  if (!input.carried) {
    run.legacy.upsertStartAttributes();
    run.record('journey.started', undefined, { lifeEvent: input.snapshot.key, version: input.snapshot.version });
  }
  // Steps that were under way when the journey continued as new resume here.
  for (const step of Object.values(state.steps)) {
    if (!TERMINAL.has(step.status) && step.status !== 'pending') launch(run, step.key);
  }
  // Requests for information still open follow their due date again (./information-due).
  if (input.carried) resumeInformationDue(run);

  // The refresher runs only for journeys that get a source event (no extra promise otherwise).
  let refresher = false;
  let seenVersion = -1;
  try {
    // A journey with a decision still open to objection is held until its term ends (./objections).
    do {
    while (run.isOpen()) {
      if (run.refreshes.length && !refresher) {
        refresher = true;
        run.steps
          .run(() => refreshData(run))
          .catch((err) => {
            if (!isCancellation(err)) throw err;
          });
      }
      seenVersion = run.version;
      const context = { data: input.data, subject: input.subject, steps: stepContext(state.steps) };
      const plan = planReadySteps(input.snapshot, state.steps, context);
      for (const { key, reason } of plan.skip) {
        const step = state.steps[key];
        step.status = 'skipped';
        step.completedAt = run.now();
        step.outcome = { reason };
        run.record('step.skipped', key, { reason });
      }
      for (const key of plan.start) if (!run.active.has(key)) launch(run, key);

      const newStatus = isJourneyFinished(state.steps) ? 'completed' : journeyStatus(state.steps);
      if (newStatus !== state.status) {
        state.status = newStatus;
        if (newStatus === 'completed') recordCompletion(run);
        else if (newStatus === 'needs_attention') run.record('journey.needs_attention');
        else run.touch();
      }
      if (!run.isOpen()) break;
      if (plan.skip.length) continue;

      if (shouldContinueAsNew(historyLimit) && run.automaticInFlight === 0) {
        run.plannerOff = true;
        await condition(() => allHandlersFinished() && !projector.projecting && run.version === run.projectedVersion);
        await projector.stop();
        await continueAsNew<typeof journeyWorkflow>({ ...input, carried: state });
      }
      run.planned = run.version;
      await condition(() => run.version !== seenVersion);
    }
    } while (await holdForObjections(run));
  } catch (err) {
    // Cancelled in Temporal: the journey is cancelled (see JourneyRun) and closes below.
    if (!(isCancellation(err) && run.cancelledInTemporal)) throw err;
  }

  // Cancelled after steps completed that declare a compensation: they are undone first.
  if (state.compensating) await compensate(run);
  // A cancelled journey frees the appointments it booked (asked only when one is held: ./appointments).
  if (state.status === 'cancelled' && heldBookings(run).length) await releaseBookings(run);
  // Let running handlers and the last projection finish before the journey closes.
  run.plannerOff = true;
  const close = async () => {
    await condition(allHandlersFinished);
    await condition(() => run.version === run.projectedVersion && !projector.projecting);
    await projector.stop();
  };
  try {
    await close();
  } catch (err) {
    // Cancelled in Temporal (now or before): the close, and the projection of the journey's end,
    // go on outside the cancellation.
    if (!(isCancellation(err) && run.cancelledInTemporal)) throw err;
    await CancellationScope.nonCancellable(async () => {
      await projector.resume();
      await close();
    });
  }
  return { journeyId: input.journeyId, status: state.status, steps: state.steps };
}

function shouldContinueAsNew(limit: number): boolean {
  const info = workflowInfo();
  return info.continueAsNewSuggested || info.historyLength > limit;
}

/** What conditions of the life event see of each step. */
function stepContext(states: Record<string, StepState>) {
  return Object.fromEntries(Object.values(states).map((s) => [s.key, { status: s.status, outcome: s.outcome ?? null }]));
}

export type { LifeEventSnapshot };
