/**
 * A worker shutting down (SIGTERM) with an agency call in flight: after its `shutdownGraceTime`
 * the SDK cancels the running activities, the agency call aborts on the activity's cancellation
 * signal, and the worker stops then, not when the agency answers (or the call times out); the
 * attempt fails as 'WorkerShutdown' (retryable) and Temporal schedules it again. Real Temporal server, a worker in this process,
 * real PostgreSQL and the sandbox's agencies.
 */
import { randomUUID } from 'node:crypto';
import { temporal } from '@temporalio/proto';
import { pollUntil } from '../support/poll';
import { snapshot, step } from '../support/snapshots';
import { startJourneyWorker, type JourneyWorker } from '../support/journey-worker';

jest.setTimeout(120_000);

const GRACE_MS = 500;
let w: JourneyWorker;

beforeAll(async () => {
  // The worker's agency calls time out after 5 s (startJourneyWorker): the agency below is slower.
  w = await startJourneyWorker('worker-drain-agency-call', { shutdownGraceTime: GRACE_MS });
});

afterAll(async () => {
  await w?.close();
});

test('the worker stops within its grace plus a little, the call aborted; the attempt is retried', async () => {
  const service = `slow-${randomUUID().slice(0, 8)}`;
  await w.setBehaviour('test-agency', service, { latencyMs: 60_000 });
  const snap = snapshot(`it-drain-${randomUUID().slice(0, 8)}`, [step('call', 'automatic', { endpoint: w.agencyUrl('test-agency', service), maximumAttempts: 3 })]);
  const { handle } = await w.startJourney(snap);
  await w.waitForStep(handle, 'call', 'running');
  const pendingCall = async () => (await handle.describe()).raw.pendingActivities?.[0];
  await pollUntil('the agency call started on the worker', async () => (await pendingCall())?.state === temporal.api.enums.v1.PendingActivityState.PENDING_ACTIVITY_STATE_STARTED);
  // Under way for a moment: the request is at the agency.
  await new Promise((r) => setTimeout(r, 300));

  const started = Date.now();
  await w.stopWorker();
  const took = Date.now() - started;
  // Without the cancellation reaching the call, the worker waits for the agency's 5 s timeout.
  expect(took).toBeLessThan(GRACE_MS + 2500);

  // The attempt failed as a cancellation on shutdown, and Temporal schedules it again (for another worker).
  const retried = await pollUntil('the call scheduled again', async () => {
    const activity = await pendingCall();
    return activity && Number(activity.attempt) === 2 ? activity : undefined;
  });
  expect(retried.activityType?.name).toBe('callAgency');
  expect(retried.lastFailure).toMatchObject({ message: 'Worker is shutting down and this activity did not complete in time', applicationFailureInfo: { type: 'WorkerShutdown' } });
});
