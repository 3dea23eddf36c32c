/**
 * Appointments over HTTP, the whole stack as processes (gateway, worker, dispatcher, sandbox) on a
 * real PostgreSQL and Temporal: an appointment step is validated with its definition; the citizen
 * reads free slots of the agency's calendar (the sandbox's), a slot taken meanwhile is a 409 and
 * books nothing, books one and is told by e-mail with an iCalendar part (text/calendar;
 * method=REQUEST, UID per booking), moves it (the same UID, SEQUENCE + 1) and cancels it
 * (method=CANCEL); a second booking has a UID of its own. Nobody else sees the slots.
 */
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createDataSource } from '@levensloop/persistence';
import { createTestDatabase } from '../support/database';
import { expectProblem, type Api } from '../support/http';
import { pollUntil } from '../support/poll';
import { sandboxRequest, startStack, type Stack } from '../support/stack';

jest.setTimeout(300_000);

const run = randomUUID().slice(0, 6);
const agency = `visits-${run}`;
const CALENDAR = 'energy-advisors';
const titles = (nl: string) => ({ nl, fr: `${nl} (fr)`, de: `${nl} (de)`, en: `${nl} (en)` });
const APPOINTMENT = { calendar: CALENDAR, duration: 'PT1H', place: { nl: 'Bij u thuis', fr: 'À votre domicile', de: 'Bei Ihnen zu Hause', en: 'At your home' }, bookWithin: 'P14D', reminderBefore: 'P1D' };

let db: { url: string; drop: () => Promise<void> };
let ds: DataSource;
let stack: Stack;
let admin: Api, citizen: Api, stranger: Api, caseworker: Api;
let subject: string;
let email: string;

const sandbox = (method: string, route: string, body?: unknown) => sandboxRequest(stack, method, route, body);
interface Mail {
  subject: string;
  text: string | null;
  calendars?: Array<{ contentType: string; method: string | null; content: string }>;
}

/** An iCalendar's properties (RFC 5545: lines unfolded, parameters dropped), of its VEVENT and of the calendar. */
function parseIcs(text: string): Record<string, string> {
  const lines = text.replace(/\r?\n[ \t]/g, '').split(/\r?\n/).filter(Boolean);
  expect(lines[0]).toBe('BEGIN:VCALENDAR');
  expect(lines.at(-1)).toBe('END:VCALENDAR');
  expect(lines.filter((l) => l === 'BEGIN:VEVENT')).toHaveLength(1);
  const props: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    const name = line.slice(0, colon).split(';')[0];
    if (!['BEGIN', 'END'].includes(name)) props[name] = line.slice(colon + 1);
  }
  return props;
}

/** The e-mail of the subject whose iCalendar has this UID and SEQUENCE. */
const invitation = (uid: string, sequence: number) =>
  pollUntil(`the e-mail with UID ${uid} SEQUENCE ${sequence}`, async () => {
    const messages: Mail[] = (await sandbox('GET', `/_sandbox/mail?to=${encodeURIComponent(email)}`)).messages;
    return messages.find((m) => m.calendars?.some((c) => c.content.includes(`UID:${uid}`) && c.content.includes(`SEQUENCE:${sequence}`)));
  }, { timeoutMs: 90_000 });

beforeAll(async () => {
  db = await createTestDatabase('e2e_appointments');
  stack = await startStack(db.url, 'appointments', { dispatcher: true });
  ds = createDataSource(db.url);
  await ds.initialize();
  const examples = await sandbox('GET', '/_sandbox/population/examples');
  subject = examples.flemishCouple.parents[0];
  email = (await sandbox('GET', `/_sandbox/population/persons/${subject}`)).contact.email;
  admin = stack.api.as(await stack.token({ role: 'catalog-admin', sub: 'admin-1' }));
  citizen = stack.api.as(await stack.token({ role: 'citizen', nationalNumber: subject, sub: 'citizen-1' }));
  stranger = stack.api.as(await stack.token({ role: 'citizen', nationalNumber: examples.flemishCouple.parents[1], sub: 'citizen-2' }));
  caseworker = stack.api.as(await stack.token({ role: 'caseworker', agency, sub: 'cw-1' }));
  expect((await admin.post('/agencies', { code: agency, names: titles('Energieagentschap'), endpointHosts: [stack.sandboxHost] })).status).toBe(201);
});

afterAll(async () => {
  await stack?.stop();
  await ds?.destroy();
  await db?.drop();
});

