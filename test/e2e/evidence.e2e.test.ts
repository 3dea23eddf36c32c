/**
 * Evidence from another agency instead of an upload, over HTTP on the whole stack (real
 * PostgreSQL and Temporal, the sandbox's Central Criminal Record as the evidence provider): a
 * citizen step's document names the source that delivers it (validated with the definition); the
 * citizen asks for it, the source is asked with the step's purpose and legal basis (the access log
 * shows the read with outcome `preview`), the preview is held encrypted for them alone (another
 * citizen, the caseworker and the journey see nothing of it), they download and accept it, and it
 * is the task's document with its origin, which the completed step references and the caseworker
 * downloads; a rejected preview leaves nothing; a person the source holds nothing for gets a 409
 * problem and nothing is stored; a preview past its term can no longer be accepted and the
 * retention run deletes it.
 */
import { createHash, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { createDataSource, Retention } from '@levensloop/persistence';
import { createTestDatabase } from '../support/database';
import { expectProblem, type Api } from '../support/http';
import { dutchTitles, publishProofThenReview } from '../support/document-journey';
import { pollUntil } from '../support/poll';
import { sandboxRequest, startStack, type Stack } from '../support/stack';

jest.setTimeout(240_000);

const run = randomUUID().slice(0, 6);
const NOT_REGISTERED = '90010100123';
const agency = `licences-${run}`;
let db: { url: string; drop: () => Promise<void> };
let stack: Stack;
let pg: Client;
let admin: Api;
let auditor: Api;
let caseworker: Api;
let citizen: Api;
let stranger: Api;
let unregistered: Api;
/** Each citizen's own national number: they start journeys for themselves. */
const subjects = new Map<Api, string>();

const titles = dutchTitles;
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const PURPOSE = { nl: 'Nagaan of u de vergunning mag krijgen', fr: "Vérifier que vous pouvez obtenir l'autorisation", de: 'Prüfen, ob Sie die Genehmigung erhalten dürfen', en: 'Check that you may be given the licence' };
const EVIDENCE = { source: 'criminal-record', type: 'certificate-of-good-conduct', purpose: PURPOSE, legalBasis: { type: 'law', reference: 'Wet van 28 december 1983, art. 2' } };
const DOCUMENTS = [{ key: 'good-conduct', titles: titles('Uittreksel strafregister'), acceptedTypes: ['application/pdf'], maxBytes: 1_048_576, required: true, evidence: EVIDENCE }];

beforeAll(async () => {
  db = await createTestDatabase('e2e_evidence');
  pg = new Client({ connectionString: db.url });
  await pg.connect();
  stack = await startStack(db.url, 'evidence');
  const examples = await sandboxRequest(stack, 'GET', '/_sandbox/population/examples');
  admin = stack.api.as(await stack.token({ role: 'catalog-admin', sub: 'admin-1' }));
  auditor = stack.api.as(await stack.token({ role: 'auditor', sub: 'auditor-1' }));
  caseworker = stack.api.as(await stack.token({ role: 'caseworker', agency, sub: 'cw-1' }));
  citizen = stack.api.as(await stack.token({ role: 'citizen', nationalNumber: examples.soleTrader.nationalNumber, sub: 'citizen-1' }));
  stranger = stack.api.as(await stack.token({ role: 'citizen', nationalNumber: examples.personWithoutContact, sub: 'citizen-2' }));
  unregistered = stack.api.as(await stack.token({ role: 'citizen', nationalNumber: NOT_REGISTERED, sub: 'citizen-3' }));
  subjects.set(citizen, examples.soleTrader.nationalNumber).set(stranger, examples.personWithoutContact).set(unregistered, NOT_REGISTERED);
  expect((await admin.post('/agencies', { code: agency, names: titles(agency) })).status).toBe(201);
  await publishProofThenReview(admin, agency, { proofStep: 'give-good-conduct', proofTitle: 'Uittreksel bezorgen', lifeEvent: `licence-${run}`, lifeEventTitle: 'Een vergunning aanvragen', documents: DOCUMENTS });
});

afterAll(async () => {
  await pg?.end();
  await stack?.stop();
  await db?.drop();
});

async function startJourney(as: Api) {
  const subject = subjects.get(as)!;
  const res = await as.post('/journeys', { lifeEvent: { key: `licence-${run}` }, subject: { type: 'person', id: subject } }, { 'idempotency-key': randomUUID() });
  expect(res.status).toBe(201);
  const id = res.body.id as string;
  const task = await pollUntil(`the proof task of ${id}`, async () => (await as.get('/tasks?view=open')).body.items?.find((t: any) => t.journeyId === id && t.step === 'proof'));
  return { id, task, subject };
}

const stored = async () => {
  const { rows } = await pg.query(`SELECT (SELECT count(*)::int FROM evidence_previews) AS previews, (SELECT count(*)::int FROM task_documents) AS documents, (SELECT count(*)::int FROM document_blobs) AS blobs`);
  return rows[0] as { previews: number; documents: number; blobs: number };
};

async function download(api: Api, path: string) {
  const res = await fetch(`${stack.gatewayUrl}${path}`, { headers: { authorization: `Bearer ${api.token}` } });
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}

test('a document names its source with the definition: a bad declaration is a 422 naming every problem', async () => {
  const res = await admin.post(`/agencies/${agency}/steps`, {
    key: 'bad-evidence',
    kind: 'citizen',
    titles: titles('Fout'),
    serviceNorm: { target: 'P5D' },
    documents: [
      { ...DOCUMENTS[0], key: 'doc-a', evidence: { source: 'nowhere', type: 'x', purpose: { en: 'no Dutch' }, legalBasis: { type: 'law', reference: '' } } },
      { ...DOCUMENTS[0], key: 'doc-b', evidence: { ...EVIDENCE, type: 'diploma' } },
      { ...DOCUMENTS[0], key: 'doc-c', acceptedTypes: ['image/png'] },
      { ...DOCUMENTS[0], key: 'doc-d', evidence: { ...EVIDENCE, source: 'national-register' } },
    ],
  });
  expect(expectProblem(res, 422).errors!.map((e) => e.path).sort()).toEqual(
    ['/documents/0/evidence/source', '/documents/0/evidence/purpose/nl', '/documents/0/evidence/legalBasis/reference', '/documents/1/evidence/type', '/documents/2/evidence/type', '/documents/3/evidence/source'].sort(),
  );
  // Only at the person's own request: a caseworker's task cannot fetch it.
  const caseworkerStep = await admin.post(`/agencies/${agency}/steps`, { key: 'cw-evidence', kind: 'caseworker', titles: titles('Fout'), serviceNorm: { target: 'P5D' }, documents: DOCUMENTS });
  expect(expectProblem(caseworkerStep, 422).errors).toEqual([expect.objectContaining({ path: '/documents/0/evidence' })]);
  const doc = (await stack.api.get('/openapi.json')).body;
  expect(Object.keys(doc.paths['/tasks/{id}/documents/{key}/evidence'].post.responses)).toEqual(expect.arrayContaining(['201', '403', '404', '409', '422', '502', '503']));
});

test('request → preview (the read in the access log, for the requester only) → accept: the task completes with the document, which the caseworker downloads', async () => {
  const { id, task, subject } = await startJourney(citizen);
  const offered = (await citizen.get(`/tasks/${task.id}`)).body.documents;
  expect(offered).toEqual([expect.objectContaining({ key: 'good-conduct', evidence: expect.objectContaining({ source: 'criminal-record', type: 'certificate-of-good-conduct', sourceTitles: expect.objectContaining({ en: 'Central Criminal Record' }) }) })]);
  await sandboxRequest(stack, 'DELETE', '/_sandbox/source-reads');

  const asked = await citizen.post(`/tasks/${task.id}/documents/good-conduct/evidence?lang=en`, {});
  expect(asked.status).toBe(201);
  expect(asked.body).toMatchObject({ key: 'good-conduct', source: 'criminal-record', sourceTitle: 'Central Criminal Record', evidenceType: 'certificate-of-good-conduct', type: 'application/pdf', name: 'uittreksel-strafregister.pdf' });
  expect(new Date(asked.body.expiresAt).getTime()).toBeGreaterThan(Date.now());

  // The source was asked about the subject, with the step's purpose and legal basis.
  const reads = (await sandboxRequest(stack, 'GET', '/_sandbox/source-reads?source=criminal-record')).reads;
  expect(reads).toEqual([expect.objectContaining({ subject, fields: ['certificate-of-good-conduct'], purpose: PURPOSE.nl, legalBasis: 'law: Wet van 28 december 1983, art. 2', requester: `${agency}/give-good-conduct`, status: 200 })]);
  // The citizen reads it in their access log: the source, the document, why, on what basis, outcome preview.
  const log = (await citizen.get(`/me/data-access?journey=${id}&lang=en`)).body.items.filter((e: any) => e.source.key === 'criminal-record');
  expect(log).toEqual([
    expect.objectContaining({ outcome: 'preview', purpose: PURPOSE.en, fields: [expect.objectContaining({ field: 'certificate-of-good-conduct', title: 'Extract from the criminal record (certificate of good conduct)' })], legalBasis: expect.objectContaining({ type: 'law', reference: 'Wet van 28 december 1983, art. 2' }) }),
  ]);

  // Held encrypted, not attached: the caseworker and the journey see nothing yet.
  const { rows } = await pg.query(`SELECT content, hash FROM evidence_previews WHERE task_id = $1`, [task.id]);
  expect(rows).toHaveLength(1);
  expect(rows[0].content.includes(Buffer.from('%PDF'))).toBe(false);
  expect((await caseworker.get(`/journeys/${id}/documents`)).body.items).toEqual([]);
  expect((await citizen.get(`/journeys/${id}/documents`)).body.items).toEqual([]);
  // Another citizen, the caseworker and the auditor cannot see the preview; the requester lists theirs.
  expectProblem(await stranger.get(`/tasks/${task.id}/documents/good-conduct/evidence`), 404);
  expectProblem(await stranger.post(`/tasks/${task.id}/documents/good-conduct/evidence/accept`, {}), 404);
  expectProblem(await caseworker.get(`/tasks/${task.id}/documents/good-conduct/evidence`), 404);
  expectProblem(await auditor.get(`/tasks/${task.id}/documents/good-conduct/evidence`), 404);
  expect((await citizen.get(`/tasks/${task.id}/evidence`)).body.items).toEqual([expect.objectContaining({ key: 'good-conduct', hash: rows[0].hash })]);

  // The preview: the source's PDF, as an attachment that is not sniffed.
  const preview = await download(citizen, `/tasks/${task.id}/documents/good-conduct/evidence`);
  expect(preview.status).toBe(200);
  expect(preview.headers.get('content-type')).toBe('application/pdf');
  expect(preview.headers.get('x-content-type-options')).toBe('nosniff');
  expect(preview.body.subarray(0, 5).toString()).toBe('%PDF-');
  expect(sha256(preview.body)).toBe(rows[0].hash);
  // Viewing it is in the subject's access log too.
  const viewed = (await citizen.get(`/me/data-access?journey=${id}&lang=en`)).body.items.filter((e: any) => e.source.key === 'criminal-record' && e.outcome === 'granted');
  expect(viewed).toEqual([expect.objectContaining({ purpose: 'You (or whoever represents you) viewed the preview of a document fetched at your request, before using it' })]);

  // Accepted: the task's document, with its origin; the preview is gone.
  const accepted = await citizen.post(`/tasks/${task.id}/documents/good-conduct/evidence/accept?lang=en`, {});
  expect(accepted.status).toBe(201);
  expect(accepted.body).toMatchObject({ key: 'good-conduct', type: 'application/pdf', hash: rows[0].hash, uploadedBy: 'citizen-1', origin: { kind: 'evidence', source: 'criminal-record', sourceTitle: 'Central Criminal Record', type: 'certificate-of-good-conduct', requestedBy: 'citizen-1' } });
  expect((await stored()).previews).toBe(0);
  expect((await citizen.get(`/tasks/${task.id}/evidence`)).body.items).toEqual([]);
  const audit = (await auditor.get(`/audit?action=task.evidence_accepted&target=${task.id}`)).body.items;
  expect(audit).toEqual([expect.objectContaining({ actor: 'citizen-1', detail: expect.objectContaining({ key: 'good-conduct', source: 'criminal-record', hash: rows[0].hash }) })]);

  // The task completes with the document's reference, and the caseworker downloads the same bytes.
  expect((await citizen.post(`/tasks/${task.id}/complete`, { outcome: 'approve' })).status).toBe(200);
  const journey = await pollUntil('the proof step completed', async () => {
    const res = await auditor.get(`/journeys/${id}`);
    return res.body.steps?.find((s: any) => s.key === 'proof' && s.status === 'completed') ? res.body : undefined;
  });
  expect(journey.steps.find((s: any) => s.key === 'proof').outcome.documents).toEqual([{ key: 'good-conduct', hash: rows[0].hash, type: 'application/pdf', size: preview.body.length }]);
  const listed = (await caseworker.get(`/journeys/${id}/documents`)).body.items;
  expect(listed).toEqual([expect.objectContaining({ key: 'good-conduct', origin: expect.objectContaining({ source: 'criminal-record' }) })]);
  const got = await download(caseworker, `/journeys/${id}/documents/${listed[0].id}`);
  expect(got.status).toBe(200);
  expect(got.body.equals(preview.body)).toBe(true);
  // A closed task takes no more evidence.
  expectProblem(await citizen.post(`/tasks/${task.id}/documents/good-conduct/evidence`, {}), 409);
});

test('reject: the preview is discarded and nothing is attached', async () => {
  const { id, task } = await startJourney(citizen);
  expect((await citizen.post(`/tasks/${task.id}/documents/good-conduct/evidence`, {})).status).toBe(201);
  const before = await stored();
  expectProblem(await stranger.post(`/tasks/${task.id}/documents/good-conduct/evidence/reject`, {}), 404);
  const rejected = await citizen.post(`/tasks/${task.id}/documents/good-conduct/evidence/reject`, {});
  expect(rejected.status).toBe(200);
  expect(rejected.body).toEqual({ key: 'good-conduct', discarded: true });
  expect(await stored()).toEqual({ ...before, previews: before.previews - 1 });
  expect((await citizen.get(`/journeys/${id}/documents`)).body.items).toEqual([]);
  expectProblem(await citizen.get(`/tasks/${task.id}/documents/good-conduct/evidence`), 404);
  expectProblem(await citizen.post(`/tasks/${task.id}/documents/good-conduct/evidence/accept`, {}), 404);
  expect((await auditor.get(`/audit?action=task.evidence_rejected&target=${task.id}`)).body.items).toEqual([expect.objectContaining({ actor: 'citizen-1' })]);
  // The required document is still missing.
  expectProblem(await citizen.post(`/tasks/${task.id}/complete`, { outcome: 'approve' }), 422);
});

test('a person the source holds nothing for: a clear 409 problem, nothing stored, the refusal in the access log', async () => {
  const { id, task } = await startJourney(unregistered);
  const before = await stored();
  const res = await unregistered.post(`/tasks/${task.id}/documents/good-conduct/evidence?lang=en`, {});
  const problem = expectProblem(res, 409);
  expect(res.body.type).toMatch(/no-evidence$/);
  expect(problem.detail).toMatch(/Central Criminal Record holds no Extract from the criminal record .*upload the document instead/);
  expect(await stored()).toEqual(before);
  const log = (await unregistered.get(`/me/data-access?journey=${id}`)).body.items.filter((e: any) => e.source.key === 'criminal-record');
  expect(log).toEqual([expect.objectContaining({ outcome: 'refused-by-source' })]);
  // A source that is down: 503, nothing stored.
  await sandboxRequest(stack, 'PUT', '/_sandbox/sources/criminal-record/behaviour', { failWith: 503 });
  try {
    expectProblem(await citizen.post(`/tasks/${(await startJourney(citizen)).task.id}/documents/good-conduct/evidence`, {}), 503);
  } finally {
    await sandboxRequest(stack, 'DELETE', '/_sandbox/sources/criminal-record/behaviour');
  }
  expect((await stored()).previews).toBe(before.previews);
});

test('a preview past its term can no longer be accepted, and the retention run deletes it', async () => {
  const { task } = await startJourney(citizen);
  expect((await citizen.post(`/tasks/${task.id}/documents/good-conduct/evidence`, {})).status).toBe(201);
  await pg.query(`UPDATE evidence_previews SET expires_at = now() - interval '1 minute' WHERE task_id = $1`, [task.id]);
  expectProblem(await citizen.post(`/tasks/${task.id}/documents/good-conduct/evidence/accept`, {}), 404);
  expectProblem(await citizen.get(`/tasks/${task.id}/documents/good-conduct/evidence`), 404);
  const ds = createDataSource(db.url);
  await ds.initialize();
  try {
    await new Retention(ds).purge('journeys', 'P5Y', 100);
  } finally {
    await ds.destroy();
  }
  expect((await pg.query(`SELECT 1 FROM evidence_previews WHERE task_id = $1`, [task.id])).rowCount).toBe(0);
  expect((await pg.query(`SELECT 1 FROM task_documents WHERE task_id = $1`, [task.id])).rowCount).toBe(0);
});

test('a representative acts for the person: the source is asked about the person, and the preview is the representative\'s alone', async () => {
  const { task, subject } = await startJourney(citizen);
  const holder = subjects.get(stranger)!;
  await pg.query(`INSERT INTO mandates (holder_id, subject_type, subject_id, kind, source, access, life_events) VALUES ($1, 'person', $2, 'representative', 'evidence-test', 'act', ARRAY[$3])`, [holder, subject, `licence-${run}`]);
  await sandboxRequest(stack, 'DELETE', '/_sandbox/source-reads');
  const asked = await stranger.post(`/tasks/${task.id}/documents/good-conduct/evidence`, {});
  expect(asked.status).toBe(201);
  expect((await sandboxRequest(stack, 'GET', '/_sandbox/source-reads?source=criminal-record')).reads).toEqual([expect.objectContaining({ subject, status: 200 })]);
  // The person does not see their representative's preview; the representative does.
  expectProblem(await citizen.get(`/tasks/${task.id}/documents/good-conduct/evidence`), 404);
  expect((await citizen.get(`/tasks/${task.id}/evidence`)).body.items).toEqual([]);
  expect((await stranger.get(`/tasks/${task.id}/evidence`)).body.items).toEqual([expect.objectContaining({ key: 'good-conduct' })]);
  const accepted = await stranger.post(`/tasks/${task.id}/documents/good-conduct/evidence/accept`, {});
  expect(accepted.status).toBe(201);
  expect(accepted.body.origin).toMatchObject({ requestedBy: 'citizen-2', source: 'criminal-record' });
});

