import { readSourcesConfig, type SourcesConfig } from '@levensloop/sources';

/**
 * Typed configuration, read from the environment and validated at start-up: a process with a
 * bad configuration stops at once with a message that names every variable to fix.
 */
export interface LevensloopConfig {
  databaseUrl: string;
  temporal: { address: string; namespace: string; taskQueue: string };
  gateway: { port: number; host: string; publicUrl: string; bodyLimit: string };
  auth: { issuer: string; jwksUrl: string; audience: string };
  agencyTimeoutMs: number;
  /** The authentic sources: SOURCES_URL, SOURCES_TOKEN, SOURCE_<KEY>_URL|TOKEN, SOURCES_TIMEOUT_MS, SOURCES_CACHE_TTL_MS. */
  sources: SourcesConfig;
  logLevel: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env): LevensloopConfig {
  const problems: string[] = [];
  const required = (name: string, hint: string): string => {
    const value = env[name]?.trim();
    if (!value) problems.push(`${name} is not set (${hint})`);
    return value ?? '';
  };
  const url = (name: string, value: string, protocols: string[]) => {
    if (!value) return;
    try {
      const parsed = new URL(value);
      if (!protocols.includes(parsed.protocol)) {
        problems.push(`${name} must use ${protocols.join(' or ')} (got ${parsed.protocol})`);
      }
    } catch {
      problems.push(`${name} is not a valid URL: ${value}`);
    }
  };
  const int = (name: string, fallback: number, min: number, max: number): number => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) {
      problems.push(`${name} must be an integer between ${min} and ${max} (got ${raw})`);
      return fallback;
    }
    return n;
  };

  const databaseUrl = required('DATABASE_URL', 'e.g. postgres://user:pass@127.0.0.1:5432/levensloop');
  url('DATABASE_URL', databaseUrl, ['postgres:', 'postgresql:']);
  const address = required('TEMPORAL_ADDRESS', 'host:port of the Temporal frontend, e.g. 127.0.0.1:7233');
  if (address && !/^[\w.-]+:\d+$/.test(address)) problems.push(`TEMPORAL_ADDRESS must be host:port (got ${address})`);
  const issuer = required('OIDC_ISSUER', 'the issuer (iss) of accepted access tokens');
  url('OIDC_ISSUER', issuer, ['http:', 'https:']);
  const jwksUrl = env.OIDC_JWKS_URL?.trim() || (issuer ? `${issuer.replace(/\/$/, '')}/jwks` : '');
  url('OIDC_JWKS_URL', jwksUrl, ['http:', 'https:']);
  const port = int('GATEWAY_PORT', 3000, 0, 65535);
  const host = env.GATEWAY_HOST?.trim() || '127.0.0.1';

  const sources = readSourcesConfig(env);
  problems.push(...sources.problems);

  const config: LevensloopConfig = {
    databaseUrl,
    temporal: {
      address,
      namespace: env.TEMPORAL_NAMESPACE?.trim() || 'default',
      taskQueue: env.TEMPORAL_TASK_QUEUE?.trim() || 'levensloop-journeys',
    },
    gateway: {
      port,
      host,
      publicUrl: env.GATEWAY_PUBLIC_URL?.trim() || `http://${host}:${port}`,
      bodyLimit: env.GATEWAY_BODY_LIMIT?.trim() || '256kb',
    },
    auth: { issuer, jwksUrl, audience: env.OIDC_AUDIENCE?.trim() || 'levensloop' },
    agencyTimeoutMs: int('AGENCY_TIMEOUT_MS', 15000, 100, 600000),
    sources: sources.config,
    logLevel: env.LOG_LEVEL?.trim() || 'info',
  };
  if (problems.length) throw new ConfigError(problems);
  return config;
}
