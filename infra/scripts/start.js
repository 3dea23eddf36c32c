// `npm start`: the whole platform with demo data. Installs and builds what is missing, starts
// Temporal and PostgreSQL (embedded unless TEMPORAL_ADDRESS / DATABASE_URL are set), migrates,
// starts sandbox, worker and gateway, loads the example catalog, and stops it all on Ctrl-C.
// A process that dies is started again after a backoff (1 s doubling to 30 s), saying so.
const crypto = require('node:crypto');
const path = require('node:path');
const { root, ensureInstall, build, requireBuilt, runNode } = require('./common');
const { banner } = require('./banner');
const { seedDemoJourneys } = require('./demo');

// The example catalog's agencies whose automatic steps call the sandbox.
const DEMO_AGENCIES = ['enterprise-counter', 'federal-finance', 'startup-support', 'health-insurer', 'childcare'];

async function main() {
  const started = Date.now();
  ensureInstall();
  build();
  const { startRuntime, superviseNodeProcess } = requireBuilt('libs/runtime/src/index.js');
  const dataDir = process.env.LEVENSLOOP_DATA_DIR || path.join(root, '.runtime', 'data');
  // The dev server's Web UI shows payloads decrypted through the gateway's codec server, at a
  // secret path (the Web UI of the dev server sends no token); fresh for every start.
  const gatewayPort = process.env.GATEWAY_PORT || '3000';
  const codecSecret = process.env.TEMPORAL_CODEC_SERVER_SECRET || crypto.randomBytes(24).toString('hex');
  const uiCodecEndpoint = `http://127.0.0.1:${gatewayPort}/codec/${codecSecret}`;
  const runtime = await startRuntime({ projectRoot: root, dataDir, uiCodecEndpoint });
  const processes = [];
  let stopping = false;
  const stop = async (code) => {
    if (stopping) return;
    stopping = true;
    console.error('\n[start] stopping console, gateway, dispatcher, worker and sandbox, then Temporal and PostgreSQL');
    // Ctrl-C reaches the children too: none of them is restarted from here on.
    for (const p of processes) p.stopRestarting();
    for (const p of processes.reverse()) await p.stop();
    await runtime.stop();
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(0));
  process.on('SIGTERM', () => void stop(0));

  try {
    const sandboxPort = process.env.SANDBOX_PORT || '3100';
    const workerPort = process.env.WORKER_PORT || '3001';
    const dispatcherPort = process.env.DISPATCHER_PORT || '3002';
    const consolePort = process.env.CONSOLE_PORT || '3200';
    const consoleUrl = `http://127.0.0.1:${consolePort}`;
    const smtpPort = process.env.SANDBOX_SMTP_PORT || '2525';
    const sandboxUrl = `http://127.0.0.1:${sandboxPort}`;
    // The sandbox accepts the same secrets the engine sends (one variable overrides both ends).
    const smsToken = process.env.SMS_GATEWAY_TOKEN || 'sandbox-sms-token';
    const smsSecret = process.env.SMS_CALLBACK_SECRET || 'sandbox-sms-secret';
    const ecounterToken = process.env.ECOUNTER_TOKEN || 'sandbox-ecounter-token';
    // The mail side's bounce reports: a key of this run (no default secret to slip into production).
    const mailSecret = process.env.EMAIL_CALLBACK_SECRET || crypto.randomBytes(32).toString('hex');
    // The sandbox's payment provider signs its webhooks with a key of this run too.
    const paymentSecret = process.env.PAYMENT_WEBHOOK_SECRET || crypto.randomBytes(32).toString('hex');
    const paymentToken = process.env.PAYMENT_PROVIDER_TOKEN || 'sandbox-payment-token';
    const env = {
      DATABASE_URL: runtime.databaseUrl,
      TEMPORAL_ADDRESS: runtime.temporalAddress,
      TEMPORAL_NAMESPACE: process.env.TEMPORAL_NAMESPACE || 'default',
      TEMPORAL_TASK_QUEUE: process.env.TEMPORAL_TASK_QUEUE || 'levensloop-journeys',
      SANDBOX_PORT: sandboxPort,
      SANDBOX_URL: sandboxUrl,
      OIDC_ISSUER: process.env.OIDC_ISSUER || `${sandboxUrl}/oidc`,
      OIDC_JWKS_URL: process.env.OIDC_JWKS_URL || `${sandboxUrl}/oidc/jwks`,
      SANDBOX_EVENTS_URL: process.env.SANDBOX_EVENTS_URL || `http://127.0.0.1:${gatewayPort}/events`,
      SOURCES_URL: process.env.SOURCES_URL || `${sandboxUrl}/sources`,
      SOURCES_TOKEN: process.env.SOURCES_TOKEN || 'sandbox-sources-token',
      SANDBOX_SMTP_PORT: smtpPort,
      SANDBOX_SMS_TOKEN: smsToken,
      SANDBOX_SMS_CALLBACK_SECRET: smsSecret,
      SANDBOX_ECOUNTER_TOKEN: ecounterToken,
      SMTP_URL: process.env.SMTP_URL || `smtp://127.0.0.1:${smtpPort}`,
      SMS_GATEWAY_URL: process.env.SMS_GATEWAY_URL || `${sandboxUrl}/sms`,
      SMS_GATEWAY_TOKEN: smsToken,
      SMS_CALLBACK_SECRET: smsSecret,
      EMAIL_CALLBACK_SECRET: mailSecret,
      SANDBOX_MAIL_REPORT_SECRET: mailSecret,
      SANDBOX_MAIL_REPORT_URL: process.env.SANDBOX_MAIL_REPORT_URL || `http://127.0.0.1:${gatewayPort}/callbacks/email`,
      ECOUNTER_URL: process.env.ECOUNTER_URL || `${sandboxUrl}/ecounter`,
      ECOUNTER_TOKEN: ecounterToken,
      PAYMENT_PROVIDER_URL: process.env.PAYMENT_PROVIDER_URL || sandboxUrl,
      PAYMENT_PROVIDER_TOKEN: paymentToken,
      PAYMENT_WEBHOOK_SECRET: paymentSecret,
      SANDBOX_PAYMENT_TOKEN: paymentToken,
      SANDBOX_PAYMENT_WEBHOOK_SECRET: paymentSecret,
      GATEWAY_PORT: gatewayPort,
      WORKER_PORT: workerPort,
      DISPATCHER_PORT: dispatcherPort,
      CONSOLE_PORT: consolePort,
      // The console calls the API from its own origin; links in messages lead to its journey pages.
      CORS_ORIGINS: process.env.CORS_ORIGINS || consoleUrl,
      CITIZEN_WEB_URL: process.env.CITIZEN_WEB_URL || consoleUrl,
      // Development sign-in (any role from the sandbox's issuer) is off unless started here.
      CONSOLE_DEV_SIGN_IN: process.env.CONSOLE_DEV_SIGN_IN || 'true',
      // The sandbox's OpenID provider sends the console's sign-ins back here (the console's public client).
      SANDBOX_CONSOLE_URLS: process.env.SANDBOX_CONSOLE_URLS || `${consoleUrl},http://localhost:${consolePort}`,
      // Agency calls may reach the sandbox although it is on this machine; nothing else internal.
      AGENCY_ALLOWED_INTERNAL_HOSTS: process.env.AGENCY_ALLOWED_INTERNAL_HOSTS || `127.0.0.1:${sandboxPort}`,
      // The worker signs every agency call and the sandbox verifies it with the same keys (fresh per start).
      AGENCY_SIGNING_KEYS: process.env.AGENCY_SIGNING_KEYS || DEMO_AGENCIES.map((a) => `${a}=${crypto.randomBytes(32).toString('base64')}`).join(','),
      LOG_LEVEL: process.env.LOG_LEVEL || 'warn',
      // The codec server for the Web UI: its secret path, and the Web UI's origin for CORS.
      TEMPORAL_CODEC_SERVER_SECRET: codecSecret,
      // (the dev server prints its Web UI as localhost; the banner as 127.0.0.1: both are allowed)
      TEMPORAL_UI_ORIGINS: process.env.TEMPORAL_UI_ORIGINS || (runtime.temporalUiUrl ? [runtime.temporalUiUrl, runtime.temporalUiUrl.replace('127.0.0.1', 'localhost')].map((u) => new URL(u).origin).join(',') : ''),
    };
    // The owner migrates; the processes connect as a login that may only append to the logs.
    runNode('apps/cli/src/main.js', ['migrate'], { ...env, MIGRATION_DATABASE_URL: runtime.migrationDatabaseUrl });
    const entry = (app) => path.join(root, 'dist', 'apps', app, 'src', 'main.js');
    processes.push(await superviseNodeProcess({ name: 'sandbox', script: entry('sandbox'), env, readyUrl: `${sandboxUrl}/health` }));
    processes.push(await superviseNodeProcess({ name: 'worker', script: entry('worker'), env, readyUrl: `http://127.0.0.1:${workerPort}/health` }));
    // Notifications and dossier status out of the outboxes the worker's projections write.
    processes.push(await superviseNodeProcess({ name: 'dispatcher', script: entry('dispatcher'), env, readyUrl: `http://127.0.0.1:${dispatcherPort}/health` }));
    processes.push(await superviseNodeProcess({ name: 'gateway', script: entry('gateway'), env, readyUrl: `http://127.0.0.1:${gatewayPort}/health` }));
    processes.push(await superviseNodeProcess({ name: 'console', script: entry('console'), env, readyUrl: `${consoleUrl}/health` }));
    runNode('apps/cli/src/main.js', ['apply', path.join(root, 'infra', 'catalog')], env);
    // The demo's people come from the sandbox's seeded population (the registers know them).
    const examples = await (await fetch(`${sandboxUrl}/_sandbox/population/examples`)).json();
    const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
    const demo = await seedDemoJourneys({ gatewayUrl, sandboxUrl, examples });
    console.log(banner({ gatewayUrl, consoleUrl, sandboxUrl, smtpPort, temporalUiUrl: runtime.temporalUiUrl, databaseUrl: runtime.databaseUrl, seconds: ((Date.now() - started) / 1000).toFixed(1), examples, demo }));
  } catch (err) {
    console.error(`[start] ${err.message}`);
    await stop(1);
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
