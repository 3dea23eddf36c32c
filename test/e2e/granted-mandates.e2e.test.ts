/**
 * Mandates people grant, end to end on real PostgreSQL and Temporal: a citizen grants a relative
 * a mandate to act in one life event; it counts only once accepted; the holder then starts a
 * journey for the grantor within its scope (audited "on behalf of") and cancels it; a life event
 * outside its scope and a mandate to read only are refused with a 403 that says why; once revoked
 * the holder can no longer act. For a company, a legal representative in the enterprise register
 * grants for it; someone the register does not name is refused. Bad grants get 4xx problem+json.
 */
import { randomUUID } from 'node:crypto';
import { Client as PgClient } from 'pg';
import { applyExampleCatalog } from '../support/catalog';
import { createTestDatabase } from '../support/database';
import { type Api, expectProblem } from '../support/http';
import { pollUntil } from '../support/poll';
import { sandboxRequest, startStack, type Stack } from '../support/stack';

jest.setTimeout(300_000);

const DAY = 86_400_000;
const iso = (offsetDays: number) => new Date(Date.now() + offsetDays * DAY).toISOString();

let db: { url: string; drop: () => Promise<void> };
let stack: Stack;
let pg: PgClient;
let grantor: Api;
let holder: Api;
let stranger: Api;
let representative: Api;
let people: { grantor: string; holder: string; stranger: string; company: string; representative: string };

const start = (api: Api, lifeEvent: string, subject: string) =>
  api.request('POST', '/journeys', { lifeEvent: { key: lifeEvent }, subject: { type: 'person', id: subject } }, { 'idempotency-key': `gm-${randomUUID()}` });

beforeAll(async () => {
  db = await createTestDatabase('e2e_granted_mandates');
  stack = await startStack(db.url, 'granted-mandates');
  await applyExampleCatalog(db.url, stack.sandboxUrl);
  const examples = await sandboxRequest(stack, 'GET', '/_sandbox/population/examples');
  people = {
    grantor: examples.elderlyPerson,
    holder: examples.personWithoutContact,
    stranger: examples.personWithPhoneOnly,
    company: examples.company.enterpriseNumber,
    representative: examples.company.representatives[0],
  };
  const citizen = async (nationalNumber: string, sub: string) => stack.api.as(await stack.token({ role: 'citizen', nationalNumber, sub }));
  grantor = await citizen(people.grantor, 'gm-grantor');
  holder = await citizen(people.holder, 'gm-holder');
  stranger = await citizen(people.stranger, 'gm-stranger');
  representative = await citizen(people.representative, 'gm-representative');
  pg = new PgClient({ connectionString: db.url });
  await pg.connect();
});

afterAll(async () => {
  await pg?.end();
  await stack?.stop();
  await db?.drop();
});

