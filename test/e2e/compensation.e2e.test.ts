/**
 * Compensation end to end over HTTP (sandbox, worker and gateway as processes, real PostgreSQL and
 * Temporal): a journey cancelled after two of its four steps completed undoes both, latest first,
 * each exactly once at its agency, also when the worker is killed while undoing; a compensation
 * that keeps failing needs attention, and a caseworker retries or gives it up.
 */
import { randomUUID } from 'node:crypto';
import { createTestDatabase } from '../support/database';
import { expectProblem, type Api } from '../support/http';
import { pollUntil } from '../support/poll';
import { agencyCalls, setBehaviour, startStack, type Stack } from '../support/stack';
import { annulmentEvent, BIRTH_REGISTERED, birthEvent, nthNationalNumber, postEvent } from '../support/events';

jest.setTimeout(240_000);

const run = randomUUID().slice(0, 6);
const NATIONAL_NUMBER = '85073003328';
let db: { url: string; drop: () => Promise<void> };
let stack: Stack;
let admin: Api;
let auditor: Api;
let counterCaseworker: Api;
let financeCaseworker: Api;
let citizen: Api;
let register: Api;
let muniCaseworker: Api;
const agencies = { counter: `cpcounter-${run}`, finance: `cpfinance-${run}`, municipality: `cpmuni-${run}` };
const LIFE_EVENT = `undo-business-${run}`;
const BIRTH = `undo-birth-${run}`;
const PERMIT = `undo-permit-${run}`;

const titles = (nl: string) => ({ nl, fr: `${nl} (fr)`, de: `${nl} (de)`, en: `${nl} (en)` });
const endpoint = (agency: string, service: string) => `${stack.sandboxUrl}/agencies/${agency}/${service}`;
const fastRetry = { maximumAttempts: 3, initialInterval: 'PT0.2S', backoffCoefficient: 1.5, maximumInterval: 'PT1S' };

beforeAll(async () => {
  db = await createTestDatabase('e2e_compensation');
  stack = await startStack(db.url, 'compensation');
  admin = stack.api.as(await stack.token({ role: 'catalog-admin', sub: 'admin-1' }));
  auditor = stack.api.as(await stack.token({ role: 'auditor', sub: 'auditor-1' }));
  counterCaseworker = stack.api.as(await stack.token({ role: 'caseworker', agency: agencies.counter, sub: 'cw-counter' }));
  financeCaseworker = stack.api.as(await stack.token({ role: 'caseworker', agency: agencies.finance, sub: 'cw-finance' }));
  citizen = stack.api.as(await stack.token({ role: 'citizen', nationalNumber: NATIONAL_NUMBER, sub: 'citizen-1' }));
  muniCaseworker = stack.api.as(await stack.token({ role: 'caseworker', agency: agencies.municipality, sub: 'cw-muni' }));
  register = stack.api.as(await stack.token({ role: 'source', source: 'national-register', sub: 'national-register' }));
  for (const code of Object.values(agencies)) {
    expect((await admin.post('/agencies', { code, names: titles(code), endpointHosts: [stack.sandboxHost] })).status).toBe(201);
  }
  await publishStep(agencies.counter, {
    key: 'register-enterprise',
    kind: 'automatic',
    titles: titles('Onderneming inschrijven'),
    endpoint: endpoint(agencies.counter, 'register-enterprise'),
    serviceNorm: { target: 'P1D' },
    retry: fastRetry,
    outputs: [{ name: 'reference', type: 'string' }],
    compensation: { endpoint: endpoint(agencies.counter, 'register-enterprise/compensate') },
  });
  await publishStep(agencies.finance, {
    key: 'activate-vat',
    kind: 'automatic',
    titles: titles('Btw activeren'),
    endpoint: endpoint(agencies.finance, 'activate-vat'),
    serviceNorm: { target: 'P3D' },
    retry: fastRetry,
    compensation: { endpoint: endpoint(agencies.finance, 'activate-vat/compensate') },
  });
  await publishStep(agencies.municipality, { key: 'permit', kind: 'caseworker', titles: titles('Vergunning'), serviceNorm: { target: 'P30D' } });
  await publishStep(agencies.municipality, { key: 'open-account', kind: 'citizen', titles: titles('Rekening openen'), serviceNorm: { target: 'P14D' } });
  const lifeEvent = await admin.post('/life-events', {
    key: LIFE_EVENT,
    audience: 'citizen',
    titles: titles('Een zaak starten'),
    nodes: [
      { key: 'register', step: { agency: agencies.counter, key: 'register-enterprise', version: 1 } },
      { key: 'vat', step: { agency: agencies.finance, key: 'activate-vat', version: 1 }, dependsOn: ['register'] },
      { key: 'permit', step: { agency: agencies.municipality, key: 'permit', version: 1 }, dependsOn: ['vat'] },
      { key: 'account', step: { agency: agencies.municipality, key: 'open-account', version: 1 }, dependsOn: ['permit'] },
    ],
  });
  expect(lifeEvent.status).toBe(201);
  expect((await admin.post(`/life-events/${LIFE_EVENT}/versions/1/publish`)).status).toBe(200);
  // Started by a birth: the child's registration at the counter, then a caseworker's visit.
  const birth = await admin.post('/life-events', {
    key: BIRTH,
    audience: 'citizen',
    titles: titles('Geboorte'),
    nodes: [
      { key: 'register', step: { agency: agencies.counter, key: 'register-enterprise', version: 1 } },
      { key: 'permit', step: { agency: agencies.municipality, key: 'permit', version: 1 }, dependsOn: ['register'] },
    ],
    triggers: [{ eventType: BIRTH_REGISTERED, subject: { type: 'person', path: 'child.nationalNumber' } }],
  });
  expect(birth.status).toBe(201);
  // A permit a caseworker grants, and undoes by hand (a compensation task at the municipality).
  await publishStep(agencies.municipality, { key: 'undoable-permit', kind: 'caseworker', titles: titles('Terrasvergunning'), serviceNorm: { target: 'P30D' }, compensation: { task: { titles: titles('Terrasvergunning intrekken') } } });
  const permit = await admin.post('/life-events', {
    key: PERMIT,
    audience: 'citizen',
    titles: titles('Een terras openen'),
    nodes: [
      { key: 'permit', step: { agency: agencies.municipality, key: 'undoable-permit', version: 1 } },
      { key: 'account', step: { agency: agencies.municipality, key: 'open-account', version: 1 }, dependsOn: ['permit'] },
    ],
  });
  expect(permit.status).toBe(201);
  expect((await admin.post(`/life-events/${PERMIT}/versions/1/publish`)).status).toBe(200);
  expect((await admin.post(`/life-events/${BIRTH}/versions/1/publish`)).status).toBe(200);
});

