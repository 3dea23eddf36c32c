import { createSandboxApp, startSandbox, type RunningSandbox } from './app';
import { loadSandboxConfig, SandboxConfigError } from './config';

describe('sandbox app', () => {
  let sandbox: RunningSandbox;
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0 });
  });
  afterAll(() => sandbox.close());

  it('listens on loopback and reports health', async () => {
    expect(sandbox.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${sandbox.url}/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('answers unknown routes with 404 problem+json', async () => {
    const res = await fetch(`${sandbox.url}/nowhere`);
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await res.json()).toMatchObject({ status: 404, title: 'Not found' });
  });

  it('createSandboxApp gives an express app that can be mounted by its caller', async () => {
    const { app, simulator } = await createSandboxApp();
    const server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    try {
      const { port } = server.address() as { port: number };
      const res = await fetch(`http://127.0.0.1:${port}/agencies/a/b`, { method: 'POST', headers: { 'idempotency-key': 'k', 'content-type': 'application/json' }, body: '{}' });
      expect(res.status).toBe(200);
      expect(simulator.calls().map((c) => c.outcome)).toEqual(['effective']);
      // Without a listening URL the issuer follows the Host the caller used.
      const discovery = (await (await fetch(`http://127.0.0.1:${port}/oidc/.well-known/openid-configuration`)).json()) as { issuer: string };
      expect(discovery.issuer).toBe(`http://127.0.0.1:${port}/oidc`);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('close() cuts pending slow answers short and can be called twice', async () => {
    const other = await startSandbox({ port: 0, agencyLatencyMs: 30_000 });
    const pending = fetch(`${other.url}/agencies/a/b`, { method: 'POST', headers: { 'idempotency-key': 'k' } }).catch(() => 'aborted');
    await new Promise((r) => setTimeout(r, 50));
    const started = Date.now();
    await Promise.all([other.close(), other.close()]);
    await pending;
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe('configuration', () => {
  it('has defaults for every variable', () => {
    expect(loadSandboxConfig({})).toEqual({ port: 3100, agencyLatencyMs: 0, audience: 'levensloop', logLevel: 'info', smtpPort: 2525, smsReportDelayMs: 50, agencySigningKeys: new Map() });
  });

  it('listens on loopback unless SANDBOX_HOST names another address (0.0.0.0 in a pod)', () => {
    expect(loadSandboxConfig({}).host).toBeUndefined();
    expect(loadSandboxConfig({ SANDBOX_HOST: ' 0.0.0.0 ' }).host).toBe('0.0.0.0');
  });

  it('reads the environment', () => {
    expect(
      loadSandboxConfig({
        SANDBOX_PORT: '4100',
        SANDBOX_PUBLIC_URL: 'http://sandbox.local:4100/',
        OIDC_AUDIENCE: 'demo',
        SANDBOX_AGENCY_LATENCY_MS: '25',
        SANDBOX_OIDC_KEY_FILE: '/tmp/key.pem',
        LOG_LEVEL: 'debug',
        SANDBOX_SMTP_PORT: '0',
        SANDBOX_SMS_TOKEN: 'sms-t',
        SANDBOX_SMS_CALLBACK_SECRET: 'sms-s',
        SANDBOX_SMS_REPORT_DELAY_MS: '10',
        SANDBOX_ECOUNTER_TOKEN: 'ec-t',
        AGENCY_SIGNING_KEYS: `bank=${Buffer.alloc(32, 7).toString('base64')}`,
      }),
    ).toEqual({
      agencySigningKeys: new Map([['bank', Buffer.alloc(32, 7)]]),
      port: 4100,
      publicUrl: 'http://sandbox.local:4100',
      audience: 'demo',
      agencyLatencyMs: 25,
      oidcKeyFile: '/tmp/key.pem',
      logLevel: 'debug',
      smtpPort: 0,
      smsToken: 'sms-t',
      smsCallbackSecret: 'sms-s',
      smsReportDelayMs: 10,
      ecounterToken: 'ec-t',
    });
  });

  it('fails fast and names every wrong variable', () => {
    let error: unknown;
    try {
      loadSandboxConfig({ SANDBOX_PORT: 'abc', SANDBOX_AGENCY_LATENCY_MS: '-5', SANDBOX_PUBLIC_URL: 'ftp://x', LOG_LEVEL: 'loud', SANDBOX_SMTP_PORT: '70000' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(SandboxConfigError);
    const message = (error as Error).message;
    for (const name of ['SANDBOX_PORT', 'SANDBOX_AGENCY_LATENCY_MS', 'SANDBOX_PUBLIC_URL', 'LOG_LEVEL', 'SANDBOX_SMTP_PORT']) expect(message).toContain(name);
  });
});

describe('configuration of the sign-in', () => {
  it('reads the provider’s settings, and turns the development token endpoint off in the production profile', () => {
    expect(
      loadSandboxConfig({
        SANDBOX_DEV_TOKEN: 'false',
        OIDC_CLIENT_ID: 'console-2',
        SANDBOX_CONSOLE_URLS: 'http://127.0.0.1:3200/, https://console.example.test',
        SANDBOX_ACCESS_TOKEN_TTL_SECONDS: '70',
        SANDBOX_SIGN_IN_AGENCIES: 'bank, municipality',
      }),
    ).toMatchObject({ devTokens: false, consoleClientId: 'console-2', consoleUrls: ['http://127.0.0.1:3200', 'https://console.example.test'], accessTokenTtlSeconds: 70, signInAgencies: ['bank', 'municipality'] });
    expect(loadSandboxConfig({ LEVENSLOOP_ENV: 'production' }).devTokens).toBe(false);
    expect(loadSandboxConfig({ LEVENSLOOP_ENV: 'production', SANDBOX_DEV_TOKEN: 'true' }).devTokens).toBe(true);
    expect(loadSandboxConfig({}).devTokens).toBeUndefined();
    expect(() => loadSandboxConfig({ SANDBOX_DEV_TOKEN: 'yes', SANDBOX_CONSOLE_URLS: 'ftp://x', SANDBOX_ACCESS_TOKEN_TTL_SECONDS: '5', SANDBOX_SIGN_IN_AGENCIES: 'Bank' })).toThrow(
      /SANDBOX_DEV_TOKEN[\s\S]*SANDBOX_CONSOLE_URLS[\s\S]*SANDBOX_ACCESS_TOKEN_TTL_SECONDS[\s\S]*SANDBOX_SIGN_IN_AGENCIES/,
    );
  });
});
