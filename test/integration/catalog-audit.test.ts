/**
 * Catalog changes are audited in the transaction that makes them, under the name of whoever made
 * them: an agency created; a step drafted, its draft edited (an endpoint change on an entry of its
 * own), published, retired; a life event drafted, edited, published, retired. A refused change
 * leaves no audit row. Real PostgreSQL, a fresh database.
 */
import type { DataSource } from 'typeorm';
import { CatalogService } from '@levensloop/catalog';
import type { ServiceStepDefinition } from '@levensloop/domain';
import { createDataSource, verifyLogChains } from '@levensloop/persistence';
import { createTestDatabase } from '../support/database';

jest.setTimeout(60_000);

let db: { url: string; drop: () => Promise<void> };
let ds: DataSource;
let catalog: CatalogService;

beforeAll(async () => {
  db = await createTestDatabase('it_catalog_audit');
  ds = createDataSource(db.url);
  await ds.initialize();
  catalog = new CatalogService(ds).as('admin-7');
});

afterAll(async () => {
  await ds?.destroy();
  await db?.drop();
});

const auditOf = async (targetType: string) =>
  (await ds.query(`SELECT actor, action, target_id, detail FROM audit_log WHERE target_type = $1 ORDER BY id`, [targetType])).map((r: any) => [r.actor, r.action, r.target_id, r.detail]);

const step = (endpoint: string, extra: Partial<ServiceStepDefinition> = {}): ServiceStepDefinition => ({
  agency: 'finance',
  key: 'vat',
  kind: 'automatic',
  endpoint,
  titles: { nl: 'Btw activeren' },
  serviceNorm: { target: 'P5D' },
  ...extra,
});

test('agency, step and life-event changes are audited with the actor; refused changes are not', async () => {
  await catalog.createAgency('finance', { nl: 'Financiën' }, ['finance.example']);
  await expect(catalog.createAgency('finance', { nl: 'Nog eens' })).rejects.toMatchObject({ kind: 'conflict' });
  await catalog.setEndpointHosts('finance', ['finance.example', 'elsewhere.example']);
  expect(await auditOf('agency')).toEqual([
    ['admin-7', 'agency.created', 'finance', { names: { nl: 'Financiën' }, endpointHosts: ['finance.example'] }],
    ['admin-7', 'agency.endpoint_hosts_changed', 'finance', { from: ['finance.example'], to: ['finance.example', 'elsewhere.example'] }],
  ]);

  await catalog.createStepDraft('finance', step('https://finance.example/vat'));
  await catalog.updateStepDraft('finance', 'vat', 1, step('https://finance.example/vat', { titles: { nl: 'Btw-nummer activeren' } }));
  await catalog.updateStepDraft('finance', 'vat', 1, step('https://elsewhere.example/collect'));
  await expect(catalog.updateStepDraft('finance', 'vat', 1, step('https://finance.example/vat', { serviceNorm: { target: 'soon' } }))).rejects.toMatchObject({ kind: 'invalid' });
  await catalog.publishStep('finance', 'vat', 1);
  await catalog.publishStep('finance', 'vat', 1); // a retry changes nothing, and audits nothing
  await catalog.retireStep('finance', 'vat', 1);
  expect(await auditOf('service_step')).toEqual([
    ['admin-7', 'step.drafted', 'finance/vat@1', { kind: 'automatic', endpoint: 'https://finance.example/vat' }],
    ['admin-7', 'step.draft_updated', 'finance/vat@1', { kind: 'automatic', changed: ['titles'] }],
    ['admin-7', 'step.draft_updated', 'finance/vat@1', { kind: 'automatic', changed: ['endpoint', 'titles'] }],
    ['admin-7', 'step.endpoint_changed', 'finance/vat@1', { from: 'https://finance.example/vat', to: 'https://elsewhere.example/collect' }],
    ['admin-7', 'step.published', 'finance/vat@1', { endpoint: 'https://elsewhere.example/collect' }],
    ['admin-7', 'step.retired', 'finance/vat@1', null],
  ]);

  await catalog.createStepDraft('finance', step('https://finance.example/vat2', { key: 'vat2' }));
  await catalog.publishStep('finance', 'vat2', 1);
  const lifeEvent = (title: string) => ({ key: 'business', audience: 'business' as const, titles: { nl: title }, nodes: [{ key: 'vat', step: { agency: 'finance', key: 'vat2', version: 1 } }] });
  await catalog.createLifeEventDraft(lifeEvent('Onderneming'));
  await catalog.updateLifeEventDraft('business', 1, lifeEvent('Een onderneming starten'));
  await catalog.publishLifeEvent('business', 1);
  await catalog.retireLifeEvent('business', 1);
  expect(await auditOf('life_event')).toEqual([
    ['admin-7', 'life_event.drafted', 'business@1', { audience: 'business' }],
    ['admin-7', 'life_event.draft_updated', 'business@1', { changed: ['titles'] }],
    ['admin-7', 'life_event.published', 'business@1', null],
    ['admin-7', 'life_event.retired', 'business@1', null],
  ]);
  expect((await verifyLogChains(ds)).map((r) => r.broken)).toEqual([undefined, undefined]);
});

test('a validation run of catalog files (apply --dry-run) audits nothing', async () => {
  const before = (await ds.query(`SELECT count(*)::int AS n FROM audit_log`))[0].n;
  await expect(catalog.transaction(async (tx) => {
    await tx.createAgency('rolled-back', { nl: 'Teruggedraaid' });
    throw new Error('roll back');
  })).rejects.toThrow('roll back');
  expect((await ds.query(`SELECT count(*)::int AS n FROM audit_log`))[0].n).toBe(before);
});
