/**
 * Event types as catalog data, end to end: a catalog admin registers a new type and its
 * annulment through the API, a life event triggered by it, and a source's event of that type
 * starts the journey and its annulment cancels it, with no code for either. Bad registrations
 * and bad data get 422 problem+json that name what to fix.
 */
import { randomUUID } from 'node:crypto';
import { Client as PgClient } from 'pg';
import { createTestDatabase } from '../support/database';
import { type Api, expectProblem } from '../support/http';
import { pollUntil } from '../support/poll';
import { startStack, type Stack } from '../support/stack';
import { nationalNumber, postEvent } from '../support/events';

jest.setTimeout(300_000);

const run = randomUUID().slice(0, 6);
const MOVED = `be.address-register.m${run}.address.changed`;
const MOVE_ANNULLED = `be.address-register.m${run}.address.annulled`;
const agency = `gemeente-${run}`;
const lifeEvent = `moving-${run}`;
const titles = (nl: string) => ({ nl, en: nl });

const personSchema = {
  type: 'object',
  required: ['person', 'municipality'],
  properties: {
    person: { type: 'object', required: ['nationalNumber'], properties: { nationalNumber: { type: 'string', format: 'national-number', description: 'a national number of 11 digits' } } },
    municipality: { type: 'string', pattern: '^[0-9]{5}$', description: 'the NIS code of the new municipality (5 digits)' },
  },
};
const movedType = { type: MOVED, source: 'address-register', kind: 'start', subject: { type: 'person', path: 'person.nationalNumber' }, description: 'change of address', schema: personSchema };

let db: { url: string; drop: () => Promise<void> };
let stack: Stack;
let pg: PgClient;
let admin: Api;
let addressRegister: Api;

beforeAll(async () => {
  db = await createTestDatabase('e2e_event_types');
  stack = await startStack(db.url, 'event-types');
  pg = new PgClient({ connectionString: db.url });
  await pg.connect();
  admin = stack.api.as(await stack.token({ role: 'catalog-admin', sub: 'admin' }));
  addressRegister = stack.api.as(await stack.token({ role: 'source', source: 'address-register', sub: 'address-register' }));
});

afterAll(async () => {
  await pg?.end();
  await stack?.stop();
  await db?.drop();
});

const event = (type: string, data: Record<string, unknown>) => ({ specversion: '1.0', id: randomUUID(), source: 'address-register', type, data });

test('a registration with a schema that does not compile, an unknown source or a bad subject path is refused with what to fix', async () => {
  const bad = expectProblem(
    await admin.post('/event-types', { ...movedType, source: 'post-office', subject: { type: 'person', path: 'person.nn' }, schema: { ...personSchema, properties: { ...personSchema.properties, municipality: { type: 'strin' } } } }),
    422,
  );
  expect(bad.errors).toEqual(
    expect.arrayContaining([
      { path: '/source', message: expect.stringContaining('address-register') },
      { path: '/schema', message: expect.stringContaining('does not compile') },
      { path: '/subject/path', message: expect.stringContaining("'nn'") },
    ]),
  );
  const annul = expectProblem(await admin.post('/event-types', { ...movedType, type: MOVE_ANNULLED, kind: 'annul', annuls: 'be.unknown.thing' }), 422);
  expect(annul.errors).toEqual([{ path: '/annuls', message: expect.stringContaining('be.national-register.birth.registered') }]);
  expectProblem(await admin.post('/event-types', { ...movedType, kind: 'happened' }), 400);
  expect((await admin.get('/event-types/be.nothing.here')).status).toBe(404);
  // Nothing of it was stored.
  expect((await pg.query(`SELECT count(*)::int AS n FROM event_types`)).rows[0].n).toBe(0);
});

