import {
  afterNoShow,
  appointmentRequestError,
  bookingUid,
  bookingVersion,
  reminderInstant,
  slotPeriod,
  slotProblem,
  validateAppointmentSpec,
  type AppointmentSpec,
} from './appointments';
import type { StepState } from './model';
import { openTaskOf } from './tasks';
import { validateStepDefinition } from './validation';
import { completeTaskError } from './journey-updates';

const spec: AppointmentSpec = { calendar: 'energy-advisors', duration: 'PT1H', place: { nl: 'Bij u thuis', en: 'At your home' }, bookWithin: 'P14D', reminderBefore: 'P1D' };
const step = (over: Partial<StepState> = {}): StepState => ({ key: 'visit', agency: 'energy-agency', kind: 'appointment', status: 'waiting', waitingFor: 'appointment', attempts: 0, startedAt: '2026-03-02T08:00:00.000Z', appointment: { bookings: 0 }, ...over });
const NOW = '2026-03-02T10:00:00.000Z';
const slot = { start: '2026-03-05T09:00:00+01:00', end: '2026-03-05T10:00:00+01:00' };

describe('an appointment step definition', () => {
  const def = { agency: 'energy-agency', key: 'home-visit', kind: 'appointment', titles: { nl: 'Huisbezoek' }, endpoint: 'https://agency.example/calendars', serviceNorm: { target: 'P21D' }, appointment: spec };

  it('is valid with its calendar endpoint and appointment', () => {
    expect(validateStepDefinition(def as never)).toEqual([]);
  });

  it('needs the calendar endpoint and the appointment', () => {
    const problems = validateStepDefinition({ ...def, endpoint: undefined, appointment: undefined } as never);
    expect(problems.map((p) => p.path)).toEqual(['/endpoint', '/appointment']);
    expect(problems[0].message).toContain("calendar service");
  });

  it('names every wrong field at once', () => {
    const problems = validateAppointmentSpec({ calendar: 'Not An Id', duration: 'PT2M', place: { fr: 'x' }, bookWithin: 'soon', reminderBefore: 'P1D', colour: 'red' }, 'appointment', (texts, path, found) => {
      if (!(texts as Record<string, unknown>).nl) found.push({ path: `${path}/nl`, message: 'nl required' });
    });
    expect(problems.map((p) => p.path)).toEqual(['/appointment/colour', '/appointment/calendar', '/appointment/duration', '/appointment/place/nl', '/appointment/bookWithin']);
  });

  it('refuses a reminder as long as the window, and a window shorter than the appointment', () => {
    expect(validateAppointmentSpec({ ...spec, reminderBefore: 'P14D' }, 'appointment', () => undefined).map((p) => p.path)).toEqual(['/appointment/reminderBefore']);
    expect(validateAppointmentSpec({ ...spec, duration: 'PT8H', bookWithin: 'PT4H', reminderBefore: 'PT1H' }, 'appointment', () => undefined).map((p) => p.path)).toEqual(['/appointment/bookWithin']);
  });

  it('is refused on another kind of step', () => {
    expect(validateAppointmentSpec(spec, 'citizen', () => undefined)).toEqual([{ path: '/appointment', message: expect.stringContaining('only appointment steps') }]);
    expect(validateAppointmentSpec(undefined, 'citizen', () => undefined)).toEqual([]);
  });
});

