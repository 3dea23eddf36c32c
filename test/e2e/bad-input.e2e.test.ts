/**
 * Bad input over HTTP: every refusal is a 4xx application/problem+json that says what to fix,
 * and nothing is written.
 */
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { createTestDatabase } from '../support/database';
import { expectProblem, type Api } from '../support/http';
import { startStack, type Stack } from '../support/stack';

jest.setTimeout(120_000);

const run = randomUUID().slice(0, 6);
const agency = `agency-${run}`;
let db: { url: string; drop: () => Promise<void> };
let stack: Stack;
let admin: Api;
let pg: Client;

const titles = (nl: string) => ({ nl, en: nl });
const counts = async () => {
  const { rows } = await pg.query(
    `SELECT (SELECT count(*) FROM agencies)::int AS agencies, (SELECT count(*) FROM service_steps)::int AS steps,
            (SELECT count(*) FROM life_events)::int AS life_events, (SELECT count(*) FROM journeys)::int AS journeys`,
  );
  return rows[0];
};

beforeAll(async () => {
  db = await createTestDatabase('e2e_bad_input');
  stack = await startStack(db.url, 'bad-input');
  admin = stack.api.as(await stack.token({ role: 'catalog-admin', sub: 'admin' }));
  pg = new Client({ connectionString: db.url });
  await pg.connect();
  expect((await admin.post('/agencies', { code: agency, names: titles('Agentschap') })).status).toBe(201);
  for (const key of ['a', 'b', 'c']) {
    const created = await admin.post(`/agencies/${agency}/steps`, { key: `step-${key}`, kind: 'citizen', titles: titles(key), serviceNorm: { target: 'P1D' } });
    expect(created.status).toBe(201);
    expect((await admin.post(`/agencies/${agency}/steps/step-${key}/versions/1/publish`)).status).toBe(200);
  }
  expect((await admin.post(`/agencies/${agency}/steps`, { key: 'draft-only', kind: 'citizen', titles: titles('d'), serviceNorm: { target: 'P1D' } })).status).toBe(201);
});

afterAll(async () => {
  await pg?.end();
  await stack?.stop();
  await db?.drop();
});

const ref = (key: string) => ({ agency, key, version: 1 });

test('a life event with a cycle, an unknown and an unpublished reference and a bad condition: all problems at once, nothing written', async () => {
  const before = await counts();
  const res = await admin.post('/life-events', {
    key: `broken-${run}`,
    audience: 'citizen',
    titles: titles('Kapot'),
    nodes: [
      { key: 'a', step: ref('step-a'), dependsOn: ['c'] },
      { key: 'b', step: ref('step-b'), dependsOn: ['a'] },
      { key: 'c', step: ref('step-c'), dependsOn: ['b'] },
      { key: 'd', step: ref('does-not-exist') },
      { key: 'e', step: ref('draft-only'), condition: { frobnicate: [1, 2] } },
      { key: 'e', step: ref('step-a') },
    ],
  });
  const problem = expectProblem(res, 422);
  const messages = problem.errors!.map((e) => `${e.path} ${e.message}`).join('\n');
  expect(messages).toMatch(/cycle/i);
  expect(messages).toMatch(/does-not-exist/);
  expect(messages).toMatch(/publish/i);
  expect(messages).toMatch(/frobnicate|operator/i);
  expect(messages).toMatch(/duplicate/i);
  expect(problem.errors!.length).toBeGreaterThanOrEqual(5);
  expect(await counts()).toEqual(before);
});

test('invalid durations, a missing nl title and an automatic step without endpoint are refused', async () => {
  const before = await counts();
  const res = await admin.post(`/agencies/${agency}/steps`, {
    key: 'bad-norm',
    kind: 'automatic',
    titles: { en: 'No Dutch title' },
    serviceNorm: { target: 'five days', warn: 'P-1D' },
  });
  const problem = res.status === 400 ? expectProblem(res, 400) : expectProblem(res, 422);
  const paths = problem.errors!.map((e) => e.path).join(' ');
  expect(paths).toMatch(/titles/);
  expect(paths).toMatch(/serviceNorm/);
  expect(await counts()).toEqual(before);
});

