/**
 * Steps that need attention: after its activity's retries a failing phase (an agency call,
 * preparing data, deciding) does not fail the journey; the step waits for a caseworker to retry
 * (the phase runs again) or skip it.
 */
import { ActivityFailure, ApplicationFailure, condition, isCancellation } from '@temporalio/workflow';
import type { StepState } from '@levensloop/domain';
import type { JourneyRun } from './journey-run';

/** Runs an activity-backed phase of a step until it succeeds (true) or the step is skipped (false). */
export async function withAttention(run: JourneyRun, step: StepState, phase: () => Promise<void>): Promise<boolean> {
  for (;;) {
    try {
      await phase();
      return true;
    } catch (err) {
      if (isCancellation(err)) throw err;
      step.status = 'needs_attention';
      step.error = describeFailure(err);
      run.record('step.needs_attention', step.key, { error: step.error });
    }
    await awaitAttention(run, step);
    // awaitAttention changed the status (retry → running, skip → skipped).
    if ((step.status as StepState['status']) !== 'running') return false;
  }
}

/** Waits for a caseworker's retry or skip of a step that needs attention, and takes it up. */
export async function awaitAttention(run: JourneyRun, step: StepState): Promise<void> {
  await condition(() => run.attentionDecisions.has(step.key));
  const action = run.attentionDecisions.get(step.key);
  run.attentionDecisions.delete(step.key);
  if (action === 'skip') {
    step.status = 'skipped';
    step.completedAt = run.now();
  } else {
    step.status = 'running';
  }
  run.markDirty(step.key);
}

/** The message of the failure underneath an activity failure. */
export function describeFailure(err: unknown): string {
  let cause: unknown = err;
  while (cause instanceof ActivityFailure && cause.cause) cause = cause.cause;
  if (cause instanceof ApplicationFailure || cause instanceof Error) return cause.message;
  return String(cause);
}
