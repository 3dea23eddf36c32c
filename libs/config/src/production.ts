/**
 * The production profile (LEVENSLOOP_ENV=production): development conveniences that must never
 * reach real agencies and citizens make a process refuse to start, naming each reason.
 */
export const PROFILES = ['development', 'production'] as const;
export type Profile = (typeof PROFILES)[number];

import { DEVELOPMENT_LOG_PSEUDONYM_KEY } from './log-redaction';

export type Env = Record<string, string | undefined>;

/**
 * One check of the production profile: given the environment, the reasons it refuses (empty
 * when it is satisfied). Each concern adds its own check to PRODUCTION_CHECKS.
 */
export type ProductionCheck = (env: Env) => string[];

export const PRODUCTION_CHECKS: ProductionCheck[] = [
  logPseudonymKeyCheck,
];

/** The key of the hashes that stand for national and enterprise numbers in logs must be a secret. */
function logPseudonymKeyCheck(env: Env): string[] {
  const key = env.LOG_PSEUDONYM_KEY?.trim();
  if (!key || key === DEVELOPMENT_LOG_PSEUDONYM_KEY) return ['LOG_PSEUDONYM_KEY is the development default: set a secret of at least 32 characters (it keys the hashes that replace national and enterprise numbers in logs)'];
  if (key.length < 32) return [`LOG_PSEUDONYM_KEY is ${key.length} characters long: use a secret of at least 32`];
  return [];
}

/** Every reason the production profile refuses this environment. */
export function productionRefusals(env: Env): string[] {
  return PRODUCTION_CHECKS.flatMap((check) => check(env));
}
