import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import type { DataSource } from 'typeorm';
import type { DocumentOrigin, DocumentRequirement } from '@levensloop/domain';
import type { Db } from './db';

/**
 * Where documents' content lives, addressed by the SHA-256 of the plaintext (the same file twice
 * is stored once). `db`: a PostgreSQL store writes in the caller's transaction, so an upload
 * that fails leaves neither a row nor a blob; a store elsewhere (S3) ignores it.
 */
export interface DocumentStore {
  /** Stores `content` under `hash` unless it is already there. */
  put(hash: string, content: Buffer, db?: Db): Promise<void>;
  /** The content, or undefined when nothing is stored under `hash`. */
  get(hash: string): Promise<Buffer | undefined>;
  /** Removes the content under `hash` if no document refers to it any more; answers whether it did. */
  delete(hash: string, db?: Db): Promise<boolean>;
}

/** One key of documents at rest: its id (kept with each blob) and 32 bytes of AES-256 key. */
export interface DocumentKey {
  id: string;
  key: Buffer;
}

/** A document's content cannot be read back: its key is not configured, or the stored bytes were altered. */
export class DocumentDecryptionError extends Error {
  override name = 'DocumentDecryptionError';
}

export const sha256 = (content: Buffer) => createHash('sha256').update(content).digest('hex');

const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * The default store: a bytea table (`document_blobs`), each blob encrypted with AES-256-GCM under
 * the first configured key; every configured key decrypts (rotation). The key id and the hash are
 * the cipher's additional data, so a blob cannot be passed off under another address or key.
 */
export class PostgresDocumentStore implements DocumentStore {
  private readonly byId: ReadonlyMap<string, Buffer>;

  constructor(
    private readonly db: Db,
    private readonly keys: readonly DocumentKey[],
  ) {
    if (!keys.length) throw new Error('the document store needs at least one key');
    for (const k of keys) if (k.key.length !== 32) throw new Error(`document key ${k.id} is ${k.key.length} bytes; AES-256 needs 32`);
    this.byId = new Map(keys.map((k) => [k.id, k.key]));
  }

  async put(hash: string, content: Buffer, db: Db = this.db): Promise<void> {
    const { id, key } = this.keys[0];
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(aad(id, hash));
    const sealed = Buffer.concat([iv, cipher.update(content), cipher.final(), cipher.getAuthTag()]);
    // The blob is held (FOR SHARE) until the caller's transaction ends, so a concurrent delete of the
    // same content (a replaced upload) waits and then sees the new reference; one that won the race
    // leaves no row to hold, and the content is stored again.
    for (let attempt = 0; attempt < 3; attempt++) {
      await db.query(`INSERT INTO document_blobs (hash, key_id, content, size) VALUES ($1, $2, $3, $4) ON CONFLICT (hash) DO NOTHING`, [hash, id, sealed, content.length]);
      const held: unknown[] = await db.query(`SELECT 1 FROM document_blobs WHERE hash = $1 FOR SHARE`, [hash]);
      if (held.length) return;
    }
    throw new Error(`document ${hash} could not be stored: it was removed three times while being stored`);
  }

  async get(hash: string): Promise<Buffer | undefined> {
    const [row]: Array<{ key_id: string; content: Buffer }> = await this.db.query(`SELECT key_id, content FROM document_blobs WHERE hash = $1`, [hash]);
    if (!row) return undefined;
    const key = this.byId.get(row.key_id);
    if (!key) throw new DocumentDecryptionError(`document ${hash} is encrypted with key ${row.key_id}, which is not configured (DOCUMENT_KEYS)`);
    try {
      const iv = row.content.subarray(0, IV_BYTES);
      const tag = row.content.subarray(row.content.length - TAG_BYTES);
      const decipher = createDecipheriv('aes-256-gcm', key, iv).setAAD(aad(row.key_id, hash)).setAuthTag(tag);
      const plain = Buffer.concat([decipher.update(row.content.subarray(IV_BYTES, row.content.length - TAG_BYTES)), decipher.final()]);
      if (sha256(plain) !== hash) throw new Error('its content does not match its hash');
      return plain;
    } catch (err) {
      throw new DocumentDecryptionError(`document ${hash} cannot be read back: ${(err as Error).message}`);
    }
  }

  async delete(hash: string, db: Db = this.db): Promise<boolean> {
    // Waits for an upload of the same content that holds the blob; the DELETE's own snapshot then sees its reference.
    await db.query(`SELECT 1 FROM document_blobs WHERE hash = $1 FOR UPDATE`, [hash]);
    const rows: unknown[] = await db.query(
      `DELETE FROM document_blobs b WHERE b.hash = $1 AND NOT EXISTS (SELECT 1 FROM task_documents d WHERE d.hash = b.hash) RETURNING 1`,
      [hash],
    );
    return rowCount(rows) > 0;
  }
}

const aad = (keyId: string, hash: string) => Buffer.from(`${keyId}:${hash}`);
/** TypeORM answers a DELETE … RETURNING with [rows, count]. */
const rowCount = (result: unknown[]) => (Array.isArray(result[0]) ? (result[0] as unknown[]).length : result.length);

/** A document uploaded to a task, as the journey's readers see it (no content). */
export interface TaskDocumentRow {
  id: string;
  task_id: string;
  journey_id: string;
  node_key: string;
  doc_key: string;
  hash: string;
  content_type: string;
  size: number;
  file_name: string;
  uploaded_by: string;
  uploaded_at: Date;
  /** Where it came from when not uploaded: evidence a source delivered and the person accepted. */
  origin: DocumentOrigin | null;
}

