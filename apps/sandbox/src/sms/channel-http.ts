import { timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import { problem, sendProblem } from '../http/problem';
import type { SourceBehaviour } from '../sources/behaviour';

/** What the channel receivers (SMS gateway, e-counter) share: bearer check, idempotency key, injected failures. */

const sameSecret = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

/** Answers 401 and returns false unless the request carries `Authorization: Bearer <token>`. */
export function requireBearer(req: Request, res: Response, token: string, realm: string): boolean {
  const match = /^Bearer\s+(\S+)$/i.exec(req.get('authorization') ?? '');
  if (match && sameSecret(match[1], token)) return true;
  res.set('WWW-Authenticate', `Bearer realm="${realm}"`);
  sendProblem(res, problem(401, 'unauthorized', match ? `The bearer token is not the one ${realm} accepts.` : `Send Authorization: Bearer <token> (${realm}).`));
  return false;
}

const KEY = /^[\x21-\x7e]{1,255}$/;

/** The required Idempotency-Key header, or a 400 answer and undefined. */
export function requireIdempotencyKey(req: Request, res: Response): string | undefined {
  const key = req.get('idempotency-key');
  if (key !== undefined && KEY.test(key)) return key;
  sendProblem(
    res,
    problem(400, 'idempotency-key', key === undefined ? 'The Idempotency-Key header is required: the same key again returns the first answer and sends nothing twice.' : 'The Idempotency-Key header must be 1 to 255 visible ASCII characters.'),
  );
  return undefined;
}

/** Injected latency and failures of a receiver: `{ latencyMs?, failWith?, failTimes? }`, as for the registers. */
export class InjectedFailures {
  private behaviour: SourceBehaviour | undefined;
  private timers = new Set<NodeJS.Timeout>();

  get current(): SourceBehaviour | null {
    return this.behaviour ?? null;
  }

  set(behaviour: SourceBehaviour): void {
    this.behaviour = behaviour;
  }

  clear(): void {
    this.behaviour = undefined;
  }

  /** Waits the latency, then answers the injected failure and returns true when one is due. */
  async apply(res: Response, what: string): Promise<boolean> {
    const b = this.behaviour;
    if (!b) return false;
    if (b.latencyMs) await new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        this.timers.delete(t);
        resolve();
      }, b.latencyMs);
      this.timers.add(t);
    });
    if (!b.failWith) return false;
    if (b.failTimes !== undefined) {
      b.failTimes -= 1;
      if (b.failTimes <= 0) this.behaviour = b.latencyMs ? { latencyMs: b.latencyMs } : undefined;
    }
    if (b.failWith === 429) res.set('Retry-After', '1');
    sendProblem(res, problem(b.failWith, 'injected-failure', `${what} is failing on purpose (sandbox behaviour); try again later.`));
    return true;
  }

  dispose(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }
}

/** One field's problem, with a JSON pointer into the body. */
export interface FieldError {
  pointer: string;
  detail: string;
}

export const isHttpUrl = (value: unknown): value is string => {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
};

export const isObject = (value: unknown): value is Record<string, unknown> => !!value && typeof value === 'object' && !Array.isArray(value);

/** An ISO-8601 date-time with a zone (`Z` or an offset). */
export const isDateTime = (value: unknown): value is string =>
  typeof value === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value) && !Number.isNaN(Date.parse(value));
