/** The signed-in person: the access token and the claims the console reads from it (the API checks them). */
export interface Session {
  token: string;
  sub: string;
  roles: string[];
  agency?: string;
  nationalNumber?: string;
  enterpriseNumber?: string;
  name?: string;
  /** Seconds since the epoch. */
  exp: number;
  /** How the person signed in: at the issuer (code flow) or with a development token. */
  via?: 'provider' | 'dev';
}

/** The claims that say who someone is, named as the gateway reads them (OIDC_*_CLAIM, served in config.json). */
export interface ClaimNames {
  roles: string;
  agency: string;
  nationalNumber: string;
  enterpriseNumber: string;
  /** OIDC_ROLE_VALUES: the provider's role values and the role each stands for (only mapped values count). */
  roleValues?: Record<string, string>;
}

export const DEFAULT_CLAIM_NAMES: ClaimNames = { roles: 'roles', agency: 'agency', nationalNumber: 'national_number', enterpriseNumber: 'enterprise_number' };

let claimNames: ClaimNames = DEFAULT_CLAIM_NAMES;
export function configureClaims(names: Partial<ClaimNames> | undefined) {
  claimNames = { ...DEFAULT_CLAIM_NAMES, ...names };
}

const KEY = 'levensloop.session';

/** A claim by its exact name, else by a dotted path into nested claims, as the gateway reads it. */
export function claimValue(claims: Record<string, unknown>, name: string): unknown {
  if (name in claims) return claims[name];
  let value: unknown = claims;
  for (const part of name.split('.')) {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/** The session a token stands for, from claims (the token's own, or the ID token's for an opaque access token). */
export function sessionFromClaims(token: string, claims: Record<string, unknown>, names: ClaimNames = claimNames): Session {
  const str = (k: string) => {
    const v = claimValue(claims, k);
    return typeof v === 'string' && v.trim() ? v.trim() : undefined;
  };
  const claimed = claimValue(claims, names.roles);
  const given = Array.isArray(claimed) ? claimed.filter((r): r is string => typeof r === 'string') : typeof claimed === 'string' ? claimed.split(/[\s,]+/).filter(Boolean) : [];
  const map = names.roleValues;
  const roles = map ? [...new Set(given.flatMap((r) => (Object.hasOwn(map, r) ? [map[r]] : [])))] : given;
  return {
    token,
    sub: str('sub') ?? '',
    roles,
    agency: str(names.agency),
    nationalNumber: str(names.nationalNumber),
    enterpriseNumber: str(names.enterpriseNumber),
    name: str('name'),
    exp: typeof claims.exp === 'number' ? claims.exp : 0,
  };
}

export function decodeToken(token: string, names: ClaimNames = claimNames): Session {
  const part = token.split('.')[1] ?? '';
  const json = atob(part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '='));
  const claims = JSON.parse(decodeURIComponent(escape(json))) as Record<string, unknown>;
  if (!claims || typeof claims !== 'object') throw new Error('not a JWT');
  return sessionFromClaims(token, claims, names);
}

/** Kept for the browser tab only (sessionStorage): closing the tab signs out. */
export function loadSession(): Session | undefined {
  const token = sessionStorage.getItem(KEY);
  if (!token) return undefined;
  try {
    const session = decodeToken(token);
    if (session.exp * 1000 > Date.now() + 10_000) return { ...session, via: 'dev' };
  } catch {
    // a token we cannot read: sign in again
  }
  sessionStorage.removeItem(KEY);
  return undefined;
}

/** A development token, kept for the tab. */
export function saveSession(token: string): Session {
  const session = decodeToken(token);
  sessionStorage.setItem(KEY, token);
  return { ...session, via: 'dev' };
}

export function clearSession() {
  sessionStorage.removeItem(KEY);
}

export const hasRole = (s: Session | undefined, ...roles: string[]) => !!s && roles.some((r) => s.roles.includes(r));
/** The ids a citizen acts as (their own). */
export const ownIds = (s: Session | undefined) => [s?.nationalNumber, s?.enterpriseNumber].filter((x): x is string => !!x);
