/**
 * A step under way when its journey is cancelled (real Temporal server, a worker in this process,
 * real PostgreSQL, the sandbox's agencies, one of them slowed): an automatic call in flight is let
 * finish at the agency and, once it completed, is undone first and exactly once, then the steps
 * completed before it; a call that fails after the cancel did nothing and is not undone; an open
 * task closes as cancelled. The history replays.
 */
import { randomUUID } from 'node:crypto';
import { cancelJourneyUpdate, journeyStateQuery, type JourneyResult } from '@levensloop/contracts/workflow';
import type { LifeEventSnapshot } from '@levensloop/domain';
import { recordHistory } from '../support/histories';
import { pollUntil } from '../support/poll';
import { snapshot, step } from '../support/snapshots';
import { startJourneyWorker, type JourneyWorker } from '../support/journey-worker';
import { callsOf, replayToday, statusesOf, trail, undoableStep } from '../support/undoing';

jest.setTimeout(120_000);

let w: JourneyWorker;

beforeAll(async () => {
  w = await startJourneyWorker('compensate-in-flight');
});

afterAll(async () => {
  await w?.close();
});

/** Two automatic steps that declare an undo endpoint, the second in parallel with a caseworker task. */
function undoable(service: string): LifeEventSnapshot {
  return snapshot(`it-inflight-${randomUUID().slice(0, 8)}`, [
    undoableStep(w, service, 'first'),
    undoableStep(w, service, 'second', ['first']),
    step('review', 'caseworker', { dependsOn: ['first'] }),
  ]);
}

const calls = (service: string) => callsOf(w, service);

test('cancelled while a call is in flight: the call finishes at the agency, and its step is undone first, exactly once; the open task is cancelled', async () => {
  const service = `inflight-${randomUUID().slice(0, 8)}`;
  await w.setBehaviour('test-agency', `${service}-second`, { latencyMs: 3000 });
  const { journeyId, handle } = await w.startJourney(undoable(service));
  await w.waitForStep(handle, 'review', 'waiting');
  expect((await handle.query(journeyStateQuery)).steps.find((s) => s.key === 'second')?.status).toBe('running');

  await handle.executeUpdate(cancelJourneyUpdate, { args: [{ reason: 'Withdrawn', by: 'cw-1' }] });
  const during = await handle.query(journeyStateQuery);
  expect(during.status).toBe('compensating');
  expect(during.steps.find((s) => s.key === 'second')?.status).toBe('running');

  const result: JourneyResult = await handle.result();
  expect(result.status).toBe('cancelled');
  expect(statusesOf(result)).toEqual({
    first: ['completed', 'done'],
    second: ['completed', 'done'],
    review: ['cancelled', undefined],
  });
  // The agency did the work once, and undid it once, before the first step was undone.
  expect((await calls(service)).map((c) => [c.service, c.idempotencyKey, c.outcome])).toEqual([
    [`${service}-first`, `${journeyId}/first`, 'effective'],
    [`${service}-second`, `${journeyId}/second`, 'effective'],
    [`${service}-second/compensate`, `${journeyId}/second/compensation`, 'effective'],
    [`${service}-first/compensate`, `${journeyId}/first/compensation`, 'effective'],
  ]);
  const { timeline } = await handle.query(journeyStateQuery);
  const types = trail(timeline);
  expect(types.slice(types.indexOf('journey.compensating'))).toEqual([
    'journey.compensating',
    'step.completed:second',
    'step.compensating:second',
    'step.compensated:second',
    'step.compensating:first',
    'step.compensated:first',
    'journey.cancelled',
  ]);
  expect(timeline.find((e) => e.type === 'journey.compensating')?.detail).toEqual({ by: 'cw-1', reason: 'Withdrawn', steps: ['first'], finishing: ['second'] });
  expect(timeline.find((e) => e.type === 'journey.cancelled')?.detail).toMatchObject({ undone: ['second', 'first'] });

  // The caseworker's open task did nothing: it is closed as cancelled.
  const task = await pollUntil('the cancelled task', async () => {
    const [row] = await w.dataSource.query(`SELECT status FROM tasks WHERE journey_id = $1 AND node_key = 'review'`, [journeyId]);
    return row?.status === 'cancelled' ? row : undefined;
  });
  expect(task.status).toBe('cancelled');
  await replayToday(handle);
  await recordHistory('compensate-in-flight.encrypted', handle);
});

test('a call in flight that fails after the cancel did nothing: its step is cancelled and only the steps completed before are undone', async () => {
  const service = `inflight-fail-${randomUUID().slice(0, 8)}`;
  await w.setBehaviour('test-agency', `${service}-second`, { latencyMs: 1500, failPermanently: true, status: 503 });
  const { journeyId, handle } = await w.startJourney(undoable(service));
  await w.waitForStep(handle, 'review', 'waiting');

  await handle.executeUpdate(cancelJourneyUpdate, { args: [{ reason: 'Withdrawn', by: 'cw-1' }] });
  const result: JourneyResult = await handle.result();
  expect(result.status).toBe('cancelled');
  expect(statusesOf(result)).toEqual({
    first: ['completed', 'done'],
    second: ['cancelled', undefined],
    review: ['cancelled', undefined],
  });
  const undone = (await calls(service)).filter((c) => c.service.endsWith('/compensate'));
  expect(undone.map((c) => [c.service, c.idempotencyKey])).toEqual([[`${service}-first/compensate`, `${journeyId}/first/compensation`]]);
  const { timeline } = await handle.query(journeyStateQuery);
  expect(timeline.find((e) => e.type === 'journey.cancelled')?.detail).toMatchObject({ undone: ['first'] });
});
