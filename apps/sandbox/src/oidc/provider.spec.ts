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
