/**
 * The two document stores behind one contract, on a real PostgreSQL and a real S3-compatible
 * server (moto's server mode): put, get and delete; the same content twice is stored once; what
 * is stored holds no plaintext; a hash nothing is stored under; a document still referred to
 * stays. Then the retention clean-up's blob lock: removing a finished journey's documents races
 * an upload of the same content to another journey, many times over, and no document is ever left
 * without its content; a replacement racing it keeps the new content and drops the old (a batch
 * PostgreSQL ends in a deadlock with it is retried, as the retention activity does).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { DeleteObjectCommand, GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { DataSource } from 'typeorm';
import { createDataSource, PostgresDocumentStore, Retention, S3DocumentStore, sha256, TaskDocuments, type DocumentKey, type DocumentStore } from '@levensloop/persistence';
import { createTestDatabase, runtimeUrlOf } from '../support/database';
import { startS3Server, type S3Server } from '../support/s3';

jest.setTimeout(180_000);

const KEYS: DocumentKey[] = [
  { id: 'doc-2', key: randomBytes(32) },
  { id: 'doc-1', key: randomBytes(32) },
];
const OLD_KEYS: DocumentKey[] = [KEYS[1]];

let db: { url: string; drop: () => Promise<void> };
let owner: DataSource;
let runtime: DataSource;
let s3: S3Server;

beforeAll(async () => {
  db = await createTestDatabase('document_stores');
  owner = await createDataSource(db.url).initialize();
  runtime = await createDataSource(runtimeUrlOf(db.url)).initialize();
  s3 = await startS3Server();
});

afterAll(async () => {
  await s3?.stop();
  await runtime?.destroy();
  await owner?.destroy();
  await db?.drop();
});

/** A store, and what it holds under a hash as stored (sealed), read behind its back. */
interface Subject {
  make(keys?: DocumentKey[]): DocumentStore;
  /** The stored bytes under the hash, or undefined when there are none. */
  raw(hash: string): Promise<Buffer | undefined>;
  /** How many stored things (rows with content, objects) there are for the hash. */
  copies(hash: string): Promise<number>;
}

const rowContent = async (hash: string) => {
  const [row]: Array<{ content: Buffer | null }> = await owner.query(`SELECT content FROM document_blobs WHERE hash = $1`, [hash]);
  return row?.content ?? undefined;
};

const SUBJECTS: Array<[string, () => Subject]> = [
  [
    'postgres',
    () => ({
      make: (keys = KEYS) => new PostgresDocumentStore(runtime, keys),
      raw: rowContent,
      copies: async (hash) => Number((await owner.query(`SELECT count(*)::int AS n FROM document_blobs WHERE hash = $1 AND content IS NOT NULL`, [hash]))[0].n),
    }),
  ],
  [
    's3',
    () => ({
      make: (keys = KEYS) => new S3DocumentStore(runtime, keys, s3.bucket),
      raw: async (hash) => {
        const object = await s3.client.send(new GetObjectCommand({ Bucket: s3.bucket.bucket, Key: hash })).catch(() => undefined);
        return object ? Buffer.from(await object.Body!.transformToByteArray()) : undefined;
      },
      copies: async (hash) => (await s3.client.send(new ListObjectsV2Command({ Bucket: s3.bucket.bucket, Prefix: hash }))).KeyCount ?? 0,
    }),
  ],
];

const plaintext = (label: string) => Buffer.concat([Buffer.from(`%PDF-1.7\nA birth certificate of ${label} `), randomBytes(64), Buffer.from(' the end of the certificate\n%%EOF\n')]);

