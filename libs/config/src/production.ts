import { internalRange } from '@levensloop/agency-client';
import * as ipaddr from 'ipaddr.js';
import { DEVELOPMENT_LOG_PSEUDONYM_KEY } from './log-redaction';
import { temporalChecks } from './temporal';
import { documentStoreChecks } from './documents';

/**
 * The production profile (LEVENSLOOP_ENV=production): development conveniences that must never
 * reach real agencies and citizens make a process refuse to start, naming each reason.
 */
export const PROFILES = ['development', 'production'] as const;
export type Profile = (typeof PROFILES)[number];

export type Env = Record<string, string | undefined>;

/**
 * LEVENSLOOP_ENV, read the one way by every process and command: the profile, and a problem when
 * the value names none (the process refuses to start; until then it is held to production's rules).
 */
export function readProfile(env: Env): { profile: Profile; problem?: string } {
  const given = env.LEVENSLOOP_ENV?.trim() || 'development';
  if ((PROFILES as readonly string[]).includes(given)) return { profile: given as Profile };
  return { profile: 'production', problem: `LEVENSLOOP_ENV must be ${PROFILES.join(' or ')} (got ${given})` };
}

/**
 * One check of the production profile: given the environment, the reasons it refuses (empty
 * when it is satisfied). Each concern adds its own check to PRODUCTION_CHECKS.
 */
export type ProductionCheck = (env: Env) => string[];

/**
 * The secrets the sandbox (and `npm start`) use by default. Anything in a production environment
 * that equals one of them is a development setting that slipped through.
 */
export const SANDBOX_DEFAULT_SECRETS: Readonly<Record<string, string>> = {
  SMS_GATEWAY_TOKEN: 'sandbox-sms-token',
  SMS_CALLBACK_SECRET: 'sandbox-sms-secret',
  ECOUNTER_TOKEN: 'sandbox-ecounter-token',
  SOURCES_TOKEN: 'sandbox-sources-token',
};

/** The sandbox's development issuer is at `<sandbox>/oidc`, with its token endpoint at `/oidc/dev-token`. */
export const SANDBOX_ISSUER_PATH = '/oidc';
export const DEV_TOKEN_PATH = '/dev-token';
/** The member of the sandbox's discovery document that says it is the sandbox (its sign-in page takes anyone). */
export const SANDBOX_DISCOVERY_MARK = 'levensloop_sandbox';

const value = (env: Env, name: string) => env[name]?.trim() || undefined;

/** The issuer and its keys come over https, and the issuer is not the sandbox's development issuer. */
export function issuerChecks(env: Env): string[] {
  const reasons: string[] = [];
  const issuer = value(env, 'OIDC_ISSUER');
  const jwksUrl = value(env, 'OIDC_JWKS_URL') ?? (issuer ? `${issuer.replace(/\/+$/, '')}/jwks` : undefined);
  for (const [name, url] of [['OIDC_ISSUER', issuer], ['OIDC_JWKS_URL', jwksUrl]] as const) {
    if (url && /^http:/i.test(url)) reasons.push(`${name} is plain http (${url}): tokens and the issuer's keys must come over https`);
  }
  if (issuer) {
    const normalized = issuer.replace(/\/+$/, '');
    for (const name of ['SANDBOX_URL', 'SANDBOX_PUBLIC_URL']) {
      const sandbox = value(env, name)?.replace(/\/+$/, '');
      if (sandbox && normalized === `${sandbox}${SANDBOX_ISSUER_PATH}`) {
        reasons.push(`OIDC_ISSUER is the sandbox's development issuer (${name}${SANDBOX_ISSUER_PATH}), which hands out a token for any role at ${SANDBOX_ISSUER_PATH}${DEV_TOKEN_PATH}`);
      }
    }
  }
  return reasons;
}

/** Development sign-in (pick any role in the console) is off. */
export function devSignInChecks(env: Env): string[] {
  return value(env, 'CONSOLE_DEV_SIGN_IN') === 'true'
    ? ['CONSOLE_DEV_SIGN_IN=true lets anyone sign in to the console as any role through a development issuer; set it to false']
    : [];
}

/** The names of the secrets production needs: the fixed ones and every per-source token. */
const secretNames = (env: Env) => [...Object.keys(SANDBOX_DEFAULT_SECRETS), ...Object.keys(env).filter((name) => /^SOURCE_[A-Z0-9_]+_TOKEN$/.test(name)).sort()];