test('grant → not valid before accept → accept → the holder starts and cancels in scope → out of scope 403 → revoke → no longer', async () => {
  const granted = await grantor.post('/me/mandates', {
    holder: { type: 'person', id: people.holder },
    lifeEvents: ['starting-a-business'],
    access: 'act',
    validFrom: iso(0),
    validUntil: iso(365),
    reason: 'My nephew handles my paperwork.',
  });
  expect(granted.status).toBe(201);
  expect(granted.body).toMatchObject({ grantor: { type: 'person', id: people.grantor }, holder: { type: 'person', id: people.holder }, state: 'pending', scope: { lifeEvents: ['starting-a-business'], access: 'act' } });
  const id: string = granted.body.id;

  // Pending: it does not count yet.
  const early = expectProblem(await start(holder, 'starting-a-business', people.grantor), 403);
  expect(early.detail).toMatch(/hold none/);
  expect((await holder.get('/me/mandates')).body.pendingForMe.map((m: { id: string }) => m.id)).toEqual([id]);
  expect((await grantor.get('/me/mandates')).body.grantedByMe.map((m: { id: string; state: string }) => [m.id, m.state])).toEqual([[id, 'pending']]);

  // A duplicate for an overlapping period and life event is refused; only the holder accepts.
  const duplicate = expectProblem(
    await grantor.post('/me/mandates', { holder: { type: 'person', id: people.holder }, lifeEvents: 'all', access: 'read', validFrom: iso(30), validUntil: iso(60), reason: 'again' }),
    409,
  );
  expect(duplicate.detail).toMatch(/overlapping/);
  expect(expectProblem(await grantor.post(`/me/mandates/${id}/accept`), 403).detail).toMatch(/Only the holder/);
  expectProblem(await stranger.post(`/me/mandates/${id}/accept`), 404);

  const accepted = await holder.post(`/me/mandates/${id}/accept`);
  expect(accepted.status).toBe(200);
  expect(accepted.body.state).toBe('active');
  expectProblem(await holder.post(`/me/mandates/${id}/accept`), 409);
  expect((await holder.get('/me/mandates')).body.heldByMe.map((m: { id: string; state: string }) => [m.id, m.state])).toEqual([[id, 'active']]);

  // Within its scope: the holder starts a journey for the grantor, audited on their behalf.
  const started = await start(holder, 'starting-a-business', people.grantor);
  expect(started.status).toBe(201);
  const journeyId: string = started.body.id;
  const audit = await pg.query(`SELECT actor, detail FROM audit_log WHERE action = 'journey.started' AND target_id = $1`, [journeyId]);
  expect(audit.rows).toEqual([{ actor: 'gm-holder', detail: expect.objectContaining({ role: 'mandate-holder', onBehalfOf: { type: 'person', id: people.grantor } }) }]);

  // Outside its scope (another life event): 403 that says why; a stranger gets the same refusal.
  expect(expectProblem(await start(holder, 'birth-of-a-child', people.grantor), 403).detail).toMatch(/birth-of-a-child/);
  expectProblem(await start(stranger, 'starting-a-business', people.grantor), 403);

  // The holder sees and cancels it, once its first step is done (a cancel in the first moments of a
  // journey can meet Temporal's "Workflow Update failed", whoever cancels: not what this test is about).
  await pollUntil('the first step of the journey done', async () => {
    const res = await holder.get(`/journeys/${journeyId}`);
    const register: string | undefined = res.body?.steps?.find((st: { key: string }) => st.key === 'register')?.status;
    return register && !['pending', 'running'].includes(register) ? true : undefined;
  });
  const cancelled = await holder.post(`/journeys/${journeyId}/cancel`, { reason: 'Started by mistake' });
  expect(cancelled.status).toBe(200);
  expect(['cancelled', 'compensating']).toContain(cancelled.body.status);
  const cancelAudit = await pg.query(`SELECT detail FROM audit_log WHERE action = 'journey.cancelled' AND target_id = $1`, [journeyId]);
  expect(cancelAudit.rows[0].detail).toMatchObject({ onBehalfOf: { type: 'person', id: people.grantor }, underMandate: true });

  // Revoked (by the grantor, with a reason): the holder can no longer act.
  const revoked = await grantor.post(`/me/mandates/${id}/revoke`, { reason: 'I do it myself now.' });
  expect(revoked.status).toBe(200);
  expect(revoked.body).toMatchObject({ state: 'revoked', revokeReason: 'I do it myself now.' });
  expectProblem(await start(holder, 'starting-a-business', people.grantor), 403);
  expectProblem(await holder.post(`/me/mandates/${id}/revoke`, { reason: 'again' }), 409);
  const trail = await pg.query(`SELECT action, actor FROM audit_log WHERE target_type = 'mandate' AND target_id = $1 ORDER BY id`, [id]);
  expect(trail.rows).toEqual([
    { action: 'mandate.granted', actor: 'gm-grantor' },
    { action: 'mandate.accepted', actor: 'gm-holder' },
    { action: 'mandate.revoked', actor: 'gm-grantor' },
  ]);
});

test('a mandate to read only: the holder reads, and starting gets a 403 that says it is read only', async () => {
  const granted = await grantor.post('/me/mandates', {
    holder: { type: 'person', id: people.stranger },
    lifeEvents: 'all',
    access: 'read',
    validFrom: iso(0),
    validUntil: iso(30),
    reason: 'My neighbour keeps an eye on things.',
  });
  expect(granted.status).toBe(201);
  expect((await stranger.post(`/me/mandates/${granted.body.id}/accept`)).status).toBe(200);
  const refused = expectProblem(await start(stranger, 'starting-a-business', people.grantor), 403);
  expect(refused.detail).toMatch(/read .*not act/);
  // The holder may revoke too.
  expect((await stranger.post(`/me/mandates/${granted.body.id}/revoke`, { reason: 'No longer needed.' })).body.state).toBe('revoked');
});

