/**
 * End to end over HTTP, the whole stack as separate processes: sandbox (agencies + issuer),
 * worker and gateway, on real PostgreSQL and a real Temporal server.
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { createTestDatabase } from '../support/database';
import { expectProblem, type Api } from '../support/http';
import { pollUntil } from '../support/poll';
import { agencyCalls, setBehaviour, startStack, type Stack } from '../support/stack';

jest.setTimeout(180_000);

const run = randomUUID().slice(0, 6);
const NATIONAL_NUMBER = '85073003328';
const OTHER_PERSON = '90010100123';
let db: { url: string; drop: () => Promise<void> };
let stack: Stack;
let admin: Api;
let auditor: Api;
let caseworker: Api;
let otherCaseworker: Api;
let citizen: Api;
let stranger: Api;
const agencies = {
  counter: `counter-${run}`,
  finance: `finance-${run}`,
  municipality: `municipality-${run}`,
  bank: `bank-${run}`,
};

beforeAll(async () => {
  db = await createTestDatabase('e2e_journey');
  stack = await startStack(db.url, 'journey');
  admin = stack.api.as(await stack.token({ role: 'catalog-admin', sub: 'admin-1' }));
  auditor = stack.api.as(await stack.token({ role: 'auditor', sub: 'auditor-1' }));
  caseworker = stack.api.as(await stack.token({ role: 'caseworker', agency: agencies.municipality, sub: 'cw-1' }));
  otherCaseworker = stack.api.as(await stack.token({ role: 'caseworker', agency: agencies.finance, sub: 'cw-2' }));
  citizen = stack.api.as(await stack.token({ role: 'citizen', nationalNumber: NATIONAL_NUMBER, sub: 'citizen-1' }));
  stranger = stack.api.as(await stack.token({ role: 'citizen', nationalNumber: OTHER_PERSON, sub: 'citizen-2' }));
  await registerCatalog();
});

afterAll(async () => {
  await stack?.stop();
  await db?.drop();
});

const titles = (nl: string) => ({ nl, fr: `${nl} (fr)`, de: `${nl} (de)`, en: `${nl} (en)` });
const endpoint = (agency: string, service: string) => `${stack.sandboxUrl}/agencies/${agency}/${service}`;
const fastRetry = { maximumAttempts: 3, initialInterval: 'PT0.2S', backoffCoefficient: 1.5, maximumInterval: 'PT1S' };

async function createAndPublishStep(agency: string, body: Record<string, unknown>) {
  const created = await admin.post(`/agencies/${agency}/steps`, body);
  expect(created.status).toBe(201);
  const published = await admin.post(`/agencies/${agency}/steps/${body.key}/versions/${created.body.version}/publish`);
  expect(published.status).toBe(200);
  expect(published.body).toMatchObject({ agency, key: body.key, version: created.body.version, status: 'published' });
  return created.body.version as number;
}

async function registerCatalog() {
  for (const code of Object.values(agencies)) {
    // Their automatic steps call the sandbox: its host is on each agency's list.
    const res = await admin.post('/agencies', { code, names: titles(code), endpointHosts: [stack.sandboxHost] });
    expect(res.status).toBe(201);
  }
  await createAndPublishStep(agencies.counter, { key: 'register-enterprise', kind: 'automatic', titles: titles('Onderneming inschrijven'), endpoint: endpoint(agencies.counter, 'register-enterprise'), serviceNorm: { target: 'P1D' }, retry: fastRetry, outputs: [{ name: 'reference', type: 'string' }] });
  await createAndPublishStep(agencies.finance, { key: 'activate-vat', kind: 'automatic', titles: titles('Btw activeren'), endpoint: endpoint(agencies.finance, 'activate-vat'), serviceNorm: { target: 'P3D', warn: 'P2D', escalate: 'P5D' }, retry: fastRetry });
  await createAndPublishStep(agencies.municipality, { key: 'alcohol-permit', kind: 'caseworker', titles: titles('Vergunning alcohol'), serviceNorm: { target: 'P30D', warn: 'P20D', escalate: 'P40D' } });
  await createAndPublishStep(agencies.bank, { key: 'open-account', kind: 'citizen', titles: titles('Zichtrekening openen'), serviceNorm: { target: 'P14D' } });
  await createAndPublishStep(agencies.finance, { key: 'flaky-service', kind: 'automatic', titles: titles('Wankele dienst'), endpoint: endpoint(agencies.finance, 'flaky-service'), serviceNorm: { target: 'P1D' }, retry: fastRetry });

  const lifeEvent = await admin.post('/life-events', {
    key: `start-business-${run}`,
    audience: 'citizen',
    titles: titles('Een zaak starten'),
    nodes: [
      { key: 'register', step: { agency: agencies.counter, key: 'register-enterprise', version: 1 } },
      { key: 'vat', step: { agency: agencies.finance, key: 'activate-vat', version: 1 }, dependsOn: ['register'] },
      { key: 'permit', step: { agency: agencies.municipality, key: 'alcohol-permit', version: 1 }, dependsOn: ['register'], condition: { '==': [{ var: 'data.servesAlcohol' }, true] }, optional: true },
      { key: 'account', step: { agency: agencies.bank, key: 'open-account', version: 1 }, dependsOn: ['register'] },
    ],
  });
  expect(lifeEvent.status).toBe(201);
  expect((await admin.post(`/life-events/start-business-${run}/versions/1/publish`)).status).toBe(200);

  const flaky = await admin.post('/life-events', {
    key: `flaky-${run}`,
    audience: 'citizen',
    titles: titles('Wankel'),
    nodes: [{ key: 'call', step: { agency: agencies.finance, key: 'flaky-service', version: 1 } }],
  });
  expect(flaky.status).toBe(201);
  expect((await admin.post(`/life-events/flaky-${run}/versions/1/publish`)).status).toBe(200);
}

async function startJourney(api: Api, lifeEvent: string, data: Record<string, unknown> = {}, key = randomUUID()) {
  return api.post('/journeys', { lifeEvent: { key: lifeEvent }, subject: { type: 'person', id: NATIONAL_NUMBER }, data }, { 'idempotency-key': key });
}

async function journeyOf(api: Api, id: string) {
  const res = await api.get(`/journeys/${id}`);
  expect(res.status).toBe(200);
  return res.body;
}

const stepOf = (journey: any, key: string) => journey.steps.find((s: any) => s.key === key);

async function waitForStepStatus(id: string, key: string, status: string, timeoutMs = 30_000) {
  return pollUntil(`step ${key} to be ${status}`, async () => {
    const journey = await journeyOf(auditor, id);
    return stepOf(journey, key)?.status === status ? journey : undefined;
  }, { timeoutMs });
}

test('a journey runs end to end: automatic steps, a caseworker task, a citizen task; read model, timeline and search agree', async () => {
  const started = await startJourney(citizen, `start-business-${run}`, { servesAlcohol: true });
  expect(started.status).toBe(201);
  const id = started.body.id;
  expect(started.body.steps).toHaveLength(4);

  await waitForStepStatus(id, 'permit', 'waiting');
  const journey = await waitForStepStatus(id, 'account', 'waiting');
  expect(stepOf(journey, 'register').status).toBe('completed');
  expect(stepOf(journey, 'register').outcome).toEqual({ result: 'done', data: { reference: expect.any(String) }, dropped: ['status'] });
  expect(stepOf(journey, 'permit').dueAt).toBeDefined();

  // The caseworker of the municipality sees the task, claims and completes it.
  const inbox = await pollUntil('the permit task', async () => {
    const res = await caseworker.get('/tasks?view=open');
    return res.body.items.find((t: any) => t.journeyId === id);
  });
  expect(inbox).toMatchObject({ step: 'permit', agency: agencies.municipality, status: 'open' });
  // A caseworker of another agency cannot touch it, nor learn that it exists.
  expectProblem(await otherCaseworker.post(`/tasks/${inbox.id}/complete`, { outcome: 'approve' }), 404);
  expectProblem(await otherCaseworker.get(`/tasks/${inbox.id}`), 404);
  expect((await caseworker.post(`/tasks/${inbox.id}/claim`)).body.status).toBe('claimed');
  expect((await caseworker.get('/tasks?view=mine')).body.items.map((t: any) => t.id)).toContain(inbox.id);
  const completed = await caseworker.post(`/tasks/${inbox.id}/complete`, { outcome: 'approve', comment: 'Permit granted', data: { permitNumber: 'P-1' } });
  expect(completed.status).toBe(200);
  expect(completed.body.status).toBe('completed');
  // Completing twice is refused.
  expectProblem(await caseworker.post(`/tasks/${inbox.id}/complete`, { outcome: 'approve' }), 409);

  // The citizen completes their own task.
  const myTasks = await citizen.get('/tasks');
  const accountTask = myTasks.body.items.find((t: any) => t.journeyId === id);
  expect(accountTask).toMatchObject({ step: 'account', assignee: 'citizen' });
  expectProblem(await stranger.post(`/tasks/${accountTask.id}/complete`, { outcome: 'approve' }), 404);
  expect((await citizen.post(`/tasks/${accountTask.id}/complete`, { outcome: 'approve', data: { iban: 'BE68539007547034' } })).status).toBe(200);

  const done = await pollUntil('journey completed', async () => {
    const j = await journeyOf(citizen, id);
    return j.status === 'completed' ? j : undefined;
  });
  expect(done.steps.map((s: any) => s.status).sort()).toEqual(['completed', 'completed', 'completed', 'completed']);
  const types = done.timeline.map((e: any) => e.type);
  expect(types[0]).toBe('journey.started');
  expect(types[types.length - 1]).toBe('journey.completed');
  expect(done.timeline.map((e: any) => e.seq)).toEqual(done.timeline.map((_: unknown, i: number) => i + 1));
  expect(types.filter((t: string) => t === 'step.completed')).toHaveLength(4);

  // Search agrees with the journey.
  const search = await caseworker.get(`/journeys?lifeEvent=start-business-${run}&status=completed`);
  expect(search.body.items.map((j: any) => j.id)).toContain(id);
  const running = await caseworker.get(`/journeys?lifeEvent=start-business-${run}&status=running`);
  expect(running.body.items.map((j: any) => j.id)).not.toContain(id);

  // Each agency endpoint saw exactly one effective call for this journey.
  for (const [agency, service] of [[agencies.counter, 'register-enterprise'], [agencies.finance, 'activate-vat']]) {
    const calls = (await agencyCalls(stack, agency, service)).filter((c) => c.idempotencyKey.startsWith(id));
    expect(calls.filter((c) => c.outcome === 'effective')).toHaveLength(1);
  }
});

/** The audit log's entries for one target, oldest first, as an auditor reads them. */
async function auditedActions(target: string) {
  const auditor = stack.api.as(await stack.token({ role: 'auditor', sub: 'auditor-1' }));
  const res = await auditor.get(`/audit?target=${encodeURIComponent(target)}`);
  expect(res.status).toBe(200);
  return res.body.items
    .filter((e: any) => e.target.id === target)
    .reverse()
    .map((e: any) => [e.actor, e.action, e.detail]);
}

