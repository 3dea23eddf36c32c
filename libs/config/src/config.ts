import * as ipaddr from 'ipaddr.js';
import { isValidDuration } from '@levensloop/domain';
import { readSourcesConfig, type SourcesConfig } from '@levensloop/sources';
import { DEFAULT_MAX_RESPONSE_BYTES, readSigningKeys } from '@levensloop/agency-client';
import { CHANNEL_SPECS, type Channel } from '@levensloop/notifications/channels';
import { devSignInChecks, issuerChecks, productionRefusals, readProfile, type Profile } from './production';
import { readTokenChecks, type TokenChecks } from './token-checks';
import { readClaimNames, type ClaimNames } from './claims';
import { readTeamsClaim } from './team-claim';
import { DEVELOPMENT_LOG_PSEUDONYM_KEY } from './log-redaction';
import { readTemporalConfig, type TemporalConfig } from './temporal';
import { readTelemetryConfig, type TelemetryConfig } from './telemetry';
import { readRetentionConfig, type RetentionConfig } from './retention';
import { readDocumentsConfig, type DocumentsConfig } from './documents';
import { readEvidenceConfig, type EvidenceConfig } from './evidence';
import { readPaymentsConfig, type PaymentsConfig } from './payments';

/** A token bucket: `ratePerSecond` sustained, `burst` at once. */
export interface RateLimit {
  ratePerSecond: number;
  burst: number;
}

/** A request limit: at most `limit` requests in any `windowSeconds`. */
export interface RequestLimit {
  limit: number;
  windowSeconds: number;
}

/** Which proxies' X-Forwarded-For the gateway believes: none, the nearest n hops, or these addresses/ranges. */
export type TrustProxy = false | number | string[];

const NAMED_PROXY_RANGES = ['loopback', 'linklocal', 'uniquelocal'];

/**
 * GATEWAY_TRUST_PROXY: unset, `false` or `0` (default): the connection's address is the client's;
 * a number of hops (1: one proxy in front); or a comma-separated list of proxy addresses, CIDR
 * ranges or Express's names (loopback, linklocal, uniquelocal). `true` is refused: it would believe
 * an X-Forwarded-For any client sends, and give each a fresh rate-limit budget.
 */
export function readTrustProxy(raw: string | undefined, problems: string[]): TrustProxy {
  const value = raw?.trim() ?? '';
  if (value === '' || value === 'false' || value === '0') return false;
  if (/^\d+$/.test(value)) {
    if (Number(value) > 10) problems.push(`GATEWAY_TRUST_PROXY must be a number of proxies from 0 to 10, or their addresses (got ${value})`);
    return Number(value);
  }
  if (value === 'true') {
    problems.push('GATEWAY_TRUST_PROXY=true would believe the X-Forwarded-For of any client: give the number of proxies in front of the gateway (e.g. 1) or their addresses');
    return false;
  }
  const entries = value.split(',').map((e) => e.trim()).filter(Boolean);
  for (const entry of entries) {
    if (!NAMED_PROXY_RANGES.includes(entry) && !ipaddr.isValid(entry) && !ipaddr.isValidCIDR(entry)) {
      problems.push(`GATEWAY_TRUST_PROXY must list proxy addresses or CIDR ranges (or loopback, linklocal, uniquelocal), comma-separated (got ${entry})`);
    }
  }
  return entries;
}

/** The gateway's defences against abuse (see README, configuration). */
export interface GatewayLimits {
  /** RATE_LIMIT_PER_PRINCIPAL (default 1200/60): requests per token subject (`sub`). */
  perPrincipal: RequestLimit;
  /** RATE_LIMIT_PER_ADDRESS (default 2400/60): requests per client address (IPv6 per /64), before authentication. */
  perAddress: RequestLimit;
  /**
   * RATE_LIMIT_SMS_CALLBACK (default 6000/60): SMS delivery reports per client address, instead of
   * the address limit (an SMS provider reports every message from few addresses).
   */
  smsCallback: RequestLimit;
  /**
   * RATE_LIMIT_EMAIL_CALLBACK (default 6000/60): the mail side's delivery reports (bounces) per
   * client address, a budget of their own (a mail provider, like an SMS one, reports from few addresses).
   */
  emailCallback: RequestLimit;
  /** RATE_LIMIT_PAYMENT_CALLBACK (default 6000/60): the payment provider's webhooks per client address, a budget of their own. */
  paymentCallback: RequestLimit;
  /** GATEWAY_HEADERS_TIMEOUT_MS (default 10000): a request's headers must arrive within this (slowloris). */
  headersTimeoutMs: number;
  /** GATEWAY_REQUEST_TIMEOUT_MS (default 30000): the whole request, body included. */
  requestTimeoutMs: number;
  /** GATEWAY_KEEP_ALIVE_TIMEOUT_MS (default 5000): an idle kept-alive connection is closed after this. */
  keepAliveTimeoutMs: number;
}

