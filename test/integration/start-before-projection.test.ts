/**
 * A journey read before its first projection (issue 13): `POST /journeys` answers once Temporal
 * has accepted the start, without waiting for the read model. Here no worker runs, so nothing
 * ever projects the journey: every read below comes from the workflow's start, on the gateway in
 * process (real guard, filter, validation), a fresh PostgreSQL database and the real Temporal server.
 * - `GET /journeys/{id}` answers 200 with the journey as it starts (its steps pending) to whoever
 *   may see it, and the same 404 as for a journey that does not exist to anyone else;
 * - the same caller and key with another body is refused (422), the same body is a replay (200).
 */
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { startInProcessGateway, type InProcessGateway } from '../support/gateway';
import { expectProblem, type Api } from '../support/http';

jest.setTimeout(90_000);

const CITIZEN = '85073003328';
const OTHER_CITIZEN = '90010100123';

let gateway: InProcessGateway;
let ds: DataSource;
let admin: Api, citizen: Api, stranger: Api, municipality: Api, otherAgency: Api, auditor: Api;

const t = (en: string) => ({ nl: en, en });
const body = { lifeEvent: { key: 'permit' }, subject: { type: 'person', id: CITIZEN } };
const rowsOf = async (id: string) => (await ds.query(`SELECT count(*)::int AS n FROM journeys WHERE id = $1`, [id]))[0].n;

beforeAll(async () => {
  gateway = await startInProcessGateway('start-before-projection', {}, {}, { worker: false });
  ds = gateway.ds;
  [admin, citizen, stranger, municipality, otherAgency, auditor] = await Promise.all([
    gateway.as({ role: 'catalog-admin', sub: 'admin' }),
    gateway.as({ role: 'citizen', nationalNumber: CITIZEN, sub: 'citizen' }),
    gateway.as({ role: 'citizen', nationalNumber: OTHER_CITIZEN, sub: 'stranger' }),
    gateway.as({ role: 'caseworker', agency: 'municipality', sub: 'cw-municipality' }),
    gateway.as({ role: 'caseworker', agency: 'finance', sub: 'cw-finance' }),
    gateway.as({ role: 'auditor', sub: 'auditor' }),
  ]);
  expect((await admin.post('/agencies', { code: 'municipality', names: t('municipality') })).status).toBe(201);
  expect((await admin.post('/agencies', { code: 'finance', names: t('finance') })).status).toBe(201);
  for (const [agency, key, kind] of [['municipality', 'permit', 'caseworker'], ['municipality', 'register', 'citizen']]) {
    expect((await admin.post(`/agencies/${agency}/steps`, { key, kind, titles: t(key), serviceNorm: { target: 'P10D' } })).status).toBe(201);
    expect((await admin.post(`/agencies/${agency}/steps/${key}/versions/1/publish`)).status).toBe(200);
  }
  const nodes = [
    { key: 'register', step: { agency: 'municipality', key: 'register', version: 1 } },
    { key: 'permit', step: { agency: 'municipality', key: 'permit', version: 1 }, dependsOn: ['register'] },
  ];
  expect((await admin.post('/life-events', { key: 'permit', audience: 'citizen', titles: t('Permit'), nodes })).status).toBe(201);
  expect((await admin.post('/life-events/permit/versions/1/publish')).status).toBe(200);
  expect((await admin.post('/life-events', { key: 'moving', audience: 'citizen', titles: t('Moving'), nodes: nodes.slice(0, 1) })).status).toBe(201);
  expect((await admin.post('/life-events/moving/versions/1/publish')).status).toBe(200);
});

afterAll(async () => {
  await gateway?.close();
});

describe('a journey no worker has projected yet', () => {
  let id: string;
  let started: Record<string, any>;
  const key = randomUUID();

  beforeAll(async () => {
    const res = await citizen.post('/journeys', body, { 'idempotency-key': key });
    expect(res.status).toBe(201);
    started = res.body;
    id = started.id;
  });

  test('is started without a row in the read model (nothing projects it)', async () => {
    expect(started).toMatchObject({ status: 'running', subject: body.subject, lifeEvent: { key: 'permit', version: 1 } });
    expect(await rowsOf(id)).toBe(0);
  });

  test('reads back from the workflow: the journey as it starts, every step pending, to the subject, a caseworker of its agency and an auditor', async () => {
    for (const api of [citizen, municipality, auditor]) {
      const res = await api.get(`/journeys/${id}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual(started);
    }
    const { body: journey } = await citizen.get(`/journeys/${id}`);
    expect(journey.steps.map((s: any) => [s.key, s.agency, s.kind, s.status])).toEqual([
      ['register', 'municipality', 'citizen', 'pending'],
      ['permit', 'municipality', 'caseworker', 'pending'],
    ]);
    expect(journey).toMatchObject({ agencies: ['municipality'], startedBy: 'citizen', timeline: [] });
    // The journey's other pages decide access on the same facts: nothing sent yet, no 404.
    const messages = await citizen.get(`/journeys/${id}/notifications`);
    expect(messages.status).toBe(200);
    expect(messages.body.notifications).toEqual([]);
    // Its steps are known too: retrying one is refused for who asks (a citizen), not as a missing step.
    expectProblem(await citizen.post(`/journeys/${id}/steps/register/retry`), 403);
  });

  test('is a 404 to anyone else, the same as a journey that does not exist', async () => {
    const missing = expectProblem(await citizen.get(`/journeys/${randomUUID()}`), 404);
    for (const api of [stranger, otherAgency, admin]) {
      const refused = expectProblem(await api.get(`/journeys/${id}`), 404);
      expect(refused.title).toBe(missing.title);
    }
    expectProblem(await stranger.post(`/journeys/${id}/cancel`, { reason: 'Not mine to cancel' }), 404);
    expectProblem(await stranger.get(`/journeys/${id}/notifications`), 404);
  });

  test('the same key and body is a replay of it; the same key with another body is refused', async () => {
    const again = await citizen.post('/journeys', body, { 'idempotency-key': key });
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toEqual(started);

    const reused = expectProblem(await citizen.post('/journeys', { ...body, lifeEvent: { key: 'moving' } }, { 'idempotency-key': key }), 422);
    expect(reused).toMatchObject({ type: expect.stringContaining('idempotency-key-reused') });
    // Nothing else was started, and the journey is still the one first asked for.
    expect((await citizen.get(`/journeys/${id}`)).body).toEqual(started);
  });

  test('lists are eventually consistent: the journey shows there once projected, not before', async () => {
    const { body: page } = await citizen.get('/journeys');
    expect(page.items.map((j: any) => j.id)).not.toContain(id);
  });
});