test('an enterprise grants through a representative the register names; anyone else is refused', async () => {
  const body = {
    grantor: { type: 'enterprise', id: people.company },
    holder: { type: 'person', id: people.holder },
    lifeEvents: 'all',
    access: 'act',
    validFrom: iso(1),
    validUntil: iso(400),
    reason: 'Our accountant files for the company.',
  };
  const refused = expectProblem(await stranger.post('/me/mandates', body), 403);
  expect(refused.detail).toMatch(/does not name you a legal representative/);
  const granted = await representative.post('/me/mandates', body);
  expect(granted.status).toBe(201);
  expect(granted.body).toMatchObject({ grantor: { type: 'enterprise', id: people.company }, grantedBy: people.representative, state: 'pending' });
  const audit = await pg.query(`SELECT detail FROM audit_log WHERE action = 'mandate.granted' AND target_id = $1`, [granted.body.id]);
  expect(audit.rows[0].detail).toMatchObject({ onBehalfOf: { type: 'enterprise', id: people.company }, representative: people.representative });
  // The register read is in the access log, with the representative as reader.
  const reads = await pg.query(`SELECT actor, outcome FROM data_access_log WHERE source = 'enterprise-register' AND subject_id = $1 AND actor = 'gm-representative' ORDER BY id`, [people.company]);
  expect(reads.rows.map((r) => r.outcome)).toEqual(['requested', 'granted']);
  // Accepted, it waits for its start date.
  expect((await holder.post(`/me/mandates/${granted.body.id}/accept`)).body.state).toBe('scheduled');
  expect((await representative.get('/me/mandates')).body.grantedByMe.map((m: { id: string }) => m.id)).toContain(granted.body.id);
});

test('bad grants: a self-mandate, dates that do not hold, a bad scope', async () => {
  const base = { holder: { type: 'person', id: people.holder }, lifeEvents: ['birth-of-a-child'], access: 'act', validFrom: iso(500), validUntil: iso(600), reason: 'Checks' };
  const self = expectProblem(await grantor.post('/me/mandates', { ...base, holder: { type: 'person', id: people.grantor } }), 422);
  expect(self.errors).toEqual([{ path: '/holder/id', message: 'you cannot grant a mandate to yourself' }]);
  expect(expectProblem(await grantor.post('/me/mandates', { ...base, validUntil: iso(499) }), 422).errors).toEqual([{ path: '/validUntil', message: 'must be after the start' }]);
  expect(expectProblem(await grantor.post('/me/mandates', { ...base, validUntil: iso(500 + 6 * 366) }), 422).errors).toEqual([{ path: '/validUntil', message: 'must be at most 5 years after the start' }]);
  expect(expectProblem(await grantor.post('/me/mandates', { ...base, validFrom: iso(-10), validUntil: iso(-5) }), 422).errors?.map((e) => e.path)).toEqual(['/validFrom', '/validUntil']);
  expect(expectProblem(await grantor.post('/me/mandates', { ...base, lifeEvents: ['birth-of-a-child', 'no-such-event'] }), 422).errors?.map((e) => e.path)).toEqual(['/lifeEvents/1']);
  expectProblem(await grantor.post('/me/mandates', { ...base, lifeEvents: [] }), 400);
  expectProblem(await grantor.post('/me/mandates', { ...base, holder: undefined }), 400);
  expectProblem(await grantor.post('/me/mandates', { ...base, access: 'own' }), 400);
  expectProblem(await grantor.post('/me/mandates', { ...base, reason: '' }), 400);
  expectProblem(await grantor.post(`/me/mandates/not-a-uuid/accept`), 404);
});

test('two grants of the same mandate at once: one is granted, the other is a duplicate', async () => {
  const body = { holder: { type: 'person', id: people.holder }, lifeEvents: 'all', access: 'read', validFrom: iso(0), validUntil: iso(90), reason: 'Twice at once' };
  const answers = await Promise.all([representative.post('/me/mandates', body), representative.post('/me/mandates', body)]);
  expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
  expect(answers.find((a) => a.status === 409)!.body.type).toBe('https://levensloop.dev/problems/mandate-duplicate');
});

test('an enterprise holds a mandate: signed in as the enterprise, it sees it waiting and accepts it', async () => {
  const granted = await grantor.post('/me/mandates', { holder: { type: 'enterprise', id: people.company }, lifeEvents: 'all', access: 'act', validFrom: iso(0), validUntil: iso(90), reason: 'The family firm helps me.' });
  expect(granted.status).toBe(201);
  const company = stack.api.as(await stack.token({ role: 'citizen', enterpriseNumber: people.company, sub: 'gm-company' }));
  expect((await company.get('/me/mandates')).body.pendingForMe.map((m: { id: string }) => m.id)).toEqual([granted.body.id]);
  expect((await company.post(`/me/mandates/${granted.body.id}/accept`)).body.state).toBe('active');
  // Acting for the grantor is now the enterprise's: it may start within the mandate.
  expect((await start(company, 'starting-a-business', people.grantor)).status).toBe(201);
});
