import { createHmac } from 'node:crypto';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { RequestCount, RequestLimit } from '@levensloop/persistence';

/** Where requests are counted: `ReservedCounts` over the shared table. */
export interface RequestCounter {
  hit(name: string, limit: RequestLimit, key: string): Promise<RequestCount>;
}

type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * The throttler's counts in PostgreSQL (`request_rate_limits`), so every gateway replica counts
 * against one budget per address and per principal: a fixed window per key from its first request
 * (the library's memory store slides), a refusal waits until that window ends. Counted through
 * `ReservedCounts`, so a busy key does not cost a database round trip per request.
 */
export class SharedThrottlerStorage implements ThrottlerStorage {
  /** pseudonymKey: LOG_PSEUDONYM_KEY; the keys (a client address, a token's subject) are stored as its HMAC only. */
  constructor(
    private readonly limits: RequestCounter,
    private readonly pseudonymKey: string,
  ) {}

  async increment(key: string, ttl: number, limit: number, _blockDuration: number, throttlerName: string): Promise<ThrottlerStorageRecord> {
    // An address or a subject is personal data: the shared table holds a keyed hash, never the value.
    const stored = createHmac('sha256', this.pseudonymKey).update(key).digest('base64url');
    const { hits, msLeft } = await this.limits.hit(throttlerName, { limit, windowSeconds: ttl / 1000 }, stored);
    const seconds = Math.max(1, Math.ceil(msLeft / 1000));
    const isBlocked = hits > limit;
    return { totalHits: hits, timeToExpire: seconds, isBlocked, timeToBlockExpire: isBlocked ? seconds : 0 };
  }
}
