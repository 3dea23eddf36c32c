/**
 * The production profile (LEVENSLOOP_ENV=production): development conveniences that must never
 * reach real agencies and citizens make a process refuse to start, naming each reason.
 */
export const PROFILES = ['development', 'production'] as const;
export type Profile = (typeof PROFILES)[number];

export type Env = Record<string, string | undefined>;

/**
 * One check of the production profile: given the environment, the reasons it refuses (empty
 * when it is satisfied). Each concern adds its own check to PRODUCTION_CHECKS.
 */
export type ProductionCheck = (env: Env) => string[];

export const PRODUCTION_CHECKS: ProductionCheck[] = [];

/** Every reason the production profile refuses this environment. */
export function productionRefusals(env: Env): string[] {
  return PRODUCTION_CHECKS.flatMap((check) => check(env));
}