test('malformed JSON, wrong types and oversize bodies get 4xx problems', async () => {
  const before = await counts();
  const malformed = await admin.request('POST', '/agencies', '{"code": "x",', { 'content-type': 'application/json' });
  expect(expectProblem(malformed, 400).detail).toMatch(/JSON/);

  const wrongTypes = await admin.post(`/agencies/${agency}/steps`, { key: 42, kind: ['automatic'], titles: 'Titel', serviceNorm: 'P1D' });
  const problem = expectProblem(wrongTypes, 400);
  expect(problem.errors!.map((e) => e.path)).toEqual(expect.arrayContaining(['/key', '/kind', '/titles', '/serviceNorm']));

  const huge = await admin.post('/agencies', { code: 'huge', names: { nl: 'x'.repeat(2_000_000) } });
  expectProblem(huge, 413);

  const unknownField = await admin.post('/agencies', { code: `ok-${run}`, names: titles('x'), extra: true });
  expect(expectProblem(unknownField, 400).detail).toMatch(/extra/);

  const badJourney = await admin.post('/journeys', { lifeEvent: { key: 'Not A Key!' }, subject: { type: 'martian', id: 'abc' } }, { 'idempotency-key': randomUUID() });
  expect(expectProblem(badJourney, 400).errors!.length).toBeGreaterThanOrEqual(2);

  const noKey = await admin.post('/journeys', { lifeEvent: { key: 'anything' }, subject: { type: 'person', id: '85073003328' } });
  expect(expectProblem(noKey, 400).detail).toMatch(/Idempotency-Key/);

  const unknownLifeEvent = await admin.post('/journeys', { lifeEvent: { key: 'no-such-event' }, subject: { type: 'person', id: '85073003328' }, reason: 'bad input test' }, { 'idempotency-key': randomUUID() });
  expectProblem(unknownLifeEvent, 422);

  // Journeys are read by auditors (catalog admins read no personal data).
  const auditor = stack.api.as(await stack.token({ role: 'auditor', sub: 'auditor' }));
  expectProblem(await auditor.get('/journeys?limit=100000&overdue=maybe'), 400);
  expectProblem(await auditor.get('/journeys?cursor=garbage'), 400);
  expectProblem(await auditor.get('/journeys/not-a-uuid'), 404);
  expect(await counts()).toEqual(before);
});

test('control characters in any string input are refused with 400 naming the parameter; nothing reaches PostgreSQL', async () => {
  const before = await counts();
  // Both answered 500 before: PostgreSQL refuses a NUL byte in text.
  for (const url of ['/stats/once-only?lifeEvent=%C3%AA%00p', '/stats/automation?lifeEvent=%C3%8C%00']) {
    const problem = expectProblem(await admin.get(url), 400);
    expect({ url, ...problem }).toMatchObject({
      url,
      type: 'https://levensloop.dev/problems/control-characters',
      errors: [{ path: '/lifeEvent', message: expect.stringContaining('query parameter lifeEvent holds a control character (U+0000)') }],
    });
  }
  // A path parameter, a header the gateway reads, and a C1 control in a query.
  expect(expectProblem(await admin.get('/journeys/a%01b'), 400).errors).toEqual([{ path: '/id', message: expect.stringContaining('path parameter id') }]);
  expect(expectProblem(await admin.get('/journeys?lifeEvent=a%C2%85b'), 400).detail).toContain('U+0085');
  const key = expectProblem(await admin.post('/journeys', { lifeEvent: { key: 'anything' }, subject: { type: 'person', id: '85073003328' } }, { 'idempotency-key': 'k\u0080y' }), 400);
  expect(key.errors).toEqual([{ path: '/idempotency-key', message: expect.stringContaining('header idempotency-key') }]);
  // A JSON body string with NUL (an escaped \u0000 in the JSON text), at its JSON pointer; a key too.
  const nul = await admin.request('POST', '/agencies', JSON.stringify({ code: `nul-${run}`, names: { nl: 'Agent\u0000schap', en: 'ok' } }), { 'content-type': 'application/json' });
  expect(expectProblem(nul, 400).errors).toEqual([{ path: '/names/nl', message: expect.stringContaining('U+0000') }]);
  const nulKey = await admin.request('POST', '/agencies', JSON.stringify({ code: `nul-${run}`, names: { 'n\u0000l': 'x' } }), { 'content-type': 'application/json' });
  expect(expectProblem(nulKey, 400).errors!.map((e) => e.path)).toEqual(['/names/n\u0000l']);
  // Tab, line feed and carriage return are text in a body string.
  expect((await admin.post('/agencies', { code: `multi-${run}`, names: { nl: 'Regel 1\r\nRegel\t2', en: 'x' } })).status).toBe(201);
  expect(await counts()).toEqual({ ...before, agencies: before.agencies + 1 });
});

test('a published step is immutable', async () => {
  const res = await admin.put(`/agencies/${agency}/steps/step-a/versions/1`, { key: 'step-a', kind: 'citizen', titles: titles('changed'), serviceNorm: { target: 'P2D' } });
  expectProblem(res, 409);
  const { rows } = await pg.query(`SELECT definition->'titles'->>'nl' AS nl FROM service_steps WHERE agency = $1 AND key = 'step-a'`, [agency]);
  expect(rows).toEqual([{ nl: 'a' }]);
});
