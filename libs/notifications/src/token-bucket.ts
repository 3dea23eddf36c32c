/** A token bucket per channel: `ratePerSecond` sustained, up to `burst` at once. */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
  ) {
    this.tokens = burst;
    this.last = now();
  }

  private refill() {
    const t = this.now();
    this.tokens = Math.min(this.burst, this.tokens + ((t - this.last) / 1000) * this.ratePerSecond);
    this.last = t;
  }

  /** Takes up to `wanted` whole tokens now; returns how many were taken. */
  take(wanted: number): number {
    this.refill();
    const n = Math.max(0, Math.min(wanted, Math.floor(this.tokens)));
    this.tokens -= n;
    return n;
  }

  /** Gives back tokens that were taken but not used (fewer rows were due). */
  giveBack(n: number): void {
    this.tokens = Math.min(this.burst, this.tokens + n);
  }

  /** Milliseconds until one token is available. */
  waitMs(): number {
    this.refill();
    return this.tokens >= 1 ? 0 : Math.ceil(((1 - this.tokens) / this.ratePerSecond) * 1000);
  }
}
