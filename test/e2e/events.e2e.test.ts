/**
 * Source events end to end: the sandbox's registers publish CloudEvents, the gateway's inbox
 * takes each once, and proactive journeys start, are cancelled or told, on real Temporal and
 * PostgreSQL, every process separate, over HTTP.
 */
import { randomUUID } from 'node:crypto';
import { Client as PgClient } from 'pg';
import type { Client as TemporalClient, Connection } from '@temporalio/client';
import { connectClient } from '@levensloop/temporal';
import * as path from 'node:path';
import { freePort, startNodeProcess } from '@levensloop/runtime';
import { createTestDatabase } from '../support/database';
import { Api, expectProblem } from '../support/http';
import { pollUntil } from '../support/poll';
import { testTemporalConfig } from '../support/temporal';
import { startStack, type Stack } from '../support/stack';
import {
  annulmentEvent,
  BIRTH_REGISTERED,
  birthEvent,
  correctionEvent,
  mapConcurrent,
  nationalNumber,
  nthNationalNumber,
  postBatch,
  postEvent,
  type TestCloudEvent,
} from '../support/events';

jest.setTimeout(300_000);

const run = randomUUID().slice(0, 6);
const agency = `kind-en-gezin-${run}`;
const lifeEvent = `birth-${run}`;
const neverLifeEvent = `birth-elsewhere-${run}`;
const PARENTS = [nationalNumber('1990-03-14', 101), nationalNumber('1991-07-02', 202)];

let db: { url: string; drop: () => Promise<void> };
let stack: Stack;
let pg: PgClient;
let temporal: { connection: Connection; client: TemporalClient };
let admin: Api;
let auditor: Api;
let register: Api; // the national register
let enterpriseRegister: Api;

const titles = (nl: string) => ({ nl, en: nl });

beforeAll(async () => {
  db = await createTestDatabase('e2e_events');
  // The recovery tests wait for the inbox sweep: every 2 s here, not the 30 s default that would race their 30 s wait.
  stack = await startStack(db.url, 'events', { env: { INBOX_SWEEP_EVERY_MS: '2000' } });
  pg = new PgClient({ connectionString: db.url });
  await pg.connect();
  const client = await connectClient(testTemporalConfig());
  temporal = { connection: client.connection as Connection, client };
  admin = stack.api.as(await stack.token({ role: 'catalog-admin', sub: 'admin' }));
  auditor = stack.api.as(await stack.token({ role: 'auditor', sub: 'auditor' }));
  register = stack.api.as(await stack.token({ role: 'source', source: 'national-register', sub: 'national-register' }));
  enterpriseRegister = stack.api.as(await stack.token({ role: 'source', source: 'enterprise-register', sub: 'enterprise-register' }));

  // A small life event started by a birth: one caseworker step keeps each journey open.
  expect((await admin.post('/agencies', { code: agency, names: titles('Kind en Gezin') })).status).toBe(201);
  expect((await admin.post(`/agencies/${agency}/steps`, { key: 'home-visit', kind: 'caseworker', titles: titles('Huisbezoek'), serviceNorm: { target: 'P14D' } })).status).toBe(201);
  expect((await admin.post(`/agencies/${agency}/steps/home-visit/versions/1/publish`)).status).toBe(200);
  const nodes = [{ key: 'visit', step: { agency, key: 'home-visit', version: 1 } }];
  const created = await admin.post('/life-events', {
    key: lifeEvent,
    audience: 'citizen',
    titles: titles('Geboorte'),
    nodes,
    triggers: [
      {
        eventType: BIRTH_REGISTERED,
        subject: { type: 'person', path: 'child.nationalNumber' },
        data: { birthDate: 'child.birthDate', municipality: 'municipality' },
        mandates: { path: 'parents', kind: 'parent' },
      },
    ],
  });
  expect(created.status).toBe(201);
  expect(created.body.triggers).toHaveLength(1);
  expect((await admin.post(`/life-events/${lifeEvent}/versions/1/publish`)).status).toBe(200);
  // A second life event whose trigger's condition never holds for these births.
  expect(
    (
      await admin.post('/life-events', {
        key: neverLifeEvent,
        audience: 'citizen',
        titles: titles('Geboorte elders'),
        nodes,
        triggers: [{ eventType: BIRTH_REGISTERED, subject: { type: 'person', path: 'child.nationalNumber' }, condition: { '==': [{ var: 'event.data.municipality' }, 'Nergensdorp'] } }],
      })
    ).status,
  ).toBe(201);
  expect((await admin.post(`/life-events/${neverLifeEvent}/versions/1/publish`)).status).toBe(200);
});