test('an appointment step is checked with its definition: every problem at its field', async () => {
  const res = await admin.post(`/agencies/${agency}/steps`, {
    key: 'bad-visit',
    kind: 'appointment',
    titles: titles('Huisbezoek'),
    serviceNorm: { target: 'P21D' },
    appointment: { ...APPOINTMENT, calendar: 'Energy Advisors', duration: 'PT2M', reminderBefore: 'P30D' },
  });
  const problem = expectProblem(res, 422);
  expect(problem.errors!.map((e) => e.path).sort()).toEqual(['/appointment/calendar', '/appointment/duration', '/appointment/reminderBefore', '/endpoint']);
  // The calendar service must be one of the agency's endpoint hosts.
  const foreign = await admin.post(`/agencies/${agency}/steps`, { key: 'bad-visit', kind: 'appointment', titles: titles('Huisbezoek'), serviceNorm: { target: 'P21D' }, endpoint: 'https://calendar.example/calendars', appointment: APPOINTMENT });
  expect(expectProblem(foreign, 422).errors!.map((e) => e.path)).toEqual(['/endpoint']);
});

test('slots, a slot taken meanwhile (409, nothing booked), book, move and cancel, each told with its iCalendar', async () => {
  for (const step of [
    { key: 'home-visit', kind: 'appointment', titles: titles('Huisbezoek'), serviceNorm: { target: 'P21D' }, endpoint: `${stack.sandboxUrl}/agencies/${agency}/calendars`, appointment: APPOINTMENT },
    { key: 'advice', kind: 'caseworker', titles: titles('Advies'), serviceNorm: { target: 'P10D' } },
  ]) {
    expect((await admin.post(`/agencies/${agency}/steps`, step)).status).toBe(201);
    expect((await admin.post(`/agencies/${agency}/steps/${step.key}/versions/1/publish`)).status).toBe(200);
  }
  const lifeEvent = `scan-${run}`;
  const nodes = [
    { key: 'visit', step: { agency, key: 'home-visit', version: 1 } },
    { key: 'advice', step: { agency, key: 'advice', version: 1 }, dependsOn: ['visit'] },
  ];
  expect((await admin.post('/life-events', { key: lifeEvent, audience: 'citizen', titles: titles('Energiescan'), nodes })).status).toBe(201);
  expect((await admin.post(`/life-events/${lifeEvent}/versions/1/publish`)).status).toBe(200);
  const started = await citizen.post('/journeys', { lifeEvent: { key: lifeEvent }, subject: { type: 'person', id: subject } }, { 'idempotency-key': randomUUID() });
  expect(started.status).toBe(201);
  const journey = started.body.id as string;
  const task = `${journey}.visit.appointment`;
  await pollUntil('the choose-a-time task', async () => (await citizen.get(`/tasks/${task}`)).body?.status === 'open');
  expect((await citizen.get(`/tasks/${task}`)).body).toMatchObject({ assignee: 'citizen', purpose: 'appointment' });

  // Free slots: an hour each, earliest first, in the window; for nobody else.
  const listed = await citizen.get(`/tasks/${task}/slots`);
  expect(listed.status).toBe(200);
  const { slots } = listed.body as { slots: Array<{ start: string; end: string }> };
  expect(listed.body.place).toEqual(APPOINTMENT.place);
  expect(slots.length).toBeGreaterThan(4);
  for (const s of slots) expect(Date.parse(s.end) - Date.parse(s.start)).toBe(3_600_000);
  expect(slots.map((s) => Date.parse(s.start))).toEqual([...slots.map((s) => Date.parse(s.start))].sort((a, b) => a - b));
  expect(Date.parse(slots.at(-1)!.end)).toBeLessThanOrEqual(Date.now() + 14 * 86_400_000);
  expectProblem(await stranger.get(`/tasks/${task}/slots`), 404);
  expectProblem(await stranger.post(`/tasks/${task}/appointment`, { slot: slots[1] }), 404);
  // The choose-a-time task is booked, not completed.
  expectProblem(await citizen.post(`/tasks/${task}/complete`, { outcome: 'approve' }), 409);
  // A slot of another length, a date that is no instant: refused before the journey is asked.
  expect(expectProblem(await citizen.post(`/tasks/${task}/appointment`, { slot: { start: slots[1].start, end: slots[1].start } }), 422).errors).toEqual([{ path: '/slot', message: expect.stringContaining('takes PT1H') }]);
  expectProblem(await citizen.post(`/tasks/${task}/appointment`, { slot: { start: 'tomorrow', end: slots[1].end } }), 400);

  // Someone else takes the first slot meanwhile: a clear 409, nothing booked.
  await sandbox('POST', `/_sandbox/calendars/${agency}/${CALENDAR}/take`, { start: slots[0].start });
  const taken = expectProblem(await citizen.post(`/tasks/${task}/appointment`, { slot: slots[0] }), 409);
  expect(taken.detail).toContain('taken meanwhile; nothing was booked');
  const bookingsOf = async () => ((await sandbox('GET', '/_sandbox/calendars/bookings')).items as Array<{ journeyId?: string; status: string; start: string }>).filter((b) => b.journeyId === journey);
  expect(await bookingsOf()).toEqual([]);

  // Booked: the e-mail carries a REQUEST with the booking's UID.
  const booked = await citizen.post(`/tasks/${task}/appointment`, { slot: slots[1] });
  expect(booked.status).toBe(200);
  const uid = `${journey}.visit.1@levensloop`;
  expect(booked.body).toMatchObject({ taskId: task, booking: { start: slots[1].start, end: slots[1].end, uid, sequence: 0 }, place: APPOINTMENT.place });
  const request = await invitation(uid, 0);
  const calendar = request.calendars!.find((c) => c.content.includes(uid))!;
  expect(calendar.method).toBe('REQUEST');
  const ics = parseIcs(calendar.content);
  expect(ics).toMatchObject({ METHOD: 'REQUEST', UID: uid, SEQUENCE: '0', STATUS: 'CONFIRMED' });
  expect(Date.parse(ics.DTSTART.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, '$1-$2-$3T$4:$5:$6Z'))).toBe(Date.parse(slots[1].start));
  expect(Object.values(APPOINTMENT.place)).toContain(ics.LOCATION);
  // No more personal data than the message: no national number.
  expect(calendar.content).not.toContain(subject);
  expect(request.text).toContain(ics.LOCATION);

  // Moved: the same UID, SEQUENCE 1; the slot it left is free again.
  const moved = await citizen.post(`/tasks/${task}/appointment/move`, { slot: slots[2] });
  expect(moved.body).toMatchObject({ booking: { start: slots[2].start, uid, sequence: 1 } });
  const movedIcs = parseIcs((await invitation(uid, 1)).calendars!.find((c) => c.content.includes(uid))!.content);
  expect(movedIcs).toMatchObject({ METHOD: 'REQUEST', UID: uid, SEQUENCE: '1' });
  await pollUntil('the booking on the task', async () => (await citizen.get(`/tasks/${task}/slots`)).body.booking?.sequence === 1);
  expect((await citizen.get(`/tasks/${task}/slots`)).body.slots.map((s: { start: string }) => s.start)).toContain(slots[1].start);

  // Cancelled: METHOD:CANCEL, SEQUENCE 2; the task stays open to book another time.
  const cancelled = await citizen.post(`/tasks/${task}/appointment/cancel`);
  expect(cancelled.status).toBe(200);
  expect(cancelled.body.booking).toBeUndefined();
  const cancel = (await invitation(uid, 2)).calendars!.find((c) => c.content.includes(uid))!;
  expect(cancel.method).toBe('CANCEL');
  expect(parseIcs(cancel.content)).toMatchObject({ METHOD: 'CANCEL', UID: uid, SEQUENCE: '2', STATUS: 'CANCELLED' });
  expectProblem(await citizen.post(`/tasks/${task}/appointment/cancel`), 409);

  // Booked again: a booking of its own, with a UID of its own.
  const again = await citizen.post(`/tasks/${task}/appointment`, { slot: slots[3] });
  expect(again.body.booking).toMatchObject({ uid: `${journey}.visit.2@levensloop`, sequence: 0 });
  expect((await bookingsOf()).map((b) => b.status).sort()).toEqual(['booked', 'cancelled']);
  // Every change is in the audit log.
  const audited: Array<{ action: string }> = await ds.query(`SELECT action FROM audit_log WHERE target_id = $1 ORDER BY id`, [task]);
  expect(audited.map((a) => a.action)).toEqual(['task.appointment_booked', 'task.appointment_moved', 'task.appointment_cancelled', 'task.appointment_booked']);
  // The caseworker sees no citizen's task, and cannot book for them.
  expectProblem(await caseworker.post(`/tasks/${task}/appointment/cancel`), 404);
});
