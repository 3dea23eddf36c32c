/**
 * `${NAME}` and `${NAME:-default}` in endpoint strings, replaced at apply time so one catalog
 * serves the sandbox, a test stack on a random port and production. An empty variable counts as
 * unset (as with the shell's `:-`).
 */
const VARIABLE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;

/** Values used when neither the environment nor the file gives one. */
export const DEFAULT_VARIABLES: Readonly<Record<string, string>> = { SANDBOX_URL: 'http://127.0.0.1:3100' };

export type Env = Record<string, string | undefined>;

export interface Interpolated {
  value: string;
  /** Variables that have no value anywhere; `value` keeps their `${…}` text. */
  missing: string[];
}

export function interpolate(text: string, env: Env, defaults: Readonly<Record<string, string>> = DEFAULT_VARIABLES): Interpolated {
  const missing: string[] = [];
  const value = text.replace(VARIABLE, (whole, name: string, inline: string | undefined) => {
    const fromEnv = env[name];
    if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
    if (inline !== undefined) return inline;
    if (defaults[name] !== undefined) return defaults[name];
    missing.push(name);
    return whole;
  });
  return { value, missing };
}