afterAll(async () => {
  await temporal?.connection.close();
  await pg?.end();
  await stack?.stop();
  await db?.drop();
});

const journeysOf = async (child: string) =>
  (await pg.query(`SELECT id, status, started_by, data, source_event, cancel_reason, life_event_key FROM journeys WHERE subject_id = $1`, [child])).rows;
const inboxRow = async (id: string) => (await pg.query(`SELECT * FROM source_events WHERE event_id = $1`, [id])).rows[0];
const inboxCount = async () => Number((await pg.query(`SELECT count(*) FROM source_events`)).rows[0].count);
const journeyCount = async () => Number((await pg.query(`SELECT count(*) FROM journeys`)).rows[0].count);

/** Asks the sandbox's national register to publish an event; it delivers it to the gateway itself unless `deliver` is false. */
async function sandboxPublish(path: string, body: Record<string, unknown>): Promise<{ event: TestCloudEvent; delivery: { status: number | null; attempts: number; error?: string } | null }> {
  const res = await fetch(`${stack.sandboxUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const answer: any = await res.json();
  if (res.status !== 201) throw new Error(`sandbox ${path}: ${res.status} ${JSON.stringify(answer)}`);
  return answer;
}
const sandboxBirth = async (deliver = false) => (await sandboxPublish('/_sandbox/events/births', { parents: PARENTS_IN_SANDBOX, deliver })).event;
let PARENTS_IN_SANDBOX: string[];

beforeAll(async () => {
  const res = await fetch(`${stack.sandboxUrl}/_sandbox/population/examples`);
  expect(res.status).toBe(200);
  PARENTS_IN_SANDBOX = ((await res.json()) as any).flemishCouple.parents;
});

test('a birth registered in the sandbox starts exactly one journey, with its data and the parents as mandate holders; a redelivery changes nothing; its annulment cancels the journey and ends the mandates', async () => {
  // The sandbox delivers the event to POST /events with its own source token.
  const published = await sandboxPublish('/_sandbox/events/births', { parents: PARENTS_IN_SANDBOX });
  expect(published.delivery).toMatchObject({ status: 202, attempts: 1 });
  const event = published.event;
  const child = event.data.child as { nationalNumber: string; birthDate: string };

  const first = { body: (await auditor.get(`/events/national-register/${encodeURIComponent(event.id)}`)).body };
  expect(first.body).toMatchObject({ source: 'national-register', id: event.id, type: BIRTH_REGISTERED, subject: child.nationalNumber, status: 'processed' });
  expect(first.body.result.started).toEqual([{ journeyId: expect.any(String), lifeEvent: { key: lifeEvent, version: 1 }, subject: { type: 'person', id: child.nationalNumber } }]);
  expect(first.body.result.skipped).toEqual([{ lifeEvent: neverLifeEvent, reason: expect.stringContaining('condition does not hold') }]);
  const journeyId = first.body.result.started[0].journeyId;

  const again = await postEvent(register, event);
  expect(again.status).toBe(200);
  expect(again.headers.get('location')).toBe(`/events/national-register/${event.id}`);
  expect(again.body).toMatchObject({ status: 'duplicate', id: event.id, original: { status: 'processed', result: { started: [{ journeyId }] } } });

  const journeys = await journeysOf(child.nationalNumber);
  expect(journeys).toHaveLength(1);
  expect(journeys[0]).toMatchObject({
    id: journeyId,
    started_by: 'source:national-register',
    life_event_key: lifeEvent,
    data: { birthDate: child.birthDate, municipality: event.data.municipality },
    source_event: { source: 'national-register', id: event.id, type: BIRTH_REGISTERED },
  });

  // The register confirms both parents: they act for the child in everything until the child turns 18; each grant is audited.
  const mandates = (await pg.query(`SELECT holder_id, subject_type, kind, source, valid_until, access, life_events FROM mandates WHERE subject_id = $1 ORDER BY holder_id`, [child.nationalNumber])).rows;
  const eighteen = new Date(`${Number(child.birthDate.slice(0, 4)) + 18}${child.birthDate.slice(4)}T00:00:00Z`);
  expect(mandates).toEqual([...PARENTS_IN_SANDBOX].sort().map((holder_id) => ({ holder_id, subject_type: 'person', kind: 'parent', source: 'national-register', valid_until: eighteen, access: 'act', life_events: null })));
  expect(first.body.result.mandates.map((m: any) => m.action)).toEqual(['granted', 'granted']);
  const grants = (await auditor.get(`/audit?targetType=mandate&action=mandate.granted&actor=source:national-register&limit=200`)).body.items.filter((a: any) => a.detail.subject.id === child.nationalNumber);
  expect(grants.map((a: any) => a.detail.holder).sort()).toEqual([...PARENTS_IN_SANDBOX].sort());

  // The journey runs: its caseworker step waits; a parent sees the child's journey through the mandate.
  await pollUntil('the home visit to wait for a caseworker', async () => {
    const res = await auditor.get(`/journeys/${journeyId}`);
    return res.body?.steps?.[0]?.status === 'waiting';
  });
  const parent = stack.api.as(await stack.token({ role: 'citizen', nationalNumber: PARENTS_IN_SANDBOX[0] }));
  expect((await parent.get(`/journeys/${journeyId}`)).status).toBe(200);

  const audited = await auditor.get(`/events/national-register/${encodeURIComponent(event.id)}`);
  expect(audited.status).toBe(200);
  expect(audited.body).toMatchObject({ status: 'processed', type: BIRTH_REGISTERED, receivedBy: expect.any(String), result: { started: [{ journeyId }] } });
  expect((await register.get(`/events/national-register/${encodeURIComponent(event.id)}`)).status).toBe(200);
  // Another source cannot read it.
  expectProblem(await enterpriseRegister.get(`/events/national-register/${encodeURIComponent(event.id)}`), 404);

  // The register annuls the birth: the journey is cancelled, the parents' mandates end.
  const annulment = await sandboxPublish(`/_sandbox/events/births/${child.nationalNumber}/annul`, {});
  expect(annulment.delivery).toMatchObject({ status: 202 });
  const annulled = await auditor.get(`/events/national-register/${encodeURIComponent(annulment.event.id)}`);
  expect(annulled.body).toMatchObject({ status: 'processed', result: { cancelled: [{ journeyId, outcome: 'cancelled' }] } });
  expect(annulled.body.result.mandates.map((m: any) => m.action)).toEqual(['revoked', 'revoked']);
  const revocations = (await auditor.get(`/audit?targetType=mandate&action=mandate.revoked&limit=200`)).body.items.filter((a: any) => a.detail.subject.id === child.nationalNumber);
  expect(revocations).toHaveLength(2);
  expect((await auditor.get(`/journeys/${journeyId}`)).body).toMatchObject({ status: 'cancelled', cancelReason: expect.stringContaining(annulment.event.id) });
  expectProblem(await parent.get(`/journeys/${journeyId}`), 404);
});

test('copies of one event arriving at the same moment start one journey', async () => {
  const event = await sandboxBirth();
  const child = (event.data.child as { nationalNumber: string }).nationalNumber;
  const answers = await Promise.all(Array.from({ length: 6 }, () => postEvent(register, event)));
  expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 200, 202]);
  const started = answers.find((a) => a.status === 202)!.body.result.started;
  expect(started).toHaveLength(1);
  for (const dup of answers.filter((a) => a.status === 200)) expect(dup.body.status).toBe('duplicate');
  expect(await journeysOf(child)).toHaveLength(1);
  expect((await pg.query(`SELECT count(*)::int AS n FROM source_events WHERE event_id = $1`, [event.id])).rows[0].n).toBe(1);
});

test('bad events get a clear 4xx problem, and nothing is stored or started', async () => {
  const inboxBefore = await inboxCount();
  const journeysBefore = await journeyCount();
  const child = nthNationalNumber(5000);
  const good = birthEvent(child, PARENTS);

  // Unknown type: 422 naming the known types.
  const unknown = expectProblem(await postEvent(register, { ...good, id: randomUUID(), type: 'be.national-register.marriage.registered' }), 422);
  expect(unknown.errors).toEqual([{ path: '/type', message: expect.stringContaining(BIRTH_REGISTERED) }]);
  expect(unknown.detail).toContain('be.national-register.person.corrected');

  // No token, a token without the role, a token of another source.
  expectProblem(await stack.api.post('/events', good, { 'content-type': 'application/cloudevents+json' }), 401);
  const citizen = stack.api.as(await stack.token({ role: 'citizen', nationalNumber: PARENTS[0] }));
  expectProblem(await postEvent(citizen, good), 403);
  const wrongSource = expectProblem(await postEvent(enterpriseRegister, good), 403);
  expect(wrongSource.errors).toEqual([{ path: '/source', message: expect.stringContaining("'enterprise-register', not 'national-register'") }]);

  // Malformed: not JSON, not CloudEvents, bad data.
  const notJson = expectProblem(await register.post('/events', '{"specversion": "1.0",', { 'content-type': 'application/cloudevents+json' }), 400);
  expect(notJson.detail).toMatch(/JSON/);
  const shape = expectProblem(await postEvent(register, { specversion: '0.3', source: 'national-register', type: BIRTH_REGISTERED, time: 'yesterday', data: good.data }), 400);
  expect(new Set(shape.errors!.map((e) => e.path))).toEqual(new Set(['/specversion', '/id', '/time']));
  expect(shape.errors!.some((e) => e.path === '/specversion' && /1\.0/.test(e.message))).toBe(true);
  expect(shape.errors!.some((e) => e.path === '/time' && /RFC 3339/.test(e.message))).toBe(true);
  const badData = expectProblem(await postEvent(register, { ...good, id: randomUUID(), data: { ...good.data, child: { nationalNumber: '12345678901', birthDate: '2026-02-30' } } }), 422);
  expect(badData.errors).toEqual([
    { path: '/data/child/nationalNumber', message: expect.stringContaining('11 digits') },
    { path: '/data/child/birthDate', message: expect.stringContaining('YYYY-MM-DD') },
  ]);
  const subjectMismatch = expectProblem(await postEvent(register, { ...good, id: randomUUID(), subject: PARENTS[0] }), 422);
  expect(subjectMismatch.errors).toEqual([{ path: '/subject', message: expect.stringContaining(child) }]);
  expectProblem(await register.post('/events', 'specversion=1.0', { 'content-type': 'text/plain' }), 415);
  expectProblem(await postEvent(register, [good]), 400);

  // A batch with one bad event among good ones: refused whole, every problem pointed at.
  const batch = [birthEvent(nthNationalNumber(5001), PARENTS), { ...birthEvent(nthNationalNumber(5002), PARENTS), data_base64: 'AAAA' }, birthEvent(nthNationalNumber(5003), PARENTS)];
  const refused = expectProblem(await postBatch(register, batch), 400);
  expect(refused.errors).toEqual([{ path: '/1/data_base64', message: expect.stringContaining('JSON object') }]);
  const unknownInBatch = expectProblem(await postBatch(register, [good, { ...good, id: randomUUID(), type: 'be.national-register.birth.unknown' }]), 422);
  expect(unknownInBatch.errors).toEqual([{ path: '/1/type', message: expect.stringContaining('unknown event type') }]);
  expectProblem(await postBatch(register, []), 400);

  expect(await inboxCount()).toBe(inboxBefore);
  expect(await journeyCount()).toBe(journeysBefore);
  const metrics = await (await fetch(`${stack.gatewayUrl}/metrics`)).text();
  for (const reason of ['malformed', 'wrong-source', 'unprocessable', 'media-type']) {
    expect(Number(metrics.match(new RegExp(`^levensloop_events_rejected_total\\{reason="${reason}"\\} (\\d+)`, 'm'))?.[1])).toBeGreaterThanOrEqual(1);
  }
  for (const id of [good.id, ...batch.map((e) => e.id)]) expect(await inboxRow(id)).toBeUndefined();

  // An id reused for a different event: 409, and the first event stays as it was.
  const stored = await postEvent(register, good);
  expect(stored.status).toBe(202);
  const reused = expectProblem(await postEvent(register, birthEvent(nthNationalNumber(5004), PARENTS, { id: good.id })), 409);
  expect(reused.errors).toEqual([{ path: '/id', message: expect.stringContaining(good.id) }]);
  expect((await inboxRow(good.id)).subject).toBe(child);
  expect(await journeysOf(nthNationalNumber(5004))).toHaveLength(0);
});

test('a correction of a person tells their open journeys once, also when processed again after a crash', async () => {
  const child = nthNationalNumber(6000);
  const birth = await postEvent(register, birthEvent(child, PARENTS));
  expect(birth.status).toBe(202);
  const journeyId = birth.body.result.started[0].journeyId;

  const correction = correctionEvent(child, ['name.given']);
  const told = await postEvent(register, correction);
  expect(told.status).toBe(202);
  expect(told.body).toMatchObject({ status: 'processed', result: { signalled: [{ journeyId, outcome: 'signalled' }] } });

  // A crash after the signal but before the inbox row was marked: the recovery loop processes it again.
  await pg.query(`UPDATE source_events SET status = 'received', result = NULL, processed_at = NULL, received_at = now() - interval '1 minute' WHERE event_id = $1`, [correction.id]);
  await pollUntil('the recovery loop to process the correction again', async () => (await inboxRow(correction.id)).status === 'processed', { timeoutMs: 30_000 });

  const history = await temporal.client.workflow.getHandle(`journey-${journeyId}`).fetchHistory();
  const signals = (history.events ?? []).map((e) => e.workflowExecutionSignaledEventAttributes?.signalName).filter(Boolean);
  expect(signals).toEqual(['sourceEvent']);
});

test('an event left in the inbox by a crash is processed by the recovery loop, without starting a second journey', async () => {
  // Stored, never processed (the gateway died right after the insert).
  const child = nthNationalNumber(7000);
  const lost = birthEvent(child, PARENTS);
  await pg.query(
    `INSERT INTO source_events (source, event_id, type, subject, time, data, received_by, received_at) VALUES ($1, $2, $3, $4, $5, $6, 'national-register', now() - interval '1 minute')`,
    [lost.source, lost.id, lost.type, child, lost.time, JSON.stringify(lost.data)],
  );
  const processed = await pollUntil('the recovery loop to process the stored event', async () => {
    const row = await inboxRow(lost.id);
    return row.status === 'processed' ? row : undefined;
  });
  expect(processed.result.started).toHaveLength(1);
  expect(await journeysOf(child)).toHaveLength(1);

  // Processed, then the crash came before the row was marked: the same journey, no second one.
  const child2 = nthNationalNumber(7001);
  const event = birthEvent(child2, PARENTS);
  const first = await postEvent(register, event);
  expect(first.status).toBe(202);
  await pg.query(`UPDATE source_events SET status = 'received', result = NULL, processed_at = NULL, received_at = now() - interval '1 minute' WHERE event_id = $1`, [event.id]);
  const again = await pollUntil('the recovery loop to process it again', async () => {
    const row = await inboxRow(event.id);
    return row.status === 'processed' ? row : undefined;
  });
  expect(again.result.started).toEqual(first.body.result.started);
  // A child the register does not know: the declared parents get no mandate, either time.
  expect(again.result.mandates).toEqual(first.body.result.mandates);
  expect(again.result.mandates.map((m: any) => m.action)).toEqual(['refused', 'refused']);
  expect(await journeysOf(child2)).toHaveLength(1);
  expect((await pg.query(`SELECT count(*)::int AS n FROM mandates WHERE subject_id = $1`, [child2])).rows[0].n).toBe(0);
});

test('an event received while the journey engine is unreachable is kept, and processed once by another gateway', async () => {
  // A second gateway on the same database whose Temporal address answers nobody.
  const port = await freePort();
  const gatewayB = await startNodeProcess({
    name: 'gateway:events-no-temporal',
    script: path.resolve(__dirname, '../../dist/apps/gateway/src/main.js'),
    env: { ...stack.env, GATEWAY_PORT: String(port), TEMPORAL_ADDRESS: `127.0.0.1:${await freePort()}` },
    // Its /health says Temporal is down (503); /metrics answers once it listens.
    readyUrl: `http://127.0.0.1:${port}/metrics`,
    quiet: true,
  });
  try {
    const child = nthNationalNumber(8000);
    const event = birthEvent(child, PARENTS);
    const viaB = await postEvent(new Api(`http://127.0.0.1:${port}`, register.token), event);
    expect(viaB.status).toBe(202);
    expect(viaB.body).toMatchObject({ id: event.id, status: 'received', retry: expect.any(String) });
    expect((await inboxRow(event.id)).status).toBe('received');
    expect(await journeysOf(child)).toHaveLength(0);

    // The first gateway's recovery loop takes it over once gateway B lets go of it.
    const row = await pollUntil('the stored event to be processed', async () => {
      const r = await inboxRow(event.id);
      return r.status === 'processed' ? r : undefined;
    }, { timeoutMs: 90_000, intervalMs: 500 });
    expect(row.result.started).toHaveLength(1);
    expect(await journeysOf(child)).toHaveLength(1);
    // A redelivery to either gateway is a duplicate now.
    expect((await postEvent(register, event)).body.status).toBe('duplicate');
  } finally {
    await gatewayB.stop();
  }
});

