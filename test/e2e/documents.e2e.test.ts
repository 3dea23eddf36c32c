/**
 * Documents on tasks over HTTP, the whole stack as separate processes on a real PostgreSQL and
 * Temporal: a step declares the documents its task asks for (validated with the definition); the
 * citizen uploads a PDF (stored encrypted, addressed by its SHA-256: the table holds no
 * plaintext); a bad upload (a .pdf name with PNG or EXE bytes, too big, an unknown key, no file,
 * someone else's task) is a clear 4xx and stores nothing; the task completes only with its
 * required documents and hands the workflow their references; a caseworker of the agency lists
 * and downloads them (nosniff, attachment), which the citizen reads in their data-access log; the
 * same file twice is one blob, and content nothing refers to any more goes; the retention run
 * removes documents of long-finished journeys.
 */
import { createHash, randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { createDataSource, Retention } from '@levensloop/persistence';
import { createTestDatabase } from '../support/database';
import { expectProblem, type Api, type ApiResponse } from '../support/http';
import { dutchTitles, publishProofThenReview } from '../support/document-journey';
import { pollUntil } from '../support/poll';
import { startStack, type Stack } from '../support/stack';

jest.setTimeout(240_000);

const run = randomUUID().slice(0, 6);
const NATIONAL_NUMBER = '85073003328';
const OTHER_PERSON = '90010100123';
const agency = `civil-${run}`;
const other = `other-${run}`;
let db: { url: string; drop: () => Promise<void> };
let stack: Stack;
let pg: Client;
let admin: Api;
let auditor: Api;
let caseworker: Api;
let otherCaseworker: Api;
let citizen: Api;
let stranger: Api;

const titles = dutchTitles;
const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n'), Buffer.from(`run ${run}\n`), Buffer.from('%%EOF\n')]);
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
const EXE = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(62, 0x90), Buffer.from('This program cannot be run in DOS mode.')]);
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

const DOCUMENTS = [
  { key: 'birth-certificate', titles: titles('Geboorteakte'), acceptedTypes: ['application/pdf'], maxBytes: 2048, required: true },
  { key: 'photo', titles: titles('Pasfoto'), acceptedTypes: ['image/jpeg', 'image/png'], maxBytes: 4096 },
];

beforeAll(async () => {
  db = await createTestDatabase('e2e_documents');
  pg = new Client({ connectionString: db.url });
  await pg.connect();
  stack = await startStack(db.url, 'documents');
  admin = stack.api.as(await stack.token({ role: 'catalog-admin', sub: 'admin-1' }));
  auditor = stack.api.as(await stack.token({ role: 'auditor', sub: 'auditor-1' }));
  caseworker = stack.api.as(await stack.token({ role: 'caseworker', agency, sub: 'cw-1' }));
  otherCaseworker = stack.api.as(await stack.token({ role: 'caseworker', agency: other, sub: 'cw-9' }));
  citizen = stack.api.as(await stack.token({ role: 'citizen', nationalNumber: NATIONAL_NUMBER, sub: 'citizen-1' }));
  stranger = stack.api.as(await stack.token({ role: 'citizen', nationalNumber: OTHER_PERSON, sub: 'citizen-2' }));
  for (const code of [agency, other]) expect((await admin.post('/agencies', { code, names: titles(code) })).status).toBe(201);
  await publishProofThenReview(admin, agency, { proofStep: 'give-proof', proofTitle: 'Bewijs bezorgen', lifeEvent: `register-${run}`, lifeEventTitle: 'Een geboorte aangeven', documents: DOCUMENTS });
});

afterAll(async () => {
  await pg?.end();
  await stack?.stop();
  await db?.drop();
});

/** A multipart upload as a browser sends it. */
async function upload(api: Api, taskId: string, fields: { key?: string; file?: Buffer; name?: string; type?: string }): Promise<ApiResponse> {
  const form = new FormData();
  if (fields.key !== undefined) form.append('key', fields.key);
  if (fields.file) form.append('file', new Blob([fields.file], { type: fields.type ?? 'application/pdf' }), fields.name ?? 'document.pdf');
  const res = await fetch(`${api.baseUrl}/tasks/${encodeURIComponent(taskId)}/documents`, { method: 'POST', body: form, headers: api.token ? { authorization: `Bearer ${api.token}` } : {} });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: res.status, headers: res.headers, body, contentType: res.headers.get('content-type') ?? '' };
}

