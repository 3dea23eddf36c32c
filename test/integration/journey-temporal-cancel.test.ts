/**
 * A journey cancelled through Temporal itself (a client's `cancel()`, the Web UI's "Request
 * cancellation") ends the way the `cancelJourney` update ends it: cancelled with a reason, its
 * steps cancelled, the end projected to the read model, the workflow completed. Before, the
 * projector's loop rejected unhandled and every workflow task failed: the journey was stuck.
 * Real Temporal server, a worker in this process, real PostgreSQL and the sandbox's agencies.
 */
import { randomUUID } from 'node:crypto';
import { temporal } from '@temporalio/proto';
import { journeyStateQuery, type JourneyResult } from '@levensloop/contracts/workflow';
import { pollUntil } from '../support/poll';
import { snapshot, step } from '../support/snapshots';
import { startJourneyWorker, type JourneyWorker } from '../support/journey-worker';

jest.setTimeout(120_000);

const EventType = temporal.api.enums.v1.EventType;
let w: JourneyWorker;

beforeAll(async () => {
  w = await startJourneyWorker('journey-temporal-cancel');
});

afterAll(async () => {
  await w?.close();
});

test('a journey cancelled in Temporal, with a task waiting and an agency call under way, ends cancelled in the workflow and the read model', async () => {
  const service = `slow-${randomUUID().slice(0, 8)}`;
  await w.setBehaviour('test-agency', service, { latencyMs: 4000 });
  const snap = snapshot(`it-tcancel-${randomUUID().slice(0, 8)}`, [
    step('review', 'caseworker'),
    step('call', 'automatic', { endpoint: w.agencyUrl('test-agency', service) }),
    step('after', 'caseworker', { dependsOn: ['review', 'call'] }),
  ]);
  const { journeyId, handle } = await w.startJourney(snap);
  await w.waitForStep(handle, 'review', 'waiting');
  await w.waitForStep(handle, 'call', 'running');
  await pollUntil('the journey in the read model', async () => (await w.dataSource.query(`SELECT 1 FROM journeys WHERE id = $1`, [journeyId])).length > 0);

  await handle.cancel();

  // It ends, and the way the cancel update ends a journey: completed, with the status cancelled.
  const result: JourneyResult = await handle.result();
  expect(result.status).toBe('cancelled');
  expect(Object.fromEntries(Object.values(result.steps).map((s) => [s.key, s.status]))).toEqual({ review: 'cancelled', call: 'cancelled', after: 'cancelled' });
  expect((await handle.describe()).status.name).toBe('COMPLETED');
  const events = (await handle.fetchHistory()).events ?? [];
  const count = (type: temporal.api.enums.v1.EventType) => events.filter((e) => e.eventType === type).length;
  expect(count(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED)).toBe(1);
  expect(count(EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED)).toBe(0);
  // The new way is guarded by a patch (the journey's only one: its revision records no others).
  const markers = events.filter((e) => e.eventType === EventType.EVENT_TYPE_MARKER_RECORDED).map((e) => e.markerRecordedEventAttributes!.markerName);
  expect(markers.filter((m) => m === 'core_patch')).toHaveLength(1);
  // The agency call was cancelled, not waited for.
  expect(count(EventType.EVENT_TYPE_ACTIVITY_TASK_CANCEL_REQUESTED)).toBe(1);
  const cancelled = (await handle.query(journeyStateQuery)).timeline.find((e) => e.type === 'journey.cancelled');
  expect(cancelled?.detail).toEqual({ by: 'temporal', reason: 'cancelled in Temporal' });

  // The read model shows it cancelled, with the reason, every step cancelled.
  const row = await pollUntil('the read model cancelled', async () => {
    const [r] = await w.dataSource.query(`SELECT status, cancel_reason, completed_at FROM journeys WHERE id = $1`, [journeyId]);
    return r?.status === 'cancelled' ? r : undefined;
  });
  expect(row.cancel_reason).toBe('cancelled in Temporal');
  expect(row.completed_at).not.toBeNull();
  const steps = await w.dataSource.query(`SELECT node_key, status FROM journey_steps WHERE journey_id = $1 ORDER BY node_key`, [journeyId]);
  expect(steps).toEqual([
    { node_key: 'after', status: 'cancelled' },
    { node_key: 'call', status: 'cancelled' },
    { node_key: 'review', status: 'cancelled' },
  ]);
  const [event] = await w.dataSource.query(`SELECT count(*)::int AS n FROM journey_events WHERE journey_id = $1 AND type = 'journey.cancelled'`, [journeyId]);
  expect(event.n).toBe(1);
  // No API call made it, so the projection audits it, once.
  const audited = await w.dataSource.query(`SELECT actor, action, target_type, detail FROM audit_log WHERE target_id = $1`, [journeyId]);
  expect(audited).toEqual([{ actor: 'temporal', action: 'journey.cancelled', target_type: 'journey', detail: { via: 'temporal', reason: 'cancelled in Temporal' } }]);
});