/** The dispatcher: channels, timings and limits (see apps/dispatcher). */
export interface NotificationsConfig {
  /** DISPATCHER_PORT: health and /metrics. */
  port: number;
  /** DISPATCHER_HOST (unset: 127.0.0.1): where health and /metrics listen; 0.0.0.0 in a pod, for the kubelet's probes. */
  host?: string;
  /** SMTP_URL (smtp:// or smtps://); unset: e-mail deliveries wait (temporary failure). */
  smtpUrl?: string;
  /** NOTIFY_EMAIL_FROM. */
  emailFrom: string;
  /**
   * EMAIL_CALLBACK_SECRET: the HMAC-SHA256 key the mail side signs its delivery reports (bounces)
   * with, as the SMS gateway does (the gateway refuses every mail report while it is unset).
   */
  emailCallbackSecret?: string;
  /**
   * SMS_GATEWAY_URL, SMS_GATEWAY_TOKEN; SMS_CALLBACK_URL (default <gateway public URL>/callbacks/sms);
   * SMS_CALLBACK_SECRET: the HMAC-SHA256 key the SMS gateway signs its delivery reports with (the
   * gateway refuses every report while it is unset).
   */
  sms: { url?: string; token?: string; callbackUrl: string; callbackSecret?: string };
  /** ECOUNTER_URL, ECOUNTER_TOKEN. */
  ecounter: { url?: string; token?: string };
  /** CITIZEN_WEB_URL: where a journey is at `/journeys/<id>` (default the gateway public URL). */
  citizenWebUrl: string;
  /**
   * REMINDER_BEFORE (ISO duration, default P3D): a reminder this long before a citizen task is due.
   * Journeys take it at their start (the launcher puts it in the workflow input; their timers send it).
   */
  reminderBefore: string;
  /** LETTER_AFTER (ISO duration, default P7D): an unread action-needed message then goes out on paper. */
  letterAfter: string;
  /** DISPATCHER_LEASE_MS: a delivery left `sending` this long (a crash) is sent again with the same key. */
  leaseMs: number;
  /** DISPATCHER_MAX_ATTEMPTS: then permanent_failure. */
  maxAttempts: number;
  /** DISPATCHER_BACKOFF_MS, DISPATCHER_BACKOFF_MAX_MS: first retry delay, doubled per attempt up to the maximum. */
  backoffMs: number;
  backoffMaxMs: number;
  /** DISPATCHER_POLL_MS: polling when no wake-up arrives; DISPATCHER_SCHEDULER_MS: the unread-letter fallback. */
  pollMs: number;
  schedulerMs: number;
  /** DISPATCHER_BATCH: rows claimed at a time. */
  batchSize: number;
  /** DISPATCHER_TIMEOUT_MS: per HTTP or SMTP send. */
  timeoutMs: number;
  /**
   * DISPATCHER_TEMPLATE_CACHE_MS (default 60000): how long the dispatcher keeps the templates in
   * force. A registration notifies it (pg_notify on levensloop_templates) and the cache is dropped
   * at once; this is the fallback for a lost notice (at most 5 s while the LISTEN connection is down).
   */
  templateCacheMs: number;
  /** RATE_<CHANNEL> = "<per second>[/<burst>]", e.g. RATE_SMS=10/20 (every channel of the registry, and status). */
  rates: Record<Channel | 'status', RateLimit>;
  /**
   * DISPATCHER_TEST_EXIT_AFTER_SEND (tests only; unset by default): a channel key, `status` or
   * `any`: the dispatcher exits right after such a send, before recording it (a crash at the worst moment).
   */
  testExitAfterSend?: string;
}

/**
 * Typed configuration, read from the environment and validated at start-up: a process with a
 * bad configuration stops at once with a message that names every variable to fix.
 */
