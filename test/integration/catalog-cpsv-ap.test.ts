/**
 * The catalogue in CPSV-AP 3 (GET /catalog/cpsv-ap): the example catalog (definitions as code)
 * applied to a fresh database, exported by the gateway as JSON-LD and as Turtle, and both
 * validated with pySHACL against the shapes of the mandatory properties in docs/cpsv-ap. An
 * export without a competent authority is reported, in either form. "Starting a business" is a
 * life event grouping its six services, with stable IRIs under the gateway's public URL.
 */
import * as path from 'node:path';
import { CatalogService } from '@levensloop/catalog';
import { startInProcessGateway, type InProcessGateway } from '../support/gateway';
import { expectProblem, type Api } from '../support/http';
import { parseTurtle, sameGraphShapes, validateWithPyshacl, writeTurtle } from '../support/shacl';

jest.setTimeout(180_000);

const PUBLIC_URL = 'https://api.levensloop.example';
const ID = `${PUBLIC_URL}/catalog/id`;
const CV = 'http://data.europa.eu/m8g/';
const REGISTER = `${ID}/service/enterprise-counter/register-enterprise/1`;
const catalogDir = path.resolve(__dirname, '../../infra/catalog');

let gateway: InProcessGateway;
let api: Api;

beforeAll(async () => {
  gateway = await startInProcessGateway('cpsv-ap', { GATEWAY_PUBLIC_URL: PUBLIC_URL }, {}, { worker: false });
  const catalog = new CatalogService(gateway.ds).as('catalog-admin');
  await catalog.applyDefinitions(catalogDir, { env: { SANDBOX_URL: gateway.sandbox.url } });
  // A draft is not part of the published catalogue.
  await catalog.createStepDraft('municipality', { key: 'draft-only', kind: 'citizen', titles: { nl: 'Nog niet gepubliceerd' }, serviceNorm: { target: 'P1D' } });
  api = await gateway.as({ role: 'citizen', nationalNumber: '85073003328', sub: 'cpsv-ap-reader' });
});

afterAll(async () => {
  await gateway?.close();
});

const turtle = async () => {
  const res = await api.request('GET', '/catalog/cpsv-ap', undefined, { accept: 'text/turtle' });
  expect(res.status).toBe(200);
  expect(res.contentType).toBe('text/turtle; charset=utf-8');
  return res.body as string;
};
const jsonLd = async () => {
  const res = await api.request('GET', '/catalog/cpsv-ap', undefined, { accept: 'application/ld+json' });
  expect(res.status).toBe(200);
  expect(res.contentType).toMatch(/^application\/ld\+json/);
  return res.body as { '@context': Record<string, string>; '@graph': Array<Record<string, unknown>> };
};

test('Turtle and JSON-LD by Accept (JSON-LD by default, also as JSON), the same on every call; 406 problem+json for anything else; 401 without a token', async () => {
  const first = await turtle();
  expect(await turtle()).toBe(first);
  const document = await jsonLd();
  expect(await jsonLd()).toEqual(document);
  const byDefault = await api.request('GET', '/catalog/cpsv-ap', undefined, { accept: '*/*' });
  expect(byDefault.contentType).toMatch(/^application\/ld\+json/);
  expect(byDefault.body).toEqual(document);
  const asJson = await api.get('/catalog/cpsv-ap');
  expect(asJson.contentType).toMatch(/^application\/json/);
  expect(asJson.body).toEqual(document);
  expect(asJson.headers.get('vary')).toMatch(/Accept/i);

  const refused = await api.request('GET', '/catalog/cpsv-ap', undefined, { accept: 'application/rdf+xml' });
  expect(expectProblem(refused, 406).detail).toMatch(/application\/ld\+json.*text\/turtle/);
  expectProblem(await api.as('').request('GET', '/catalog/cpsv-ap', undefined, { accept: 'text/turtle' }), 401);

  const operation = (await api.get('/openapi.json')).body.paths['/catalog/cpsv-ap'].get;
  expect(Object.keys(operation.responses['200'].content)).toEqual(['application/ld+json', 'text/turtle', 'application/json']);
  expect(operation.responses['406'].content['application/problem+json'].schema.$ref).toMatch(/ProblemResponse$/);
});

