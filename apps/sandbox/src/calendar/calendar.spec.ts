import { AgencyCalendars, brusselsInstant, brusselsIso, zoneOffsetMinutes } from './calendar';

const HOUR = 3_600_000;

describe('the sandbox calendars', () => {
  it('keeps Brussels time across summer time', () => {
    expect(zoneOffsetMinutes(Date.parse('2026-01-15T12:00:00Z'))).toBe(60);
    expect(zoneOffsetMinutes(Date.parse('2026-07-15T12:00:00Z'))).toBe(120);
    expect(new Date(brusselsInstant(2026, 6, 15, 9 * 60)).toISOString()).toBe('2026-07-15T07:00:00.000Z');
    expect(brusselsIso(Date.parse('2026-03-02T08:00:00Z'))).toBe('2026-03-02T09:00:00+01:00');
  });

  it('offers slots within opening hours only: weekdays, not at lunch, Thursday evenings, Friday mornings', () => {
    const calendars = new AgencyCalendars();
    // Monday 2 March to Sunday 8 March 2026.
    const grid = calendars.grid(Date.parse('2026-03-02T00:00:00+01:00'), Date.parse('2026-03-09T00:00:00+01:00'), HOUR);
    const starts = grid.map((s) => s.start);
    expect(starts).toContain('2026-03-02T09:00:00+01:00');
    expect(starts).toContain('2026-03-02T13:30:00+01:00');
    expect(starts).not.toContain('2026-03-02T12:00:00+01:00');
    expect(starts).toContain('2026-03-05T17:30:00+01:00');
    expect(starts).not.toContain('2026-03-05T18:30:00+01:00');
    expect(starts.filter((s) => s.startsWith('2026-03-06'))).toEqual(['2026-03-06T09:00:00+01:00', '2026-03-06T10:00:00+01:00', '2026-03-06T11:00:00+01:00']);
    expect(starts.some((s) => s.startsWith('2026-03-07') || s.startsWith('2026-03-08'))).toBe(false);
    for (const s of grid) expect(Date.parse(s.end) - Date.parse(s.start)).toBe(HOUR);
  });

  it('has some slots taken, the same ones every run', () => {
    const from = Date.parse('2026-03-02T00:00:00+01:00');
    const to = Date.parse('2026-03-14T00:00:00+01:00');
    const a = new AgencyCalendars();
    const free = a.free('energy-agency', 'energy-advisors', from, to, HOUR);
    const grid = a.grid(from, to, HOUR);
    expect(free.length).toBeGreaterThan(0);
    expect(free.length).toBeLessThan(grid.length);
    expect(new AgencyCalendars().free('energy-agency', 'energy-advisors', from, to, HOUR)).toEqual(free);
  });

  it('books once per key, refuses a taken slot, moves and cancels', () => {
    const calendars = new AgencyCalendars();
    const [first, second] = calendars.free('a', 'c', Date.parse('2026-03-02T00:00:00+01:00'), Date.parse('2026-03-14T00:00:00+01:00'), HOUR);
    const booked = calendars.book('a', 'c', 'k1', first, { journeyId: 'j' });
    expect(calendars.book('a', 'c', 'k1', first, {})).toEqual({ booking: booked.booking, replayed: true });
    expect(() => calendars.book('a', 'c', 'k2', first, {})).toThrow(expect.objectContaining({ status: 409 }));
    expect(calendars.free('a', 'c', Date.parse(first.start), Date.parse(first.end), HOUR)).toEqual([]);
    const moved = calendars.move('a', 'c', booked.booking.id, 'k3', second);
    expect(moved.booking).toMatchObject({ id: booked.booking.id, start: second.start, moves: 1 });
    // The first slot is free again.
    expect(calendars.free('a', 'c', Date.parse(first.start), Date.parse(first.end), HOUR)).toEqual([first]);
    expect(calendars.cancel('a', 'c', booked.booking.id, 'k4').booking.status).toBe('cancelled');
    expect(calendars.free('a', 'c', Date.parse(second.start), Date.parse(second.end), HOUR)).toEqual([second]);
  });

  it('refuses a time the counter is closed, and a slot taken by hand', () => {
    const calendars = new AgencyCalendars();
    expect(() => calendars.book('a', 'c', 'k', { start: '2026-03-07T09:00:00+01:00', end: '2026-03-07T10:00:00+01:00' }, {})).toThrow(expect.objectContaining({ status: 422 }));
    const [slot] = calendars.free('a', 'c', Date.parse('2026-03-02T00:00:00+01:00'), Date.parse('2026-03-14T00:00:00+01:00'), HOUR);
    calendars.take('a', 'c', slot.start);
    expect(() => calendars.book('a', 'c', 'k', slot, {})).toThrow(expect.objectContaining({ status: 409 }));
  });
});
