/**
 * The legal clock over days and weeks, on Temporal's time-skipping test server (real workflow
 * code, a worker in this process, real PostgreSQL for the read model): a caseworker's request for
 * information suspends a step's term for N days, the citizen's answer resumes it and the due date
 * moves by N days; the warning, delay notice and escalation then come at their moved instants,
 * none while the clock stood still. A data task of an agency's step suspends it too. An extension
 * moves the due date by the extension, once; a second one, or one beyond the step's maximum, or
 * one of a step that declares none, is refused.
 */
import { WorkflowUpdateFailedError } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { completeTaskUpdate, extendTermUpdate, requestInformationUpdate, type ExtendTermInput } from '@levensloop/contracts/workflow';
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
  w = await startJourneyWorker('legal-clock-time-skipping', {
    temporal: { nativeConnection: env.nativeConnection, client: env.client },
    // The register does not hold the birth date: the citizen is asked, and once given it is there.
    wrap: (real) => ({
      ...real,
      prepareStepData: async (input) => ({ consentNeeded: [], prefilled: [], missing: input.provided ? [] : ['national-register/birthDate'] }),
    }),
  });
});

afterAll(async () => {
  await w?.close();
  await env?.teardown();
});

const plus = (instant: string, ms: number) => new Date(Date.parse(instant) + ms).toISOString();
let run = 0;

const birthDate = {
  source: 'national-register',
  field: 'birthDate',
  purpose: { nl: 'Het recht nagaan', en: 'Check the right' },
  legalBasis: { type: 'law' as const, reference: 'Decreet Groeipakket, art. 8' },
};

