/**
 * The citizen's notices from the journey workflow's own timers (issue 13), on the real Temporal
 * server with a worker in this process and real PostgreSQL for the read model: a reminder the lead
 * time before a citizen's task is due, and a delay notice with a new expected date when an
 * agency's step is still under way at its due date — each once, at its instant, and not for a
 * step that is done, nor for a journey of an earlier revision (its history has no such timers);
 * from revision 3 an agency call that may outlast its due date races a timer, so the notice comes
 * at the due instant while the call still retries. (A task opening after its reminder instant,
 * with a lead time of days: journey-time-skipping.test.ts.)
 */
import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import { completeTaskUpdate, journeyStateQuery } from '@levensloop/contracts/workflow';
import { addDuration, type TimelineEvent } from '@levensloop/domain';
import { pollUntil } from '../support/poll';
import { snapshot, step } from '../support/snapshots';
import { recordHistory } from '../support/histories';
import { startJourneyWorker, type JourneyWorker } from '../support/journey-worker';

jest.setTimeout(120_000);

let w: JourneyWorker;

beforeAll(async () => {
  w = await startJourneyWorker('journey-notices');
});

afterAll(async () => {
  await w?.close();
});

const notices = (timeline: TimelineEvent[]) => timeline.filter((e) => e.type === 'step.reminder' || e.type === 'step.delayed');
const timelineOf = async (handle: WorkflowHandle) => (await handle.query(journeyStateQuery)).timeline;

// The citizen's task is due in PT6S and reminded PT3S before; the caseworker's step is due in PT3S
// and escalates in PT8S (the new expected date while that is ahead).
const snap = () =>
  snapshot(`it-notices-${randomUUID().slice(0, 8)}`, [
    step('proof', 'citizen', { norm: { target: 'PT6S' } }),
    step('review', 'caseworker', { norm: { target: 'PT3S', escalate: 'PT8S' } }),
  ]);

test('a reminder before the citizen’s task is due and a delay notice when the agency’s step is late: each once, at its instant, filed as messages', async () => {
  const { journeyId, handle } = await w.startJourney(snap(), {}, { reminderBefore: 'PT3S' });
  const proof = (await w.waitForStep(handle, 'proof', 'waiting')) as { startedAt: string; dueAt: string };
  const review = (await w.waitForStep(handle, 'review', 'waiting')) as { startedAt: string; dueAt: string };
  await pollUntil('both notices', async () => notices(await timelineOf(handle)).length === 2, { timeoutMs: 20_000, intervalMs: 100 });
  // Past the task's due date: nothing more comes.
  await new Promise((r) => setTimeout(r, 4000));
  const timeline = await timelineOf(handle);
  expect(notices(timeline).map((e) => [e.type, e.step]).sort()).toEqual([
    ['step.delayed', 'review'],
    ['step.reminder', 'proof'],
  ]);
  const reminder = timeline.find((e) => e.type === 'step.reminder')!;
  const delayed = timeline.find((e) => e.type === 'step.delayed')!;
  // Never before its instant (a timer does not fire early), and not long after it.
  const remindAt = Date.parse(addDuration(proof.startedAt, 'PT3S'));
  expect(Date.parse(reminder.at)).toBeGreaterThanOrEqual(remindAt);
  expect(Date.parse(reminder.at)).toBeLessThan(remindAt + 2500);
  expect(Date.parse(delayed.at)).toBeGreaterThanOrEqual(Date.parse(review.dueAt));
  expect(Date.parse(delayed.at)).toBeLessThan(Date.parse(review.dueAt) + 2500);
  expect(reminder.detail).toEqual({ taskId: `${journeyId}.proof`, dueAt: proof.dueAt });
  expect(delayed.detail).toEqual({ agency: 'test-agency', newExpectedDate: addDuration(review.startedAt, 'PT8S') });

  // The projection files them under the keys the dispatcher's sweep used, with the step's agency.
  const rows = await pollUntil('the messages', async () => {
    const r = await w.dataSource.query(
      `SELECT category, dedup_key, data, agency, action_needed FROM notifications WHERE journey_id = $1 AND category IN ('action.reminder', 'service.delayed') ORDER BY category`,
      [journeyId],
    );
    return r.length === 2 ? r : undefined;
  });
  expect(rows).toEqual([
    { category: 'action.reminder', dedup_key: `${journeyId}.proof/reminder`, data: reminder.detail, agency: 'test-agency', action_needed: true },
    { category: 'service.delayed', dedup_key: `${journeyId}/review/delayed`, data: delayed.detail, agency: 'test-agency', action_needed: false },
  ]);
  await handle.cancel();
});

test('no notice for a step done before its instant, none without a lead time, none for a journey of an earlier revision', async () => {
  const done = await w.startJourney(snap(), {}, { reminderBefore: 'PT3S' });
  const noLead = await w.startJourney(snap());
  const older = await w.startJourney(snap(), {}, { reminderBefore: 'PT3S', revision: 1 });
  await w.waitForStep(done.handle, 'proof', 'waiting');
  await w.waitForStep(done.handle, 'review', 'waiting');
  await done.handle.executeUpdate(completeTaskUpdate, { args: [{ nodeKey: 'proof', outcome: 'approve', by: 'citizen' }] });
  await done.handle.executeUpdate(completeTaskUpdate, { args: [{ nodeKey: 'review', outcome: 'approve', by: 'cw' }] });
  expect((await done.handle.result()).status).toBe('completed');
  // Past every instant of the other two journeys.
  await w.waitForStep(older.handle, 'review', 'waiting');
  await new Promise((r) => setTimeout(r, 7000));
  expect(notices(await timelineOf(done.handle))).toEqual([]);
  // Without a lead time only the agency's step is told about; the older revision tells nothing.
  expect(notices(await timelineOf(noLead.handle)).map((e) => e.type)).toEqual(['step.delayed']);
  expect(notices(await timelineOf(older.handle))).toEqual([]);
  await noLead.handle.cancel();
  await older.handle.cancel();
});