async function startJourney(as: Api = citizen, subject = NATIONAL_NUMBER) {
  const res = await as.post('/journeys', { lifeEvent: { key: `register-${run}` }, subject: { type: 'person', id: subject } }, { 'idempotency-key': randomUUID() });
  expect(res.status).toBe(201);
  const id = res.body.id as string;
  const task = await pollUntil(`the proof task of ${id}`, async () => (await as.get('/tasks?view=open')).body.items?.find((t: any) => t.journeyId === id && t.step === 'proof'));
  return { id, task };
}

const counts = async () => {
  const { rows } = await pg.query(`SELECT (SELECT count(*)::int FROM task_documents) AS documents, (SELECT count(*)::int FROM document_blobs) AS blobs`);
  return rows[0] as { documents: number; blobs: number };
};

test('a step declares its documents with the definition: a bad declaration is a 422 naming every problem', async () => {
  const res = await admin.post(`/agencies/${agency}/steps`, {
    key: 'bad-documents',
    kind: 'citizen',
    titles: titles('Fout'),
    serviceNorm: { target: 'P5D' },
    documents: [
      { key: 'Proof!', titles: { en: 'no Dutch' }, acceptedTypes: ['application/x-msdownload'], maxBytes: 0 },
      { key: 'proof', titles: titles('Bewijs'), acceptedTypes: [], maxBytes: 100 * 1024 * 1024 },
    ],
  });
  const problem = expectProblem(res, 422);
  expect(problem.errors!.map((e) => e.path).sort()).toEqual(
    ['/documents/0/acceptedTypes/0', '/documents/0/key', '/documents/0/maxBytes', '/documents/0/titles/nl', '/documents/1/acceptedTypes', '/documents/1/maxBytes'].sort(),
  );
  // Only tasks take documents.
  const decision = await admin.post(`/agencies/${agency}/steps`, { key: 'auto-docs', kind: 'automatic', endpoint: 'https://agency.example/x', titles: titles('Auto'), serviceNorm: { target: 'P1D' }, documents: DOCUMENTS });
  expect(expectProblem(decision, 422).errors).toEqual(expect.arrayContaining([expect.objectContaining({ path: '/documents' })]));
  // The API documents the multipart body and the problems of an upload.
  const doc = (await stack.api.get('/openapi.json')).body;
  const uploadOp = doc.paths['/tasks/{id}/documents'].post;
  expect(Object.keys(uploadOp.requestBody.content)).toEqual(['multipart/form-data']);
  expect(Object.keys(uploadOp.responses)).toEqual(expect.arrayContaining(['201', '400', '403', '404', '409', '413', '415', '422']));
  expect(doc.paths['/journeys/{id}/documents/{documentId}'].get.responses['404']).toBeDefined();
  // The step as stored shows what its task asks for.
  expect((await admin.get(`/agencies/${agency}/steps/give-proof/versions/1`)).body.documents).toEqual(DOCUMENTS);
});

