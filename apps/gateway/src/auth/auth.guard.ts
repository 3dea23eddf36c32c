import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify, type JWTPayload } from 'jose';
import { LRUCache } from 'lru-cache';
import { DEFAULT_CLAIM_NAMES, DEFAULT_TEAMS_CLAIM, identityClaims, teamsOf, type ClaimNames, type LevensloopConfig } from '@levensloop/config';
import { CONFIG } from '../config.provider';
import { ProblemException } from '../common/problem';
import { PUBLIC_KEY, ROLES_KEY } from './decorators';
import { ROLES, type Principal, type Role } from './principal';

const unauthorized = (detail: string) =>
  new ProblemException(401, detail, { slug: 'unauthorized', title: 'Unauthorized' });

/**
 * Verifies the bearer JWT against the issuer's JWKS and checks the endpoint's roles. Only the
 * configured asymmetric algorithms are accepted (never `none` or HS*), `exp`, `sub` and `aud` are
 * required, and at most OIDC_CLOCK_TOLERANCE_SECONDS of clock skew is forgiven.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly jwks: ReturnType<typeof createRemoteJWKSet>;
  /**
   * Tokens already verified, until they expire but at most OIDC_JWKS_MAX_AGE_SECONDS: a client
   * sends the same token many times, and the signature check is the costliest part of a small
   * request. The JWKS is kept as long, so a key withdrawn from the issuer's JWKS is refused at
   * the latest twice that long after (default 30 s + 30 s).
   */
  private readonly verified: LRUCache<string, JWTPayload>;
  private readonly maxAgeMs: number;
  /** OIDC_*_CLAIM; today's names for a configuration made without them. */
  private readonly claimNames: ClaimNames;
  /** OIDC_TEAMS_CLAIM. */
  private readonly teamsClaim: string;

  constructor(
    private readonly reflector: Reflector,
    @Inject(CONFIG) private readonly config: LevensloopConfig,
  ) {
    this.maxAgeMs = config.auth.jwksMaxAgeSeconds * 1000;
    this.claimNames = config.auth.claims ?? DEFAULT_CLAIM_NAMES;
    this.teamsClaim = config.auth.teamsClaim ?? DEFAULT_TEAMS_CLAIM;
    this.verified = new LRUCache<string, JWTPayload>({ max: 10_000, ttl: this.maxAgeMs });
    // An unknown kid fetches the JWKS again (a rotated key), but not more than every 10 s.
    this.jwks = createRemoteJWKSet(new URL(config.auth.jwksUrl), {
      cacheMaxAge: this.maxAgeMs,
      cooldownDuration: Math.min(10_000, this.maxAgeMs),
    });
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest();
    const header: string | undefined = request.headers.authorization;
    const token = header?.match(/^Bearer\s+(\S+)$/i)?.[1];
    if (!token) throw unauthorized('Send an access token in the Authorization header: "Bearer <token>".');

    let payload = this.verified.get(token);
    if (!payload) payload = await this.verify(token);
    const principal = toPrincipal(payload, this.claimNames, this.teamsClaim);
    request.principal = principal;

    const required = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (required?.length && !required.some((r) => principal.roles.includes(r))) {
      throw new ProblemException(403, `This needs one of the roles: ${required.join(', ')}.`, { slug: 'forbidden' });
    }
    return true;
  }

  private async verify(token: string): Promise<JWTPayload> {
    const { issuer, audience, algorithms, clockToleranceSeconds } = this.config.auth;
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.jwks, {
        issuer,
        audience,
        algorithms,
        requiredClaims: ['exp', 'sub', 'aud'],
        clockTolerance: clockToleranceSeconds,
      }));
    } catch (err) {
      const code = (err as { code?: string }).code;
      // The JWKS could not be fetched (no answer, not 200, not a key set): the issuer's fault, not the token's.
      const unreachable = err instanceof TypeError && /fetch/i.test(err.message);
      if (unreachable || code === 'ERR_JWKS_TIMEOUT' || code === 'ERR_JOSE_GENERIC' || code === 'ERR_JWKS_INVALID') {
        throw new ProblemException(503, 'The token issuer cannot be reached; try again shortly.', { slug: 'issuer-unavailable' });
      }
      throw unauthorized(`The access token was refused: ${refusalReason(err, token, this.config.auth)}`);
    }
    if (typeof payload.sub !== 'string' || !payload.sub.trim()) throw unauthorized('The access token was refused: its "sub" claim must name the subject (a non-empty string).');
    const untilExpiry = payload.exp! * 1000 - Date.now();
    if (untilExpiry > 1000) this.verified.set(token, payload, { ttl: Math.min(this.maxAgeMs, untilExpiry) });
    return payload;
  }
}

/** What was wrong with a token, in words, without echoing the token or its claims' values. */
function refusalReason(err: unknown, token: string, auth: LevensloopConfig['auth']): string {
  const e = err as { code?: string; claim?: string; reason?: string };
  switch (e.code) {
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
    case 'ERR_JOSE_NOT_SUPPORTED': {
      let alg: unknown;
      try {
        alg = decodeProtectedHeader(token).alg;
      } catch {
        // an undecodable header is reported as malformed below
      }
      const named = typeof alg === 'string' && /^[A-Za-z0-9]{1,16}$/.test(alg) ? `"${alg}"` : 'its algorithm';
      return `it is signed with ${named}, which is not accepted (accepted: ${auth.algorithms.join(', ')}).`;
    }
    case 'ERR_JWKS_NO_MATCHING_KEY':
      return 'no key of the issuer matches its key id (kid) and algorithm.';
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
      return 'it names no key id (kid) and the issuer has several keys.';
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return 'its signature does not verify with the issuer\'s key.';
    case 'ERR_JWT_EXPIRED':
      return `it has expired (more than ${auth.clockToleranceSeconds} s ago); get a new one.`;
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      if (e.reason === 'missing') return `it has no "${e.claim}" claim, which is required.`;
      if (e.claim === 'iss') return `it was issued by another issuer (expected ${auth.issuer}).`;
      if (e.claim === 'aud') return `it is meant for another audience (expected ${auth.audience}).`;
      if (e.claim === 'nbf') return 'it is not valid yet (nbf).';
      return `its "${e.claim}" claim is not valid.`;
    default:
      return 'it is not a well-formed signed JWT (header.payload.signature, base64url).';
  }
}

/** The caller, read through the configured claim names (OIDC_*_CLAIM), so any provider's tokens map onto the same roles. */
export function toPrincipal(payload: JWTPayload, names: ClaimNames, teamsClaim = DEFAULT_TEAMS_CLAIM): Principal {
  const claim = (name: string) => (typeof payload[name] === 'string' ? (payload[name] as string) : undefined);
  const identity = identityClaims(payload, names);
  const roles = identity.roles.filter((r): r is Role => (ROLES as readonly string[]).includes(r));
  return {
    sub: payload.sub ?? 'unknown',
    roles,
    agency: identity.agency,
    nationalNumber: identity.nationalNumber,
    enterpriseNumber: identity.enterpriseNumber,
    // Teams only matter to a caseworker's queue; absent when the token names none.
    ...(roles.includes('caseworker') && teamsOf(payload, teamsClaim).length ? { teams: teamsOf(payload, teamsClaim) } : {}),
    name: claim('name'),
    source: claim('source'),
  };
}
