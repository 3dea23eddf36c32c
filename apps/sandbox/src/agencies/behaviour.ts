/** How a simulated agency service behaves: injected failures and latency. */
export interface Behaviour {
  /** The next n calls fail with `status`; then calls succeed again. */
  failTimes?: number;
  /** Every call fails with `status` until the behaviour is deleted (the agency recovers). */
  failPermanently?: boolean;
  /** Delay before every answer (success, replay or failure), in milliseconds. */
  latencyMs?: number;
  /** The status of injected failures; 503 unless given. */
  status?: number;
  /**
   * Every call is answered with a redirect to this URL (status `redirectStatus`, 302 unless given)
   * until the behaviour is deleted: an endpoint that tries to send the engine elsewhere.
   */
  redirectTo?: string;
  redirectStatus?: number;
}

export const DEFAULT_FAILURE_STATUS = 503;
export const MAX_LATENCY_MS = 600_000;
const FIELDS = ['failTimes', 'failPermanently', 'latencyMs', 'status', 'redirectTo', 'redirectStatus'] as const;
const REDIRECT_STATUSES = [301, 302, 303, 307, 308];

export type BehaviourParse = { ok: true; behaviour: Behaviour } | { ok: false; errors: string[] };

const isInt = (v: unknown, min: number, max: number) => Number.isInteger(v) && (v as number) >= min && (v as number) <= max;

/** Validates a `PUT /_sandbox/behaviour/:agency/:service` body; unknown fields are typos, so refused. */
export function parseBehaviour(input: unknown): BehaviourParse {
  if (!input || typeof input !== 'object' || Array.isArray(input)) {
    return { ok: false, errors: ['The body must be a JSON object { failTimes?, failPermanently?, latencyMs?, status?, redirectTo?, redirectStatus? }.'] };
  }
  const body = input as Record<string, unknown>;
  const errors: string[] = [];
  for (const key of Object.keys(body)) {
    if (!(FIELDS as readonly string[]).includes(key)) errors.push(`Unknown field "${key}"; use ${FIELDS.join(', ')}.`);
  }
  if (body.failTimes !== undefined && !isInt(body.failTimes, 0, 1_000_000)) errors.push('failTimes must be an integer from 0 to 1000000.');
  if (body.failPermanently !== undefined && typeof body.failPermanently !== 'boolean') errors.push('failPermanently must be true or false.');
  if (body.latencyMs !== undefined && !isInt(body.latencyMs, 0, MAX_LATENCY_MS)) errors.push(`latencyMs must be an integer from 0 to ${MAX_LATENCY_MS}.`);
  if (body.status !== undefined && !isInt(body.status, 400, 599)) errors.push('status must be an HTTP error status from 400 to 599.');
  if (body.redirectTo !== undefined && (typeof body.redirectTo !== 'string' || !/^https?:\/\/\S+$/.test(body.redirectTo))) errors.push('redirectTo must be an absolute http(s) URL.');
  if (body.redirectStatus !== undefined && !REDIRECT_STATUSES.includes(body.redirectStatus as number)) errors.push(`redirectStatus must be one of ${REDIRECT_STATUSES.join(', ')}.`);
  if (body.redirectStatus !== undefined && body.redirectTo === undefined) errors.push('redirectStatus needs redirectTo.');
  if (errors.length) return { ok: false, errors };
  const behaviour: Behaviour = {};
  for (const key of FIELDS) if (body[key] !== undefined) (behaviour as Record<string, unknown>)[key] = body[key];
  return { ok: true, behaviour };
}