describe.each(SUBJECTS)('the %s document store', (name, subject) => {
  let sub: Subject;
  beforeAll(() => {
    sub = subject();
  });

  test('put, get and delete a document, encrypted at rest', async () => {
    const store = sub.make();
    const content = plaintext(`${name}-1`);
    const hash = sha256(content);
    await store.put(hash, content);
    expect(await store.get(hash)).toEqual(content);
    // What is stored holds no plaintext: neither the whole nor a telling part of it.
    const raw = (await sub.raw(hash))!;
    expect(raw).toBeDefined();
    expect(raw.includes(content)).toBe(false);
    expect(raw.includes(Buffer.from('A birth certificate of'))).toBe(false);
    // The key id is kept with the row, whichever the store.
    expect(await owner.query(`SELECT key_id, size FROM document_blobs WHERE hash = $1`, [hash])).toEqual([{ key_id: 'doc-2', size: content.length }]);
    if (name === 's3') expect(await rowContent(hash)).toBeUndefined();
    expect(await store.delete(hash)).toBe(true);
    expect(await store.get(hash)).toBeUndefined();
    expect(await sub.raw(hash)).toBeUndefined();
    expect(await store.delete(hash)).toBe(false);
  });

  test('the same content twice is stored once', async () => {
    const store = sub.make();
    const content = plaintext(`${name}-twice`);
    const hash = sha256(content);
    await store.put(hash, content);
    const first = await sub.raw(hash);
    await store.put(hash, content);
    expect(await sub.copies(hash)).toBe(1);
    // The second put did not write it again.
    expect(await sub.raw(hash)).toEqual(first);
    expect(await store.get(hash)).toEqual(content);
  });

  test('a hash nothing is stored under reads as nothing', async () => {
    const store = sub.make();
    expect(await store.get(sha256(randomBytes(16)))).toBeUndefined();
    expect(await store.delete(sha256(randomBytes(16)))).toBe(false);
  });

  test('content a document still refers to stays; an older key still reads; an unknown key is a clear error', async () => {
    const content = plaintext(`${name}-kept`);
    const hash = sha256(content);
    await sub.make(OLD_KEYS).put(hash, content);
    const store = sub.make();
    expect(await store.get(hash)).toEqual(content);
    await owner.query(
      `INSERT INTO task_documents (id, task_id, journey_id, node_key, doc_key, hash, content_type, size, file_name, uploaded_by) VALUES ($1, $2, $3, 'proof', 'certificate', $4, 'application/pdf', $5, 'a.pdf', 'citizen-1')`,
      [randomUUID(), `task-kept-${name}`, randomUUID(), hash, content.length],
    );
    expect(await store.delete(hash)).toBe(false);
    expect(await store.deleteUnreferenced!([hash])).toEqual([]);
    expect(await store.get(hash)).toEqual(content);
    await expect(sub.make([{ id: 'doc-9', key: randomBytes(32) }]).get(hash)).rejects.toThrow(/encrypted with key doc-1, which is not configured \(DOCUMENT_KEYS\)/);
  });

  if (name === 's3') {
    test('an object gone behind the store is a clear error, and the next upload of the content brings it back', async () => {
      const store = sub.make();
      const content = plaintext('s3-lost');
      const hash = sha256(content);
      await store.put(hash, content);
      await s3.client.send(new DeleteObjectCommand({ Bucket: s3.bucket.bucket, Key: hash }));
      await expect(store.get(hash)).rejects.toThrow(`document ${hash} has no object in the bucket ${s3.bucket.bucket}`);
      await store.put(hash, content);
      expect(await store.get(hash)).toEqual(content);
    });
  }
});

