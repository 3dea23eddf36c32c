import { randomBytes } from 'node:crypto';
import { exportJWK } from 'jose';
import { SANDBOX_DISCOVERY_MARK } from '@levensloop/config';
import type Provider from 'oidc-provider';
import type { Configuration, KoaContextWithOIDC } from 'oidc-provider';
import { accountClaims, accountFromId } from './accounts';
import { pageLanguage } from './page-messages';
import { errorPage, loggedOutPage, logoutPage, PAGE_CSP } from './pages';
import { SIGNING_ALG, type SigningKey } from './signing-key';

/** The console's public client: its id and the console's base URLs (each gets `/signed-in` and `/signed-out`). */
export interface ConsoleClient {
  clientId: string;
  consoleUrls: string[];
}

export interface OidcProviderOptions {
  issuer: string;
  signingKey: SigningKey;
  /** The access tokens' audience (OIDC_AUDIENCE), as the gateway expects it. */
  audience: string;
  client: ConsoleClient;
  /** The name of a citizen by national or enterprise number (the population's), for the `name` claim. */
  nameOf: (number: string) => string | undefined;
  /** Access-token lifetime in seconds (default 900). */
  accessTokenTtlSeconds?: number;
}

/** The API as a resource server: its access tokens are JWTs for the gateway. */
export const API_RESOURCE = 'urn:levensloop:api';
export const API_SCOPE = 'api';

export const DEFAULT_ACCESS_TOKEN_TTL_SECONDS = 900;


/** Where the interaction (login) pages are, as the browser sees them: under the issuer's path. */
export const interactionBase = (issuer: string) => `${new URL(issuer).pathname.replace(/\/+$/, '')}/interaction`;

/**
 * A real OpenID provider (oidc-provider) for the sandbox: authorization code with PKCE (S256) for
 * the console's public client, JWT access tokens for the API (resource indicators) carrying the
 * claims the gateway reads, refresh tokens, and end-session. Keys are the development issuer's, so
 * the JWKS the gateway trusts and every token the sandbox signs stay one key.
 */
export async function createOidcProvider(options: OidcProviderOptions): Promise<Provider> {
  // Loaded when first needed: an ES module, and it warns about the runtime when loaded.
  const { default: OidcProvider, errors } = await import('oidc-provider');
  const { issuer, signingKey, audience, client } = options;
  const privateJwk = { ...(await exportJWK(signingKey.privateKey)), kid: signingKey.kid, alg: SIGNING_ALG, use: 'sig' };
  const ttl = options.accessTokenTtlSeconds ?? DEFAULT_ACCESS_TOKEN_TTL_SECONDS;
  const findAccount = (accountId: string) => accountFromId(accountId, options.nameOf);
  const lang = (ctx: KoaContextWithOIDC) => pageLanguage(typeof ctx.oidc?.params?.ui_locales === 'string' ? ctx.oidc.params.ui_locales : undefined, ctx.get('accept-language'));
  const html = (ctx: KoaContextWithOIDC, body: string) => {
    ctx.type = 'html';
    ctx.set('content-security-policy', PAGE_CSP);
    ctx.body = body;
  };

  const configuration: Configuration = {
    clients: [
      {
        client_id: client.clientId,
        client_name: 'Levensloop console',
        application_type: 'web',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: client.consoleUrls.map((url) => `${url}/signed-in`),
        post_logout_redirect_uris: client.consoleUrls.map((url) => `${url}/signed-out`),
      },
    ],
    jwks: { keys: [privateJwk] },
    // Says what this provider is, so the production profile refuses it wherever it is deployed.
    discovery: { [SANDBOX_DISCOVERY_MARK]: 'the sandbox: its sign-in page lets anyone be anyone, without a password' },
    // Signed cookies for the provider's session and interactions; per process, as the sandbox keeps its sessions in memory.
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    routes: { jwks: '/jwks' },
    scopes: ['openid', 'profile', 'offline_access', API_SCOPE],
    claims: { openid: ['sub'], profile: ['name'] },
    pkce: { required: () => true },
    ttl: {
      AccessToken: ttl,
      AuthorizationCode: 60,
      IdToken: ttl,
      Interaction: 600,
      Session: 8 * 3600,
      Grant: 8 * 3600,
      RefreshToken: 8 * 3600,
    },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx, form) => html(ctx, logoutPage(lang(ctx), form)),
        postLogoutSuccessSource: (ctx) => html(ctx, loggedOutPage(lang(ctx))),
      },
      resourceIndicators: {
        enabled: true,
        // The console names no resource: its tokens are for the API.
        defaultResource: () => API_RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resource) => {
          if (resource !== API_RESOURCE) throw new errors.InvalidTarget(`the only resource is ${API_RESOURCE}`);
          return { scope: API_SCOPE, audience, accessTokenTTL: ttl, accessTokenFormat: 'jwt', jwt: { sign: { alg: SIGNING_ALG } } };
        },
      },
    },
    // The first-party console needs no consent screen: its grant covers the profile and the API.
    loadExistingGrant: async (ctx) => {
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session!.grantIdFor(ctx.oidc.client!.clientId);
      if (grantId) {
        const existing = await ctx.oidc.provider.Grant.find(grantId);
        if (existing) return existing;
      }
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client!.clientId, accountId: ctx.oidc.session!.accountId! });
      grant.addOIDCScope('openid profile offline_access');
      grant.addResourceScope(API_RESOURCE, API_SCOPE);
      await grant.save();
      return grant;
    },
    // The console calls the token endpoint from its own origin; no other origin may.
    clientBasedCORS: (_ctx, origin, c) => c.clientId === client.clientId && client.consoleUrls.some((url) => new URL(url).origin === origin),
    // A refresh token whenever the client may use one: renewal before expiry needs no hidden frame.
    issueRefreshToken: (_ctx, c) => c.grantTypeAllowed('refresh_token'),
    findAccount: (_ctx, sub) => {
      const account = findAccount(sub);
      if (!account) return undefined;
      return { accountId: sub, claims: () => ({ sub, ...(account.name ? { name: account.name } : {}) }) };
    },
    extraTokenClaims: (_ctx, token) => {
      const account = 'accountId' in token && typeof token.accountId === 'string' ? findAccount(token.accountId) : undefined;
      return account ? accountClaims(account) : undefined;
    },
    interactions: { url: (_ctx, interaction) => `${interactionBase(issuer)}/${interaction.uid}` },
    renderError: (ctx, out) => html(ctx, errorPage(lang(ctx), String(out.error_description ?? out.error ?? 'error'))),
  };
  return new OidcProvider(issuer, configuration);
}