export interface LevensloopConfig {
  /** LEVENSLOOP_ENV: development (default) or production, which refuses development settings. */
  profile: Profile;
  databaseUrl: string;
  temporal: TemporalConfig;
  worker: WorkerConfig;
  /**
   * corsOrigins: CORS_ORIGINS, the web origins (e.g. the console's) whose browsers may call the API.
   * internalPort: GATEWAY_INTERNAL_PORT (unset by default): when set, /metrics, /docs and
   * /openapi.json are served there (on GATEWAY_INTERNAL_HOST, default 127.0.0.1) and no longer on the public port.
   * trustProxy: GATEWAY_TRUST_PROXY (default off), Express's `trust proxy`: how many proxies stand in
   * front of the gateway, or their addresses, so the client address (rate limits) is read from X-Forwarded-For.
   */
  gateway: {
    port: number;
    host: string;
    publicUrl: string;
    bodyLimit: string;
    corsOrigins: string[];
    internalPort?: number;
    internalHost: string;
    trustProxy: TrustProxy;
    limits: GatewayLimits;
    codecServer: CodecServerConfig;
  };
  /** claims: which token claims name the roles, agency, national and enterprise number (OIDC_*_CLAIM). */
  auth: { issuer: string; jwksUrl: string; audience: string; claims: ClaimNames; /** OIDC_TEAMS_CLAIM: the claim with a caseworker's teams (default `teams`). */ teamsClaim?: string } & TokenChecks;
  agencyTimeoutMs: number;
  /** Calls to agency endpoints: what they may reach, how much of an answer is read, how they are signed. */
  agencyCalls: AgencyCallsConfig;
  /** The authentic sources: SOURCES_URL, SOURCES_TOKEN, SOURCE_<KEY>_URL|TOKEN, SOURCES_TIMEOUT_MS, SOURCES_CACHE_TTL_MS. */
  sources: SourcesConfig;
  notifications: NotificationsConfig;
  /**
   * SHUTDOWN_GRACE_MS (default 20000, under Kubernetes' 30 s): after SIGTERM, how long the gateway
   * answers the requests in flight, the worker finishes its tasks (`shutdownGraceTime`) and the
   * dispatcher finishes its sends in flight before it gives back what it still holds.
   */
  shutdownGraceMs: number;
  logLevel: string;
  /** LOG_PSEUDONYM_KEY: the HMAC key of the hashes that replace national and enterprise numbers in logs. */
  logPseudonymKey: string;
  /** Tracing (OTEL_EXPORTER_OTLP_TRACES_ENDPOINT and friends, see telemetry.ts); processes start it before this is loaded. */
  telemetry: TelemetryConfig;
  /** How long each kind of record is kept (RETENTION_*), and the Temporal namespace's retention. */
  retention: RetentionConfig;
  /** Documents uploaded to tasks: DOCUMENT_STORE, DOCUMENT_KEYS, DOCUMENT_MAX_BYTES (see documents.ts). */
  documents: DocumentsConfig;
  /** Evidence from authentic sources on the person's request: EVIDENCE_PREVIEW_TERM (see evidence.ts). */
  evidence: EvidenceConfig;
  /** The payment provider: PAYMENT_PROVIDER_URL, PAYMENT_PROVIDER_TOKEN, PAYMENT_WEBHOOK_SECRET (see payments.ts). */
  payments: PaymentsConfig;
}

/**
 * The codec server (`/codec/encode`, `/codec/decode` on the gateway), with which Temporal's Web UI
 * shows payloads decrypted: callers with the auditor role, or, where the Web UI cannot send a
 * token (the development server), the path `/codec/<secret>`.
 */
export interface CodecServerConfig {
  /** TEMPORAL_CODEC_SERVER_SECRET (unset by default; `npm start` sets a fresh one): at least 32 characters. */
  secret?: string;
  /** TEMPORAL_UI_ORIGINS: the Web UI origins whose browsers may call the codec server (CORS). */
  uiOrigins: string[];
}

/** The worker process (apps/worker). */
export interface WorkerConfig {
  /** WORKER_PORT (default 3001): the health endpoint, on WORKER_HOST. */
  port: number;
  /** WORKER_HOST (unset: 127.0.0.1): where the health endpoint listens; 0.0.0.0 in a pod, for the kubelet's probes. */
  host?: string;
  /** WORKER_METRICS_ADDRESS (unset by default): host:port where the Temporal SDK serves its Prometheus metrics. */
  metricsAddress?: string;
  /** WORKER_MAX_CACHED_WORKFLOWS (default 1000): journeys kept in the sticky cache (about 0.4 MB each). */
  maxCachedWorkflows: number;
  /** WORKER_CPU_PROFILE (unset by default): write a V8 CPU profile of the whole run to this file (benchmarks). */
  cpuProfile?: string;
  /**
   * INBOX_SWEEP_EVERY_MS (default 30000): how often the inbox-sweep schedule starts the source events
   * a gateway stored and did not start (it crashed in between). A lost start waits at most this plus
   * the sweep's 10 s grace; each sweep is a workflow run, so a shorter interval costs CPU at rest.
   */
  inboxSweepEveryMs: number;
}

