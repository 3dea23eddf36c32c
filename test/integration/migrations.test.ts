/**
 * Migrations on a database of their own: the endpoint hosts an existing agency gets are the hosts
 * the call-time check reads from its endpoints, and the append-only logs can be migrated down
 * with every outcome a register read can have.
 */
import { Client } from 'pg';
import { createDataSource, MIGRATIONS } from '@levensloop/persistence';
import { createTestDatabase, migrationTime, runMigrations } from '../support/database';

const ENDPOINT_HOSTS = 1764400000000;
const APPEND_ONLY = 1764700000000;

let db: { url: string; drop: () => Promise<void> };
let url: string;
const migrate = (migrations: unknown[]) => runMigrations(url, migrations);

beforeAll(async () => {
  db = await createTestDatabase('it_migrations', { migrated: false });
  url = db.url;
});

afterAll(async () => {
  await db?.drop();
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
