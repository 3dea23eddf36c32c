/**
 * Event types as definitions as code (infra/catalog/event-types), on a real PostgreSQL: the
 * example catalog registers its types once, applying again changes nothing, a changed file is a
 * new version, and a bad file is refused with its file and JSON pointer, writing nothing.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DataSource } from 'typeorm';
import { CatalogError, CatalogService, EventTypeCatalog } from '@levensloop/catalog';
import { createDataSource } from '@levensloop/persistence';
import { sourceEventInputOf } from '@levensloop/sources';
import { createTestDatabase } from '../support/database';

jest.setTimeout(60_000);

const exampleCatalog = path.join(__dirname, '..', '..', 'infra', 'catalog');
const env = { SANDBOX_URL: 'http://127.0.0.1:3999' };
const MOVED = 'be.address-register.address.changed';
let db: { url: string; drop: () => Promise<void> };
let ds: DataSource;
let dir: string;

beforeAll(async () => {
  db = await createTestDatabase('it_event_types');
  ds = createDataSource(db.url);
  await ds.initialize();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'event-types-'));
  fs.cpSync(exampleCatalog, dir, { recursive: true });
});

afterAll(async () => {
  await ds?.destroy();
  await db?.drop();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const rows = async () => (await ds.query(`SELECT type, version FROM event_types ORDER BY type, version`)) as Array<{ type: string; version: number }>;

test('the example catalog registers its event types once; a changed file is a new version', async () => {
  const catalog = new CatalogService(ds).as('cli:test');
  const dry = await catalog.applyDefinitions(dir, { env, dryRun: true });
  expect(dry.eventTypes).toEqual({ created: [MOVED], unchanged: [] });
  expect(await rows()).toEqual([]);

  const first = await catalog.applyDefinitions(dir, { env });
  expect(first.eventTypes).toEqual({ created: [`${MOVED}@1`], unchanged: [] });
  expect((await catalog.applyDefinitions(dir, { env })).eventTypes).toEqual({ created: [], unchanged: [`${MOVED}@1`] });

  // A fresh registry (another process) knows it next to the built-in types, with what it means to the workflow.
  const registry = new EventTypeCatalog(ds);
  expect(sourceEventInputOf('address-register', 'e-1', MOVED, await registry.known())).toEqual({ source: 'address-register', eventId: 'e-1', kind: 'start', annulledBy: [] });
  expect(sourceEventInputOf('national-register', 'e-2', 'be.national-register.birth.annulled', await registry.known())).toEqual({
    source: 'national-register',
    eventId: 'e-2',
    kind: 'annul',
    annuls: { type: 'be.national-register.birth.registered', description: 'birth registration' },
    annulledBy: [],
  });

  const file = path.join(dir, 'event-types', 'address-register.yaml');
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('description: change of address', 'description: change of main residence'));
  expect((await catalog.applyDefinitions(dir, { env })).eventTypes).toEqual({ created: [`${MOVED}@2`], unchanged: [] });
  expect(await rows()).toEqual([
    { type: MOVED, version: 1 },
    { type: MOVED, version: 2 },
  ]);
  const audited = await ds.query(`SELECT actor, target_id FROM audit_log WHERE action = 'event_type.registered' ORDER BY id`);
  expect(audited).toEqual([
    { actor: 'cli:test', target_id: `${MOVED}@1` },
    { actor: 'cli:test', target_id: `${MOVED}@2` },
  ]);
});

test('a bad event-type file is refused with its file and pointer, and nothing is applied', async () => {
  const before = await rows();
  const file = path.join(dir, 'event-types', 'bad.yaml');
  fs.writeFileSync(
    file,
    ['- type: be.address-register.bad.thing', '  source: nowhere', '  kind: start', '  subject: { type: person, path: "a..b" }', '  description: bad', '  schema: { type: object, properties: { a: { type: string, format: postcode } } }', '  colour: red'].join('\n'),
  );
  try {
    const err = await new CatalogService(ds).applyDefinitions(dir, { env }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(CatalogError);
    const problems = (err as CatalogError).problems;
    expect(problems).toEqual(
      expect.arrayContaining([
        { path: 'event-types/bad.yaml#/0/colour', message: expect.stringContaining("unknown field 'colour'") },
        { path: 'event-types/bad.yaml#/0/source', message: expect.stringContaining("unknown source 'nowhere'") },
        { path: 'event-types/bad.yaml#/0/schema', message: expect.stringContaining('does not compile') },
        { path: 'event-types/bad.yaml#/0/subject/path', message: expect.stringContaining('dotted path') },
      ]),
    );
    expect(await rows()).toEqual(before);
  } finally {
    fs.rmSync(file);
  }
});