export interface AgencyCallsConfig {
  /** AGENCY_TIMEOUT_MS (default 15000). */
  timeoutMs: number;
  /** AGENCY_MAX_RESPONSE_BYTES (default 262144): a longer answer is a failed attempt. */
  maxResponseBytes: number;
  /**
   * AGENCY_ALLOWED_INTERNAL_HOSTS: comma-separated `host:port` entries that agency calls may reach
   * although they are loopback, private or otherwise internal (the sandbox in development).
   */
  allowedInternalHosts: string[];
  /** AGENCY_SIGNING_KEYS (`agency=<base64>,…`) and/or AGENCY_SIGNING_KEYS_FILE (JSON): one HMAC key per agency. */
  signingKeys: ReadonlyMap<string, Buffer>;
  /** AGENCY_HOSTS_CACHE_MS (default 10000): how long the worker keeps an agency's endpoint hosts. */
  hostsCacheMs: number;
  /** The production profile: plain http endpoints and unsigned calls are refused. */
  production: boolean;
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
  const { profile, problem: profileProblem } = readProfile(env);
  if (profileProblem) problems.push(profileProblem);
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
  const temporal = readTemporalConfig(env, problems);
  const issuer = required('OIDC_ISSUER', 'the issuer (iss) of accepted access tokens');
  url('OIDC_ISSUER', issuer, ['http:', 'https:']);
  const jwksUrl = env.OIDC_JWKS_URL?.trim() || (issuer ? `${issuer.replace(/\/$/, '')}/jwks` : '');
  url('OIDC_JWKS_URL', jwksUrl, ['http:', 'https:']);
  const tokenChecks = readTokenChecks(env);
  problems.push(...tokenChecks.problems);
  const claimNames = readClaimNames(env);
  problems.push(...claimNames.problems);
  const teamsClaim = readTeamsClaim(env, claimNames.claims);
  problems.push(...teamsClaim.problems);
  const port = int('GATEWAY_PORT', 3000, 0, 65535);
  const host = env.GATEWAY_HOST?.trim() || '127.0.0.1';

  const sources = readSourcesConfig(env);
  problems.push(...sources.problems);
  const publicUrl = env.GATEWAY_PUBLIC_URL?.trim() || `http://${host}:${port}`;
  const internalPort = env.GATEWAY_INTERNAL_PORT?.trim() ? int('GATEWAY_INTERNAL_PORT', 0, 0, 65535) : undefined;
  const requestLimit = (name: string, fallback: RequestLimit): RequestLimit => {
    const raw = env[name]?.trim();
    if (!raw) return fallback;
    const m = /^(\d+)\/(\d+)$/.exec(raw);
    if (!m || Number(m[1]) < 1 || Number(m[2]) < 1 || Number(m[2]) > 86_400) {
      problems.push(`${name} must be "<requests>/<seconds>", e.g. 1200/60 (got ${raw})`);
      return fallback;
    }
    return { limit: Number(m[1]), windowSeconds: Number(m[2]) };
  };
  const limits: GatewayLimits = {
    perPrincipal: requestLimit('RATE_LIMIT_PER_PRINCIPAL', { limit: 1200, windowSeconds: 60 }),
    perAddress: requestLimit('RATE_LIMIT_PER_ADDRESS', { limit: 2400, windowSeconds: 60 }),
    smsCallback: requestLimit('RATE_LIMIT_SMS_CALLBACK', { limit: 6000, windowSeconds: 60 }),
    emailCallback: requestLimit('RATE_LIMIT_EMAIL_CALLBACK', { limit: 6000, windowSeconds: 60 }),
    paymentCallback: requestLimit('RATE_LIMIT_PAYMENT_CALLBACK', { limit: 6000, windowSeconds: 60 }),
    headersTimeoutMs: int('GATEWAY_HEADERS_TIMEOUT_MS', 10_000, 100, 600_000),
    requestTimeoutMs: int('GATEWAY_REQUEST_TIMEOUT_MS', 30_000, 100, 3_600_000),
    keepAliveTimeoutMs: int('GATEWAY_KEEP_ALIVE_TIMEOUT_MS', 5_000, 100, 600_000),
  };
  const corsOrigins = origins('CORS_ORIGINS', env.CORS_ORIGINS, problems);
  const notifications = readNotificationsConfig(env, publicUrl, { problems, url, int });

