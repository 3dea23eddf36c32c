/**
 * Which claims of an access token say who the caller is. The defaults are the names the sandbox's
 * issuer uses; another OpenID provider (the Flemish government's ACM/IDM, Keycloak, Entra ID…)
 * plugs in by naming its own claims, without a change of code.
 */
export interface ClaimNames {
  /** OIDC_ROLES_CLAIM (default `roles`): the caller's roles, an array of strings or one space- or comma-separated string. */
  roles: string;
  /** OIDC_AGENCY_CLAIM (default `agency`): the agency an agency admin or caseworker acts for. */
  agency: string;
  /** OIDC_NATIONAL_NUMBER_CLAIM (default `national_number`): the person a citizen is (11 digits). */
  nationalNumber: string;
  /** OIDC_ENTERPRISE_NUMBER_CLAIM (default `enterprise_number`): the enterprise a citizen acts for (10 digits). */
  enterpriseNumber: string;
  /**
   * OIDC_ROLE_VALUES (unset by default: the roles claim holds Levensloop's role names): the
   * provider's role values and the role each stands for, `value=role,…` (e.g.
   * `LB_Dossierbehandelaar=caseworker,LB_Toezicht=auditor`). When set, only mapped values count: a
   * value the map does not name grants nothing.
   */
  roleValues?: ReadonlyMap<string, string>;
}

export const DEFAULT_CLAIM_NAMES: Readonly<ClaimNames> = {
  roles: 'roles',
  agency: 'agency',
  nationalNumber: 'national_number',
  enterpriseNumber: 'enterprise_number',
};

const SETTINGS: ReadonlyArray<[Exclude<keyof ClaimNames, 'roleValues'>, string]> = [
  ['roles', 'OIDC_ROLES_CLAIM'],
  ['agency', 'OIDC_AGENCY_CLAIM'],
  ['nationalNumber', 'OIDC_NATIONAL_NUMBER_CLAIM'],
  ['enterpriseNumber', 'OIDC_ENTERPRISE_NUMBER_CLAIM'],
];

/** A claim name, or a dotted path into nested claims (`realm_access.roles`); printable, no spaces. */
const CLAIM_NAME = /^[\x21-\x7e]{1,200}$/;

export function readClaimNames(env: Record<string, string | undefined>): { claims: ClaimNames; problems: string[] } {
  const problems: string[] = [];
  const claims: ClaimNames = { ...DEFAULT_CLAIM_NAMES };
  for (const [key, name] of SETTINGS) {
    const value = env[name]?.trim();
    if (!value) continue;
    if (!CLAIM_NAME.test(value) || value.startsWith('.') || value.endsWith('.')) {
      problems.push(`${name} must be a claim name or a dotted path to a nested claim, printable and without spaces (got ${JSON.stringify(value)})`);
    } else claims[key] = value;
  }
  const names = SETTINGS.map(([key]) => claims[key]);
  if (new Set(names).size !== names.length) problems.push(`OIDC_*_CLAIM settings must name four different claims (got ${names.join(', ')})`);
  const roleValues = readRoleValues(env.OIDC_ROLE_VALUES, problems);
  return { claims: roleValues ? { ...claims, roleValues } : claims, problems };
}

const ROLE_VALUE_ENTRY = /^([^=,\s]{1,200})=([a-z][a-z-]{0,49})$/;

/** `value=role,…`: each provider value once; a role may stand for several values. */
function readRoleValues(setting: string | undefined, problems: string[]): ReadonlyMap<string, string> | undefined {
  if (!setting?.trim()) return undefined;
  const map = new Map<string, string>();
  for (const entry of setting.split(',').map((e) => e.trim()).filter(Boolean)) {
    const match = ROLE_VALUE_ENTRY.exec(entry);
    if (!match) problems.push(`OIDC_ROLE_VALUES entries must be value=role (a provider value without spaces, commas or '=', and a role name such as caseworker), got ${JSON.stringify(entry)}`);
    else if (map.has(match[1])) problems.push(`OIDC_ROLE_VALUES names the provider value ${JSON.stringify(match[1])} twice`);
    else map.set(match[1], match[2]);
  }
  if (!map.size && !problems.length) problems.push('OIDC_ROLE_VALUES is set but names no value=role entry');
  return map;
}

/**
 * A claim's value: the claim of that exact name first (names such as `https://example.org/roles`
 * hold dots), else the dotted path into nested objects (`realm_access.roles`).
 */
export function claimValue(payload: Record<string, unknown>, name: string): unknown {
  if (name in payload) return payload[name];
  let value: unknown = payload;
  for (const part of name.split('.')) {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** The claims that say who the caller is, read through the configured names. */
export interface IdentityClaims {
  roles: string[];
  agency?: string;
  nationalNumber?: string;
  enterpriseNumber?: string;
}

export function identityClaims(payload: Record<string, unknown>, names: ClaimNames): IdentityClaims {
  const text = (name: string) => {
    const value = claimValue(payload, name);
    if (typeof value === 'string' && value.trim()) return value.trim();
    // Some providers give numbers as numbers; enterprise numbers keep their leading zero only as text.
    return undefined;
  };
  const rawRoles = claimValue(payload, names.roles);
  const roles = Array.isArray(rawRoles)
    ? rawRoles.filter((r): r is string => typeof r === 'string')
    : typeof rawRoles === 'string'
      ? rawRoles.split(/[\s,]+/).filter(Boolean)
      : [];
  // With a map of the provider's values, only what it names counts (a value it does not know grants nothing).
  const mapped = names.roleValues ? [...new Set(roles.flatMap((r) => (names.roleValues!.has(r) ? [names.roleValues!.get(r)!] : [])))] : roles;
  return {
    roles: mapped,
    agency: text(names.agency),
    nationalNumber: text(names.nationalNumber),
    enterpriseNumber: text(names.enterpriseNumber),
  };
}
