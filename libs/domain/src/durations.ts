import { parse } from 'tinyduration';

/**
 * ISO-8601 durations, as used by service norms and retry intervals (P5D, PT4H, P1M, PT0.5S).
 *
 * Years and months have no fixed length. We count a year as 365 days and a month as 30 days,
 * so `P1M` from 31 January ends on 2 March, not 28 February. That is how service norms are read
 * in practice ("within a month" = 30 days) and it keeps every computation a plain millisecond
 * addition, identical on every replay of a workflow. Days are 24 hours (instants are UTC).
 *
 * Only positive durations are valid: no sign, no negative or all-zero components, no empty
 * `P`/`PT`, no whitespace, at most 100 years.
 */
const DAY = 86_400_000;
const UNIT_MS = {
  years: 365 * DAY,
  months: 30 * DAY,
  weeks: 7 * DAY,
  days: DAY,
  hours: 3_600_000,
  minutes: 60_000,
  seconds: 1000,
} as const;

/** Upper bound: beyond this a "service norm" is a typo, and Date arithmetic would overflow. */
export const MAX_DURATION_MS = 100 * UNIT_MS.years;

// tinyduration is lenient (it accepts " P1D", "P1DT", "P-1D"); this gate enforces the strict shape.
const NUM = '\\d+(?:[.,]\\d+)?';
const SHAPE = new RegExp(`^P(?:${NUM}Y)?(?:${NUM}M)?(?:${NUM}W)?(?:${NUM}D)?(?:T(?:${NUM}H)?(?:${NUM}M)?(?:${NUM}S)?)?$`);

/** The duration in milliseconds, or undefined when it is not a valid positive duration. */
export function parseDuration(value: unknown): number | undefined {
  if (typeof value !== 'string' || value.length > 64 || !SHAPE.test(value) || value.endsWith('T')) return undefined;
  try {
    const parsed = parse(value);
    if (parsed.negative) return undefined;
    let total = 0;
    for (const [unit, ms] of Object.entries(UNIT_MS)) {
      total += (parsed[unit as keyof typeof UNIT_MS] ?? 0) * ms; // never negative: SHAPE has no signs
    }
    if (!Number.isFinite(total) || total <= 0 || total > MAX_DURATION_MS) return undefined;
    return Math.round(total);
  } catch {
    return undefined; // "P", "PT" and other shapes tinyduration refuses
  }
}

export function isValidDuration(value: unknown): value is string {
  return parseDuration(value) !== undefined;
}

/** Text for problems and errors about a bad duration. */
export const DURATION_RULE = 'a positive ISO-8601 duration of at most 100 years, such as P5D, PT4H or P1M';

/** Milliseconds of a duration (a year = 365 days, a month = 30 days). Throws on an invalid one. */
export function durationToMs(value: string): number {
  const ms = parseDuration(value);
  if (ms === undefined) throw new RangeError(`'${String(value)}' is not ${DURATION_RULE}.`);
  return ms;
}

/**
 * The instant `duration` after `isoInstant`, as an ISO-8601 UTC string. Pure (no clock): pass the
 * workflow's own "now". Throws on an invalid instant or duration.
 */
export function addDuration(isoInstant: string, duration: string): string {
  const start = typeof isoInstant === 'string' ? Date.parse(isoInstant) : NaN;
  if (Number.isNaN(start)) throw new RangeError(`'${String(isoInstant)}' is not an ISO-8601 instant such as 2026-01-31T09:00:00Z.`);
  return new Date(start + durationToMs(duration)).toISOString();
}