test('a request for information suspends the term for 10 days: due date, warning, delay notice and escalation all move by the time suspended', async () => {
  const snap = snapshot(`it-clock-info-${run++}`, [step('review', 'caseworker', { norm: { target: 'P30D', warn: 'P20D', escalate: 'P40D' } })]);
  const { journeyId, handle } = await w.startJourney(snap, {}, { reminderBefore: 'P3D' });
  const started = (await w.waitForStep(handle, 'review', 'waiting')) as StepState;

  // Day 15: the caseworker asks; the term stands still from here (over the warning's instant, day 20).
  await env.sleep(durationToMs('P15D'));
  const infoDue = addDuration(started.startedAt!, 'P29D');
  await handle.executeUpdate(requestInformationUpdate, { args: [{ nodeKey: 'review', question: 'Send the lease contract of your new address.', dueAt: infoDue, by: 'caseworker-1' }] });
  const asked = await stepOf(handle, 'review');
  expect(asked).toMatchObject({ status: 'waiting', waitingFor: 'information', dueAt: started.dueAt, information: { question: 'Send the lease contract of your new address.', dueAt: infoDue, by: 'caseworker-1' } });
  expect(asked.clock?.suspendedFor).toBe('information');
  // A second request while one is open is refused (never reaches the history).
  await expect(handle.executeUpdate(requestInformationUpdate, { args: [{ nodeKey: 'review', question: 'And the deed?', dueAt: infoDue, by: 'caseworker-1' }] })).rejects.toThrow(WorkflowUpdateFailedError);

  // The read model: the citizen's task with its own due date and the question; the caseworker's stays open.
  const tasks = await pollUntil('the information task', async () => {
    const rows: Array<{ purpose: string; assignee: string; status: string; due_at: Date; data: unknown }> = await w.dataSource.query(
      `SELECT purpose, assignee, status, due_at, data FROM tasks WHERE journey_id = $1 ORDER BY purpose`,
      [journeyId],
    );
    return rows.length === 2 ? rows : undefined;
  });
  expect(tasks).toEqual([
    { purpose: 'information', assignee: 'citizen', status: 'open', due_at: new Date(infoDue), data: { question: 'Send the lease contract of your new address.' } },
    { purpose: 'task', assignee: 'caseworker', status: 'open', due_at: new Date(started.dueAt!), data: null },
  ]);

  // 10 days later (past the old warning instant: no warning while suspended), the citizen answers.
  await env.sleep(durationToMs('P10D'));
  expect(ofType((await stateOf(handle)).timeline, 'step.warning')).toEqual([]);
  await handle.executeUpdate(completeTaskUpdate, { args: [{ nodeKey: 'review', purpose: 'information', outcome: 'approve', comment: 'Attached to this answer.', by: 'citizen-1' }] });
  const { timeline, steps } = await stateOf(handle);
  const review = steps.find((s) => s.key === 'review')!;
  const [resumed] = ofType(timeline, 'step.clock_resumed');
  const suspendedMs = resumed.detail!.suspendedMs as number;
  expect(suspendedMs).toBeGreaterThanOrEqual(durationToMs('P10D'));
  expect(suspendedMs).toBeLessThan(durationToMs('P10D') + MINUTE);
  expect(review).toMatchObject({ status: 'waiting', waitingFor: 'task', dueAt: plus(started.dueAt!, suspendedMs), warnAt: plus(started.warnAt!, suspendedMs), escalateAt: plus(started.escalateAt!, suspendedMs) });
  expect(review.clock).toEqual({ suspendedMs });
  expect(resumed.detail).toEqual({ suspendedMs, dueAt: review.dueAt });
  expect(timeline.map((e) => e.type).filter((t) => t.startsWith('step.information') || t.startsWith('step.clock'))).toEqual([
    'step.information_requested',
    'step.clock_suspended',
    'step.information_provided',
    'step.clock_resumed',
  ]);

  // The caseworker's task follows the moved due date; the information task is closed with the answer.
  await pollUntil('the moved task', async () => {
    const [row] = await w.dataSource.query(`SELECT due_at FROM tasks WHERE journey_id = $1 AND purpose = 'task' AND status = 'open'`, [journeyId]);
    return row && new Date(row.due_at).toISOString() === review.dueAt ? row : undefined;
  });
  const [info] = await w.dataSource.query(`SELECT status, completed_by, comment, data FROM tasks WHERE journey_id = $1 AND purpose = 'information'`, [journeyId]);
  expect(info).toEqual({ status: 'completed', completed_by: 'citizen-1', comment: 'Attached to this answer.', data: { question: 'Send the lease contract of your new address.' } });

  // The timers come at the moved instants: warning (day 30), delay notice (day 40), escalation (day 50).
  await expectAt(env, handle, 'step.warning', review.warnAt!);
  const delayed = await expectAt(env, handle, 'step.delayed', review.dueAt!);
  expect(delayed.detail).toEqual({ agency: 'test-agency', newExpectedDate: review.escalateAt });
  await expectAt(env, handle, 'step.escalated', review.escalateAt!);

  // What the citizen is told: the request (asking them to act) and the term running again.
  const told = await pollUntil('the messages', async () => {
    const rows: Array<{ category: string; action_needed: boolean }> = await w.dataSource.query(
      `SELECT category, action_needed FROM notifications WHERE journey_id = $1 AND category IN ('information.requested', 'term.suspended', 'term.resumed') ORDER BY event_seq`,
      [journeyId],
    );
    return rows.length === 2 ? rows : undefined;
  });
  expect(told).toEqual([
    { category: 'information.requested', action_needed: true },
    { category: 'term.resumed', action_needed: false },
  ]);
  await recordHistory('legal-clock-information', handle);
  await handle.terminate();
});

