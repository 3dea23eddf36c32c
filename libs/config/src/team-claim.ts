import { claimValue, type ClaimNames } from './claims';

/**
 * OIDC_TEAMS_CLAIM (default `teams`): the claim with the teams of their agency a caseworker works
 * for (an array, or one string separated by spaces or commas), named like the other claims: an
 * exact name or a dotted path into nested claims. A caseworker without it works the agency's tasks
 * of no team (and what is assigned to them).
 */
export const DEFAULT_TEAMS_CLAIM = 'teams';

const CLAIM_NAME = /^[\x21-\x7e]{1,200}$/;

export function readTeamsClaim(env: Record<string, string | undefined>, others: ClaimNames): { name: string; problems: string[] } {
  const value = env.OIDC_TEAMS_CLAIM?.trim();
  if (!value) return { name: DEFAULT_TEAMS_CLAIM, problems: [] };
  if (!CLAIM_NAME.test(value) || value.startsWith('.') || value.endsWith('.')) {
    return { name: DEFAULT_TEAMS_CLAIM, problems: [`OIDC_TEAMS_CLAIM must be a claim name or a dotted path to a nested claim, printable and without spaces (got ${JSON.stringify(value)})`] };
  }
  if (Object.values(others).includes(value)) return { name: value, problems: [`OIDC_TEAMS_CLAIM must name a claim of its own (${value} is already another OIDC_*_CLAIM)`] };
  return { name: value, problems: [] };
}

/** The teams in a token, read through the configured name: only team-code-like texts, at most 50. */
export function teamsOf(payload: Record<string, unknown>, name: string): string[] {
  const raw = claimValue(payload, name);
  const list = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(/[\s,]+/) : [];
  return [...new Set(list.filter((t): t is string => typeof t === 'string' && /^[a-z0-9][a-z0-9-]{0,62}[a-z0-9]$/.test(t)))].slice(0, 50);
}
