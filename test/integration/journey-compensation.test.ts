/**
 * Compensation in the journey workflow, on the real Temporal server with a worker in this process,
 * real PostgreSQL and the sandbox's agencies: a cancellation requested in Temporal itself undoes
 * the completed steps (latest first, once each) before the journey ends cancelled, and the history
 * replays; an undoing that keeps failing needs attention, and giving it up ends the journey.
 */
import { randomUUID } from 'node:crypto';
import { temporal } from '@temporalio/proto';
import { journeyStateQuery, resolveAttentionUpdate, type JourneyResult } from '@levensloop/contracts/workflow';
import type { LifeEventSnapshot } from '@levensloop/domain';
import { recordHistory } from '../support/histories';
import { pollUntil } from '../support/poll';
import { snapshot, step } from '../support/snapshots';
import { startJourneyWorker, type JourneyWorker } from '../support/journey-worker';
import { callsOf, replayToday, statusesOf, trail, undoableStep } from '../support/undoing';

jest.setTimeout(120_000);

const EventType = temporal.api.enums.v1.EventType;
let w: JourneyWorker;

beforeAll(async () => {
  w = await startJourneyWorker('journey-compensation');
});

afterAll(async () => {
  await w?.close();
});

/** Two automatic steps that declare an undo endpoint, a caseworker step after them and one more. */
function undoable(service: string): LifeEventSnapshot {
  return snapshot(`it-undo-${randomUUID().slice(0, 8)}`, [
    undoableStep(w, service, 'first'),
    undoableStep(w, service, 'second', ['first']),
    step('review', 'caseworker', { dependsOn: ['second'] }),
    step('last', 'citizen', { dependsOn: ['review'] }),
  ]);
}

/** The undoings test-agency was asked to do, in order. */
const calls = async (service: string) => (await callsOf(w, service)).filter((c) => c.service.endsWith('/compensate'));

test('cancelled in Temporal after two of four steps completed: both undone, latest first, once each; the history replays', async () => {
  const service = `undo-${randomUUID().slice(0, 8)}`;
  const { journeyId, handle } = await w.startJourney(undoable(service));
  await w.waitForStep(handle, 'review', 'waiting');

  await handle.cancel();
  const result: JourneyResult = await handle.result();
  expect(result.status).toBe('cancelled');
  expect(statusesOf(result)).toEqual({
    first: ['completed', 'done'],
    second: ['completed', 'done'],
    review: ['cancelled', undefined],
    last: ['cancelled', undefined],
  });
  const undone = await calls(service);
  expect(undone.map((c) => [c.service, c.idempotencyKey, c.outcome])).toEqual([
    [`${service}-second/compensate`, `${journeyId}/second/compensation`, 'effective'],
    [`${service}-first/compensate`, `${journeyId}/first/compensation`, 'effective'],
  ]);
  const { timeline } = await handle.query(journeyStateQuery);
  const types = trail(timeline);
  expect(types.slice(types.indexOf('journey.compensating'))).toEqual([
    'journey.compensating',
    'step.compensating:second',
    'step.compensated:second',
    'step.compensating:first',
    'step.compensated:first',
    'journey.cancelled',
  ]);
  expect(timeline.find((e) => e.type === 'journey.cancelled')?.detail).toMatchObject({ by: 'temporal', reason: 'cancelled in Temporal', undone: ['second', 'first'] });

  // The read model ends cancelled, with no attention needed.
  const row = await pollUntil('the read model cancelled', async () => {
    const [r] = await w.dataSource.query(`SELECT status, needs_attention FROM journeys WHERE id = $1`, [journeyId]);
    return r?.status === 'cancelled' ? r : undefined;
  });
  expect(row.needs_attention).toBe(false);

  const history = await handle.fetchHistory();
  const events = history.events ?? [];
  expect(events.filter((e) => e.eventType === EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED)).toHaveLength(0);
  // Two patches (their names are encrypted payloads): the cancellation in Temporal, and the undoing.
  const markers = events.filter((e) => e.eventType === EventType.EVENT_TYPE_MARKER_RECORDED).map((e) => e.markerRecordedEventAttributes!.markerName);
  expect(markers.filter((m) => m === 'core_patch')).toHaveLength(2);
  // Replayed against today's code, it takes the same commands.
  await replayToday(handle, history);
  await recordHistory('compensation-temporal-cancel.encrypted', handle);
});

test('an undoing that keeps failing needs attention after its retries; giving it up ends the journey cancelled, saying what was not undone', async () => {
  const service = `fail-${randomUUID().slice(0, 8)}`;
  const { handle } = await w.startJourney(undoable(service));
  await w.waitForStep(handle, 'review', 'waiting');
  await w.setBehaviour('test-agency', `${service}-second%2Fcompensate`, { failPermanently: true, status: 503 });

  await handle.executeUpdate('cancelJourney', { args: [{ reason: 'Withdrawn', by: 'cw-1' }] });
  const state = await pollUntil('the undoing of second needs attention', async () => {
    const s = await handle.query(journeyStateQuery);
    return s.steps.find((x) => x.key === 'second')?.compensation?.status === 'needs_attention' ? s : undefined;
  });
  expect(state.status).toBe('compensating');
  expect(state.steps.find((x) => x.key === 'first')?.compensation?.status).toBe('pending');
  // The step's retry policy: three attempts, none did the work.
  expect((await calls(service)).filter((c) => c.service === `${service}-second/compensate`).map((c) => c.outcome)).toEqual(['failed', 'failed', 'failed']);
  // A second cancel is refused while undoing.
  await expect(handle.executeUpdate('cancelJourney', { args: [{ reason: 'again', by: 'cw-1' }] })).rejects.toMatchObject({ cause: { message: expect.stringMatching(/being undone/) } });
  await expect(handle.executeUpdate(resolveAttentionUpdate, { args: [{ nodeKey: 'second', action: 'skip', by: 'cw-1' }] })).rejects.toMatchObject({ cause: { message: expect.stringMatching(/needs a reason/) } });
  await handle.executeUpdate(resolveAttentionUpdate, { args: [{ nodeKey: 'second', action: 'skip', reason: 'Done by phone', by: 'cw-1' }] });

  const result: JourneyResult = await handle.result();
  expect(result.status).toBe('cancelled');
  expect(result.steps.second.compensation).toMatchObject({ status: 'given_up', actor: 'cw-1', reason: 'Done by phone' });
  expect(result.steps.first.compensation?.status).toBe('done');
  const { timeline } = await handle.query(journeyStateQuery);
  expect(timeline.find((e) => e.type === 'journey.cancelled')?.detail).toMatchObject({ undone: ['first'], notUndone: ['second'], by: 'cw-1', reason: 'Withdrawn' });
  await w.setBehaviour('test-agency', `${service}-second%2Fcompensate`, null);
});
