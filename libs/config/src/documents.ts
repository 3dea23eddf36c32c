import { readCodecKeys, type CodecKey } from './temporal';

/**
 * Documents uploaded to tasks: where they are stored, the keys they are encrypted with at rest
 * (AES-256-GCM, the payload codec's key format), and the hard cap on one upload.
 */
export interface DocumentsConfig {
  /** DOCUMENT_STORE (default `postgres`): the store behind the DocumentStore interface. */
  store: 'postgres';
  /**
   * DOCUMENT_KEYS (`id:base64,…`, newest first, 32-byte keys): new documents are encrypted with
   * the first, every listed key decrypts (the key id is stored with each blob). Unset: the payload
   * codec's keys (TEMPORAL_CODEC_KEYS), whose development key the production profile refuses.
   */
  keys: CodecKey[];
  /** DOCUMENT_MAX_BYTES (default 10 MiB, at most 50 MiB): no upload is larger, whatever a step declares. */
  maxBytes: number;
}

export const DEFAULT_DOCUMENT_MAX_BYTES = 10 * 1024 * 1024;
const LARGEST = 50 * 1024 * 1024;

export function readDocumentsConfig(env: Record<string, string | undefined>, codecKeys: CodecKey[]): { config: DocumentsConfig; problems: string[] } {
  const problems: string[] = [];
  const store = env.DOCUMENT_STORE?.trim() || 'postgres';
  if (store !== 'postgres') problems.push(`DOCUMENT_STORE must be postgres, the one store built in so far (got ${store})`);
  const keys = env.DOCUMENT_KEYS?.trim() ? readCodecKeys(env.DOCUMENT_KEYS, problems, 'DOCUMENT_KEYS') : codecKeys;
  let maxBytes = DEFAULT_DOCUMENT_MAX_BYTES;
  const raw = env.DOCUMENT_MAX_BYTES?.trim();
  if (raw) {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1 || n > LARGEST) problems.push(`DOCUMENT_MAX_BYTES must be a whole number of bytes from 1 to ${LARGEST} (got ${raw})`);
    else maxBytes = n;
  }
  return { config: { store: 'postgres', keys, maxBytes }, problems };
}
