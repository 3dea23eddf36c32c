import { startSandbox, type RunningSandbox } from '../app';
import type { CallRecord, CallSummary } from './agency-simulator';
import { isValidEnterpriseNumber } from './agency-services';

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(() => sandbox.close());
beforeEach(async () => {
  await fetch(`${sandbox.url}/_sandbox/behaviour`, { method: 'DELETE' });
  await fetch(`${sandbox.url}/_sandbox/calls`, { method: 'DELETE' });
});

const body = { journeyId: 'j-1', step: 'register-enterprise', subject: { type: 'person', id: '85073003328' }, data: { activity: 'cafe' } };
const call = (agency: string, service: string, key?: string, payload: unknown = body) =>
  fetch(`${sandbox.url}/agencies/${agency}/${service}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
    body: JSON.stringify(payload),
  });
const behave = (agency: string, service: string, behaviour: unknown) =>
  fetch(`${sandbox.url}/_sandbox/behaviour/${agency}/${service}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(behaviour) });
const recover = (agency: string, service: string) => fetch(`${sandbox.url}/_sandbox/behaviour/${agency}/${service}`, { method: 'DELETE' });
const calls = async (query = '') => ((await (await fetch(`${sandbox.url}/_sandbox/calls${query}`)).json()) as { calls: CallRecord[] }).calls;
const summary = async (query = '') => ((await (await fetch(`${sandbox.url}/_sandbox/calls/summary${query}`)).json()) as { summary: CallSummary[] }).summary;

describe('agency endpoints', () => {
  it('register an enterprise once per idempotency key and replay the stored answer', async () => {
    const first = await call('enterprise-counter', 'register-enterprise', 'journey-1/register');
    const again = await call('enterprise-counter', 'register-enterprise', 'journey-1/register');
    expect(first.status).toBe(200);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const answer = (await first.json()) as { status: string; reference: string; enterpriseNumber: string };
    expect(await again.json()).toEqual(answer);
    expect(answer.status).toBe('done');
    expect(answer.enterpriseNumber).toMatch(/^0\d{3}\.\d{3}\.\d{3}$/);
    expect(isValidEnterpriseNumber(answer.enterpriseNumber)).toBe(true);

    expect(await summary('?agency=enterprise-counter')).toEqual([
      { agency: 'enterprise-counter', service: 'register-enterprise', idempotencyKey: 'journey-1/register', total: 2, effective: 1, replayed: 1, failed: 0 },
    ]);
    const recorded = await calls('?agency=enterprise-counter&service=register-enterprise&key=journey-1/register');
    expect(recorded.map((c) => [c.outcome, c.status])).toEqual([['effective', 200], ['replayed', 200]]);
    expect(recorded[0].body).toEqual(body);
    expect(Number.isNaN(Date.parse(recorded[0].at))).toBe(false);
  });

  it('derive the enterprise number from the idempotency key alone', async () => {
    const number = async (key: string) => ((await (await call('enterprise-counter', 'register-enterprise', key)).json()) as { enterpriseNumber: string }).enterpriseNumber;
    const a = await number('key-a');
    await fetch(`${sandbox.url}/_sandbox/calls`, { method: 'DELETE' });
    expect(await number('key-a')).toBe(a);
    expect(await number('key-b')).not.toBe(a);
  });

  it('answer the other demo services with their own fields, and any other path generically', async () => {
    const vat = await call('federal-finance', 'activate-vat', 'k-vat', { ...body, data: { enterpriseNumber: '0123.456.749' } });
    expect(await vat.json()).toMatchObject({ status: 'done', vatNumber: 'BE0123456749' });
    const precheck = await call('municipality', 'alcohol-permit-precheck', 'k-permit');
    expect(await precheck.json()).toMatchObject({ status: 'done', precheck: 'complete' });
    const support = (await (await call('startup-support', 'suggest-support', 'k-support')).json()) as { suggestions: unknown[] };
    expect(support.suggestions.length).toBeGreaterThan(0);

    const generic = await call('synthetic-agency-42', 'whatever-step', 'k-any');
    expect(generic.status).toBe(200);
    const answer = (await generic.json()) as Record<string, unknown>;
    expect(Object.keys(answer).sort()).toEqual(['reference', 'status']);
    expect(answer.status).toBe('done');
    expect(answer.reference).toMatch(/^SYN-[0-9A-F]{10}$/);
  });

  it('do the work once when calls with one key arrive together', async () => {
    await behave('test', 'slow', { latencyMs: 80 });
    const answers = await Promise.all([1, 2, 3].map(() => call('test', 'slow', 'same-key')));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(await summary('?service=slow')).toMatchObject([{ total: 3, effective: 1, replayed: 2, failed: 0 }]);
  });

  it('refuse a call without an Idempotency-Key, as problem+json, and do not record it', async () => {
    const res = await call('test', 'anything');
    expect(res.status).toBe(400);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await res.json()).toMatchObject({ status: 400, detail: expect.stringMatching(/Idempotency-Key/) });
    expect(await calls()).toEqual([]);
  });

  it('refuse a body that is not a JSON object or not JSON at all', async () => {
    expect((await call('test', 'x', 'k', [1, 2])).status).toBe(400);
    const broken = await fetch(`${sandbox.url}/agencies/test/x`, { method: 'POST', headers: { 'content-type': 'application/json', 'idempotency-key': 'k' }, body: '{"journeyId":' });
    expect(broken.status).toBe(400);
    expect(broken.headers.get('content-type')).toMatch(/problem\+json/);
  });
});

