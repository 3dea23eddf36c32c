import { RateLimiterPostgres, RateLimiterRes } from 'rate-limiter-flexible';
import type { DataSource } from 'typeorm';

/** A send rate: `ratePerSecond` sustained, at most `burst` in one window. */
export interface SendRate {
  ratePerSecond: number;
  burst: number;
}

/** What a take was granted, and when the key has room again if it was not granted all. */
export interface Granted {
  granted: number;
  /** Milliseconds until the key's window ends (0 when all was granted). */
  retryInMs: number;
}

/**
 * A fixed-window limiter in PostgreSQL (rate-limiter-flexible's store: one atomic upsert per take),
 * shared by every process on the same database. `n` wanted; what is over the window's points is
 * refused. The refused part stays counted until the window ends, which only holds back what is
 * already over the limit.
 */
async function takeUpTo(limiter: RateLimiterPostgres, key: string, n: number): Promise<Granted> {
  try {
    await limiter.consume(key, n);
    return { granted: n, retryInMs: 0 };
  } catch (err) {
    if (!(err instanceof RateLimiterRes)) throw err;
    const before = err.consumedPoints - n;
    return { granted: Math.max(0, Math.min(n, limiter.points - before)), retryInMs: Math.max(1, err.msBeforeNext) };
  }
}

/**
 * `send_rate_limits`: the dispatchers' send rate per channel (and the dossier-status push), one
 * budget for all dispatchers. A key's window lasts `burst / ratePerSecond` seconds and holds
 * `burst` sends: the rate is kept on average, and at most `burst` go out at once (two at the seam of
 * two windows).
 */
export class SendRateLimits {
  private readonly limiters = new Map<string, RateLimiterPostgres>();

  constructor(ds: DataSource, rates: Readonly<Record<string, SendRate>>) {
    for (const [key, rate] of Object.entries(rates)) {
      this.limiters.set(
        key,
        new RateLimiterPostgres({
          // Through the DataSource's pool, looked up at each take (the DataSource connects later).
          storeClient: ds,
          storeType: 'typeorm',
          tableName: 'send_rate_limits',
          tableCreated: true,
          clearExpiredByTimeout: false,
          keyPrefix: 'send',
          points: rate.burst,
          duration: rate.burst / rate.ratePerSecond,
        }),
      );
    }
  }

  /** Up to `n` sends on `key` now (a key without a rate: all of them). */
  take(key: string, n: number): Promise<Granted> {
    const limiter = this.limiters.get(key);
    if (!limiter || n <= 0) return Promise.resolve({ granted: Math.max(0, n), retryInMs: 0 });
    return takeUpTo(limiter, key, n);
  }
}

/** A request limit: at most `limit` in `windowSeconds`. */
export interface RequestLimit {
  limit: number;
  windowSeconds: number;
}

/** What one counted request saw. */
export interface RequestCount {
  /** Requests counted in the key's window, this one included. */
  hits: number;
  /** Milliseconds until the key's window ends. */
  msLeft: number;
}

/**
 * `request_rate_limits`: the gateways' request limits (per address, per principal), one count for
 * every replica. Each key's window is fixed from its first request; expired rows are cleared hourly.
 */
export class RequestRateLimits {
  private readonly limiters = new Map<string, RateLimiterPostgres>();

  constructor(
    private readonly ds: DataSource,
  ) {}

  /**
   * Counts `points` requests against `key` under the named limit (one atomic upsert); `hits` is the
   * key's count in its window after this, these included.
   */
  async hit(name: string, limit: RequestLimit, key: string, points = 1): Promise<RequestCount> {
    const limiter = this.limiterFor(name, limit);
    try {
      const res = await limiter.consume(key, points);
      return { hits: res.consumedPoints, msLeft: res.msBeforeNext };
    } catch (err) {
      if (!(err instanceof RateLimiterRes)) throw err;
      return { hits: err.consumedPoints, msLeft: err.msBeforeNext };
    }
  }

  private limiterFor(name: string, limit: RequestLimit): RateLimiterPostgres {
    const id = `${name}:${limit.limit}:${limit.windowSeconds}`;
    let limiter = this.limiters.get(id);
    if (!limiter) {
      limiter = new RateLimiterPostgres({
        storeClient: this.ds,
        storeType: 'typeorm',
        tableName: 'request_rate_limits',
        tableCreated: true,
        keyPrefix: name,
        points: limit.limit,
        duration: limit.windowSeconds,
      });
      this.limiters.set(id, limiter);
    }
    return limiter;
  }
}