test('"Starting a business": a life event grouping its services, each with its competent authority, processing time, requirements and evidence; drafts left out', async () => {
  const quads = parseTurtle(await turtle());
  const values = (s: string, p: string) => quads.filter((q) => q.subject.value === s && q.predicate.value === p).map((q) => q.object.value).sort();
  const event = `${ID}/life-event/starting-a-business`;
  expect(values(event, 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type')).toEqual([`${CV}LifeEvent`]);
  expect(values(event, `${CV}hasRelatedService`)).toEqual(
    ['bank/open-business-account/1', 'enterprise-counter/register-enterprise/1', 'federal-finance/activate-vat/1', 'municipality/alcohol-permit/1', 'municipality/apply-alcohol-permit/1', 'social-insurance/choose-fund/1', 'startup-support/suggest-support/1'].map((s) => `${ID}/service/${s}`),
  );
  expect(values(REGISTER, `${CV}hasCompetentAuthority`)).toEqual([`${ID}/organisation/enterprise-counter`]);
  expect(values(REGISTER, `${CV}processingTime`)).toEqual(['P1D']);
  expect(values(REGISTER, `${CV}holdsRequirement`)).toContain(`${REGISTER}/requirement/national-register/birthDate`);
  expect(values(REGISTER, 'http://purl.org/vocab/cpsv#hasInput')).toContain(`${ID}/evidence/national-register/birthDate`);
  expect(values(REGISTER, `${CV}isGroupedBy`)).toEqual([event]);
  expect(values(`${ID}/life-event/birth-of-a-child`, 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type')).toEqual([`${CV}LifeEvent`]);
  expect(quads.some((q) => q.subject.value.includes('draft-only'))).toBe(false);
});

test('both serialisations conform to the CPSV-AP shapes, and say the same', async () => {
  const [ttl, document] = [await turtle(), await jsonLd()];
  const fromTurtle = await validateWithPyshacl(ttl, 'turtle');
  expect(fromTurtle.text).toContain('Conforms: True');
  expect(fromTurtle.conforms).toBe(true);
  const fromJsonLd = await validateWithPyshacl(JSON.stringify(document), 'json-ld');
  expect(fromJsonLd.text).toContain('Conforms: True');
  expect(fromJsonLd.conforms).toBe(true);

  // Every triple of the Turtle is in the JSON-LD, as often per property, as pySHACL reads it.
  const same = await validateWithPyshacl(JSON.stringify(document), 'json-ld', await writeShapesFile(await sameGraphShapes(parseTurtle(ttl))));
  expect(same.text).toContain('Conforms: True');
  expect(document['@graph']).toHaveLength(new Set(parseTurtle(ttl).map((q) => q.subject.value)).size);
});

test('a service without a competent authority is reported, in Turtle and in JSON-LD', async () => {
  const broken = parseTurtle(await turtle()).filter((q) => !(q.subject.value === REGISTER && q.predicate.value === `${CV}hasCompetentAuthority`));
  const fromTurtle = await validateWithPyshacl(await writeTurtle(broken), 'turtle');
  expect(fromTurtle.conforms).toBe(false);
  expect(fromTurtle.text).toMatch(/Results \(1\)/);
  expect(fromTurtle.text).toContain(`Focus Node: <${REGISTER}>`);
  expect(fromTurtle.text).toContain('cv:hasCompetentAuthority');

  const document = await jsonLd();
  const node = document['@graph'].find((n) => n['@id'] === REGISTER) as Record<string, unknown>;
  delete node['cv:hasCompetentAuthority'];
  const fromJsonLd = await validateWithPyshacl(JSON.stringify(document), 'json-ld');
  expect(fromJsonLd.conforms).toBe(false);
  expect(fromJsonLd.text).toContain(`Focus Node: <${REGISTER}>`);
  expect(fromJsonLd.text).toMatch(/MinCountConstraintComponent/);
});

async function writeShapesFile(shapes: string): Promise<string> {
  const fs = await import('node:fs');
  const os = await import('node:os');
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'levensloop-shapes-')), 'same.ttl');
  fs.writeFileSync(file, shapes);
  return file;
}
