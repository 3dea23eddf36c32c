import { createHash, randomUUID } from 'node:crypto';

/**
 * The agencies' calendars the sandbox plays: counters open on weekdays 09:00–12:00 and
 * 13:30–16:00 (Thursdays until 19:00), Europe/Brussels time, on a grid of the appointment's
 * duration; about one slot in three is taken by other people (the same ones on every run);
 * bookings are kept in memory, once per Idempotency-Key.
 */

export const CALENDAR_ZONE = 'Europe/Brussels';
/** Opening hours per weekday (1 = Monday), as minutes after local midnight. */
const OPENING: Record<number, Array<[number, number]>> = {
  1: [[540, 720], [810, 960]],
  2: [[540, 720], [810, 960]],
  3: [[540, 720], [810, 960]],
  4: [[540, 720], [810, 1140]],
  5: [[540, 720]],
};
const DAY = 86_400_000;
const MAX_PERIOD = 62 * DAY;

export interface CalendarSlot {
  start: string;
  end: string;
}
export interface CalendarBooking extends CalendarSlot {
  id: string;
  agency: string;
  calendar: string;
  status: 'booked' | 'cancelled';
  /** Who the booking is for, as the engine sent it (the journey and step; never more personal data than the call carried). */
  journeyId?: string;
  step?: string;
  moves: number;
}

export class CalendarError extends Error {
  constructor(
    readonly status: 404 | 409 | 422,
    message: string,
  ) {
    super(message);
  }
}

const zoneFormat = new Intl.DateTimeFormat('en-GB', { timeZone: CALENDAR_ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });

/** The zone's offset from UTC at an instant, in minutes (60 in winter, 120 in summer). */
export function zoneOffsetMinutes(instant: number): number {
  const parts = Object.fromEntries(zoneFormat.formatToParts(new Date(instant)).map((p) => [p.type, p.value]));
  const local = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute), Number(parts.second));
  return Math.round((local - Math.floor(instant / 1000) * 1000) / 60_000);
}

/** The instant of a local wall time in Brussels. */
export function brusselsInstant(year: number, month: number, day: number, minutes: number): number {
  const guess = Date.UTC(year, month, day) + minutes * 60_000;
  const first = guess - zoneOffsetMinutes(guess) * 60_000;
  return guess - zoneOffsetMinutes(first) * 60_000;
}

