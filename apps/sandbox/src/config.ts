import { readSigningKeys } from '@levensloop/agency-client';
import { MAX_LATENCY_MS } from './agencies/behaviour';
import { parseAddressLimit, type AddressLimit } from './http/rate-limit';

/** The sandbox's configuration, from the environment, checked at start-up. */
export interface SandboxConfig {
  /** SANDBOX_PORT (default 3100; 0 picks a free port). */
  port: number;
  /** SANDBOX_HOST (unset: 127.0.0.1): where HTTP and the SMTP sink listen; 0.0.0.0 in a development cluster's pod. */
  host?: string;
  /** SANDBOX_PUBLIC_URL: the base URL others reach the sandbox at; the issuer is `<it>/oidc`. Default `http://127.0.0.1:<port>`. */
  publicUrl?: string;
  /** OIDC_AUDIENCE (default `levensloop`). */
  audience: string;
  /** SANDBOX_AGENCY_LATENCY_MS: latency of every agency answer without a behaviour of its own (default 0). */
  agencyLatencyMs: number;
  /** SANDBOX_OIDC_KEY_FILE: the issuer's signing key (PKCS#8 PEM or private JWK); created when missing. Default: a fresh key per start. */
  oidcKeyFile?: string;
  /** LOG_LEVEL (default info). */
  logLevel: string;
  /** SANDBOX_POPULATION_SEED: seed of the fixture population (default `levensloop`). */
  populationSeed?: string;
  /** SANDBOX_SOURCES_TOKEN: the bearer token the source registers accept (default `sandbox-sources-token`). */
  sourcesToken?: string;
  /** SANDBOX_EVENTS_URL: where source events are delivered, e.g. http://127.0.0.1:3000/events (unset: recorded only). */
  eventsUrl?: string;
  /** SANDBOX_SMTP_PORT: the SMTP sink (plain SMTP, no AUTH, no TLS: local use only; default 2525; 0 picks a free port). */
  smtpPort: number;
  /** SANDBOX_SMS_TOKEN: bearer token of the SMS gateway (default `sandbox-sms-token`). */
  smsToken?: string;
  /** SANDBOX_SMS_CALLBACK_SECRET: HMAC key of the delivery reports' X-Signature (default `sandbox-sms-secret`). */
  smsCallbackSecret?: string;
  /** SANDBOX_SMS_REPORT_DELAY_MS: time from acceptance to the delivery report (default 50). */
  smsReportDelayMs: number;
  /** SANDBOX_ECOUNTER_TOKEN: bearer token of the e-counter (default `sandbox-ecounter-token`). */
  ecounterToken?: string;
  /**
   * SANDBOX_MAIL_REPORT_URL (the engine's `/callbacks/email`) and SANDBOX_MAIL_REPORT_SECRET (no
   * default; the engine's EMAIL_CALLBACK_SECRET): bounces of mail to `bounce…@…` are reported there.
   */
  mailReports?: { url: string; secret: string };
  /**
   * AGENCY_SIGNING_KEYS / AGENCY_SIGNING_KEYS_FILE, the same keys the worker signs with: an agency
   * with a key answers 401 to a call that is not signed with it.
   */
  agencySigningKeys: ReadonlyMap<string, Buffer>;
  /** SANDBOX_TRACE_SPANS: spans the OTLP receiver keeps (default 20000; the oldest traces go first). */
  maxTraceSpans?: number;
  /** SANDBOX_TOKEN_RATE_LIMIT: development tokens per client address, "<requests>/<seconds>" (default 600/60). */
  tokenRateLimit?: AddressLimit;
  /**
   * SANDBOX_DEV_TOKEN (true or false; default true, false under LEVENSLOOP_ENV=production):
   * `/oidc/dev-token`, a token for any role to anyone who asks, for tests and curl.
   */
  devTokens?: boolean;
  /** OIDC_CLIENT_ID (default `levensloop-console`): the console's public client at the provider, the id the console uses. */
  consoleClientId?: string;
  /** SANDBOX_CONSOLE_URLS: the console's base URLs, comma-separated; each may receive codes at `/signed-in` and return to `/signed-out` (default http://127.0.0.1:3200). */
  consoleUrls?: string[];
  /** SANDBOX_ACCESS_TOKEN_TTL_SECONDS: lifetime of the provider's access tokens (default 900, 30 to 86400). */
  accessTokenTtlSeconds?: number;
  /** SANDBOX_SIGN_IN_AGENCIES: the agencies whose staff the sign-in page lists, comma-separated (default the example catalog's). */
  signInAgencies?: string[];
  /** SANDBOX_PAYMENT_TOKEN: bearer token of the payment provider (default `sandbox-payment-token`, the engine's PAYMENT_PROVIDER_TOKEN). */
  paymentToken?: string;
  /** SANDBOX_PAYMENT_WEBHOOK_SECRET (no default; the engine's PAYMENT_WEBHOOK_SECRET): the payment provider signs its webhooks with it (unset: it sends none). */
  paymentWebhookSecret?: string;
}

