// Runs a compiled entry point: `node infra/scripts/run-built.js apps/cli/src/main.js migrate`.
const path = require('node:path');
const { root } = require('./common');
const [entry, ...args] = process.argv.slice(2);
process.argv = [process.argv[0], path.join(root, 'dist', entry), ...args];
require(path.join(root, 'dist', entry));
