import type { DocumentOrigin, DocumentRequirement } from '@levensloop/domain';
import type { Db } from './db';
import { DocumentEnvelope, type DocumentKey } from './document-envelope';

/**
 * Where documents' content lives, addressed by the SHA-256 of the plaintext (the same file twice
 * is stored once). Both stores keep one `document_blobs` row per content (the S3 store without the
 * content), the row an upload holds and a removal locks. `db`: the caller's transaction; an upload
 * that fails leaves neither a row nor a reachable blob.
 */
export interface DocumentStore {
  /** Stores `content` under `hash` unless it is already there. */
  put(hash: string, content: Buffer, db?: Db): Promise<void>;
  /** The content, or undefined when nothing is stored under `hash`. */
  get(hash: string): Promise<Buffer | undefined>;
  /** Removes the content under `hash` if no document refers to it any more; answers whether it did. */
  delete(hash: string, db?: Db): Promise<boolean>;
  /**
   * Removes the content under each of `hashes` that no document refers to any more, in one go (the
   * retention clean-up's batch); answers the hashes removed. A store without it is asked one hash at a time.
   */
  deleteUnreferenced?(hashes: readonly string[], db?: Db): Promise<string[]>;
}

export { DocumentDecryptionError, DocumentEnvelope, sha256, type DocumentKey } from './document-envelope';

/** What `holdBlob` found or made: whether this call made the row, and where its content is. */
export interface HeldBlob {
  created: boolean;
  keyId: string;
  /** The content is in the row (the PostgreSQL store); otherwise in a bucket under the hash. */
  inRow: boolean;
}

/**
 * Makes the blob row of `hash` when missing and holds it (FOR SHARE) until the caller's
 * transaction ends, so that a removal of the same content (a replaced upload, the retention
 * clean-up) waits and then sees the caller's new reference; one that won the race leaves no row to
 * hold, and the row is made again.
 */
export async function holdBlob(db: Db, hash: string, row: { keyId: string; content: Buffer | null; size: number }): Promise<HeldBlob> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const made: unknown[] = await db.query(`INSERT INTO document_blobs (hash, key_id, content, size) VALUES ($1, $2, $3, $4) ON CONFLICT (hash) DO NOTHING RETURNING 1`, [hash, row.keyId, row.content, row.size]);
    const [held]: Array<{ key_id: string; in_row: boolean }> = await db.query(`SELECT key_id, content IS NOT NULL AS in_row FROM document_blobs WHERE hash = $1 FOR SHARE`, [hash]);
    if (held) return { created: rowCount(made) > 0, keyId: held.key_id, inRow: held.in_row };
  }
  throw new Error(`document ${hash} could not be stored: it was removed three times while being stored`);
}

/**
 * The blob rows of `hashes` that no document refers to any more, removed; answers them (and
 * whether their content is elsewhere, in a bucket). Locks the rows first (in hash order, as every
 * remover does) so that an upload holding one (holdBlob) finishes first; the DELETE, a statement
 * of its own, then sees that upload's reference in its snapshot and keeps the row. In one
 * transaction (the caller's, or one of its own), so no upload takes hold in between.
 */
export async function releaseBlobs(db: Db, hashes: readonly string[]): Promise<Array<{ hash: string; elsewhere: boolean }>> {
  if (!hashes.length) return [];
  return inTransaction(db, async (tx) => {
    await tx.query(`SELECT 1 FROM document_blobs WHERE hash = ANY($1::bpchar[]) ORDER BY hash FOR UPDATE`, [[...hashes]]);
    const result: unknown[] = await tx.query(
      `DELETE FROM document_blobs b WHERE b.hash = ANY($1::bpchar[]) AND NOT EXISTS (SELECT 1 FROM task_documents d WHERE d.hash = b.hash)
       RETURNING b.hash, b.content IS NULL AS elsewhere`,
      [[...hashes]],
    );
    return rowsOf<{ hash: string; elsewhere: boolean }>(result);
  });
}