test('catalog changes through the API are audited under the admin who made them', async () => {
  const published = await auditedActions(`start-business-${run}@1`);
  expect(published).toEqual([
    ['admin-1', 'life_event.drafted', { audience: expect.any(String) }],
    ['admin-1', 'life_event.published', undefined],
  ]);
});

test('the condition skips the permit when no alcohol is served', async () => {
  const started = await startJourney(citizen, `start-business-${run}`, { servesAlcohol: false });
  const journey = await waitForStepStatus(started.body.id, 'permit', 'skipped');
  expect(stepOf(journey, 'permit').outcome.reason).toBeDefined();
});

test('the same idempotency key starts one journey, also when requests race', async () => {
  const key = randomUUID();
  const [a, b, c] = await Promise.all([0, 1, 2].map(() => startJourney(citizen, `start-business-${run}`, {}, key)));
  const ids = new Set([a, b, c].map((r) => r.body.id));
  expect(ids.size).toBe(1);
  expect([a, b, c].map((r) => r.status).sort()).toEqual(expect.arrayContaining([201]));
  const again = await startJourney(citizen, `start-business-${run}`, {}, key);
  expect(again.status).toBe(200);
  expect(again.headers.get('idempotent-replayed')).toBe('true');
  expect(again.body.id).toBe(a.body.id);
  const pg = new Client({ connectionString: db.url });
  await pg.connect();
  try {
    // The start answers before the first projection: count once the row is there.
    await pollUntil('the journey projected', async () => (await pg.query(`SELECT 1 FROM journeys WHERE id = $1`, [a.body.id])).rowCount === 1);
    const rows = await pg.query(`SELECT count(*)::int AS n FROM journeys WHERE id = $1`, [a.body.id]);
    expect(rows.rows[0].n).toBe(1);
  } finally {
    await pg.end();
  }
  // The same key for a different request is refused rather than silently answered.
  expectProblem(await citizen.post('/journeys', { lifeEvent: { key: `flaky-${run}` }, subject: { type: 'person', id: NATIONAL_NUMBER } }, { 'idempotency-key': key }), 422);
});

