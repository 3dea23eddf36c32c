/**
 * The citizen's own dossier (GET /me/journeys/{id}/export) on the whole stack: a birth journey
 * started by the national register (two decisions by rule, register reads, messages to the
 * parents) exported as JSON by a parent (who holds a mandate for the child) with every section
 * filled, and as a PDF by the child (the subject) that is tagged for screen readers and says
 * what the JSON says; the reader's language; a holder of a read-only mandate gets it, a stranger
 * gets 404, an Accept the API cannot give 406; every export is audited and in the subject's
 * access log.
 */
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { Client } from 'pg';
import { applyExampleCatalog } from '../support/catalog';
import { createTestDatabase } from '../support/database';
import { expectProblem, type Api } from '../support/http';
import { pdfCatalog, pdfText } from '../support/pdf-text';
import { pollUntil } from '../support/poll';
import { sandboxRequest, startStack, type Stack } from '../support/stack';

jest.setTimeout(300_000);

let db: { url: string; drop: () => Promise<void> };
let stack: Stack;
let auditor: Api;
let examples: any;

const token = (nationalNumber: string) => stack.token({ role: 'citizen', nationalNumber, sub: `citizen-${nationalNumber}` });

/** The export as bytes (the test client reads text), with the headers given. */
async function download(journeyId: string, bearer: string, headers: Record<string, string>, query = '') {
  const res = await fetch(`${stack.api.baseUrl}/me/journeys/${journeyId}/export${query}`, { headers: { authorization: `Bearer ${bearer}`, ...headers } });
  return { status: res.status, type: res.headers.get('content-type') ?? '', disposition: res.headers.get('content-disposition') ?? '', language: res.headers.get('content-language'), body: Buffer.from(await res.arrayBuffer()) };
}

beforeAll(async () => {
  db = await createTestDatabase('e2e_dossier');
  stack = await startStack(db.url, 'dossier', { dispatcher: true });
  await applyExampleCatalog(db.url, stack.sandboxUrl);
  auditor = stack.api.as(await stack.token({ role: 'auditor', sub: 'dossier-auditor' }));
  examples = await sandboxRequest(stack, 'GET', '/_sandbox/population/examples');
});

afterAll(async () => {
  await stack?.stop();
  await db?.drop();
});