  const agencyCalls = readAgencyCallsConfig(env, profile, { problems, url, int });
  const telemetry = readTelemetryConfig(env);
  problems.push(...telemetry.problems);
  const retention = readRetentionConfig(env);
  problems.push(...retention.problems);
  const documents = readDocumentsConfig(env, temporal.codecKeys);
  problems.push(...documents.problems);
  const evidence = readEvidenceConfig(env);
  problems.push(...evidence.problems);
  const payments = readPaymentsConfig(env, profile);
  problems.push(...payments.problems);
  const metricsAddress = env.WORKER_METRICS_ADDRESS?.trim() || undefined;
  if (metricsAddress && !/^[\w.-]+:\d+$/.test(metricsAddress)) problems.push(`WORKER_METRICS_ADDRESS must be host:port (got ${metricsAddress})`);
  const worker: WorkerConfig = {
    port: int('WORKER_PORT', 3001, 0, 65535),
    ...listenHost('WORKER_HOST', env, problems),
    ...(metricsAddress ? { metricsAddress } : {}),
    maxCachedWorkflows: int('WORKER_MAX_CACHED_WORKFLOWS', 1000, 1, 1_000_000),
    ...(env.WORKER_CPU_PROFILE?.trim() ? { cpuProfile: env.WORKER_CPU_PROFILE.trim() } : {}),
    inboxSweepEveryMs: int('INBOX_SWEEP_EVERY_MS', 30_000, 1_000, 3_600_000),
  };
  const config: LevensloopConfig = {
    profile,
    databaseUrl,
    temporal,
    worker,
    gateway: {
      port,
      host,
      publicUrl,
      bodyLimit: env.GATEWAY_BODY_LIMIT?.trim() || '256kb',
      corsOrigins,
      internalPort,
      internalHost: env.GATEWAY_INTERNAL_HOST?.trim() || '127.0.0.1',
      trustProxy: readTrustProxy(env.GATEWAY_TRUST_PROXY, problems),
      limits,
      codecServer: readCodecServer(env, problems),
    },
    auth: { issuer, jwksUrl, audience: env.OIDC_AUDIENCE?.trim() || 'levensloop', claims: claimNames.claims, teamsClaim: teamsClaim.name, ...tokenChecks.checks },
    agencyTimeoutMs: agencyCalls.timeoutMs,
    agencyCalls,
    sources: sources.config,
    notifications,
    shutdownGraceMs: int('SHUTDOWN_GRACE_MS', 20_000, 0, 600_000),
    logLevel: env.LOG_LEVEL?.trim() || 'info',
    logPseudonymKey: env.LOG_PSEUDONYM_KEY?.trim() || DEVELOPMENT_LOG_PSEUDONYM_KEY,
    telemetry,
    retention: retention.config,
    documents: documents.config,
    evidence: evidence.config,
    payments: payments.config,
  };
  if (profile === 'production') problems.push(...productionRefusals(env).map((reason) => `production profile: ${reason}`));
  if (problems.length) throw new ConfigError(problems);
  return config;
}

/** An optional listen address (an IP address or a host name), present only when set. */
function listenHost(name: string, env: Env, problems: string[]): { host?: string } {
  const host = env[name]?.trim();
  if (!host) return {};
  if (!ipaddr.isValid(host) && !/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$/i.test(host)) problems.push(`${name} must be an address to listen on, e.g. 0.0.0.0 (got ${host})`);
  return { host };
}

function readCodecServer(env: Env, problems: string[]): CodecServerConfig {
  const secret = env.TEMPORAL_CODEC_SERVER_SECRET?.trim() || undefined;
  if (secret && !/^[A-Za-z0-9_-]{32,}$/.test(secret)) problems.push('TEMPORAL_CODEC_SERVER_SECRET must be at least 32 characters of A-Z a-z 0-9 _ - (it is part of a URL), e.g. openssl rand -hex 24');
  return { ...(secret ? { secret } : {}), uiOrigins: origins('TEMPORAL_UI_ORIGINS', env.TEMPORAL_UI_ORIGINS, problems) };
}