test('an agency failing twice then succeeding is retried: one effective call', async () => {
  await setBehaviour(stack, agencies.finance, 'flaky-service', { failTimes: 2 });
  const started = await startJourney(citizen, `flaky-${run}`);
  const id = started.body.id;
  await pollUntil('journey completed', async () => (await journeyOf(auditor, id)).status === 'completed');
  const calls = (await agencyCalls(stack, agencies.finance, 'flaky-service')).filter((c) => c.idempotencyKey === `${id}/call`);
  expect(calls.filter((c) => c.outcome === 'failed')).toHaveLength(2);
  expect(calls.filter((c) => c.outcome === 'effective')).toHaveLength(1);
  await setBehaviour(stack, agencies.finance, 'flaky-service', null);
});

test('an agency failing permanently needs attention; a caseworker retries after recovery and the journey completes', async () => {
  await setBehaviour(stack, agencies.finance, 'flaky-service', { failPermanently: true });
  const started = await startJourney(citizen, `flaky-${run}`);
  const id = started.body.id;
  await waitForStepStatus(id, 'call', 'needs_attention');
  const listed = await otherCaseworker.get(`/journeys?needsAttention=true&lifeEvent=flaky-${run}`);
  expect(listed.body.items.map((j: any) => j.id)).toContain(id);
  // Only the step's agency may retry it.
  expectProblem(await caseworker.post(`/journeys/${id}/steps/call/retry`), 404);
  await setBehaviour(stack, agencies.finance, 'flaky-service', null);
  const retried = await otherCaseworker.post(`/journeys/${id}/steps/call/retry`);
  expect(retried.status).toBe(200);
  await pollUntil('journey completed', async () => (await journeyOf(auditor, id)).status === 'completed');
  const calls = (await agencyCalls(stack, agencies.finance, 'flaky-service')).filter((c) => c.idempotencyKey === `${id}/call`);
  expect(calls.filter((c) => c.outcome === 'effective')).toHaveLength(1);
  // A second retry is refused: the step no longer needs attention.
  expectProblem(await otherCaseworker.post(`/journeys/${id}/steps/call/retry`), 409);
  expect(await auditedActions(`${id}/call`)).toEqual([['cw-2', 'step.retried', { reason: null, roles: ['caseworker'], agency: agencies.finance }]]);
});

