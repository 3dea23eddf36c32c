// Benchmark: the caseworker journey list on N journeys (default 100,000). Starts its own runtime
// and gateway, seeds the read model with SQL, then times list queries over HTTP.
//   node infra/bench/journey-list.js [--journeys 100000] [--repeat 20]
const path = require('node:path');
const { root, runNode } = require('../scripts/common');
const { arg, runBenchmark } = require('./harness');
const { seedJourneys } = require('./seed-journeys');

runBenchmark('list', async ({ runtime, startApp, freePort }) => {
  const journeys = arg('journeys', 100_000);
  const repeat = arg('repeat', 20);
  const { Client } = require(path.join(root, 'node_modules', 'pg'));
  const env = { DATABASE_URL: runtime.databaseUrl, TEMPORAL_ADDRESS: runtime.temporalAddress };
  runNode('apps/cli/src/main.js', ['migrate'], { ...env, MIGRATION_DATABASE_URL: runtime.migrationDatabaseUrl });
  const pg = new Client({ connectionString: runtime.databaseUrl });
  await pg.connect();
  let t;
  console.log(`seeded ${journeys} journeys in ${await seedJourneys(pg, journeys)} ms`);
  await pg.end();

  const [sandboxPort, gatewayPort] = await Promise.all([freePort(), freePort()]);
  const sandboxUrl = `http://127.0.0.1:${sandboxPort}`;
  const appEnv = { ...env, SANDBOX_PORT: String(sandboxPort), GATEWAY_PORT: String(gatewayPort), OIDC_ISSUER: `${sandboxUrl}/oidc`, LOG_LEVEL: 'warn', RATE_LIMIT_PER_PRINCIPAL: '1000000/60', RATE_LIMIT_PER_ADDRESS: '1000000/60' };
  await startApp('sandbox', appEnv, `${sandboxUrl}/health`);
  await startApp('gateway', appEnv, `http://127.0.0.1:${gatewayPort}/health`);
  const token = async (q) => (await (await fetch(`${sandboxUrl}/oidc/dev-token?${q}`)).json()).access_token;
  const cases = [
    ['caseworker: first page', 'role=caseworker&agency=municipality', '/journeys?limit=50'],
    ['caseworker: needs attention', 'role=caseworker&agency=municipality', '/journeys?needsAttention=true'],
    ['caseworker: overdue', 'role=caseworker&agency=federal-finance', '/journeys?overdue=true'],
    ['auditor: life event + status', 'role=auditor', '/journeys?lifeEvent=birth-of-a-child&status=running'],
    // The console's filters combined with the caseworker's own agency, matching nothing: no early stop.
    ['caseworker: filter matching nothing', 'role=caseworker&agency=municipality', '/journeys?lifeEvent=losing-a-job'],
    ['caseworker: other agency + status', 'role=caseworker&agency=municipality', '/journeys?agency=bank&status=completed'],
    ['auditor: by subject', 'role=auditor', '/journeys?subject=85000000042'],
    ['auditor: page 200 deep (cursor)', 'role=auditor', 'DEEP'],
  ];
  console.log(`\n| query | p50 ms | p95 ms | max ms |\n|---|---|---|---|`);
  for (const [name, q, url] of cases) {
    const auth = { authorization: `Bearer ${await token(q)}` };
    let target = url;
    if (url === 'DEEP') {
      let cursor;
      for (let page = 0; page < 200; page++) {
        const body = await (await fetch(`http://127.0.0.1:${gatewayPort}/journeys?limit=50${cursor ? `&cursor=${cursor}` : ''}`, { headers: auth })).json();
        cursor = body.nextCursor;
      }
      target = `/journeys?limit=50&cursor=${cursor}`;
    }
    const times = [];
    for (let i = 0; i < repeat + 3; i++) {
      t = performance.now();
      const res = await fetch(`http://127.0.0.1:${gatewayPort}${target}`, { headers: auth });
      await res.json();
      if (!res.ok) throw new Error(`${name}: HTTP ${res.status}`);
      if (i >= 3) times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    const pct = (p) => times[Math.min(times.length - 1, Math.floor(p * times.length))].toFixed(1);
    console.log(`| ${name} | ${pct(0.5)} | ${pct(0.95)} | ${times[times.length - 1].toFixed(1)} |`);
  }
});
