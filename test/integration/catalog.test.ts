/** The catalog on a real PostgreSQL: versions, immutability, definitions as code. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DataSource } from 'typeorm';
import { applyCatalogFiles, CatalogError, CatalogService, loadCatalogFiles } from '@levensloop/catalog';
import { createDataSource } from '@levensloop/persistence';
import { createTestDatabase } from '../support/database';

jest.setTimeout(60_000);

let db: { url: string; drop: () => Promise<void> };
let ds: DataSource;
let catalog: CatalogService;
const exampleCatalog = path.join(__dirname, '..', '..', 'infra', 'catalog');

beforeAll(async () => {
  db = await createTestDatabase('it_catalog');
  ds = createDataSource(db.url);
  await ds.initialize();
  catalog = new CatalogService(ds);
});

afterAll(async () => {
  await ds?.destroy();
  await db?.drop();
});

const counts = async () => (await ds.query(`SELECT (SELECT count(*) FROM agencies)::int a, (SELECT count(*) FROM service_steps)::int s, (SELECT count(*) FROM life_events)::int l`))[0];

test('the example catalog applies, and applying it again changes nothing', async () => {
  const first = await applyCatalogFiles(ds, loadCatalogFiles(exampleCatalog));
  expect(first.agencies.created).toHaveLength(6);
  expect(first.steps.published).toHaveLength(6);
  expect(first.lifeEvents.published).toEqual(['starting-a-business@1']);
  const again = await applyCatalogFiles(ds, loadCatalogFiles(exampleCatalog));
  expect(again.agencies.created).toEqual([]);
  expect(again.steps.published).toEqual([]);
  expect(again.lifeEvents.published).toEqual([]);
  expect(again.lifeEvents.unchanged).toEqual(['starting-a-business@1']);

  const snapshot = await catalog.resolveSnapshot('starting-a-business');
  expect(snapshot.nodes.map((n) => n.key)).toEqual(['register', 'vat', 'social-insurance', 'bank-account', 'alcohol-permit', 'startup-support']);
  expect(snapshot.nodes[0].definition).toMatchObject({ kind: 'automatic', endpoint: expect.stringMatching(/\/agencies\/enterprise-counter\/register-enterprise$/) });
});

test('a changed step becomes a new published version; the old one stays as it was', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'catalog-'));
  fs.cpSync(exampleCatalog, dir, { recursive: true });
  const file = path.join(dir, 'steps', 'bank.yaml');
  fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('target: P30D', 'target: P21D'));
  const summary = await applyCatalogFiles(ds, loadCatalogFiles(dir));
  expect(summary.steps.published).toEqual(['bank/open-business-account@2']);
  expect(summary.lifeEvents.published).toEqual(['starting-a-business@2']);
  expect((await catalog.getStep('bank', 'open-business-account', 1)).serviceNorm.target).toBe('P30D');
});

test('invalid files are refused with every problem and nothing is written', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'catalog-'));
  fs.mkdirSync(path.join(dir, 'steps'));
  fs.mkdirSync(path.join(dir, 'life-events'));
  fs.writeFileSync(path.join(dir, 'agencies.yaml'), '- code: new-agency\n  names: { nl: Nieuw }\n');
  fs.writeFileSync(path.join(dir, 'steps', 'new-agency.yaml'), '- key: ok-step\n  kind: citizen\n  titles: { nl: Stap }\n  serviceNorm: { target: P1D }\n');
  fs.writeFileSync(path.join(dir, 'life-events', 'broken.yaml'), [
    'key: broken',
    'audience: citizen',
    'titles: { nl: Kapot }',
    'nodes:',
    '  - { key: a, step: { agency: new-agency, key: ok-step, version: latest }, dependsOn: [b] }',
    '  - { key: b, step: { agency: new-agency, key: ok-step, version: latest }, dependsOn: [a] }',
    '  - { key: c, step: { agency: nobody, key: nothing, version: latest } }',
  ].join('\n'));
  const before = await counts();
  const error = await applyCatalogFiles(ds, loadCatalogFiles(dir)).catch((e) => e);
  expect(error).toBeInstanceOf(CatalogError);
  const text = (error as CatalogError).problems.map((p) => `${p.path} ${p.message}`).join('\n');
  expect(text).toMatch(/broken\.yaml#\/nodes\/2\/step no published version of nobody\/nothing/);
  expect(text).toMatch(/broken\.yaml#.*cycle/);
  expect(await counts()).toEqual(before);
});

test('drafts change until published; published versions are immutable; versions race safely', async () => {
  await catalog.createAgency('lifecycle', { nl: 'Levenscyclus' });
  const def = { agency: 'lifecycle', key: 'step', kind: 'citizen' as const, titles: { nl: 'Stap' }, serviceNorm: { target: 'P1D' } };
  const drafts = await Promise.all([0, 1, 2, 3].map(() => catalog.createStepDraft('lifecycle', def)));
  expect(drafts.map((d) => d.version).sort()).toEqual([1, 2, 3, 4]);
  expect((await catalog.updateStepDraft('lifecycle', 'step', 1, { ...def, titles: { nl: 'Gewijzigd' } })).titles.nl).toBe('Gewijzigd');
  expect((await catalog.publishStep('lifecycle', 'step', 1)).status).toBe('published');
  await expect(catalog.updateStepDraft('lifecycle', 'step', 1, def)).rejects.toMatchObject({ kind: 'conflict' });
  expect((await catalog.retireStep('lifecycle', 'step', 1)).status).toBe('retired');
  await expect(catalog.retireStep('lifecycle', 'step', 2)).rejects.toMatchObject({ kind: 'conflict' });
  // A retired step cannot be used by a new life event.
  const refused = await catalog
    .createLifeEventDraft({ key: 'uses-retired', audience: 'citizen', titles: { nl: 'x' }, nodes: [{ key: 'a', step: { agency: 'lifecycle', key: 'step', version: 1 } }] })
    .catch((e) => e);
  expect(refused.problems[0].message).toMatch(/retired/);
});
