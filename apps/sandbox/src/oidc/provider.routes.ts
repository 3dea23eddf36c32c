import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type Provider from 'oidc-provider';
import type { Logger } from 'pino';
import { accountFromForm, type SignInChoices } from './accounts';
import { pageLanguage } from './page-messages';
import { errorPage, loginPage, PAGE_CSP } from './pages';
import { createOidcProvider, interactionBase, type OidcProviderOptions } from './provider';

export interface ProviderRoutesOptions extends Omit<OidcProviderOptions, 'issuer'> {
  /** The issuer (`<base>/oidc`) as the request shows it, when the sandbox's public URL is not known yet. */
  issuerFor: (req: Request) => string;
  choices: () => SignInChoices;
  logger: Logger;
}

/**
 * The OpenID provider under /oidc, with its login page. The provider is made on the first request,
 * when the issuer URL is known (the listening port of a sandbox on port 0).
 */
export function providerRoutes(options: ProviderRoutesOptions): Router {
  const router = Router();
  let made: Promise<{ provider: Provider; handle: ReturnType<Provider['callback']>; issuer: string }> | undefined;
  const get = (req: Request) =>
    (made ??= (async () => {
      const issuer = options.issuerFor(req);
      const provider = await createOidcProvider({ ...options, issuer });
      provider.on('server_error', (_ctx, err) => options.logger.error({ err }, 'oidc provider error'));
      return { provider, handle: provider.callback(), issuer };
    })());

  const page = (res: Response, status: number, body: string) => {
    res.status(status).set({ 'content-type': 'text/html; charset=utf-8', 'content-security-policy': PAGE_CSP, 'cache-control': 'no-store' }).send(body);
  };
  const langOf = (req: Request, params: Record<string, unknown> = {}) =>
    pageLanguage(typeof params.ui_locales === 'string' ? params.ui_locales : undefined, req.get('accept-language'));
  // An interaction that is gone (expired, its cookie missing) ends on a page that says so.
  const guarded = (handler: (req: Request, res: Response, provider: Provider, issuer: string) => Promise<void>) => async (req: Request, res: Response, next: NextFunction) => {
    try {
      const { provider, issuer } = await get(req);
      await handler(req, res, provider, issuer);
    } catch (err) {
      const e = err as { name?: string; error_description?: string; message?: string; statusCode?: number };
      if (e.statusCode && e.statusCode < 500) return page(res, e.statusCode, errorPage(langOf(req), e.error_description ?? e.message ?? 'error'));
      next(err);
    }
  };

  const showLogin = async (req: Request, res: Response, provider: Provider, issuer: string, form?: Record<string, string>, errors?: string[]) => {
    const details = await provider.interactionDetails(req, res);
    const client = await provider.Client.find(String(details.params.client_id));
    page(
      res,
      errors?.length ? 400 : 200,
      loginPage({
        lang: langOf(req, details.params),
        action: `${interactionBase(issuer)}/${encodeURIComponent(details.uid)}`,
        clientName: client?.clientName ?? String(details.params.client_id),
        choices: options.choices(),
        form,
        errors,
      }),
    );
  };

  router.get(
    '/oidc/interaction/:uid',
    guarded(async (req, res, provider, issuer) => {
      const details = await provider.interactionDetails(req, res);
      if (details.prompt.name === 'login') return showLogin(req, res, provider, issuer);
      // Consent is never asked of the first-party console (its grant is made at once), so any
      // other prompt is answered with what the session already holds.
      await provider.interactionFinished(req, res, {}, { mergeWithLastSubmission: true });
    }),
  );

  const form = express.urlencoded({ extended: false, limit: '16kb' });
  router.post(
    '/oidc/interaction/:uid/login',
    form,
    guarded(async (req, res, provider, issuer) => {
      const details = await provider.interactionDetails(req, res);
      if (details.prompt.name !== 'login') return void res.status(400).end();
      const body = (req.body ?? {}) as Record<string, string>;
      const { account, errors } = accountFromForm(body, options.nameOf);
      if (!account) return showLogin(req, res, provider, issuer, body, errors);
      const accountId = `${account.role}:${account.agency ?? account.nationalNumber ?? account.enterpriseNumber ?? 'dev'}`;
      await provider.interactionFinished(req, res, { login: { accountId } }, { mergeWithLastSubmission: false });
    }),
  );
  router.post(
    '/oidc/interaction/:uid/abort',
    form,
    guarded(async (req, res, provider) => {
      await provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'The person cancelled the sign-in.' }, { mergeWithLastSubmission: false });
    }),
  );

  // Discovery and keys answer any origin, like a public provider's (the provider adds its own CORS
  // to the token and end-session endpoints, for the console's origins only).
  router.use(['/oidc/.well-known/openid-configuration', '/oidc/jwks'], (req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD') res.setHeader('access-control-allow-origin', '*');
    next();
  });
  router.use('/oidc', (req, res, next) => {
    get(req).then(({ handle }) => handle(req, res), next);
  });
  return router;
}
