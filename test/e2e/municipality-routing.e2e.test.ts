/**
 * Steps routed to the subject's own municipality, the whole stack as separate processes: the
 * example catalog makes every Flemish centre city (and a few small municipalities) an agency
 * serving its NIS code, and declares `register-new-resident` once for them. One life event names
 * the step by `agencyRole: municipality`. A citizen of Gent and one of Leuven (picked from the
 * sandbox population by municipality) each get their task at their own municipality, which alone
 * sees and claims it; the timeline says where the step went and why. A citizen in Brussels (no
 * agency serves it) gets the step as needing attention with a message that names the municipality
 * and the step, and a retry routes it once Brussels is registered and offers the step.
 */
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { SEARCH_ATTRIBUTES, journeyWorkflowId } from '@levensloop/contracts/workflow';
import { applyExampleCatalog } from '../support/catalog';
import { createTestDatabase } from '../support/database';
import { expectProblem, type Api } from '../support/http';
import { pollUntil } from '../support/poll';
import { sandboxRequest, startStack, type Stack } from '../support/stack';

jest.setTimeout(300_000);

const run = randomUUID().slice(0, 6);
const lifeEvent = `settle-${run}`;
const GENT = '44021';
const LEUVEN = '24062';
const BRUSSELS = '21004';
let db: { url: string; drop: () => Promise<void> };
let stack: Stack;
let admin: Api;
let auditor: Api;
let gent: Api;
let leuven: Api;
let municipality: Api;

const titles = (nl: string) => ({ nl, fr: `${nl} (fr)`, de: `${nl} (de)`, en: `${nl} (en)` });
const stepOf = (journey: any, key: string) => journey.steps.find((s: any) => s.key === key);

beforeAll(async () => {
  db = await createTestDatabase('e2e_municipality_routing');
  stack = await startStack(db.url, 'municipality-routing');
  await applyExampleCatalog(db.url, stack.sandboxUrl);
  admin = stack.api.as(await stack.token({ role: 'catalog-admin', sub: 'admin-1' }));
  auditor = stack.api.as(await stack.token({ role: 'auditor', sub: 'auditor-1' }));
  gent = stack.api.as(await stack.token({ role: 'caseworker', agency: 'gent', sub: 'cw-gent' }));
  leuven = stack.api.as(await stack.token({ role: 'caseworker', agency: 'leuven', sub: 'cw-leuven' }));
  municipality = stack.api.as(await stack.token({ role: 'caseworker', agency: 'municipality', sub: 'cw-municipality' }));

  // The API knows roles: an unknown role, a pinned version, and an agency next to the role are refused.
  const node = (step: Record<string, unknown>) => ({ key: `bad-${run}`, audience: 'citizen', titles: titles('Fout'), nodes: [{ key: 'register', step }] });
  expect(expectProblem(await admin.post('/life-events', node({ agencyRole: 'embassy', key: 'register-new-resident', version: 0 })), 422).errors).toEqual([expect.objectContaining({ path: '/nodes/0/step/agencyRole' })]);
  expect(expectProblem(await admin.post('/life-events', node({ agencyRole: 'municipality', key: 'register-new-resident', version: 1 })), 422).errors).toEqual([expect.objectContaining({ path: '/nodes/0/step/version' })]);
  expect(expectProblem(await admin.post('/life-events', node({ agencyRole: 'municipality', key: 'no-such-step', version: 0 })), 422).errors).toEqual([
    expect.objectContaining({ path: '/nodes/0/step', message: expect.stringMatching(/no agency serving role 'municipality' offers a published step 'no-such-step'/) }),
  ]);

  const created = await admin.post('/life-events', {
    key: lifeEvent,
    audience: 'citizen',
    titles: titles('Zich vestigen'),
    nodes: [{ key: 'register', step: { agencyRole: 'municipality', key: 'register-new-resident', version: 0 } }],
  });
  expect(created.status).toBe(201);
  expect(created.body.nodes[0].step).toEqual({ agencyRole: 'municipality', agency: 'municipality', key: 'register-new-resident', version: 0 });
  expect((await admin.post(`/life-events/${lifeEvent}/versions/1/publish`)).status).toBe(200);
});

afterAll(async () => {
  await stack?.stop();
  await db?.drop();
});

