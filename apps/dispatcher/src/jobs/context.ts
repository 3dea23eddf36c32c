import type { Logger } from 'pino';
import type { NotificationsConfig } from '@levensloop/config';
import { TokenBucket } from '@levensloop/notifications';
import type { SendRateLimits } from '@levensloop/persistence';
import type { Metrics } from '../metrics';

/**
 * This process's token buckets of the channels and of the dossier-status push (RATE_<KEY>), and
 * how long until one that ran out has a token again (the loop sleeps no longer than that). They
 * keep one dispatcher from claiming more than the rate; the rate shared by all dispatchers is
 * `SendRateLimits` (JobContext.grant), whose full window pauses a key here.
 */
export class Rates {
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly pausedUntil = new Map<string, number>();
  waitMs = Infinity;

  constructor(rates: NotificationsConfig['rates']) {
    for (const [key, r] of Object.entries(rates)) this.buckets.set(key, new TokenBucket(r.ratePerSecond, r.burst));
  }

  /** Up to `wanted` tokens (0: over the rate; the wait is noted). */
  take(key: string, wanted: number): number {
    const paused = (this.pausedUntil.get(key) ?? 0) - Date.now();
    if (paused > 0) {
      this.waitMs = Math.min(this.waitMs, paused);
      return 0;
    }
    const bucket = this.buckets.get(key);
    if (!bucket) return wanted;
    const tokens = bucket.take(wanted);
    if (!tokens) this.waitMs = Math.min(this.waitMs, bucket.waitMs());
    return tokens;
  }

  giveBack(key: string, unused: number) {
    this.buckets.get(key)?.giveBack(unused);
  }

  /** The shared window of `key` is full for `ms` more: no claims of it until then. */
  pause(key: string, ms: number) {
    this.pausedUntil.set(key, Date.now() + ms);
    this.waitMs = Math.min(this.waitMs, ms);
  }
}

/** What every job shares: the configuration, the log, the metrics, the rates. */
export class JobContext {
  metrics?: Metrics;
  readonly rates: Rates;
  /** The send rates every dispatcher shares (in PostgreSQL); unset: only this process's buckets. */
  shared?: SendRateLimits;
  /** The dispatcher is stopping: claimed sends not started yet are given back, not sent. */
  stopping = false;

  constructor(
    readonly n: NotificationsConfig,
    readonly logger: Logger,
    /** Test hook (DISPATCHER_TEST_EXIT_AFTER_SEND): exit right after a send of this channel (`status`, `any`), before recording it. */
    readonly exitAfterSend?: string,
  ) {
    this.rates = new Rates(n.rates);
  }

  /** Of `n` sends claimed on `key`, how many may go now under the shared rate (the rest waits for the next window). */
  async grant(key: string, n: number): Promise<number> {
    if (!this.shared || !n) return n;
    const { granted, retryInMs } = await this.shared.take(key, n);
    if (granted < n) this.rates.pause(key, retryInMs);
    return granted;
  }

  /** The retry delay after `attempts` attempts: doubled per attempt up to the maximum. */
  backoffMs(attempts: number): number {
    return Math.min(this.n.backoffMaxMs, this.n.backoffMs * 2 ** Math.max(0, attempts - 1));
  }

  /** Counts a send's outcome, and the delay from the state change for what was delivered. */
  observe(channel: string, result: string, since?: Date) {
    this.metrics?.outcomes.inc({ channel, result });
    if (since && result === 'delivered') this.metrics?.delay.observe({ channel }, (Date.now() - new Date(since).getTime()) / 1000);
  }

  /** The test hook's crash: sent, not recorded (the lease brings it back). */
  exitAfter(detail: string): never {
    process.stderr.write(`exiting after ${detail} (DISPATCHER_TEST_EXIT_AFTER_SEND)\n`);
    process.exit(86);
  }
}

/** Runs `work` over `items`, at most `limit` at a time. */
export async function runLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  });
  await Promise.all(lanes);
}
