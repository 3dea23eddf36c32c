import { ConfigError, loadConfig, type LevensloopConfig } from './config';
import { probeDatabaseRole } from './database-role';
import { DEV_TOKEN_PATH, readProfile, SANDBOX_DISCOVERY_MARK, type Env } from './production';

export interface IssuerProbe {
  /** Why the production profile refuses this issuer (empty: nothing found). */
  refusals: string[];
  /** What could not be checked (the issuer did not answer). */
  warnings: string[];
}

/**
 * Asks the issuer itself whether it hands out tokens without credentials: its discovery
 * document's token endpoint, and a development token asked for at `<issuer>/dev-token` (the
 * sandbox's). A static look at the URL cannot tell a development issuer deployed under another
 * name; this can. An issuer that cannot be reached is a warning, not a refusal: it says nothing
 * about the issuer, and the gateway refuses every token until it answers anyway.
 */
export async function probeIssuer(issuer: string, timeoutMs = 5000): Promise<IssuerProbe> {
  const base = issuer.replace(/\/+$/, '');
  const refusals: string[] = [];
  const warnings: string[] = [];
  const get = (url: string) => fetch(url, { redirect: 'manual', signal: AbortSignal.timeout(timeoutMs), headers: { accept: 'application/json' } });
  const json = async (res: Response): Promise<Record<string, unknown> | undefined> => {
    try {
      const body = await res.json();
      return body && typeof body === 'object' ? (body as Record<string, unknown>) : undefined;
    } catch {
      return undefined;
    }
  };
  const candidates = new Set([`${base}${DEV_TOKEN_PATH}`]);
  let sandboxMark: unknown;
  try {
    const discovery = await get(`${base}/.well-known/openid-configuration`);
    const document = discovery.ok ? await json(discovery) : undefined;
    const endpoint = document?.token_endpoint;
    sandboxMark = document?.[SANDBOX_DISCOVERY_MARK];
    if (typeof endpoint === 'string' && new URL(endpoint, base).pathname.endsWith(DEV_TOKEN_PATH)) candidates.add(endpoint);
  } catch (err) {
    warnings.push(`could not read the issuer's discovery document at ${base}/.well-known/openid-configuration (${(err as Error).message}); its token endpoint was not checked`);
  }
  for (const url of candidates) {
    try {
      const res = await get(`${url}?role=auditor`);
      const body = res.ok ? await json(res) : undefined;
      if (typeof body?.access_token === 'string') {
        refusals.push(`OIDC_ISSUER offers a development token endpoint: ${url} hands out an access token to anyone who asks`);
      }
    } catch (err) {
      warnings.push(`could not ask ${url} whether it hands out tokens (${(err as Error).message})`);
    }
  }
  // The sandbox's OpenID provider with its token endpoint switched off still lets anyone sign in as anyone.
  if (!refusals.length && sandboxMark !== undefined) {
    refusals.push(`OIDC_ISSUER is the sandbox's OpenID provider (its discovery says ${SANDBOX_DISCOVERY_MARK}), whose sign-in page lets anyone sign in as any role without a password`);
  }
  return { refusals, warnings };
}

/**
 * loadConfig, and in the production profile also the checks that need the network (the issuer
 * probed for a development token endpoint; the database asked whether its login could rewrite the
 * logs). Every reason, static or probed, in one ConfigError.
 */
export async function loadStartupConfig(env: Env = process.env, warn: (message: string) => void = console.warn): Promise<LevensloopConfig> {
  let config: LevensloopConfig | undefined;
  const problems: string[] = [];
  try {
    config = loadConfig(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    problems.push(...err.problems);
  }
  const issuer = env.OIDC_ISSUER?.trim();
  if (readProfile(env).profile === 'production' && issuer && URL.canParse(issuer)) {
    const probe = await probeIssuer(issuer);
    for (const warning of probe.warnings) warn(`production profile: ${warning}`);
    problems.push(...probe.refusals.map((reason) => `production profile: ${reason}`));
  }
  if (config?.profile === 'production') {
    const role = await probeDatabaseRole(config.databaseUrl);
    for (const warning of role.warnings) warn(`production profile: ${warning}`);
    problems.push(...role.refusals.map((reason) => `production profile: ${reason}`));
  }
  if (problems.length || !config) throw new ConfigError(problems);
  return config;
}