async function residentOf(municipalityCode: string): Promise<string> {
  const res = await sandboxRequest(stack, 'GET', `/_sandbox/population/persons?municipalityCode=${municipalityCode}&limit=1`);
  expect(res.nationalNumbers).toHaveLength(1);
  return res.nationalNumbers[0];
}

async function startFor(nationalNumber: string) {
  const citizen = stack.api.as(await stack.token({ role: 'citizen', nationalNumber, sub: `citizen-${nationalNumber}` }));
  const res = await citizen.post('/journeys', { lifeEvent: { key: lifeEvent }, subject: { type: 'person', id: nationalNumber } }, { 'idempotency-key': randomUUID() });
  expect(res.status).toBe(201);
  return { id: res.body.id as string, citizen };
}

let last: unknown;
const waitForJourney = (id: string, until: (j: any) => boolean) =>
  pollUntil(`journey ${id}`, async () => {
    const res = await auditor.get(`/journeys/${id}`);
    last = res.body;
    return res.status === 200 && until(res.body) ? res.body : undefined;
  }).catch((err) => {
    throw new Error(`${(err as Error).message}; last seen: ${JSON.stringify(last)}`);
  });

/** What Temporal's visibility holds as the journey's agencies. */
async function agenciesAttribute(journeyId: string): Promise<string[] | undefined> {
  const connection = await Connection.connect({ address: stack.env.TEMPORAL_ADDRESS });
  try {
    const client = new Client({ connection, namespace: stack.env.TEMPORAL_NAMESPACE ?? 'default' });
    return (await client.workflow.getHandle(journeyWorkflowId(journeyId)).describe()).typedSearchAttributes.get(SEARCH_ATTRIBUTES.agencies);
  } finally {
    await connection.close();
  }
}

const openTaskOf = (api: Api, journeyId: string) => pollUntil(`the task of ${journeyId}`, async () => (await api.get('/tasks?view=open')).body.items?.find((t: any) => t.journeyId === journeyId));

test('the catalogue shows which municipalities offer the step, and which serve none of it yet', async () => {
  const res = await auditor.get('/steps/register-new-resident/offered-by?role=municipality');
  expect(res.status).toBe(200);
  const offered = res.body.offeredBy.map((o: any) => o.agency);
  expect(offered).toEqual(expect.arrayContaining(['gent', 'leuven', 'antwerpen', 'turnhout']));
  expect(offered).toHaveLength(16);
  expect(res.body.offeredBy.find((o: any) => o.agency === 'gent')).toEqual({ agency: 'gent', names: { nl: 'Gent', fr: 'Gand', de: 'Gent', en: 'Ghent' }, serves: GENT, version: 1 });
  expect(res.body.notOfferedBy).toEqual([expect.objectContaining({ agency: 'knokke-heist', serves: '31043' })]);
  expectProblem(await auditor.get('/steps/register-new-resident/offered-by?role=embassy'), 400);
});