test('a burst of 1,000 events (10% duplicates, some annulments) gives exactly the expected journeys and cancellations', async () => {
  const BIRTHS = 850;
  const DUPLICATES = 100;
  const ANNULMENTS = 50;
  const births = Array.from({ length: BIRTHS }, (_, i) => birthEvent(nthNationalNumber(10_000 + i), PARENTS));
  const annulled = births.slice(0, ANNULMENTS).map((b) => (b.data.child as { nationalNumber: string }).nationalNumber);

  // Births and their redeliveries in a shuffled order; a birth to annul is annulled right after its answer.
  const sends: Array<{ kind: 'birth' | 'duplicate'; event: TestCloudEvent; annulment?: TestCloudEvent }> = [
    ...births.map((event, i) => ({ kind: 'birth' as const, event, ...(i < ANNULMENTS ? { annulment: annulmentEvent(annulled[i]) } : {}) })),
    ...births.slice(BIRTHS - DUPLICATES).map((event) => ({ kind: 'duplicate' as const, event })),
  ];
  for (let i = sends.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [sends[i], sends[j]] = [sends[j], sends[i]];
  }
  const total = sends.length + ANNULMENTS;
  expect(total).toBe(1000);

  const latencies: Record<'birth' | 'duplicate' | 'annul', number[]> = { birth: [], duplicate: [], annul: [] };
  const timed = async (kind: keyof typeof latencies, event: TestCloudEvent) => {
    const t = performance.now();
    const res = await postEvent(register, event);
    latencies[kind].push(performance.now() - t);
    return { kind, status: res.status, body: res.body };
  };
  const started = Date.now();
  const statuses = (
    await mapConcurrent(sends, 16, async (send) => [await timed(send.kind, send.event), ...(send.annulment ? [await timed('annul', send.annulment)] : [])])
  ).flat();
  const seconds = (Date.now() - started) / 1000;
  const allIds = [...sends.map((s) => s.event.id), ...sends.flatMap((s) => (s.annulment ? [s.annulment.id] : []))];

  const failures = statuses.filter((s) => s.status !== 200 && s.status !== 202);
  expect(failures).toEqual([]);
  // Of each birth and its redelivery, exactly one was new (202) and one a duplicate (200).
  expect(statuses.filter((s) => s.status === 202)).toHaveLength(BIRTHS + ANNULMENTS);
  expect(statuses.filter((s) => s.status === 200).map((s) => s.body.status)).toEqual(Array(DUPLICATES).fill('duplicate'));
  console.log(`[figure] POST /events burst: ${total} events (${BIRTHS} births, ${DUPLICATES} redeliveries, ${ANNULMENTS} annulments), 16 concurrent senders, ${seconds.toFixed(1)} s = ${(total / seconds).toFixed(1)} events/s sustained (each new birth starts its journey before the answer)`);
  const pct = (values: number[], p: number) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))].toFixed(0);
  for (const [kind, values] of Object.entries(latencies)) {
    console.log(`[figure] POST /events answer time, ${kind} (${values.length}): p50 ${pct(values, 0.5)} ms, p99 ${pct(values, 0.99)} ms`);
  }

  // Every event processed; annulments may have waited for the recovery loop.
  await pollUntil('every burst event to be processed', async () => {
    const { rows } = await pg.query(`SELECT count(*)::int AS n FROM source_events WHERE event_id = ANY($1) AND status <> 'processed'`, [allIds]);
    return rows[0].n === 0;
  }, { timeoutMs: 120_000, intervalMs: 1000 });

  const children = births.map((b) => (b.data.child as { nationalNumber: string }).nationalNumber);
  const { rows } = await pg.query(
    `SELECT status, count(*)::int AS n, count(DISTINCT subject_id)::int AS subjects FROM journeys WHERE subject_id = ANY($1) AND life_event_key = $2 GROUP BY status ORDER BY status`,
    [children, lifeEvent],
  );
  expect(rows).toEqual([
    { status: 'cancelled', n: ANNULMENTS, subjects: ANNULMENTS },
    { status: 'running', n: BIRTHS - ANNULMENTS, subjects: BIRTHS - ANNULMENTS },
  ]);
  const cancelled = (await pg.query(`SELECT subject_id, cancel_reason FROM journeys WHERE status = 'cancelled' AND subject_id = ANY($1)`, [children])).rows;
  expect(cancelled.map((c) => c.subject_id).sort()).toEqual([...annulled].sort());
  expect(cancelled[0].cancel_reason).toMatch(/birth registration was annulled by national-register/);
  // Annulled children's parents no longer hold a valid mandate for them.
  const { rows: valid } = await pg.query(`SELECT count(*)::int AS n FROM mandates WHERE subject_id = ANY($1) AND (valid_until IS NULL OR valid_until > now())`, [annulled]);
  expect(valid[0].n).toBe(0);
  const { rows: inTemporal } = await pg.query(`SELECT id FROM journeys WHERE subject_id = ANY($1) AND status = 'cancelled' LIMIT 3`, [annulled]);
  for (const { id } of inTemporal) {
    const description = await temporal.client.workflow.getHandle(`journey-${id}`).describe();
    expect(description.status.name).not.toBe('RUNNING');
  }

  const metrics = await (await fetch(`${stack.gatewayUrl}/metrics`)).text();
  const value = (line: RegExp) => Number(metrics.match(line)?.[1] ?? NaN);
  expect(value(/^levensloop_events_duplicates_total\{source="national-register",type="be\.national-register\.birth\.registered"\} (\d+)/m)).toBeGreaterThanOrEqual(DUPLICATES);
  expect(value(/^levensloop_events_received_total\{source="national-register",type="be\.national-register\.birth\.annulled"\} (\d+)/m)).toBeGreaterThanOrEqual(ANNULMENTS);
});

