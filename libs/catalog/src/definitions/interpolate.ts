/**
 * `${NAME}` and `${NAME:-default}` in endpoint strings (and agencies' endpoint hosts), replaced at
 * apply time so one catalog serves the sandbox, a test stack on a random port and production. An
 * empty variable counts as unset (as with the shell's `:-`).
 *
 * Only variables meant for the catalog are read: names starting with `CATALOG_`, and
 * `SANDBOX_URL` / `SANDBOX_HOST` (the sandbox's address). A file that names any other variable
 * (`${DATABASE_URL}`, a secret) is refused, so a catalog file can never copy the engine's
 * configuration into an endpoint that is then called, or shown to agencies.
 */
const VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

export const CATALOG_VARIABLE_PREFIX = 'CATALOG_';
export const CATALOG_VARIABLES: readonly string[] = ['SANDBOX_URL', 'SANDBOX_HOST'];

/** Values used when neither the environment nor the file gives one. */
export const DEFAULT_VARIABLES: Readonly<Record<string, string>> = { SANDBOX_URL: 'http://127.0.0.1:3100' };

export type Env = Record<string, string | undefined>;

export interface Interpolated {
  value: string;
  /** Variables that have no value anywhere; `value` keeps their `${…}` text. */
  missing: string[];
  /** Variables a catalog file may not read; `value` keeps their `${…}` text. */
  forbidden: string[];
}

export const mayReadVariable = (name: string) => name.startsWith(CATALOG_VARIABLE_PREFIX) || CATALOG_VARIABLES.includes(name);

/** The message for a variable a catalog file may not read. */
export const forbiddenVariableMessage = (name: string) =>
  `\${${name}} may not be used: catalog files read only variables named ${CATALOG_VARIABLE_PREFIX}* and ${CATALOG_VARIABLES.join(', ')} (never the engine's own settings or secrets); rename it, e.g. ${CATALOG_VARIABLE_PREFIX}${name}`;

export function interpolate(text: string, env: Env, defaults: Readonly<Record<string, string>> = DEFAULT_VARIABLES): Interpolated {
  const missing: string[] = [];
  const forbidden: string[] = [];
  const value = text.replace(VARIABLE, (whole, name: string, inline: string | undefined) => {
    if (!mayReadVariable(name)) {
      forbidden.push(name);
      return whole;
    }
    const fromEnv = name === 'SANDBOX_HOST' ? sandboxHost(env, defaults) : env[name];
    if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
    if (inline !== undefined) return inline;
    if (defaults[name] !== undefined) return defaults[name];
    missing.push(name);
    return whole;
  });
  return { value, missing, forbidden };
}

/** SANDBOX_HOST: given, or the host:port of SANDBOX_URL (so one variable moves the whole sandbox). */
function sandboxHost(env: Env, defaults: Readonly<Record<string, string>>): string | undefined {
  if (env.SANDBOX_HOST) return env.SANDBOX_HOST;
  const url = env.SANDBOX_URL || defaults.SANDBOX_URL;
  try {
    return url ? new URL(url).host : undefined;
  } catch {
    return undefined;
  }
}
