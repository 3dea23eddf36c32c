/**
 * A step under way when its journey is cancelled: an agency call of a step that declares a
 * compensation runs in a scope of its own, shielded from the journey's cancellation, so that a
 * cancel can let it finish (the agency may do the work anyway) and then undo it, in order, once.
 * Which way a cancel goes is `patched('15F-compensate-in-flight')`, asked only when such a call is
 * under way: journeys recorded before cancelled the call with the steps (and do so still), and
 * calls of steps that declare no compensation are cancelled with the steps as they always were.
 * An open task needs nothing: it did nothing, and closes as cancelled with its step.
 */
import { CancellationScope, condition, patched } from '@temporalio/workflow';
import { compensationWay, type StepState } from '@levensloop/domain';
import type { JourneyRun } from './journey-run';

/** The shielded calls under way, per run, by step. */
const underWay = new WeakMap<JourneyRun, Map<string, CancellationScope>>();

function callsOf(run: JourneyRun): Map<string, CancellationScope> {
  let calls = underWay.get(run);
  if (!calls) underWay.set(run, (calls = new Map()));
  return calls;
}

/**
 * Starts the agency call of a step: in a shielded scope of its own when the step declares a
 * compensation. The call's own promise is returned (no extra `await` in the runner: see README).
 */
export function startCall<T>(run: JourneyRun, step: StepState, call: () => Promise<T>): Promise<T> {
  if (!run.definition(step.key).compensation) return call();
  const scope = new CancellationScope({ cancellable: true, parent: new CancellationScope({ cancellable: false }) });
  callsOf(run).set(step.key, scope);
  let promise!: Promise<T>;
  // The scope's own promise mirrors the call's; the runner awaits the call's.
  scope.run(() => (promise = call())).catch(() => undefined);
  return promise;
}

/** The call of the step ended (completed or failed). */
export function callEnded(run: JourneyRun, step: StepState): void {
  underWay.get(run)?.delete(step.key);
}

/**
 * At cancel: the steps whose calls are let finish (to be undone if they complete). Asks the patch
 * only when a shielded call is under way; journeys recorded before get none (see `cancelCalls`).
 */
export function callsToFinish(run: JourneyRun): string[] {
  const calls = underWay.get(run);
  if (!calls?.size || !patched('15F-compensate-in-flight')) return [];
  return [...calls.keys()];
}

/** After the steps' scope was cancelled: the shielded calls not let finish are cancelled too, as they were with the steps. */
export function cancelCalls(run: JourneyRun, finishing: readonly string[]): void {
  for (const [key, scope] of underWay.get(run) ?? []) if (!finishing.includes(key)) scope.cancel();
}

/**
 * Before undoing: waits for the calls let finish; those that completed are undone first (they
 * completed last, the latest first), the others are cancelled. Returns the new order.
 */
export async function settleCallsUnderWay(run: JourneyRun, finishing: readonly string[], order: readonly string[]): Promise<string[]> {
  await condition(() => finishing.every((key) => !underWay.get(run)?.has(key)));
  const steps = finishing.map((key) => run.state.steps[key]);
  const completed = steps
    .filter((s) => s.status === 'completed' && s.outcome?.result !== 'rejected')
    .sort((a, b) => Date.parse(b.completedAt ?? '') - Date.parse(a.completedAt ?? '') || finishing.indexOf(b.key) - finishing.indexOf(a.key));
  for (const step of completed) {
    step.compensation = { status: 'pending', by: compensationWay(run.definition(step.key).compensation)! };
    run.markDirty(step.key);
  }
  for (const step of steps) {
    if (step.status === 'completed') continue;
    step.status = 'cancelled';
    step.completedAt = run.now();
    run.markDirty(step.key);
  }
  return [...completed.map((s) => s.key), ...order];
}