/** `fn` in the caller's transaction when `db` is one, else in a transaction of its own. */
export async function inTransaction<T>(db: Db, fn: (tx: Db) => Promise<T>): Promise<T> {
  return isInTransaction(db) ? fn(db) : db.transaction((tx) => fn(tx));
}

const isInTransaction = (db: Db) => Boolean((db as { queryRunner?: { isTransactionActive?: boolean } }).queryRunner?.isTransactionActive);

/**
 * The default store: a bytea table (`document_blobs`), each blob sealed by the DocumentEnvelope
 * (AES-256-GCM, the key id with the blob).
 */
export class PostgresDocumentStore implements DocumentStore {
  private readonly envelope: DocumentEnvelope;

  constructor(
    private readonly db: Db,
    keys: readonly DocumentKey[],
  ) {
    this.envelope = new DocumentEnvelope(keys);
  }

  async put(hash: string, content: Buffer, db: Db = this.db): Promise<void> {
    const { keyId, sealed } = this.envelope.seal(hash, content);
    await holdBlob(db, hash, { keyId, content: sealed, size: content.length });
  }

  async get(hash: string): Promise<Buffer | undefined> {
    const [row]: Array<{ key_id: string; content: Buffer | null }> = await this.db.query(`SELECT key_id, content FROM document_blobs WHERE hash = $1`, [hash]);
    if (!row) return undefined;
    if (!row.content) throw new Error(`document ${hash} is stored in a bucket (DOCUMENT_STORE=s3), not in PostgreSQL`);
    return this.envelope.open(hash, row.key_id, row.content);
  }

  async delete(hash: string, db: Db = this.db): Promise<boolean> {
    return (await releaseBlobs(db, [hash])).length > 0;
  }

  async deleteUnreferenced(hashes: readonly string[], db: Db = this.db): Promise<string[]> {
    return (await releaseBlobs(db, hashes)).map((r) => r.hash);
  }
}

/** TypeORM answers a DELETE … RETURNING with [rows, count]. */
const rowCount = (result: unknown[]) => rowsOf(result).length;
const rowsOf = <T>(result: unknown[]): T[] => (Array.isArray(result[0]) ? (result[0] as T[]) : (result as T[]));

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
    // A replacement holds the new content and then locks the old; a retention batch locks both in
    // hash order. When they cross, PostgreSQL ends one of them (deadlock): the upload goes again, once.
    return inTransaction(this.db, run).catch((err: { code?: string; driverError?: { code?: string } }) => {
      const deadlock = err?.code === '40P01' || err?.driverError?.code === '40P01';
      if (!deadlock || isInTransaction(this.db)) throw err;
      return inTransaction(this.db, run);
    });
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
   * Retention: at most `limit` documents of journeys finished longer than `term` ago, and then
   * the content no document refers to any more, through the store (its blobs' rows locked, so an
   * upload of the same content that takes it up again keeps it), in one transaction; answers how
   * many documents went.
   */
  async purgeOfFinishedJourneys(term: string, limit: number, store?: DocumentStore): Promise<number> {
    return inTransaction(this.db, async (tx) => {
      const gone: Array<{ hash: string; documents: number }> = await tx.query(PURGE_SQL, [term, limit]);
      const hashes = gone.map((g) => g.hash).sort();
      if (!store) await releaseBlobs(tx, hashes);
      else if (store.deleteUnreferenced) await store.deleteUnreferenced(hashes, tx);
      else for (const hash of hashes) await store.delete(hash, tx);
      return gone.reduce((sum, g) => sum + Number(g.documents), 0);
    });
  }
}

/** The documents that go, by content (the blobs follow through the store). */
const PURGE_SQL = `
  WITH doomed AS (
    SELECT d.id FROM task_documents d JOIN journeys j ON j.id = d.journey_id
     WHERE j.status IN ('completed', 'cancelled') AND COALESCE(j.completed_at, j.updated_at) < now() - $1::interval
     LIMIT $2
  ), gone AS (DELETE FROM task_documents WHERE id IN (SELECT id FROM doomed) RETURNING hash)
  SELECT hash, count(*)::int AS documents FROM gone GROUP BY hash`;
