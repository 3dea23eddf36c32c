// `npm run bench [-- --quick]`: install and build if needed, then run the benchmark (test/bench/run.ts).
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { root, ensureInstall, build } = require('./common');

ensureInstall();
build();
// Tracing is off in the benchmark unless asked for (OTEL_SDK_DISABLED=false): production leaves it
// off until an OTLP endpoint is configured, and the figures stay comparable with earlier runs.
const env = { OTEL_SDK_DISABLED: 'true', ...process.env };
const result = spawnSync(process.execPath, [path.join(root, 'dist', 'test', 'bench', 'run.js'), ...process.argv.slice(2)], { cwd: root, stdio: 'inherit', env });
process.exit(result.status ?? 1);
