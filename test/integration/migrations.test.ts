/**
 * Migrations on a database of their own: the endpoint hosts an existing agency gets are the hosts
 * the call-time check reads from its endpoints, and the append-only logs can be migrated down
 * with every outcome a register read can have.
 */
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { createDataSource, MIGRATIONS } from '@levensloop/persistence';

const ENDPOINT_HOSTS = 1764400000000;
const APPEND_ONLY = 1764700000000;
const migrationTime = (m: unknown) => Number(/(\d{13})$/.exec((m as { name: string }).name)?.[1]);

let admin: Client;
let dbName: string;
let url: string;

async function migrate(migrations: unknown[]) {
  const ds = createDataSource(url, { migrations: migrations as never, migrationsTransactionMode: 'each' });
  await ds.initialize();
  try {
    await ds.runMigrations();
  } finally {
    await ds.destroy();
  }
}

beforeAll(async () => {
  const base = new URL(process.env.DATABASE_URL!);
  dbName = `it_migrations_${randomBytes(4).toString('hex')}`;
  admin = new Client({ connectionString: base.toString() });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const own = new URL(base.toString());
  own.pathname = `/${dbName}`;
  url = own.toString();
});

afterAll(async () => {
  await admin?.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
  await admin?.end();
});

test('existing agencies get the hosts of their endpoints as the call-time check reads them, and they match', async () => {
  await migrate(MIGRATIONS.filter((m) => migrationTime(m) < ENDPOINT_HOSTS));
  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    await db.query(`INSERT INTO agencies (code, names) VALUES ('bank', '{"en":"Bank"}'), ('city', '{"en":"City"}')`);
    const endpoints: [string, string, string][] = [
      ['bank', 'a', 'https://api.bank.example:443/open'], // the default port written out
      ['bank', 'b', 'HTTPS://API.Bank.example/close'], // upper-case scheme and host
      ['bank', 'c', 'https://user:secret@api.bank.example/x'], // user info
      ['bank', 'd', 'http://127.0.0.1:3100/agencies/bank/open'],
      ['city', 'a', 'https://Bücher.example:8443/x'], // an international name
    ];
    for (const [agency, key, endpoint] of endpoints) {
      await db.query(`INSERT INTO service_steps (agency, key, version, status, kind, definition) VALUES ($1, $2, 1, 'published', 'automatic', $3)`, [agency, key, JSON.stringify({ endpoint })]);
    }
    await migrate(MIGRATIONS);
    const { rows } = await db.query(`SELECT code, endpoint_hosts FROM agencies ORDER BY code`);
    expect(rows).toEqual([
      { code: 'bank', endpoint_hosts: ['127.0.0.1:3100', 'api.bank.example'] },
      { code: 'city', endpoint_hosts: ['xn--bcher-kva.example:8443'] },
    ]);
    const { endpointHostProblem } = await import('@levensloop/domain');
    for (const [agency, , endpoint] of endpoints) {
      expect(endpointHostProblem(agency, endpoint, rows.find((r) => r.code === agency).endpoint_hosts)).toBeUndefined();
    }
  } finally {
    await db.end();
  }
});

test('the append-only logs migrate down with a read the source refused (an outcome of 17 characters)', async () => {
  const db = new Client({ connectionString: url });
  await db.connect();
  try {
    await db.query(
      `INSERT INTO data_access_log (subject_type, subject_id, actor, actor_kind, source, fields, purpose, legal_basis, outcome)
       VALUES ('person', '11111111111', 'payer/benefit', 'step', 'national-register', '{birthDate}', '{"en":"Check"}', '{"type":"law","reference":"art. 8"}', 'refused-by-source')`,
    );
    const ds = createDataSource(url, { migrations: MIGRATIONS as never, migrationsTransactionMode: 'each' });
    await ds.initialize();
    try {
      while (migrationTime((await ds.query(`SELECT name FROM migrations ORDER BY timestamp DESC LIMIT 1`))[0]) >= APPEND_ONLY) await ds.undoLastMigration();
    } finally {
      await ds.destroy();
    }
    const { rows } = await db.query(`SELECT outcome FROM data_access_log`);
    expect(rows).toEqual([{ outcome: 'refused-by-source' }]);
    const hash = await db.query(`SELECT 1 FROM information_schema.columns WHERE table_name = 'data_access_log' AND column_name = 'hash'`);
    expect(hash.rows).toEqual([]);
  } finally {
    await db.end();
  }
});