/** A comma-separated list of web origins (scheme://host[:port], no path). */
function origins(name: string, raw: string | undefined, problems: string[]): string[] {
  const list = (raw ?? '').split(',').map((o) => o.trim()).filter(Boolean);
  for (const origin of list) {
    let parsed: URL | undefined;
    try {
      parsed = new URL(origin);
    } catch {
      // reported below
    }
    if (!parsed || !['http:', 'https:'].includes(parsed.protocol) || parsed.origin !== origin.replace(/\/$/, '')) {
      problems.push(`${name} must list origins such as http://127.0.0.1:3200, comma-separated, without a path (got ${origin})`);
    }
  }
  return list.map((o) => o.replace(/\/$/, ''));
}

/** The console's static server (apps/console): where it listens and what its pages call. */
export interface ConsoleConfig {
  /** CONSOLE_PORT (default 3200), CONSOLE_HOST (default 127.0.0.1). */
  port: number;
  host: string;
  /** CONSOLE_API_URL: the gateway as the browser reaches it (default GATEWAY_PUBLIC_URL, else http://127.0.0.1:<GATEWAY_PORT>). */
  apiUrl: string;
  /** OIDC_ISSUER: the issuer whose tokens the gateway accepts. */
  issuer: string;
  /**
   * CONSOLE_DEV_SIGN_IN (default false; `npm start` sets true): sign in by picking a role and identity from a
   * development issuer's token endpoint. Refused in the production profile.
   */
  devSignIn: boolean;
  /**
   * OIDC_CLIENT_ID (default `levensloop-console`): the console's public client at the issuer
   * (authorization code with PKCE); without one the console offers no sign-in at the issuer.
   */
  clientId?: string;
  /** OIDC_SCOPE (default `openid profile offline_access`): the scopes the console asks for; `offline_access` asks for a refresh token. */
  scope?: string;
  /** OIDC_*_CLAIM: the claim names the console reads, as the gateway does (default: today's names). */
  claims?: ClaimNames;
  /** LOG_PSEUDONYM_KEY: the key of the hashes that stand for national numbers in logs, as the engine's. */
  logPseudonymKey: string;
  /** CONSOLE_STATIC_DIR: where the built pages are (default: the build's own `dist/console`). */
  staticDir?: string;
}

/** The console's client id at the issuer unless OIDC_CLIENT_ID names another; the sandbox's provider registers it. */
export const DEFAULT_CONSOLE_CLIENT_ID = 'levensloop-console';

/** The console needs no database or Temporal: only where the API and the issuer are. */
export function loadConsoleConfig(env: Env = process.env): ConsoleConfig {
  const problems: string[] = [];
  const port = Number(env.CONSOLE_PORT?.trim() || 3200);
  if (!Number.isInteger(port) || port < 0 || port > 65535) problems.push(`CONSOLE_PORT must be an integer between 0 and 65535 (got ${env.CONSOLE_PORT})`);
  const gatewayPort = env.GATEWAY_PORT?.trim() || '3000';
  const apiUrl = (env.CONSOLE_API_URL?.trim() || env.GATEWAY_PUBLIC_URL?.trim() || `http://127.0.0.1:${gatewayPort}`).replace(/\/+$/, '');
  const issuer = env.OIDC_ISSUER?.trim().replace(/\/+$/, '') ?? '';
  if (!issuer) problems.push('OIDC_ISSUER is not set (the issuer of the tokens the console signs in with)');
  for (const [name, value] of [['CONSOLE_API_URL', apiUrl], ['OIDC_ISSUER', issuer]] as const) {
    if (!value) continue;
    try {
      if (!['http:', 'https:'].includes(new URL(value).protocol)) problems.push(`${name} must be an http(s) URL (got ${value})`);
    } catch {
      problems.push(`${name} is not a valid URL: ${value}`);
    }
  }
  const dev = env.CONSOLE_DEV_SIGN_IN?.trim() || 'false';
  if (!['true', 'false'].includes(dev)) problems.push(`CONSOLE_DEV_SIGN_IN must be true or false (got ${dev})`);
  const clientId = env.OIDC_CLIENT_ID?.trim() || DEFAULT_CONSOLE_CLIENT_ID;
  if (!/^[\x21-\x7e]{1,200}$/.test(clientId)) problems.push(`OIDC_CLIENT_ID must be printable and without spaces (got ${JSON.stringify(clientId)})`);
  const scope = (env.OIDC_SCOPE?.trim() || 'openid profile offline_access').split(/\s+/).join(' ');
  if (!scope.split(' ').includes('openid')) problems.push(`OIDC_SCOPE must include openid (got ${scope})`);
  const claimNames = readClaimNames(env);
  problems.push(...claimNames.problems);
  const { profile, problem: profileProblem } = readProfile(env);
  if (profileProblem) problems.push(profileProblem);
  // The console signs people in: the same issuer checks as the engine, and no development sign-in.
  if (profile === 'production') problems.push(...[...issuerChecks(env), ...devSignInChecks(env)].map((reason) => `production profile: ${reason}`));
  if (problems.length) throw new ConfigError(problems);
  const staticDir = env.CONSOLE_STATIC_DIR?.trim();
  return {
    port,
    host: env.CONSOLE_HOST?.trim() || '127.0.0.1',
    apiUrl,
    issuer,
    devSignIn: dev === 'true',
    clientId,
    scope,
    claims: claimNames.claims,
    logPseudonymKey: env.LOG_PSEUDONYM_KEY?.trim() || DEVELOPMENT_LOG_PSEUDONYM_KEY,
    ...(staticDir ? { staticDir } : {}),
  };
}

