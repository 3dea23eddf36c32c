import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { startSandbox, type RunningSandbox } from '../app';
// eslint-disable-next-line @nx/enforce-module-boundaries -- the browserless code flow the integration tests share
import { codeFlow, tokenRequest } from '../../../../test/support/oidc-flow';

let sandbox: RunningSandbox;
const consoleUrl = 'http://127.0.0.1:3999';
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, consoleUrls: [consoleUrl], accessTokenTtlSeconds: 300 });
});
afterAll(() => sandbox.close());

const flow = (form: Record<string, string>, extra: { tokenVerifier?: string } = {}) =>
  codeFlow({ issuer: `${sandbox.url}/oidc`, clientId: 'levensloop-console', redirectUri: `${consoleUrl}/signed-in`, form, ...extra });

describe('the sandbox OpenID provider', () => {
  it('signs a listed citizen in with the code flow and PKCE: a JWT access token the gateway would accept, and a refresh token', async () => {
    const { token, discovery, loginPage } = await flow({ identity: 'citizen:85073003328' });
    expect(discovery).toMatchObject({ issuer: `${sandbox.url}/oidc`, jwks_uri: `${sandbox.url}/oidc/jwks`, code_challenge_methods_supported: ['S256'] });
    expect(loginPage).toContain('<html lang="en">');
    expect(token.status).toBe(200);
    expect(token.body).toMatchObject({ token_type: 'Bearer', expires_in: 300, refresh_token: expect.any(String), id_token: expect.any(String) });
    const jwks = createRemoteJWKSet(new URL(discovery.jwks_uri));
    const { payload, protectedHeader } = await jwtVerify(token.body.access_token!, jwks, { issuer: `${sandbox.url}/oidc`, audience: 'levensloop', algorithms: ['RS256'], requiredClaims: ['exp', 'sub', 'aud'] });
    expect(protectedHeader.kid).toBe(decodeProtectedHeader((await (await fetch(`${sandbox.url}/oidc/dev-token?role=auditor`)).json() as { access_token: string }).access_token).kid);
    expect(payload).toMatchObject({ sub: 'citizen:85073003328', roles: ['citizen'], national_number: '85073003328', client_id: 'levensloop-console' });
    expect(payload).not.toHaveProperty('agency');
  });

  it('signs staff in through "someone else" with the agency typed in', async () => {
    const { token, discovery } = await flow({ identity: 'other', role: 'caseworker', agency: 'municipality-x1', number: '' });
    const { payload } = await jwtVerify(token.body.access_token!, createRemoteJWKSet(new URL(discovery.jwks_uri)), { audience: 'levensloop' });
    expect(payload).toMatchObject({ sub: 'caseworker:municipality-x1', roles: ['caseworker'], agency: 'municipality-x1' });
  });

  it('refuses a wrong code verifier, and the refresh token gives a new access token', async () => {
    const wrong = await flow({ identity: 'auditor:dev' }, { tokenVerifier: 'x'.repeat(43) });
    expect(wrong.token).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });

    const { token, discovery } = await flow({ identity: 'agency-admin:bank' });
    const refreshed = await tokenRequest(discovery.token_endpoint, { grant_type: 'refresh_token', refresh_token: token.body.refresh_token!, client_id: 'levensloop-console' });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.access_token).not.toBe(token.body.access_token);
    const { payload } = await jwtVerify(refreshed.body.access_token!, createRemoteJWKSet(new URL(discovery.jwks_uri)), { audience: 'levensloop' });
    expect(payload).toMatchObject({ sub: 'agency-admin:bank', roles: ['agency-admin'], agency: 'bank' });
  });
});

