/**
 * The audit and data-access logs on a real PostgreSQL: the runtime role may only append to them,
 * a trigger refuses changes even by the owner, every row is hash-chained to the one before it
 * (also rows written before the migration, also with many writers at once), and `verify-logs`
 * finds and names a row a superuser changed or removed behind the triggers' back.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { probeDatabaseRole } from '@levensloop/config';
import { createDataSource, MIGRATIONS, verifyLogChains } from '@levensloop/persistence';
import { createTestDatabase, migrationTime, runMigrations } from '../support/database';

jest.setTimeout(120_000);

const APPEND_ONLY = 1764700000000;
const root = path.resolve(__dirname, '..', '..');

let admin: Client;
let db: { url: string; drop: () => Promise<void> };
let ownerUrl: string;
let runtimeUrl: string;
let runtimeRole: string;
let owner: DataSource;
let runtime: Client;

const audit = (actor: string, action = 'test.done', detail: unknown = { n: 1 }) =>
  [`INSERT INTO audit_log (actor, action, target_type, target_id, detail) VALUES ($1, $2, 'test', 't-1', $3)`, [actor, action, JSON.stringify(detail)]] as [string, unknown[]];
const access = (subject: string, outcome = 'granted') =>
  [
    `INSERT INTO data_access_log (subject_type, subject_id, actor, actor_kind, source, fields, purpose, legal_basis, outcome)
     VALUES ('person', $1, 'payer/benefit', 'step', 'national-register', '{birthDate,"address.postalCode"}', '{"nl":"Recht nagaan","en":"Check"}', '{"type":"law","reference":"art. 8"}', $2)`,
    [subject, outcome],
  ] as [string, unknown[]];

beforeAll(async () => {
  db = await createTestDatabase('it_logs', { migrated: false });
  ownerUrl = db.url;
  // The superuser of the test run: roles, and changes behind the triggers' back.
  admin = new Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();

  // Rows written before the logs became append-only, then the migration that chains them.
  await runMigrations(ownerUrl, MIGRATIONS.filter((m) => migrationTime(m) < APPEND_ONLY));
  const before = new Client({ connectionString: ownerUrl });
  await before.connect();
  for (const n of [1, 2, 3]) await before.query(...audit(`before-${n}`, 'test.before', { n, nested: { 'ü': [1.50, null, 'x"y'] } }));
  for (const s of ['11111111111', '22222222222']) await before.query(...access(s));
  await before.end();
  await runMigrations(ownerUrl, MIGRATIONS);

  owner = createDataSource(ownerUrl);
  await owner.initialize();
  // A login that is a member of the group role the migration created, as the processes connect.
  runtimeRole = `it_runtime_${randomBytes(4).toString('hex')}`;
  await admin.query(`CREATE ROLE ${runtimeRole} LOGIN PASSWORD 'runtime' IN ROLE levensloop_runtime`);
  const rt = new URL(ownerUrl);
  rt.username = runtimeRole;
  rt.password = 'runtime';
  runtimeUrl = rt.toString();
  runtime = new Client({ connectionString: runtimeUrl });
  await runtime.connect();
});

afterAll(async () => {
  await runtime?.end();
  await owner?.destroy();
  await db?.drop();
  await admin?.query(`DROP ROLE IF EXISTS ${runtimeRole}`);
  await admin?.end();
});

const expectRefused = (promise: Promise<unknown>, message: RegExp) => expect(promise).rejects.toThrow(message);

test('rows written before the migration are chained in id order, and the chain verifies', async () => {
  const rows = await owner.query(`SELECT id, prev_hash, hash, actor FROM audit_log ORDER BY id`);
  expect(rows.map((r: any) => r.actor)).toEqual(['before-1', 'before-2', 'before-3']);
  expect(rows[0].prev_hash).toBeNull();
  expect(rows[1].prev_hash).toBe(rows[0].hash);
  expect(rows[2].prev_hash).toBe(rows[1].hash);
  const reports = await verifyLogChains(owner);
  expect(reports.map((r) => [r.log, r.rows, r.broken])).toEqual([
    ['audit_log', 3, undefined],
    ['data_access_log', 2, undefined],
  ]);
});

describe('the runtime role', () => {
  test('appends to both logs and reads them', async () => {
    await runtime.query(...audit('runtime'));
    await runtime.query(...access('33333333333', 'requested'));
    expect((await runtime.query(`SELECT count(*)::int AS n FROM audit_log WHERE actor = 'runtime'`)).rows[0].n).toBe(1);
  });

  test.each(['audit_log', 'data_access_log'])('may not UPDATE, DELETE or TRUNCATE %s', async (log) => {
    const column = log === 'audit_log' ? 'actor' : 'subject_id';
    await expectRefused(runtime.query(`UPDATE ${log} SET ${column} = 'x'`), new RegExp(`permission denied for table ${log}`));
    await expectRefused(runtime.query(`DELETE FROM ${log}`), new RegExp(`permission denied for table ${log}`));
    await expectRefused(runtime.query(`TRUNCATE ${log}`), new RegExp(`permission denied for table ${log}`));
    expect((await owner.query(`SELECT count(*)::int AS n FROM ${log} WHERE ${column} = 'x'`))[0].n).toBe(0);
  });

  test('has what it needs on every other table (default privileges cover tables of later migrations)', async () => {
    const tables: Array<{ name: string; select: boolean; insert: boolean; update: boolean; delete: boolean; truncate: boolean }> = await owner.query(
      `SELECT c.relname AS name,
              has_table_privilege('levensloop_runtime', c.oid, 'SELECT') AS select, has_table_privilege('levensloop_runtime', c.oid, 'INSERT') AS insert,
              has_table_privilege('levensloop_runtime', c.oid, 'UPDATE') AS update, has_table_privilege('levensloop_runtime', c.oid, 'DELETE') AS delete,
              has_table_privilege('levensloop_runtime', c.oid, 'TRUNCATE') AS truncate
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY 1`,
    );
    expect(tables.length).toBeGreaterThan(10);
    for (const t of tables) {
      const expected =
        t.name === 'audit_log' || t.name === 'data_access_log'
          ? { select: true, insert: true, update: false, delete: false }
          : t.name === 'migrations' || t.name === 'log_retention_floors'
            ? // The migrations' record, and the floor under the logs' retention: read only.
              { select: true, insert: false, update: false, delete: false }
            : { select: true, insert: true, update: true, delete: true };
      expect({ name: t.name, select: t.select, insert: t.insert, update: t.update, delete: t.delete, truncate: t.truncate }).toEqual({ name: t.name, ...expected, truncate: false });
    }
    // A table a later migration creates (as the same owner) gets the runtime's rights by default.
    await owner.query(`CREATE TABLE later_table (id int)`);
    const [later] = await owner.query(`SELECT has_table_privilege('levensloop_runtime', 'later_table', 'INSERT') AS insert, has_table_privilege('levensloop_runtime', 'later_table', 'DELETE') AS delete`);
    expect(later).toEqual({ insert: true, delete: true });
    await owner.query(`DROP TABLE later_table`);
  });
});

test.each(['audit_log', 'data_access_log'])('the trigger refuses UPDATE, DELETE and TRUNCATE of %s even by the owner', async (log) => {
  const column = log === 'audit_log' ? 'actor' : 'subject_id';
  await expectRefused(owner.query(`UPDATE ${log} SET ${column} = 'x' WHERE id = (SELECT min(id) FROM ${log})`), new RegExp(`${log} is append-only: UPDATE is refused`));
  await expectRefused(owner.query(`DELETE FROM ${log} WHERE id = (SELECT min(id) FROM ${log})`), new RegExp(`${log} is append-only: DELETE is refused`));
  await expectRefused(owner.query(`TRUNCATE ${log}`), new RegExp(`${log} is append-only: TRUNCATE is refused`));
});

test('the production profile refuses a database login that could rewrite the logs, and accepts the runtime role', async () => {
  const asOwner = await probeDatabaseRole(ownerUrl);
  expect(asOwner.warnings).toEqual([]);
  expect(asOwner.refusals).toEqual([expect.stringMatching(/a superuser|owns the audit and access logs/)]);
  expect(await probeDatabaseRole(runtimeUrl)).toEqual({ refusals: [], warnings: [] });
  // A login granted UPDATE on a log by hand is refused too.
  const loose = `it_loose_${randomBytes(4).toString('hex')}`;
  await admin.query(`CREATE ROLE ${loose} LOGIN PASSWORD 'loose' IN ROLE levensloop_runtime`);
  try {
    await owner.query(`GRANT UPDATE ON audit_log TO ${loose}`);
    const url = new URL(ownerUrl);
    url.username = loose;
    url.password = 'loose';
    expect((await probeDatabaseRole(url.toString())).refusals).toEqual([expect.stringContaining('audit_log:UPDATE')]);
  } finally {
    await owner.query(`REVOKE ALL ON audit_log FROM ${loose}`);
    await admin.query(`DROP ROLE ${loose}`);
  }
});

test('appends from many connections at once form one intact chain (in any session time zone)', async () => {
  const before = (await verifyLogChains(owner)).map((r) => r.rows);
  const writers = await Promise.all(
    ['UTC', 'America/New_York', 'Asia/Kolkata', 'Europe/Brussels', 'UTC', 'Pacific/Chatham'].map(async (zone) => {
      const c = new Client({ connectionString: runtimeUrl });
      await c.connect();
      await c.query(`SET timezone = '${zone}'`);
      return c;
    }),
  );
  try {
    await Promise.all(
      writers.map(async (c, w) => {
        for (let i = 0; i < 15; i++) {
          if (i % 5 === 0) {
            // A transaction writing to both logs, and a statement appending several rows at once.
            await c.query('BEGIN');
            await c.query(...audit(`writer-${w}`, 'test.tx', { i }));
            await c.query(...access(`4${w}${i}`.padEnd(11, '0')));
            await c.query(`INSERT INTO audit_log (actor, action, target_type, target_id) VALUES ($1, 'test.multi', 'test', 'a'), ($1, 'test.multi', 'test', 'b')`, [`writer-${w}`]);
            await c.query('COMMIT');
          } else {
            await Promise.all([c.query(...audit(`writer-${w}`, 'test.concurrent', { i })), c.query(...access(`5${w}${i}`.padEnd(11, '0')))]);
          }
        }
      }),
    );
  } finally {
    await Promise.all(writers.map((c) => c.end()));
  }
  const reports = await verifyLogChains(owner, { pageSize: 7 }); // small pages: links across page boundaries count too
  expect(reports.map((r) => r.broken)).toEqual([undefined, undefined]);
  expect(reports.map((r) => r.rows)).toEqual([before[0] + 6 * (15 + 3 * 2), before[1] + 6 * 15]);
});

test('appends under a snapshot isolation are refused rather than forking the chain', async () => {
  await runtime.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
  await expectRefused(runtime.query(...audit('rr')), /audit_log is appended to under READ COMMITTED only/);
  await runtime.query('ROLLBACK');
});

describe('verify-logs', () => {
  const cli = () =>
    promisify(execFile)(process.execPath, [path.join(root, 'dist', 'apps', 'cli', 'src', 'main.js'), 'verify-logs'], { env: { ...process.env, DATABASE_URL: runtimeUrl } }).then(
      (r) => ({ code: 0, stdout: r.stdout }),
      (err: { code: number; stdout: string }) => ({ code: err.code, stdout: err.stdout }),
    );

  test('says an intact chain is intact (exit code 0)', async () => {
    const run = await cli();
    expect(run.stdout).toMatch(/^audit_log: intact, \d+ row\(s\), last row \d+ with hash [0-9a-f]{64}$/m);
    expect(run.stdout).toMatch(/^data_access_log: intact/m);
    expect(run.code).toBe(0);
  });

  test('names a row a superuser changed with the trigger disabled, and the row after one removed', async () => {
    const [changed] = await owner.query(`SELECT id FROM audit_log WHERE action = 'test.concurrent' ORDER BY id LIMIT 1 OFFSET 3`);
    const removed: Array<{ id: string }> = await owner.query(`SELECT id FROM data_access_log ORDER BY id LIMIT 2 OFFSET 10`);
    const su = new Client({ connectionString: ownerUrl });
    await su.connect();
    try {
      await su.query(`ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only`);
      await su.query(`UPDATE audit_log SET detail = '{"i": 99}' WHERE id = $1`, [changed.id]);
      await su.query(`ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only`);
      await su.query(`SET session_replication_role = replica`); // no triggers at all for this session
      await su.query(`DELETE FROM data_access_log WHERE id = $1`, [removed[0].id]);
    } finally {
      await su.end();
    }
    const reports = await verifyLogChains(owner);
    expect(reports[0].broken).toEqual({ log: 'audit_log', id: String(changed.id), kind: 'content', message: expect.stringContaining('was changed after it was written') });
    expect(reports[1].broken).toEqual({ log: 'data_access_log', id: String(removed[1].id), kind: 'link', message: expect.stringContaining(`the row before it (id `) });

    const run = await cli();
    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`audit_log: BROKEN at row ${changed.id} (content)`);
    expect(run.stdout).toContain(`data_access_log: BROKEN at row ${removed[1].id} (link)`);
  });
});