interface Checks {
  problems: string[];
  url: (name: string, value: string, protocols: string[]) => void;
  int: (name: string, fallback: number, min: number, max: number) => number;
}

function readAgencyCallsConfig(env: Env, profile: Profile, { problems, int }: Checks): AgencyCallsConfig {
  const allowedInternalHosts = (env.AGENCY_ALLOWED_INTERNAL_HOSTS ?? '').split(',').map((h) => h.trim().toLowerCase()).filter(Boolean);
  for (const entry of allowedInternalHosts) {
    if (!/^(\[[0-9a-f:.]+\]|[a-z0-9.-]+):\d{1,5}$/.test(entry)) problems.push(`AGENCY_ALLOWED_INTERNAL_HOSTS must list host:port entries, comma-separated, e.g. 127.0.0.1:3100 (got ${entry})`);
  }
  const signing = readSigningKeys(env);
  problems.push(...signing.problems);
  return {
    timeoutMs: int('AGENCY_TIMEOUT_MS', 15000, 100, 600000),
    maxResponseBytes: int('AGENCY_MAX_RESPONSE_BYTES', DEFAULT_MAX_RESPONSE_BYTES, 1024, 64 * 1024 * 1024),
    allowedInternalHosts,
    signingKeys: signing.keys,
    hostsCacheMs: int('AGENCY_HOSTS_CACHE_MS', 10_000, 0, 3_600_000),
    production: profile === 'production',
  };
}

/** Each channel's default rate comes with the channel; `status` is the dossier-status push. */
const RATE_DEFAULTS = {
  ...Object.fromEntries(CHANNEL_SPECS.map((c) => [c.key, c.defaultRate])),
  status: { ratePerSecond: 200, burst: 400 },
} as NotificationsConfig['rates'];