test('a caseworker skips a failing step with a reason and the journey completes without it', async () => {
  await setBehaviour(stack, agencies.finance, 'flaky-service', { failPermanently: true });
  const started = await startJourney(citizen, `flaky-${run}`);
  const id = started.body.id;
  await waitForStepStatus(id, 'call', 'needs_attention');
  expectProblem(await otherCaseworker.post(`/journeys/${id}/steps/call/skip`, {}), 400);
  expect((await otherCaseworker.post(`/journeys/${id}/steps/call/skip`, { reason: 'Handled on paper by the agency' })).status).toBe(200);
  const done = await pollUntil('journey completed', async () => {
    const j = await journeyOf(auditor, id);
    return j.status === 'completed' ? j : undefined;
  });
  expect(stepOf(done, 'call').status).toBe('skipped');
  expect(done.timeline.find((e: any) => e.type === 'step.skipped')?.detail).toMatchObject({ reason: 'Handled on paper by the agency', by: 'cw-2' });
  // Only the accepted skip is audited, not the one refused for want of a reason.
  expect(await auditedActions(`${id}/call`)).toEqual([['cw-2', 'step.skipped', { reason: 'Handled on paper by the agency', roles: ['caseworker'], agency: agencies.finance }]]);
  await setBehaviour(stack, agencies.finance, 'flaky-service', null);
});

