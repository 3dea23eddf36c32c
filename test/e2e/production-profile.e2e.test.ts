/**
 * The production profile on the real processes: gateway, worker and dispatcher (built in dist/)
 * started with LEVENSLOOP_ENV=production and the development settings `npm start` gives them
 * (infra/scripts/start.js) each exit non-zero and print every reason, the issuer's development
 * token endpoint found by asking the (real) sandbox issuer included.
 */
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import { startSandbox, type RunningSandbox } from '../../apps/sandbox/src/app';

jest.setTimeout(120_000);

const root = path.resolve(__dirname, '../..');
const entry = (app: string) => path.join(root, 'dist', 'apps', app, 'src', 'main.js');

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(() => sandbox?.close());

/** The environment infra/scripts/start.js gives every process, around a sandbox at `sandboxUrl`. */
function npmStartEnv(sandboxUrl: string): Record<string, string> {
  const consoleUrl = 'http://127.0.0.1:3200';
  return {
    DATABASE_URL: process.env.DATABASE_URL!,
    TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS!,
    TEMPORAL_NAMESPACE: 'default',
    TEMPORAL_TASK_QUEUE: `production-profile-${Date.now()}`,
    SANDBOX_URL: sandboxUrl,
    OIDC_ISSUER: `${sandboxUrl}/oidc`,
    OIDC_JWKS_URL: `${sandboxUrl}/oidc/jwks`,
    SOURCES_URL: `${sandboxUrl}/sources`,
    SOURCES_TOKEN: 'sandbox-sources-token',
    SMTP_URL: 'smtp://127.0.0.1:2525',
    SMS_GATEWAY_URL: `${sandboxUrl}/sms`,
    SMS_GATEWAY_TOKEN: 'sandbox-sms-token',
    SMS_CALLBACK_SECRET: 'sandbox-sms-secret',
    ECOUNTER_URL: `${sandboxUrl}/ecounter`,
    ECOUNTER_TOKEN: 'sandbox-ecounter-token',
    GATEWAY_PORT: '0',
    WORKER_PORT: '0',
    DISPATCHER_PORT: '0',
    CORS_ORIGINS: consoleUrl,
    CITIZEN_WEB_URL: consoleUrl,
    CONSOLE_DEV_SIGN_IN: 'true',
    // npm start lets agency calls reach the sandbox on this machine.
    AGENCY_ALLOWED_INTERNAL_HOSTS: new URL(sandboxUrl).host,
    LOG_LEVEL: 'warn',
  };
}

/** Runs a built app to its end (it must not start): exit code and everything it printed. */
function run(app: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [entry(app)], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${app} was still running after 60 s with LEVENSLOOP_ENV=production: it started. Output:\n${output}`));
    }, 60_000);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

const expectedReasons = (sandboxUrl: string) => [
  `production profile: OIDC_ISSUER is plain http (${sandboxUrl}/oidc)`,
  `production profile: OIDC_JWKS_URL is plain http (${sandboxUrl}/oidc/jwks)`,
  "production profile: OIDC_ISSUER is the sandbox's development issuer (SANDBOX_URL/oidc)",
  'production profile: CONSOLE_DEV_SIGN_IN=true lets anyone sign in',
  "production profile: SMS_GATEWAY_TOKEN is the sandbox's default secret",
  "production profile: SMS_CALLBACK_SECRET is the sandbox's default secret",
  // The settings above send mail (SMTP_URL) without a key for the mail side's signed bounce reports.
  'production profile: EMAIL_CALLBACK_SECRET is not set while SMTP_URL is',
  "production profile: ECOUNTER_TOKEN is the sandbox's default secret",
  "production profile: SOURCES_TOKEN is the sandbox's default secret",
  'production profile: CORS_ORIGINS lists a plain-http origin (http://127.0.0.1:3200)',
  `production profile: AGENCY_ALLOWED_INTERNAL_HOSTS lets agency calls reach ${new URL(sandboxUrl).host}, IPv4 loopback, without the check of its address`,
  'production profile: LOG_PSEUDONYM_KEY is the development default',
  'production profile: TEMPORAL_CODEC_KEYS is not set',
  'production profile: TEMPORAL_SUBJECT_HASH_KEY is the development default',
  `production profile: the Temporal connection (${process.env.TEMPORAL_ADDRESS}) has no TLS`,
  `production profile: OIDC_ISSUER offers a development token endpoint: ${sandboxUrl}/oidc/dev-token hands out an access token to anyone who asks`,
];

describe('production profile with the development settings of npm start', () => {
  test.each(['gateway', 'worker', 'dispatcher'])('the %s refuses to start, naming every reason', async (app) => {
    const { code, output } = await run(app, { ...npmStartEnv(sandbox.url), LEVENSLOOP_ENV: 'production' });
    expect(code).not.toBe(0);
    const missing = expectedReasons(sandbox.url).filter((reason) => !output.includes(reason));
    expect({ app, missing, output }).toEqual({ app, missing: [], output });
  });

  test('the same settings without the production profile are accepted (the gateway starts)', async () => {
    const child = spawn(process.execPath, [entry('gateway')], { env: npmStartEnv(sandbox.url), stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stderr.on('data', (chunk) => (output += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    // Still running after the production profile's refusals would have stopped it.
    const outcome = await Promise.race([exited.then((code) => `exited ${code}: ${output}`), new Promise((r) => setTimeout(() => r('running'), 6000))]);
    child.kill('SIGTERM');
    await exited;
    expect(outcome).toBe('running');
  });
});
