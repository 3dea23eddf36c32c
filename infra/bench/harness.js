// What every benchmark script does around its measurements.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { root, ensureInstall, build, requireBuilt } = require('../scripts/common');

/** A numeric command-line flag, `--name N`. */
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};

/**
 * Installs and builds if needed, starts a runtime of its own (Temporal dev server, embedded
 * PostgreSQL) in a temporary folder, and runs `measure({ runtime, startApp, freePort })`.
 * `startApp(app, env, readyUrl)` starts a built app of dist/apps and waits until it answers.
 * Afterwards, also when it failed (exit code 1), the apps and the runtime are stopped and the
 * folder is removed.
 */
function runBenchmark(name, measure) {
  const run = async () => {
    ensureInstall();
    build();
    const { startRuntime, startNodeProcess, freePort } = requireBuilt('libs/runtime/src/index.js');
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), `levensloop-bench-${name}-`));
    const runtime = await startRuntime({ projectRoot: root, dataDir });
    const apps = [];
    const startApp = async (app, env, readyUrl) => {
      const started = await startNodeProcess({ name: app, script: path.join(root, 'dist', 'apps', app, 'src', 'main.js'), env, readyUrl, quiet: true });
      apps.push(started);
      return started;
    };
    try {
      await measure({ runtime, startApp, freePort });
    } finally {
      for (const app of apps.reverse()) await app.stop();
      await runtime.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  };
  run().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}

module.exports = { arg, runBenchmark };