function readNotificationsConfig(env: Env, gatewayUrl: string, { problems, url, int }: Checks): NotificationsConfig {
  const optional = (name: string) => env[name]?.trim() || undefined;
  const smtpUrl = optional('SMTP_URL');
  if (smtpUrl) url('SMTP_URL', smtpUrl, ['smtp:', 'smtps:']);
  const smsUrl = optional('SMS_GATEWAY_URL');
  if (smsUrl) url('SMS_GATEWAY_URL', smsUrl, ['http:', 'https:']);
  const smsToken = optional('SMS_GATEWAY_TOKEN');
  if (smsUrl && !smsToken) problems.push('SMS_GATEWAY_TOKEN is not set (the bearer token of SMS_GATEWAY_URL)');
  const ecounterUrl = optional('ECOUNTER_URL');
  if (ecounterUrl) url('ECOUNTER_URL', ecounterUrl, ['http:', 'https:']);
  const ecounterToken = optional('ECOUNTER_TOKEN');
  if (ecounterUrl && !ecounterToken) problems.push('ECOUNTER_TOKEN is not set (the bearer token of ECOUNTER_URL)');
  const base = gatewayUrl.replace(/\/+$/, '');
  const callbackUrl = optional('SMS_CALLBACK_URL') ?? `${base}/callbacks/sms`;
  url('SMS_CALLBACK_URL', callbackUrl, ['http:', 'https:']);
  const citizenWebUrl = (optional('CITIZEN_WEB_URL') ?? base).replace(/\/+$/, '');
  url('CITIZEN_WEB_URL', citizenWebUrl, ['http:', 'https:']);
  const duration = (name: string, fallback: string) => {
    const value = optional(name) ?? fallback;
    if (!isValidDuration(value)) problems.push(`${name} must be an ISO-8601 duration such as P3D or PT10S (got ${value})`);
    return value;
  };
  const rates = { ...RATE_DEFAULTS };
  for (const channel of Object.keys(RATE_DEFAULTS) as Array<keyof NotificationsConfig['rates']>) {
    const name = `RATE_${channel.toUpperCase()}`;
    const raw = optional(name);
    if (!raw) continue;
    const m = /^(\d+(?:\.\d+)?)(?:\/(\d+))?$/.exec(raw);
    if (!m || Number(m[1]) <= 0) {
      problems.push(`${name} must be "<messages per second>[/<burst>]", e.g. 10/20 (got ${raw})`);
      continue;
    }
    const ratePerSecond = Number(m[1]);
    rates[channel] = { ratePerSecond, burst: m[2] ? Math.max(1, Number(m[2])) : Math.max(1, Math.ceil(ratePerSecond)) };
  }
  const backoffMs = int('DISPATCHER_BACKOFF_MS', 1000, 10, 3_600_000);
  return {
    port: int('DISPATCHER_PORT', 3002, 0, 65535),
    ...listenHost('DISPATCHER_HOST', env, problems),
    smtpUrl,
    emailFrom: optional('NOTIFY_EMAIL_FROM') ?? 'Levensloop <noreply@levensloop.local>',
    ...(env.EMAIL_CALLBACK_SECRET ? { emailCallbackSecret: env.EMAIL_CALLBACK_SECRET } : {}),
    sms: { url: smsUrl?.replace(/\/+$/, ''), token: smsToken, callbackUrl, callbackSecret: env.SMS_CALLBACK_SECRET || undefined },
    ecounter: { url: ecounterUrl?.replace(/\/+$/, ''), token: ecounterToken },
    citizenWebUrl,
    reminderBefore: duration('REMINDER_BEFORE', 'P3D'),
    letterAfter: duration('LETTER_AFTER', 'P7D'),
    leaseMs: int('DISPATCHER_LEASE_MS', 30_000, 100, 3_600_000),
    maxAttempts: int('DISPATCHER_MAX_ATTEMPTS', 12, 1, 1000),
    backoffMs,
    backoffMaxMs: Math.max(backoffMs, int('DISPATCHER_BACKOFF_MAX_MS', 600_000, 10, 86_400_000)),
    pollMs: int('DISPATCHER_POLL_MS', 1000, 10, 600_000),
    schedulerMs: int('DISPATCHER_SCHEDULER_MS', 5000, 10, 3_600_000),
    batchSize: int('DISPATCHER_BATCH', 100, 1, 10_000),
    timeoutMs: int('DISPATCHER_TIMEOUT_MS', 10_000, 100, 600_000),
    templateCacheMs: int('DISPATCHER_TEMPLATE_CACHE_MS', 60_000, 0, 86_400_000),
    rates,
    testExitAfterSend: optional('DISPATCHER_TEST_EXIT_AFTER_SEND'),
  };
}

/** What the operator's command line (apps/cli) reads: the database URLs and the profile, checked by the command that needs them. */
export interface CliEnvironment {
  /** DATABASE_URL: the runtime login's database. */
  databaseUrl?: string;
  /** MIGRATION_DATABASE_URL: the owner's database URL for `migrate` (defaults to DATABASE_URL). */
  migrationDatabaseUrl?: string;
  profile: Profile;
  /** Set when LEVENSLOOP_ENV is not a known profile. */
  profileProblem?: string;
}

export function readCliEnvironment(env: Env = process.env): CliEnvironment {
  const { profile, problem } = readProfile(env);
  return {
    ...(env.DATABASE_URL ? { databaseUrl: env.DATABASE_URL } : {}),
    ...(env.MIGRATION_DATABASE_URL ? { migrationDatabaseUrl: env.MIGRATION_DATABASE_URL } : {}),
    profile,
    ...(problem ? { profileProblem: problem } : {}),
  };
}