test('a citizen of Gent and one of Leuven: each task lands at their own municipality, which alone sees and claims it', async () => {
  const [inGent, inLeuven] = [await residentOf(GENT), await residentOf(LEUVEN)];
  const a = await startFor(inGent);
  const b = await startFor(inLeuven);

  const journeyA = await waitForJourney(a.id, (j) => stepOf(j, 'register')?.status === 'waiting');
  const journeyB = await waitForJourney(b.id, (j) => stepOf(j, 'register')?.status === 'waiting');
  expect(stepOf(journeyA, 'register').agency).toBe('gent');
  expect(stepOf(journeyB, 'register').agency).toBe('leuven');
  // Who is responsible and why, in the timeline the caseworker and the citizen read.
  const routed = journeyA.timeline.find((e: any) => e.type === 'step.routed');
  expect(routed).toMatchObject({
    step: 'register',
    detail: {
      agency: 'gent',
      role: 'municipality',
      served: GENT,
      source: 'address-register',
      field: 'municipalityCode',
      version: 1,
      explanation: {
        nl: 'toegewezen aan Gent (NIS 44021), volgens het adressenregister',
        fr: "confié à Gand (INS 44021), selon le registre d'adresses",
        de: 'zugewiesen an Gent (NIS 44021), laut dem Adressregister',
        en: 'routed to Ghent (NIS 44021), from the address register',
      },
    },
  });
  const own = await a.citizen.get(`/journeys/${a.id}`);
  expect(own.body.timeline.find((e: any) => e.type === 'step.routed')?.detail.explanation.en).toBe('routed to Ghent (NIS 44021), from the address register');

  // Each municipality sees its own citizen's task and journey, not the other's.
  const taskA = await openTaskOf(gent, a.id);
  const taskB = await openTaskOf(leuven, b.id);
  expect(taskA).toMatchObject({ step: 'register', agency: 'gent' });
  expect(taskB).toMatchObject({ step: 'register', agency: 'leuven' });
  expect((await gent.get('/tasks?view=open')).body.items.some((t: any) => t.journeyId === b.id)).toBe(false);
  expect((await leuven.get('/tasks?view=open')).body.items.some((t: any) => t.journeyId === a.id)).toBe(false);
  expect((await gent.get(`/tasks/${taskB.id}`)).status).toBe(404);
  expect((await gent.get(`/journeys/${b.id}`)).status).toBe(404);
  expect((await leuven.get(`/journeys/${a.id}`)).status).toBe(404);
  // Neither can claim the other's task; each claims its own.
  expectProblem(await gent.post(`/tasks/${taskB.id}/claim`), 404);
  expectProblem(await leuven.post(`/tasks/${taskA.id}/claim`), 404);
  // Routed, the journey belongs to its municipality only: the generic `municipality` (the role's
  // placeholder) sees neither the journey nor its task, in the read model and in visibility.
  expect(journeyA.agencies).toEqual(['gent']);
  expect(journeyB.agencies).toEqual(['leuven']);
  expect((await municipality.get(`/journeys/${a.id}`)).status).toBe(404);
  expect((await municipality.get(`/journeys/${b.id}`)).status).toBe(404);
  const listed = (await municipality.get(`/journeys?lifeEvent=${lifeEvent}`)).body.items.map((j: any) => j.id);
  expect(listed).not.toContain(a.id);
  expect(listed).not.toContain(b.id);
  expect((await municipality.get('/tasks?view=open')).body.items.some((t: any) => t.journeyId === a.id || t.journeyId === b.id)).toBe(false);
  expectProblem(await municipality.post(`/tasks/${taskA.id}/claim`), 404);
  expect((await gent.get(`/journeys/${a.id}`)).status).toBe(200);
  expect((await gent.get(`/journeys?lifeEvent=${lifeEvent}`)).body.items.map((j: any) => j.id)).toContain(a.id);
  expect(await agenciesAttribute(a.id)).toEqual(['gent']);

  expect((await gent.post(`/tasks/${taskA.id}/claim`)).status).toBe(200);
  expect((await leuven.post(`/tasks/${taskB.id}/claim`)).status).toBe(200);
  expect((await gent.post(`/tasks/${taskA.id}/complete`, { outcome: 'approve' })).status).toBe(200);
  const done = await waitForJourney(a.id, (j) => j.status === 'completed');
  expect(stepOf(done, 'register')).toMatchObject({ agency: 'gent', status: 'completed' });
});