test('bad uploads are clear 4xx problems and store nothing; completing needs the required document', async () => {
  const { task } = await startJourney();
  expect((await citizen.get(`/tasks/${task.id}`)).body.documents).toEqual([
    expect.objectContaining({ key: 'birth-certificate', required: true, acceptedTypes: ['application/pdf'], maxBytes: 2048 }),
    expect.objectContaining({ key: 'photo', required: false }),
  ]);
  const before = await counts();

  // The content decides, not the name or the declared type: PNG and EXE bytes named .pdf.
  const png = expectProblem(await upload(citizen, task.id, { key: 'birth-certificate', file: PNG, name: 'akte.pdf', type: 'application/pdf' }), 415);
  expect(png.detail).toMatch(/image\/png/);
  expectProblem(await upload(citizen, task.id, { key: 'birth-certificate', file: EXE, name: 'akte.pdf', type: 'application/pdf' }), 415);
  // Too big for the step's maxBytes.
  const big = expectProblem(await upload(citizen, task.id, { key: 'birth-certificate', file: Buffer.concat([PDF, Buffer.alloc(4096, 0x20)]) }), 413);
  expect(big.detail).toMatch(/2048 bytes/);
  // A key the step does not declare, no key, no file.
  expect(expectProblem(await upload(citizen, task.id, { key: 'passport', file: PDF }), 422).errors).toEqual([expect.objectContaining({ path: '/key' })]);
  expectProblem(await upload(citizen, task.id, { file: PDF }), 400);
  expectProblem(await upload(citizen, task.id, { key: 'birth-certificate' }), 400);
  // Not your task: someone else, a caseworker of the agency (a citizen's task), no one.
  expectProblem(await upload(stranger, task.id, { key: 'birth-certificate', file: PDF }), 404);
  expectProblem(await upload(otherCaseworker, task.id, { key: 'birth-certificate', file: PDF }), 404);
  expectProblem(await upload(stack.api, task.id, { key: 'birth-certificate', file: PDF }), 401);
  expect(await counts()).toEqual(before);

  // The required document is missing: the task does not complete.
  const incomplete = expectProblem(await citizen.post(`/tasks/${task.id}/complete`, { outcome: 'approve' }), 422);
  expect(incomplete.errors).toEqual([expect.objectContaining({ path: '/documents/birth-certificate' })]);
  expect(await counts()).toEqual(before);
});

test('a PDF is stored encrypted by its hash, the task completes with its reference, a caseworker downloads it and the citizen reads that in their access log', async () => {
  const { id, task } = await startJourney();
  const uploaded = await upload(citizen, task.id, { key: 'birth-certificate', file: PDF, name: 'akte.pdf', type: 'image/png' });
  expect(uploaded.status).toBe(201);
  // The type is the content's, not the declared one.
  expect(uploaded.body).toMatchObject({ key: 'birth-certificate', type: 'application/pdf', size: PDF.length, name: 'akte.pdf', hash: sha256(PDF), step: 'proof', uploadedBy: 'citizen-1' });

  // At rest: no plaintext, addressed by the plaintext's SHA-256, with the key id.
  const { rows } = await pg.query(`SELECT hash, key_id, content, size FROM document_blobs WHERE hash = $1`, [sha256(PDF)]);
  expect(rows).toHaveLength(1);
  expect(rows[0].key_id).toBe('dev-1');
  expect(rows[0].size).toBe(PDF.length);
  expect(Buffer.compare(rows[0].content, PDF)).not.toBe(0);
  expect(rows[0].content.includes(Buffer.from('%PDF'))).toBe(false);
  expect(rows[0].content.includes(Buffer.from(`run ${run}`))).toBe(false);

  // Completing hands the workflow references only.
  const done = await citizen.post(`/tasks/${task.id}/complete`, { outcome: 'approve' });
  expect(done.status).toBe(200);
  const journey = await pollUntil('the proof step completed', async () => {
    const res = await auditor.get(`/journeys/${id}`);
    return res.body.steps?.find((s: any) => s.key === 'proof' && s.status === 'completed') ? res.body : undefined;
  });
  expect(journey.steps.find((s: any) => s.key === 'proof').outcome.documents).toEqual([{ key: 'birth-certificate', hash: sha256(PDF), type: 'application/pdf', size: PDF.length }]);
  // A completed task takes no more documents.
  expectProblem(await upload(citizen, task.id, { key: 'photo', file: PNG, name: 'foto.png' }), 409);

  // Who may see the journey sees its documents; anyone else gets a 404.
  const list = await caseworker.get(`/journeys/${id}/documents?lang=en`);
  expect(list.status).toBe(200);
  expect(list.body.items).toEqual([expect.objectContaining({ key: 'birth-certificate', title: 'Geboorteakte (en)', type: 'application/pdf', hash: sha256(PDF) })]);
  expect((await citizen.get(`/journeys/${id}/documents`)).body.items).toHaveLength(1);
  expectProblem(await stranger.get(`/journeys/${id}/documents`), 404);
  expectProblem(await otherCaseworker.get(`/journeys/${id}/documents`), 404);
  const docId = list.body.items[0].id as string;
  expectProblem(await otherCaseworker.get(`/journeys/${id}/documents/${docId}`), 404);
  expectProblem(await caseworker.get(`/journeys/${id}/documents/${randomUUID()}`), 404);

  // The download: the bytes as uploaded, the stored type, an attachment, no sniffing.
  const download = await fetch(`${stack.gatewayUrl}/journeys/${id}/documents/${docId}`, { headers: { authorization: `Bearer ${caseworker.token}` } });
  expect(download.status).toBe(200);
  expect(download.headers.get('content-type')).toBe('application/pdf');
  expect(download.headers.get('x-content-type-options')).toBe('nosniff');
  expect(download.headers.get('content-disposition')).toBe('attachment; filename="akte.pdf"');
  expect(Buffer.from(await download.arrayBuffer()).equals(PDF)).toBe(true);

  // The citizen reads who downloaded it and why.
  const log = await pollUntil('the download in the access log', async () => {
    const res = await citizen.get(`/me/data-access?journey=${id}&lang=en`);
    return res.body.items?.find((e: any) => e.source.key === 'documents') ? res.body.items : undefined;
  });
  expect(log.filter((e: any) => e.source.key === 'documents')).toEqual([
    expect.objectContaining({
      actor: { kind: 'caseworker', caseworker: 'cw-1' },
      journey: expect.objectContaining({ id }),
      fields: [expect.objectContaining({ field: 'birth-certificate' })],
      purpose: 'A caseworker viewed a document given for this step',
      outcome: 'granted',
    }),
  ]);
});