describe.each(SUBJECTS)("the retention clean-up's blob lock (%s store)", (name, subject) => {
  let store: DocumentStore;
  const documents = () => new TaskDocuments(runtime);
  /** The journeys of this block: the other store's documents are not this store's to read. */
  const mine: string[] = [];
  beforeAll(() => {
    store = subject().make();
  });

  /** A journey finished ten years ago with a document of `content`, and a running journey. */
  async function journeys(content: Buffer) {
    const finished = randomUUID();
    const running = randomUUID();
    for (const [id, status, completed] of [
      [finished, 'completed', `now() - interval '10 years'`],
      [running, 'running', 'NULL'],
    ] as const) {
      await owner.query(
        `INSERT INTO journeys (id, idempotency_key, life_event_key, life_event_version, title, subject_type, subject_id, status, agencies, started_at, completed_at, started_by, data, updated_at)
         VALUES ($1, $2, 'birth', 1, '{}', 'person', '85073003328', $3, '{civil}', now() - interval '11 years', ${completed}, 'citizen-1', '{}', now() - interval '10 years')`,
        [id, `retention-race-${id}`, status],
      );
    }
    mine.push(finished, running);
    await documents().attach(doc(finished, content), content, store);
    return { finished, running };
  }

  const doc = (journeyId: string, content: Buffer) => ({
    id: randomUUID(),
    task_id: `${journeyId}/proof`,
    journey_id: journeyId,
    node_key: 'proof',
    doc_key: 'certificate',
    hash: sha256(content),
    content_type: 'application/pdf',
    size: content.length,
    file_name: 'certificate.pdf',
    uploaded_by: 'citizen-1',
  });

  /** Every document's content can be read back. */
  async function everyDocumentHasItsContent() {
    const rows: Array<{ hash: string }> = await owner.query(`SELECT DISTINCT hash FROM task_documents WHERE journey_id = ANY($1::uuid[])`, [mine]);
    const missing: string[] = [];
    for (const { hash } of rows) if (!(await store.get(hash).catch(() => undefined))) missing.push(hash);
    return missing;
  }

  test('an upload that holds the content while the clean-up runs keeps it', async () => {
    const content = plaintext(`${name}-held`);
    const { running } = await journeys(content);
    let purge: Promise<number> | undefined;
    await runtime.transaction(async (tx) => {
      // The upload has stored (and holds) the content, and is about to write its reference.
      await store.put(sha256(content), content, tx);
      purge = documents().purgeOfFinishedJourneys('P1Y', 100, store);
      await new Promise((r) => setTimeout(r, 500));
      const d = doc(running, content);
      await tx.query(
        `INSERT INTO task_documents (id, task_id, journey_id, node_key, doc_key, hash, content_type, size, file_name, uploaded_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [d.id, d.task_id, d.journey_id, d.node_key, d.doc_key, d.hash, d.content_type, d.size, d.file_name, d.uploaded_by],
      );
    });
    expect(await purge).toBeGreaterThanOrEqual(1);
    expect(await store.get(sha256(content))).toEqual(content);
    expect(await everyDocumentHasItsContent()).toEqual([]);
  });

  test('uploads of the same content racing the clean-up, many times: no document without its content', async () => {
    const ROUNDS = 25;
    let kept = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const content = plaintext(`${name}-race-${round}`);
      const { running } = await journeys(content);
      const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
      // Either may go first, by a few milliseconds or not at all.
      const [, removed] = await Promise.all([
        wait(round % 5).then(() => documents().attach(doc(running, content), content, store)),
        wait((round * 3) % 4).then(() => documents().purgeOfFinishedJourneys('P1Y', 100, store)),
      ]);
      expect(removed).toBeGreaterThanOrEqual(0);
      expect(await store.get(sha256(content))).toEqual(content);
      kept++;
    }
    expect(kept).toBe(ROUNDS);
    expect(await everyDocumentHasItsContent()).toEqual([]);
    // And content nothing refers to any more went: every finished journey's document is gone, with its content.
    const left: Array<{ n: number }> = await owner.query(`SELECT count(*)::int AS n FROM task_documents d JOIN journeys j ON j.id = d.journey_id WHERE j.status = 'completed' AND j.id = ANY($1::uuid[])`, [mine]);
    expect(left[0].n).toBe(0);
  });

  test('a replacement racing the clean-up, many times: the new content stays, the old goes, whichever ends first', async () => {
    const deadlocked = (err: { code?: string; driverError?: { code?: string } }) => err?.code === '40P01' || err?.driverError?.code === '40P01';
    for (let round = 0; round < 15; round++) {
      const old = plaintext(`${name}-old-${round}`);
      const fresh = plaintext(`${name}-new-${round}`);
      // The finished journey refers to both contents; the running one's task has the old and gets the new.
      const { finished, running } = await journeys(old);
      await documents().attach({ ...doc(finished, fresh), task_id: `${finished}/other` }, fresh, store);
      await documents().attach(doc(running, old), old, store);
      const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));
      // The retention job retries a batch PostgreSQL ended (a deadlock with the replacement), as its activity does.
      const purge = (): Promise<unknown> => documents().purgeOfFinishedJourneys('P1Y', 100, store).catch((err) => (deadlocked(err) ? purge() : Promise.reject(err)));
      await Promise.all([wait(round % 3).then(() => documents().attach(doc(running, fresh), fresh, store)), wait((round * 2) % 3).then(purge)]);
      expect(await owner.query(`SELECT hash FROM task_documents WHERE journey_id = ANY($1::uuid[])`, [[finished, running]])).toEqual([{ hash: sha256(fresh) }]);
      expect(await store.get(sha256(fresh))).toEqual(fresh);
      expect(await store.get(sha256(old))).toBeUndefined();
    }
    expect(await everyDocumentHasItsContent()).toEqual([]);
  });

  test("content only a finished journey's document refers to goes with it", async () => {
    const content = plaintext(`${name}-gone`);
    await journeys(content);
    expect(await store.get(sha256(content))).toEqual(content);
    // Through the retention job's own way in (the worker hands it the configured store).
    expect(await new Retention(runtime, { documentsTerm: 'P1Y', documentStore: store }).purge('journeys', 'P50Y', 100)).toEqual({ removed: 0 });
    expect(await owner.query(`SELECT 1 FROM task_documents WHERE hash = $1`, [sha256(content)])).toEqual([]);
    expect(await store.get(sha256(content))).toBeUndefined();
    expect(await subject().raw(sha256(content))).toBeUndefined();
  });
});
