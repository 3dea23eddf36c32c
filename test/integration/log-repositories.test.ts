/**
 * The two log repositories on a real PostgreSQL: DataAccessLog is the one insert into the access
 * log for every writer (batches in order, once per access key, the ids of rows written before,
 * outcome rows that point at their request), AuditLog appends (once, when asked) and pages.
 */
import type { DataSource } from 'typeorm';
import { AuditLog, createDataSource, DataAccessLog, verifyLogChains, type DataAccessEntry } from '@levensloop/persistence';
import { createTestDatabase } from '../support/database';

jest.setTimeout(60_000);

let db: { url: string; drop: () => Promise<void> };
let ds: DataSource;
let log: DataAccessLog;
let audit: AuditLog;

beforeAll(async () => {
  db = await createTestDatabase('it_log_repos');
  ds = createDataSource(db.url);
  await ds.initialize();
  log = new DataAccessLog(ds);
  audit = new AuditLog(ds);
});

afterAll(async () => {
  await ds?.destroy();
  await db?.drop();
});

const entry = (over: Partial<DataAccessEntry> = {}): DataAccessEntry => ({
  subjectType: 'person',
  subjectId: '85010100123',
  agency: 'growth',
  stepKey: 'check',
  actor: 'growth/check',
  actorKind: 'step',
  source: 'national-register',
  fields: ['birthDate', 'address.postalCode'],
  purpose: { nl: 'Recht nagaan', en: 'Check the right' },
  legalBasis: { type: 'law', reference: 'art. 8' },
  outcome: 'requested',
  ...over,
});

const rowsOf = (ids: Array<string | undefined>) =>
  ds.query(`SELECT id::text, access_key, subject_id, journey_id, fields, purpose, legal_basis, outcome, reason, request_id::text FROM data_access_log WHERE id = ANY($1::bigint[]) ORDER BY id`, [ids]);

it('appends a batch in order, with every column as given, and answers the ids in entry order', async () => {
  const ids = await log.append([
    entry({ subjectId: 'A', journeyId: '0b6a2b9c-3f0e-4f7a-9a55-1d2c3b4a5e6f', nodeKey: 'check' }),
    entry({ subjectId: 'B', outcome: 'refused', reason: 'not declared', fields: ['income'] }),
    entry({ subjectId: 'C', actorKind: 'caseworker', actor: 'cw-1', outcome: 'granted' }),
  ]);
  expect(ids).toHaveLength(3);
  expect(ids.every((id) => /^\d+$/.test(id!))).toBe(true);
  expect(Number(ids[0])).toBeLessThan(Number(ids[1]));
  expect(Number(ids[1])).toBeLessThan(Number(ids[2]));
  const rows = await rowsOf(ids);
  expect(rows.map((r: { subject_id: string }) => r.subject_id)).toEqual(['A', 'B', 'C']);
  expect(rows[0]).toMatchObject({
    journey_id: '0b6a2b9c-3f0e-4f7a-9a55-1d2c3b4a5e6f',
    fields: ['birthDate', 'address.postalCode'],
    purpose: { nl: 'Recht nagaan', en: 'Check the right' },
    legal_basis: { type: 'law', reference: 'art. 8' },
    outcome: 'requested',
    reason: null,
    access_key: null,
  });
  expect(rows[1]).toMatchObject({ fields: ['income'], outcome: 'refused', reason: 'not declared' });
});