describe('failure and latency injection', () => {
  it('failTimes: 2 fails the next two calls, then the call succeeds and is the one effective call', async () => {
    expect((await behave('test', 'flaky', { failTimes: 2 })).status).toBe(200);
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await call('test', 'flaky', 'k-flaky')).status);
    expect(statuses).toEqual([503, 503, 200]);
    expect((await calls('?service=flaky')).map((c) => c.outcome)).toEqual(['failed', 'failed', 'effective']);
    expect(await summary('?service=flaky')).toMatchObject([{ total: 3, effective: 1, replayed: 0, failed: 2 }]);
  });

  it('an injected failure is problem+json with the configured status', async () => {
    await behave('test', 'teapot', { failTimes: 1, status: 429 });
    const res = await call('test', 'teapot', 'k');
    expect(res.status).toBe(429);
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await res.json()).toMatchObject({ status: 429, type: expect.stringContaining('injected-failure') });
  });

  it('failPermanently fails every call until the behaviour is deleted', async () => {
    await behave('test', 'down', { failPermanently: true, status: 500 });
    for (let i = 0; i < 4; i++) expect((await call('test', 'down', 'k-down')).status).toBe(500);
    expect((await recover('test', 'down')).status).toBe(204);
    expect((await call('test', 'down', 'k-down')).status).toBe(200);
    expect(await summary('?service=down')).toMatchObject([{ total: 5, effective: 1, failed: 4 }]);
  });

  it('a service that is down fails replays too, and replays again after recovery', async () => {
    expect((await call('test', 'outage', 'k')).status).toBe(200);
    await behave('test', 'outage', { failPermanently: true });
    expect((await call('test', 'outage', 'k')).status).toBe(503);
    await recover('test', 'outage');
    const replay = await call('test', 'outage', 'k');
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect((await calls('?service=outage')).map((c) => c.outcome)).toEqual(['effective', 'failed', 'replayed']);
  });

  it('"*" applies to every service of an agency, or to every agency; the most specific behaviour wins', async () => {
    await behave('bank', '*', { failPermanently: true, status: 502 });
    await behave('bank', 'open-account', { failTimes: 0 });
    expect((await call('bank', 'anything', 'k')).status).toBe(502);
    expect((await call('bank', 'open-account', 'k')).status).toBe(502); // no failure left on the specific one: the wildcard still fails
    await behave('*', '*', { failPermanently: true, status: 504 });
    expect((await call('elsewhere', 'x', 'k')).status).toBe(504);
    expect((await fetch(`${sandbox.url}/_sandbox/behaviour`, { method: 'DELETE' })).status).toBe(204);
    expect((await call('bank', 'anything', 'k')).status).toBe(200);
  });

  it('latencyMs delays each answer', async () => {
    await behave('test', 'sluggish', { latencyMs: 150 });
    const started = Date.now();
    expect((await call('test', 'sluggish', 'k')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('lists behaviours with the failures left, and refuses invalid ones', async () => {
    await behave('test', 'counting', { failTimes: 3 });
    await call('test', 'counting', 'k');
    const { behaviours } = (await (await fetch(`${sandbox.url}/_sandbox/behaviour`)).json()) as { behaviours: Array<Record<string, unknown>> };
    expect(behaviours).toEqual([{ agency: 'test', service: 'counting', failTimes: 2 }]);

    for (const bad of [{ failTimes: -1 }, { failTimes: 1.5 }, { status: 200 }, { latencyMs: 'slow' }, { failPermanently: 'yes' }, { failtimes: 2 }, [1]]) {
      const res = await behave('test', 'x', bad);
      expect(res.status).toBe(400);
      expect(res.headers.get('content-type')).toMatch(/problem\+json/);
    }
  });

  it('clears call records on DELETE /_sandbox/calls, and filters them by outcome', async () => {
    await behave('test', 'f', { failTimes: 1 });
    await call('test', 'f', 'k');
    await call('test', 'f', 'k');
    expect((await calls('?outcome=failed')).length).toBe(1);
    expect((await fetch(`${sandbox.url}/_sandbox/calls?outcome=nope`)).status).toBe(400);
    expect((await fetch(`${sandbox.url}/_sandbox/calls`, { method: 'DELETE' })).status).toBe(204);
    expect(await calls()).toEqual([]);
  });
});