afterAll(async () => {
  await stack?.stop();
  await db?.drop();
});

async function publishStep(agency: string, body: Record<string, unknown>) {
  const created = await admin.post(`/agencies/${agency}/steps`, body);
  expect(created.status).toBe(201);
  expect(created.body.compensation).toEqual((body as { compensation?: unknown }).compensation);
  expect((await admin.post(`/agencies/${agency}/steps/${body.key}/versions/${created.body.version}/publish`)).status).toBe(200);
}

async function journeyOf(id: string) {
  const res = await auditor.get(`/journeys/${id}`);
  expect(res.status).toBe(200);
  return res.body;
}
const stepOf = (journey: any, key: string) => journey.steps.find((s: any) => s.key === key);

/** A journey whose register and vat steps completed, its permit task open: two of four steps done. */
async function twoStepsDone(): Promise<string> {
  const started = await citizen.post('/journeys', { lifeEvent: { key: LIFE_EVENT }, subject: { type: 'person', id: NATIONAL_NUMBER }, data: {} }, { 'idempotency-key': randomUUID() });
  expect(started.status).toBe(201);
  const id = started.body.id;
  await pollUntil('two steps completed, the third waiting', async () => {
    const j = await journeyOf(id);
    return stepOf(j, 'permit')?.status === 'waiting' ? j : undefined;
  });
  return id;
}

/** The effective and other calls to an agency's compensate endpoint for this journey's step. */
async function undoings(agency: string, service: string, id: string, step: string) {
  const calls = (await agencyCalls(stack, agency, `${service}/compensate`)) as Array<{ outcome: string; idempotencyKey: string; at: string }>;
  return calls.filter((c) => c.idempotencyKey === `${id}/${step}/compensation`);
}

async function waitForStatus(id: string, status: string, timeoutMs = 60_000) {
  return pollUntil(`journey ${status}`, async () => {
    const j = await journeyOf(id);
    return j.status === status ? j : undefined;
  }, { timeoutMs });
}