describe('the sign-in page', () => {
  const authorize = async (issuer: string, uiLocales = 'nl') => {
    const url = new URL(`${issuer}/auth`);
    for (const [k, v] of Object.entries({ client_id: 'levensloop-console', redirect_uri: `${consoleUrl}/signed-in`, response_type: 'code', scope: 'openid', code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256', ui_locales: uiLocales })) url.searchParams.set(k, v);
    const res = await fetch(url, { redirect: 'manual' });
    const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
    return { location: new URL(res.headers.get('location')!, issuer).href, cookie };
  };

  it('lists the test population and staff per agency in the asked language, under a strict policy', async () => {
    const { location, cookie } = await authorize(`${sandbox.url}/oidc`);
    const res = await fetch(location, { headers: { cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'; style-src 'sha256-/);
    const html = await res.text();
    expect(html).toContain('<html lang="nl">');
    expect(html).toContain('Aanmelden bij Levensloop');
    expect(html).toContain(`value="citizen:${sandbox.population.examples().soleTrader.nationalNumber}"`);
    expect(html).toContain('<option value="caseworker">Dossierbehandelaar</option>');
    expect(html).toContain('value="caseworker:municipality"');
    expect(html).toContain('value="agency-admin:bank"');
    for (const id of ['role', 'agency', 'number']) expect(html).toMatch(new RegExp(`<label for="${id}">`));
  });

  it('shows what is wrong at the fields with 400, and cancelling returns access_denied to the console', async () => {
    const { location, cookie } = await authorize(`${sandbox.url}/oidc`, 'en');
    const post = (path: string, form: Record<string, string>) =>
      fetch(`${location}${path}`, { method: 'POST', redirect: 'manual', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form).toString() });
    const bad = await post('/login', { identity: 'other', role: 'citizen', number: '123', agency: '' });
    expect(bad.status).toBe(400);
    const html = await bad.text();
    expect(html).toContain('role="alert"');
    expect(html).toContain('href="#number"');
    expect(html).toMatch(/id="number"[^>]*aria-describedby="number-hint number-error"[^>]*aria-invalid="true"/);
    expect(await (await post('/login', {})).text()).toContain('Choose who you sign in as.');
    const aborted = await post('/abort', {});
    expect(aborted.status).toBe(303);
    const resumed = await fetch(new URL(aborted.headers.get('location')!, sandbox.url), { redirect: 'manual', headers: { cookie } });
    const back = new URL(resumed.headers.get('location')!);
    expect(back.origin + back.pathname).toBe(`${consoleUrl}/signed-in`);
    expect(back.searchParams.get('error')).toBe('access_denied');
  });

  it('answers an interaction that does not exist with an error page, not a crash', async () => {
    const res = await fetch(`${sandbox.url}/oidc/interaction/nope`);
    expect(res.status).toBe(400);
    expect(await res.text()).toContain('Signing in did not work');
  });
});

describe('without the development token endpoint', () => {
  it('still signs in through the provider, and /oidc/dev-token is gone', async () => {
    const closed = await startSandbox({ port: 0, devTokens: false, consoleUrls: [consoleUrl] });
    try {
      expect((await fetch(`${closed.url}/oidc/dev-token?role=auditor`)).status).toBe(404);
      const { token } = await codeFlow({ issuer: `${closed.url}/oidc`, clientId: 'levensloop-console', redirectUri: `${consoleUrl}/signed-in`, form: { identity: 'catalog-admin:dev' } });
      expect(token.status).toBe(200);
      const discovery = (await (await fetch(`${closed.url}/oidc/.well-known/openid-configuration`)).json()) as Record<string, string>;
      expect(discovery.token_endpoint).toBe(`${closed.url}/oidc/token`);
      expect(discovery.end_session_endpoint).toBe(`${closed.url}/oidc/session/end`);
    } finally {
      await closed.close();
    }
  });
});

describe('the provider’s CORS', () => {
  it('lets the console’s origin call the token endpoint, and no other origin', async () => {
    const { token, discovery } = await flow({ identity: 'auditor:dev' });
    const refresh = (origin: string, refreshToken: string) =>
      fetch(discovery.token_endpoint, {
        method: 'POST',
        headers: { origin, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: 'levensloop-console' }).toString(),
      });
    const foreign = await refresh('http://evil.example', token.body.refresh_token!);
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
    expect(foreign.status).toBe(400);
    const own = await refresh(consoleUrl, token.body.refresh_token!);
    expect(own.status).toBe(200);
    expect(own.headers.get('access-control-allow-origin')).toBe(consoleUrl);
  });
});
