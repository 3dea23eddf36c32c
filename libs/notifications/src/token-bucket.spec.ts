import { TokenBucket } from './token-bucket';

describe('token bucket per channel', () => {
  it('starts full, takes only whole tokens and never more than asked or held', () => {
    let now = 1_000;
    const bucket = new TokenBucket(2, 3, () => now);
    expect(bucket.take(0)).toBe(0);
    expect(bucket.take(2)).toBe(2);
    expect(bucket.take(-1)).toBe(0);
    now += 250; // half a token more: 1.5 held
    expect(bucket.take(5)).toBe(1);
    expect(bucket.waitMs()).toBe(250); // 0.5 held, 2 per second: a quarter second to one
    now += 250;
    expect(bucket.waitMs()).toBe(0);
  });

  it('refills at its rate, up to the burst, and gives back no more than the burst', () => {
    let now = 0;
    const bucket = new TokenBucket(4, 2, () => now);
    expect(bucket.take(2)).toBe(2);
    expect(bucket.waitMs()).toBe(250);
    now += 1000; // 4 tokens' worth, capped at 2
    expect(bucket.take(10)).toBe(2);
    bucket.giveBack(5);
    expect(bucket.take(10)).toBe(2);
  });

  it('waits in whole milliseconds, rounded up', () => {
    let now = 0;
    const bucket = new TokenBucket(3, 1, () => now);
    expect(bucket.take(1)).toBe(1);
    expect(bucket.waitMs()).toBe(334); // a third of a second
    now += 100;
    expect(bucket.waitMs()).toBe(234);
  });

  it('reads the wall clock when given none', () => {
    const bucket = new TokenBucket(1000, 1);
    expect(bucket.take(1)).toBe(1);
    expect(bucket.waitMs()).toBeLessThanOrEqual(1);
  });

  it('has no wait while a whole token is held, however many', () => {
    const now = 1_000;
    expect(new TokenBucket(1, 5, () => now).waitMs()).toBe(0);
    expect(new TokenBucket(2, 1, () => now).waitMs()).toBe(0);
  });
});
