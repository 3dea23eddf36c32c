import { DURATION_RULE, parseDuration } from './durations';
import type { StepState, Translations } from './model';
import { pointerSegment, type Problem } from './problem';

/**
 * Appointments (a home visit, a counter appointment): an `appointment` step opens a citizen's task
 * "choose a time" over free slots of the agency's calendar (its endpoint, reached through the
 * agency client), the citizen books, moves or cancels; a reminder comes `reminderBefore` the
 * appointment, and at its time a caseworker records whether the citizen came. Pure rules here;
 * the workflow's side is `workflows/src/journey/appointments.ts`.
 */

/** What an appointment step declares (`appointment` on the step definition). */
export interface AppointmentSpec {
  /** The agency's calendar id at its calendar endpoint (the step's `endpoint`), e.g. `counter-leuven`. */
  calendar: string;
  /** How long the appointment takes (ISO-8601, e.g. PT30M): a slot of another length is refused. */
  duration: string;
  /** Where it takes place, per language: a counter's address, or "at your home" for a home visit. */
  place: Translations;
  /** Within how long from the step's start the appointment takes place (ISO-8601, e.g. P14D): the free slots offered. */
  bookWithin: string;
  /** How long before the appointment the citizen is reminded (ISO-8601, e.g. P1D). */
  reminderBefore: string;
}

/** A slot of the agency's calendar: start and end instants (ISO-8601 with offset). */
export interface AppointmentSlot {
  start: string;
  end: string;
}

/** The booking the step holds: the calendar's id, the slot, and the iCalendar identity (UID stable per booking, SEQUENCE rising on a move). */
export interface AppointmentBooking extends AppointmentSlot {
  id: string;
  uid: string;
  sequence: number;
}

/** The timeline of an appointment step (each files a message to the citizen but the task's). */
export const APPOINTMENT_TIMELINE_TYPES = ['step.appointment_booked', 'step.appointment_moved', 'step.appointment_cancelled', 'step.appointment_reminder', 'step.appointment_no_show'] as const;
export type AppointmentTimelineType = (typeof APPOINTMENT_TIMELINE_TYPES)[number];

export const ATTENDANCES = ['attended', 'no_show'] as const;
export type Attendance = (typeof ATTENDANCES)[number];

/**
 * A no-show lets the citizen book again this many times; one more rejects the step. A missed
 * appointment is often excused (illness, a train), and a refusal for one absence is disproportionate;
 * a second absence says the citizen does not come, and the caseworker's record closes the step.
 */
export const NO_SHOWS_BEFORE_REJECTION = 1;

/** The step's appointment as the workflow keeps it. */
export interface AppointmentState {
  /** The slot booked, while one is. */
  booking?: AppointmentBooking;
  /** Bookings made so far (each gets a new idempotency key and iCalendar UID). */
  bookings: number;
  /** A calendar call of a book, move or cancel under way (a second one is refused meanwhile). */
  busy?: boolean;
  /** The booking version (`<id>/<sequence>`) the citizen was reminded of: a moved booking is reminded again. */
  remindedFor?: string;
  /** No-shows recorded by the caseworker. */
  noShows?: number;
  /** The caseworker's record of the last appointment. */
  attendance?: Attendance;
}

