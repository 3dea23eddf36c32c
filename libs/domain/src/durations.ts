import { parse } from 'tinyduration';

/**
 * ISO-8601 durations (service norms, retry intervals). Years and months have no fixed length;
 * we count a year as 365 days and a month as 30 days, which is how service norms are read.
 */
const MS = { years: 365 * 86_400_000, months: 30 * 86_400_000, weeks: 7 * 86_400_000, days: 86_400_000, hours: 3_600_000, minutes: 60_000, seconds: 1000 } as const;

export function parseDuration(value: string): number | undefined {
  if (typeof value !== 'string' || value.length > 64) return undefined;
  try {
    const d = parse(value);
    if (d.negative) return undefined;
    let total = 0;
    for (const [unit, ms] of Object.entries(MS)) total += (d[unit as keyof typeof MS] ?? 0) * ms;
    return total > 0 && Number.isFinite(total) ? Math.round(total) : undefined;
  } catch {
    return undefined;
  }
}

export function isValidDuration(value: unknown): value is string {
  return typeof value === 'string' && parseDuration(value) !== undefined;
}

export function durationToMs(value: string): number {
  const ms = parseDuration(value);
  if (ms === undefined) throw new Error(`'${value}' is not a positive ISO-8601 duration (e.g. P5D, PT2H).`);
  return ms;
}

export function addDuration(isoInstant: string, duration: string): string {
  return new Date(Date.parse(isoInstant) + durationToMs(duration)).toISOString();
}
