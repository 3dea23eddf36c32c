import { loadClientConfigProfile, type ClientConfigProfile } from '@temporalio/envconfig';

type Env = Record<string, string | undefined>;

/** One key of the payload codec: its id (kept in each payload's metadata) and 32 bytes of AES-256 key. */
export interface CodecKey {
  id: string;
  key: Buffer;
}

/**
 * How every process reaches Temporal and what it sends there (see libs/temporal). The connection
 * (address, namespace, TLS or mTLS, API key, gRPC metadata) is read the way Temporal's own tools
 * read it (`@temporalio/envconfig`): the TOML profile (TEMPORAL_CONFIG_FILE, TEMPORAL_PROFILE),
 * overridden by TEMPORAL_ADDRESS, TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS,
 * TEMPORAL_TLS_CLIENT_CERT_PATH|DATA, TEMPORAL_TLS_CLIENT_KEY_PATH|DATA,
 * TEMPORAL_TLS_SERVER_CA_CERT_PATH|DATA, TEMPORAL_TLS_SERVER_NAME, TEMPORAL_GRPC_META_<NAME>.
 */
export interface TemporalConfig {
  address: string;
  namespace: string;
  taskQueue: string;
  /** The envconfig profile the connection is made from (address and namespace as above). */
  profile: ClientConfigProfile;
  /** TEMPORAL_LOCAL=true: Temporal runs next to the process, so the production profile allows it without TLS. */
  local: boolean;
  /**
   * TEMPORAL_CODEC_KEYS (`id:base64,…`, newest first): payloads are encrypted with the first,
   * every listed key decrypts. Development has an embedded key, which production refuses.
   */
  codecKeys: CodecKey[];
  /** TEMPORAL_SUBJECT_HASH_KEY: the HMAC key of the subject search attribute (national or enterprise number). */
  subjectHashKey: string;
}

/** The development codec key (`npm start`, tests); the production profile refuses it. */
export const DEVELOPMENT_CODEC_KEY: CodecKey = { id: 'dev-1', key: Buffer.from('bGV2ZW5zbG9vcC1kZXZlbG9wbWVudC1jb2RlYy1rZXk=', 'base64') };
/** The development key of the subject search attribute's hash; the production profile refuses it. */
export const DEVELOPMENT_SUBJECT_HASH_KEY = 'levensloop-development-subject-hash-key';

const KEY_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** TEMPORAL_CODEC_KEYS: `id:base64key,…`, each key 32 bytes, ids unique; unset: the development key. */
export function readCodecKeys(raw: string | undefined, problems: string[], name = 'TEMPORAL_CODEC_KEYS', fallback: CodecKey = DEVELOPMENT_CODEC_KEY): CodecKey[] {
  const entries = (raw ?? '').split(',').map((e) => e.trim()).filter(Boolean);
  if (!entries.length) return [fallback];
  const keys: CodecKey[] = [];
  for (const entry of entries) {
    const colon = entry.indexOf(':');
    const id = colon > 0 ? entry.slice(0, colon) : '';
    const key = Buffer.from(colon > 0 ? entry.slice(colon + 1) : '', 'base64');
    if (!KEY_ID.test(id) || key.length !== 32) {
      problems.push(`${name} must list "<id>:<base64 of 32 bytes>" entries, newest first (e.g. k2:$(openssl rand -base64 32)); an id is 1 to 64 of A-Z a-z 0-9 . _ - (got an entry${KEY_ID.test(id) ? ` with id ${id} and a key of ${key.length} bytes` : ' without a valid id'})`);
      continue;
    }
    if (keys.some((k) => k.id === id)) problems.push(`${name} lists the key id ${id} twice`);
    keys.push({ id, key });
  }
  return keys.length ? keys : [fallback];
}

/** The envconfig profile from this environment (TOML file when there is one, then the variables). */
export function readTemporalProfile(env: Env): { profile: ClientConfigProfile; problem?: string } {
  const vars = Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1].trim() !== ''));
  try {
    return { profile: loadClientConfigProfile({ overrideEnvVars: vars }) };
  } catch (err) {
    return { profile: {}, problem: `the Temporal connection settings (TEMPORAL_CONFIG_FILE, TEMPORAL_PROFILE, TEMPORAL_*) cannot be read: ${(err as Error).message}` };
  }
}

