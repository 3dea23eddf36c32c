/**
 * Moving house end to end, on the example catalog (infra/catalog): the sandbox's address register
 * reports a change of address, the engine starts "moving house" by itself for the person who moved;
 * the new municipality registers them (a caseworker's task), then the vehicle register is called
 * once; the land registry's answer decides the waste tax (an owner gets it, a tenant does not); the
 * energy and water suppliers' steps are the citizen's, with the new address read from the register
 * and the date of the move from the event. The same CloudEvent delivered again starts nothing.
 */
import { Client as PgClient } from 'pg';
import { applyExampleCatalog } from '../support/catalog';
import { createTestDatabase } from '../support/database';
import type { Api } from '../support/http';
import { pollUntil } from '../support/poll';
import { agencyCalls, sandboxRequest, startStack, type Stack } from '../support/stack';

jest.setTimeout(300_000);

let db: { url: string; drop: () => Promise<void> };
let stack: Stack;
let pg: PgClient;
let auditor: Api;
/** Caseworkers of the two new municipalities: each step is routed to the subject's own. */
let leuven: Api;
let gent: Api;
let examples: any;

const sandbox = (method: string, route: string, body?: unknown) => sandboxRequest(stack, method, route, body);
const citizenApi = async (nationalNumber: string) => stack.api.as(await stack.token({ role: 'citizen', nationalNumber, sub: `citizen-${nationalNumber}` }));

async function journeysOf(person: string) {
  const res = await auditor.get(`/journeys?subject=${person}&lifeEvent=moving-house`);
  expect(res.status).toBe(200);
  return res.body.items as any[];
}

async function journeyOf(person: string) {
  return pollUntil(`moving-house journey for ${person}`, async () => {
    const items = await journeysOf(person);
    return items.length === 1 ? items[0] : undefined;
  });
}

async function stepOf(journeyId: string, node: string, until: (step: any) => boolean) {
  return pollUntil(`step ${node} of ${journeyId}`, async () => {
    const step = (await auditor.get(`/journeys/${journeyId}`)).body.steps?.find((s: any) => s.key === node);
    return step && until(step) ? step : undefined;
  });
}

async function openTask(api: Api, journeyId: string, node: string) {
  return pollUntil(`task of ${node}`, async () => {
    const res = await api.get('/tasks?view=open');
    return res.body.items?.find((t: any) => t.journeyId === journeyId && t.step === node && t.purpose === 'task');
  });
}

/** The value a step's data preparation stored for a field (what the citizen's form is pre-filled with). */
async function prefilled(journeyId: string, node: string, field: string) {
  const rows = await pg.query(`SELECT origin, value FROM journey_data_fields WHERE journey_id = $1 AND node_key = $2 AND source || '/' || field = $3`, [journeyId, node, field]);
  return rows.rows[0] as { origin: string; value: unknown } | undefined;
}

/** The person moves; the address register publishes the change to the gateway. */
async function move(person: string, postalCode: string, tenure: 'owner' | 'tenant') {
  const moved = await sandbox('POST', '/_sandbox/events/moves', { person, postalCode, tenure });
  expect(moved.delivery?.status).toBe(202);
  expect(moved.tenure).toBe(tenure);
  return moved;
}

/** The registration at the new municipality: the caseworker's task, approved. */
async function register(journeyId: string, municipality: Api, agency: string) {
  const task = await openTask(municipality, journeyId, 'register-new-resident');
  expect(task).toMatchObject({ agency, assignee: 'caseworker' });
  expect((await municipality.post(`/tasks/${task.id}/complete`, { outcome: 'approve', comment: 'Living at the new address: checked' })).status).toBe(200);
}

beforeAll(async () => {
  db = await createTestDatabase('e2e_moving_house');
  stack = await startStack(db.url, 'moving-house');
  await applyExampleCatalog(db.url, stack.sandboxUrl);
  pg = new PgClient({ connectionString: db.url });
  await pg.connect();
  auditor = stack.api.as(await stack.token({ role: 'auditor', sub: 'auditor-1' }));
  leuven = stack.api.as(await stack.token({ role: 'caseworker', agency: 'leuven', sub: 'registrar-leuven' }));
  gent = stack.api.as(await stack.token({ role: 'caseworker', agency: 'gent', sub: 'registrar-gent' }));
  examples = await sandbox('GET', '/_sandbox/population/examples');
});

afterAll(async () => {
  await pg?.end();
  await stack?.stop();
  await db?.drop();
});

