import { SOURCE_CATALOG } from '@levensloop/sources';

/**
 * `source`: an authentic source publishing its events to the engine; `print-service`: the print shop
 * taking paper letters; `supervisor`: of an agency, told of escalations, reassigns its tasks.
 */
export const ROLES = ['catalog-admin', 'agency-admin', 'caseworker', 'citizen', 'auditor', 'source', 'print-service', 'supervisor'] as const;
/** Roles of an agency's staff: their token names the agency. */
export const AGENCY_ROLES: readonly Role[] = ['caseworker', 'agency-admin', 'supervisor'];
export type Role = (typeof ROLES)[number];

/** What `POST /oidc/dev-token` (JSON body) and `GET /oidc/dev-token` (query) accept. */
export interface TokenRequest {
  role: Role;
  sub?: string;
  agency?: string;
  nationalNumber?: string;
  enterpriseNumber?: string;
  /** For role `source`: which source (a key of the source catalog). */
  source?: string;
  name?: string;
  /** For caseworkers: the teams of their agency (team codes), in the `teams` claim. */
  teams?: string[];
  ttlSeconds?: number;
}

export const DEFAULT_TTL_SECONDS = 3600;
export const MAX_TTL_SECONDS = 86_400;
const FIELDS = ['role', 'sub', 'agency', 'nationalNumber', 'enterpriseNumber', 'source', 'name', 'teams', 'ttlSeconds'] as const;
const TEAM_CODE = /^[a-z0-9][a-z0-9-]{0,62}[a-z0-9]$/;
const STRING_FIELDS = ['sub', 'agency', 'nationalNumber', 'enterpriseNumber', 'source', 'name'] as const;
const SOURCE_KEYS = Object.keys(SOURCE_CATALOG);

export type TokenRequestParse = { ok: true; request: TokenRequest } | { ok: false; errors: string[] };

/**
 * Validates a token request. Agency staff need the agency they work for; a citizen needs the
 * national number (11 digits) or the enterprise number (10 digits) they act as.
 * `fromQuery` accepts ttlSeconds as a string of digits.
 */
export function parseTokenRequest(input: unknown, fromQuery = false): TokenRequestParse {
  if (!input || typeof input !== 'object' || Array.isArray(input)) {
    return { ok: false, errors: ['Send a JSON object { role, sub?, agency?, nationalNumber?, enterpriseNumber?, source?, name?, ttlSeconds? }.'] };
  }
  const body = input as Record<string, unknown>;
  const errors: string[] = [];
  for (const key of Object.keys(body)) {
    if (!(FIELDS as readonly string[]).includes(key)) errors.push(`Unknown field "${key}"; use ${FIELDS.join(', ')}.`);
  }

  const strings: Partial<Record<(typeof STRING_FIELDS)[number], string>> = {};
  for (const field of STRING_FIELDS) {
    const value = body[field];
    if (value === undefined) continue;
    if (typeof value !== 'string' || !value.trim()) errors.push(`${field} must be a non-empty string.`);
    else if (value.length > 200) errors.push(`${field} must be at most 200 characters.`);
    else strings[field] = value.trim();
  }

  const role = body.role;
  if (role === undefined) errors.push(`role is required: one of ${ROLES.join(', ')}.`);
  else if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) errors.push(`role must be one of ${ROLES.join(', ')}.`);
  else if ((AGENCY_ROLES as readonly string[]).includes(role) && body.agency === undefined) {
    errors.push(`A ${role} token needs agency: the key of the agency they work for.`);
  } else if (role === 'citizen' && body.nationalNumber === undefined && body.enterpriseNumber === undefined) {
    errors.push('A citizen token needs nationalNumber (11 digits) or enterpriseNumber (10 digits): who the citizen is or acts for.');
  } else if (role === 'source' && body.source === undefined) {
    errors.push(`A source token needs source: which authentic source publishes (${SOURCE_KEYS.join(', ')}).`);
  }
  if (strings.source !== undefined && !SOURCE_KEYS.includes(strings.source)) {
    errors.push(`source must be one of ${SOURCE_KEYS.join(', ')} (got "${strings.source}").`);
  }
  if (strings.nationalNumber !== undefined && !/^\d{11}$/.test(strings.nationalNumber)) {
    errors.push('nationalNumber must be 11 digits, without dots or dashes (e.g. 85073003328).');
  }
  if (strings.enterpriseNumber !== undefined && !/^\d{10}$/.test(strings.enterpriseNumber)) {
    errors.push('enterpriseNumber must be 10 digits, without dots (e.g. 0123456749).');
  }

  // Teams: a list of team codes, or (in a query) one string separated by commas.
  let teams: string[] | undefined;
  if (body.teams !== undefined) {
    const raw = typeof body.teams === 'string' ? body.teams.split(',').map((t) => t.trim()).filter(Boolean) : body.teams;
    if (!Array.isArray(raw) || raw.length > 20 || !raw.every((t) => typeof t === 'string' && TEAM_CODE.test(t))) {
      errors.push('teams must be a list of at most 20 team codes (lowercase letters, digits, hyphens), e.g. ["intake"] or teams=intake,appeals.');
    } else if (role !== 'caseworker') errors.push('Only a caseworker token carries teams.');
    else teams = [...new Set(raw as string[])];
  }

  let ttlSeconds: number | undefined;
  if (body.ttlSeconds !== undefined) {
    const raw = body.ttlSeconds;
    const value = fromQuery && typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : raw;
    if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > MAX_TTL_SECONDS) {
      errors.push(`ttlSeconds must be an integer from 1 to ${MAX_TTL_SECONDS}.`);
    } else ttlSeconds = value as number;
  }

  if (errors.length) return { ok: false, errors };
  return { ok: true, request: { role: role as Role, ...strings, ...(teams ? { teams } : {}), ...(ttlSeconds !== undefined ? { ttlSeconds } : {}) } };
}

/** The subject when none is given: the role and who they are (`caseworker:municipality`). */
export function defaultSubject(request: TokenRequest): string {
  const who = request.agency ?? request.nationalNumber ?? request.enterpriseNumber ?? request.source;
  return who ? `${request.role}:${who}` : `${request.role}:dev`;
}