test('a citizen in Brussels: no agency serves the municipality, so the step needs attention saying so; a retry routes it once Brussels offers the step', async () => {
  const inBrussels = await residentOf(BRUSSELS);
  const { id } = await startFor(inBrussels);
  const journey = await waitForJourney(id, (j) => stepOf(j, 'register')?.status === 'needs_attention');
  expect(journey.status).toBe('needs_attention');
  expect(stepOf(journey, 'register')).toMatchObject({ agency: 'municipality' });
  expect(stepOf(journey, 'register').error).toBe(
    "No agency serves municipality NIS 21004 (from the address-register), so step 'register-new-resident' is not offered there; retry once that municipality is registered as an agency, or skip the step.",
  );
  // Gent sees nothing of it; the role's placeholder agency answers for the unrouted step.
  expect((await gent.get(`/journeys/${id}`)).status).toBe(404);
  expect(journey.agencies).toEqual(['municipality']);
  expect((await municipality.get(`/journeys/${id}`)).status).toBe(200);

  // Brussels becomes an agency serving its NIS code but offers nothing yet: the retry says that.
  const brussel = `brussel-${run}`;
  expect((await admin.post('/agencies', { code: brussel, names: { nl: 'Brussel', fr: 'Bruxelles', de: 'Brüssel', en: 'Brussels' }, serves: { municipality: BRUSSELS } })).status).toBe(201);
  expect((await municipality.post(`/journeys/${id}/steps/register/retry`)).status).toBe(200);
  await pollUntil('the retry says Brussels does not offer the step', async () => {
    const j = (await auditor.get(`/journeys/${id}`)).body;
    return stepOf(j, 'register').status === 'needs_attention' && /Brussel \(NIS 21004, agency brussel-/.test(stepOf(j, 'register').error ?? '') ? j : undefined;
  });

  // Once it publishes the step, a retry routes the step there.
  expect((await admin.post(`/agencies/${brussel}/steps`, { key: 'register-new-resident', kind: 'caseworker', titles: titles('Inschrijving'), serviceNorm: { target: 'P5D' } })).status).toBe(201);
  expect((await admin.post(`/agencies/${brussel}/steps/register-new-resident/versions/1/publish`)).status).toBe(200);
  expect((await municipality.post(`/journeys/${id}/steps/register/retry`)).status).toBe(200);
  const routed = await waitForJourney(id, (j) => stepOf(j, 'register')?.status === 'waiting');
  expect(stepOf(routed, 'register').agency).toBe(brussel);
  const caseworker = stack.api.as(await stack.token({ role: 'caseworker', agency: brussel, sub: 'cw-brussel' }));
  expect(await openTaskOf(caseworker, id)).toMatchObject({ step: 'register', agency: brussel });
  // Routed at last: the placeholder no longer sees it.
  expect((await auditor.get(`/journeys/${id}`)).body.agencies).toEqual([brussel]);
  expect((await municipality.get(`/journeys/${id}`)).status).toBe(404);
  expect(await agenciesAttribute(id)).toEqual([brussel]);
});

test("a municipality's caseworker starts the life event for their own citizen only: the address register says whose citizen it is", async () => {
  const [inGent, inLeuven] = [await residentOf(GENT), await residentOf(LEUVEN)];
  const started = await gent.post('/journeys', { lifeEvent: { key: lifeEvent }, subject: { type: 'person', id: inGent }, reason: 'Aangifte aan het loket' }, { 'idempotency-key': randomUUID() });
  expect(started.status).toBe(201);
  const journey = await waitForJourney(started.body.id, (j) => stepOf(j, 'register')?.status === 'waiting');
  expect(stepOf(journey, 'register').agency).toBe('gent');

  const refused = expectProblem(
    await gent.post('/journeys', { lifeEvent: { key: lifeEvent }, subject: { type: 'person', id: inLeuven }, reason: 'Aangifte aan het loket' }, { 'idempotency-key': randomUUID() }),
    403,
  );
  expect(refused.detail).toBe(
    `The address-register places the subject in municipality NIS ${LEUVEN}, not in NIS ${GENT} that your agency 'gent' serves: only the agency serving NIS ${LEUVEN} starts life event '${lifeEvent}' for them.`,
  );
  // An agency that serves no role of the life event is told who can.
  expect(expectProblem(await stack.api.as(await stack.token({ role: 'caseworker', agency: 'growth-package', sub: 'cw-growth' })).post('/journeys', { lifeEvent: { key: lifeEvent }, subject: { type: 'person', id: inGent }, reason: 'Aangifte' }, { 'idempotency-key': randomUUID() }), 403).detail).toMatch(
    /serves none of its agency roles \(municipality\).*a caseworker of the agency serving the subject's municipality can/,
  );
  // Both reads are the caseworker's, in the access log, with why (the request shows with its outcome).
  for (const subject of [inGent, inLeuven]) {
    const reads = (await auditor.get(`/data-access?subject=${subject}&agency=gent&lang=en`)).body.items.filter((e: any) => e.actor?.caseworker === 'cw-gent' && e.source?.key === 'address-register');
    expect(reads.map((e: any) => e.outcome)).toEqual(['granted']);
    expect(reads[0].purpose).toBe('Check that you belong to the municipality (or other service) of the caseworker who starts a life event for you');
  }
});
