// eslint-disable-next-line @nx/enforce-module-boundaries -- must load by path: it makes the @levensloop/* aliases resolvable
import '../../../libs/config/src/register-paths';
import 'reflect-metadata';
import * as path from 'node:path';
import { applyCatalogFiles, CatalogError, loadCatalogFiles } from '@levensloop/catalog';
import { createDataSource, migrate } from '@levensloop/persistence';

const USAGE = `Usage: levensloop <command>
  migrate            run pending database migrations
  apply <dir>        apply catalog definitions from files (all or nothing)
  validate <dir>     check catalog definitions without applying them
Environment: DATABASE_URL (postgres://…)`;

async function main(argv: string[]): Promise<number> {
  const [command, dir] = argv;
  const databaseUrl = process.env.DATABASE_URL;
  if (!command || command === 'help' || command === '--help') {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  if (!databaseUrl) {
    console.error('DATABASE_URL is not set (e.g. postgres://user:pass@127.0.0.1:5432/levensloop).');
    return 2;
  }
  if (command === 'migrate') {
    const applied = await migrate(databaseUrl);
    console.log(applied.length ? `applied migrations: ${applied.join(', ')}` : 'database is up to date');
    return 0;
  }
  if (command === 'apply' || command === 'validate') {
    if (!dir) {
      console.error(USAGE);
      return 2;
    }
    const files = loadCatalogFiles(path.resolve(dir));
    const ds = createDataSource(databaseUrl);
    await ds.initialize();
    try {
      const summary = await applyCatalogFiles(ds, files, { dryRun: command === 'validate' });
      const line = (what: string, s: { [k: string]: string[] }) =>
        `${what}: ${Object.entries(s).map(([k, v]) => `${v.length} ${k}${v.length ? ` (${v.join(', ')})` : ''}`).join(', ')}`;
      console.log(command === 'validate' ? 'catalog is valid; would apply:' : 'catalog applied:');
      console.log(`  ${line('agencies', summary.agencies)}`);
      console.log(`  ${line('steps', summary.steps)}`);
      console.log(`  ${line('life events', summary.lifeEvents)}`);
      return 0;
    } finally {
      await ds.destroy();
    }
  }
  console.error(`Unknown command '${command}'.\n${USAGE}`);
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err) => {
    if (err instanceof CatalogError) {
      console.error(err.message);
      for (const p of err.problems) console.error(`  - ${p.path}: ${p.message}`);
    } else console.error(err);
    process.exit(1);
  },
);
