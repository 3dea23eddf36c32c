import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import { LRUCache } from 'lru-cache';
import type { LevensloopConfig } from '@levensloop/config';
import { CONFIG } from '../config.provider';
import { ProblemException } from '../common/problem';
import { PUBLIC_KEY, ROLES_KEY } from './decorators';
import { ROLES, type Principal, type Role } from './principal';

const unauthorized = (detail: string) =>
  new ProblemException(401, detail, { slug: 'unauthorized', title: 'Unauthorized' });

/** Verifies the bearer JWT against the issuer's JWKS and checks the endpoint's roles. */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly jwks: ReturnType<typeof createRemoteJWKSet>;
  /**
   * Tokens already verified, until they expire (at most a minute, so a key withdrawn from the
   * issuer's JWKS stops working soon): a client sends the same token many times, and the
   * signature check is the costliest part of a small request.
   */
  private readonly verified = new LRUCache<string, JWTPayload>({ max: 10_000, ttl: 60_000 });

  constructor(
    private readonly reflector: Reflector,
    @Inject(CONFIG) private readonly config: LevensloopConfig,
  ) {
    this.jwks = createRemoteJWKSet(new URL(config.auth.jwksUrl), { cooldownDuration: 30_000 });
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
    const principal = toPrincipal(payload);
    request.principal = principal;

    const required = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (required?.length && !required.some((r) => principal.roles.includes(r))) {
      throw new ProblemException(403, `This needs one of the roles: ${required.join(', ')}.`, { slug: 'forbidden' });
    }
    return true;
  }

  private async verify(token: string): Promise<JWTPayload> {
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, this.jwks, {
        issuer: this.config.auth.issuer,
        audience: this.config.auth.audience,
      }));
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code === 'ERR_JWKS_TIMEOUT' || code === 'ERR_JOSE_GENERIC' && /fetch/i.test(String(err))) {
        throw new ProblemException(503, 'The token issuer cannot be reached; try again shortly.', { slug: 'issuer-unavailable' });
      }
      throw unauthorized(`The access token was refused: ${(err as Error).message}.`);
    }
    const untilExpiry = payload.exp ? payload.exp * 1000 - Date.now() : Infinity;
    if (untilExpiry > 1000) this.verified.set(token, payload, { ttl: Math.min(60_000, untilExpiry) });
    return payload;
  }
}

function toPrincipal(payload: JWTPayload): Principal {
  const claim = (name: string) => (typeof payload[name] === 'string' ? (payload[name] as string) : undefined);
  const roles = (Array.isArray(payload.roles) ? payload.roles : []).filter((r): r is Role =>
    (ROLES as readonly string[]).includes(r as string),
  );
  return {
    sub: payload.sub ?? 'unknown',
    roles,
    agency: claim('agency'),
    nationalNumber: claim('national_number'),
    enterpriseNumber: claim('enterprise_number'),
    name: claim('name'),
    source: claim('source'),
  };
}
