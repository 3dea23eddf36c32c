import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

/**
 * Documents at rest, the one encryption both stores use (PostgreSQL and S3): AES-256-GCM under the
 * first configured key, every configured key decrypts (rotation). The sealed form is iv, ciphertext,
 * tag; the key id and the content hash are the cipher's additional data, so a blob cannot be passed
 * off under another address or key.
 */

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

/** `context` binds a blob to one more thing (e.g. the evidence preview it belongs to). */
const aad = (keyId: string, hash: string, context?: string) => Buffer.from(context ? `${context}:${keyId}:${hash}` : `${keyId}:${hash}`);

/** Seals and opens documents' content with the configured keys (the first seals). */
export class DocumentEnvelope {
  private readonly byId: ReadonlyMap<string, Buffer>;

  constructor(private readonly keys: readonly DocumentKey[]) {
    if (!keys.length) throw new Error('the document store needs at least one key');
    for (const k of keys) if (k.key.length !== 32) throw new Error(`document key ${k.id} is ${k.key.length} bytes; AES-256 needs 32`);
    this.byId = new Map(keys.map((k) => [k.id, k.key]));
  }

  /** The content sealed under the newest key (or the configured key `keyId`), with that key's id. */
  seal(hash: string, content: Buffer, keyId = this.keys[0].id, context?: string): { keyId: string; sealed: Buffer } {
    const id = keyId;
    const key = this.byId.get(id);
    if (!key) throw new DocumentDecryptionError(`document ${hash} is to be sealed with key ${id}, which is not configured (DOCUMENT_KEYS)`);
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(aad(id, hash, context));
    return { keyId: id, sealed: Buffer.concat([iv, cipher.update(content), cipher.final(), cipher.getAuthTag()]) };
  }

  /** The plaintext of a sealed blob, checked against its hash; DocumentDecryptionError when it cannot be. */
  open(hash: string, keyId: string, sealed: Buffer, context?: string): Buffer {
    const key = this.byId.get(keyId);
    if (!key) throw new DocumentDecryptionError(`document ${hash} is encrypted with key ${keyId}, which is not configured (DOCUMENT_KEYS)`);
    try {
      const iv = sealed.subarray(0, IV_BYTES);
      const tag = sealed.subarray(sealed.length - TAG_BYTES);
      const decipher = createDecipheriv('aes-256-gcm', key, iv).setAAD(aad(keyId, hash, context)).setAuthTag(tag);
      const plain = Buffer.concat([decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)), decipher.final()]);
      if (sha256(plain) !== hash) throw new Error('its content does not match its hash');
      return plain;
    } catch (err) {
      throw new DocumentDecryptionError(`document ${hash} cannot be read back: ${(err as Error).message}`);
    }
  }
}
