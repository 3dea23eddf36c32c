import type { RequestCount, RequestLimit } from '@levensloop/persistence';
import { ReservedCounts } from './reserved-counts';

/** The shared table's behaviour: one fixed window per key from its first take, counted atomically. */
class FakeTable {
  readonly counts = new Map<string, { hits: number; endsAt: number }>();
  takes = 0;
  constructor(private readonly clock: { now: number }) {}
  hit = async (name: string, limit: RequestLimit, key: string, points: number): Promise<RequestCount> => {
    this.takes++;
    await Promise.resolve();
    const id = `${name}/${key}`;
    let row = this.counts.get(id);
    if (!row || row.endsAt <= this.clock.now) this.counts.set(id, (row = { hits: 0, endsAt: this.clock.now + limit.windowSeconds * 1000 }));
    row.hits += points;
    return { hits: row.hits, msLeft: row.endsAt - this.clock.now };
  };
}

describe('ReservedCounts: request counts shared by replicas, without a round trip per request', () => {
  const limit = { limit: 1000, windowSeconds: 60 };

  it('lets exactly the limit through a busy key, with far fewer takes than requests', async () => {
    const clock = { now: 0 };
    const table = new FakeTable(clock);
    const counts = new ReservedCounts(table.hit, () => clock.now);
    const seen: number[] = [];
    for (let i = 0; i < 1200; i++) seen.push((await counts.hit('principal', limit, 'alice')).hits);
    expect(seen.filter((h) => h <= limit.limit)).toHaveLength(1000);
    // Numbered 1..1000 in order, then refused.
    expect(seen.slice(0, 1000)).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
    expect(seen.slice(1000).every((h) => h > limit.limit)).toBe(true);
    expect(table.takes).toBeLessThan(120);
    counts.close();
  });

  it('two replicas together never let more than the limit through, and refuse early by at most what they reserved', async () => {
    const clock = { now: 0 };
    const table = new FakeTable(clock);
    const replicas = [new ReservedCounts(table.hit, () => clock.now), new ReservedCounts(table.hit, () => clock.now)];
    let allowed = 0;
    for (let i = 0; i < 1500; i++) if ((await replicas[i % 2].hit('principal', limit, 'alice')).hits <= limit.limit) allowed++;
    expect(allowed).toBeLessThanOrEqual(limit.limit);
    expect(allowed).toBeGreaterThanOrEqual(limit.limit - 2 * 32);
    for (const r of replicas) r.close();
  });

  it('counts every request of a small limit in the shared table (exact), and keys apart', async () => {
    const clock = { now: 0 };
    const table = new FakeTable(clock);
    const counts = new ReservedCounts(table.hit, () => clock.now);
    const small = { limit: 5, windowSeconds: 60 };
    const hits = [];
    for (let i = 0; i < 7; i++) hits.push((await counts.hit('principal', small, 'alice')).hits);
    expect(hits.slice(0, 5)).toEqual([1, 2, 3, 4, 5]);
    expect(hits.slice(5).every((h) => h > 5)).toBe(true);
    // Under the limit every request went to the table; once over, the replica refuses on its own.
    expect(table.takes).toBe(6);
    expect((await counts.hit('principal', small, 'bob')).hits).toBe(1);
    expect((await counts.hit('address', small, 'alice')).hits).toBe(1);
    counts.close();
  });

  it('concurrent requests of one key share one take, and a new window starts afresh', async () => {
    const clock = { now: 0 };
    const table = new FakeTable(clock);
    const counts = new ReservedCounts(table.hit, () => clock.now);
    await counts.hit('principal', limit, 'alice'); // the window, and what is left of it, known
    const takes = table.takes;
    const burst = await Promise.all(Array.from({ length: 20 }, () => counts.hit('principal', limit, 'alice')));
    expect(new Set(burst.map((c) => c.hits)).size).toBe(20);
    expect(table.takes - takes).toBe(1);
    clock.now += 60_000;
    expect((await counts.hit('principal', limit, 'alice')).hits).toBe(1);
    counts.close();
  });

  it('forgets ended windows, and a failing table fails the request without keeping a window', async () => {
    const clock = { now: 0 };
    const table = new FakeTable(clock);
    let failing = false;
    const counts = new ReservedCounts((...args) => (failing ? Promise.reject(new Error('down')) : table.hit(...args)), () => clock.now);
    await counts.hit('principal', limit, 'alice');
    clock.now += 61_000;
    counts.sweep();
    failing = true;
    await expect(counts.hit('principal', limit, 'alice')).rejects.toThrow('down');
    failing = false;
    expect((await counts.hit('principal', limit, 'alice')).hits).toBe(1);
    counts.close();
  });
});
