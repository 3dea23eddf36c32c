import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { startSandbox, type RunningSandbox } from '../app';

let sandbox: RunningSandbox;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0 });
});
afterAll(() => sandbox.close());

const requestToken = (body: unknown) =>
  fetch(`${sandbox.url}/oidc/dev-token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const tokenOf = async (res: Response) => ((await res.json()) as { access_token: string }).access_token;

describe('development OIDC issuer', () => {
  it('publishes discovery with the issuer under /oidc and a JWKS of one RS256 key', async () => {
    const discovery = (await (await fetch(`${sandbox.url}/oidc/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(discovery.issuer).toBe(`${sandbox.url}/oidc`);
    expect(discovery.jwks_uri).toBe(`${sandbox.url}/oidc/jwks`);
    const jwks = (await (await fetch(`${sandbox.url}/oidc/jwks`)).json()) as { keys: Array<Record<string, unknown>> };
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', kid: expect.any(String) });
    expect(jwks.keys[0]).not.toHaveProperty('d');
  });

  it('issues a caseworker token that verifies against the JWKS with the requested claims', async () => {
    const res = await requestToken({ role: 'caseworker', agency: 'municipality', sub: 'cw-1', name: 'An Peeters', ttlSeconds: 600 });
    expect(res.status).toBe(200);
    const body = (await res.clone().json()) as { token_type: string; expires_in: number };
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 600 });
    const discovery = (await (await fetch(`${sandbox.url}/oidc/.well-known/openid-configuration`)).json()) as { issuer: string; jwks_uri: string };
    const { payload, protectedHeader } = await jwtVerify(await tokenOf(res), createRemoteJWKSet(new URL(discovery.jwks_uri)), {
      issuer: discovery.issuer,
      audience: 'levensloop',
      algorithms: ['RS256'],
    });
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload).toMatchObject({ sub: 'cw-1', roles: ['caseworker'], agency: 'municipality', name: 'An Peeters' });
    expect(payload.exp! - payload.iat!).toBe(600);
  });

  it('issues citizen tokens with national or enterprise number claims and a derived subject', async () => {
    const jwks = createRemoteJWKSet(new URL(`${sandbox.url}/oidc/jwks`));
    const person = await jwtVerify(await tokenOf(await requestToken({ role: 'citizen', nationalNumber: '85073003328' })), jwks, { issuer: `${sandbox.url}/oidc`, audience: 'levensloop' });
    expect(person.payload).toMatchObject({ sub: 'citizen:85073003328', roles: ['citizen'], national_number: '85073003328' });
    expect(person.payload).not.toHaveProperty('agency');
    const company = await jwtVerify(await tokenOf(await requestToken({ role: 'citizen', enterpriseNumber: '0123456749' })), jwks, { issuer: `${sandbox.url}/oidc`, audience: 'levensloop' });
    expect(company.payload).toMatchObject({ enterprise_number: '0123456749', roles: ['citizen'] });
  });

  it('serves the same tokens on GET with a query, for curl', async () => {
    const res = await fetch(`${sandbox.url}/oidc/dev-token?role=agency-admin&agency=bank&ttlSeconds=120`);
    expect(res.status).toBe(200);
    const { payload } = await jwtVerify(await tokenOf(res), createRemoteJWKSet(new URL(`${sandbox.url}/oidc/jwks`)), { issuer: `${sandbox.url}/oidc`, audience: 'levensloop' });
    expect(payload).toMatchObject({ sub: 'agency-admin:bank', roles: ['agency-admin'], agency: 'bank' });
    expect(payload.exp! - payload.iat!).toBe(120);
  });

  it('refuses incomplete or invalid token requests with 400 problem+json', async () => {
    const bad: unknown[] = [
      {},
      { role: 'wizard' },
      { role: 'caseworker' },
      { role: 'agency-admin', agency: '' },
      { role: 'citizen' },
      { role: 'citizen', nationalNumber: '123' },
      { role: 'citizen', enterpriseNumber: '0123.456.749' },
      { role: 'auditor', ttlSeconds: 0 },
      { role: 'auditor', ttlSeconds: 90_000 },
      { role: 'auditor', roles: ['catalog-admin'] },
      ['citizen'],
    ];
    for (const body of bad) {
      const res = await requestToken(body);
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(((await res.json()) as { detail: string }).detail.length).toBeGreaterThan(10);
    }
    for (const query of ['role=caseworker', 'role=citizen&nationalNumber=8507300332', 'role=auditor&ttlSeconds=soon', 'role=citizen&nationalNumber=85073003328&nationalNumber=85073003328']) {
      expect({ query, status: (await fetch(`${sandbox.url}/oidc/dev-token?${query}`)).status }).toEqual({ query, status: 400 });
    }
  });

  it('uses the public URL as issuer and the configured audience', async () => {
    const other = await startSandbox({ port: 0, publicUrl: 'https://sandbox.example.test/', audience: 'demo' });
    try {
      const discovery = (await (await fetch(`${other.url}/oidc/.well-known/openid-configuration`)).json()) as { issuer: string };
      expect(discovery.issuer).toBe('https://sandbox.example.test/oidc');
      const token = await tokenOf(await fetch(`${other.url}/oidc/dev-token?role=auditor`));
      const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL(`${other.url}/oidc/jwks`)), { issuer: 'https://sandbox.example.test/oidc', audience: 'demo' });
      expect(payload.roles).toEqual(['auditor']);
    } finally {
      await other.close();
    }
  });

  it('keeps its signing key in SANDBOX_OIDC_KEY_FILE across restarts', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sandbox-key-'));
    const file = join(dir, 'nested', 'issuer-key.pem');
    try {
      const first = await startSandbox({ port: 0, oidcKeyFile: file });
      const token = await tokenOf(await fetch(`${first.url}/oidc/dev-token?role=auditor`));
      await first.close();
      expect(await readFile(file, 'utf8')).toContain('-----BEGIN PRIVATE KEY-----');

      const second = await startSandbox({ port: 0, oidcKeyFile: file, publicUrl: first.url });
      try {
        const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL(`${second.url}/oidc/jwks`)), { issuer: `${first.url}/oidc`, audience: 'levensloop' });
        expect(payload.sub).toBe('auditor:dev');
        const newer = await tokenOf(await fetch(`${second.url}/oidc/dev-token?role=auditor`));
        expect(decodeProtectedHeader(newer).kid).toBe(decodeProtectedHeader(token).kid);
      } finally {
        await second.close();
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a token from another issuer key does not verify against this JWKS', async () => {
    const other = await startSandbox({ port: 0 });
    try {
      const foreign = await tokenOf(await fetch(`${other.url}/oidc/dev-token?role=catalog-admin`));
      await expect(jwtVerify(foreign, createRemoteJWKSet(new URL(`${sandbox.url}/oidc/jwks`)))).rejects.toThrow();
    } finally {
      await other.close();
    }
  });
});