it('writes a keyed entry once and answers the id of the row written before', async () => {
  const [first] = await log.append([entry({ accessKey: 'it/once/1' })]);
  const again = await log.append([entry({ accessKey: 'it/once/2' }), entry({ accessKey: 'it/once/1', subjectId: 'changed' })]);
  expect(again[1]).toBe(first);
  expect(again[0]).not.toBe(first);
  const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM data_access_log WHERE access_key LIKE 'it/once/%'`);
  expect(n).toBe(2);
  expect((await rowsOf([first]))[0].subject_id).toBe('85010100123');
});

it('appends an outcome for a request given by id, once per key suffix', async () => {
  const request = await log.appendOne(entry({ accessKey: 'it/read/1' }));
  await log.appendOutcomes([request!], 'failed', '1', 'register down');
  await log.appendOutcomes([request!], 'failed', '1', 'register down');
  await log.appendOutcomes([request!], 'granted', '2');
  const outcomes = await ds.query(`SELECT access_key, outcome, reason, request_id::text FROM data_access_log WHERE request_id = $1 ORDER BY id`, [request]);
  expect(outcomes).toEqual([
    { access_key: 'it/read/1/outcome/1', outcome: 'failed', reason: 'register down', request_id: request },
    { access_key: 'it/read/1/outcome/2', outcome: 'granted', reason: null, request_id: request },
  ]);
});

it('writes an outcome row that names its request (the mandate confirmations and contact prefill do so)', async () => {
  const request = await log.appendOne(entry({ agency: 'levensloop', stepKey: 'mandates' }));
  const outcome = await log.appendOne(entry({ agency: 'levensloop', stepKey: 'mandates', outcome: 'refused-by-source', reason: '404', requestId: request }));
  expect((await rowsOf([outcome]))[0]).toMatchObject({ request_id: request, outcome: 'refused-by-source', reason: '404' });
  // A request with an outcome shows as its outcome only.
  const page = await log.page({ subject: '85010100123', outcome: 'requested', limit: 100 });
  expect(page.map((r) => r.id)).not.toContain(request);
});

it('gives a logged register read its writer: the request once under its key, then the outcome pointing at it', async () => {
  const write = log.readEntry({ subjectType: 'person', subjectId: 'P', agency: 'levensloop', stepKey: 'notify', actor: 'levensloop/notify', actorKind: 'step', source: 'national-register', fields: ['contact'], purpose: { nl: 'Bereiken' }, legalBasis: { type: 'law', reference: 'x' } }, 'it/notify/P/1');
  const request = await write('requested');
  expect(await write('requested')).toBe(request);
  const outcome = await write('failed', request, 'timed out');
  expect(await rowsOf([request, outcome])).toEqual([
    expect.objectContaining({ access_key: 'it/notify/P/1', outcome: 'requested', request_id: null }),
    expect.objectContaining({ access_key: 'it/notify/P/1/outcome', outcome: 'failed', reason: 'timed out', request_id: request }),
  ]);
});

it('appends nothing for no entries', async () => {
  expect(await log.append([])).toEqual([]);
});

it('audits once when asked, pages newest first by target (a journey finds its decisions), and keeps both chains whole', async () => {
  const detail = { reason: 'test' };
  await audit.append({ actor: 'a', action: 'decision.overridden', targetType: 'decision', targetId: 'j-1/check', detail });
  await audit.appendOnce({ actor: 'a', action: 'journey.started', targetType: 'journey', targetId: 'j-1', detail: null });
  await audit.appendOnce({ actor: 'b', action: 'journey.started', targetType: 'journey', targetId: 'j-1', detail: null });
  await audit.append({ actor: 'c', action: 'journey.cancelled', targetType: 'journey', targetId: 'j-10', detail: null });
  const rows = await audit.page({ target: 'j-1', limit: 10 });
  expect(rows.map((r) => [r.action, r.actor, r.target_id])).toEqual([
    ['journey.started', 'a', 'j-1'],
    ['decision.overridden', 'a', 'j-1/check'],
  ]);
  expect(rows[1].detail).toEqual(detail);
  const [newest] = await audit.page({ target: 'j-1', limit: 1 });
  expect(await audit.page({ target: 'j-1', after: { at: newest.at_key, id: newest.id }, limit: 10 })).toHaveLength(1);
  for (const report of await verifyLogChains(ds)) expect(report.broken).toBeUndefined();
});
