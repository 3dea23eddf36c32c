/**
 * The journey's timers over days, on Temporal's time-skipping test server (real workflow code, a
 * worker in this process, real PostgreSQL for the read model): a citizen's task that opens after
 * its reminder instant is reminded when it opens (none once it is due), and a service norm's
 * warning, delay notice and escalation come at exactly their instants (issue 18: warning at P3D,
 * escalation at P10D).
 */
import { ApplicationFailure } from '@temporalio/common';
import type { WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { journeyStateQuery, resolveAttentionUpdate } from '@levensloop/contracts/workflow';
import { addDuration, durationToMs, type TimelineEvent } from '@levensloop/domain';
import { recordHistory } from '../support/histories';
import { startJourneyWorker, type JourneyWorker } from '../support/journey-worker';
import { snapshot, step } from '../support/snapshots';
import { createTimeSkippingEnvironment } from '../support/time-skipping';

jest.setTimeout(120_000);

// Journeys are ended with terminate: a failing workflow task (as a cancellation the workflow does
// not expect would leave) keeps the test server from skipping time for the tests after it.

let env: TestWorkflowEnvironment;
let w: JourneyWorker;
/** Journeys whose data preparation was called: the first call fails (its source is down), the next ask the citizen for what is missing. */
const prepared = new Set<string>();

beforeAll(async () => {
  // Fails here, loudly, when the test server's binary cannot be found or started.
  env = await createTimeSkippingEnvironment();
  w = await startJourneyWorker('journey-time-skipping', {
    temporal: { nativeConnection: env.nativeConnection, client: env.client },
    wrap: (real) => ({
      ...real,
      prepareStepData: async ({ journeyId }) => {
        if (!prepared.has(journeyId) && prepared.add(journeyId)) throw ApplicationFailure.nonRetryable('the national register does not answer');
        return { consentNeeded: [], prefilled: [], missing: ['national-register/birthDate'] };
      },
    }),
  });
});

afterAll(async () => {
  await w?.close();
  await env?.teardown();
});

const timelineOf = async (handle: WorkflowHandle) => (await handle.query(journeyStateQuery)).timeline;
const ofType = (timeline: TimelineEvent[], type: string) => timeline.filter((e) => e.type === type);
/** Milliseconds from an instant to when the event was recorded. */
const after = (event: TimelineEvent, instant: string) => Date.parse(event.at) - Date.parse(instant);

const birthDate = {
  source: 'national-register',
  field: 'birthDate',
  purpose: { nl: 'Het recht nagaan', en: 'Check the right' },
  legalBasis: { type: 'law' as const, reference: 'Decreet Groeipakket, art. 8' },
};

test('a data task that opens after its reminder instant is reminded when it opens (a journey of revision 2 is not)', async () => {
  const started: Record<string, { journeyId: string; handle: WorkflowHandle }> = {};
  for (const revision of [3, 2]) {
    const snap = snapshot(`it-skip-remind-${revision}-${prepared.size}`, [step('proof', 'citizen', { norm: { target: 'P10D' }, dataRequirements: [birthDate] })]);
    const journey = await w.startJourney(snap, {}, { reminderBefore: 'P3D', revision });
    started[revision] = journey;
    await w.waitForStep(journey.handle, 'proof', 'needs_attention');
  }
  // Day 8: past the reminder instant (day 7), with no task open then (the step needed attention).
  await env.sleep(durationToMs('P8D'));
  for (const { handle } of Object.values(started)) {
    await handle.executeUpdate(resolveAttentionUpdate, { args: [{ nodeKey: 'proof', action: 'retry', by: 'caseworker' }] });
    await w.waitForStep(handle, 'proof', 'waiting');
  }

  const { journeyId, handle } = started[3];
  const state = await handle.query(journeyStateQuery);
  const proof = state.steps.find((s) => s.key === 'proof')!;
  expect(proof.waitingFor).toBe('data');
  const [reminder, ...more] = ofType(state.timeline, 'step.reminder');
  expect(more).toEqual([]);
  expect(reminder.detail).toEqual({ taskId: `${journeyId}.proof.data`, dueAt: proof.dueAt });
  // When the task opened, on day 8: not at the reminder instant, and before the due date.
  const opened = ofType(state.timeline, 'step.data_requested')[0];
  expect(reminder.at).toBe(opened.at);
  expect(after(reminder, addDuration(proof.startedAt!, 'P8D'))).toBeGreaterThanOrEqual(0);
  expect(Date.parse(reminder.at)).toBeLessThan(Date.parse(proof.dueAt!));
  expect(ofType(await timelineOf(started[2].handle), 'step.reminder')).toEqual([]);

  // Past the due date nothing more comes (a citizen's step has no delay notice).
  await env.sleep(durationToMs('P3D'));
  const later = await timelineOf(handle);
  expect(ofType(later, 'step.reminder')).toHaveLength(1);
  expect(ofType(later, 'step.delayed')).toEqual([]);
  await recordHistory('reminder-at-opening', handle);
  for (const { handle: h } of Object.values(started)) await h.terminate();
});

test('a data task of an agency’s step that opens past its due date: no reminder; the delay notice came at the due date', async () => {
  const snap = snapshot(`it-skip-late-task-${prepared.size}`, [step('file', 'automatic', { endpoint: 'http://127.0.0.1:1/never-called', norm: { target: 'P5D' }, dataRequirements: [birthDate] })]);
  const { handle } = await w.startJourney(snap, {}, { reminderBefore: 'P3D' });
  const file = (await w.waitForStep(handle, 'file', 'needs_attention')) as { dueAt: string };
  await env.sleep(durationToMs('P6D'));
  await handle.executeUpdate(resolveAttentionUpdate, { args: [{ nodeKey: 'file', action: 'retry', by: 'caseworker' }] });
  await w.waitForStep(handle, 'file', 'waiting');
  const timeline = await timelineOf(handle);
  expect(ofType(timeline, 'step.data_requested')).toHaveLength(1);
  expect(ofType(timeline, 'step.reminder')).toEqual([]);
  const [delayed, ...again] = ofType(timeline, 'step.delayed');
  expect(again).toEqual([]);
  expect(after(delayed, file.dueAt)).toBeGreaterThanOrEqual(0);
  expect(after(delayed, file.dueAt)).toBeLessThan(1000);
  await handle.terminate();
});

test('a service norm warns at P3D, tells the citizen of the delay at its target (P5D) and escalates at P10D, each at its instant', async () => {
  const snap = snapshot(`it-skip-norm-${prepared.size}`, [step('review', 'caseworker', { norm: { target: 'P5D', warn: 'P3D', escalate: 'P10D' } })]);
  const { handle } = await w.startJourney(snap, {}, { reminderBefore: 'P3D' });
  const review = (await w.waitForStep(handle, 'review', 'waiting')) as { startedAt: string; dueAt: string; warnAt: string; escalateAt: string };
  expect(review.warnAt).toBe(addDuration(review.startedAt, 'P3D'));
  expect(review.escalateAt).toBe(addDuration(review.startedAt, 'P10D'));

  // A minute before the warning: nothing yet.
  await env.sleep(durationToMs('P2DT23H59M'));
  expect(ofType(await timelineOf(handle), 'step.warning')).toEqual([]);
  await env.sleep(durationToMs('PT2M'));
  const [warning] = ofType(await timelineOf(handle), 'step.warning');
  expect(after(warning, review.warnAt)).toBeGreaterThanOrEqual(0);
  expect(after(warning, review.warnAt)).toBeLessThan(1000);

  await env.sleep(durationToMs('P2D'));
  const [delayed] = ofType(await timelineOf(handle), 'step.delayed');
  expect(after(delayed, review.dueAt)).toBeGreaterThanOrEqual(0);
  expect(after(delayed, review.dueAt)).toBeLessThan(1000);
  // The new expected date is the escalation instant, still ahead.
  expect(delayed.detail).toEqual({ agency: 'test-agency', newExpectedDate: review.escalateAt });
  expect(ofType(await timelineOf(handle), 'step.escalated')).toEqual([]);

  await env.sleep(durationToMs('P5D'));
  const timeline = await timelineOf(handle);
  const [escalated, ...again] = ofType(timeline, 'step.escalated');
  expect(again).toEqual([]);
  expect(after(escalated, review.escalateAt)).toBeGreaterThanOrEqual(0);
  expect(after(escalated, review.escalateAt)).toBeLessThan(1000);
  expect(timeline.filter((e) => ['step.warning', 'step.delayed', 'step.escalated'].includes(e.type)).map((e) => e.type)).toEqual(['step.warning', 'step.delayed', 'step.escalated']);
  await handle.terminate();
});