describe('development OIDC issuer for browser apps', () => {
  it('answers preflights and tokens for any origin, without credentials', async () => {
    const preflight = await fetch(`${sandbox.url}/oidc/dev-token`, {
      method: 'OPTIONS',
      headers: { origin: 'http://127.0.0.1:3200', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('*');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    expect(preflight.headers.get('access-control-allow-headers')).toContain('content-type');
    expect(preflight.headers.get('access-control-allow-credentials')).toBeNull();
    const res = await requestToken({ role: 'auditor' });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const discovery = await fetch(`${sandbox.url}/oidc/.well-known/openid-configuration`);
    expect(discovery.headers.get('access-control-allow-origin')).toBe('*');
  });
});

describe('development identities', () => {
  it('lists the roles and the population’s named people to sign in as, each with a token that works', async () => {
    const res = await fetch(`${sandbox.url}/oidc/dev-identities`);
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const body = (await res.json()) as { roles: string[]; citizens: Array<{ kind: string; name: string; nationalNumber?: string; enterpriseNumber?: string }> };
    expect(body.roles).toEqual(expect.arrayContaining(['caseworker', 'citizen', 'agency-admin']));
    expect(body.citizens.map((c) => c.kind)).toEqual(expect.arrayContaining(['sole-trader', 'parent', 'enterprise']));
    for (const c of body.citizens) {
      expect(c.name.length).toBeGreaterThan(2);
      const token = await requestToken({ role: 'citizen', ...(c.nationalNumber ? { nationalNumber: c.nationalNumber } : { enterpriseNumber: c.enterpriseNumber }) });
      expect(token.status).toBe(200);
    }
  });
});

describe('development token endpoint limit', () => {
  let limited: RunningSandbox;
  beforeAll(async () => {
    limited = await startSandbox({ port: 0, tokenRateLimit: { limit: 3, windowSeconds: 60 } });
  });
  afterAll(() => limited.close());

  it('refuses more tokens per address than the limit with 429 problem+json and Retry-After, on GET and POST alike', async () => {
    const post = () => fetch(`${limited.url}/oidc/dev-token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ role: 'auditor' }) });
    expect((await post()).status).toBe(200);
    expect((await post()).status).toBe(200);
    expect((await fetch(`${limited.url}/oidc/dev-token?role=auditor`)).status).toBe(200);
    for (const res of [await post(), await fetch(`${limited.url}/oidc/dev-token?role=catalog-admin`)]) {
      expect(res.status).toBe(429);
      expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(((await res.json()) as { detail: string }).detail).toMatch(/at most 3 per 60 s/);
    }
    // Discovery and keys are not limited: the gateway keeps verifying tokens.
    expect((await fetch(`${limited.url}/oidc/jwks`)).status).toBe(200);
  });
});