/** An instant as ISO-8601 with Brussels' offset, e.g. 2026-03-02T09:00:00+01:00. */
export function brusselsIso(instant: number): string {
  const offset = zoneOffsetMinutes(instant);
  const local = new Date(instant + offset * 60_000).toISOString().slice(0, 19);
  const sign = offset >= 0 ? '+' : '-';
  const abs = Math.abs(offset);
  return `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

export class AgencyCalendars {
  private readonly bookings = new Map<string, CalendarBooking>();
  /** Answers per Idempotency-Key (per agency): the same key books, moves or cancels once. */
  private readonly answered = new Map<string, CalendarBooking>();
  /** Slots taken by hand (`POST /_sandbox/calendars/.../take`), to show a slot taken meanwhile. */
  private readonly takenByHand = new Set<string>();

  /** The grid of a period: every slot of `durationMs` within the opening hours. */
  grid(from: number, to: number, durationMs: number): CalendarSlot[] {
    const slots: CalendarSlot[] = [];
    if (!(durationMs > 0) || to - from > MAX_PERIOD) return slots;
    for (let day = Date.UTC(new Date(from).getUTCFullYear(), new Date(from).getUTCMonth(), new Date(from).getUTCDate()); day <= to; day += DAY) {
      const d = new Date(day);
      const weekday = d.getUTCDay() === 0 ? 7 : d.getUTCDay();
      for (const [open, close] of OPENING[weekday] ?? []) {
        for (let m = open; m + durationMs / 60_000 <= close; m += durationMs / 60_000) {
          const start = brusselsInstant(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), m);
          if (start >= from && start + durationMs <= to) slots.push({ start: brusselsIso(start), end: brusselsIso(start + durationMs) });
        }
      }
    }
    return slots;
  }

  /** Free slots of a calendar: the grid less what others took and what is booked. */
  free(agency: string, calendar: string, from: number, to: number, durationMs: number): CalendarSlot[] {
    return this.grid(from, to, durationMs).filter((s) => !this.isTaken(agency, calendar, s));
  }

  book(agency: string, calendar: string, key: string, slot: CalendarSlot, who: { journeyId?: string; step?: string }): { booking: CalendarBooking; replayed: boolean } {
    const replay = this.answered.get(`${agency}/${key}`);
    if (replay) return { booking: replay, replayed: true };
    this.checkFree(agency, calendar, slot);
    const booking: CalendarBooking = { id: randomUUID(), agency, calendar, start: slot.start, end: slot.end, status: 'booked', moves: 0, ...who };
    this.bookings.set(booking.id, booking);
    this.answered.set(`${agency}/${key}`, booking);
    return { booking, replayed: false };
  }

  move(agency: string, calendar: string, id: string, key: string, slot: CalendarSlot): { booking: CalendarBooking; replayed: boolean } {
    const replay = this.answered.get(`${agency}/${key}`);
    if (replay) return { booking: replay, replayed: true };
    const booking = this.find(agency, calendar, id);
    if (booking.status === 'cancelled') throw new CalendarError(409, 'The booking is cancelled; book a new one.');
    this.checkFree(agency, calendar, slot, id);
    Object.assign(booking, { start: slot.start, end: slot.end, moves: booking.moves + 1 });
    this.answered.set(`${agency}/${key}`, { ...booking });
    return { booking: { ...booking }, replayed: false };
  }

  cancel(agency: string, calendar: string, id: string, key: string): { booking: CalendarBooking; replayed: boolean } {
    const replay = this.answered.get(`${agency}/${key}`);
    if (replay) return { booking: replay, replayed: true };
    const booking = this.find(agency, calendar, id);
    booking.status = 'cancelled';
    this.answered.set(`${agency}/${key}`, { ...booking });
    return { booking: { ...booking }, replayed: false };
  }

  take(agency: string, calendar: string, start: string): void {
    this.takenByHand.add(`${agency}/${calendar}/${Date.parse(start)}`);
  }

  list(): CalendarBooking[] {
    return [...this.bookings.values()].map((b) => ({ ...b }));
  }

  private find(agency: string, calendar: string, id: string): CalendarBooking {
    const booking = this.bookings.get(id);
    if (!booking || booking.agency !== agency || booking.calendar !== calendar) throw new CalendarError(404, `No booking ${id} in ${agency}'s calendar ${calendar}.`);
    return booking;
  }

  private checkFree(agency: string, calendar: string, slot: CalendarSlot, except?: string): void {
    const start = Date.parse(slot.start);
    const end = Date.parse(slot.end);
    if (!Number.isFinite(start) || !Number.isFinite(end) || end <= start) throw new CalendarError(422, 'A slot is { start, end } as ISO-8601 instants.');
    const onGrid = this.grid(start, end, end - start).some((s) => Date.parse(s.start) === start);
    if (!onGrid) throw new CalendarError(422, `No slot starts at ${slot.start}: the counter is closed then.`);
    if (this.isTaken(agency, calendar, slot, except)) throw new CalendarError(409, `The slot at ${slot.start} is taken.`);
  }

  private isTaken(agency: string, calendar: string, slot: CalendarSlot, except?: string): boolean {
    const start = Date.parse(slot.start);
    const end = Date.parse(slot.end);
    if (this.takenByHand.has(`${agency}/${calendar}/${start}`)) return true;
    // Other people's appointments: the same third of the slots on every run.
    if (createHash('sha256').update(`${agency}/${calendar}/${start}`).digest()[0] % 3 === 0) return true;
    for (const b of this.bookings.values()) {
      if (b.id === except || b.status !== 'booked' || b.agency !== agency || b.calendar !== calendar) continue;
      if (Date.parse(b.start) < end && start < Date.parse(b.end)) return true;
    }
    return false;
  }
}