test('the worker killed mid-journey and restarted: the journey completes, one effective call per step', async () => {
  await setBehaviour(stack, agencies.finance, 'activate-vat', { latencyMs: 1500 });
  const started = await startJourney(citizen, `start-business-${run}`, { servesAlcohol: false });
  const id = started.body.id;
  await waitForStepStatus(id, 'vat', 'running');
  await stack.killWorker();
  await new Promise((r) => setTimeout(r, 2000)); // the agency finishes its work while the worker is dead
  await setBehaviour(stack, agencies.finance, 'activate-vat', null);
  await stack.restartWorker();
  const journey = await waitForStepStatus(id, 'account', 'waiting', 60_000);
  const task = stepOf(journey, 'account').task;
  expect((await citizen.post(`/tasks/${task.id}/complete`, { outcome: 'approve' })).status).toBe(200);
  await pollUntil('journey completed', async () => (await journeyOf(auditor, id)).status === 'completed', { timeoutMs: 60_000 });
  for (const [agency, service, step] of [[agencies.counter, 'register-enterprise', 'register'], [agencies.finance, 'activate-vat', 'vat']]) {
    const calls = (await agencyCalls(stack, agency, service)).filter((c) => c.idempotencyKey === `${id}/${step}`);
    expect(calls.filter((c) => c.outcome === 'effective')).toHaveLength(1);
  }
});

test('cancel with a reason closes the journey and its open tasks', async () => {
  const started = await startJourney(citizen, `start-business-${run}`, { servesAlcohol: true });
  const id = started.body.id;
  await waitForStepStatus(id, 'permit', 'waiting');
  expectProblem(await caseworker.post(`/journeys/${id}/cancel`, {}), 400);
  const cancelled = await caseworker.post(`/journeys/${id}/cancel`, { reason: 'The citizen withdrew the application' });
  expect(cancelled.status).toBe(200);
  const journey = await pollUntil('projection of the cancellation', async () => {
    const j = await journeyOf(auditor, id);
    return stepOf(j, 'permit').status === 'cancelled' ? j : undefined;
  });
  expect(journey.status).toBe('cancelled');
  expect(journey.cancelReason).toBe('The citizen withdrew the application');
  expect(await auditedActions(id)).toEqual([['cw-1', 'journey.cancelled', { reason: 'The citizen withdrew the application', roles: ['caseworker'], agency: agencies.municipality }]]);
  const tasks = await caseworker.get('/tasks?view=open');
  expect(tasks.body.items.map((t: any) => t.journeyId)).not.toContain(id);
});

