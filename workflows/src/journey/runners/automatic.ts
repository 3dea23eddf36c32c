/** An automatic step: the engine calls the agency's endpoint; a failing agency makes the step need attention. */
import type { StepState } from '@levensloop/domain';
import { agencyActivities } from '../activities';
import { withAttention } from '../attention';
import { callEnded, startCall } from '../in-flight';
import type { JourneyRun } from '../journey-run';
import { raceDueDate } from '../service-norms';
import type { StepRunner } from './step-runner';

export const automaticRunner: StepRunner = {
  opensTaskAtStart: false,
  waitsForTask: false,
  work: (run, step) => (step.status === 'running' ? withAttention(run, step, () => callAgency(run, step)) : undefined),
};

async function callAgency(run: JourneyRun, step: StepState): Promise<void> {
  const { projector, journeyId } = run;
  const definition = run.definition(step.key);
  const agency = agencyActivities(definition.retry);
  run.automaticInFlight++;
  // The pending read-model changes (this step under way, and whatever led to it) ride along
  // with the agency call instead of costing a projection of their own.
  const carried = run.legacy.carryProjections && run.version !== run.projectedVersion ? projector.take() : undefined;
  if (carried) projector.carriedInFlight.add(carried);
  // A call that may still run at the due date: the delay notice comes at that instant.
  const dueTimer = raceDueDate(run, step, definition.retry);
  try {
    step.attempts++;
    // A step that declares a compensation calls in a scope of its own: a cancel may let it finish (../in-flight).
    const result = await startCall(run, step, () => agency.callAgency({
      journeyId,
      nodeKey: step.key,
      agency: step.agency,
      endpoint: definition.endpoint!,
      // The same key for every attempt and every retry: the agency does the work once.
      // A step started again after a changed decision is new work: a key of its own per run.
      idempotencyKey: step.reruns ? `${journeyId}/${step.key}/rerun-${step.reruns}` : `${journeyId}/${step.key}`,
      subject: run.subject,
      data: run.input.data,
      ...(definition.dataRequirements?.length ? { withFields: true } : {}),
      // The activity keeps only these fields of the answer (none when the step declares none).
      outputs: definition.outputs ?? [],
      ...(carried ? { projection: carried.projection } : {}),
    }));
    if (carried) {
      projector.carriedInFlight.delete(carried);
      if (result.projected === false) projector.redo(carried);
      else projector.confirm(carried);
    }
    step.status = 'completed';
    step.completedAt = run.now();
    step.outcome = { result: 'done', data: result.body, ...(result.dropped?.length ? { dropped: result.dropped } : {}) };
    delete step.error;
    run.record('step.completed', step.key, { status: result.status, ...(result.dropped?.length ? { dropped: result.dropped } : {}) });
  } catch (err) {
    if (carried) {
      projector.carriedInFlight.delete(carried);
      projector.redo(carried);
    }
    throw err;
  } finally {
    dueTimer?.cancel();
    callEnded(run, step);
    run.automaticInFlight--;
  }
}
