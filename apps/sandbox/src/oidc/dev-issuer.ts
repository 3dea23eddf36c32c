import { Router, type Request, type Response } from 'express';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';

const ROLES = ['catalog-admin', 'agency-admin', 'caseworker', 'citizen', 'auditor'] as const;
type Role = (typeof ROLES)[number];

export interface DevIssuerOptions {
  /** Public base URL of the sandbox; the issuer is `${baseUrl}/oidc`. */
  baseUrl: () => string;
  audience: string;
}

const problem = (res: Response, detail: string) =>
  res.status(400).type('application/problem+json').send(JSON.stringify({ type: 'about:blank', title: 'Bad request', status: 400, detail }));

/**
 * A development OpenID issuer: publishes a JWKS and hands out tokens for any role, so the
 * platform's real token verification runs unchanged in development and tests.
 */
export async function devIssuerRoutes(options: DevIssuerOptions): Promise<Router> {
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const kid = `dev-${Date.now().toString(36)}`;
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  const issuer = () => `${options.baseUrl()}/oidc`;
  const router = Router();

  router.get('/oidc/.well-known/openid-configuration', (_req, res) => {
    res.json({ issuer: issuer(), jwks_uri: `${issuer()}/jwks`, token_endpoint: `${issuer()}/dev-token`, id_token_signing_alg_values_supported: ['RS256'] });
  });
  router.get('/oidc/jwks', (_req, res) => res.json({ keys: [jwk] }));

  const issue = async (req: Request, res: Response) => {
    const input = { ...(req.query as Record<string, unknown>), ...(typeof req.body === 'object' && req.body ? req.body : {}) } as Record<string, unknown>;
    const role = input.role as Role;
    if (!ROLES.includes(role)) return problem(res, `role must be one of ${ROLES.join(', ')}.`);
    const str = (k: string) => (typeof input[k] === 'string' && (input[k] as string).trim() ? (input[k] as string).trim() : undefined);
    const agency = str('agency');
    const nationalNumber = str('nationalNumber');
    const enterpriseNumber = str('enterpriseNumber');
    if ((role === 'agency-admin' || role === 'caseworker') && !agency) return problem(res, `A ${role} token needs the agency they work for (agency).`);
    if (role === 'citizen') {
      if (!nationalNumber && !enterpriseNumber) return problem(res, 'A citizen token needs nationalNumber (11 digits) or enterpriseNumber (10 digits).');
      if (nationalNumber && !/^\d{11}$/.test(nationalNumber)) return problem(res, 'nationalNumber must be 11 digits.');
      if (enterpriseNumber && !/^\d{10}$/.test(enterpriseNumber)) return problem(res, 'enterpriseNumber must be 10 digits.');
    }
    const ttl = input.ttlSeconds === undefined ? 3600 : Number(input.ttlSeconds);
    if (!Number.isInteger(ttl) || ttl < 1 || ttl > 86_400) return problem(res, 'ttlSeconds must be an integer from 1 to 86400.');
    const sub = str('sub') ?? `${role}:${agency ?? nationalNumber ?? enterpriseNumber ?? 'dev'}`;
    const claims: Record<string, unknown> = { roles: [role] };
    if (agency) claims.agency = agency;
    if (nationalNumber) claims.national_number = nationalNumber;
    if (enterpriseNumber) claims.enterprise_number = enterpriseNumber;
    if (str('name')) claims.name = str('name');
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'RS256', kid })
      .setIssuer(issuer())
      .setAudience(options.audience)
      .setSubject(sub)
      .setIssuedAt()
      .setExpirationTime(`${ttl}s`)
      .sign(privateKey);
    res.json({ access_token: token, token_type: 'Bearer', expires_in: ttl });
  };
  router.post('/oidc/dev-token', (req, res) => void issue(req, res));
  router.get('/oidc/dev-token', (req, res) => void issue(req, res));
  return router;
}
