/**
 * Agency endpoints are untrusted (issue: SSRF through agency endpoints). The whole stack over
 * HTTP: an agency admin's automatic step whose endpoint redirects the worker to the development
 * issuer's token endpoint must not leak a token into the journey, and a step cannot be drafted
 * with an endpoint outside its agency's endpoint hosts.
 */
import { randomUUID } from 'node:crypto';
import { createTestDatabase } from '../support/database';
import { expectProblem, type Api } from '../support/http';
import { pollUntil } from '../support/poll';
import { agencyCalls, setBehaviour, startStack, type Stack } from '../support/stack';

jest.setTimeout(180_000);

const run = randomUUID().slice(0, 6);
const NATIONAL_NUMBER = '85073003328';
const bank = `bank-${run}`;
let db: { url: string; drop: () => Promise<void> };
let stack: Stack;
let catalogAdmin: Api;
let bankAdmin: Api;
let bankCaseworker: Api;
let citizen: Api;

const titles = (nl: string) => ({ nl, en: nl });
const fastRetry = { maximumAttempts: 3, initialInterval: 'PT0.2S', backoffCoefficient: 1, maximumInterval: 'PT1S' };

beforeAll(async () => {
  db = await createTestDatabase('e2e_agency_calls');
  stack = await startStack(db.url, 'agency-calls');
  catalogAdmin = stack.api.as(await stack.token({ role: 'catalog-admin', sub: 'admin-1' }));
  bankAdmin = stack.api.as(await stack.token({ role: 'agency-admin', agency: bank, sub: 'bank-admin' }));
  bankCaseworker = stack.api.as(await stack.token({ role: 'caseworker', agency: bank, sub: 'bank-cw' }));
  citizen = stack.api.as(await stack.token({ role: 'citizen', nationalNumber: NATIONAL_NUMBER, sub: 'citizen-1' }));
  expect((await catalogAdmin.post('/agencies', { code: bank, names: titles('Bank'), endpointHosts: [stack.sandboxHost] })).status).toBe(201);
});

afterAll(async () => {
  await stack?.stop();
  await db?.drop();
});

async function publishStep(body: Record<string, unknown>) {
  const created = await bankAdmin.post(`/agencies/${bank}/steps`, body);
  expect(created.status).toBe(201);
  expect((await bankAdmin.post(`/agencies/${bank}/steps/${body.key}/versions/${created.body.version}/publish`)).status).toBe(200);
}

test("a redirect to the development issuer's token endpoint is never followed: the step needs attention and the journey holds no token", async () => {
  const service = 'open-account';
  const issuerToken = `${stack.sandboxUrl}/oidc/dev-token?role=catalog-admin`;
  await setBehaviour(stack, bank, service, { redirectTo: issuerToken });
  await publishStep({ key: service, kind: 'automatic', titles: titles('Rekening openen'), endpoint: `${stack.sandboxUrl}/agencies/${bank}/${service}`, serviceNorm: { target: 'P1D' }, retry: fastRetry, outputs: [{ name: 'reference', type: 'string' }] });
  const key = `redirect-${run}`;
  expect((await catalogAdmin.post('/life-events', { key, audience: 'citizen', titles: titles('Bankrekening'), nodes: [{ key: 'account', step: { agency: bank, key: service, version: 1 } }] })).status).toBe(201);
  expect((await catalogAdmin.post(`/life-events/${key}/versions/1/publish`)).status).toBe(200);

  const started = await citizen.post('/journeys', { lifeEvent: { key }, subject: { type: 'person', id: NATIONAL_NUMBER }, data: {} }, { 'idempotency-key': randomUUID() });
  expect(started.status).toBe(201);
  const id = started.body.id;
  const journey = await pollUntil('the step to need attention', async () => {
    const res = await bankCaseworker.get(`/journeys/${id}`);
    return res.body?.steps?.find((s: any) => s.key === 'account')?.status === 'needs_attention' ? res.body : undefined;
  });
  const step = journey.steps.find((s: any) => s.key === 'account');
  expect(step.error).toContain(`${bank} answered 302 (a redirect to ${stack.sandboxUrl}/oidc/dev-token), which is never followed`);
  expect(step.outcome).toBeUndefined();
  const text = JSON.stringify(journey);
  expect(text).not.toContain('access_token');
  expect(text).not.toMatch(/eyJ[\w-]+\.[\w-]+\./); // no JWT anywhere
  // The agency's endpoint was called (signed or not, it answered the redirect); nothing followed it.
  expect((await agencyCalls(stack, bank, service)).length).toBeGreaterThanOrEqual(1);
});

test("drafting a step whose endpoint is outside the agency's endpoint hosts is refused at /endpoint", async () => {
  const step = (endpoint: string) => ({ key: 'steal-token', kind: 'automatic', titles: titles('Token'), endpoint, serviceNorm: { target: 'P1D' } });
  const gateway = new URL(stack.gatewayUrl).host;
  const refused = expectProblem(await bankAdmin.post(`/agencies/${bank}/steps`, step(`${stack.gatewayUrl}/journeys`)), 422);
  expect(refused.errors).toEqual([
    { path: '/endpoint', message: `${gateway} is not among the endpoint hosts of agency '${bank}': it may use ${stack.sandboxHost} (a catalog admin keeps this list: PUT /agencies/${bank}/endpoint-hosts)` },
  ]);
  expect(expectProblem(await bankAdmin.post(`/agencies/${bank}/steps`, step('http://169.254.169.254/latest/meta-data/')), 422).errors![0].path).toBe('/endpoint');
  expect((await bankAdmin.get(`/agencies/${bank}/steps`)).body.map((s: any) => s.key)).not.toContain('steal-token');
  // The agency's admin cannot add a host; only a catalog admin keeps the list.
  expectProblem(await bankAdmin.put(`/agencies/${bank}/endpoint-hosts`, { endpointHosts: [stack.sandboxHost, gateway] }), 403);
});
