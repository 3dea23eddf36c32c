/**
 * Pinned definitions (issue 15, part 5), on the gateway in-process, a real worker, the real
 * Temporal server and PostgreSQL: a journey takes the life event's published version, and the step
 * versions it names, when it starts. A new version of a step (another endpoint, a longer service
 * norm, a data requirement more) and of the life event published while a journey waits changes
 * nothing for that journey (its step runs the old definition after the publication); a journey
 * started afterwards runs the new one.
 */
import { randomUUID } from 'node:crypto';
import { freePort } from '@levensloop/runtime';
import { startInProcessGateway, type InProcessGateway } from '../support/gateway';
import type { Api } from '../support/http';
import { pollUntil } from '../support/poll';

jest.setTimeout(180_000);

const t = (en: string) => ({ nl: en, en });
const law = { type: 'law', reference: 'Decreet, art. 1' };
const DAY = 86_400_000;

let gateway: InProcessGateway;
let admin: Api, caseworker: Api, citizen: Api;
let subject: string;

beforeAll(async () => {
  const sandboxPort = await freePort();
  gateway = await startInProcessGateway('pinned-definitions', { AGENCY_ALLOWED_INTERNAL_HOSTS: `127.0.0.1:${sandboxPort}` }, { port: sandboxPort });
  subject = gateway.sandbox.population.examples().flemishCouple.parents[1];
  [admin, caseworker, citizen] = await Promise.all([
    gateway.as({ role: 'catalog-admin', sub: 'admin' }),
    gateway.as({ role: 'caseworker', agency: 'municipality', sub: 'cw-1' }),
    gateway.as({ role: 'citizen', nationalNumber: subject, sub: 'citizen-pinned' }),
  ]);
});

afterAll(async () => {
  await gateway?.close();
});

/** The automatic step at a version: its own endpoint and service norm; from version 2 on it needs the birth date. */
const registerStep = (version: number) => ({
  key: 'register',
  kind: 'automatic',
  titles: t(`Register (version ${version})`),
  serviceNorm: { target: version === 1 ? 'P5D' : 'P20D' },
  endpoint: `${gateway.sandbox.url}/agencies/municipality/register-v${version}`,
  outputs: [{ name: 'reference', type: 'string' }],
  retry: { maximumAttempts: 3, initialInterval: 'PT0.2S', backoffCoefficient: 1, maximumInterval: 'PT1S' },
  ...(version > 1 ? { dataRequirements: [{ source: 'national-register', field: 'birthDate', purpose: t('To check the age'), legalBasis: law }] } : {}),
});

const lifeEvent = (registerVersion: number) => ({
  key: 'pinned',
  audience: 'citizen',
  titles: t('Pinned'),
  nodes: [
    { key: 'review', step: { agency: 'municipality', key: 'review', version: 1 } },
    { key: 'register', step: { agency: 'municipality', key: 'register', version: registerVersion }, dependsOn: ['review'] },
  ],
});

async function ok(res: Promise<{ status: number; body: unknown }>, status: number) {
  const answer = await res;
  expect({ status: answer.status, body: answer.body }).toMatchObject({ status });
  return answer.body as any;
}

async function start(): Promise<string> {
  const started = await ok(citizen.post('/journeys', { lifeEvent: { key: 'pinned' }, subject: { type: 'person', id: subject } }, { 'idempotency-key': `pinned-${randomUUID()}` }), 201);
  return started.id as string;
}

const reviewTask = (journeyId: string) =>
  pollUntil(`the review task of ${journeyId}`, async () => (await gateway.ds.query(`SELECT id FROM tasks WHERE journey_id = $1 AND node_key = 'review' AND status = 'open'`, [journeyId]))[0]?.id as string | undefined);

async function approve(journeyId: string) {
  const task = await reviewTask(journeyId);
  await ok(caseworker.post(`/tasks/${task}/claim`), 200);
  await ok(caseworker.post(`/tasks/${task}/complete`, { outcome: 'approve', comment: 'Looks fine' }), 200);
}

const completed = (journeyId: string) =>
  pollUntil(`journey ${journeyId} completed`, async () => {
    const res = await citizen.get(`/journeys/${journeyId}`);
    return res.body.status === 'completed' ? res.body : undefined;
  }, { timeoutMs: 90_000 });

