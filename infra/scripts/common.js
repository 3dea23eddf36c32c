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
function build() {
  const started = Date.now();
  const tsc = spawnSync(process.execPath, [path.join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  if (tsc.status !== 0) throw new Error('TypeScript build failed');
  execFileSync(process.execPath, [path.join(root, 'dist', 'apps', 'worker', 'src', 'workflow-bundle.js')], { cwd: root, stdio: 'inherit' });
  require(path.join(root, 'apps', 'console', 'build.js')).buildConsole({ root });
  console.error(`[setup] built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/**
 * The browser tests drive Debian's Chromium: installed with apt when missing (no browser
 * download of its own). CHROMIUM_PATH points at another Chromium or Chrome instead.
 */
function ensureChromium() {
  const found = chromiumPath();
  if (found) return found;
  if (process.platform !== 'linux' || !fs.existsSync('/usr/bin/apt-get')) {
    throw new Error('Chromium is missing: install it, or set CHROMIUM_PATH to a Chromium or Chrome binary.');
  }
  console.error('[setup] installing Chromium for the browser tests (apt-get install chromium)');
  const sudo = process.getuid && process.getuid() !== 0 ? ['sudo'] : [];
  const apt = (args) => {
    const [cmd, ...rest] = [...sudo, 'apt-get', ...args];
    const result = spawnSync(cmd, rest, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
    if (result.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed (exit ${result.status})`);
  };
  apt(['update']);
  apt(['install', '-y', 'chromium']);
  const installed = chromiumPath();
  if (!installed) throw new Error('apt-get installed chromium, but no chromium binary was found');
  return installed;
}

function chromiumPath() {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean);
  return candidates.find((p) => fs.existsSync(p));
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

module.exports = { root, ensureInstall, build, lint, requireBuilt, runNode, ensureChromium, chromiumPath };