test('a definition with a compensation that is neither an endpoint nor a task is refused, at the field', async () => {
  const both = await admin.post(`/agencies/${agencies.counter}/steps`, {
    key: 'both-ways',
    kind: 'automatic',
    titles: titles('Beide'),
    endpoint: endpoint(agencies.counter, 'x'),
    serviceNorm: { target: 'P1D' },
    compensation: { endpoint: endpoint(agencies.counter, 'x/compensate'), task: {} },
  });
  expectProblem(both, 422);
  expect(JSON.stringify(both.body)).toContain('/compensation');
  const elsewhere = await admin.post(`/agencies/${agencies.counter}/steps`, {
    key: 'undo-elsewhere',
    kind: 'automatic',
    titles: titles('Elders'),
    endpoint: endpoint(agencies.counter, 'x'),
    serviceNorm: { target: 'P1D' },
    compensation: { endpoint: 'https://not-allowed.example/undo' },
  });
  expectProblem(elsewhere, 422);
  expect(JSON.stringify(elsewhere.body)).toContain('/compensation/endpoint');
});

test('cancelled after two of four steps completed: both undone, latest first, each exactly once; the journey ends cancelled', async () => {
  const id = await twoStepsDone();
  const cancelled = await citizen.post(`/journeys/${id}/cancel`, { reason: 'I stop my business plans' });
  expect(cancelled.status).toBe(200);
  expect(['compensating', 'cancelled']).toContain(cancelled.body.status);
  const journey = await waitForStatus(id, 'cancelled');

  const types = journey.timeline.map((e: any) => `${e.type}${e.step ? `:${e.step}` : ''}`);
  const from = types.indexOf('journey.compensating');
  expect(types.slice(from)).toEqual([
    'journey.compensating',
    'step.compensating:vat',
    'step.compensated:vat',
    'step.compensating:register',
    'step.compensated:register',
    'journey.cancelled',
  ]);
  expect(journey.timeline.find((e: any) => e.type === 'journey.compensating').detail).toMatchObject({ steps: ['vat', 'register'], reason: 'I stop my business plans' });
  expect(journey.timeline.find((e: any) => e.type === 'journey.cancelled').detail).toMatchObject({ undone: ['vat', 'register'], by: 'citizen-1' });
  expect(stepOf(journey, 'vat').compensation).toEqual({ status: 'done' });
  expect(stepOf(journey, 'register').compensation).toEqual({ status: 'done' });
  expect(stepOf(journey, 'permit').compensation).toBeUndefined();
  expect(journey.cancelReason).toBe('I stop my business plans');

  const vat = await undoings(agencies.finance, 'activate-vat', id, 'vat');
  const register = await undoings(agencies.counter, 'register-enterprise', id, 'register');
  expect(vat.filter((c) => c.outcome === 'effective')).toHaveLength(1);
  expect(register.filter((c) => c.outcome === 'effective')).toHaveLength(1);
  expect(Date.parse(vat[0].at)).toBeLessThanOrEqual(Date.parse(register[0].at));
  // Cancelling again is refused: it is over.
  expectProblem(await citizen.post(`/journeys/${id}/cancel`, { reason: 'again' }), 409);
});

test('the worker killed while undoing and restarted: each step still undone exactly once, in reverse order', async () => {
  const id = await twoStepsDone();
  // The first undoing (vat) takes a while: the worker dies while it runs.
  await setBehaviour(stack, agencies.finance, encodeURIComponent('activate-vat/compensate'), { latencyMs: 2500 });
  expect((await citizen.post(`/journeys/${id}/cancel`, { reason: 'Changed my mind' })).status).toBe(200);
  await pollUntil('the vat undoing under way', async () => (await undoings(agencies.finance, 'activate-vat', id, 'vat')).length > 0 || stepOf(await journeyOf(id), 'vat').compensation?.status === 'running', { timeoutMs: 30_000 });
  await stack.killWorker();
  await new Promise((r) => setTimeout(r, 3000)); // the agency finishes its work while the worker is dead
  await setBehaviour(stack, agencies.finance, encodeURIComponent('activate-vat/compensate'), null);
  await stack.restartWorker();
  const journey = await waitForStatus(id, 'cancelled', 120_000);
  expect(journey.timeline.find((e: any) => e.type === 'journey.cancelled').detail).toMatchObject({ undone: ['vat', 'register'] });
  const vat = await undoings(agencies.finance, 'activate-vat', id, 'vat');
  const register = await undoings(agencies.counter, 'register-enterprise', id, 'register');
  expect(vat.filter((c) => c.outcome === 'effective')).toHaveLength(1);
  expect(register.filter((c) => c.outcome === 'effective')).toHaveLength(1);
  const lastVat = Math.max(...vat.map((c) => Date.parse(c.at)));
  expect(lastVat).toBeLessThanOrEqual(Math.min(...register.map((c) => Date.parse(c.at))));
});

