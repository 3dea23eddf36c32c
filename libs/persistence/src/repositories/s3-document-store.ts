import { DeleteObjectsCommand, GetObjectCommand, HeadObjectCommand, NoSuchKey, NotFound, PutObjectCommand, S3Client, type S3ClientConfig } from '@aws-sdk/client-s3';
import type { Db } from './db';
import { DocumentEnvelope, type DocumentKey } from './document-envelope';
import { holdBlob, PostgresDocumentStore, releaseBlobs, type DocumentStore } from './documents.repository';

/** Where the S3 store's bucket is (DocumentsConfig's `s3`, libs/config). */
export interface S3DocumentBucket {
  endpoint?: string;
  region: string;
  bucket: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  forcePathStyle: boolean;
}

/** The object's user metadata naming its key (x-amz-meta-key-id), for whoever reads the bucket alone. */
const KEY_ID = 'key-id';

/**
 * Documents' content in an S3-compatible bucket (DOCUMENT_STORE=s3): sealed by the same
 * DocumentEnvelope as the PostgreSQL store before it leaves the process, one object per content
 * under its SHA-256 (the same file twice is one object). The `document_blobs` row (key id and
 * size, no content) stays in PostgreSQL: it says the object is there, and it is the row an upload
 * holds and a removal locks, exactly as in the PostgreSQL store.
 *
 * The object is written while the new row is held (a failed upload rolls the row back; the object
 * left behind is sealed, unreachable, and overwritten by the next upload of the same content) and
 * removed while the removed row is still locked, so an upload of the same content waits for the
 * removal and then writes the object again.
 */
export class S3DocumentStore implements DocumentStore {
  private readonly envelope: DocumentEnvelope;
  private readonly client: S3Client;
  private readonly bucket: string;

  constructor(
    private readonly db: Db,
    keys: readonly DocumentKey[],
    where: S3DocumentBucket,
    client?: S3Client,
  ) {
    this.envelope = new DocumentEnvelope(keys);
    this.bucket = where.bucket;
    this.client = client ?? new S3Client(s3ClientConfig(where));
  }

  async put(hash: string, content: Buffer, db: Db = this.db): Promise<void> {
    const { keyId, sealed } = this.envelope.seal(hash, content);
    const held = await holdBlob(db, hash, { keyId, content: null, size: content.length });
    // Content stored in PostgreSQL before the store changed stays there.
    if (held.inRow) return;
    // The row was there: the object normally is too (a removal that failed after deleting it is healed here).
    if (!held.created && (await this.exists(hash))) return;
    // Under the key the row names (an older one, when the row outlived its object).
    const again = held.keyId === keyId ? sealed : this.envelope.seal(hash, content, held.keyId).sealed;
    await this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key: hash, Body: again, ContentType: 'application/octet-stream', Metadata: { [KEY_ID]: held.keyId } }));
  }

  async get(hash: string): Promise<Buffer | undefined> {
    const [row]: Array<{ key_id: string; content: Buffer | null }> = await this.db.query(`SELECT key_id, content FROM document_blobs WHERE hash = $1`, [hash]);
    if (!row) return undefined;
    if (row.content) return this.envelope.open(hash, row.key_id, row.content);
    try {
      const object = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: hash }));
      return this.envelope.open(hash, row.key_id, Buffer.from(await object.Body!.transformToByteArray()));
    } catch (err) {
      if (err instanceof NoSuchKey) throw new Error(`document ${hash} has no object in the bucket ${this.bucket}, though its row says it is stored there`);
      throw err;
    }
  }

  async delete(hash: string, db: Db = this.db): Promise<boolean> {
    return (await this.deleteUnreferenced([hash], db)).length > 0;
  }

  async deleteUnreferenced(hashes: readonly string[], db: Db = this.db): Promise<string[]> {
    const removed = await releaseBlobs(db, hashes);
    const objects = removed.filter((r) => r.elsewhere).map((r) => r.hash);
    // Still inside the transaction that removed the rows: an upload of the same content waits until after this.
    for (let i = 0; i < objects.length; i += 1000) {
      const answer = await this.client.send(new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: objects.slice(i, i + 1000).map((Key) => ({ Key })), Quiet: true } }));
      const failed = (answer.Errors ?? []).filter((e) => e.Code !== 'NoSuchKey');
      if (failed.length) throw new Error(`the bucket ${this.bucket} did not delete ${failed.length} document object(s): ${failed.map((e) => `${e.Key} (${e.Code})`).join(', ')}`);
    }
    return removed.map((r) => r.hash);
  }

  private async exists(hash: string): Promise<boolean> {
    try {
      await this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: hash }));
      return true;
    } catch (err) {
      if (err instanceof NotFound || (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return false;
      throw err;
    }
  }
}

/** The S3 client's settings for the bucket: its endpoint and region, path style, and credentials when given (else the SDK's chain). */
export function s3ClientConfig(where: S3DocumentBucket): S3ClientConfig {
  return {
    region: where.region,
    forcePathStyle: where.forcePathStyle,
    ...(where.endpoint ? { endpoint: where.endpoint } : {}),
    ...(where.credentials ? { credentials: where.credentials } : {}),
    // One try more than the default: an upload waits on it while holding its row.
    maxAttempts: 4,
  };
}

/** The store the configuration names (DOCUMENT_STORE): PostgreSQL, or the S3-compatible bucket. */
export function documentStoreFor(db: Db, config: { store: 'postgres' | 's3'; keys: readonly DocumentKey[]; s3?: S3DocumentBucket }): DocumentStore {
  if (config.store === 's3') {
    if (!config.s3) throw new Error('DOCUMENT_STORE is s3 but no bucket is configured (DOCUMENT_S3_BUCKET)');
    return new S3DocumentStore(db, config.keys, config.s3);
  }
  return new PostgresDocumentStore(db, config.keys);
}
