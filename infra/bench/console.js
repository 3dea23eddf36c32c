// Benchmark: what the console ships (JavaScript and CSS, raw and gzip) and the time to first render
// of the journey list in Chromium with N journeys in the read model (default 100,000).
//   node infra/bench/console.js [--journeys 100000] [--repeat 10]
// Starts its own runtime, sandbox, gateway and console; seeds the read model with SQL; then, per
// case, opens the list in a fresh browser context (cold: nothing cached) and reloads it (warm),
// timing from the start of navigation to the first row on screen.
const fs = require('node:fs');
const path = require('node:path');
const { root, runNode, ensureChromium } = require('../scripts/common');
const { arg, runBenchmark } = require('./harness');
const { seedJourneys } = require('./seed-journeys');

function shippedSizes() {
  const dir = path.join(root, 'dist', 'console');
  const html = fs.readFileSync(path.join(dir, 'index.html'), 'utf8');
  const size = (rel) => ({ raw: fs.statSync(path.join(dir, rel)).size, gzip: fs.statSync(path.join(dir, `${rel}.gz`)).size });
  const js = html.match(/src="\/(assets\/[^"]+\.js)"/)[1];
  const css = html.match(/href="\/(assets\/[^"]+\.css)"/)[1];
  const messages = fs.readdirSync(path.join(dir, 'messages')).filter((f) => f.endsWith('.json'));
  const perLanguage = messages.map((f) => size(`messages/${f}`));
  return { js: size(js), css: size(css), html: size('index.html'), messages: { raw: Math.max(...perLanguage.map((m) => m.raw)), gzip: Math.max(...perLanguage.map((m) => m.gzip)) } };
}

runBenchmark('console', async ({ runtime, startApp, freePort }) => {
  const journeys = arg('journeys', 100_000);
  const repeat = arg('repeat', 10);
  const chromiumPath = ensureChromium();
  const sizes = shippedSizes();
  const kb = (n) => (n / 1024).toFixed(1);
  console.log('\nWhat a browser downloads (one language):\n\n| file | raw KiB | gzip KiB |\n|---|---|---|');
  for (const [name, s] of Object.entries(sizes)) console.log(`| ${name} | ${kb(s.raw)} | ${kb(s.gzip)} |`);
  const total = Object.values(sizes).reduce((a, s) => ({ raw: a.raw + s.raw, gzip: a.gzip + s.gzip }), { raw: 0, gzip: 0 });
  console.log(`| total | ${kb(total.raw)} | ${kb(total.gzip)} |`);

  const { Client } = require(path.join(root, 'node_modules', 'pg'));
  const { chromium } = require(path.join(root, 'node_modules', 'playwright-core'));
  const env = { DATABASE_URL: runtime.databaseUrl, TEMPORAL_ADDRESS: runtime.temporalAddress };
  runNode('apps/cli/src/main.js', ['migrate'], { ...env, MIGRATION_DATABASE_URL: runtime.migrationDatabaseUrl });
  const pg = new Client({ connectionString: runtime.databaseUrl });
  await pg.connect();
  console.log(`\nseeded ${journeys} journeys in ${await seedJourneys(pg, journeys)} ms`);
  await pg.end();

  const [sandboxPort, gatewayPort, consolePort] = await Promise.all([freePort(), freePort(), freePort()]);
  const sandboxUrl = `http://127.0.0.1:${sandboxPort}`;
  const consoleUrl = `http://127.0.0.1:${consolePort}`;
  const appEnv = {
    ...env,
    SANDBOX_PORT: String(sandboxPort),
    GATEWAY_PORT: String(gatewayPort),
    CONSOLE_PORT: String(consolePort),
    CORS_ORIGINS: consoleUrl,
    OIDC_ISSUER: `${sandboxUrl}/oidc`,
    LOG_LEVEL: 'warn',
    RATE_LIMIT_PER_PRINCIPAL: '1000000/60',
    RATE_LIMIT_PER_ADDRESS: '1000000/60',
  };
  await startApp('sandbox', appEnv, `${sandboxUrl}/health`);
  await startApp('gateway', appEnv, `http://127.0.0.1:${gatewayPort}/health`);
  await startApp('console', appEnv, `${consoleUrl}/health`);
  const browser = await chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-dev-shm-usage', '--disable-gpu'] });
  try {
    const token = async (q) => (await (await fetch(`${sandboxUrl}/oidc/dev-token?${q}`)).json()).access_token;

    const cases = [
      ['caseworker: first page', 'role=caseworker&agency=municipality', '/journeys'],
      ['caseworker: needs attention', 'role=caseworker&agency=municipality', '/journeys?needsAttention=true'],
      ['caseworker: life event + status', 'role=caseworker&agency=bank', '/journeys?lifeEvent=losing-a-job&status=running'],
      ['auditor: first page', 'role=auditor', '/journeys'],
      ['auditor: by subject', 'role=auditor', '/journeys?subject=85000000042'],
    ];
    console.log(`\nTime to first render of the journey list in Chromium (navigation start to the first row on screen), ${repeat} runs each:\n`);
    console.log('| case | rows | cold p50 ms | cold max ms | warm p50 ms | warm max ms |\n|---|---|---|---|---|---|');
    for (const [name, q, url] of cases) {
      const accessToken = await token(q);
      const cold = [];
      const warm = [];
      let rows = 0;
      for (let i = 0; i < repeat; i++) {
        const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
        // Signed in already: the token is where the console keeps it for the tab.
        await context.addInitScript((t) => sessionStorage.setItem('levensloop.session', t), accessToken);
        const page = await context.newPage();
        const measure = async () => page.waitForFunction(() => document.querySelector('table.journeys tbody tr') && performance.now(), null, { polling: 'raf', timeout: 30_000 }).then((h) => h.jsonValue());
        await page.goto(`${consoleUrl}${url}`, { waitUntil: 'commit' });
        cold.push(await measure());
        rows = await page.locator('table.journeys tbody tr').count();
        await page.reload({ waitUntil: 'commit' });
        warm.push(await measure());
        await context.close();
      }
      const stat = (xs) => {
        const s = [...xs].sort((a, b) => a - b);
        return [s[Math.floor((s.length - 1) / 2)].toFixed(0), s[s.length - 1].toFixed(0)];
      };
      console.log(`| ${name} | ${rows} | ${stat(cold).join(' | ')} | ${stat(warm).join(' | ')} |`);
    }
    console.log(JSON.stringify({ bench: 'console', journeys, js: sizes.js, css: sizes.css, total }));
  } finally {
    await browser.close();
  }
});