test('a parent exports the dossier as JSON and the child as a tagged PDF; a read-only holder may, a stranger may not; every export is logged', async () => {
  const parents: string[] = examples.flemishCouple.parents;
  const published = await sandboxRequest(stack, 'POST', '/_sandbox/events/births', { parents });
  const child: string = published.event.data.child.nationalNumber;
  const birthDate: string = published.event.data.child.birthDate;
  const journey = await pollUntil('the birth journey', async () => {
    const res = await auditor.get(`/journeys?subject=${child}&lifeEvent=birth-of-a-child`);
    return res.body?.items?.length === 1 ? res.body.items[0] : undefined;
  });
  const motherToken = await token(parents[0]);
  const mother = stack.api.as(motherToken);
  await pollUntil('two decisions', async () => ((await mother.get(`/journeys/${journey.id}/decisions`)).body?.items?.length === 2 ? true : undefined));
  // A message to the mother that went out (its text stored as sent).
  const sent = await pollUntil(
    'a message sent to the mother',
    async () => {
      const res = await mother.get(`/journeys/${journey.id}/notifications`);
      return res.body?.notifications?.find((n: any) => n.deliveries.some((d: any) => d.renderedAt && d.subject));
    },
    { timeoutMs: 60_000 },
  );

  // The parent: JSON (Accept: application/json), every section.
  const json = await mother.request('GET', `/me/journeys/${journey.id}/export?lang=en`, undefined, { accept: 'application/json' });
  expect(json.status).toBe(200);
  expect(json.contentType).toMatch(/^application\/json/);
  expect(json.headers.get('content-disposition')).toMatch(/^attachment; filename="dossier-birth-of-a-child-\d{4}-\d{2}-\d{2}\.json"$/);
  const d = json.body;
  expect(d).toMatchObject({ format: 'levensloop.dossier/1', language: 'en', requestedBy: { code: 'representative' }, journey: { id: journey.id, lifeEvent: { key: 'birth-of-a-child' }, subject: { type: 'person', id: child }, startedAt: expect.any(String) } });
  const grant = d.steps.find((s: any) => s.node === 'birth-grant');
  expect(grant).toMatchObject({ agency: { code: 'growth-package', name: expect.any(String) }, status: { code: 'completed', label: 'Done' }, completedAt: expect.any(String) });
  expect(d.decisions).toHaveLength(2);
  for (const decision of d.decisions) {
    expect(decision).toMatchObject({ rule: { id: expect.any(String), version: 1 }, outcome: { code: 'grant', label: 'Granted' } });
    expect(decision.decided.explanation).toContain(birthDate);
  }
  const birthDateUse = d.dataUsed.find((u: any) => u.node === 'birth-grant' && u.source.key === 'national-register' && u.field.key === 'birthDate');
  expect(birthDateUse).toMatchObject({ origin: { code: 'source' }, purpose: expect.stringMatching(/\S/), legalBasis: { type: expect.any(String), explanation: expect.stringMatching(/\S/) } });
  expect(d.dataAccess.complete).toBe(true);
  expect(d.dataAccess.items.some((r: any) => r.who.code === 'step' && r.source.key === 'national-register' && r.fields.some((f: any) => f.field === 'birthDate') && r.outcome.code === 'granted')).toBe(true);
  const message = d.messages.find((m: any) => m.id === sent.id);
  expect(message).toMatchObject({ category: { code: sent.category }, subject: sent.deliveries.find((x: any) => x.subject).subject, channels: expect.arrayContaining([expect.objectContaining({ code: expect.any(String), status: expect.any(Object) })]) });
  expect(d.documents).toEqual([]);
  // The JSON is what the OpenAPI document says it is.
  const documented = (await stack.api.get('/openapi.json')).body.paths['/me/journeys/{id}/export'].get.responses['200'].content['application/json'].schema;
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  const validate = ajv.compile(documented);
  expect({ valid: validate(d), errors: validate.errors ?? null }).toEqual({ valid: true, errors: null });

  // The language: asked, else the reader's preference, else Accept-Language.
  expect((await mother.request('GET', `/me/journeys/${journey.id}/export`, undefined, { accept: 'application/json', 'accept-language': 'fr-BE,fr;q=0.9' })).body.language).toBe('fr');
  expect((await mother.put('/me/preferences', { language: 'de', channels: ['ecounter'] })).status).toBe(200);
  const german = await mother.request('GET', `/me/journeys/${journey.id}/export`, undefined, { accept: 'application/json', 'accept-language': 'fr' });
  expect([german.body.language, german.headers.get('content-language'), german.body.journey.status.label]).toEqual(['de', 'de', expect.stringMatching(/^(Läuft|Abgeschlossen)/)]);

  // The child (the subject): the PDF by default, tagged, in Dutch (no preference, no Accept-Language).
  const childToken = await token(child);
  const childJson = (await stack.api.as(childToken).get(`/me/journeys/${journey.id}/export?format=json&lang=nl`)).body;
  expect(childJson.requestedBy.code).toBe('subject');
  const pdf = await download(journey.id, childToken, {});
  expect([pdf.status, pdf.type, pdf.language]).toEqual([200, 'application/pdf', 'nl']);
  expect(pdf.disposition).toMatch(/^attachment; filename="dossier-birth-of-a-child-.*\.pdf"$/);
  expect(pdf.body.subarray(0, 8).toString('latin1')).toBe('%PDF-1.7');
  const catalog = pdfCatalog(pdf.body);
  expect(catalog.markInfo).toMatch(/\/Marked true/);
  expect(catalog.dict).toMatch(/\/StructTreeRoot \d+ 0 R/);
  expect(catalog.dict).toContain('/Lang (nl)');
  // The fonts are embedded (found from the built gateway too), not the standard 14.
  expect([...catalog.objects.values()].some((o) => /\/FontFile2 \d+ 0 R/.test(o.dict))).toBe(true);
  const text = pdfText(pdf.body);
  expect(text).toContain(childJson.title);
  expect(text).toContain(childJson.steps.find((s: any) => s.node === 'birth-grant').title);
  expect(text).toContain(birthDate); // in the decisions' explanation
  // ?format= wins over Accept.
  expect((await download(journey.id, childToken, { accept: 'application/json' }, '?format=pdf')).type).toBe('application/pdf');
  expectProblem(await stack.api.as(childToken).request('GET', `/me/journeys/${journey.id}/export`, undefined, { accept: 'text/plain' }), 406);
  expectProblem(await stack.api.as(childToken).get(`/me/journeys/${journey.id}/export?format=docx`), 400);

  // A holder of a read-only mandate for the child in this life event has it; one for other life events, a stranger, a caseworker do not.
  const reader: string = examples.elderlyPerson;
  const outsider: string = examples.soleTrader.nationalNumber;
  const owner = new Client({ connectionString: db.url });
  await owner.connect();
  try {
    await owner.query(`INSERT INTO mandates (holder_id, subject_type, subject_id, kind, source, access, life_events) VALUES ($1, 'person', $2, 'representative', 'dossier-test', 'read', ARRAY['birth-of-a-child'])`, [reader, child]);
  } finally {
    await owner.end();
  }
  const readOnly = await stack.api.as(await token(reader)).get(`/me/journeys/${journey.id}/export?lang=en`);
  expect([readOnly.status, readOnly.body.requestedBy?.code]).toEqual([200, 'representative']);
  expectProblem(await stack.api.as(await token(outsider)).get(`/me/journeys/${journey.id}/export`), 404);
  expectProblem(await stack.api.as(childToken).get('/me/journeys/00000000-0000-4000-8000-000000000000/export'), 404);
  const caseworker = stack.api.as(await stack.token({ role: 'caseworker', agency: 'growth-package', sub: 'dossier-caseworker' }));
  expectProblem(await caseworker.get(`/me/journeys/${journey.id}/export`), 403);

  // Every export: an audit row, and a row in the access log the subject reads (theirs and their representatives').
  const audit = (await auditor.get(`/audit?action=dossier.exported&target=${journey.id}`)).body.items;
  expect(audit.length).toBe(7);
  expect(audit.find((a: any) => a.actor === `citizen-${reader}`).detail).toMatchObject({ format: 'json', language: 'en', as: 'representative', onBehalfOf: { type: 'person', id: child } });
  expect(audit.filter((a: any) => a.actor === `citizen-${child}`).map((a: any) => a.detail.format).sort()).toEqual(['json', 'pdf', 'pdf']);
  const log = (await stack.api.as(childToken).get(`/me/data-access?journey=${journey.id}&lang=en`)).body.items.filter((e: any) => e.source.key === 'dossier');
  expect(log).toHaveLength(7);
  expect(log.map((e: any) => e.purpose)).toEqual(expect.arrayContaining([expect.stringMatching(/^Someone who represents you downloaded your file/), expect.stringMatching(/^You downloaded your file/)]));
  expect(log[0]).toMatchObject({ actor: { kind: 'citizen' }, legalBasis: { type: 'law', reference: expect.stringContaining('art. 15') }, outcome: 'granted' });
});
