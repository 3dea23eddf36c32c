import { createRemoteJWKSet, jwtVerify } from 'jose';
import { startSandbox, type RunningSandbox } from './app';

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(() => sandbox.close());

const call = (service: string, key?: string) =>
  fetch(`${sandbox.url}/agencies/test/${service}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
    body: JSON.stringify({ journeyId: 'j', step: 's', subject: { type: 'person', id: '85073003328' }, data: {} }),
  });
const behave = (service: string, body: unknown) =>
  fetch(`${sandbox.url}/_sandbox/behaviour/test/${service}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const outcomes = (service: string) => sandbox.simulator.calls.filter((c) => c.service === service).map((c) => c.outcome);

describe('agency endpoints', () => {
  it('do the work once per idempotency key and replay the answer', async () => {
    const first = await call('register-enterprise', 'key-1');
    const second = await call('register-enterprise', 'key-1');
    expect(first.status).toBe(200);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    expect(await second.json()).toEqual(await first.json());
    expect(outcomes('register-enterprise')).toEqual(['effective', 'replayed']);
  });

  it('concurrent calls with one key do the work once', async () => {
    await behave('slow', { latencyMs: 100 });
    await Promise.all([call('slow', 'same'), call('slow', 'same'), call('slow', 'same')]);
    expect(outcomes('slow').filter((o) => o === 'effective')).toHaveLength(1);
  });

  it('fail the given number of times, then succeed', async () => {
    await behave('flaky', { failTimes: 2 });
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push((await call('flaky', 'k')).status);
    expect(statuses).toEqual([503, 503, 200]);
    expect(outcomes('flaky')).toEqual(['failed', 'failed', 'effective']);
  });

  it('fail permanently until recovered', async () => {
    await behave('down', { failPermanently: true, status: 500 });
    expect((await call('down', 'k')).status).toBe(500);
    expect((await call('down', 'k')).status).toBe(500);
    await fetch(`${sandbox.url}/_sandbox/behaviour/test/down`, { method: 'DELETE' });
    expect((await call('down', 'k')).status).toBe(200);
  });

  it('refuse calls without an idempotency key and bad behaviours', async () => {
    const res = await call('anything');
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    expect((await behave('x', { failTimes: -1 })).status).toBe(400);
  });
});

describe('development issuer', () => {
  it('issues tokens that verify against its JWKS', async () => {
    const res = await fetch(`${sandbox.url}/oidc/dev-token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ role: 'caseworker', agency: 'municipality', sub: 'cw-1' }),
    });
    const { access_token } = (await res.json()) as { access_token: string };
    const { payload } = await jwtVerify(access_token, createRemoteJWKSet(new URL(`${sandbox.url}/oidc/jwks`)), { issuer: `${sandbox.url}/oidc`, audience: 'levensloop' });
    expect(payload).toMatchObject({ sub: 'cw-1', roles: ['caseworker'], agency: 'municipality' });
  });

  it('refuses incomplete token requests', async () => {
    for (const query of ['role=wizard', 'role=caseworker', 'role=citizen', 'role=citizen&nationalNumber=123']) {
      const res = await fetch(`${sandbox.url}/oidc/dev-token?${query}`);
      expect(res.status).toBe(400);
    }
  });
});
