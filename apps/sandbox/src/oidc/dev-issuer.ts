import { Router, type Request, type Response } from 'express';
import { SignJWT } from 'jose';
import { badRequest } from '../http/problem';
import { limitPerAddress, type AddressLimit } from '../http/rate-limit';
import { SIGNING_ALG, type SigningKey } from './signing-key';
import { DEFAULT_TTL_SECONDS, defaultSubject, parseTokenRequest, ROLES, type TokenRequest } from './token-request';

export interface DevIssuerOptions {
  signingKey: SigningKey;
  /** Audience of every token (OIDC_AUDIENCE). */
  audience: string;
  /** The sandbox's public base URL, or undefined to take it from the request; the issuer is `<base>/oidc`. */
  baseUrl: () => string | undefined;
  /** Who one may sign in as, for sign-in pages to offer (`GET /oidc/dev-identities`). */
  identities?: () => DevIdentity[];
  /** Tokens per client address (SANDBOX_TOKEN_RATE_LIMIT); default 600 per 60 s. */
  tokenRateLimit?: AddressLimit;
  /** SANDBOX_DEV_TOKEN (default true): false removes `/oidc/dev-token`; signing in is then the provider's only. */
  devTokens?: boolean;
}

export const DEFAULT_TOKEN_RATE_LIMIT: AddressLimit = { limit: 600, windowSeconds: 60 };

/** A person or enterprise of the sandbox's population to sign in as, with why it is interesting. */
export interface DevIdentity {
  kind: 'sole-trader' | 'parent' | 'single-parent' | 'no-contact' | 'elderly' | 'enterprise';
  name: string;
  nationalNumber?: string;
  enterpriseNumber?: string;
}

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
}

/** Signs a development access token; claims follow what the gateway's auth guard reads. */
export async function signDevToken(request: TokenRequest, options: { signingKey: SigningKey; issuer: string; audience: string }): Promise<TokenResponse> {
  const ttl = request.ttlSeconds ?? DEFAULT_TTL_SECONDS;
  const claims: Record<string, unknown> = { roles: [request.role] };
  if (request.agency) claims.agency = request.agency;
  if (request.nationalNumber) claims.national_number = request.nationalNumber;
  if (request.enterpriseNumber) claims.enterprise_number = request.enterpriseNumber;
  if (request.source) claims.source = request.source;
  if (request.name) claims.name = request.name;
  if (request.teams?.length) claims.teams = request.teams;
  const now = Math.floor(Date.now() / 1000);
  const token = await new SignJWT(claims)
    .setProtectedHeader({ alg: SIGNING_ALG, kid: options.signingKey.kid, typ: 'JWT' })
    .setIssuer(options.issuer)
    .setAudience(options.audience)
    .setSubject(request.sub ?? defaultSubject(request))
    .setIssuedAt(now)
    .setExpirationTime(now + ttl)
    .sign(options.signingKey.privateKey);
  return { access_token: token, token_type: 'Bearer', expires_in: ttl };
}

/**
 * The development side of the sandbox's issuer: tokens for any role on request (tests, curl) and
 * the people one may sign in as. Discovery, keys and the real sign-in are the OpenID provider's
 * (provider.routes.ts), on the same key, so the platform's token verification runs unchanged.
 */
export function devIssuerRoutes(options: DevIssuerOptions): Router {
  const router = Router();
  const issuerFor = (req: Request) => `${options.baseUrl() ?? `${req.protocol}://${req.get('host')}`}/oidc`;

  // Browser apps (the console's development sign-in) call these from their own origin: any
  // origin, without cookies.
  router.use(['/oidc/dev-token', '/oidc/dev-identities'], (req, res, next) => {
    res.setHeader('access-control-allow-origin', '*');
    if (req.method !== 'OPTIONS') return next();
    res.setHeader('access-control-allow-methods', 'GET, POST');
    res.setHeader('access-control-allow-headers', 'content-type');
    res.setHeader('access-control-max-age', '600');
    res.status(204).end();
  });

  router.get('/oidc/dev-identities', (_req, res) => {
    res.json({ roles: ROLES, citizens: options.identities?.() ?? [] });
  });

  if (options.devTokens === false) return router;
  const issue = async (req: Request, res: Response, input: unknown, fromQuery: boolean) => {
    const parsed = parseTokenRequest(input, fromQuery);
    if (!parsed.ok) return badRequest(res, parsed.errors.join(' '), { errors: parsed.errors });
    res.setHeader('cache-control', 'no-store');
    res.json(await signDevToken(parsed.request, { signingKey: options.signingKey, issuer: issuerFor(req), audience: options.audience }));
  };
  // Signing costs CPU and the tokens open everything: a flood from one address is refused.
  const limited = limitPerAddress('the development token endpoint', options.tokenRateLimit ?? DEFAULT_TOKEN_RATE_LIMIT);
  router.post('/oidc/dev-token', limited, (req, res) => issue(req, res, req.body ?? {}, false));
  router.get('/oidc/dev-token', limited, (req, res) => issue(req, res, req.query, true));

  return router;
}
