/**
 * Abuse limits of the gateway (issue 12, finding 7): rate limits per principal and per client
 * address (429 problem+json with Retry-After), security headers, request timeouts against slow
 * clients, and /metrics and the API docs on an internal port only.
 */
import { connect } from 'node:net';
import { Api, expectProblem } from '../support/http';
import { startInProcessGateway, type InProcessGateway } from '../support/gateway';

jest.setTimeout(120_000);

/** The status of a GET, its body read (an unread body would keep the connection busy). */
const statusWith = async (url: string, headers: Record<string, string>) => {
  const res = await fetch(url, { headers });
  await res.arrayBuffer();
  return res.status;
};
const statusOf = async (url: string) => {
  const res = await fetch(url);
  await res.arrayBuffer();
  return res.status;
};

describe('rate limits', () => {
  let gw: InProcessGateway;
  beforeAll(async () => {
    gw = await startInProcessGateway('rate-limits', { RATE_LIMIT_PER_PRINCIPAL: '5/60', RATE_LIMIT_PER_ADDRESS: '12/60', RATE_LIMIT_SMS_CALLBACK: '3/60' });
  });
  afterAll(() => gw?.close());

  test('per principal (a verified sub), then per client address before authentication, each with Retry-After', async () => {
    const alice: Api = await gw.as({ role: 'catalog-admin', sub: 'alice' });
    const bob: Api = await gw.as({ role: 'catalog-admin', sub: 'bob' });
    for (let i = 0; i < 5; i++) expect((await alice.get('/sources')).status).toBe(200);
    const limited = await alice.get('/sources');
    const problem = expectProblem(limited, 429);
    expect(problem).toMatchObject({ type: 'https://levensloop.dev/problems/rate-limited', title: 'Too many requests', limit: 5, windowSeconds: 60 });
    expect(problem.detail).toMatch(/token's subject.*at most 5 per 60 s/);
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // Another principal has a budget of its own (and another route does not reset alice's).
    for (let i = 0; i < 5; i++) expect((await bob.get('/sources')).status).toBe(200);
    expectProblem(await alice.get('/steps'), 429);

    // 12 requests from this address so far; the 13th has no token and is refused before authentication,
    // also when it names another client (no proxy is trusted by default).
    expect(await statusWith(`${gw.baseUrl}/sources`, { 'x-forwarded-for': '198.51.100.9' })).toBe(429);
    expectProblem(await bob.get('/sources'), 429);
    const anonymous = await new Api(gw.baseUrl).get('/sources');
    expect(expectProblem(anonymous, 429).detail).toMatch(/client address/);
    expect(Number(anonymous.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    // SMS delivery reports have a budget of their own (an SMS provider reports every message from one address).
    const report = () => new Api(gw.baseUrl).post('/callbacks/sms', { id: 'sms-1' });
    for (let i = 0; i < 3; i++) expect((await report()).status).toBe(503); // no SMS_CALLBACK_SECRET here
    const reports = await report();
    expect(expectProblem(reports, 429).detail).toMatch(/SMS gateway address.*at most 3 per 60 s/);
    expect(Number(reports.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
  });
});

describe('rate limits behind a proxy (GATEWAY_TRUST_PROXY)', () => {
  let gw: InProcessGateway;
  beforeAll(async () => {
    gw = await startInProcessGateway('trusted-proxy', { RATE_LIMIT_PER_ADDRESS: '3/60', GATEWAY_TRUST_PROXY: 'loopback' });
  });
  afterAll(() => gw?.close());
  const from = (client: string) => statusWith(`${gw.baseUrl}/sources`, { 'x-forwarded-for': client });

  test('each client the proxy forwards has a budget of its own; IPv6 clients count by /64', async () => {
    for (let i = 0; i < 3; i++) expect(await from('203.0.113.1')).toBe(401);
    expect(await from('203.0.113.1')).toBe(429);
    expect(await from('203.0.113.2')).toBe(401);
    for (let i = 0; i < 3; i++) expect(await from(`2001:db8:1:2::${i + 1}`)).toBe(401);
    // Another address of the same /64 gets no fresh budget; another /64 does.
    expect(await from('2001:db8:1:2:ffff:ffff:ffff:ffff')).toBe(429);
    expect(await from('2001:db8:1:3::1')).toBe(401);
  });
});

describe('security headers, timeouts and the internal port', () => {
  let gw: InProcessGateway;
  beforeAll(async () => {
    gw = await startInProcessGateway('hardening', { GATEWAY_INTERNAL_PORT: '0', GATEWAY_HEADERS_TIMEOUT_MS: '500', GATEWAY_REQUEST_TIMEOUT_MS: '1000' });
  });
  afterAll(() => gw?.close());

  test('API answers carry helmet headers and a policy that lets nothing load them', async () => {
    const res = await fetch(`${gw.baseUrl}/sources`);
    expect(res.status).toBe(401);
    expect(res.headers.get('content-security-policy')).toBe("default-src 'none';frame-ancestors 'none';base-uri 'none';form-action 'none'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(res.headers.get('referrer-policy')).toBe('no-referrer');
    expect(res.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    expect(res.headers.get('x-powered-by')).toBeNull();
    // Plain http in development: no HSTS pinning the host.
    expect(res.headers.get('strict-transport-security')).toBeNull();
    await res.arrayBuffer();
  });

  test('/metrics, /docs and /openapi.json answer on the internal port only, and it answers nothing else', async () => {
    for (const route of ['/metrics', '/openapi.json', '/docs', '/docs/swagger-ui-init.js']) {
      expect({ route, public: await statusOf(`${gw.baseUrl}${route}`) }).toEqual({ route, public: 404 });
      expect({ route, internal: await statusOf(`${gw.internalUrl}${route}`) }).toEqual({ route, internal: 200 });
    }
    const other = await fetch(`${gw.internalUrl}/sources`);
    expect(other.status).toBe(404);
    expect(other.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    await other.arrayBuffer();
    expect(await statusOf(`${gw.internalUrl}/health`)).not.toBe(404);
    expect(((await (await fetch(`${gw.internalUrl}/openapi.json`)).json()) as { info: { title: string } }).info.title).toBe('Levensloop API');
  });

  test('the split holds whatever the case of the path, or a trailing slash (routing ignores both)', async () => {
    // These reach the operator routes on the internal port, so the public port must not serve them.
    for (const route of ['/METRICS', '/Metrics/', '/OPENAPI.JSON', '/OpenApi.Json', '/metrics/']) {
      expect({ route, public: await statusOf(`${gw.baseUrl}${route}`) }).toEqual({ route, public: 404 });
      expect({ route, internal: await statusOf(`${gw.internalUrl}${route}`) }).toEqual({ route, internal: 200 });
    }
    for (const route of ['/DOCS', '/Docs/', '/DOCS/swagger-ui-init.js']) expect({ route, public: await statusOf(`${gw.baseUrl}${route}`) }).toEqual({ route, public: 404 });
    expect(await statusOf(`${gw.internalUrl}/HEALTH`)).not.toBe(404);
  });

  test('Swagger UI works under its policy: scripts and styles from the gateway, no inline script', async () => {
    const docs = await fetch(`${gw.internalUrl}/docs`);
    const csp = docs.headers.get('content-security-policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("style-src 'self' 'unsafe-inline'");
    expect(csp).toContain("connect-src 'self'");
    const html = await docs.text();
    expect(html).toContain('swagger-ui');
    // Every script is a file the gateway serves (script-src 'self' forbids inline code).
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs, body] of scripts) {
      expect(body.trim()).toBe('');
      const src = /src=["']([^"']+)["']/.exec(attrs)![1];
      expect({ src, status: await statusOf(new URL(src, `${gw.internalUrl}/docs`).toString()) }).toEqual({ src, status: 200 });
    }
  });

  test('a client that sends its headers too slowly (slowloris) gets 408 and the connection is closed', async () => {
    const { port } = new URL(gw.baseUrl);
    const started = Date.now();
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(Number(port), '127.0.0.1', () => socket.write('GET /health HTTP/1.1\r\nHost: x\r\n'));
      let data = '';
      socket.on('data', (chunk) => (data += chunk));
      socket.on('close', () => resolve(data));
      socket.on('error', reject);
      // Trickles a header now and then, never finishing them.
      const trickle = setInterval(() => socket.writable && socket.write('X-Slow: 1\r\n'), 100);
      socket.on('close', () => clearInterval(trickle));
    });
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