export class SandboxConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid sandbox configuration:\n- ${problems.join('\n- ')}`);
    this.name = 'SandboxConfigError';
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Reads and validates the configuration; throws one error that lists every problem. */
export function loadSandboxConfig(env: NodeJS.ProcessEnv = process.env): SandboxConfig {
  const problems: string[] = [];
  const value = (name: string) => {
    const v = env[name]?.trim();
    return v ? v : undefined;
  };
  const integer = (name: string, fallback: number, min: number, max: number) => {
    const raw = value(name);
    if (raw === undefined) return fallback;
    if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
      problems.push(`${name} must be an integer from ${min} to ${max} (got "${raw}").`);
      return fallback;
    }
    return Number(raw);
  };

  const port = integer('SANDBOX_PORT', 3100, 0, 65_535);
  const agencyLatencyMs = integer('SANDBOX_AGENCY_LATENCY_MS', 0, 0, MAX_LATENCY_MS);
  const smtpPort = integer('SANDBOX_SMTP_PORT', 2525, 0, 65_535);
  const smsReportDelayMs = integer('SANDBOX_SMS_REPORT_DELAY_MS', 50, 0, MAX_LATENCY_MS);
  const maxTraceSpans = value('SANDBOX_TRACE_SPANS') === undefined ? undefined : integer('SANDBOX_TRACE_SPANS', 20_000, 100, 1_000_000);

  let publicUrl = value('SANDBOX_PUBLIC_URL');
  if (publicUrl !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(publicUrl);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.search || url.hash) {
      problems.push(`SANDBOX_PUBLIC_URL must be an http(s) URL without query or fragment, e.g. http://127.0.0.1:3100 (got "${publicUrl}").`);
      publicUrl = undefined;
    } else publicUrl = publicUrl.replace(/\/+$/, '');
  }

  let eventsUrl = value('SANDBOX_EVENTS_URL');
  const protocolOf = (text: string) => {
    try {
      return new URL(text).protocol;
    } catch {
      return undefined;
    }
  };
  const mailReportUrl = value('SANDBOX_MAIL_REPORT_URL');
  if (mailReportUrl !== undefined && protocolOf(mailReportUrl) !== 'http:' && protocolOf(mailReportUrl) !== 'https:') {
    problems.push(`SANDBOX_MAIL_REPORT_URL must be an http(s) URL, e.g. http://127.0.0.1:3000/callbacks/email (got "${mailReportUrl}").`);
  }
  if (eventsUrl !== undefined && protocolOf(eventsUrl) !== 'http:' && protocolOf(eventsUrl) !== 'https:') {
    problems.push(`SANDBOX_EVENTS_URL must be an http(s) URL, e.g. http://127.0.0.1:3000/events (got "${eventsUrl}").`);
    eventsUrl = undefined;
  }

  const rawTokenLimit = value('SANDBOX_TOKEN_RATE_LIMIT');
  const tokenRateLimit = rawTokenLimit === undefined ? undefined : parseAddressLimit(rawTokenLimit);
  if (rawTokenLimit !== undefined && !tokenRateLimit) problems.push(`SANDBOX_TOKEN_RATE_LIMIT must be "<requests>/<seconds>", e.g. 600/60 (got "${rawTokenLimit}").`);

  // The token endpoint hands a token for any role to anyone: development only, unless asked for.
  const devToken = value('SANDBOX_DEV_TOKEN') ?? (value('LEVENSLOOP_ENV') === 'production' ? 'false' : undefined);
  if (devToken !== undefined && !['true', 'false'].includes(devToken)) problems.push(`SANDBOX_DEV_TOKEN must be true or false (got "${devToken}").`);
  const consoleClientId = value('OIDC_CLIENT_ID');
  if (consoleClientId !== undefined && !/^[\x21-\x7e]{1,200}$/.test(consoleClientId)) problems.push(`OIDC_CLIENT_ID must be printable and without spaces (got "${consoleClientId}").`);
  const consoleUrls = value('SANDBOX_CONSOLE_URLS')?.split(',').map((u) => u.trim().replace(/\/+$/, '')).filter(Boolean);
  for (const url of consoleUrls ?? []) {
    const protocol = protocolOf(url);
    if ((protocol !== 'http:' && protocol !== 'https:') || new URL(url).search || new URL(url).hash) {
      problems.push(`SANDBOX_CONSOLE_URLS must list the console's http(s) base URLs, comma-separated, e.g. http://127.0.0.1:3200 (got "${url}").`);
    }
  }
  const accessTokenTtlSeconds = value('SANDBOX_ACCESS_TOKEN_TTL_SECONDS') === undefined ? undefined : integer('SANDBOX_ACCESS_TOKEN_TTL_SECONDS', 900, 30, 86_400);
  const signInAgencies = value('SANDBOX_SIGN_IN_AGENCIES')?.split(',').map((a) => a.trim()).filter(Boolean);
  for (const agency of signInAgencies ?? []) {
    if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(agency)) problems.push(`SANDBOX_SIGN_IN_AGENCIES must list agency codes (small letters, digits, dashes), comma-separated (got "${agency}").`);
  }

  const logLevel = value('LOG_LEVEL') ?? 'info';
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${logLevel}").`);

  const signing = readSigningKeys(env);
  problems.push(...signing.problems);

  if (problems.length) throw new SandboxConfigError(problems);
  return {
    agencySigningKeys: signing.keys,
    port,
    ...(maxTraceSpans !== undefined ? { maxTraceSpans } : {}),
    agencyLatencyMs,
    audience: value('OIDC_AUDIENCE') ?? 'levensloop',
    logLevel,
    ...(publicUrl ? { publicUrl } : {}),
    ...(value('SANDBOX_HOST') ? { host: value('SANDBOX_HOST') } : {}),
    ...(value('SANDBOX_OIDC_KEY_FILE') ? { oidcKeyFile: value('SANDBOX_OIDC_KEY_FILE') } : {}),
    ...(value('SANDBOX_POPULATION_SEED') ? { populationSeed: value('SANDBOX_POPULATION_SEED') } : {}),
    ...(value('SANDBOX_SOURCES_TOKEN') ? { sourcesToken: value('SANDBOX_SOURCES_TOKEN') } : {}),
    ...(eventsUrl ? { eventsUrl } : {}),
    smtpPort,
    smsReportDelayMs,
    ...(value('SANDBOX_SMS_TOKEN') ? { smsToken: value('SANDBOX_SMS_TOKEN') } : {}),
    ...(value('SANDBOX_SMS_CALLBACK_SECRET') ? { smsCallbackSecret: value('SANDBOX_SMS_CALLBACK_SECRET') } : {}),
    ...(value('SANDBOX_ECOUNTER_TOKEN') ? { ecounterToken: value('SANDBOX_ECOUNTER_TOKEN') } : {}),
    ...(mailReportUrl && value('SANDBOX_MAIL_REPORT_SECRET') ? { mailReports: { url: mailReportUrl, secret: value('SANDBOX_MAIL_REPORT_SECRET')! } } : {}),
    ...(tokenRateLimit ? { tokenRateLimit } : {}),
    ...(devToken === 'true' || devToken === 'false' ? { devTokens: devToken === 'true' } : {}),
    ...(consoleClientId ? { consoleClientId } : {}),
    ...(consoleUrls?.length ? { consoleUrls } : {}),
    ...(accessTokenTtlSeconds !== undefined ? { accessTokenTtlSeconds } : {}),
    ...(signInAgencies ? { signInAgencies } : {}),
    ...(value('SANDBOX_PAYMENT_TOKEN') ? { paymentToken: value('SANDBOX_PAYMENT_TOKEN') } : {}),
    ...(value('SANDBOX_PAYMENT_WEBHOOK_SECRET') ? { paymentWebhookSecret: value('SANDBOX_PAYMENT_WEBHOOK_SECRET') } : {}),
  };
}
