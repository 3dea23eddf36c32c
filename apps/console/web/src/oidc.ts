import { UserManager, WebStorageStateStore, type User } from 'oidc-client-ts';
import type { RuntimeConfig } from './api';
import { language } from './i18n';
import { decodeToken, sessionFromClaims, type Session } from './session';

/**
 * Sign-in at the issuer with the authorization code flow and PKCE (oidc-client-ts): the console is
 * a public client, its tokens kept for the browser tab only (sessionStorage), the access token
 * renewed with the refresh token before it expires, and sign-out ends the session at the issuer.
 */
let manager: UserManager | undefined;

export function configureSignIn(config: RuntimeConfig): void {
  if (!config.clientId) return;
  manager = new UserManager({
    authority: config.issuer,
    client_id: config.clientId,
    redirect_uri: `${location.origin}/signed-in`,
    post_logout_redirect_uri: `${location.origin}/signed-out`,
    response_type: 'code',
    scope: config.scope ?? 'openid profile offline_access',
    userStore: new WebStorageStateStore({ store: sessionStorage }),
    stateStore: new WebStorageStateStore({ store: sessionStorage }),
    // Renewal (with the refresh token) a minute before the access token expires.
    automaticSilentRenew: true,
    accessTokenExpiringNotificationTimeInSeconds: 60,
    loadUserInfo: false,
    monitorSession: false,
  });
}

export const providerSignIn = () => !!manager;

/** The session of a signed-in user: the access token's claims, or the ID token's when the access token is not a JWT. */
export function sessionOf(user: User): Session {
  try {
    return { ...decodeToken(user.access_token), via: 'provider' };
  } catch {
    return { ...sessionFromClaims(user.access_token, user.profile as Record<string, unknown>), exp: user.expires_at ?? 0, via: 'provider' };
  }
}

/** The session kept in this tab, when its access token is still valid. */
export async function restoreProviderSession(): Promise<Session | undefined> {
  const user = await manager?.getUser();
  if (!user || user.expired) return undefined;
  return sessionOf(user);
}

/** Calls `renewed` with each new session (a renewed access token) and `ended` when renewal fails for good. */
export function onProviderSession(renewed: (s: Session) => void, ended: () => void): () => void {
  if (!manager) return () => undefined;
  const loaded = (user: User) => renewed(sessionOf(user));
  manager.events.addUserLoaded(loaded);
  manager.events.addAccessTokenExpired(ended);
  return () => {
    manager?.events.removeUserLoaded(loaded);
    manager?.events.removeAccessTokenExpired(ended);
  };
}

/** Off to the issuer's sign-in page; `next` is where to land afterwards. */
export async function startProviderSignIn(next: string): Promise<void> {
  await manager!.signinRedirect({ state: { next }, ui_locales: language() });
}

/** Back from the issuer with a code: exchanges it (with the PKCE verifier) for tokens. */
export async function completeProviderSignIn(): Promise<{ session: Session; next?: string }> {
  if (!manager) throw new Error('no sign-in at an issuer is configured');
  const user = await manager.signinRedirectCallback();
  const state = user.state as { next?: unknown } | undefined;
  return { session: sessionOf(user), next: typeof state?.next === 'string' ? state.next : undefined };
}

/** Ends the session at the issuer too (its end-session endpoint), then comes back to /signed-out. */
export async function providerSignOut(): Promise<void> {
  await manager!.signoutRedirect({ extraQueryParams: { ui_locales: language() } });
}

export async function completeProviderSignOut(): Promise<void> {
  await manager?.signoutRedirectCallback().catch(() => undefined);
  await manager?.removeUser();
}

/** Forgets the user in this tab (a token the API refused). */
export async function forgetProviderUser(): Promise<void> {
  await manager?.removeUser();
}
