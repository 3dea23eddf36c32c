/**
 * Two behaviours of the gateway no other test pinned (issue 18), on the gateway in-process (real
 * guard, filter and validation), a fresh PostgreSQL database and the real Temporal server:
 * - a caseworker completing (claiming, releasing) a task a colleague of the same agency claimed is
 *   refused for the task's state (409, as the authorisation matrix has it: who asks passes, what is
 *   asked does not), before the workflow is asked, and the task stays the colleague's;
 * - two callers sending the same `Idempotency-Key` on `POST /journeys` each get a journey of their
 *   own: the key is the caller's, never a way to reach someone else's journey.
 */
import { randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import { startInProcessGateway, type InProcessGateway } from '../support/gateway';
import { expectProblem, type Api } from '../support/http';
import { pollUntil } from '../support/poll';

jest.setTimeout(90_000);

const CITIZEN_A = '85073003328';
const CITIZEN_B = '90010100123';
let JOURNEY: string;
let TASK: string;

let gateway: InProcessGateway;
let ds: DataSource;
let admin: Api, first: Api, colleague: Api, citizenA: Api, citizenB: Api;

const t = (en: string) => ({ nl: en, en });

beforeAll(async () => {
  gateway = await startInProcessGateway('tasks-and-starts');
  ds = gateway.ds;
  [admin, first, colleague, citizenA, citizenB] = await Promise.all([
    gateway.as({ role: 'catalog-admin', sub: 'admin' }),
    gateway.as({ role: 'caseworker', agency: 'municipality', sub: 'cw-first' }),
    gateway.as({ role: 'caseworker', agency: 'municipality', sub: 'cw-colleague' }),
    gateway.as({ role: 'citizen', nationalNumber: CITIZEN_A, sub: 'citizen-a' }),
    gateway.as({ role: 'citizen', nationalNumber: CITIZEN_B, sub: 'citizen-b' }),
  ]);
  expect((await admin.post('/agencies', { code: 'municipality', names: t('municipality') })).status).toBe(201);
  expect((await admin.post('/agencies/municipality/steps', { key: 'permit', kind: 'caseworker', titles: t('Permit'), serviceNorm: { target: 'P10D' } })).status).toBe(201);
  expect((await admin.post('/agencies/municipality/steps/permit/versions/1/publish')).status).toBe(200);
  expect((await admin.post('/life-events', { key: 'permit', audience: 'citizen', titles: t('Permit'), nodes: [{ key: 'permit', step: { agency: 'municipality', key: 'permit', version: 1 } }] })).status).toBe(201);
  expect((await admin.post('/life-events/permit/versions/1/publish')).status).toBe(200);
  // A journey waiting on the municipality's caseworker task: claims go to its workflow, whose projection writes the row.
  const started = await citizenA.post('/journeys', { lifeEvent: { key: 'permit' }, subject: { type: 'person', id: CITIZEN_A } }, { 'idempotency-key': `permit-${randomUUID()}` });
  expect(started.status).toBe(201);
  JOURNEY = started.body.id;
  TASK = `${JOURNEY}.permit`;
  await pollUntil('the permit task', async () => (await ds.query(`SELECT 1 FROM tasks WHERE id = $1 AND status = 'open'`, [TASK])).length > 0);
});

afterAll(async () => {
  await gateway?.close();
});

/** A start answers before the journey's first projection: its rows come a moment later. */
const projected = (ids: string[]) =>
  pollUntil('the journeys projected', async () => (await ds.query(`SELECT count(*)::int AS n FROM journeys WHERE id = ANY($1::uuid[])`, [ids]))[0].n === ids.length);

const taskRow = async () => (await ds.query(`SELECT status, claimed_by, completed_by, outcome FROM tasks WHERE id = $1`, [TASK]))[0];

describe('a task a colleague of the same agency claimed', () => {
  test('is not completed, claimed or released by the other caseworker: 409 naming who holds it, and it stays theirs', async () => {
    expect((await first.post(`/tasks/${TASK}/claim`)).body).toMatchObject({ id: TASK, status: 'claimed', claimedBy: 'cw-first' });
    // The colleague sees it (same agency): refused for its state, not for who they are.
    expect((await colleague.get(`/tasks/${TASK}`)).body).toMatchObject({ status: 'claimed', claimedBy: 'cw-first' });

    const completed = expectProblem(await colleague.post(`/tasks/${TASK}/complete`, { outcome: 'approve', comment: 'Looks fine to me' }), 409);
    expect(completed.detail).toBe('The task is claimed by cw-first; only they can complete it.');
    expect(expectProblem(await colleague.post(`/tasks/${TASK}/claim`), 409).detail).toBe('The task is already claimed by cw-first.');
    expectProblem(await colleague.post(`/tasks/${TASK}/release`), 409);

    expect(await taskRow()).toEqual({ status: 'claimed', claimed_by: 'cw-first', completed_by: null, outcome: null });
    expect((await colleague.get('/tasks?view=mine')).body.items).toEqual([]);
    expect((await first.get('/tasks?view=mine')).body.items.map((i: any) => i.id)).toEqual([TASK]);
  });

  test('claiming again is harmless for the one who holds it; once released, the colleague may take it', async () => {
    expect((await first.post(`/tasks/${TASK}/claim`)).body).toMatchObject({ status: 'claimed', claimedBy: 'cw-first' });
    expect((await first.post(`/tasks/${TASK}/release`)).body).toMatchObject({ status: 'open' });
    expect(await taskRow()).toMatchObject({ status: 'open', claimed_by: null });
    expect((await colleague.post(`/tasks/${TASK}/claim`)).body).toMatchObject({ status: 'claimed', claimedBy: 'cw-colleague' });
    // Now the first caseworker is the one refused.
    expect(expectProblem(await first.post(`/tasks/${TASK}/complete`, { outcome: 'reject', comment: 'Incomplete file' }), 409).detail).toBe('The task is claimed by cw-colleague; only they can complete it.');
    expect(await taskRow()).toEqual({ status: 'claimed', claimed_by: 'cw-colleague', completed_by: null, outcome: null });
  });
});

describe('the same Idempotency-Key from two callers', () => {
  const start = (api: Api, subject: string, key: string) => api.post('/journeys', { lifeEvent: { key: 'permit' }, subject: { type: 'person', id: subject } }, { 'idempotency-key': key });

  test('starts a journey for each, and each replay answers the caller with their own', async () => {
    const key = `shared-${randomUUID()}`;
    const a = await start(citizenA, CITIZEN_A, key);
    const b = await start(citizenB, CITIZEN_B, key);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(b.headers.get('idempotent-replayed')).toBeNull();
    expect(a.body.id).not.toBe(b.body.id);

    await projected([a.body.id, b.body.id]);
    const rows = await ds.query(`SELECT id, subject_id, started_by FROM journeys WHERE id = ANY($1::uuid[]) ORDER BY subject_id`, [[a.body.id, b.body.id]]);
    expect(rows).toEqual([
      { id: a.body.id, subject_id: CITIZEN_A, started_by: 'citizen-a' },
      { id: b.body.id, subject_id: CITIZEN_B, started_by: 'citizen-b' },
    ]);

    const againA = await start(citizenA, CITIZEN_A, key);
    const againB = await start(citizenB, CITIZEN_B, key);
    expect([againA.status, againA.body.id, againA.headers.get('idempotent-replayed')]).toEqual([200, a.body.id, 'true']);
    expect([againB.status, againB.body.id, againB.headers.get('idempotent-replayed')]).toEqual([200, b.body.id, 'true']);
    // Neither reads the other's journey through the shared key.
    expectProblem(await citizenB.get(`/journeys/${a.body.id}`), 404);
    expectProblem(await citizenA.get(`/journeys/${b.body.id}`), 404);
  });

  test('also when both ask at once, and when the two requests are identical (two caseworkers, one citizen)', async () => {
    const key = `race-${randomUUID()}`;
    const [a, b] = await Promise.all([start(citizenA, CITIZEN_A, key), start(citizenB, CITIZEN_B, key)]);
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body.id).not.toBe(b.body.id);

    const same = `same-${randomUUID()}`;
    const body = { lifeEvent: { key: 'permit' }, subject: { type: 'person', id: CITIZEN_A }, reason: 'Asked at the counter' };
    const [x, y] = await Promise.all([first.post('/journeys', body, { 'idempotency-key': same }), colleague.post('/journeys', body, { 'idempotency-key': same })]);
    expect([x.status, y.status]).toEqual([201, 201]);
    expect(x.body.id).not.toBe(y.body.id);
    await projected([x.body.id, y.body.id]);
    const startedBy = await ds.query(`SELECT started_by FROM journeys WHERE id = ANY($1::uuid[]) ORDER BY started_by`, [[x.body.id, y.body.id]]);
    expect(startedBy.map((r: any) => r.started_by)).toEqual(['cw-colleague', 'cw-first']);
  });
});