export const CALENDAR_ID_PATTERN = /^(?=.{2,64}$)[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
const FIELDS = new Set(['calendar', 'duration', 'place', 'bookWithin', 'reminderBefore']);
/** A slot is never shorter than 5 minutes nor longer than a working day. */
const MIN_DURATION_MS = 5 * 60_000;
const MAX_DURATION_MS = 8 * 3_600_000;
/** The window of free slots is at most a year. */
const MAX_BOOK_WITHIN_MS = 365 * 86_400_000;
/** The longest period the free slots are asked for at once. */
export const MAX_SLOT_PERIOD_MS = 31 * 86_400_000;

const isRecord = (value: unknown): value is Record<string, unknown> => !!value && typeof value === 'object' && !Array.isArray(value);
const describe = (value: unknown) => (typeof value === 'string' ? `'${value}'` : value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value);

/**
 * Problems of a step's `appointment` (at `/appointment/...`) and its endpoint: only an appointment
 * step has one, and it must. `checkPlace` is the definition's own rule for texts per language.
 */
export function validateAppointmentSpec(spec: unknown, kind: unknown, checkPlace: (texts: unknown, path: string, problems: Problem[]) => void): Problem[] {
  if (kind !== 'appointment') return spec === undefined ? [] : [{ path: '/appointment', message: `only appointment steps book an appointment; a ${String(kind)} step must not declare one` }];
  if (!isRecord(spec)) {
    return [{ path: '/appointment', message: `an appointment step needs appointment: { "calendar": "counter-leuven", "duration": "PT30M", "place": { "nl": "…" }, "bookWithin": "P14D", "reminderBefore": "P1D" } (got ${describe(spec)})` }];
  }
  const problems: Problem[] = [];
  for (const field of Object.keys(spec)) if (!FIELDS.has(field)) problems.push({ path: `/appointment/${pointerSegment(field)}`, message: `unknown field '${field}'; an appointment has calendar, duration, place, bookWithin and reminderBefore` });
  if (typeof spec.calendar !== 'string' || !CALENDAR_ID_PATTERN.test(spec.calendar)) {
    problems.push({ path: '/appointment/calendar', message: `the calendar ${describe(spec.calendar)} is not valid: the agency's calendar id, 2 to 64 characters of lowercase kebab case (e.g. counter-leuven)` });
  }
  const duration = parseDuration(spec.duration);
  if (duration === undefined) problems.push({ path: '/appointment/duration', message: `duration ${describe(spec.duration)} is not ${DURATION_RULE}` });
  else if (duration < MIN_DURATION_MS || duration > MAX_DURATION_MS) problems.push({ path: '/appointment/duration', message: `an appointment takes from 5 minutes (PT5M) to 8 hours (PT8H) (got ${String(spec.duration)})` });
  checkPlace(spec.place, '/appointment/place', problems);
  const within = parseDuration(spec.bookWithin);
  if (within === undefined) problems.push({ path: '/appointment/bookWithin', message: `bookWithin ${describe(spec.bookWithin)} is not ${DURATION_RULE}` });
  else if (within > MAX_BOOK_WITHIN_MS) problems.push({ path: '/appointment/bookWithin', message: `bookWithin is at most a year (P1Y) (got ${String(spec.bookWithin)})` });
  else if (duration !== undefined && within < duration) problems.push({ path: '/appointment/bookWithin', message: `bookWithin (${String(spec.bookWithin)}) must leave room for one appointment of ${String(spec.duration)}` });
  const before = parseDuration(spec.reminderBefore);
  if (before === undefined) problems.push({ path: '/appointment/reminderBefore', message: `reminderBefore ${describe(spec.reminderBefore)} is not ${DURATION_RULE}` });
  else if (within !== undefined && before >= within) problems.push({ path: '/appointment/reminderBefore', message: `the reminder (${String(spec.reminderBefore)} before) must be shorter than bookWithin (${String(spec.bookWithin)})` });
  return problems;
}

/** The window in which the step's appointment takes place: from its start to `bookWithin` later. */
export function bookingWindow(startedAt: string, spec: Pick<AppointmentSpec, 'bookWithin'>): { from: string; until: string } {
  const from = Date.parse(startedAt);
  return { from: new Date(from).toISOString(), until: new Date(from + (parseDuration(spec.bookWithin) ?? 0)).toISOString() };
}

/** Why a slot cannot be booked for the step at `now` (undefined: it can, as far as the engine knows; the calendar says whether it is free). */
export function slotProblem(slot: unknown, spec: Pick<AppointmentSpec, 'duration' | 'bookWithin'>, startedAt: string | undefined, now: string): string | undefined {
  if (!isRecord(slot) || typeof slot.start !== 'string' || typeof slot.end !== 'string') return 'a slot is { "start": "<ISO-8601 instant>", "end": "<ISO-8601 instant>" } as GET …/slots lists it';
  const start = Date.parse(slot.start);
  const end = Date.parse(slot.end);
  if (!Number.isFinite(start) || !Number.isFinite(end) || !/[zZ]|[+-]\d{2}:\d{2}$/.test(slot.start) || !/[zZ]|[+-]\d{2}:\d{2}$/.test(slot.end)) return 'start and end must be ISO-8601 instants with an offset (e.g. 2026-03-02T09:00:00+01:00)';
  if (end - start !== parseDuration(spec.duration)) return `the appointment takes ${spec.duration}: the slot's end must be that long after its start`;
  if (start <= Date.parse(now)) return 'the slot has begun or is past; choose one still to come';
  if (startedAt) {
    const window = bookingWindow(startedAt, spec);
    if (end > Date.parse(window.until)) return `the appointment takes place by ${window.until} (bookWithin ${spec.bookWithin}); choose an earlier slot`;
  }
  return undefined;
}

/** The period of free slots to ask the calendar for: the asked period within what may still be booked, or why not. */
export function slotPeriod(asked: { from?: string; to?: string }, spec: Pick<AppointmentSpec, 'bookWithin'>, startedAt: string, now: string): { from: string; to: string } | { problem: string } {
  const window = bookingWindow(startedAt, spec);
  const from = Math.max(asked.from ? Date.parse(asked.from) : Date.parse(now), Date.parse(now));
  const to = Math.min(asked.to ? Date.parse(asked.to) : Date.parse(window.until), Date.parse(window.until), from + MAX_SLOT_PERIOD_MS);
  if (!Number.isFinite(from) || !Number.isFinite(to)) return { problem: 'from and to must be ISO-8601 dates or instants' };
  if (to <= from) return { problem: `no slot can be booked in that period: appointments take place until ${window.until}` };
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
}

/** The instant the citizen is reminded of a booking (undefined when that is already past at `now`, e.g. booked the day before). */
export function reminderInstant(booking: AppointmentSlot, spec: Pick<AppointmentSpec, 'reminderBefore'>, now: string): string | undefined {
  const at = Date.parse(booking.start) - (parseDuration(spec.reminderBefore) ?? 0);
  return at > Date.parse(now) ? new Date(at).toISOString() : undefined;
}

/** A booking's version: a move changes it (and so re-arms the reminder). */
export const bookingVersion = (booking: Pick<AppointmentBooking, 'id' | 'sequence'>) => `${booking.id}/${booking.sequence}`;

/** The iCalendar UID of a step's n-th booking: stable across its moves, never reused. */
export const bookingUid = (journeyId: string, nodeKey: string, n: number) => `${journeyId}.${nodeKey}.${n}@levensloop`;

export type AppointmentAction = 'book' | 'move' | 'cancel';

/** A book, move or cancel request the journey is sent. */
export interface AppointmentRequest {
  nodeKey: string;
  action: AppointmentAction;
  slot?: unknown;
  by?: string;
}

/** Why the journey refuses a book, move or cancel: no such appointment step, not choosing now, a booking (not) held, another change under way, a slot that does not fit. */
export function appointmentRequestError(
  steps: Readonly<Record<string, StepState>>,
  request: AppointmentRequest,
  spec: Pick<AppointmentSpec, 'duration' | 'bookWithin'> | undefined,
  now: string,
): string | undefined {
  const step = steps[request.nodeKey];
  if (!step) return `Journey has no step '${request.nodeKey}'.`;
  if (step.kind !== 'appointment' || !spec) return `Step '${request.nodeKey}' books no appointment.`;
  if (step.status !== 'waiting' || step.waitingFor !== 'appointment') {
    return step.status === 'waiting' && step.waitingFor === 'task'
      ? 'The appointment has begun: it can no longer be booked, moved or cancelled.'
      : `The appointment of step '${request.nodeKey}' cannot be changed (step is ${step.status}).`;
  }
  const state = step.appointment;
  if (state?.busy) return 'Another change of this appointment is under way; try again in a moment.';
  const booked = !!state?.booking;
  if (request.action === 'book' && booked) return 'A time is already booked: move it or cancel it.';
  if (request.action !== 'book' && !booked) return `No time is booked to ${request.action}: book one first.`;
  if (request.action === 'cancel') return undefined;
  const problem = slotProblem(request.slot, spec, step.startedAt, now);
  if (problem) return `That slot cannot be booked: ${problem}.`;
  const slot = request.slot as AppointmentSlot;
  if (request.action === 'move' && Date.parse(slot.start) === Date.parse(state!.booking!.start)) return 'That is the time already booked.';
  return undefined;
}

/** Why the caseworker's record of the appointment is refused (the step's own task at the appointment's time). */
export function attendanceError(outcome: unknown): string | undefined {
  return outcome === 'approve' || outcome === 'reject' ? undefined : "Record the appointment: outcome 'approve' (the citizen came) or 'reject' (no-show).";
}

/** What a no-show leads to: the citizen books again, or, past the allowed no-shows, the step is rejected. */
export function afterNoShow(noShows: number): 'book-again' | 'rejected' {
  return noShows > NO_SHOWS_BEFORE_REJECTION ? 'rejected' : 'book-again';
}