/** No secret is a sandbox default, and the secrets production needs are set. */
export function secretChecks(env: Env): string[] {
  const reasons: string[] = [];
  const defaults = new Set(Object.values(SANDBOX_DEFAULT_SECRETS));
  for (const name of secretNames(env)) {
    const secret = value(env, name);
    if (secret && defaults.has(secret)) reasons.push(`${name} is the sandbox's default secret ('${secret}'); set a secret of your own`);
  }
  // Without it every SMS delivery report is refused, and a report could not be told from a forgery.
  if (value(env, 'SMS_GATEWAY_URL') && !value(env, 'SMS_CALLBACK_SECRET')) {
    reasons.push('SMS_CALLBACK_SECRET is not set while SMS_GATEWAY_URL is: the SMS gateway\'s delivery reports must be signed');
  }
  // The same for mail: without it every bounce report is refused, and a bounce could not be told from a forgery.
  if (value(env, 'SMTP_URL') && !value(env, 'EMAIL_CALLBACK_SECRET')) {
    reasons.push("EMAIL_CALLBACK_SECRET is not set while SMTP_URL is: the mail side's delivery reports (bounces) must be signed");
  }
  return reasons;
}

/** Browsers of named https origins only. */
export function corsChecks(env: Env): string[] {
  const reasons: string[] = [];
  for (const origin of (env.CORS_ORIGINS ?? '').split(',').map((o) => o.trim()).filter(Boolean)) {
    if (origin.includes('*')) reasons.push(`CORS_ORIGINS allows every origin (${origin}); name the console's https origin instead`);
    else if (/^http:/i.test(origin)) reasons.push(`CORS_ORIGINS lists a plain-http origin (${origin}); only https origins may call the API from a browser`);
  }
  return reasons;
}

/** Host names that always mean this machine or a local network. */
const LOCAL_NAME = /(^|\.)(localhost|localdomain|local|internal|home\.arpa)$/i;

/** `host:port`, `[v6]:port`, or a bare host: the host part. */
export function hostOf(entry: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(entry);
  if (bracketed) return bracketed[1];
  const parts = entry.split(':');
  if (parts.length === 2) return parts[0];
  return entry; // a bare host, or an IPv6 address without brackets
}

/**
 * What makes a host internal (the range of an address, or a name that only means something
 * locally), or undefined when nothing in its text says so; the range is the agency client's own
 * classification, so both refuse the same addresses.
 */
export function internalHostReason(host: string): string | undefined {
  const bare = host.replace(/\.$/, '');
  if (ipaddr.isValid(bare)) return internalRange(bare);
  if (LOCAL_NAME.test(bare)) return 'a local host name';
  if (!bare.includes('.')) return 'a single-label (local) host name';
  return undefined;
}

/**
 * The agency-host allow-list (AGENCY_ALLOWED_INTERNAL_HOSTS) is empty: an entry makes the agency
 * client skip the address guard for that host, and a public-looking name such as
 * db.corp.example.com may well resolve to an internal address, so no entry is safe in production.
 */
export function agencyHostChecks(env: Env): string[] {
  const reasons: string[] = [];
  for (const entry of (env.AGENCY_ALLOWED_INTERNAL_HOSTS ?? '').split(',').map((e) => e.trim()).filter(Boolean)) {
    const reason = internalHostReason(hostOf(entry));
    reasons.push(`AGENCY_ALLOWED_INTERNAL_HOSTS lets agency calls reach ${entry}${reason ? `, ${reason},` : ''} without the check of its address; production allows no internal hosts: leave it empty`);
  }
  return reasons;
}

/** The key of the hashes that stand for national and enterprise numbers in logs must be a secret. */
export function logPseudonymKeyCheck(env: Env): string[] {
  const key = env.LOG_PSEUDONYM_KEY?.trim();
  if (!key || key === DEVELOPMENT_LOG_PSEUDONYM_KEY) return ['LOG_PSEUDONYM_KEY is the development default: set a secret of at least 32 characters (it keys the hashes that replace national and enterprise numbers in logs)'];
  if (key.length < 32) return [`LOG_PSEUDONYM_KEY is ${key.length} characters long: use a secret of at least 32`];
  return [];
}

export const PRODUCTION_CHECKS: ProductionCheck[] = [issuerChecks, devSignInChecks, secretChecks, corsChecks, agencyHostChecks, logPseudonymKeyCheck, temporalChecks, documentStoreChecks];

/** Every reason the production profile refuses this environment. */
export function productionRefusals(env: Env): string[] {
  return PRODUCTION_CHECKS.flatMap((check) => check(env));
}
