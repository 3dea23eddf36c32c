import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { runtimeUrlOf } from './database';
import { Api } from './http';
import { pollUntil } from './poll';
import { freePort, startNodeProcess, type ManagedProcess } from '@levensloop/runtime';

// From test/support, or from dist/test/support when compiled (the benchmark runs it from dist).
const root = path.resolve(__dirname, __filename.endsWith('.js') ? '../../..' : '../..');
const entry = (app: string) => path.join(root, 'dist', 'apps', app, 'src', 'main.js');

export interface Stack {
  gatewayUrl: string;
  sandboxUrl: string;
  /** `host:port` of the sandbox: the endpoint host of agencies whose steps call it (`endpointHosts`). */
  sandboxHost: string;
  /** The sandbox's SMTP sink, as `SMTP_URL` gives it to the engine. */
  smtpPort: number;
  api: Api;
  env: Record<string, string>;
  worker: ManagedProcess;
  gateway: ManagedProcess;
  restartWorker(): Promise<void>;
  killWorker(): Promise<void>;
  /** The console (apps/console), when the stack was asked for it; the gateway allows its origin (CORS). */
  consoleUrl: string;
  console?: ManagedProcess;
  /** The notification dispatcher (health and /metrics at `dispatcherUrl`), when the stack was asked for it. */
  dispatcher?: ManagedProcess;
  dispatcherUrl: string;
  restartDispatcher(extraEnv?: Record<string, string>): Promise<void>;
  killDispatcher(): Promise<void>;
  token(claims: Record<string, unknown>): Promise<string>;
  /** More replicas of gateway, worker and dispatcher (option `replicas`), on the same database, Temporal and task queue. */
  extra: Replica[];
  stop(): Promise<void>;
}

/** One more gateway, worker and dispatcher of the stack. */
export interface Replica {
  gatewayUrl: string;
  api: Api;
  gateway: ManagedProcess;
  worker: ManagedProcess;
  dispatcher?: ManagedProcess;
  dispatcherUrl: string;
}

/**
 * The whole platform as separate processes built in dist/: sandbox, worker and gateway, on the
 * PostgreSQL database and Temporal server given, with a task queue of their own.
 */
/** The agencies of infra/catalog whose steps call the sandbox. */
export const SIGNED_AGENCIES = ['enterprise-counter', 'federal-finance', 'startup-support', 'health-insurer', 'childcare', 'energy-agency'];

