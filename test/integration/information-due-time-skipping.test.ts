/**
 * A caseworker's request for information as its due date nears and passes, on Temporal's
 * time-skipping test server (real workflow code, a worker in this process, real PostgreSQL for
 * the read model): the citizen is reminded 3 days before the due date (half-way for a short
 * term); unanswered at the due date, the request lapses: the clock runs again with its deadlines
 * moved, the caseworker's task is theirs again with "no answer by <date>" on it, and the citizen
 * is told. An answer in time stops both timers.
 */
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { completeTaskUpdate, requestInformationUpdate } from '@levensloop/contracts/workflow';
import { addDuration, durationToMs, type StepState } from '@levensloop/domain';
import { recordHistory } from '../support/histories';
import { expectAt, MINUTE, ofType, stateOf, stepOf } from '../support/journey-clock';
import { startJourneyWorker, type JourneyWorker } from '../support/journey-worker';
import { pollUntil } from '../support/poll';
import { snapshot, step } from '../support/snapshots';
import { createTimeSkippingEnvironment } from '../support/time-skipping';

jest.setTimeout(180_000);

let env: TestWorkflowEnvironment;
let w: JourneyWorker;

beforeAll(async () => {
  env = await createTimeSkippingEnvironment();
  w = await startJourneyWorker('information-due-time-skipping', { temporal: { nativeConnection: env.nativeConnection, client: env.client } });
});

afterAll(async () => {
  await w?.close();
  await env?.teardown();
});

let run = 0;

async function ask(handle: WorkflowHandle, dueAt: string) {
  await handle.executeUpdate(requestInformationUpdate, { args: [{ nodeKey: 'review', question: 'Send the lease contract.', dueAt, by: 'caseworker-1' }] });
  return stepOf(handle, 'review');
}

test('unanswered, the citizen is reminded 3 days before the due date; at it the request lapses, the clock runs again and the task says so', async () => {
  const snap = snapshot(`it-info-due-${run++}`, [step('review', 'caseworker', { norm: { target: 'P30D', escalate: 'P60D' } })]);
  const { journeyId, handle } = await w.startJourney(snap, {});
  const started = (await w.waitForStep(handle, 'review', 'waiting')) as StepState;
  await env.sleep(durationToMs('P2D'));
  const asked = await ask(handle, addDuration(started.startedAt!, 'P12D'));
  const infoDue = asked.information!.dueAt;

  const reminder = await expectAt(env, handle, 'step.information_reminder', new Date(Date.parse(infoDue) - durationToMs('P3D')).toISOString());
  expect(reminder.detail).toEqual({ agency: 'test-agency', question: 'Send the lease contract.', dueAt: infoDue, taskId: `${journeyId}.review.information` });
  expect(await stepOf(handle, 'review')).toMatchObject({ waitingFor: 'information', clock: { suspendedFor: 'information' } });

  const lapsed = await expectAt(env, handle, 'step.information_lapsed', infoDue);
  const review = await stepOf(handle, 'review');
  const suspendedMs = lapsed.detail!.suspendedMs as number;
  // Suspended from the request (day 2) to the due date (day 12): the deadlines moved by 10 days.
  expect(Math.abs(suspendedMs - durationToMs('P10D'))).toBeLessThan(MINUTE);
  expect(review).toMatchObject({ status: 'waiting', waitingFor: 'task', dueAt: new Date(Date.parse(started.dueAt!) + suspendedMs).toISOString(), information: { lapsedAt: lapsed.at } });
  expect(review.clock).toEqual({ suspendedMs });
  expect(lapsed.detail).toEqual({ agency: 'test-agency', question: 'Send the lease contract.', dueAt: infoDue, taskId: `${journeyId}.review`, suspendedMs, termDueAt: review.dueAt });
  // Once only: a day later nothing more.
  await env.sleep(durationToMs('P1D'));
  const { timeline } = await stateOf(handle);
  expect(timeline.map((e) => e.type).filter((t) => t.startsWith('step.information') || t.startsWith('step.clock'))).toEqual([
    'step.information_requested',
    'step.clock_suspended',
    'step.information_reminder',
    'step.information_lapsed',
  ]);

  // The read model: the caseworker's task, due at the moved date, flags no answer; the citizen's is cancelled (not answered).
  const tasks = await pollUntil('the flagged task', async () => {
    const rows: Array<{ purpose: string; status: string; due_at: Date; data: Record<string, unknown> | null }> = await w.dataSource.query(
      `SELECT purpose, status, due_at, data FROM tasks WHERE journey_id = $1 ORDER BY purpose`,
      [journeyId],
    );
    return rows.find((r) => r.purpose === 'task')?.data ? rows : undefined;
  });
  expect(tasks).toEqual([
    { purpose: 'information', status: 'cancelled', due_at: new Date(infoDue), data: null },
    { purpose: 'task', status: 'open', due_at: new Date(review.dueAt!), data: { noAnswer: { question: 'Send the lease contract.', dueAt: infoDue, lapsedAt: lapsed.at } } },
  ]);

  // What the citizen is told: the request, the reminder (asking to act), and the lapse.
  const told = await pollUntil('the messages', async () => {
    const rows: Array<{ category: string; action_needed: boolean }> = await w.dataSource.query(
      `SELECT category, action_needed FROM notifications WHERE journey_id = $1 AND category LIKE 'information.%' ORDER BY event_seq`,
      [journeyId],
    );
    return rows.length === 3 ? rows : undefined;
  });
  expect(told).toEqual([
    { category: 'information.requested', action_needed: true },
    { category: 'information.reminder', action_needed: true },
    { category: 'information.lapsed', action_needed: false },
  ]);
  await recordHistory('information-due-lapsed', handle);
  await handle.terminate();
});

test('a short term is reminded half-way, and an answer in time stops the lapse', async () => {
  const snap = snapshot(`it-info-due-${run++}`, [step('review', 'caseworker', { norm: { target: 'P30D' } })]);
  const { handle } = await w.startJourney(snap, {});
  await w.waitForStep(handle, 'review', 'waiting');
  const now = new Date(await env.currentTimeMs()).toISOString();
  const asked = await ask(handle, addDuration(now, 'P4D'));
  const infoDue = asked.information!.dueAt;

  await expectAt(env, handle, 'step.information_reminder', addDuration(asked.information!.askedAt, 'P2D'));
  await handle.executeUpdate(completeTaskUpdate, { args: [{ nodeKey: 'review', purpose: 'information', outcome: 'approve', comment: 'Attached.', by: 'citizen-1' }] });
  await env.sleep(Date.parse(infoDue) - (await env.currentTimeMs()) + durationToMs('P1D'));
  const { timeline, steps } = await stateOf(handle);
  expect(ofType(timeline, 'step.information_lapsed')).toEqual([]);
  expect(ofType(timeline, 'step.clock_resumed')).toHaveLength(1);
  expect(steps.find((s) => s.key === 'review')).toMatchObject({ waitingFor: 'task', information: { followed: true } });
  expect(steps.find((s) => s.key === 'review')!.information).not.toHaveProperty('lapsedAt');
  await handle.terminate();
});
