/**
 * Documents in an S3-compatible bucket (DOCUMENT_STORE=s3), the whole stack as separate processes
 * on a real PostgreSQL, Temporal and S3-compatible server (moto): a citizen uploads a PDF, which
 * reaches the bucket only encrypted, as one object named by its SHA-256, while its row stays in
 * PostgreSQL without content; a caseworker downloads the bytes as uploaded; a replaced upload
 * removes the object nothing refers to any more.
 */
import { createHash, randomUUID } from 'node:crypto';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { Client } from 'pg';
import { createTestDatabase } from '../support/database';
import type { Api } from '../support/http';
import { pollUntil } from '../support/poll';
import { startS3Server, type S3Server } from '../support/s3';
import { startStack, type Stack } from '../support/stack';

jest.setTimeout(240_000);

const run = randomUUID().slice(0, 6);
const NATIONAL_NUMBER = '85073003328';
const agency = `civil-s3-${run}`;
let db: { url: string; drop: () => Promise<void> };
let s3: S3Server;
let stack: Stack;
let pg: Client;
let caseworker: Api;
let citizen: Api;

const titles = (nl: string) => ({ nl, fr: `${nl} (fr)`, de: `${nl} (de)`, en: `${nl} (en)` });
const pdf = (label: string) => Buffer.concat([Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n'), Buffer.from(`${label} ${run}\n`), Buffer.from('%%EOF\n')]);
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

beforeAll(async () => {
  db = await createTestDatabase('e2e_documents_s3');
  pg = new Client({ connectionString: db.url });
  await pg.connect();
  s3 = await startS3Server();
  stack = await startStack(db.url, 'documents-s3', { env: s3.env });
  const admin = stack.api.as(await stack.token({ role: 'catalog-admin', sub: 'admin-1' }));
  caseworker = stack.api.as(await stack.token({ role: 'caseworker', agency, sub: 'cw-1' }));
  citizen = stack.api.as(await stack.token({ role: 'citizen', nationalNumber: NATIONAL_NUMBER, sub: 'citizen-1' }));
  expect((await admin.post('/agencies', { code: agency, names: titles(agency) })).status).toBe(201);
  const step = {
    key: 'give-proof',
    kind: 'citizen',
    titles: titles('Bewijs bezorgen'),
    serviceNorm: { target: 'P14D' },
    documents: [{ key: 'birth-certificate', titles: titles('Geboorteakte'), acceptedTypes: ['application/pdf'], maxBytes: 4096, required: true }],
  };
  expect((await admin.post(`/agencies/${agency}/steps`, step)).status).toBe(201);
  expect((await admin.post(`/agencies/${agency}/steps/give-proof/versions/1/publish`)).status).toBe(200);
  const created = await admin.post('/life-events', { key: `register-s3-${run}`, audience: 'citizen', titles: titles('Een geboorte aangeven'), nodes: [{ key: 'proof', step: { agency, key: 'give-proof', version: 1 } }] });
  expect(created.status).toBe(201);
  expect((await admin.post(`/life-events/register-s3-${run}/versions/1/publish`)).status).toBe(200);
});

afterAll(async () => {
  await pg?.end();
  await stack?.stop();
  await s3?.stop();
  await db?.drop();
});

async function upload(api: Api, taskId: string, file: Buffer) {
  const form = new FormData();
  form.append('key', 'birth-certificate');
  form.append('file', new Blob([file], { type: 'application/pdf' }), 'akte.pdf');
  const res = await fetch(`${api.baseUrl}/tasks/${encodeURIComponent(taskId)}/documents`, { method: 'POST', body: form, headers: { authorization: `Bearer ${api.token}` } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

const objects = async () => ((await s3.client.send(new ListObjectsV2Command({ Bucket: s3.bucket.bucket }))).Contents ?? []).map((o) => o.Key);

test('an upload goes to the bucket encrypted, by its hash, and downloads as uploaded; a replaced one leaves the bucket', async () => {
  const started = await citizen.post('/journeys', { lifeEvent: { key: `register-s3-${run}` }, subject: { type: 'person', id: NATIONAL_NUMBER } }, { 'idempotency-key': randomUUID() });
  expect(started.status).toBe(201);
  const id = started.body.id as string;
  const task = await pollUntil(`the proof task of ${id}`, async () => (await citizen.get('/tasks?view=open')).body.items?.find((t: { journeyId: string }) => t.journeyId === id));

  const first = pdf('first');
  const uploaded = await upload(citizen, task.id, first);
  expect(uploaded.status).toBe(201);
  expect(uploaded.body).toMatchObject({ hash: sha256(first), type: 'application/pdf', size: first.length });

  // In the bucket: one object named by the hash, sealed (no plaintext), with its key id.
  expect(await objects()).toEqual([sha256(first)]);
  const object = await s3.client.send(new GetObjectCommand({ Bucket: s3.bucket.bucket, Key: sha256(first) }));
  expect(object.Metadata).toEqual({ 'key-id': 'dev-1' });
  const sealed = Buffer.from(await object.Body!.transformToByteArray());
  expect(sealed.includes(Buffer.from('%PDF'))).toBe(false);
  expect(sealed.includes(Buffer.from(`first ${run}`))).toBe(false);
  // In PostgreSQL: the row, without the content.
  expect((await pg.query(`SELECT key_id, size, content IS NULL AS elsewhere FROM document_blobs WHERE hash = $1`, [sha256(first)])).rows).toEqual([{ key_id: 'dev-1', size: first.length, elsewhere: true }]);

  // The caseworker downloads the bytes as uploaded.
  const list = await caseworker.get(`/journeys/${id}/documents`);
  expect(list.status).toBe(200);
  const download = await fetch(`${stack.gatewayUrl}/journeys/${id}/documents/${list.body.items[0].id}`, { headers: { authorization: `Bearer ${caseworker.token}` } });
  expect(download.status).toBe(200);
  expect(download.headers.get('content-type')).toBe('application/pdf');
  expect(Buffer.from(await download.arrayBuffer()).equals(first)).toBe(true);

  // Replaced by another file: the first object goes, the second is there.
  const second = pdf('second');
  expect((await upload(citizen, task.id, second)).status).toBe(201);
  expect(await objects()).toEqual([sha256(second)]);
  expect((await pg.query(`SELECT hash FROM document_blobs`)).rows).toEqual([{ hash: sha256(second) }]);
});