describe('slot rules', () => {
  it('takes a slot of the duration, to come, within the window', () => {
    expect(slotProblem(slot, spec, '2026-03-02T08:00:00Z', NOW)).toBeUndefined();
  });

  it('refuses a slot of another length, a past one, one past the window, one without an offset', () => {
    expect(slotProblem({ start: slot.start, end: '2026-03-05T09:30:00+01:00' }, spec, undefined, NOW)).toContain('takes PT1H');
    expect(slotProblem({ start: '2026-03-01T09:00:00+01:00', end: '2026-03-01T10:00:00+01:00' }, spec, undefined, NOW)).toContain('past');
    expect(slotProblem({ start: '2026-03-17T09:00:00+01:00', end: '2026-03-17T10:00:00+01:00' }, spec, '2026-03-02T08:00:00Z', NOW)).toContain('bookWithin P14D');
    expect(slotProblem({ start: '2026-03-05T09:00:00', end: '2026-03-05T10:00:00' }, spec, undefined, NOW)).toContain('offset');
    expect(slotProblem('tomorrow', spec, undefined, NOW)).toContain('a slot is');
  });

  it('asks the calendar for at most the window, from now on', () => {
    expect(slotPeriod({}, spec, '2026-03-02T08:00:00Z', NOW)).toEqual({ from: NOW, to: '2026-03-16T08:00:00.000Z' });
    expect(slotPeriod({ from: '2026-03-01', to: '2026-03-04' }, spec, '2026-03-02T08:00:00Z', NOW)).toEqual({ from: NOW, to: '2026-03-04T00:00:00.000Z' });
    expect(slotPeriod({ from: '2026-04-01' }, spec, '2026-03-02T08:00:00Z', NOW)).toEqual({ problem: expect.stringContaining('until 2026-03-16') });
  });

  it('reminds reminderBefore the start, unless that has passed', () => {
    expect(reminderInstant(slot, spec, NOW)).toBe('2026-03-04T08:00:00.000Z');
    expect(reminderInstant(slot, spec, '2026-03-04T09:00:00Z')).toBeUndefined();
  });

  it('keeps one iCalendar UID per booking, and a version that a move changes', () => {
    expect(bookingUid('j1', 'visit', 2)).toBe('j1.visit.2@levensloop');
    expect(bookingVersion({ id: 'b', sequence: 0 })).not.toBe(bookingVersion({ id: 'b', sequence: 1 }));
  });

  it('lets the citizen book again after a first no-show, and rejects the step after a second', () => {
    expect(afterNoShow(1)).toBe('book-again');
    expect(afterNoShow(2)).toBe('rejected');
  });
});

describe('book, move and cancel requests', () => {
  const booked = step({ appointment: { bookings: 1, booking: { id: 'b1', uid: 'u', sequence: 0, ...slot } } });
  const err = (s: StepState, request: Parameters<typeof appointmentRequestError>[1]) => appointmentRequestError({ visit: s }, request, spec, NOW);

  it('books a fitting slot when none is booked, moves and cancels a booked one', () => {
    expect(err(step(), { nodeKey: 'visit', action: 'book', slot })).toBeUndefined();
    expect(err(booked, { nodeKey: 'visit', action: 'move', slot: { start: '2026-03-06T09:00:00+01:00', end: '2026-03-06T10:00:00+01:00' } })).toBeUndefined();
    expect(err(booked, { nodeKey: 'visit', action: 'cancel' })).toBeUndefined();
  });

  it('refuses what does not fit the state', () => {
    expect(err(booked, { nodeKey: 'visit', action: 'book', slot })).toContain('already booked');
    expect(err(step(), { nodeKey: 'visit', action: 'cancel' })).toContain('No time is booked');
    expect(err(booked, { nodeKey: 'visit', action: 'move', slot })).toContain('already booked');
    expect(err(step({ appointment: { bookings: 0, busy: true } }), { nodeKey: 'visit', action: 'book', slot })).toContain('under way');
    expect(err(step({ waitingFor: 'task' }), { nodeKey: 'visit', action: 'cancel' })).toContain('has begun');
    expect(err(step({ status: 'completed', waitingFor: undefined }), { nodeKey: 'visit', action: 'book', slot })).toContain('cannot be changed');
    expect(appointmentRequestError({ visit: step({ kind: 'citizen' }) }, { nodeKey: 'visit', action: 'book', slot }, undefined, NOW)).toContain('books no appointment');
    expect(err(step(), { nodeKey: 'nope', action: 'book', slot })).toContain("no step 'nope'");
    expect(err(step(), { nodeKey: 'visit', action: 'book', slot: { start: slot.start, end: slot.start } })).toContain('That slot cannot be booked');
  });

  it('keeps the "choose a time" task from being completed as a task', () => {
    expect(completeTaskError({ visit: step() }, { nodeKey: 'visit', outcome: 'approve', by: 'c' })).toContain('book a time');
  });
});

describe('the tasks of an appointment step', () => {
  it("opens the citizen's choose-a-time task, then the caseworker's record at the appointment's time", () => {
    expect(openTaskOf('j1', step())).toEqual({ id: 'j1.visit.appointment', purpose: 'appointment', assignee: 'citizen', fields: null });
    expect(openTaskOf('j1', step({ waitingFor: 'task', claimedBy: null }))).toEqual({ id: 'j1.visit', purpose: 'task', assignee: 'caseworker', fields: null, claimedBy: null });
    const booking = { id: 'b1', uid: 'u', sequence: 1, ...slot };
    expect(openTaskOf('j1', step({ waitingFor: 'task', appointment: { bookings: 1, booking } }))).toEqual({ id: 'j1.visit', purpose: 'task', assignee: 'caseworker', fields: null, data: { appointment: slot } });
  });
});
