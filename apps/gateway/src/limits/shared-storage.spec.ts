import { SharedThrottlerStorage, type RequestCounter } from './shared-storage';

describe('SharedThrottlerStorage: counts shared by every gateway replica', () => {
  const counted: string[] = [];
  const limits = { hit: async (_name: string, _limit: unknown, key: string) => (counted.push(key), { hits: 3, msLeft: 1500 }) } as RequestCounter;

  it('stores a keyed hash of the address or subject, never the value, the same for the same key', async () => {
    const storage = new SharedThrottlerStorage(limits, 'a-pseudonym-key-of-enough-length-0123456789');
    await storage.increment('address:203.0.113.7', 60_000, 10, 0, 'address');
    await storage.increment('principal:85073003328', 60_000, 10, 0, 'principal');
    await storage.increment('address:203.0.113.7', 60_000, 10, 0, 'address');
    expect(counted.join(' ')).not.toMatch(/203\.0\.113\.7|85073003328/);
    expect(counted[0]).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(counted[2]).toBe(counted[0]);
    expect(counted[1]).not.toBe(counted[0]);
    const other = new SharedThrottlerStorage(limits, 'another-pseudonym-key-of-enough-length-987');
    await other.increment('address:203.0.113.7', 60_000, 10, 0, 'address');
    expect(counted[3]).not.toBe(counted[0]);
  });

  it('answers the throttler from the shared count: blocked once over the limit, until the window ends', async () => {
    const storage = new SharedThrottlerStorage(limits, 'a-pseudonym-key-of-enough-length-0123456789');
    expect(await storage.increment('address:x', 60_000, 2, 0, 'address')).toEqual({ totalHits: 3, timeToExpire: 2, isBlocked: true, timeToBlockExpire: 2 });
    expect(await storage.increment('address:x', 60_000, 3, 0, 'address')).toEqual({ totalHits: 3, timeToExpire: 2, isBlocked: false, timeToBlockExpire: 0 });
  });
});
