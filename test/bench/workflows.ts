/**
 * The two reference workflows of the benchmark, written directly against the Temporal SDK:
 * the ceiling (K no-op activities) and the hand-written equivalent of a synthetic life event of
 * K automatic steps (the same agency calls and the same status rows as the engine writes).
 */
import { condition, defineSignal, proxyActivities, setHandler } from '@temporalio/workflow';
import type { BenchActivities, HandwrittenInput } from './bench-types';

const acts = proxyActivities<BenchActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 5, initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds' },
});

export async function ceilingWorkflow(k: number): Promise<number> {
  for (let i = 0; i < k; i++) await acts.noop();
  return k;
}

export async function handwrittenWorkflow(input: HandwrittenInput): Promise<string> {
  await acts.recordJourney({ journeyId: input.journeyId, status: 'running', steps: input.endpoints.length, seq: 1 });
  for (let i = 0; i < input.endpoints.length; i++) {
    await acts.callAndRecord({ journeyId: input.journeyId, step: `s${i + 1}`, endpoint: input.endpoints[i], subject: input.subject });
  }
  await acts.recordJourney({ journeyId: input.journeyId, status: 'completed', steps: input.endpoints.length, seq: 2 * input.endpoints.length + 2 });
  return 'completed';
}

export const finishSignal = defineSignal('finish');

/** The floor of a journey start: a bare workflow started over gRPC that waits, like a journey waiting for a caseworker. */
export async function waitingWorkflow(): Promise<void> {
  let finished = false;
  setHandler(finishSignal, () => {
    finished = true;
  });
  await condition(() => finished);
}