test('an undoing that keeps failing needs attention; the caseworker retries it, and gives up another with a reason', async () => {
  const id = await twoStepsDone();
  await setBehaviour(stack, agencies.finance, encodeURIComponent('activate-vat/compensate'), { failPermanently: true, status: 503 });
  await setBehaviour(stack, agencies.counter, encodeURIComponent('register-enterprise/compensate'), { failPermanently: true, status: 503 });
  expect((await citizen.post(`/journeys/${id}/cancel`, { reason: 'Moving abroad' })).status).toBe(200);
  let journey = await pollUntil('the vat undoing needs attention', async () => {
    const j = await journeyOf(id);
    return stepOf(j, 'vat').compensation?.status === 'needs_attention' ? j : undefined;
  }, { timeoutMs: 60_000 });
  expect(journey.status).toBe('compensating');
  expect(journey.needsAttention).toBe(true);
  expect(stepOf(journey, 'vat').compensation.error).toBeTruthy();
  // Its retries happened (the step's retry policy: three attempts), none did the work.
  const failed = await undoings(agencies.finance, 'activate-vat', id, 'vat');
  expect(failed.filter((c) => c.outcome === 'failed')).toHaveLength(3);
  expect(failed.filter((c) => c.outcome === 'effective')).toHaveLength(0);
  const list = await financeCaseworker.get('/journeys?needsAttention=true');
  expect(list.body.items.map((j: any) => j.id)).toContain(id);

  // Only a caseworker of the step's agency answers it; giving up needs a reason.
  expectProblem(await counterCaseworker.post(`/journeys/${id}/steps/vat/retry`, {}), 403);
  expectProblem(await financeCaseworker.post(`/journeys/${id}/steps/vat/skip`, {}), 400);
  await setBehaviour(stack, agencies.finance, encodeURIComponent('activate-vat/compensate'), null);
  expect((await financeCaseworker.post(`/journeys/${id}/steps/vat/retry`, {})).status).toBe(200);

  journey = await pollUntil('the register undoing needs attention', async () => {
    const j = await journeyOf(id);
    return stepOf(j, 'register').compensation?.status === 'needs_attention' ? j : undefined;
  }, { timeoutMs: 60_000 });
  expect(stepOf(journey, 'vat').compensation.status).toBe('done');
  expect((await counterCaseworker.post(`/journeys/${id}/steps/register/skip`, { reason: 'Struck off by hand at the counter' })).status).toBe(200);
  journey = await waitForStatus(id, 'cancelled');
  expect(journey.needsAttention).toBe(false);
  expect(stepOf(journey, 'register').compensation.status).toBe('given_up');
  expect(journey.timeline.find((e: any) => e.type === 'step.compensation_given_up')).toMatchObject({ step: 'register', detail: { by: 'cw-counter', reason: 'Struck off by hand at the counter' } });
  expect(journey.timeline.find((e: any) => e.type === 'journey.cancelled').detail).toMatchObject({ undone: ['vat'], notUndone: ['register'] });
  expect((await undoings(agencies.finance, 'activate-vat', id, 'vat')).filter((c) => c.outcome === 'effective')).toHaveLength(1);
  await setBehaviour(stack, agencies.counter, encodeURIComponent('register-enterprise/compensate'), null);
});

