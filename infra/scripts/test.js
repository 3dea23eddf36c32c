// `npm test`: install, build, start a fresh Temporal dev server and PostgreSQL (or use
// TEMPORAL_ADDRESS / DATABASE_URL), migrate, run every jest tier, stop, exit with jest's code.
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { root, ensureInstall, build, lint, requireBuilt, runNode, ensureChromium, ensureSchemathesis, ensureDeployTools, ensurePyshacl, ensureMoto, runsTier } = require('./common');

async function main() {
  const started = Date.now();
  ensureInstall();
  build();
  try {
    // SKIP_LINT=1 while iterating on one suite (`npm run lint` checks on its own); CI always lints.
    if (!process.env.SKIP_LINT || process.env.CI) lint();
  } catch (err) {
    console.error(`[test] ${err.message}`);
    return 1;
  }
  // The browser tier drives Debian's Chromium (installed with apt when missing; not looked for
  // when the jest arguments leave that tier out).
  const chromium = ensureChromium(process.argv.slice(2));
  // The fuzz tier drives schemathesis (PyPI), installed into .runtime/ when missing.
  const schemathesis = ensureSchemathesis(process.argv.slice(2));
  // The deploy tier renders and checks infra/deploy: kubectl (apt), kubernetes-validate and checkov (PyPI).
  const deployTools = ensureDeployTools(process.argv.slice(2));
  // The CPSV-AP export's test validates it with pySHACL (PyPI), installed into .runtime/ when that test runs.
  const pyshacl = ensurePyshacl(process.argv.slice(2));
  // The S3 document store's tests run against moto's S3-compatible server (PyPI), installed into .runtime/ when they run.
  const moto = ensureMoto(process.argv.slice(2));
  const { startRuntime, resolveTemporalTestServer } = requireBuilt('libs/runtime/src/index.js');
  // Time-skipping tests (integration tier) run on the Temporal test server (PyPI), installed into .runtime/ when missing.
  let testServer;
  try {
    testServer = runsTier(process.argv.slice(2), 'integration') ? resolveTemporalTestServer(root) : undefined;
  } catch (err) {
    console.error(`\n[test] ${err.message}`);
    return 1;
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'levensloop-test-'));
  let runtime;
  try {
    runtime = await startRuntime({ projectRoot: root, dataDir });
  } catch (err) {
    console.error(`\n[test] The runtime could not start, so the tests cannot run:\n${err.message}`);
    return 1;
  }
  // Tests set up data as the owner; the processes they start connect as RUNTIME_DATABASE_URL's login.
  const env = { DATABASE_URL: runtime.migrationDatabaseUrl, RUNTIME_DATABASE_URL: runtime.databaseUrl, TEMPORAL_ADDRESS: runtime.temporalAddress, TEMPORAL_UI_URL: runtime.temporalUiUrl ?? '', LEVENSLOOP_TEST_RUNTIME: '1', ...(chromium ? { CHROMIUM_PATH: chromium } : {}), ...(schemathesis ? { SCHEMATHESIS_PATH: schemathesis } : {}), ...(deployTools ? { KUBECTL_PATH: deployTools.kubectl, KUBERNETES_VALIDATE_PATH: deployTools.kubernetesValidate, CHECKOV_PATH: deployTools.checkov } : {}), ...(testServer ? { TEMPORAL_TEST_SERVER_PATH: testServer } : {}), ...(pyshacl ? { PYSHACL_PATH: pyshacl } : {}), ...(moto ? { MOTO_SERVER_PATH: moto } : {}) };
  let code = 1;
  try {
    runNode('apps/cli/src/main.js', ['migrate'], env);
    // Asynchronous on purpose: this process holds the pipes of PostgreSQL's and Temporal's logs,
    // and a blocking spawn would stop draining them until a full pipe stalls the database.
    const jest = spawn(process.execPath, [path.join(root, 'node_modules', 'jest', 'bin', 'jest.js'), '--runInBand', ...process.argv.slice(2)], {
      cwd: root,
      stdio: 'inherit',
      env: { ...process.env, ...env },
    });
    code = await new Promise((resolve) => {
      jest.on('error', () => resolve(1));
      jest.on('exit', (status) => resolve(status ?? 1));
    });
  } finally {
    await runtime.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  console.error(`[test] finished in ${((Date.now() - started) / 1000).toFixed(1)} s with exit code ${code}`);
  return code;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
