import * as fs from 'node:fs';

/** The shortest secret accepted: 32 bytes, the size of the HMAC-SHA256 output. */
export const MIN_SIGNING_KEY_BYTES = 32;

export interface SigningKeys {
  /** Per agency code, its shared secret. */
  keys: ReadonlyMap<string, Buffer>;
  problems: string[];
}

/**
 * One key per agency, from AGENCY_SIGNING_KEYS (`bank=<base64>,municipality=<base64>`) and/or
 * AGENCY_SIGNING_KEYS_FILE (a JSON object `{ "bank": "<base64>" }`, e.g. a secret store's
 * mounted file, so the secrets never sit in the process environment). Both may be given; an
 * agency named twice is a problem.
 */
export function readSigningKeys(env: Record<string, string | undefined>): SigningKeys {
  const problems: string[] = [];
  const keys = new Map<string, Buffer>();
  const add = (source: string, agency: string, value: unknown) => {
    if (!/^[a-z][a-z0-9-]{1,63}$/.test(agency)) return problems.push(`${source}: '${agency}' is not an agency code`);
    if (typeof value !== 'string' || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(value.trim())) return problems.push(`${source}: the key of ${agency} must be base64`);
    const secret = Buffer.from(value.trim(), 'base64');
    if (secret.length < MIN_SIGNING_KEY_BYTES) return problems.push(`${source}: the key of ${agency} must be at least ${MIN_SIGNING_KEY_BYTES} bytes (got ${secret.length}); e.g. openssl rand -base64 32`);
    if (keys.has(agency)) return problems.push(`${source}: ${agency} has a key already; give each agency one key`);
    keys.set(agency, secret);
  };
  const inline = env.AGENCY_SIGNING_KEYS?.trim();
  if (inline) {
    for (const entry of inline.split(',').map((e) => e.trim()).filter(Boolean)) {
      const at = entry.indexOf('=');
      if (at < 1) problems.push(`AGENCY_SIGNING_KEYS must be agency=<base64 key> entries, comma-separated (got an entry without '=')`);
      else add('AGENCY_SIGNING_KEYS', entry.slice(0, at).trim(), entry.slice(at + 1));
    }
  }
  const file = env.AGENCY_SIGNING_KEYS_FILE?.trim();
  if (file) {
    try {
      const parsed: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
      if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) problems.push(`AGENCY_SIGNING_KEYS_FILE (${file}) must hold a JSON object { "<agency>": "<base64 key>" }`);
      else for (const [agency, value] of Object.entries(parsed)) add(`AGENCY_SIGNING_KEYS_FILE`, agency, value);
    } catch (err) {
      problems.push(`AGENCY_SIGNING_KEYS_FILE (${file}) cannot be read: ${(err as Error).message}`);
    }
  }
  return { keys, problems };
}