test('a triggering event annulled after a step completed: the step is undone once, and the journey ends cancelled', async () => {
  const child = nthNationalNumber(4000 + Math.floor(Math.random() * 900));
  const event = birthEvent(child, []);
  expect((await postEvent(register, event)).status).toBe(202);
  const started = await pollUntil('the birth processed', async () => {
    const res = await auditor.get(`/events/national-register/${encodeURIComponent(event.id)}`);
    return res.body?.status === 'processed' ? res.body : undefined;
  });
  const id = started.result.started[0].journeyId as string;
  await pollUntil('the registration done, the visit waiting', async () => stepOf(await journeyOf(id), 'permit')?.status === 'waiting');

  const annulment = annulmentEvent(child);
  expect((await postEvent(register, annulment)).status).toBe(202);
  const journey = await waitForStatus(id, 'cancelled');
  expect(journey.cancelReason).toContain(annulment.id);
  expect(journey.timeline.find((e: any) => e.type === 'journey.cancelled').detail).toMatchObject({ undone: ['register'], by: 'source:national-register' });
  const calls = await undoings(agencies.counter, 'register-enterprise', id, 'register');
  expect(calls.filter((c) => c.outcome === 'effective')).toHaveLength(1);
  const processed = await pollUntil('the annulment processed', async () => {
    const res = await auditor.get(`/events/national-register/${encodeURIComponent(annulment.id)}`);
    return res.body?.status === 'processed' ? res.body : undefined;
  });
  expect(processed.result.cancelled).toEqual([{ journeyId: id, outcome: 'cancelled' }]);
});

test('a step undone by a caseworker: the compensation task is claimed and done like any task, and the journey then ends cancelled', async () => {
  const started = await citizen.post('/journeys', { lifeEvent: { key: PERMIT }, subject: { type: 'person', id: NATIONAL_NUMBER }, data: {} }, { 'idempotency-key': randomUUID() });
  expect(started.status).toBe(201);
  const id = started.body.id;
  const waiting = await pollUntil('the permit task open', async () => {
    const j = await journeyOf(id);
    return stepOf(j, 'permit')?.task?.status === 'open' ? j : undefined;
  });
  expect((await muniCaseworker.post(`/tasks/${stepOf(waiting, 'permit').task.id}/complete`, { outcome: 'approve' })).status).toBe(200);
  await pollUntil('the account task open', async () => stepOf(await journeyOf(id), 'account')?.status === 'waiting');

  expect((await citizen.post(`/journeys/${id}/cancel`, { reason: 'No terrace after all' })).status).toBe(200);
  const taskId = `${id}.permit.compensation`;
  const inbox = await pollUntil('the compensation task in the inbox', async () => {
    const res = await muniCaseworker.get('/tasks?view=open');
    return res.body.items.find((t: any) => t.id === taskId);
  });
  expect(inbox).toMatchObject({ purpose: 'compensation', assignee: 'caseworker', agency: agencies.municipality, status: 'open', step: 'permit' });
  let journey = await journeyOf(id);
  expect(journey.status).toBe('compensating');
  expect(stepOf(journey, 'permit').compensation).toEqual({ status: 'waiting' });
  // A citizen cannot do it; an answer without an outcome is refused.
  expectProblem(await citizen.post(`/tasks/${taskId}/complete`, { outcome: 'approve' }), 404);
  expectProblem(await muniCaseworker.post(`/tasks/${taskId}/complete`, {}), 422);
  const claimed = await muniCaseworker.post(`/tasks/${taskId}/claim`);
  expect(claimed.status).toBe(200);
  expect(claimed.body).toMatchObject({ status: 'claimed', claimedBy: 'cw-muni' });
  const done = await muniCaseworker.post(`/tasks/${taskId}/complete`, { outcome: 'approve', comment: 'Permit withdrawn in the register' });
  expect(done.status).toBe(200);
  expect(done.body).toMatchObject({ status: 'completed', completedBy: 'cw-muni', comment: 'Permit withdrawn in the register', data: { undone: true } });
  journey = await waitForStatus(id, 'cancelled');
  expect(stepOf(journey, 'permit').compensation).toEqual({ status: 'done' });
  // One row per step: the compensation task does not show the step twice.
  expect(journey.steps.map((s: any) => s.key)).toEqual(['permit', 'account']);
  expect(stepOf(journey, 'permit').task).toMatchObject({ id: `${id}.permit`, status: 'completed' });
  expect(journey.timeline.find((e: any) => e.type === 'step.compensated')).toMatchObject({ step: 'permit', detail: { by: 'cw-muni', comment: 'Permit withdrawn in the register' } });
  expect(journey.timeline.find((e: any) => e.type === 'journey.cancelled').detail).toMatchObject({ undone: ['permit'] });
  expect((await muniCaseworker.get('/tasks?view=open')).body.items.map((t: any) => t.id)).not.toContain(taskId);
});
