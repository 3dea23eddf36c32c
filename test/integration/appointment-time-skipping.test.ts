/**
 * The appointment step kind on Temporal's time-skipping test server (real workflow code, a worker
 * in this process, real PostgreSQL for the read model, the sandbox's agency calendar over HTTP):
 * the citizen books and moves (the .ics identity: one UID per booking, SEQUENCE rising), is
 * reminded `reminderBefore` the appointment, once, for the time it has now; at the appointment's
 * time the caseworker's record opens: attended completes the step. A no-show lets the citizen
 * book again once; a second rejects the step. A slot taken meanwhile books nothing.
 */
import { WorkflowUpdateFailedError, type WorkflowHandle } from '@temporalio/client';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { cancelJourneyUpdate, changeAppointmentUpdate, completeTaskUpdate, journeyStateQuery, type ChangeAppointmentInput } from '@levensloop/contracts/workflow';
import { durationToMs, type AppointmentSlot, type LifeEventSnapshot, type StepState, type TimelineEvent } from '@levensloop/domain';
import { AgencyCalendars } from '../../apps/sandbox/src/calendar/calendar';
import { recordHistory } from '../support/histories';
import { startJourneyWorker, type JourneyWorker } from '../support/journey-worker';
import { pollUntil } from '../support/poll';
import { snapshot, step } from '../support/snapshots';
import { createTimeSkippingEnvironment } from '../support/time-skipping';

jest.setTimeout(180_000);

let env: TestWorkflowEnvironment;
let w: JourneyWorker;
const HOUR = 3_600_000;
const MINUTE = 60_000;
const CALENDAR = 'home-visits';
let run = 0;

beforeAll(async () => {
  env = await createTimeSkippingEnvironment();
  w = await startJourneyWorker('appointment-time-skipping', { temporal: { nativeConnection: env.nativeConnection, client: env.client } });
});

afterAll(async () => {
  await w?.close();
  await env?.teardown();
});

function appointmentSnapshot(): LifeEventSnapshot {
  const visit = {
    key: 'visit',
    step: { agency: 'test-agency', key: 'home-visit', version: 1 },
    definition: {
      agency: 'test-agency',
      key: 'home-visit',
      kind: 'appointment' as const,
      version: 1,
      titles: { nl: 'Huisbezoek', en: 'Home visit' },
      endpoint: `${w.sandboxUrl}/agencies/test-agency/calendars`,
      serviceNorm: { target: 'P21D' },
      appointment: { calendar: CALENDAR, duration: 'PT1H', place: { nl: 'Bij u thuis', en: 'At your home' }, bookWithin: 'P14D', reminderBefore: 'P1D' },
    },
  };
  return snapshot(`it-appointment-${run++}`, [visit, step('advice', 'caseworker', { dependsOn: ['visit'] })]);
}

const stateOf = (handle: WorkflowHandle) => handle.query(journeyStateQuery);
const visitOf = async (handle: WorkflowHandle) => (await stateOf(handle)).steps.find((s) => s.key === 'visit')!;
const events = (timeline: TimelineEvent[], type: string) => timeline.filter((e) => e.type === type && e.step === 'visit');
const change = (handle: WorkflowHandle, input: Omit<ChangeAppointmentInput, 'nodeKey' | 'by'>) => handle.executeUpdate(changeAppointmentUpdate, { args: [{ nodeKey: 'visit', by: 'citizen-1', ...input }] });

/** Free slots of the calendar as the sandbox has them (the same third taken on every run), from `fromMs` on, not yet booked by an earlier test. */
const used = new Set<string>();
async function freeSlots(fromMs: number, n: number): Promise<AppointmentSlot[]> {
  const slots = new AgencyCalendars().free('test-agency', CALENDAR, fromMs, fromMs + 10 * 86_400_000, HOUR).filter((s) => !used.has(s.start));
  const picked = slots.slice(0, n);
  for (const s of picked) used.add(s.start);
  return picked;
}