test('the same file twice is one blob; the retention run removes documents of journeys finished longer ago than their term', async () => {
  const first = await startJourney();
  const second = await startJourney();
  const file = Buffer.concat([PDF, Buffer.from(`same ${randomUUID()}\n`)]);
  expect((await upload(citizen, first.task.id, { key: 'birth-certificate', file })).status).toBe(201);
  expect((await upload(citizen, second.task.id, { key: 'birth-certificate', file })).status).toBe(201);
  // Again to the same task and key: it replaces, still one row.
  expect((await upload(citizen, second.task.id, { key: 'birth-certificate', file })).status).toBe(201);
  const { rows } = await pg.query(`SELECT (SELECT count(*)::int FROM document_blobs WHERE hash = $1) AS blobs, (SELECT count(*)::int FROM task_documents WHERE hash = $1) AS documents`, [sha256(file)]);
  expect(rows[0]).toEqual({ blobs: 1, documents: 2 });

  // The first journey finished three years ago; the second still runs.
  await pg.query(`UPDATE journeys SET status = 'completed', completed_at = now() - interval '3 years' WHERE id = $1`, [first.id]);
  const ds = createDataSource(db.url);
  await ds.initialize();
  try {
    await new Retention(ds, { documentsTerm: 'P1Y' }).purge('journeys', 'P5Y', 100);
  } finally {
    await ds.destroy();
  }
  const after = await pg.query(`SELECT journey_id FROM task_documents WHERE hash = $1`, [sha256(file)]);
  expect(after.rows).toEqual([{ journey_id: second.id }]);
  // The content stays while another document refers to it; the journey itself keeps its own term.
  expect((await pg.query(`SELECT 1 FROM document_blobs WHERE hash = $1`, [sha256(file)])).rowCount).toBe(1);
  expect((await pg.query(`SELECT 1 FROM journeys WHERE id = $1`, [first.id])).rowCount).toBe(1);

  // Replaced by another file, the content nothing refers to any more goes.
  const other = Buffer.concat([PDF, Buffer.from(`other ${randomUUID()}\n`)]);
  expect((await upload(citizen, second.task.id, { key: 'birth-certificate', file: other })).status).toBe(201);
  expect((await pg.query(`SELECT 1 FROM document_blobs WHERE hash = $1`, [sha256(file)])).rowCount).toBe(0);
  expect((await pg.query(`SELECT hash FROM task_documents WHERE journey_id = $1`, [second.id])).rows).toEqual([{ hash: sha256(other) }]);
});