test('an enterprise registered in the enterprise register starts its business journey, the founder acting for it', async () => {
  const key = `new-enterprise-${run}`;
  const created = await admin.post('/life-events', {
    key,
    audience: 'business',
    titles: titles('Nieuwe onderneming'),
    nodes: [{ key: 'visit', step: { agency, key: 'home-visit', version: 1 } }],
    triggers: [
      {
        eventType: 'be.enterprise-register.enterprise.registered',
        subject: { type: 'enterprise', path: 'enterprise.enterpriseNumber' },
        data: { name: 'enterprise.name' },
        mandates: { path: 'enterprise.founder', kind: 'representative' },
      },
    ],
  });
  expect(created.status).toBe(201);
  expect((await admin.post(`/life-events/${key}/versions/1/publish`)).status).toBe(200);

  // A company of the sandbox's register and one of its representatives (the register confirms them).
  const company = ((await (await fetch(`${stack.sandboxUrl}/_sandbox/population/examples`)).json()) as any).company as { enterpriseNumber: string; representatives: string[] };
  const enterprise = company.enterpriseNumber;
  const founder = company.representatives[0];
  const event = {
    specversion: '1.0',
    id: randomUUID(),
    source: 'enterprise-register',
    type: 'be.enterprise-register.enterprise.registered',
    data: { enterprise: { enterpriseNumber: enterprise, name: 'Bakkerij Test', founder } },
  };
  // The national register cannot publish it: wrong source for the token, and the type is not its own.
  expectProblem(await postEvent(register, event), 403);
  const notItsType = expectProblem(await postEvent(register, { ...event, source: 'national-register' }), 422);
  expect(notItsType.errors).toEqual([{ path: '/type', message: expect.stringContaining('published by enterprise-register') }]);

  const res = await postEvent(enterpriseRegister, event);
  expect(res.status).toBe(202);
  expect(res.body).toMatchObject({ status: 'processed', subject: enterprise, result: { started: [{ lifeEvent: { key, version: 1 }, subject: { type: 'enterprise', id: enterprise } }] } });
  const journey = (await pg.query(`SELECT data, started_by FROM journeys WHERE id = $1`, [res.body.result.started[0].journeyId])).rows[0];
  expect(journey).toEqual({ data: { name: 'Bakkerij Test' }, started_by: 'source:enterprise-register' });
  const mandates = (await pg.query(`SELECT holder_id, subject_type, kind, source FROM mandates WHERE subject_id = $1`, [enterprise])).rows;
  expect(mandates).toEqual([{ holder_id: founder, subject_type: 'enterprise', kind: 'representative', source: 'enterprise-register' }]);

  // Someone the enterprise register does not name as a representative gets no mandate.
  const stranger = { ...event, id: randomUUID(), data: { enterprise: { ...event.data.enterprise, founder: PARENTS[1] } } };
  const refused = await postEvent(enterpriseRegister, stranger);
  expect(refused.body.result.mandates).toEqual([expect.objectContaining({ holderId: PARENTS[1], action: 'refused', reason: expect.stringContaining('enterprise-register does not name') })]);
  expect((await pg.query(`SELECT count(*)::int AS n FROM mandates WHERE subject_id = $1 AND holder_id = $2`, [enterprise, PARENTS[1]])).rows[0].n).toBe(0);
});

