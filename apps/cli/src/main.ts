// eslint-disable-next-line @nx/enforce-module-boundaries -- must load by path: it makes the @levensloop/* aliases resolvable
import '../../../libs/config/src/register-paths';
import 'reflect-metadata';
import * as os from 'node:os';
import * as path from 'node:path';
import { CatalogError, CatalogService, type ApplySummary } from '@levensloop/catalog';
import { readCliEnvironment, type CliEnvironment } from '@levensloop/config';
import { createDataSource, migrate, verifyLogChains } from '@levensloop/persistence';

/**
 * The operator's command line: migrations, definitions as code and the logs' hash chains.
 * Exit codes: 0 done, 1 refused (invalid catalog, a broken log chain, error), 2 wrong usage or
 * configuration.
 */
const USAGE = `Usage: levensloop <command>

  migrate           run pending database migrations (as the database owner: MIGRATION_DATABASE_URL)
  verify-logs       recompute the hash chains of the audit and data-access logs; names the first broken link
  apply <dir>       apply catalog definitions from files, all or nothing (see infra/catalog/README.md)
  validate <dir>    check catalog definitions against the database without changing anything

Environment:
  DATABASE_URL      postgres://user:password@host:5432/database (required)
  MIGRATION_DATABASE_URL  the owner's URL for 'migrate' (defaults to DATABASE_URL)
  LEVENSLOOP_ENV    development (default) or production (https endpoints only)
  SANDBOX_URL, …    values for \${VARIABLES} in step endpoints (SANDBOX_URL defaults to http://127.0.0.1:3100)`;

/** Wrong invocation or configuration (exit code 2); `showUsage` when the command line itself is wrong. */
class UsageError extends Error {
  constructor(
    message: string,
    readonly showUsage = true,
  ) {
    super(message);
  }
}

async function main(argv: string[]): Promise<void> {
  const [command, ...args] = argv;
  if (!command || command === 'help' || command === '--help' || command === '-h') {
    console.log(USAGE);
    if (!command) process.exitCode = 2;
    return;
  }
  if (command !== 'migrate' && command !== 'apply' && command !== 'validate' && command !== 'verify-logs') throw new UsageError(`Unknown command '${command}'.`);
  const expected = command === 'migrate' || command === 'verify-logs' ? 0 : 1;
  if (args.length !== expected) throw new UsageError(expected ? `'${command}' needs the catalog directory, e.g. ${command} infra/catalog` : `'${command}' takes no arguments.`);

  const env = readCliEnvironment();
  if (command === 'migrate') {
    // The owner runs the migrations; the processes connect as a member of levensloop_runtime.
    const applied = await migrate(requireDatabaseUrl(env, env.migrationDatabaseUrl ? 'MIGRATION_DATABASE_URL' : 'DATABASE_URL'));
    console.log(applied.length ? `Applied ${applied.length} migration(s):\n${applied.map((m) => `  ${m}`).join('\n')}` : 'The database is up to date: no migrations to apply.');
    return;
  }

  const databaseUrl = requireDatabaseUrl(env, 'DATABASE_URL');
  if (command === 'verify-logs') {
    const dataSource = createDataSource(databaseUrl, { extra: { max: 1 } });
    await dataSource.initialize();
    try {
      const reports = await verifyLogChains(dataSource);
      for (const r of reports) {
        if (r.broken) console.log(`${r.log}: BROKEN at row ${r.broken.id} (${r.broken.kind}): ${r.broken.message}`);
        else console.log(`${r.log}: intact, ${r.rows} row(s)${r.head ? `, last row ${r.head.id} with hash ${r.head.hash}` : ''}`);
        // Retention removed the rows up to the anchor: the chain starts from the hash it recorded.
        if (r.anchor) console.log(`${r.log}: rows up to ${r.anchor.upToId} (written until ${r.anchor.upToAt}) removed by retention; the chain goes on from their last hash ${r.anchor.hash}`);
      }
      if (reports.some((r) => r.broken)) process.exitCode = 1;
    } finally {
      await dataSource.destroy();
    }
    return;
  }

  const dir = path.resolve(args[0]);
  const dataSource = createDataSource(databaseUrl);
  await dataSource.initialize();
  try {
    // The production profile refuses plain http endpoints here as the API does.
    if (env.profileProblem) throw new UsageError(env.profileProblem, false);
    const httpsEndpointsOnly = env.profile === 'production';
    const summary = await new CatalogService(dataSource, undefined, { httpsEndpointsOnly, actor: `cli:${os.userInfo().username}` }).applyDefinitions(dir, { dryRun: command === 'validate' });
    console.log(formatSummary(summary));
  } finally {
    await dataSource.destroy();
  }
}

function requireDatabaseUrl(env: CliEnvironment, name: 'DATABASE_URL' | 'MIGRATION_DATABASE_URL'): string {
  const value = name === 'DATABASE_URL' ? env.databaseUrl : env.migrationDatabaseUrl;
  if (!value) throw new UsageError(`${name} is not set: point it at the PostgreSQL database, e.g. ${name}=postgres://levensloop:secret@127.0.0.1:5432/levensloop`, false);
  try {
    const url = new URL(value);
    if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') throw new Error();
  } catch {
    throw new UsageError(`${name} is not a PostgreSQL URL: expected postgres://user:password@host:5432/database`, false);
  }
  return value;
}

function formatSummary(s: ApplySummary): string {
  const line = (label: string, part: { created: string[]; updated?: string[]; unchanged: string[] }) =>
    `  ${label.padEnd(12)} ${part.created.length} ${s.dryRun ? 'to create' : 'created'}${part.created.length ? ` (${part.created.join(', ')})` : ''}, ` +
    (part.updated?.length ? `${part.updated.length} endpoint hosts ${s.dryRun ? 'to update' : 'updated'} (${part.updated.join(', ')}), ` : '') +
    `${part.unchanged.length} unchanged`;
  const changes = s.agencies.created.length + s.agencies.updated.length + s.steps.created.length + s.lifeEvents.created.length + (s.eventTypes?.created.length ?? 0);
  return [
    s.dryRun ? `The catalog in ${s.dir} is valid. Applying it would change:` : `Applied the catalog in ${s.dir}:`,
    line('agencies', s.agencies),
    line('steps', s.steps),
    line('life events', s.lifeEvents),
    ...(s.eventTypes ? [line('event types', s.eventTypes)] : []),
    ...(changes === 0 ? ['  nothing to change: the database already matches the files'] : []),
  ].join('\n');
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof UsageError) {
    console.error(err.showUsage ? `${err.message}\n\n${USAGE}` : err.message);
    process.exitCode = 2;
  } else if (err instanceof CatalogError) {
    console.error(err.message);
    for (const p of err.problems) console.error(`  - ${p.path}: ${p.message}`);
    process.exitCode = 1;
  } else {
    console.error(err instanceof Error ? (err.stack ?? err.message) : err);
    process.exitCode = 1;
  }
});
