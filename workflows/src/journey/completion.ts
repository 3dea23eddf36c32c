/**
 * The journey's completion as the timeline tells it. A journey an objection or an override
 * re-opened after it had completed completes a second time: that completion is marked `again`
 * (and `revised` when a decision changed), so the citizen is not told "complete" twice as if
 * nothing happened (the message it files: libs/notifications/src/completion-again.ts).
 */
import { patched } from '@temporalio/workflow';
import type { JourneyRun } from './journey-run';

/** The journey, completed, was opened again: `revised` once a decision of it changed. */
export function markReopened(run: JourneyRun, revised: boolean): void {
  const earlier = run.state.reopened;
  run.state.reopened = { revised: revised || earlier?.revised === true };
}

/**
 * Records `journey.completed`. Journeys whose histories completed again before this change keep
 * the plain event (`patched('15m-completed-again')`, asked only for a completion after a re-opening).
 */
export function recordCompletion(run: JourneyRun): void {
  const reopened = run.state.reopened;
  delete run.state.reopened;
  if (reopened && patched('15m-completed-again')) run.record('journey.completed', undefined, { again: true, revised: reopened.revised });
  else run.record('journey.completed');
}
