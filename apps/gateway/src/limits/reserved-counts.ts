import type { RequestCount, RequestLimit } from '@levensloop/persistence';

/** Counts `points` requests against a key in the shared store; `hits` is the count after them. */
export type SharedHit = (name: string, limit: RequestLimit, key: string, points: number) => Promise<RequestCount>;

/** What this replica holds of one key's window. */
interface Window {
  /** The next request's number in the window, and the last number reserved for this replica. */
  next: number;
  last: number;
  endsAt: number;
  /** The shared count after the last take (> limit: refused until the window ends). */
  shared: number;
  /** A take under way: requests of the same key wait for it instead of making their own. */
  taking?: Promise<void>;
}

/** Reserve at most this many numbers at once, and at most this share of what the window has left. */
const MAX_RESERVED = 32;
const SHARE_OF_REST = 1 / 16;
/** Windows kept at most; beyond this, keys are counted one by one (nothing is reserved). */
const MAX_WINDOWS = 50_000;

/**
 * Request counts shared by every gateway replica, without one database round trip per request: a
 * replica takes a few numbers of a key's window at once (a sixteenth of what the window has left,
 * at most 32) and hands them out locally. Far from the limit a busy key costs one upsert per ~32
 * requests; near it the reservation shrinks to one, so the limit is exact where it matters. Every
 * request let through holds a number the shared store counted, so all replicas together never let
 * more than the limit through; numbers a replica reserved and did not use lapse with the window
 * (they can only refuse early, by at most 32 per replica and key). Once a key is over its limit,
 * its requests are refused here until the window ends, without asking the store again.
 */
export class ReservedCounts {
  private readonly windows = new Map<string, Window>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(
    private readonly take: SharedHit,
    private readonly now: () => number = Date.now,
    sweepEveryMs = 30_000,
  ) {
    this.sweeper = setInterval(() => this.sweep(), sweepEveryMs);
    this.sweeper.unref();
  }

  async hit(name: string, limit: RequestLimit, key: string): Promise<RequestCount> {
    const id = `${name}\u0000${limit.limit}\u0000${limit.windowSeconds}\u0000${key}`;
    for (;;) {
      let window = this.windows.get(id);
      if (window && window.endsAt <= this.now() && !window.taking) {
        this.windows.delete(id);
        window = undefined;
      }
      if (window?.taking) {
        await window.taking;
        continue;
      }
      if (window && window.next <= window.last) return { hits: window.next++, msLeft: window.endsAt - this.now() };
      if (window && window.shared > limit.limit) return { hits: window.shared + 1, msLeft: window.endsAt - this.now() };
      return this.takeMore(id, name, limit, key, window);
    }
  }

  /** One trip to the shared store: this request's number, and a few more for the next ones. */
  private async takeMore(id: string, name: string, limit: RequestLimit, key: string, window: Window | undefined): Promise<RequestCount> {
    const rest = window ? limit.limit - window.shared : 0;
    const points = Math.max(1, Math.min(MAX_RESERVED, Math.floor(rest * SHARE_OF_REST)));
    const keep = window ?? (this.windows.size < MAX_WINDOWS ? { next: 1, last: 0, endsAt: 0, shared: 0 } : undefined);
    if (keep && !window) this.windows.set(id, keep);
    let settle!: () => void;
    if (keep) keep.taking = new Promise<void>((resolve) => (settle = resolve));
    try {
      const { hits, msLeft } = await this.take(name, limit, key, points);
      const first = hits - points + 1;
      if (keep) {
        // Numbers beyond the limit are not this replica's to hand out.
        keep.next = first + 1;
        keep.last = Math.min(hits, limit.limit);
        keep.shared = hits;
        keep.endsAt = this.now() + msLeft;
      }
      return { hits: first > limit.limit ? hits : first, msLeft };
    } catch (err) {
      if (keep && !window) this.windows.delete(id);
      throw err;
    } finally {
      if (keep) {
        delete keep.taking;
        settle();
      }
    }
  }

  /** Forgets windows that ended (a key seen once must not stay in memory). */
  sweep(): void {
    const now = this.now();
    for (const [id, window] of this.windows) if (window.endsAt <= now && !window.taking) this.windows.delete(id);
  }

  close(): void {
    clearInterval(this.sweeper);
  }
}
