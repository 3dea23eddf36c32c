/**
 * Before a citizen starts a life event, the console shows what it will read (the once-only
 * preview, `GET /life-events/{key}/preview`); and a life event is published only with triggers
 * that name a registered start type and read paths its schema declares, through the API and
 * as definitions as code (whose event types are registered with it).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { randomUUID } from 'node:crypto';
import { CatalogError, CatalogService } from '@levensloop/catalog';
import { createDataSource } from '@levensloop/persistence';
import { applyExampleCatalog } from '../support/catalog';
import { createTestDatabase } from '../support/database';
import { type Api, expectProblem } from '../support/http';
import { startStack, type Stack } from '../support/stack';

jest.setTimeout(300_000);

const run = randomUUID().slice(0, 6);
const titles = (nl: string) => ({ nl, en: nl });
let db: { url: string; drop: () => Promise<void> };
let stack: Stack;
let admin: Api;
let citizen: Api;

beforeAll(async () => {
  db = await createTestDatabase('e2e_preview');
  stack = await startStack(db.url, 'preview');
  await applyExampleCatalog(db.url, stack.sandboxUrl);
  admin = stack.api.as(await stack.token({ role: 'catalog-admin', sub: 'admin' }));
  citizen = stack.api.as(await stack.token({ role: 'citizen', nationalNumber: '85073003328' }));
});

afterAll(async () => {
  await stack?.stop();
  await db?.drop();
});

test('the preview lists per step the data read, its register, purpose and legal basis; unknown and unpublished keys are a 404 problem', async () => {
  const res = await citizen.get('/life-events/birth-of-a-child/preview');
  expect(res.status).toBe(200);
  const preview = res.body;
  expect(preview.lifeEvent).toMatchObject({ key: 'birth-of-a-child', version: 1, audience: 'citizen', titles: { en: 'Birth of a child' } });
  expect(preview.steps.map((s: any) => s.node)).toEqual(['birth-grant', 'child-benefit', 'health-insurer', 'home-visit', 'childcare']);
  const grant = preview.steps[0];
  expect(grant).toMatchObject({ kind: 'decision', optional: true, conditional: false, agency: { code: 'growth-package', names: { nl: expect.any(String) } } });
  expect(grant.data[0]).toEqual({
    source: 'national-register',
    sourceTitles: expect.objectContaining({ en: 'National register of persons' }),
    field: 'birthDate',
    fieldTitles: expect.objectContaining({ en: 'Date of birth' }),
    purpose: expect.objectContaining({ en: 'Establish the right to the birth grant' }),
    legalBasis: { type: 'law', reference: expect.stringContaining('Groeipakket') },
  });
  expect(preview.sources.map((s: any) => s.key)).toEqual(expect.arrayContaining(['national-register', 'address-register']));
  expect(new Set(preview.sources.map((s: any) => s.key)).size).toBe(preview.sources.length);

  const unknown = expectProblem(await citizen.get('/life-events/no-such-life-event/preview'), 404);
  expect(unknown.detail).toContain("'no-such-life-event'");
  // A draft only: nothing to start yet.
  expect((await admin.post('/life-events', { key: `draft-${run}`, audience: 'citizen', titles: titles('Ontwerp'), nodes: [{ key: 'grant', step: { agency: 'growth-package', key: 'birth-grant', version: 1 } }] })).status).toBe(201);
  expect(expectProblem(await citizen.get(`/life-events/draft-${run}/preview`), 404).detail).toContain('no published version');
  expect((await stack.api.get('/life-events/birth-of-a-child/preview')).status).toBe(401);
});

test('publishing checks each trigger against its registered event type and names what to fix', async () => {
  const MOVED = `be.address-register.p${run}.address.changed`;
  const key = `moving-${run}`;
  const trigger = { eventType: MOVED, subject: { type: 'person', path: 'person.nationalNumber' }, data: { municipality: 'address.municipalityCode' } };
  const draft = { key, audience: 'citizen', titles: titles('Verhuizen'), nodes: [{ key: 'grant', step: { agency: 'growth-package', key: 'birth-grant', version: 1 } }], triggers: [trigger] };
  expect((await admin.post('/life-events', draft)).status).toBe(201);
  const unregistered = expectProblem(await admin.post(`/life-events/${key}/versions/1/publish`), 422);
  expect(unregistered.errors).toEqual([{ path: '/triggers/0/eventType', message: expect.stringContaining(`'${MOVED}', which is not a registered event type`) }]);

  const schema = { type: 'object', required: ['person'], properties: { person: { type: 'object', required: ['nationalNumber'], properties: { nationalNumber: { type: 'string', format: 'national-number' } } }, address: { type: 'object', properties: { postalCode: { type: 'string' } } } } };
  expect((await admin.post('/event-types', { type: MOVED, source: 'address-register', kind: 'start', subject: { type: 'person', path: 'person.nationalNumber' }, description: 'move', schema })).status).toBe(201);
  const undeclared = expectProblem(await admin.post(`/life-events/${key}/versions/1/publish`), 422);
  expect(undeclared.errors).toEqual([{ path: '/triggers/0/data/municipality', message: expect.stringContaining("declares no 'municipalityCode' in data.address (it declares postalCode)") }]);
  expect((await admin.get(`/life-events/${key}/versions/1`)).body.status).toBe('draft');

  // Fixed in a new draft: published.
  expect((await admin.post('/life-events', { ...draft, triggers: [{ ...trigger, data: { postalCode: 'address.postalCode' } }] })).status).toBe(201);
  expect((await admin.post(`/life-events/${key}/versions/2/publish`)).status).toBe(200);

  // A newer draft does not hide the published version from those who start it.
  expect((await admin.post('/life-events', { ...draft, triggers: [] })).status).toBe(201);
  const published = (await citizen.get('/life-events?status=published')).body as Array<{ key: string; version: number; status: string }>;
  expect(published.find((l) => l.key === key)).toMatchObject({ version: 2, status: 'published' });
  expect(published.find((l) => l.key === `draft-${run}`)).toBeUndefined();
  expect(published.every((l) => l.status === 'published')).toBe(true);
  expect((await citizen.get('/life-events')).body.find((l: { key: string }) => l.key === key)).toMatchObject({ version: 3, status: 'draft' });
  expect(expectProblem(await citizen.get('/life-events?status=draft'), 400).errors).toEqual([{ path: '/status', message: expect.stringContaining("'published'") }]);
});

test('definitions as code: a life event may be triggered by a type its files register; a path the type does not declare refuses the apply', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'preview-catalog-'));
  const TYPE = `be.address-register.f${run}.address.changed`;
  fs.mkdirSync(path.join(dir, 'event-types'));
  fs.mkdirSync(path.join(dir, 'life-events'));
  fs.writeFileSync(
    path.join(dir, 'event-types', 'moves.yaml'),
    `- type: ${TYPE}\n  source: address-register\n  kind: start\n  subject: { type: person, path: person.nationalNumber }\n  description: move\n  schema:\n    type: object\n    required: [person]\n    properties:\n      person: { type: object, required: [nationalNumber], properties: { nationalNumber: { type: string, format: national-number } } }\n      movedOn: { type: string, format: date }\n`,
  );
  const lifeEvent = (dataPath: string) =>
    `key: files-${run}\naudience: citizen\ntitles: { nl: Verhuizen }\ntriggers:\n  - eventType: ${TYPE}\n    subject: { type: person, path: person.nationalNumber }\n    data: { movedOn: ${dataPath} }\nnodes:\n  - key: grant\n    step: { agency: growth-package, key: birth-grant, version: latest }\n`;
  const ds = createDataSource(db.url);
  await ds.initialize();
  try {
    fs.writeFileSync(path.join(dir, 'life-events', 'moving.yaml'), lifeEvent('moved'));
    const refused = await new CatalogService(ds).applyDefinitions(dir).catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(CatalogError);
    expect((refused as CatalogError).problems).toEqual([{ path: expect.stringMatching(/^life-events\/moving\.yaml.*\/triggers\/0\/data\/movedOn$/), message: expect.stringContaining("declares no 'moved' in data") }]);
    expect((await admin.get(`/event-types/${TYPE}`)).status).toBe(404);

    fs.writeFileSync(path.join(dir, 'life-events', 'moving.yaml'), lifeEvent('movedOn'));
    const applied = await new CatalogService(ds).applyDefinitions(dir);
    expect(applied.lifeEvents.created).toEqual([`files-${run}@1`]);
    expect(applied.eventTypes?.created).toEqual([`${TYPE}@1`]);
  } finally {
    await ds.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
