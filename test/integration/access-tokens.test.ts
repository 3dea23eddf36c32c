/**
 * The gateway's access-token checks with crafted tokens, in-process on a fresh database: pinned
 * asymmetric algorithms (no `none`, no HS256 keyed with the issuer's public key), `exp`, `sub`
 * and `aud` required, a few seconds of clock skew at most, and the issuer's keys kept no longer
 * than OIDC_JWKS_MAX_AGE_SECONDS. Every refusal is a 401 problem+json that says what was wrong
 * without echoing the token.
 */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportSPKI, importJWK, SignJWT, type CryptoKey, type JWK, type JWTPayload } from 'jose';
import { generateSigningKey, type SigningKey } from '../../apps/sandbox/src/oidc/signing-key';
import { startInProcessGateway, type InProcessGateway } from '../support/gateway';
import { Api, expectProblem } from '../support/http';

jest.setTimeout(60_000);

const JWKS_MAX_AGE_SECONDS = 1;
const CLOCK_TOLERANCE_SECONDS = 5; // the default

let gateway: InProcessGateway;
let signingKey: SigningKey;
let issuer: string;
/** The keys the issuer publishes right now (the test withdraws one); undefined: the JWKS answers 500. */
let published: JWK[] | undefined;
let jwksServer: http.Server;

beforeAll(async () => {
  signingKey = await generateSigningKey();
  published = [signingKey.publicJwk];
  // The issuer's JWKS from a server the test controls, so a key can be withdrawn.
  jwksServer = http.createServer((_req, res) => {
    if (!published) return void res.writeHead(500).end();
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: published }));
  });
  await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
  const jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/jwks`;
  gateway = await startInProcessGateway('access-tokens', { OIDC_JWKS_URL: jwksUrl, OIDC_JWKS_MAX_AGE_SECONDS: String(JWKS_MAX_AGE_SECONDS) }, { signingKey });
  issuer = `${gateway.sandbox.url}/oidc`;
});

afterAll(async () => {
  await gateway?.close();
  await new Promise((resolve) => jwksServer?.close(resolve));
});

const now = () => Math.floor(Date.now() / 1000);
const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Claims the gateway accepts; each test takes one away or changes one. */
const goodClaims = (): JWTPayload => ({ iss: issuer, aud: 'levensloop', sub: 'auditor-1', roles: ['auditor'], iat: now(), exp: now() + 600 });

const sign = (claims: JWTPayload, header: Record<string, unknown> = {}, key: CryptoKey | Uint8Array = signingKey.privateKey) =>
  new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid: signingKey.kid, typ: 'JWT', ...header } as { alg: string }).sign(key);

const without = (claim: string): JWTPayload => {
  const claims = goodClaims();
  delete claims[claim];
  return claims;
};

const call = (token: string) => new Api(gateway.baseUrl, token).get('/journeys');

/** A 401 problem+json whose detail matches `reason` and does not echo the token or any part of it. */
async function expectRefused(token: string, reason: RegExp) {
  const problem = expectProblem(await call(token), 401);
  expect(problem.detail).toMatch(reason);
  for (const part of token.split('.').filter((p) => p.length > 8)) expect(problem.detail).not.toContain(part);
  return problem;
}

describe('access tokens', () => {
  test('a token signed by the issuer with every required claim is accepted', async () => {
    expect((await call(await sign(goodClaims()))).status).toBe(200);
    expect((await (await gateway.as({ role: 'auditor' })).get('/journeys')).status).toBe(200);
  });

  test('alg "none" (unsigned) is refused', async () => {
    const unsigned = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(goodClaims())}.`;
    await expectRefused(unsigned, /"none".*not accepted.*RS256/);
  });

  test('HS256 keyed with the issuer\'s public key (PEM or JWK bytes) is refused', async () => {
    const pem = await exportSPKI((await importJWK(signingKey.publicJwk, 'RS256', { extractable: true })) as CryptoKey);
    for (const secret of [pem, JSON.stringify(signingKey.publicJwk)]) {
      const forged = await sign(goodClaims(), { alg: 'HS256' }, new TextEncoder().encode(secret));
      await expectRefused(forged, /"HS256".*not accepted/);
    }
  });

  test('a token without exp, sub or aud is refused, naming the claim', async () => {
    await expectRefused(await sign(without('exp')), /no "exp" claim/);
    await expectRefused(await sign(without('sub')), /no "sub" claim/);
    await expectRefused(await sign(without('aud')), /no "aud" claim/);
    await expectRefused(await sign({ ...goodClaims(), sub: '' }), /"sub" claim must name the subject/);
  });

  test('an expired token is refused beyond the clock tolerance and accepted within it', async () => {
    await expectRefused(await sign({ ...goodClaims(), exp: now() - CLOCK_TOLERANCE_SECONDS - 30 }), /expired/);
    expect((await call(await sign({ ...goodClaims(), exp: now() - 2 }))).status).toBe(200);
  });

  test('a token for another audience or from another issuer is refused', async () => {
    await expectRefused(await sign({ ...goodClaims(), aud: 'another-service' }), /another audience \(expected levensloop\)/);
    await expectRefused(await sign({ ...goodClaims(), iss: 'https://attacker.example/oidc' }), new RegExp(`another issuer \\(expected ${issuer}\\)`));
  });

  test('a token with a key id the issuer does not publish, or signed by another key, is refused', async () => {
    await expectRefused(await sign(goodClaims(), { kid: 'no-such-key' }), /no key of the issuer matches/);
    const other = await generateSigningKey();
    await expectRefused(await sign(goodClaims(), {}, other.privateKey), /signature does not verify/);
  });

  test('a key withdrawn from the JWKS is refused within its cache age, also for a token verified before', async () => {
    const remembered = await sign({ ...goodClaims(), sub: 'remembered' });
    expect((await call(remembered)).status).toBe(200);
    const rotated = await generateSigningKey();
    published = [rotated.publicJwk];
    try {
      await new Promise((r) => setTimeout(r, JWKS_MAX_AGE_SECONDS * 1000 + 300));
      // A token never seen before, signed with the withdrawn key: the JWKS has been fetched anew.
      await expectRefused(await sign({ ...goodClaims(), sub: 'fresh' }), /no key of the issuer matches/);
      await new Promise((r) => setTimeout(r, JWKS_MAX_AGE_SECONDS * 1000));
      await expectRefused(remembered, /no key of the issuer matches/);
    } finally {
      published = [signingKey.publicJwk];
    }
  });

  test('an issuer whose JWKS cannot be fetched is a 503, not a refused token', async () => {
    published = undefined;
    try {
      await new Promise((r) => setTimeout(r, JWKS_MAX_AGE_SECONDS * 1000 + 300));
      const problem = expectProblem(await call(await sign({ ...goodClaims(), sub: 'while-down' })), 503);
      expect(problem.detail).toMatch(/issuer cannot be reached/);
    } finally {
      published = [signingKey.publicJwk];
    }
  });
});
