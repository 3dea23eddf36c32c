/**
 * The sandbox's OpenID provider over real HTTP with the gateway in process: the authorization code
 * flow with PKCE (authorize → login page → code → token), the access token accepted by the gateway
 * unchanged, a wrong verifier refused, the refresh token renewing the access token, and the
 * end-session ending the provider's session (the next authorize asks who you are again).
 */
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { startInProcessGateway, type InProcessGateway } from '../support/gateway';
import { Api } from '../support/http';
import { codeFlow, tokenRequest } from '../support/oidc-flow';

jest.setTimeout(60_000);

const consoleUrl = 'http://127.0.0.1:3999';
const clientId = 'levensloop-console';
let gateway: InProcessGateway;
let issuer: string;

beforeAll(async () => {
  gateway = await startInProcessGateway('oidc-sign-in', {}, { consoleUrls: [consoleUrl] }, { worker: false });
  issuer = `${gateway.sandbox.url}/oidc`;
});
afterAll(() => gateway?.close());

const signIn = (form: Record<string, string>, tokenVerifier?: string) => codeFlow({ issuer, clientId, redirectUri: `${consoleUrl}/signed-in`, form, ...(tokenVerifier ? { tokenVerifier } : {}) });

describe('signing in at the sandbox provider', () => {
  it('gives a citizen of the population an access token the gateway accepts as that citizen', async () => {
    const nn = gateway.sandbox.population.examples().soleTrader.nationalNumber;
    const { token, loginPage } = await signIn({ identity: `citizen:${nn}` });
    expect(loginPage).toContain(`value="citizen:${nn}"`);
    expect(token.status).toBe(200);
    const api = new Api(gateway.baseUrl, token.body.access_token);
    const me = await api.get('/me/notifications');
    expect(me.status).toBe(200);
    // The same person through both ways in: the development token's subject is the provider's.
    const dev = await gateway.as({ role: 'citizen', nationalNumber: nn });
    const { payload } = await jwtVerify(token.body.access_token!, createRemoteJWKSet(new URL(`${issuer}/jwks`)), { issuer, audience: 'levensloop' });
    const devPayload = (await jwtVerify(dev.token!, createRemoteJWKSet(new URL(`${issuer}/jwks`)))).payload;
    expect(payload.sub).toBe(devPayload.sub);
    expect(payload).toMatchObject({ roles: ['citizen'], national_number: nn, name: expect.any(String) });
  });

  it('gives a caseworker typed in as "someone else" their agency, and the gateway applies their role', async () => {
    const { token } = await signIn({ identity: 'other', role: 'caseworker', agency: 'municipality', number: '' });
    const api = new Api(gateway.baseUrl, token.body.access_token);
    expect((await api.get('/tasks?view=open')).status).toBe(200);
    // A caseworker is not an auditor: the audit log stays closed.
    expect((await api.get('/audit')).status).toBe(403);
  });

  it('refuses the code with a wrong PKCE verifier', async () => {
    const { token } = await signIn({ identity: 'auditor:dev' }, 'a'.repeat(43));
    expect(token.status).toBe(400);
    expect(token.body.error).toBe('invalid_grant');
    expect(token.body.access_token).toBeUndefined();
  });

  it('renews the access token with the refresh token, once: the old refresh token is rotated out', async () => {
    const { token, discovery } = await signIn({ identity: 'auditor:dev' });
    const refreshed = await tokenRequest(discovery.token_endpoint, { grant_type: 'refresh_token', refresh_token: token.body.refresh_token!, client_id: clientId });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body.access_token).not.toBe(token.body.access_token);
    expect((await new Api(gateway.baseUrl, refreshed.body.access_token).get('/audit')).status).toBe(200);
    const replayed = await tokenRequest(discovery.token_endpoint, { grant_type: 'refresh_token', refresh_token: token.body.refresh_token!, client_id: clientId });
    expect(replayed.status).toBe(400);
    expect(replayed.body.error).toBe('invalid_grant');
  });

  it('ends the session at the end-session endpoint: the next authorize shows the login page again', async () => {
    const { token, discovery, jar } = await signIn({ identity: 'catalog-admin:dev' });
    const authorizeAgain = async () => {
      const url = new URL(discovery.authorization_endpoint);
      for (const [k, v] of Object.entries({ client_id: clientId, redirect_uri: `${consoleUrl}/signed-in`, response_type: 'code', scope: 'openid', code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256' })) url.searchParams.set(k, v);
      // With a session the provider sends a code at once (maybe through its resume step); without one it asks who you are.
      let location = new URL(url);
      for (let hop = 0; hop < 5 && location.origin !== new URL(consoleUrl).origin; hop++) {
        const res = await fetch(location, { redirect: 'manual', headers: { cookie: jar.header() } });
        jar.take(res);
        location = new URL(res.headers.get('location')!, issuer);
        if (location.pathname.startsWith('/oidc/interaction/')) return 'login';
      }
      return location.searchParams.get('code') ? 'code' : 'login';
    };
    expect(await authorizeAgain()).toBe('code');

    const end = new URL(discovery.end_session_endpoint);
    end.searchParams.set('id_token_hint', token.body.id_token!);
    end.searchParams.set('post_logout_redirect_uri', `${consoleUrl}/signed-out`);
    const confirm = await fetch(end, { headers: { cookie: jar.header() } });
    expect(confirm.status).toBe(200);
    const page = await confirm.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(page)![1];
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(page)![1];
    const done = await fetch(new URL(action, issuer), { method: 'POST', redirect: 'manual', headers: { cookie: jar.header(), 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ xsrf, logout: 'yes' }).toString() });
    jar.take(done);
    let location = new URL(done.headers.get('location')!, issuer);
    if (location.origin !== new URL(consoleUrl).origin) {
      const next = await fetch(location, { redirect: 'manual', headers: { cookie: jar.header() } });
      jar.take(next);
      location = new URL(next.headers.get('location')!, issuer);
    }
    expect(location.href).toBe(`${consoleUrl}/signed-out`);
    expect(await authorizeAgain()).toBe('login');
  });
});
