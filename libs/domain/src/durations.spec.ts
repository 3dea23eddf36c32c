import { addDuration, durationToMs, isValidDuration, MAX_DURATION_MS, parseDuration } from './durations';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('durations', () => {
  it('converts ISO-8601 durations to milliseconds', () => {
    expect(durationToMs('PT1S')).toBe(1000);
    expect(durationToMs('PT0.5S')).toBe(500);
    expect(durationToMs('P1DT2H')).toBe(26 * HOUR);
    expect(durationToMs('P1W')).toBe(7 * DAY);
    expect(durationToMs('PT1H30M')).toBe(90 * 60_000);
  });

  it('counts a month as 30 days and a year as 365 days', () => {
    expect(durationToMs('P1M')).toBe(30 * DAY);
    expect(durationToMs('P1Y')).toBe(365 * DAY);
    expect(durationToMs('PT1M')).toBe(60_000); // M after T is minutes
  });

  it('refuses empty, zero, negative, lenient and oversized durations', () => {
    for (const bad of ['', 'P', 'PT', 'P1DT', 'PT0S', 'P0D', '-P1D', 'P-1D', 'P1W-1D', ' P1D', 'P1D ', 'p1d', '5 days', 'P1000Y', 42, null, undefined]) {
      expect([bad, isValidDuration(bad)]).toEqual([bad, false]);
      expect(parseDuration(bad)).toBeUndefined();
    }
    expect(durationToMs('P100Y')).toBe(MAX_DURATION_MS);
    expect(() => durationToMs('nope')).toThrow(/'nope' is not a positive ISO-8601 duration/);
  });

  it('adds a duration to an instant without a clock', () => {
    expect(addDuration('2026-01-01T00:00:00.000Z', 'P1M')).toBe('2026-01-31T00:00:00.000Z');
    expect(addDuration('2026-01-31T09:00:00Z', 'PT36H')).toBe('2026-02-01T21:00:00.000Z');
    expect(addDuration('2026-03-28T12:00:00+01:00', 'P1D')).toBe('2026-03-29T11:00:00.000Z');
    expect(() => addDuration('yesterday', 'P1D')).toThrow(/not an ISO-8601 instant/);
    expect(() => addDuration('2026-01-01T00:00:00Z', 'P')).toThrow(/ISO-8601 duration/);
  });
});
