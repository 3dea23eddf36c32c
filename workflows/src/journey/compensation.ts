/**
 * Compensation: a journey cancelled (the cancel update, a cancellation in Temporal, its triggering
 * event annulled) after some of its steps completed undoes those that declare how, in reverse
 * order of completion, each once: a call to the step's compensation endpoint under one idempotency
 * key per journey and step, retried as the step's calls are, or a caseworker task at the step's
 * agency. A call that keeps failing needs attention (a caseworker retries or gives up, through
 * resolve-attention). The journey is `compensating` meanwhile and `cancelled` once all are done;
 * the `journey.cancelled` event, and so the citizen's message, says what was undone.
 * Journeys whose steps declare no compensation never come here (no command, no marker).
 */
import { CancellationScope, condition, patched } from '@temporalio/workflow';
import { compensationWay, stepsToCompensate, type StepState } from '@levensloop/domain';
import type { CancelJourneyInput, ResolveAttentionInput } from '@levensloop/contracts/workflow';
import { agencyActivities } from './activities';
import { describeFailure } from './attention';
import { settleCallsUnderWay } from './in-flight';
import { refundCall } from './payments';
import type { JourneyRun } from './journey-run';

/**
 * Called where the journey is cancelled: when completed steps are to be undone, the journey turns
 * `compensating` (instead of `cancelled`) and true is returned; the planner stops as it does on a
 * cancel, and `compensate` runs before the journey closes.
 */
export function beginCompensation(run: JourneyRun, request: CancelJourneyInput, finishing: string[] = []): boolean {
  const order = stepsToCompensate(run.snapshot, run.state.steps);
  if ((!order.length && !finishing.length) || !patched('compensation-undoes-completed-steps')) return false;
  for (const key of order) {
    run.state.steps[key].compensation = { status: 'pending', by: compensationWay(run.definition(key).compensation, run.definition(key).kind)! };
    run.dirtySteps.add(key);
  }
  run.state.status = 'compensating';
  run.state.compensating = { by: request.by, reason: request.reason, order, ...(finishing.length ? { finishing } : {}) };
  run.record('journey.compensating', undefined, { by: request.by, reason: request.reason, steps: order, ...(finishing.length ? { finishing } : {}) });
  return true;
}

/**
 * Undoes the steps one after the other, then ends the journey as cancelled. Not cancellable: a
 * cancellation in Temporal during it must not leave steps half undone.
 */
export async function compensate(run: JourneyRun): Promise<void> {
  const plan = run.state.compensating;
  if (!plan) return;
  run.plannerOff = true;
  await CancellationScope.nonCancellable(async () => {
    // A cancellation in Temporal stopped the projector's loop: the read model follows the undoing.
    const resumed = run.cancelledInTemporal;
    if (resumed) await run.projector.resume();
    // Calls under way at the cancel finish first; those that completed are undone first (./in-flight).
    if (plan.finishing?.length) plan.order = await settleCallsUnderWay(run, plan.finishing, plan.order);
    for (const key of plan.order) await compensateStep(run, run.state.steps[key]);
    const undone = plan.order.filter((key) => run.state.steps[key].compensation?.status === 'done');
    const notUndone = plan.order.filter((key) => !undone.includes(key));
    run.state.status = 'cancelled';
    run.record('journey.cancelled', undefined, {
      by: plan.by,
      reason: plan.reason,
      undone,
      ...(notUndone.length ? { notUndone } : {}),
      // What the citizen's message lists (step titles are definitions, not personal data).
      undoneTitles: undone.map((key) => run.definition(key).titles),
    });
    // The loop resumed here stops here, all projected: the journey's close would wait on it otherwise.
    if (resumed) await run.projector.stop();
  });
}

async function compensateStep(run: JourneyRun, step: StepState): Promise<void> {
  const state = step.compensation!;
  const definition = run.definition(step.key);
  if (state.by === 'task') {
    state.status = 'waiting';
    run.record('step.compensation_task_created', step.key, { assignee: 'caseworker', agency: step.agency });
    await condition(() => state.status !== 'waiting');
    return;
  }
  const agency = agencyActivities(definition.retry);
  for (;;) {
    state.status = 'running';
    run.record('step.compensating', step.key, { agency: step.agency });
    try {
      // A payment step is undone by a refund at the provider (./payments.ts), once.
      const result = state.by === 'refund' ? await refundCall(run, step) : await agency.compensateStep({
        journeyId: run.journeyId,
        nodeKey: step.key,
        agency: step.agency,
        endpoint: definition.compensation!.endpoint!,
        // The same key for every attempt, retry and worker: the agency undoes the step once.
        idempotencyKey: `${run.journeyId}/${step.key}/compensation`,
        subject: run.subject,
        data: step.outcome?.data ?? {},
      });
      state.status = 'done';
      delete state.error;
      run.record('step.compensated', step.key, { status: result.status });
      return;
    } catch (err) {
      state.status = 'needs_attention';
      state.error = describeFailure(err);
      run.record('step.compensation_needs_attention', step.key, { error: state.error });
    }
    await condition(() => run.attentionDecisions.has(step.key));
    const action = run.attentionDecisions.get(step.key);
    run.attentionDecisions.delete(step.key);
    if (action === 'skip') {
      state.status = 'given_up';
      run.markDirty(step.key);
      return;
    }
  }
}

/** A caseworker's retry or give-up of a compensation that needs attention (the resolve-attention update). */
export function resolveCompensation(run: JourneyRun, decision: ResolveAttentionInput): StepState {
  const step = run.state.steps[decision.nodeKey];
  run.attentionDecisions.set(decision.nodeKey, decision.action);
  if (decision.action === 'skip') {
    Object.assign(step.compensation!, { actor: decision.by, ...(decision.reason ? { reason: decision.reason } : {}) });
  }
  run.record(decision.action === 'retry' ? 'step.compensation_retried' : 'step.compensation_given_up', decision.nodeKey, {
    by: decision.by,
    ...(decision.reason ? { reason: decision.reason } : {}),
  });
  return step;
}

/** A caseworker did (approve) or could not do (reject) the compensation task. */
export function completeCompensationTask(run: JourneyRun, task: { nodeKey: string; outcome: 'approve' | 'reject'; by: string; comment?: string }): StepState {
  const step = run.state.steps[task.nodeKey];
  // In place: the step's coroutine waits on this object.
  Object.assign(step.compensation!, {
    status: task.outcome === 'approve' ? 'done' : 'given_up',
    actor: task.by,
    ...(task.comment ? { comment: task.comment } : {}),
  });
  run.record(task.outcome === 'approve' ? 'step.compensated' : 'step.compensation_given_up', task.nodeKey, {
    by: task.by,
    ...(task.comment ? { comment: task.comment } : {}),
  });
  return step;
}

/** A caseworker claims (`by`) or releases (null) the compensation task; the projection writes the claim. */
export function claimCompensationTask(run: JourneyRun, nodeKey: string, holder: string | null): StepState {
  const step = run.state.steps[nodeKey];
  if (step.compensation!.claimedBy !== holder) {
    step.compensation!.claimedBy = holder;
    run.markDirty(nodeKey);
  }
  return step;
}