describe('access', () => {
  test('every endpoint needs a valid token', async () => {
    expectProblem(await stack.api.get('/journeys'), 401);
    expectProblem(await stack.api.as('not-a-token').get('/journeys'), 401);
    expect((await stack.api.get('/health')).status).toBe(200);
    expect((await stack.api.get('/openapi.json')).body.paths['/journeys']).toBeDefined();
  });

  test('roles are enforced', async () => {
    expectProblem(await citizen.post('/agencies', { code: `x-${run}`, names: titles('x') }), 403);
    expectProblem(await caseworker.post(`/agencies/${agencies.counter}/steps`, { key: 'x', kind: 'citizen', titles: titles('x'), serviceNorm: { target: 'P1D' } }), 403);
    const agencyAdmin = stack.api.as(await stack.token({ role: 'agency-admin', agency: agencies.bank, sub: 'aa-1' }));
    expectProblem(await agencyAdmin.post(`/agencies/${agencies.counter}/steps`, { key: 'x', kind: 'citizen', titles: titles('x'), serviceNorm: { target: 'P1D' } }), 403);
    expect((await agencyAdmin.post(`/agencies/${agencies.bank}/steps`, { key: 'own-step', kind: 'citizen', titles: titles('x'), serviceNorm: { target: 'P1D' } })).status).toBe(201);
    // A citizen cannot start a journey for someone else, nor read one.
    expectProblem(await stranger.post('/journeys', { lifeEvent: { key: `flaky-${run}` }, subject: { type: 'person', id: NATIONAL_NUMBER } }, { 'idempotency-key': randomUUID() }), 403);
    const mine = await startJourney(citizen, `start-business-${run}`);
    expectProblem(await stranger.get(`/journeys/${mine.body.id}`), 404);
    expect((await stranger.get('/journeys')).body.items.map((j: any) => j.id)).not.toContain(mine.body.id);
    // A caseworker sees only journeys that involve their agency.
    const bankCaseworker = stack.api.as(await stack.token({ role: 'caseworker', agency: `unrelated-${run}`, sub: 'cw-x' }));
    expectProblem(await bankCaseworker.get(`/journeys/${mine.body.id}`), 404);
    expect((await bankCaseworker.get('/journeys')).body.items).toEqual([]);
    // Only catalog admins write life events; citizens cannot claim tasks (refused for who they are, before the task's state).
    expectProblem(await agencyAdmin.post('/life-events', { key: 'x', audience: 'citizen', titles: titles('x'), nodes: [] }), 403);
    expectProblem(await citizen.post(`/journeys/${mine.body.id}/steps/register/retry`), 403);
    const account = await waitForStepStatus(mine.body.id, 'account', 'waiting');
    expectProblem(await citizen.post(`/tasks/${stepOf(account, 'account').task.id}/claim`), 403);
    // An auditor reads every journey but changes nothing; a catalog admin reads none (separation of duties).
    expectProblem(await admin.get(`/journeys/${mine.body.id}`), 404);
    expectProblem(await admin.get('/journeys'), 403);
    expect((await auditor.get(`/journeys/${mine.body.id}`)).status).toBe(200);
    expectProblem(await auditor.post(`/journeys/${mine.body.id}/cancel`, { reason: 'not allowed' }), 403);
    // An expired or foreign token is refused.
    const expired = await stack.token({ role: 'catalog-admin', ttlSeconds: 1 });
    // Expired for longer than the clock skew the gateway forgives (OIDC_CLOCK_TOLERANCE_SECONDS, default 5).
    await new Promise((r) => setTimeout(r, 7100));
    expectProblem(await stack.api.as(expired).get('/journeys'), 401);
  });
});
