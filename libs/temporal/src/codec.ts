import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import type { CodecKey } from '@levensloop/config';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
/** The metadata entry naming the key a payload was encrypted with. */
export const KEY_ID_METADATA = 'encryption-key-id';

const IV_BYTES = 12;
const TAG_BYTES = 16;
const text = new TextEncoder();
const fromBytes = new TextDecoder();

/** A payload that cannot be decrypted: its key is not configured, or it was altered. */
export class PayloadDecryptionError extends Error {
  override name = 'PayloadDecryptionError';
}

/** Which payloads of a list are encrypted, and under which keys (metadata only: nothing is decrypted). */
export interface EncryptionSummary {
  payloads: number;
  encrypted: number;
  /** The key ids named by the encrypted payloads, distinct, in order of appearance. */
  keyIds: string[];
}

export function isEncryptedPayload(payload: Payload): boolean {
  const encoding = payload.metadata?.[METADATA_ENCODING_KEY];
  return !!encoding && fromBytes.decode(encoding) === ENCRYPTED_ENCODING;
}

export function summariseEncryption(payloads: readonly Payload[]): EncryptionSummary {
  const encrypted = payloads.filter(isEncryptedPayload);
  const keyIds = [...new Set(encrypted.map((p) => (p.metadata?.[KEY_ID_METADATA] ? fromBytes.decode(p.metadata[KEY_ID_METADATA]) : '')))];
  return { payloads: payloads.length, encrypted: encrypted.length, keyIds };
}

/**
 * Every payload that leaves for Temporal (workflow and activity inputs and results, updates,
 * signals, queries, failures' details) is encrypted with AES-256-GCM: the whole payload
 * (metadata and data) becomes the data of a new payload whose metadata says only
 * `encoding: binary/encrypted` and the key id. Keys rotate: new payloads take the first key, every
 * listed key decrypts; the key id is also authenticated (GCM additional data), so a payload cannot
 * be passed off as another key's. Payloads that are not encrypted (histories recorded before the
 * codec) pass through decoding unchanged, so they stay readable and replay.
 */
export class AesGcmPayloadCodec implements PayloadCodec {
  private readonly byId: ReadonlyMap<string, Buffer>;
  private readonly current: { id: string; key: Buffer; aad: Buffer };

  constructor(keys: readonly CodecKey[]) {
    if (!keys.length) throw new Error('the payload codec needs at least one key');
    for (const k of keys) if (k.key.length !== 32) throw new Error(`codec key ${k.id} is ${k.key.length} bytes; AES-256 needs 32`);
    this.byId = new Map(keys.map((k) => [k.id, k.key]));
    this.current = { id: keys[0].id, key: keys[0].key, aad: Buffer.from(keys[0].id) };
  }

  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => this.encrypt(p));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => this.decrypt(p));
  }

  private encrypt(payload: Payload): Payload {
    const { id, key, aad } = this.current;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(aad);
    const plain = temporal.api.common.v1.Payload.encode(payload).finish();
    const data = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
    return { metadata: { [METADATA_ENCODING_KEY]: text.encode(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: text.encode(id) }, data };
  }

  private decrypt(payload: Payload): Payload {
    if (!isEncryptedPayload(payload)) return payload;
    const idBytes = payload.metadata?.[KEY_ID_METADATA];
    const id = idBytes ? fromBytes.decode(idBytes) : '';
    const key = this.byId.get(id);
    if (!key) {
      throw new PayloadDecryptionError(`payload encrypted with key id "${id}", which is not among the configured keys (${[...this.byId.keys()].join(', ')}): add it to TEMPORAL_CODEC_KEYS`);
    }
    const data = Buffer.from(payload.data ?? new Uint8Array());
    if (data.length < IV_BYTES + TAG_BYTES) throw new PayloadDecryptionError(`payload encrypted with key id "${id}" is too short to be one`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, IV_BYTES)).setAAD(Buffer.from(id));
      decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
      const plain = Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]);
      return temporal.api.common.v1.Payload.decode(plain);
    } catch {
      throw new PayloadDecryptionError(`payload encrypted with key id "${id}" does not decrypt: it was altered, or the key under that id is not the one it was encrypted with`);
    }
  }
}