test('a new event type and a life event it triggers need no code: its event starts the journey, its annulment cancels it', async () => {
  // Register the type (201), again unchanged (200), then a change: version 2, audited.
  const first = await admin.post('/event-types', { ...movedType, description: 'move' });
  expect(first.status).toBe(201);
  expect(first.body).toMatchObject({ type: MOVED, version: 1, builtIn: false, registeredBy: 'admin' });
  expect((await admin.post('/event-types', { ...movedType, description: 'move' })).status).toBe(200);
  const second = await admin.post('/event-types', movedType);
  expect(second.status).toBe(201);
  expect(second.body.version).toBe(2);
  const annulType = await admin.post('/event-types', { ...movedType, type: MOVE_ANNULLED, kind: 'annul', annuls: MOVED, description: 'annulment of a change of address' });
  expect(annulType.status).toBe(201);
  const audited = (await pg.query(`SELECT target_id FROM audit_log WHERE action = 'event_type.registered' ORDER BY id`)).rows.map((r) => r.target_id);
  expect(audited).toEqual([`${MOVED}@1`, `${MOVED}@2`, `${MOVE_ANNULLED}@1`]);
  const list = (await admin.get('/event-types')).body as Array<{ type: string; builtIn: boolean; version: number }>;
  expect(list.find((t) => t.type === MOVED)).toMatchObject({ version: 2, description: 'change of address' });
  expect(list.find((t) => t.type === 'be.national-register.birth.registered')).toMatchObject({ builtIn: true, version: 0, kind: 'start' });

  // A life event started by it, from the catalog API alone.
  expect((await admin.post('/agencies', { code: agency, names: titles('Gemeente') })).status).toBe(201);
  expect((await admin.post(`/agencies/${agency}/steps`, { key: 'registration', kind: 'caseworker', titles: titles('Inschrijving'), serviceNorm: { target: 'P5D' } })).status).toBe(201);
  expect((await admin.post(`/agencies/${agency}/steps/registration/versions/1/publish`)).status).toBe(200);
  const created = await admin.post('/life-events', {
    key: lifeEvent,
    audience: 'citizen',
    titles: titles('Verhuizen'),
    nodes: [{ key: 'register', step: { agency, key: 'registration', version: 1 } }],
    triggers: [{ eventType: MOVED, subject: { type: 'person', path: 'person.nationalNumber' }, data: { municipality: 'municipality' } }],
  });
  expect(created.status).toBe(201);
  expect((await admin.post(`/life-events/${lifeEvent}/versions/1/publish`)).status).toBe(200);

  // Bad data for the new type's schema: 422 naming the path, nothing stored.
  const person = nationalNumber('1988-05-17', 77);
  const badData = expectProblem(await postEvent(addressRegister, event(MOVED, { person: { nationalNumber: person }, municipality: 'Gent' })), 422);
  expect(badData.errors).toEqual([{ path: '/data/municipality', message: expect.stringContaining('5 digits') }]);
  const missing = expectProblem(await postEvent(addressRegister, event(MOVED, { municipality: '44021' })), 422);
  expect(missing.errors).toEqual([{ path: '/data/person', message: expect.stringContaining(`${MOVED} needs data.person`) }]);

  // The event starts the journey.
  const moved = event(MOVED, { person: { nationalNumber: person }, municipality: '44021' });
  const started = await postEvent(addressRegister, moved);
  expect(started.status).toBe(202);
  expect(started.body).toMatchObject({ status: 'processed', result: { started: [expect.objectContaining({ lifeEvent: { key: lifeEvent, version: 1 } })] } });
  const journeyId = started.body.result.started[0].journeyId as string;
  const journey = await pollUntil('the journey in the read model', async () => (await pg.query(`SELECT status, data, source_event FROM journeys WHERE id = $1`, [journeyId])).rows[0]);
  expect(journey.status).not.toBe('cancelled');
  expect(journey.data).toMatchObject({ municipality: '44021' });

  // Its annulment, a registered annul type, cancels it.
  const annulled = await postEvent(addressRegister, event(MOVE_ANNULLED, { person: { nationalNumber: person }, municipality: '44021' }));
  expect(annulled.status).toBe(202);
  expect(annulled.body).toMatchObject({ status: 'processed', result: { cancelled: [{ journeyId, outcome: 'cancelled' }] } });
  const cancelled = await pollUntil('the journey cancelled', async () => (await pg.query(`SELECT status, cancel_reason FROM journeys WHERE id = $1 AND status = 'cancelled'`, [journeyId])).rows[0]);
  expect(cancelled.cancel_reason).toContain('change of address');
});