export type NewTaskDocument = Omit<TaskDocumentRow, 'uploaded_at' | 'origin'> & { origin?: DocumentOrigin | null };

const COLUMNS = `id, task_id, journey_id, node_key, doc_key, hash, content_type, size, file_name, uploaded_by, uploaded_at, origin`;

/**
 * Which task's document is which content (`task_documents`), written by the gateway (uploads) and
 * the retention job. One document per task and key: a new upload replaces the earlier one, whose
 * content goes when nothing else refers to it.
 */
export class TaskDocuments {
  constructor(private readonly db: Db) {}

  /**
   * Stores the content and the task's reference to it in one transaction: a failure anywhere
   * leaves nothing. Answers the row and the hash of the content it replaced, if any.
   */
  async attach(doc: NewTaskDocument, content: Buffer, store: DocumentStore): Promise<{ row: TaskDocumentRow; replaced?: string }> {
    const run = async (tx: Db) => {
      await store.put(doc.hash, content, tx);
      const [before]: Array<{ hash: string }> = await tx.query(`SELECT hash FROM task_documents WHERE task_id = $1 AND doc_key = $2 FOR UPDATE`, [doc.task_id, doc.doc_key]);
      const [row]: TaskDocumentRow[] = await tx.query(
        `INSERT INTO task_documents (id, task_id, journey_id, node_key, doc_key, hash, content_type, size, file_name, uploaded_by, origin)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
         ON CONFLICT (task_id, doc_key) DO UPDATE SET id = EXCLUDED.id, hash = EXCLUDED.hash, content_type = EXCLUDED.content_type, size = EXCLUDED.size,
           file_name = EXCLUDED.file_name, uploaded_by = EXCLUDED.uploaded_by, uploaded_at = now(), origin = EXCLUDED.origin
         RETURNING ${COLUMNS}`,
        [doc.id, doc.task_id, doc.journey_id, doc.node_key, doc.doc_key, doc.hash, doc.content_type, doc.size, doc.file_name, doc.uploaded_by, doc.origin ? JSON.stringify(doc.origin) : null],
      );
      const replaced = before && before.hash !== doc.hash ? before.hash : undefined;
      if (replaced) await store.delete(replaced, tx);
      return { row, ...(replaced ? { replaced } : {}) };
    };
    return (this.db as DataSource).transaction((tx) => run(tx));
  }

  /**
   * The documents each step of a journey asks for, from the step versions its pinned life-event
   * version references (published versions never change); only steps that ask for some.
   */
  async declared(journeyId: string, nodeKey?: string): Promise<Array<{ node_key: string; agency: string; step_key: string; documents: DocumentRequirement[] }>> {
    if (!/^[0-9a-f-]{36}$/i.test(journeyId)) return [];
    return this.db.query(
      `SELECT n.node->>'key' AS node_key, s.agency, s.key AS step_key, s.definition->'documents' AS documents
         FROM journeys j
         JOIN life_events le ON le.key = j.life_event_key AND le.version = j.life_event_version
         CROSS JOIN LATERAL jsonb_array_elements(le.definition->'nodes') AS n(node)
         JOIN service_steps s ON s.agency = n.node->'step'->>'agency' AND s.key = n.node->'step'->>'key'
                             AND s.version = (n.node->'step'->>'version')::int
        WHERE j.id = $1 AND ($2::text IS NULL OR n.node->>'key' = $2) AND jsonb_typeof(s.definition->'documents') = 'array'`,
      [journeyId, nodeKey ?? null],
    );
  }

  /** The documents of a task, by key. */
  async ofTask(taskId: string): Promise<TaskDocumentRow[]> {
    return this.db.query(`SELECT ${COLUMNS} FROM task_documents WHERE task_id = $1 ORDER BY doc_key`, [taskId]);
  }

  /** The documents of a journey, in the order they came. */
  async ofJourney(journeyId: string): Promise<TaskDocumentRow[]> {
    return this.db.query(`SELECT ${COLUMNS} FROM task_documents WHERE journey_id = $1 ORDER BY uploaded_at, id`, [journeyId]);
  }

  /** One document of a journey (undefined when the id is not one of its documents). */
  async find(journeyId: string, id: string): Promise<TaskDocumentRow | undefined> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
    const [row]: TaskDocumentRow[] = await this.db.query(`SELECT ${COLUMNS} FROM task_documents WHERE journey_id = $1 AND id = $2`, [journeyId, id]);
    return row;
  }

  /**
   * Retention: at most `limit` documents of journeys finished longer than `term` ago, with the
   * content no other document refers to, in one statement; answers how many documents went.
   */
  async purgeOfFinishedJourneys(term: string, limit: number): Promise<number> {
    const [row]: Array<{ removed: number }> = await this.db.query(PURGE_SQL, [term, limit]);
    return Number(row?.removed ?? 0);
  }
}

const PURGE_SQL = `
  WITH doomed AS (
    SELECT d.id, d.hash FROM task_documents d JOIN journeys j ON j.id = d.journey_id
     WHERE j.status IN ('completed', 'cancelled') AND COALESCE(j.completed_at, j.updated_at) < now() - $1::interval
     LIMIT $2
  ), gone AS (DELETE FROM task_documents WHERE id IN (SELECT id FROM doomed) RETURNING hash),
     blobs AS (
       DELETE FROM document_blobs b WHERE b.hash IN (SELECT hash FROM gone)
          AND NOT EXISTS (SELECT 1 FROM task_documents d WHERE d.hash = b.hash AND d.id NOT IN (SELECT id FROM doomed))
     )
  SELECT count(*)::int AS removed FROM gone`;
