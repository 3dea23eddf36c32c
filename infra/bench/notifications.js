// Benchmark: the notification dispatcher as its own process against the sandbox's far ends
// (SMTP sink, e-counter) over real SMTP and HTTP. Starts its own runtime; prints figures.
//   node infra/bench/notifications.js [--batch 2000] [--rate 50] [--seconds 20]
// 1. batch: N notifications waiting (contact details already known), then the dispatcher starts:
//    notifications and deliveries per second until every delivery is delivered.
// 2. steady: notifications written at R per second (with the projection's pg_notify) for S seconds:
//    delay from the state change (notification created) to delivery, p50 / p99.
const path = require('node:path');
const os = require('node:os');
const { root, runNode } = require('../scripts/common');
const { arg, runBenchmark } = require('./harness');

async function seed(pg, from, count) {
  // One journey, one person (with a known e-mail address) and one notification each, as the projection writes them.
  await pg.query(
    `WITH s AS (SELECT i, md5('bench' || i)::uuid AS id, lpad((80000000000 + i)::text, 11, '0') AS nn FROM generate_series($1::int, $2::int) AS i),
     j AS (INSERT INTO journeys (id, idempotency_key, life_event_key, life_event_version, title, subject_type, subject_id, status, agencies, started_at, started_by, data, projection_seq, updated_at)
           SELECT id, 'bench:' || i, 'birth-of-a-child', 1, '{"nl":"Geboorte van een kind","en":"Birth of a child"}', 'person', nn, 'running', ARRAY['bench'], now(), 'bench', '{}', 1, now() FROM s),
     c AS (INSERT INTO contact_preferences (subject_type, subject_id, prefilled)
           SELECT 'person', nn, jsonb_build_object('email', 'p' || i || '@bench.example', 'language', 'nl', 'name', 'Bench ' || i) FROM s ON CONFLICT DO NOTHING)
     INSERT INTO notifications (id, dedup_key, journey_id, transaction_id, category, data)
     SELECT gen_random_uuid(), id::text || '/1', id, id::text, 'journey.started', '{}' FROM s`,
    [from, from + count - 1],
  );
}

runBenchmark('notify', async ({ runtime, startApp, freePort }) => {
  const batch = arg('batch', 2000);
  const rate = arg('rate', 50);
  const seconds = arg('seconds', 20);
  const { Client } = require(path.join(root, 'node_modules', 'pg'));
  const pg = new Client({ connectionString: runtime.databaseUrl });
  try {
    const [sandboxPort, smtpPort, dispatcherPort] = await Promise.all([freePort(), freePort(), freePort()]);
    const sandboxUrl = `http://127.0.0.1:${sandboxPort}`;
    const env = {
      DATABASE_URL: runtime.databaseUrl,
      TEMPORAL_ADDRESS: runtime.temporalAddress,
      OIDC_ISSUER: `${sandboxUrl}/oidc`,
      SANDBOX_PORT: String(sandboxPort),
      SANDBOX_SMTP_PORT: String(smtpPort),
      SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
      ECOUNTER_URL: `${sandboxUrl}/ecounter`,
      ECOUNTER_TOKEN: 'sandbox-ecounter-token',
      SOURCES_URL: `${sandboxUrl}/sources`,
      SOURCES_TOKEN: 'sandbox-sources-token',
      DISPATCHER_PORT: String(dispatcherPort),
      DISPATCHER_BATCH: '200',
      RATE_EMAIL: '10000/10000',
      RATE_ECOUNTER: '10000/10000',
      LOG_LEVEL: 'warn',
    };
    runNode('apps/cli/src/main.js', ['migrate'], { ...env, MIGRATION_DATABASE_URL: runtime.migrationDatabaseUrl });
    await pg.connect();
    await startApp('sandbox', env, `${sandboxUrl}/health`);

    await seed(pg, 1, batch);
    let t = Date.now();
    await startApp('dispatcher', env, `http://127.0.0.1:${dispatcherPort}/health`);
    for (;;) {
      const { rows: [r] } = await pg.query(`SELECT count(*)::int AS n, count(*) FILTER (WHERE status = 'delivered')::int AS done FROM notification_deliveries`);
      if (r.n === batch * 2 && r.done === r.n) break;
      await new Promise((res) => setTimeout(res, 100));
    }
    const batchSeconds = (Date.now() - t) / 1000;

    // Steady: R notifications per second, each with the wake-up the projection sends.
    const before = new Date();
    let next = batch + 1;
    t = Date.now();
    while (Date.now() - t < seconds * 1000) {
      const tick = Date.now();
      const n = Math.max(1, Math.round(rate / 10));
      await seed(pg, next, n);
      await pg.query(`SELECT pg_notify('levensloop_outbox', 'bench')`);
      next += n;
      await new Promise((res) => setTimeout(res, Math.max(0, 100 - (Date.now() - tick))));
    }
    const steadyCount = next - batch - 1;
    for (;;) {
      const { rows: [r] } = await pg.query(`SELECT count(*) FILTER (WHERE status <> 'delivered')::int AS open FROM notification_deliveries`);
      if (r.open === 0) break;
      await new Promise((res) => setTimeout(res, 100));
    }
    const { rows: [steady] } = await pg.query(
      `SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY ms) AS p50, percentile_cont(0.99) WITHIN GROUP (ORDER BY ms) AS p99, count(*)::int AS n
         FROM (SELECT extract(epoch FROM d.delivered_at - n.created_at) * 1000 AS ms FROM notification_deliveries d JOIN notifications n ON n.id = d.notification_id WHERE n.created_at >= $1) x`,
      [before],
    );
    const metrics = await (await fetch(`http://127.0.0.1:${dispatcherPort}/metrics`)).text();
    const rss = JSON.parse(await (await fetch(`http://127.0.0.1:${dispatcherPort}/health`)).text()).memoryRss;
    const figures = {
      batchNotifications: batch,
      batchSeconds: Number(batchSeconds.toFixed(2)),
      batchNotificationsPerSecond: Number((batch / batchSeconds).toFixed(1)),
      batchDeliveriesPerSecond: Number(((batch * 2) / batchSeconds).toFixed(1)),
      steadyRate: rate,
      steadyNotifications: steadyCount,
      steadyDelayP50Ms: Number(Number(steady.p50).toFixed(1)),
      steadyDelayP99Ms: Number(Number(steady.p99).toFixed(1)),
      dispatcherRssMiB: Math.round(rss / 1048576),
    };
    console.log(`\nDispatcher (own process) → sandbox SMTP sink and e-counter, e-counter + e-mail per notification, ${os.cpus().length} cores\n`);
    console.log(`| figure | value |\n|---|---|`);
    console.log(`| batch of ${batch}: notifications/s | ${figures.batchNotificationsPerSecond} |`);
    console.log(`| batch of ${batch}: deliveries/s | ${figures.batchDeliveriesPerSecond} |`);
    console.log(`| steady ${rate}/s for ${seconds} s: delay state change → delivered, p50 / p99 | ${figures.steadyDelayP50Ms} ms / ${figures.steadyDelayP99Ms} ms |`);
    console.log(`| dispatcher resident memory | ${figures.dispatcherRssMiB} MiB |`);
    const sends = metrics.split('\n').filter((l) => l.startsWith('levensloop_dispatcher_sends_total'));
    console.log(`\n${sends.join('\n')}`);
    console.log(JSON.stringify(figures));
  } finally {
    await pg.end().catch(() => undefined);
  }
});
