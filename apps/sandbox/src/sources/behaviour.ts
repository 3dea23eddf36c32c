import { MAX_LATENCY_MS } from '../agencies/behaviour';

/** How a simulated register behaves: slow, down, or throttling. */
export interface SourceBehaviour {
  latencyMs?: number;
  /** The status of injected failures. */
  failWith?: 503 | 500 | 429;
  /** Only the next n reads fail; without it, every read fails until the behaviour is deleted. */
  failTimes?: number;
}

export const FAILURE_STATUSES = [503, 500, 429] as const;
const FIELDS = ['latencyMs', 'failWith', 'failTimes'] as const;
const isInt = (v: unknown, min: number, max: number) => Number.isInteger(v) && (v as number) >= min && (v as number) <= max;

export type SourceBehaviourParse = { ok: true; behaviour: SourceBehaviour } | { ok: false; errors: string[] };

/** Validates a `PUT /_sandbox/sources/:source/behaviour` body; unknown fields are typos, so refused. */
export function parseSourceBehaviour(input: unknown): SourceBehaviourParse {
  if (!input || typeof input !== 'object' || Array.isArray(input)) {
    return { ok: false, errors: ['The body must be a JSON object { latencyMs?, failWith?: 503 | 500 | 429, failTimes? }.'] };
  }
  const body = input as Record<string, unknown>;
  const errors: string[] = [];
  for (const key of Object.keys(body)) {
    if (!(FIELDS as readonly string[]).includes(key)) errors.push(`Unknown field "${key}"; use ${FIELDS.join(', ')}.`);
  }
  if (body.latencyMs !== undefined && !isInt(body.latencyMs, 0, MAX_LATENCY_MS)) errors.push(`latencyMs must be an integer from 0 to ${MAX_LATENCY_MS}.`);
  if (body.failWith !== undefined && !(FAILURE_STATUSES as readonly unknown[]).includes(body.failWith)) errors.push(`failWith must be one of ${FAILURE_STATUSES.join(', ')}.`);
  if (body.failTimes !== undefined && !isInt(body.failTimes, 1, 1_000_000)) errors.push('failTimes must be an integer from 1 to 1000000.');
  if (errors.length) return { ok: false, errors };
  const behaviour: SourceBehaviour = {};
  if (body.latencyMs !== undefined) behaviour.latencyMs = body.latencyMs as number;
  // failTimes alone means "fail n times", with the usual outage status.
  if (body.failWith !== undefined || body.failTimes !== undefined) behaviour.failWith = (body.failWith as SourceBehaviour['failWith']) ?? 503;
  if (body.failTimes !== undefined) behaviour.failTimes = body.failTimes as number;
  return { ok: true, behaviour };
}
