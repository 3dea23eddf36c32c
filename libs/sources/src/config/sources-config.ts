import { SOURCE_CATALOG } from '../catalog';

/** Where one source is reached, and with which credential. */
export interface SourceEndpoint {
  /** Base URL of the source, e.g. `http://127.0.0.1:3100/sources/national-register`; unset: not configured. */
  url?: string;
  token?: string;
}

export interface SourcesConfig {
  /** Per source key of the catalog. */
  endpoints: Record<string, SourceEndpoint>;
  timeoutMs: number;
  /** 0: no cache. */
  cacheTtlMs: number;
}

type Env = Record<string, string | undefined>;

/** `national-register` → `NATIONAL_REGISTER`, as the per-source variables spell it. */
export const envKeyOf = (source: string) => source.toUpperCase().replace(/[^A-Z0-9]+/g, '_');

/**
 * The authentic sources' configuration: `SOURCES_URL` (the hub; each source at
 * `<SOURCES_URL>/<source-key>`) or `SOURCE_<KEY>_URL` per source, `SOURCES_TOKEN` or
 * `SOURCE_<KEY>_TOKEN`, `SOURCES_TIMEOUT_MS` (default 5000), `SOURCES_CACHE_TTL_MS` (default 60000,
 * 0 disables). Nothing is required: an unconfigured source fails when read, so deployments
 * without sources keep starting. Returns the problems instead of throwing, for loadConfig to list.
 */
export function readSourcesConfig(env: Env, catalog = SOURCE_CATALOG): { config: SourcesConfig; problems: string[] } {
  const problems: string[] = [];
  const value = (name: string) => env[name]?.trim() || undefined;
  const url = (name: string): string | undefined => {
    const raw = value(name);
    if (raw === undefined) return undefined;
    try {
      const parsed = new URL(raw);
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') problems.push(`${name} must use http: or https: (got ${parsed.protocol})`);
      else if (parsed.search || parsed.hash) problems.push(`${name} must not have a query or fragment (got ${raw})`);
      else return raw.replace(/\/+$/, '');
    } catch {
      problems.push(`${name} is not a valid URL: ${raw}`);
    }
    return undefined;
  };
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = value(name);
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || n < min || n > max) {
      problems.push(`${name} must be an integer between ${min} and ${max} (got ${raw})`);
      return fallback;
    }
    return n;
  };

  const keys = Object.keys(catalog);
  const envKeys = new Map(keys.map((k) => [envKeyOf(k), k]));
  // A per-source variable that names no source is a typo that would silently fall back to the hub.
  for (const name of Object.keys(env)) {
    const match = /^SOURCE_([A-Z0-9_]+)_(URL|TOKEN)$/.exec(name);
    if (match && !envKeys.has(match[1])) problems.push(`${name} names no source; per-source variables are SOURCE_<${[...envKeys.keys()].join('|')}>_URL and _TOKEN`);
  }

  const hub = url('SOURCES_URL');
  const hubToken = value('SOURCES_TOKEN');
  const endpoints: Record<string, SourceEndpoint> = {};
  for (const [envKey, key] of envKeys) {
    const own = url(`SOURCE_${envKey}_URL`);
    const endpointUrl = own ?? (hub ? `${hub}/${key}` : undefined);
    const token = value(`SOURCE_${envKey}_TOKEN`) ?? hubToken;
    if (endpointUrl && !token) problems.push(`SOURCES_TOKEN (or SOURCE_${envKey}_TOKEN) is not set: the bearer credential for ${key} at ${endpointUrl}`);
    endpoints[key] = { ...(endpointUrl ? { url: endpointUrl } : {}), ...(token ? { token } : {}) };
  }

  return {
    config: { endpoints, timeoutMs: int('SOURCES_TIMEOUT_MS', 5000, 100, 600_000), cacheTtlMs: int('SOURCES_CACHE_TTL_MS', 60_000, 0, 86_400_000) },
    problems,
  };
}
