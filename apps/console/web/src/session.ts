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
}

const KEY = 'levensloop.session';

export function decodeToken(token: string): Session {
  const part = token.split('.')[1] ?? '';
  const json = atob(part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '='));
  const claims = JSON.parse(decodeURIComponent(escape(json))) as Record<string, unknown>;
  const str = (k: string) => (typeof claims[k] === 'string' ? (claims[k] as string) : undefined);
  return {
    token,
    sub: str('sub') ?? '',
    roles: Array.isArray(claims.roles) ? (claims.roles as string[]) : [],
    agency: str('agency'),
    nationalNumber: str('national_number'),
    enterpriseNumber: str('enterprise_number'),
    name: str('name'),
    exp: typeof claims.exp === 'number' ? claims.exp : 0,
  };
}

/** Kept for the browser tab only (sessionStorage): closing the tab signs out. */
export function loadSession(): Session | undefined {
  const token = sessionStorage.getItem(KEY);
  if (!token) return undefined;
  try {
    const session = decodeToken(token);
    if (session.exp * 1000 > Date.now() + 10_000) return session;
  } catch {
    // a token we cannot read: sign in again
  }
  sessionStorage.removeItem(KEY);
  return undefined;
}

export function saveSession(token: string): Session {
  const session = decodeToken(token);
  sessionStorage.setItem(KEY, token);
  return session;
}

export function clearSession() {
  sessionStorage.removeItem(KEY);
}

export const hasRole = (s: Session | undefined, ...roles: string[]) => !!s && roles.some((r) => s.roles.includes(r));
/** The ids a citizen acts as (their own). */
export const ownIds = (s: Session | undefined) => [s?.nationalNumber, s?.enterpriseNumber].filter((x): x is string => !!x);
