import { createHash, randomBytes } from 'node:crypto';

/** A browser's cookie jar, as far as one provider needs it (name=value per cookie, path ignored). */
export class Jar {
  private readonly cookies = new Map<string, string>();
  take(res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (/expires=Thu, 01 Jan 1970/i.test(line) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }
  header() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }
}

export interface CodeFlowOptions {
  issuer: string;
  clientId: string;
  redirectUri: string;
  /** What the login page's form sends: `identity` (an account id or `other`) and, for `other`, role, agency, number. */
  form: Record<string, string>;
  scope?: string;
  /** The verifier sent to the token endpoint; default the one the challenge was made from. */
  tokenVerifier?: string;
}

export interface TokenAnswer {
  status: number;
  body: Record<string, unknown> & { access_token?: string; refresh_token?: string; id_token?: string; expires_in?: number; error?: string };
}

/** Follows the provider's redirects, as a browser would, until one leaves the issuer (the client's redirect URI). */
async function follow(jar: Jar, url: string, init: RequestInit = {}): Promise<{ res: Response; url: string }> {
  let current = url;
  let request: RequestInit = init;
  for (let hop = 0; hop < 10; hop++) {
    const res = await fetch(current, { ...request, redirect: 'manual', headers: { ...(request.headers as Record<string, string>), cookie: jar.header() } });
    jar.take(res);
    const location = res.headers.get('location');
    if (res.status < 300 || res.status >= 400 || !location) return { res, url: current };
    const next = new URL(location, current).href;
    if (!next.startsWith(new URL(url).origin)) return { res, url: next };
    current = next;
    request = {};
  }
  throw new Error(`too many redirects from ${url}`);
}

/**
 * The authorization code flow with PKCE (S256) over real HTTP, as the console runs it in a
 * browser: authorize, the provider's login page, the chosen identity posted, the code at the
 * redirect URI, and the code exchanged at the token endpoint.
 */
export async function codeFlow(options: CodeFlowOptions) {
  const jar = new Jar();
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const state = randomBytes(8).toString('hex');
  const discovery = (await (await fetch(`${options.issuer}/.well-known/openid-configuration`)).json()) as Record<string, string>;
  const authorize = new URL(discovery.authorization_endpoint);
  for (const [k, v] of Object.entries({
    client_id: options.clientId,
    redirect_uri: options.redirectUri,
    response_type: 'code',
    scope: options.scope ?? 'openid profile offline_access',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state,
    ui_locales: 'en',
  })) authorize.searchParams.set(k, v);

  const login = await follow(jar, authorize.href);
  if (login.res.status !== 200) throw new Error(`authorize: ${login.res.status} ${await login.res.text()}`);
  const loginPage = await login.res.text();
  const done = await follow(jar, `${login.url}/login`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(options.form).toString() });
  const redirected = new URL(done.url);
  const code = redirected.searchParams.get('code');
  if (!code || redirected.searchParams.get('state') !== state) throw new Error(`no code at the redirect URI: ${done.url} ${done.res.status} ${await done.res.text().catch(() => '')}`);

  const token = await tokenRequest(discovery.token_endpoint, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: options.redirectUri,
    client_id: options.clientId,
    code_verifier: options.tokenVerifier ?? verifier,
  });
  return { discovery, loginPage, loginUrl: login.url, code, token, jar };
}

export async function tokenRequest(endpoint: string, form: Record<string, string>, headers: Record<string, string> = {}): Promise<TokenAnswer> {
  const res = await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(form).toString() });
  return { status: res.status, body: (await res.json()) as TokenAnswer['body'] };
}