/** Whether a connection made from this profile uses TLS (an API key turns it on unless TLS is disabled). */
export function usesTls(profile: ClientConfigProfile): boolean {
  if (profile.tls) return profile.tls.disabled !== true;
  return profile.apiKey !== undefined;
}

/** The Temporal part of the configuration alone (tools and tests that need nothing else). */
export function readTemporalConfig(env: Env, problems: string[]): TemporalConfig {
  const { profile, problem } = readTemporalProfile(env);
  if (problem) problems.push(problem);
  const address = profile.address?.trim() ?? '';
  if (!address) problems.push('TEMPORAL_ADDRESS is not set (host:port of the Temporal frontend, e.g. 127.0.0.1:7233)');
  else if (!/^[\w.-]+:\d+$/.test(address)) problems.push(`TEMPORAL_ADDRESS must be host:port (got ${address})`);
  const local = env.TEMPORAL_LOCAL?.trim() || 'false';
  if (!['true', 'false'].includes(local)) problems.push(`TEMPORAL_LOCAL must be true or false (got ${local})`);
  return {
    address,
    namespace: profile.namespace?.trim() || 'default',
    taskQueue: env.TEMPORAL_TASK_QUEUE?.trim() || 'levensloop-journeys',
    profile: { ...profile, address },
    local: local === 'true',
    codecKeys: readCodecKeys(env.TEMPORAL_CODEC_KEYS, problems),
    subjectHashKey: env.TEMPORAL_SUBJECT_HASH_KEY?.trim() || DEVELOPMENT_SUBJECT_HASH_KEY,
  };
}

/**
 * Production: the payloads' keys and the subject hash's key are secrets of their own, and the
 * connection is encrypted unless Temporal is declared local (TEMPORAL_LOCAL=true).
 */
export function temporalChecks(env: Env): string[] {
  const reasons: string[] = [];
  const problems: string[] = [];
  const keys = readCodecKeys(env.TEMPORAL_CODEC_KEYS, problems);
  if (!env.TEMPORAL_CODEC_KEYS?.trim()) reasons.push('TEMPORAL_CODEC_KEYS is not set: payloads would be encrypted with the development key; set "<id>:<base64 of 32 random bytes>" (openssl rand -base64 32)');
  else if (keys.some((k) => k.id === DEVELOPMENT_CODEC_KEY.id || k.key.equals(DEVELOPMENT_CODEC_KEY.key))) reasons.push('TEMPORAL_CODEC_KEYS lists the development key: remove it once every history that needs it has passed its retention');
  const subjectKey = env.TEMPORAL_SUBJECT_HASH_KEY?.trim();
  if (!subjectKey || subjectKey === DEVELOPMENT_SUBJECT_HASH_KEY) reasons.push('TEMPORAL_SUBJECT_HASH_KEY is the development default: set a secret of at least 32 characters (it keys the hash of national and enterprise numbers in the subject search attribute)');
  else if (subjectKey.length < 32) reasons.push(`TEMPORAL_SUBJECT_HASH_KEY is ${subjectKey.length} characters long: use a secret of at least 32`);
  for (const origin of (env.TEMPORAL_UI_ORIGINS ?? '').split(',').map((o) => o.trim()).filter(Boolean)) {
    if (!/^https:/i.test(origin)) reasons.push(`TEMPORAL_UI_ORIGINS lists ${origin}: only an https Web UI may read decrypted payloads from the codec server`);
  }
  // The path secret is for the development Web UI, which sends no token: a secret in a URL ends up in
  // request logs and browser history. In production, auditors decode with their access token.
  if (env.TEMPORAL_CODEC_SERVER_SECRET?.trim()) reasons.push('TEMPORAL_CODEC_SERVER_SECRET is set: the codec server\'s secret path is for development only (a secret in a URL reaches request logs); let the Web UI pass the auditor\'s access token to /codec/encode and /codec/decode instead');
  const { profile } = readTemporalProfile(env);
  if (!usesTls(profile) && env.TEMPORAL_LOCAL?.trim() !== 'true') {
    reasons.push(`the Temporal connection (${profile.address ?? 'TEMPORAL_ADDRESS'}) has no TLS: set TEMPORAL_TLS=true (with TEMPORAL_TLS_SERVER_CA_CERT_PATH, and TEMPORAL_TLS_CLIENT_CERT_PATH and TEMPORAL_TLS_CLIENT_KEY_PATH for mTLS) or TEMPORAL_API_KEY, or declare it on this host or pod with TEMPORAL_LOCAL=true`);
  }
  return reasons;
}
