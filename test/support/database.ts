import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { createDataSource, migrate } from '@levensloop/persistence';

/**
 * A fresh database per test file on the PostgreSQL of the test run, migrated (unless `migrated`
 * is false: a test of the migrations themselves runs them with runMigrations); dropped afterwards.
 */
export async function createTestDatabase(prefix = 'test', { migrated = true } = {}): Promise<{ url: string; drop: () => Promise<void> }> {
  const base = new URL(process.env.DATABASE_URL!);
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  const admin = new Client({ connectionString: base.toString() });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(base.toString());
  url.pathname = `/${name}`;
  if (migrated) await migrate(url.toString());
  return {
    url: url.toString(),
    drop: async () => {
      const c = new Client({ connectionString: base.toString() });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** The timestamp a migration's class name ends with, e.g. to run the migrations before one. */
export const migrationTime = (m: unknown) => Number(/(\d{13})$/.exec((m as { name: string }).name)?.[1]);

/** Runs these migrations, each in its own transaction, on the database at `url`. */
export async function runMigrations(url: string, migrations: unknown[]): Promise<void> {
  const ds = createDataSource(url, { migrations: migrations as never, migrationsTransactionMode: 'each' });
  await ds.initialize();
  try {
    await ds.runMigrations();
  } finally {
    await ds.destroy();
  }
}

/**
 * The URL the processes use for a test database: the same database as the runtime login
 * (`RUNTIME_DATABASE_URL`, a member of levensloop_runtime that may only append to the logs), or
 * the URL itself when the run has no such login (an external DATABASE_URL alone).
 */
export function runtimeUrlOf(ownerUrl: string): string {
  const login = process.env.RUNTIME_DATABASE_URL;
  if (!login) return ownerUrl;
  const { username, password } = new URL(login);
  const url = new URL(ownerUrl);
  url.username = username;
  url.password = password;
  return url.toString();
}