test('booked and moved: reminded a day before the time it has now, once; at its time the caseworker records it, attended completes the step', async () => {
  const { journeyId, handle } = await w.startJourney(appointmentSnapshot(), {});
  await w.waitForStep(handle, 'visit', 'waiting');
  expect(await visitOf(handle)).toMatchObject({ waitingFor: 'appointment', appointment: { bookings: 0 } });
  const now = await env.currentTimeMs();
  const [first, , later] = await freeSlots(now + 2 * 86_400_000, 3);

  const booked = await change(handle, { action: 'book', slot: first });
  expect(booked.appointment!.booking).toMatchObject({ start: first.start, end: first.end, uid: `${journeyId}.visit.1@levensloop`, sequence: 0 });
  const moved = await change(handle, { action: 'move', slot: later });
  expect(moved.appointment!.booking).toMatchObject({ id: booked.appointment!.booking!.id, start: later.start, uid: `${journeyId}.visit.1@levensloop`, sequence: 1 });

  // A day before the moved time, not the first: one reminder, of the time it has now.
  const remindAt = Date.parse(later.start) - durationToMs('P1D');
  await env.sleep(remindAt - MINUTE - (await env.currentTimeMs()));
  expect(events((await stateOf(handle)).timeline, 'step.appointment_reminder')).toEqual([]);
  await env.sleep(2 * MINUTE);
  const [reminder, ...again] = events((await stateOf(handle)).timeline, 'step.appointment_reminder');
  expect(again).toEqual([]);
  expect(Math.abs(Date.parse(reminder.at) - remindAt)).toBeLessThan(1000);
  expect(reminder.detail).toMatchObject({ start: later.start, end: later.end, uid: `${journeyId}.visit.1@levensloop`, sequence: 1, place: { nl: 'Bij u thuis', en: 'At your home' } });

  // At its time the citizen can no longer change it, and the caseworker's record opens.
  await env.sleep(Date.parse(later.start) + MINUTE - (await env.currentTimeMs()));
  const atTime = await visitOf(handle);
  expect(atTime).toMatchObject({ status: 'waiting', waitingFor: 'task' });
  await expect(change(handle, { action: 'cancel' })).rejects.toThrow(WorkflowUpdateFailedError);
  const done = await handle.executeUpdate(completeTaskUpdate, { args: [{ nodeKey: 'visit', outcome: 'approve', by: 'cw-1' }] });
  expect(done).toMatchObject({ status: 'completed', outcome: { result: 'approved', by: 'cw-1', data: { attendance: 'attended', start: later.start, end: later.end } } });
  await w.waitForStep(handle, 'advice', 'waiting');
  const timeline = (await stateOf(handle)).timeline;
  expect(events(timeline, 'step.appointment_reminder')).toHaveLength(1);
  expect(timeline.filter((e) => e.step === 'visit').map((e) => e.type)).toEqual([
    'step.started',
    'step.task_created',
    'step.appointment_booked',
    'step.appointment_moved',
    'step.appointment_reminder',
    'step.task_created',
    'step.completed',
  ]);

  // The read model: the citizen's "choose a time" task closed, the caseworker's record (with its appointment) completed; the messages filed.
  const tasks = await pollUntil('the closed tasks', async () => {
    const rows: Array<{ purpose: string; assignee: string; status: string; outcome: string | null }> = await w.dataSource.query(
      `SELECT purpose, assignee, status, outcome FROM tasks WHERE journey_id = $1 AND node_key = 'visit' ORDER BY purpose`,
      [journeyId],
    );
    return rows.length === 2 && rows.every((r) => r.status === 'completed') ? rows : undefined;
  });
  expect(tasks).toEqual([
    { purpose: 'appointment', assignee: 'citizen', status: 'completed', outcome: null },
    { purpose: 'task', assignee: 'caseworker', status: 'completed', outcome: 'approve' },
  ]);
  const told = await pollUntil('the messages', async () => {
    const rows: Array<{ category: string }> = await w.dataSource.query(`SELECT category FROM notifications WHERE journey_id = $1 AND category LIKE 'appointment.%' ORDER BY event_seq`, [journeyId]);
    return rows.length === 4 ? rows.map((r) => r.category) : undefined;
  });
  expect(told).toEqual(['appointment.choose', 'appointment.booked', 'appointment.moved', 'appointment.reminder']);
  await recordHistory('appointment-attended', handle);
  await handle.terminate();
});

