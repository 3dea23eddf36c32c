// `npm run bench [-- --quick]`: install and build if needed, then run the benchmark (test/bench/run.ts).
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { root, ensureInstall, build } = require('./common');

ensureInstall();
build();
const result = spawnSync(process.execPath, [path.join(root, 'dist', 'test', 'bench', 'run.js'), ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
process.exit(result.status ?? 1);