test('once also across continue-as-new: the run that continues after the notices does not send them again', async () => {
  // A short history limit: the journey continues as new at the first planning pass after the
  // notices (its first passes come before any timer fired).
  const { journeyId, handle } = await w.startJourney(snap(), {}, { reminderBefore: 'PT3S', continueAsNewAfterEvents: 6 });
  const first = (await handle.describe()).runId;
  await w.waitForStep(handle, 'proof', 'waiting');
  const timeline = await pollUntil('both notices', async () => {
    const t = await timelineOf(handle);
    return notices(t).length === 2 ? t : undefined;
  }, { timeoutMs: 20_000, intervalMs: 100 });
  const continued = await pollUntil('a run after the notices', async () => {
    const d = await handle.describe();
    return d.runId !== first ? d : undefined;
  });
  expect(continued.startTime.getTime()).toBeGreaterThanOrEqual(Math.max(...notices(timeline).map((e) => Date.parse(e.at))));
  // Past the task's due date.
  await new Promise((r) => setTimeout(r, 5000));
  expect(notices(await timelineOf(handle)).map((e) => e.type).sort()).toEqual(['step.delayed', 'step.reminder']);
  const [{ n }] = await w.dataSource.query(`SELECT count(*)::int AS n FROM notifications WHERE journey_id = $1 AND category IN ('action.reminder', 'service.delayed')`, [journeyId]);
  expect(n).toBe(2);
  await handle.cancel();
});

test('an agency call still retrying at its step’s due date: the delay notice comes at that instant, during the call (revision 3; revision 2 only once the call ends)', async () => {
  const service = `late-${randomUUID().slice(0, 8)}`;
  await w.setBehaviour('test-agency', service, { failPermanently: true });
  // Due in PT3S; 30 attempts (about 15 s of retries) may outlast it, so a timer races the call.
  const snapOf = () =>
    snapshot(`it-late-call-${randomUUID().slice(0, 8)}`, [step('file', 'automatic', { endpoint: w.agencyUrl('test-agency', service), norm: { target: 'PT3S', escalate: 'PT30S' }, maximumAttempts: 30 })]);
  const current = await w.startJourney(snapOf());
  const older = await w.startJourney(snapOf(), {}, { revision: 2 });
  const file = (await w.waitForStep(current.handle, 'file', 'running')) as { startedAt: string; dueAt: string };
  const [delayed] = await pollUntil('the delay notice', async () => {
    const found = (await timelineOf(current.handle)).filter((e) => e.type === 'step.delayed');
    return found.length ? found : undefined;
  }, { timeoutMs: 12_000, intervalMs: 100 });
  expect(Date.parse(delayed.at)).toBeGreaterThanOrEqual(Date.parse(file.dueAt));
  expect(Date.parse(delayed.at)).toBeLessThan(Date.parse(file.dueAt) + 2500);
  expect(delayed.detail).toEqual({ agency: 'test-agency', newExpectedDate: addDuration(file.startedAt, 'PT30S') });
  // The call is still under way, in both journeys; the older one has said nothing yet.
  const now = await current.handle.query(journeyStateQuery);
  expect(now.steps[0]).toMatchObject({ status: 'running', delayNoticed: true });
  expect((await older.handle.query(journeyStateQuery)).steps[0].status).toBe('running');
  expect(notices(await timelineOf(older.handle))).toEqual([]);

  // The agency recovers: both calls complete, and no second notice comes.
  await w.setBehaviour('test-agency', service, null);
  expect((await current.handle.result()).status).toBe('completed');
  expect((await older.handle.result()).status).toBe('completed');
  expect(notices((await current.handle.query(journeyStateQuery)).timeline).map((e) => e.type)).toEqual(['step.delayed']);
  const rows = await pollUntil('the message', async () => {
    const r = await w.dataSource.query(`SELECT category, dedup_key FROM notifications WHERE journey_id = $1 AND category = 'service.delayed'`, [current.journeyId]);
    return r.length ? r : undefined;
  });
  expect(rows).toEqual([{ category: 'service.delayed', dedup_key: `${current.journeyId}/file/delayed` }]);
  await recordHistory('delay-during-call', current.handle);
});

test('the timer racing an agency call is cancelled when the call ends, and none starts for a call that cannot reach the due date', async () => {
  const service = `quick-${randomUUID().slice(0, 8)}`;
  const racing = await w.startJourney(snapshot(`it-race-${randomUUID().slice(0, 8)}`, [step('file', 'automatic', { endpoint: w.agencyUrl('test-agency', service), norm: { target: 'PT20S' }, maximumAttempts: 30 })]));
  const bounded = await w.startJourney(snapshot(`it-bounded-${randomUUID().slice(0, 8)}`, [step('file', 'automatic', { endpoint: w.agencyUrl('test-agency', service), norm: { target: 'P5D' } })]));
  expect((await racing.handle.result()).status).toBe('completed');
  expect((await bounded.handle.result()).status).toBe('completed');
  const timerEvents = async (handle: WorkflowHandle) =>
    ((await handle.fetchHistory()).events ?? []).flatMap((e) => (e.timerStartedEventAttributes ? ['started'] : e.timerCanceledEventAttributes ? ['cancelled'] : e.timerFiredEventAttributes ? ['fired'] : []));
  expect(await timerEvents(racing.handle)).toEqual(['started', 'cancelled']);
  expect(await timerEvents(bounded.handle)).toEqual([]);
  expect(notices((await racing.handle.query(journeyStateQuery)).timeline)).toEqual([]);
});