export async function startStack(databaseUrl: string, name: string, options: { dispatcher?: boolean; console?: boolean; replicas?: number; env?: Record<string, string> } = {}): Promise<Stack> {
  const [sandboxPort, gatewayPort, workerPort, smtpPort, dispatcherPort, consolePort] = await Promise.all([freePort(), freePort(), freePort(), freePort(), freePort(), freePort()]);
  const consoleUrl = `http://127.0.0.1:${consolePort}`;
  const sandboxUrl = `http://127.0.0.1:${sandboxPort}`;
  const env: Record<string, string> = {
    // The processes connect as the runtime login; the test keeps the owner's URL for set-up.
    DATABASE_URL: runtimeUrlOf(databaseUrl),
    TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS!,
    TEMPORAL_NAMESPACE: 'default',
    TEMPORAL_TASK_QUEUE: `e2e-${name}-${Date.now()}`,
    SANDBOX_PORT: String(sandboxPort),
    SANDBOX_URL: sandboxUrl,
    OIDC_ISSUER: `${sandboxUrl}/oidc`,
    OIDC_JWKS_URL: `${sandboxUrl}/oidc/jwks`,
    SANDBOX_EVENTS_URL: `http://127.0.0.1:${gatewayPort}/events`,
    SOURCES_URL: `${sandboxUrl}/sources`,
    SOURCES_TOKEN: 'sandbox-sources-token',
    // The channels' far ends in the sandbox: read what arrived at /_sandbox/mail, /_sandbox/sms, /_sandbox/ecounter.
    SANDBOX_SMTP_PORT: String(smtpPort),
    SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
    SMS_GATEWAY_URL: `${sandboxUrl}/sms`,
    SMS_GATEWAY_TOKEN: 'sandbox-sms-token',
    SMS_CALLBACK_SECRET: 'sandbox-sms-secret',
    // The mail side reports bounces of `bounce…@…` addresses to the gateway, signed with this key.
    EMAIL_CALLBACK_SECRET: 'test-mail-report-secret',
    SANDBOX_MAIL_REPORT_SECRET: 'test-mail-report-secret',
    SANDBOX_MAIL_REPORT_URL: `http://127.0.0.1:${gatewayPort}/callbacks/email`,
    // The payment provider is the sandbox's; its webhooks go to the gateway, signed with this key.
    PAYMENT_PROVIDER_URL: sandboxUrl,
    PAYMENT_PROVIDER_TOKEN: 'sandbox-payment-token',
    PAYMENT_WEBHOOK_SECRET: 'test-payment-webhook-secret',
    SANDBOX_PAYMENT_WEBHOOK_SECRET: 'test-payment-webhook-secret',
    RATE_LIMIT_PAYMENT_CALLBACK: '1000000/60',
    ECOUNTER_URL: `${sandboxUrl}/ecounter`,
    ECOUNTER_TOKEN: 'sandbox-ecounter-token',
    GATEWAY_PORT: String(gatewayPort),
    WORKER_PORT: String(workerPort),
    DISPATCHER_PORT: String(dispatcherPort),
    CONSOLE_PORT: String(consolePort),
    CORS_ORIGINS: consoleUrl,
    // The browser tests sign in through the console's development sign-in, as npm start offers it,
    // and through the sandbox's OpenID provider, which sends the console's sign-ins back to it.
    CONSOLE_DEV_SIGN_IN: 'true',
    SANDBOX_CONSOLE_URLS: consoleUrl,
    // Agency calls may reach the sandbox although it is on loopback; nothing else internal.
    AGENCY_ALLOWED_INTERNAL_HOSTS: `127.0.0.1:${sandboxPort}`,
    // The worker signs and the sandbox verifies calls of the example catalog's agencies (fresh keys per stack).
    AGENCY_SIGNING_KEYS: SIGNED_AGENCIES.map((agency) => `${agency}=${randomBytes(32).toString('base64')}`).join(','),
    LOG_LEVEL: 'warn',
    // Suites and the benchmark send bursts from one address and token; the limits have tests of their own.
    RATE_LIMIT_PER_PRINCIPAL: '1000000/60',
    RATE_LIMIT_PER_ADDRESS: '1000000/60',
    RATE_LIMIT_SMS_CALLBACK: '1000000/60',
    RATE_LIMIT_EMAIL_CALLBACK: '1000000/60',
    SANDBOX_TOKEN_RATE_LIMIT: '1000000/60',
    ...options.env,
  };
  const sandbox = await startNodeProcess({ name: `sandbox:${name}`, script: entry('sandbox'), env, readyUrl: `${sandboxUrl}/health`, quiet: true });
  const startWorker = () =>
    startNodeProcess({ name: `worker:${name}`, script: entry('worker'), env, readyUrl: `http://127.0.0.1:${workerPort}/health`, quiet: true });
  const dispatcherUrl = `http://127.0.0.1:${dispatcherPort}`;
  const startDispatcher = (extraEnv: Record<string, string> = {}) =>
    startNodeProcess({ name: `dispatcher:${name}`, script: entry('dispatcher'), env: { ...env, ...extraEnv }, readyUrl: `${dispatcherUrl}/health`, quiet: true });
  const stack: Stack = {
    gatewayUrl: `http://127.0.0.1:${gatewayPort}`,
    sandboxUrl,
    sandboxHost: `127.0.0.1:${sandboxPort}`,
    smtpPort,
    api: new Api(`http://127.0.0.1:${gatewayPort}`),
    env,
    worker: await startWorker(),
    gateway: undefined as unknown as ManagedProcess, // started last, below
    async restartWorker() {
      stack.worker = await startWorker();
    },
    async killWorker() {
      await stack.worker.kill('SIGKILL');
    },
    // Opt-in: the dispatcher reads each recipient's contact details from the national register,
    // which shows in the access logs that other suites check entry by entry.
    dispatcher: options.dispatcher ? await startDispatcher() : undefined,
    dispatcherUrl,
    async restartDispatcher(extraEnv) {
      stack.dispatcher = await startDispatcher(extraEnv);
    },
    async killDispatcher() {
      await stack.dispatcher?.kill('SIGKILL');
    },
    async token(claims) {
      const res = await fetch(`${sandboxUrl}/oidc/dev-token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(claims),
      });
      if (!res.ok) throw new Error(`dev-token: ${res.status} ${await res.text()}`);
      return ((await res.json()) as { access_token: string }).access_token;
    },
    consoleUrl,
    console: options.console
      ? await startNodeProcess({ name: `console:${name}`, script: entry('console'), env, readyUrl: `${consoleUrl}/health`, quiet: true })
      : undefined,
    extra: [],
    async stop() {
      const extra = stack.extra.flatMap((r) => [r.gateway.stop(), r.worker.stop(), r.dispatcher?.stop()]);
      await Promise.allSettled([stack.gateway.stop(), stack.worker.stop(), stack.dispatcher?.stop(), stack.console?.stop(), ...extra]);
      await sandbox.stop();
    },
  };
  stack.gateway = await startNodeProcess({ name: `gateway:${name}`, script: entry('gateway'), env, readyUrl: `${stack.gatewayUrl}/health`, quiet: true });
  await pollUntil('gateway health', async () => (await fetch(`${stack.gatewayUrl}/health`)).ok);
  for (let i = 1; i < (options.replicas ?? 1); i++) stack.extra.push(await startReplica(env, `${name}-${i + 1}`, !!options.dispatcher));
  return stack;
}

/** Another gateway, worker and (when asked) dispatcher with the stack's settings, on ports of their own. */
async function startReplica(base: Record<string, string>, name: string, dispatcher: boolean): Promise<Replica> {
  const [gatewayPort, workerPort, dispatcherPort] = await Promise.all([freePort(), freePort(), freePort()]);
  // Behind the same public address as the first gateway (links in messages, the SMS gateway's reports).
  const env = { GATEWAY_PUBLIC_URL: `http://127.0.0.1:${base.GATEWAY_PORT}`, ...base, GATEWAY_PORT: String(gatewayPort), WORKER_PORT: String(workerPort), DISPATCHER_PORT: String(dispatcherPort) };
  const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
  const dispatcherUrl = `http://127.0.0.1:${dispatcherPort}`;
  const [worker, dispatcherProcess] = await Promise.all([
    startNodeProcess({ name: `worker:${name}`, script: entry('worker'), env, readyUrl: `http://127.0.0.1:${workerPort}/health`, quiet: true }),
    dispatcher ? startNodeProcess({ name: `dispatcher:${name}`, script: entry('dispatcher'), env, readyUrl: `${dispatcherUrl}/health`, quiet: true }) : undefined,
  ]);
  const gateway = await startNodeProcess({ name: `gateway:${name}`, script: entry('gateway'), env, readyUrl: `${gatewayUrl}/health`, quiet: true });
  return { gatewayUrl, api: new Api(gatewayUrl), gateway, worker, dispatcher: dispatcherProcess, dispatcherUrl };
}

/** A request to the sandbox's own routes (`/_sandbox/...`): the parsed JSON answer, or an error saying what failed. */
export async function sandboxRequest(stack: Stack, method: string, route: string, body?: unknown) {
  const res = await fetch(`${stack.sandboxUrl}${route}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`sandbox ${method} ${route}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** The sandbox's record of calls to one agency service. */
export async function agencyCalls(stack: Stack, agency: string, service: string) {
  const res = await fetch(`${stack.sandboxUrl}/_sandbox/calls?agency=${agency}&service=${service}`);
  const body: any = await res.json();
  return (Array.isArray(body) ? body : body.calls) as Array<{ outcome: 'effective' | 'replayed' | 'failed'; idempotencyKey: string }>;
}

export async function setBehaviour(stack: Stack, agency: string, service: string, behaviour: Record<string, unknown> | null) {
  const url = `${stack.sandboxUrl}/_sandbox/behaviour/${agency}/${service}`;
  const res = behaviour
    ? await fetch(url, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(behaviour) })
    : await fetch(url, { method: 'DELETE' });
  if (!res.ok) throw new Error(`sandbox behaviour: ${res.status}`);
}
