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
}

export const DEFAULT_CLAIM_NAMES: Readonly<ClaimNames> = {
  roles: 'roles',
  agency: 'agency',
  nationalNumber: 'national_number',
  enterpriseNumber: 'enterprise_number',
};

const SETTINGS: ReadonlyArray<[keyof ClaimNames, string]> = [
  ['roles', 'OIDC_ROLES_CLAIM'],
  ['agency', 'OIDC_AGENCY_CLAIM'],
  ['nationalNumber', 'OIDC_NATIONAL_NUMBER_CLAIM'],
  ['enterpriseNumber', 'OIDC_ENTERPRISE_NUMBER_CLAIM'],
];

/** A claim name, or a dotted path into nested claims (`realm_access.roles`); printable, no spaces. */
const CLAIM_NAME = /^[\x21-\x7e]{1,200}$/;

export function readClaimNames(env: Record<string, string | undefined>): { claims: ClaimNames; problems: string[] } {
  const problems: string[] = [];
  const claims = { ...DEFAULT_CLAIM_NAMES };
  for (const [key, name] of SETTINGS) {
    const value = env[name]?.trim();
    if (!value) continue;
    if (!CLAIM_NAME.test(value) || value.startsWith('.') || value.endsWith('.')) {
      problems.push(`${name} must be a claim name or a dotted path to a nested claim, printable and without spaces (got ${JSON.stringify(value)})`);
    } else claims[key] = value;
  }
  const names = Object.values(claims);
  if (new Set(names).size !== names.length) problems.push(`OIDC_*_CLAIM settings must name four different claims (got ${names.join(', ')})`);
  return { claims, problems };
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
  return {
    roles,
    agency: text(names.agency),
    nationalNumber: text(names.nationalNumber),
    enterpriseNumber: text(names.enterpriseNumber),
  };
}
