import { readCodecKeys, type CodecKey } from './temporal';

/** The stores behind the DocumentStore interface. */
export const DOCUMENT_STORES = ['postgres', 's3'] as const;
export type DocumentStoreKind = (typeof DOCUMENT_STORES)[number];

/**
 * An S3-compatible bucket for documents' content (DOCUMENT_STORE=s3): the encrypted blobs, one
 * object per content hash; the metadata rows stay in PostgreSQL.
 */
export interface DocumentS3Config {
  /** DOCUMENT_S3_ENDPOINT: the service's URL (MinIO, Ceph, a cloud's S3-compatible service); unset: AWS S3 of the region. */
  endpoint?: string;
  /** DOCUMENT_S3_REGION (default `eu-west-1`; most S3-compatible services take any). */
  region: string;
  /** DOCUMENT_S3_BUCKET (required): the bucket, created beforehand. */
  bucket: string;
  /**
   * DOCUMENT_S3_ACCESS_KEY_ID and DOCUMENT_S3_SECRET_ACCESS_KEY (both or neither); neither: the
   * AWS SDK's own chain (AWS_* variables, a web identity token of the pod, an instance role).
   */
  credentials?: { accessKeyId: string; secretAccessKey: string };
  /** DOCUMENT_S3_FORCE_PATH_STYLE (default false): `<endpoint>/<bucket>/<key>` instead of `<bucket>.<endpoint>/<key>`, as MinIO and most self-hosted services need. */
  forcePathStyle: boolean;
}

/**
 * Documents uploaded to tasks: where they are stored, the keys they are encrypted with at rest
 * (AES-256-GCM, the payload codec's key format), and the hard cap on one upload.
 */
export interface DocumentsConfig {
  /** DOCUMENT_STORE (default `postgres`): the store behind the DocumentStore interface. */
  store: DocumentStoreKind;
  /**
   * DOCUMENT_KEYS (`id:base64,…`, newest first, 32-byte keys): new documents are encrypted with
   * the first, every listed key decrypts (the key id is stored with each blob). Unset: the payload
   * codec's keys (TEMPORAL_CODEC_KEYS), whose development key the production profile refuses.
   */
  keys: CodecKey[];
  /** DOCUMENT_MAX_BYTES (default 10 MiB, at most 50 MiB): no upload is larger, whatever a step declares. */
  maxBytes: number;
  /** The bucket, when `store` is `s3`. */
  s3?: DocumentS3Config;
}

export const DEFAULT_DOCUMENT_MAX_BYTES = 10 * 1024 * 1024;
export const DEFAULT_DOCUMENT_S3_REGION = 'eu-west-1';
const LARGEST = 50 * 1024 * 1024;

type Env = Record<string, string | undefined>;
const value = (env: Env, name: string) => env[name]?.trim() || undefined;

export function readDocumentsConfig(env: Env, codecKeys: CodecKey[]): { config: DocumentsConfig; problems: string[] } {
  const problems: string[] = [];
  const given = value(env, 'DOCUMENT_STORE') ?? 'postgres';
  const store: DocumentStoreKind = (DOCUMENT_STORES as readonly string[]).includes(given) ? (given as DocumentStoreKind) : 'postgres';
  if (store !== given) problems.push(`DOCUMENT_STORE must be ${DOCUMENT_STORES.join(' or ')} (got ${given})`);
  const keys = env.DOCUMENT_KEYS?.trim() ? readCodecKeys(env.DOCUMENT_KEYS, problems, 'DOCUMENT_KEYS') : codecKeys;
  let maxBytes = DEFAULT_DOCUMENT_MAX_BYTES;
  const raw = env.DOCUMENT_MAX_BYTES?.trim();
  if (raw) {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < 1 || n > LARGEST) problems.push(`DOCUMENT_MAX_BYTES must be a whole number of bytes from 1 to ${LARGEST} (got ${raw})`);
    else maxBytes = n;
  }
  const s3 = given === 's3' ? readS3(env, problems) : undefined;
  return { config: { store, keys, maxBytes, ...(s3 ? { s3 } : {}) }, problems };
}

function readS3(env: Env, problems: string[]): DocumentS3Config {
  const endpoint = value(env, 'DOCUMENT_S3_ENDPOINT');
  if (endpoint) {
    let url: URL | undefined;
    try {
      url = new URL(endpoint);
    } catch {
      url = undefined;
    }
    if (!url || !/^https?:$/.test(url.protocol)) problems.push(`DOCUMENT_S3_ENDPOINT must be an http(s) URL (got ${endpoint})`);
  }
  const bucket = value(env, 'DOCUMENT_S3_BUCKET') ?? '';
  // S3's bucket naming rules, which S3-compatible services share.
  if (!/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(bucket)) problems.push(`DOCUMENT_S3_BUCKET must name the bucket (3 to 63 lower-case letters, digits, dots and hyphens) when DOCUMENT_STORE is s3 (got ${bucket || 'nothing'})`);
  const accessKeyId = value(env, 'DOCUMENT_S3_ACCESS_KEY_ID');
  const secretAccessKey = value(env, 'DOCUMENT_S3_SECRET_ACCESS_KEY');
  if (!accessKeyId !== !secretAccessKey) problems.push('DOCUMENT_S3_ACCESS_KEY_ID and DOCUMENT_S3_SECRET_ACCESS_KEY go together: set both, or neither for the AWS SDK\'s own credentials');
  const pathStyle = value(env, 'DOCUMENT_S3_FORCE_PATH_STYLE') ?? 'false';
  if (pathStyle !== 'true' && pathStyle !== 'false') problems.push(`DOCUMENT_S3_FORCE_PATH_STYLE must be true or false (got ${pathStyle})`);
  return {
    ...(endpoint ? { endpoint } : {}),
    region: value(env, 'DOCUMENT_S3_REGION') ?? DEFAULT_DOCUMENT_S3_REGION,
    bucket,
    ...(accessKeyId && secretAccessKey ? { credentials: { accessKeyId, secretAccessKey } } : {}),
    forcePathStyle: pathStyle === 'true',
  };
}

/** Access keys that S3 emulators (moto, LocalStack, MinIO's defaults) accept: never a production bucket's. */
export const DEVELOPMENT_S3_ACCESS_KEYS: readonly string[] = ['test', 'testing', 'minioadmin', 'levensloop-test'];

/**
 * The production profile's check of the document store: the bucket is reached over https (the
 * blobs are encrypted, but the credentials' signatures and the bucket's listing are not for the
 * network to see), with no emulator's well-known access key.
 */
export function documentStoreChecks(env: Env): string[] {
  if (value(env, 'DOCUMENT_STORE') !== 's3') return [];
  const reasons: string[] = [];
  const endpoint = value(env, 'DOCUMENT_S3_ENDPOINT');
  if (endpoint && /^http:/i.test(endpoint)) reasons.push(`DOCUMENT_S3_ENDPOINT is plain http (${endpoint}): the document bucket must be reached over https`);
  const accessKeyId = value(env, 'DOCUMENT_S3_ACCESS_KEY_ID');
  if (accessKeyId && DEVELOPMENT_S3_ACCESS_KEYS.includes(accessKeyId)) reasons.push(`DOCUMENT_S3_ACCESS_KEY_ID is an S3 emulator's well-known key ('${accessKeyId}'); use the bucket's own credentials`);
  return reasons;
}