test('a move starts "moving house" for the person who moved: registration at the municipality, the vehicle register once, the waste tax for an owner only, the suppliers pre-filled; the same event again starts nothing', async () => {
  const [owner] = examples.flemishCouple.parents;
  const [tenant] = examples.singleParent.parents;
  const ownerMove = await move(owner, '3000', 'owner');
  const tenantMove = await move(tenant, '9000', 'tenant');

  // The journey starts for the person the event names, with the event's data.
  const journey = await journeyOf(owner);
  expect(journey).toMatchObject({ lifeEvent: { key: 'moving-house' }, subject: { type: 'person', id: owner } });
  const detail = (await auditor.get(`/journeys/${journey.id}`)).body;
  const today = new Date().toISOString().slice(0, 10);
  expect(detail.data).toMatchObject({ movedOn: today, municipalityCode: '24062', previousMunicipalityCode: ownerMove.event.data.previousMunicipalityCode, newAddress: ownerMove.event.data.address });
  const tenantJourney = await journeyOf(tenant);
  expect(tenantJourney.subject.id).toBe(tenant);

  // Nothing reaches the vehicle register before the new municipality registered the person.
  const ownerTask = await openTask(leuven, journey.id, 'register-new-resident');
  // Routed to the owner's new municipality, not the tenant's.
  expect((await gent.get('/tasks?view=open')).body.items.some((t: any) => t.journeyId === journey.id)).toBe(false);
  expect(ownerTask.dueAt).toBeDefined();
  // The five-day norm of the registration.
  const registration = await stepOf(journey.id, 'register-new-resident', (s) => s.status === 'waiting');
  const norm = Date.parse(registration.dueAt) - Date.parse(registration.startedAt);
  expect(norm).toBeGreaterThanOrEqual(5 * 24 * 3600 * 1000);
  expect(norm).toBeLessThanOrEqual(7 * 24 * 3600 * 1000);
  const forJourney = async (id: string) =>
    (await sandbox('GET', '/_sandbox/calls?agency=vehicle-register&service=update-address')).calls.filter((c: any) => c.body?.journeyId === id);
  expect(await forJourney(journey.id)).toEqual([]);
  await register(journey.id, leuven, 'leuven');
  await register(tenantJourney.id, gent, 'gent');

  // The vehicle register: called once, with the new address read from the register, its answer kept.
  const vehicles = await stepOf(journey.id, 'vehicle-register', (s) => s.status === 'completed');
  expect(vehicles.outcome.data).toEqual({ status: 'done', reference: expect.stringMatching(/^VEH-/), vehiclesUpdated: expect.any(Number), registrationCertificateSent: expect.any(Boolean) });
  const calls = await forJourney(journey.id);
  expect(calls).toHaveLength(1);
  expect(calls[0].body.fields).toEqual({ 'address-register': { fullAddress: `${ownerMove.address.street} ${ownerMove.address.houseNumber}, 3000 Leuven` } });
  expect((await agencyCalls(stack, 'vehicle-register', 'update-address')).filter((c) => c.outcome === 'effective' && calls[0].idempotencyKey === c.idempotencyKey)).toHaveLength(1);

  // The waste tax: the land registry says the owner owns the new home, so the municipality's tax
  // office gets a task; the tenant's journey skips it.
  const ownership = await stepOf(journey.id, 'ownership', (s) => s.status === 'completed');
  expect(ownership.outcome.data.owner).toBe(true);
  const wasteTax = await openTask(leuven, journey.id, 'waste-tax');
  expect(wasteTax.agency).toBe('leuven');
  expect((await stepOf(tenantJourney.id, 'ownership', (s) => s.status === 'completed')).outcome.data.owner).toBe(false);
  await stepOf(tenantJourney.id, 'waste-tax', (s) => s.status === 'skipped');
  await stepOf(tenantJourney.id, 'vehicle-register', (s) => s.status === 'completed');

  // The suppliers: the citizen's own steps, the new address pre-filled from the address register
  // (the date of the move is in the journey's data); the citizen confirms.
  const citizen = await citizenApi(owner);
  for (const node of ['energy-supplier', 'water-supplier']) {
    const task = await openTask(citizen, journey.id, node);
    expect(task.assignee).toBe('citizen');
    expect(await prefilled(journey.id, node, 'address-register/fullAddress')).toEqual({ origin: 'source', value: `${ownerMove.address.street} ${ownerMove.address.houseNumber}, 3000 Leuven` });
    expect((await citizen.post(`/tasks/${task.id}/complete`, { outcome: 'approve', data: { movedOn: today } })).status).toBe(200);
  }
  expect((await prefilled(tenantJourney.id, 'energy-supplier', 'address-register/fullAddress'))?.value).toBe(`${tenantMove.address.street} ${tenantMove.address.houseNumber}, 9000 Gent`);
  expect((await citizen.get(`/journeys/${journey.id}`)).body.data.movedOn).toBe(today);

  // The same CloudEvent again (a redelivery): a duplicate, nothing starts twice.
  const again = await sandbox('POST', '/_sandbox/events/deliver', { event: ownerMove.event });
  expect(again.delivery.status).toBe(200);
  expect(await journeysOf(owner)).toHaveLength(1);
  const started = await pg.query(`SELECT count(*)::int AS n FROM journeys WHERE subject_id = $1 AND life_event_key = 'moving-house'`, [owner]);
  expect(started.rows[0].n).toBe(1);

  // The owner's journey completes once the waste tax is enrolled.
  expect((await leuven.post(`/tasks/${wasteTax.id}/complete`, { outcome: 'approve', comment: 'Enrolled for the waste tax' })).status).toBe(200);
  await pollUntil('journey completed', async () => ((await auditor.get(`/journeys/${journey.id}`)).body.status === 'completed' ? true : undefined));
});
