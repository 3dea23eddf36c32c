/**
 * How the gateway checks access tokens beyond the issuer and audience: which signature
 * algorithms it accepts, how much clock skew it forgives, and how long it keeps the issuer's keys.
 */
export interface TokenChecks {
  /** OIDC_ALGORITHMS (default RS256,ES256,PS256): the only signature algorithms accepted. */
  algorithms: string[];
  /** OIDC_CLOCK_TOLERANCE_SECONDS (default 5, at most 30): skew forgiven on exp and nbf. */
  clockToleranceSeconds: number;
  /**
   * OIDC_JWKS_MAX_AGE_SECONDS (default 30, at most 300): how long the issuer's JWKS is kept, and
   * how long a verified token is remembered; a key withdrawn from the JWKS is refused at the
   * latest twice this long after.
   */
  jwksMaxAgeSeconds: number;
}

export const DEFAULT_ALGORITHMS = ['RS256', 'ES256', 'PS256'];
export const MAX_CLOCK_TOLERANCE_SECONDS = 30;

/** Asymmetric JWS algorithms: a token verifies only with the issuer's public key, never signs with it. */
const ASYMMETRIC = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA', 'Ed25519'];

type Env = Record<string, string | undefined>;

export function readTokenChecks(env: Env): { checks: TokenChecks; problems: string[] } {
  const problems: string[] = [];
  const raw = env.OIDC_ALGORITHMS?.trim();
  const algorithms = raw ? raw.split(',').map((a) => a.trim()).filter(Boolean) : DEFAULT_ALGORITHMS;
  for (const alg of algorithms) {
    if (alg.toLowerCase() === 'none' || /^HS\d+$/i.test(alg)) {
      // `none` is unsigned; with HS* anyone holding the issuer's public key could sign tokens.
      problems.push(`OIDC_ALGORITHMS must not contain ${alg}: only asymmetric algorithms are accepted (${ASYMMETRIC.join(', ')})`);
    } else if (!ASYMMETRIC.includes(alg)) {
      problems.push(`OIDC_ALGORITHMS lists an unknown algorithm ${alg} (use some of ${ASYMMETRIC.join(', ')})`);
    }
  }
  if (!algorithms.length) problems.push(`OIDC_ALGORITHMS must name at least one algorithm (default ${DEFAULT_ALGORITHMS.join(',')})`);
  const int = (name: string, fallback: number, min: number, max: number) => {
    const value = env[name]?.trim();
    if (!value) return fallback;
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
      problems.push(`${name} must be an integer between ${min} and ${max} (got ${value})`);
      return fallback;
    }
    return Number(value);
  };
  return {
    checks: {
      algorithms,
      clockToleranceSeconds: int('OIDC_CLOCK_TOLERANCE_SECONDS', 5, 0, MAX_CLOCK_TOLERANCE_SECONDS),
      jwksMaxAgeSeconds: int('OIDC_JWKS_MAX_AGE_SECONDS', 30, 1, 300),
    },
    problems,
  };
}