async function callsOf(service: string): Promise<Array<{ body: unknown; idempotencyKey: string }>> {
  const res = await fetch(`${gateway.sandbox.url}/_sandbox/calls?agency=municipality&service=${service}`);
  return ((await res.json()) as { calls: Array<{ body: unknown; idempotencyKey: string }> }).calls;
}

const registerRow = async (journeyId: string) =>
  (
    await gateway.ds.query(
      `SELECT s.status, s.title, extract(epoch FROM s.due_at - s.started_at) * 1000 AS norm_ms, j.life_event_version
         FROM journey_steps s JOIN journeys j ON j.id = s.journey_id WHERE s.journey_id = $1 AND s.node_key = 'register'`,
      [journeyId],
    )
  )[0];

const fieldsOf = async (journeyId: string) =>
  (await gateway.ds.query(`SELECT source, field FROM journey_data_fields WHERE journey_id = $1 AND node_key = 'register' ORDER BY field`, [journeyId])) as Array<{ source: string; field: string }>;

test('a journey keeps the step and life-event versions it started with; one started after the publication takes the new ones', async () => {
  const sandboxHost = new URL(gateway.sandbox.url).host;
  await ok(admin.post('/agencies', { code: 'municipality', names: t('municipality'), endpointHosts: [sandboxHost] }), 201);
  await ok(admin.post('/agencies/municipality/steps', { key: 'review', kind: 'caseworker', titles: t('Review'), serviceNorm: { target: 'P10D' } }), 201);
  await ok(admin.post('/agencies/municipality/steps/review/versions/1/publish'), 200);
  await ok(admin.post('/agencies/municipality/steps', registerStep(1)), 201);
  await ok(admin.post('/agencies/municipality/steps/register/versions/1/publish'), 200);
  await ok(admin.post('/life-events', lifeEvent(1)), 201);
  await ok(admin.post('/life-events/pinned/versions/1/publish'), 200);

  // The first journey waits on the caseworker's review while the new versions are published.
  const before = await start();
  await reviewTask(before);
  expect((await ok(admin.post('/agencies/municipality/steps', registerStep(2)), 201)).version).toBe(2);
  await ok(admin.post('/agencies/municipality/steps/register/versions/2/publish'), 200);
  expect((await ok(admin.post('/life-events', lifeEvent(2)), 201)).version).toBe(2);
  await ok(admin.post('/life-events/pinned/versions/2/publish'), 200);
  const after = await start();

  // Both go on only now: the first journey's step runs after the publication, on its old definition.
  await approve(before);
  await approve(after);
  const [doneBefore, doneAfter] = await Promise.all([completed(before), completed(after)]);
  expect([doneBefore.lifeEvent?.version ?? doneBefore.lifeEventVersion, doneAfter.lifeEvent?.version ?? doneAfter.lifeEventVersion]).toEqual([1, 2]);

  // The endpoint: each journey called its own version's, once.
  const [v1, v2] = await Promise.all([callsOf('register-v1'), callsOf('register-v2')]);
  expect(v1).toHaveLength(1);
  expect(v2).toHaveLength(1);
  expect(v1[0].idempotencyKey).toContain(before);
  expect(v2[0].idempotencyKey).toContain(after);

  // The data requirement: only the new version reads the birth date and sends it to the agency.
  const birthDate = gateway.sandbox.population.person(subject)!.birthDate;
  expect(await fieldsOf(before)).toEqual([]);
  expect(await fieldsOf(after)).toEqual([{ source: 'national-register', field: 'birthDate' }]);
  expect(JSON.stringify(v1[0].body)).not.toContain(birthDate);
  expect(JSON.stringify(v2[0].body)).toContain(birthDate);

  // The service norm and the title: 5 days and version 1's for the first journey, 20 days and version 2's for the second.
  const [rowBefore, rowAfter] = await Promise.all([registerRow(before), registerRow(after)]);
  expect(rowBefore).toMatchObject({ status: 'completed', life_event_version: 1, title: { en: 'Register (version 1)' } });
  expect(rowAfter).toMatchObject({ status: 'completed', life_event_version: 2, title: { en: 'Register (version 2)' } });
  expect(Math.round(Number(rowBefore.norm_ms) / DAY)).toBe(5);
  expect(Math.round(Number(rowAfter.norm_ms) / DAY)).toBe(20);
});
