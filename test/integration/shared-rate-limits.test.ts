/**
 * Rates and limits shared by replicas, on real PostgreSQL: two dispatchers (two DataSources, as two
 * processes have) draw on one send budget per channel, and two gateways on one request count per
 * key; claims given back are due again at once, the attempt not counted.
 */
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { createDataSource, Deliveries, NotificationContent, RequestRateLimits, SendRateLimits } from '@levensloop/persistence';
import { ReservedCounts } from '../../apps/gateway/src/limits/reserved-counts';
import { createTestDatabase, runtimeUrlOf } from '../support/database';

jest.setTimeout(60_000);

let db: { url: string; drop: () => Promise<void> };
let replicas: DataSource[];

beforeAll(async () => {
  db = await createTestDatabase('shared_rates');
  // As the processes connect: the runtime login, one pool each.
  replicas = [createDataSource(runtimeUrlOf(db.url)), createDataSource(runtimeUrlOf(db.url))];
  await Promise.all(replicas.map((ds) => ds.initialize()));
});

afterAll(async () => {
  await Promise.all((replicas ?? []).map((ds) => ds.destroy()));
  await db?.drop();
});

test('two dispatchers share one send budget: at most the burst per window between them, then the next window', async () => {
  const rates = { email: { ratePerSecond: 4, burst: 8 } };
  const [a, b] = replicas.map((ds) => new SendRateLimits(ds, rates));
  // Both ask for more than the burst, at once and again: together they get the burst, no more.
  const takes = await Promise.all([a.take('email', 5), b.take('email', 5), a.take('email', 5), b.take('email', 5)]);
  expect(takes.reduce((sum, t) => sum + t.granted, 0)).toBe(8);
  const refused = takes.find((t) => t.granted < 5)!;
  // The window of 8 at 4/s lasts 2 s: the wait says so.
  expect(refused.retryInMs).toBeGreaterThan(0);
  expect(refused.retryInMs).toBeLessThanOrEqual(2000);
  expect((await b.take('email', 1)).granted).toBe(0);
  // A channel without a rate is not limited; another channel has its own budget.
  expect((await a.take('letter', 50)).granted).toBe(50);
  await new Promise((r) => setTimeout(r, Math.max(...takes.map((t) => t.retryInMs)) + 50));
  expect((await b.take('email', 3)).granted).toBe(3);
});

test('two gateways count one request budget per key', async () => {
  const [a, b] = replicas.map((ds) => new RequestRateLimits(ds));
  const limit = { limit: 3, windowSeconds: 60 };
  const counts = [];
  for (const gw of [a, b, a, b]) counts.push(await gw.hit('principal', limit, 'principal:alice'));
  expect(counts.map((c) => c.hits)).toEqual([1, 2, 3, 4]);
  expect(counts[3].msLeft).toBeGreaterThan(50_000);
  // Another principal, or another limit name, counts apart.
  expect((await b.hit('principal', limit, 'principal:bob')).hits).toBe(1);
  expect((await b.hit('address', limit, 'principal:alice')).hits).toBe(1);
});

test('two gateways reserving numbers of a window let exactly the limit through between them, with a take per many requests', async () => {
  const tables = replicas.map((ds) => new RequestRateLimits(ds));
  let takes = 0;
  const gateways = tables.map(
    (table) =>
      new ReservedCounts((name, limit, key, points) => {
        takes++;
        return table.hit(name, limit, key, points);
      }),
  );
  const limit = { limit: 400, windowSeconds: 60 };
  // Both gateways at once, 30 requests in flight each, 600 requests: 200 over the limit.
  let allowed = 0;
  await Promise.all(
    gateways.map(async (gw) => {
      for (let round = 0; round < 10; round++) {
        const counts = await Promise.all(Array.from({ length: 30 }, () => gw.hit('principal', limit, 'principal:carol')));
        allowed += counts.filter((c) => c.hits <= limit.limit).length;
      }
    }),
  );
  expect(allowed).toBeLessThanOrEqual(limit.limit);
  expect(allowed).toBeGreaterThanOrEqual(limit.limit - 2 * 32);
  expect(takes).toBeLessThan(150);
  // The table holds the count of every number handed out or reserved; over the limit nobody asks it again.
  const shared = await tables[0].hit('principal', limit, 'principal:carol');
  expect(shared.hits).toBeGreaterThan(limit.limit);
  for (const gw of gateways) gw.close();
});

test('claims given back are due again at once, the attempt not counted; a recorded one is not touched', async () => {
  const [ds] = replicas;
  const deliveries = new Deliveries(ds, new NotificationContent(ds));
  const notification = randomUUID();
  await ds.query(`INSERT INTO notifications (id, dedup_key, journey_id, transaction_id, category) VALUES ($1::uuid, $1::text, $2::uuid, $2::text, 'journey.started')`, [notification, randomUUID()]);
  const ids = [randomUUID(), randomUUID(), randomUUID()];
  for (const [i, id] of ids.entries()) {
    await ds.query(
      `INSERT INTO notification_deliveries (id, notification_id, recipient_type, recipient_id, relation, channel, language, status, attempts, last_error, updated_at, next_attempt_at)
       VALUES ($1, $2, 'person', $3, 'subject', 'email', 'nl', 'sending', $4, $5, now(), now() + interval '30 seconds')`,
      [id, notification, `p${i}`, i === 1 ? 2 : 1, i === 1 ? 'smtp down' : null],
    );
  }
  await ds.query(`UPDATE notification_deliveries SET sent_at = now() WHERE id = $1`, [ids[2]]);
  expect(await deliveries.release(ids.map((id, i) => ({ id, attempts: i === 1 ? 2 : 1 })))).toBe(2);
  const rows = await ds.query(`SELECT id, status, attempts, next_attempt_at <= now() AS due FROM notification_deliveries WHERE id = ANY($1)`, [ids]);
  const byId = new Map(rows.map((r: any) => [r.id, r]));
  expect(byId.get(ids[0])).toMatchObject({ status: 'queued', attempts: 0, due: true });
  expect(byId.get(ids[1])).toMatchObject({ status: 'temporary_failure', attempts: 1, due: true });
  // Sent (awaiting its report): not a claim to give back.
  expect(byId.get(ids[2])).toMatchObject({ status: 'sending', attempts: 1, due: false });
});