test("a data task of an agency's step suspends its term until the citizen gives the data", async () => {
  const snap = snapshot(`it-clock-data-${run++}`, [step('review', 'caseworker', { norm: { target: 'P10D', escalate: 'P20D' }, dataRequirements: [birthDate] })]);
  const { journeyId, handle } = await w.startJourney(snap, {}, { reminderBefore: 'P3D' });
  const asked = (await w.waitForStep(handle, 'review', 'waiting')) as StepState;
  expect(asked.waitingFor).toBe('data');
  expect(asked.clock?.suspendedFor).toBe('data');

  // Day 12: past the due date, but the clock stood still: no delay notice, not overdue.
  await env.sleep(durationToMs('P12D'));
  expect(ofType((await stateOf(handle)).timeline, 'step.delayed')).toEqual([]);
  await handle.executeUpdate(completeTaskUpdate, { args: [{ nodeKey: 'review', purpose: 'data', outcome: 'approve', values: { 'national-register/birthDate': '2020-01-01' }, by: 'citizen-1' }] });
  const review = (await pollUntil('the caseworker task', async () => {
    const s = await stepOf(handle, 'review');
    return s.waitingFor === 'task' ? s : undefined;
  })) as StepState;
  const suspendedMs = review.clock!.suspendedMs!;
  expect(suspendedMs).toBeGreaterThanOrEqual(durationToMs('P12D'));
  expect(suspendedMs).toBeLessThan(durationToMs('P12D') + MINUTE);
  expect(review.dueAt).toBe(plus(asked.dueAt!, suspendedMs));

  const delayed = await expectAt(env, handle, 'step.delayed', review.dueAt!);
  expect(delayed.detail).toEqual({ agency: 'test-agency', newExpectedDate: review.escalateAt });
  const told: Array<{ category: string }> = await w.dataSource.query(
    `SELECT category FROM notifications WHERE journey_id = $1 AND category LIKE 'term.%' ORDER BY event_seq`,
    [journeyId],
  );
  expect(told.map((r) => r.category)).toEqual(['term.suspended', 'term.resumed']);
  await handle.terminate();
});

test('an extension moves the due date (and the timers) by the extension, once, within the maximum', async () => {
  const snap = snapshot(`it-clock-extend-${run++}`, [
    step('review', 'caseworker', { norm: { target: 'P10D', warn: 'P8D', escalate: 'P20D', maxExtension: 'P15D' } }),
    step('check', 'caseworker', { norm: { target: 'P10D' } }),
  ]);
  const { journeyId, handle } = await w.startJourney(snap, {});
  const started = (await w.waitForStep(handle, 'review', 'waiting')) as StepState;
  await w.waitForStep(handle, 'check', 'waiting');
  await env.sleep(durationToMs('P2D'));

  const refused = (args: ExtendTermInput) =>
    handle.executeUpdate(extendTermUpdate, { args: [args] }).then(
      () => 'accepted',
      (err: WorkflowUpdateFailedError) => (err.cause as Error).message,
    );
  expect(await refused({ nodeKey: 'review', extension: 'P16D', reason: 'More time', by: 'caseworker-1' })).toBe('The extension P16D is longer than this step allows (at most P15D).');
  expect(await refused({ nodeKey: 'check', extension: 'P5D', reason: 'More time', by: 'caseworker-1' })).toMatch(/declares no maximum extension/);

  const extended = await handle.executeUpdate(extendTermUpdate, { args: [{ nodeKey: 'review', extension: 'P5D', reason: 'The expert opinion takes longer', by: 'caseworker-1' }] });
  expect(extended).toMatchObject({ dueAt: addDuration(started.dueAt!, 'P5D'), warnAt: addDuration(started.warnAt!, 'P5D'), escalateAt: addDuration(started.escalateAt!, 'P5D') });
  expect(await refused({ nodeKey: 'review', extension: 'P1D', reason: 'Again', by: 'caseworker-1' })).toMatch(/already extended \(by P5D/);
  const [event] = ofType((await stateOf(handle)).timeline, 'step.term_extended');
  expect(event.detail).toEqual({ by: 'caseworker-1', extension: 'P5D', reason: 'The expert opinion takes longer', previousDueAt: started.dueAt, dueAt: extended.dueAt });

  await expectAt(env, handle, 'step.warning', extended.warnAt!);
  await expectAt(env, handle, 'step.delayed', extended.dueAt!);
  const [row] = await w.dataSource.query(`SELECT legal_clock FROM journey_steps WHERE journey_id = $1 AND node_key = 'review'`, [journeyId]);
  expect(row.legal_clock.extension).toMatchObject({ duration: 'P5D', reason: 'The expert opinion takes longer', by: 'caseworker-1' });
  const [told] = await w.dataSource.query(`SELECT data FROM notifications WHERE journey_id = $1 AND category = 'term.extended'`, [journeyId]);
  expect(told.data).toEqual(event.detail);
  await recordHistory('legal-clock-extension', handle);
  await handle.terminate();
});