test('the OpenAPI document describes publishing events and reading one back', async () => {
  const doc: any = await (await fetch(`${stack.gatewayUrl}/openapi.json`)).json();
  const publish = doc.paths['/events'].post;
  expect(Object.keys(publish.requestBody.content).sort()).toEqual(['application/cloudevents+json', 'application/cloudevents-batch+json', 'application/json']);
  expect(Object.keys(publish.responses).sort()).toEqual(['200', '202', '400', '401', '403', '409', '413', '415', '422', '429', '503']);
  expect(doc.components.schemas.CloudEventDto.required).toEqual(expect.arrayContaining(['specversion', 'id', 'source', 'type', 'data']));
  expect(doc.paths['/events/{source}/{id}'].get).toBeDefined();
});

test('a batch is stored and processed in one request; its redelivery is all duplicates', async () => {
  const events = Array.from({ length: 20 }, (_, i) => birthEvent(nthNationalNumber(20_000 + i), PARENTS));
  const first = await postBatch(register, events);
  expect(first.status).toBe(202);
  expect(first.body).toMatchObject({ accepted: 20, duplicates: 0 });
  expect(first.body.items.every((i: any) => i.status === 'processed' && i.result.started.length === 1)).toBe(true);
  const again = await postBatch(register, events);
  expect(again.status).toBe(200);
  expect(again.body).toMatchObject({ accepted: 0, duplicates: 20 });
  const { rows } = await pg.query(`SELECT count(*)::int AS n FROM journeys WHERE subject_id = ANY($1)`, [events.map((e) => (e.data.child as { nationalNumber: string }).nationalNumber)]);
  expect(rows[0].n).toBe(20);
});