test('a no-show lets the citizen book again (a new UID); a second no-show rejects the step', async () => {
  const { journeyId, handle } = await w.startJourney(appointmentSnapshot(), {});
  await w.waitForStep(handle, 'visit', 'waiting');
  const [first] = await freeSlots((await env.currentTimeMs()) + 86_400_000 + HOUR, 1);
  await change(handle, { action: 'book', slot: first });
  await env.sleep(Date.parse(first.start) + MINUTE - (await env.currentTimeMs()));
  expect(await visitOf(handle)).toMatchObject({ waitingFor: 'task' });
  const noShow = await handle.executeUpdate(completeTaskUpdate, { args: [{ nodeKey: 'visit', outcome: 'reject', by: 'cw-1', comment: 'Nobody home' }] });
  expect(noShow).toMatchObject({ status: 'waiting', waitingFor: 'appointment', appointment: { bookings: 1, noShows: 1, attendance: 'no_show' } });
  expect(noShow.appointment!.booking).toBeUndefined();
  const [event] = events((await stateOf(handle)).timeline, 'step.appointment_no_show');
  expect(event.detail).toMatchObject({ by: 'cw-1', start: first.start, noShows: 1, next: 'book-again', comment: 'Nobody home' });

  const [second] = await freeSlots((await env.currentTimeMs()) + 86_400_000 + HOUR, 1);
  const rebooked = await change(handle, { action: 'book', slot: second });
  expect(rebooked.appointment!.booking).toMatchObject({ uid: `${journeyId}.visit.2@levensloop`, sequence: 0 });
  await env.sleep(Date.parse(second.start) + MINUTE - (await env.currentTimeMs()));
  // The caseworker's record opens again, showing the new appointment.
  const reopened = await pollUntil('the record of the second appointment', async () => {
    const [row]: Array<{ status: string; data: unknown }> = await w.dataSource.query(`SELECT status, data FROM tasks WHERE id = $1`, [`${journeyId}.visit`]);
    return row?.status === 'open' ? row : undefined;
  });
  expect(reopened.data).toEqual({ appointment: { start: second.start, end: second.end } });
  const rejected: StepState = await handle.executeUpdate(completeTaskUpdate, { args: [{ nodeKey: 'visit', outcome: 'reject', by: 'cw-1' }] });
  expect(rejected).toMatchObject({ status: 'completed', outcome: { result: 'rejected', by: 'cw-1', data: { attendance: 'no_show', noShows: 2 } } });
  expect(events((await stateOf(handle)).timeline, 'step.appointment_no_show').map((e) => e.detail!.next)).toEqual(['book-again', 'rejected']);
  // The visit is what the advice depends on: rejected, the journey ends without it.
  expect((await stateOf(handle)).steps.find((s) => s.key === 'advice')!.status).toBe('skipped');
  await recordHistory('appointment-no-show', handle);
});

test('a slot taken meanwhile books nothing, and the citizen books another', async () => {
  const { handle } = await w.startJourney(appointmentSnapshot(), {});
  await w.waitForStep(handle, 'visit', 'waiting');
  const [taken, free] = await freeSlots((await env.currentTimeMs()) + 2 * 86_400_000, 2);
  const res = await fetch(`${w.sandboxUrl}/_sandbox/calendars/test-agency/${CALENDAR}/take`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ start: taken.start }) });
  expect(res.status).toBe(204);
  const refused = await change(handle, { action: 'book', slot: taken }).catch((err: unknown) => err);
  expect(refused).toBeInstanceOf(WorkflowUpdateFailedError);
  expect(String((refused as WorkflowUpdateFailedError).cause?.message)).toContain('taken meanwhile; nothing was booked');
  const after = await visitOf(handle);
  expect(after.appointment).toEqual({ bookings: 0 });
  expect(events((await stateOf(handle)).timeline, 'step.appointment_booked')).toEqual([]);
  const booked = await change(handle, { action: 'book', slot: free });
  expect(booked.appointment).toMatchObject({ bookings: 1, booking: { start: free.start } });
  await handle.terminate();
});

test('a cancelled journey frees the slot it booked and tells the citizen, once', async () => {
  const { journeyId, handle } = await w.startJourney(appointmentSnapshot(), {});
  await w.waitForStep(handle, 'visit', 'waiting');
  const [slot] = await freeSlots((await env.currentTimeMs()) + 2 * 86_400_000, 1);
  await change(handle, { action: 'book', slot });
  const status = await handle.executeUpdate(cancelJourneyUpdate, { args: [{ by: 'citizen-1', reason: 'We moved' }] });
  expect(status).toBe('cancelled');
  const result = await handle.result();
  expect(result.status).toBe('cancelled');
  const visit = result.steps.visit;
  expect(visit.status).toBe('cancelled');
  expect(visit.appointment!.booking).toBeUndefined();
  const cancelled = events((await stateOf(handle)).timeline, 'step.appointment_cancelled');
  expect(cancelled.map((e) => e.detail)).toEqual([expect.objectContaining({ start: slot.start, uid: `${journeyId}.visit.1@levensloop`, sequence: 1, journeyCancelled: true, released: true })]);
  // The calendar has the slot free again.
  const bookings = (await (await fetch(`${w.sandboxUrl}/_sandbox/calendars/bookings`)).json()) as { items: Array<{ journeyId?: string; status: string }> };
  expect(bookings.items.filter((b) => b.journeyId === journeyId).map((b) => b.status)).toEqual(['cancelled']);
  const told = await pollUntil('the message', async () => {
    const rows: Array<{ category: string }> = await w.dataSource.query(`SELECT category FROM notifications WHERE journey_id = $1 AND category IN ('appointment.cancelled', 'journey.cancelled') ORDER BY event_seq`, [journeyId]);
    return rows.length === 2 ? rows.map((r) => r.category) : undefined;
  });
  expect(told).toEqual(['journey.cancelled', 'appointment.cancelled']);
  await recordHistory('appointment-journey-cancelled', handle);
});
