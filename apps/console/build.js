// Builds the console's pages into dist/console: one JavaScript bundle and one stylesheet (hashed
// names), the message catalogs per language, index.html, and a gzip copy of each text file.
// Plain Node (esbuild's API), called by `npm run build`, `npm start` and `npm test`.
const fs = require('node:fs');
const path = require('node:path');
const zlib = require('node:zlib');

const here = __dirname;

/** Returns the sizes of what a browser downloads (bytes, raw and gzip). */
function buildConsole({ root, outDir = path.join(root, 'dist', 'console'), minify = true } = {}) {
  const esbuild = require(path.join(root, 'node_modules', 'esbuild'));
  fs.rmSync(outDir, { recursive: true, force: true });
  const result = esbuild.buildSync({
    absWorkingDir: root,
    entryPoints: { app: path.join(here, 'web', 'src', 'main.tsx') },
    bundle: true,
    minify,
    sourcemap: false,
    format: 'esm',
    target: ['es2020', 'chrome100', 'firefox100', 'safari15'],
    jsx: 'automatic',
    jsxImportSource: 'preact',
    outdir: path.join(outDir, 'assets'),
    entryNames: '[name]-[hash]',
    metafile: true,
    legalComments: 'none',
    logLevel: 'warning',
  });
  const outputs = Object.keys(result.metafile.outputs).map((f) => path.resolve(root, f));
  const js = outputs.find((f) => f.endsWith('.js'));
  const css = outputs.find((f) => f.endsWith('.css'));
  const rel = (f) => `/assets/${path.basename(f)}`;

  fs.mkdirSync(path.join(outDir, 'messages'), { recursive: true });
  for (const file of fs.readdirSync(path.join(here, 'web', 'messages'))) {
    const messages = JSON.parse(fs.readFileSync(path.join(here, 'web', 'messages', file), 'utf8'));
    fs.writeFileSync(path.join(outDir, 'messages', file), JSON.stringify(messages));
  }
  const html = fs
    .readFileSync(path.join(here, 'web', 'index.html'), 'utf8')
    .replace('%CSS%', rel(css))
    .replace('%JS%', rel(js));
  fs.writeFileSync(path.join(outDir, 'index.html'), html);
  fs.copyFileSync(path.join(here, 'web', 'favicon.svg'), path.join(outDir, 'favicon.svg'));

  const sizes = {};
  const walk = (dir) => fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => (d.isDirectory() ? walk(path.join(dir, d.name)) : [path.join(dir, d.name)]));
  for (const file of walk(outDir)) {
    if (!/\.(js|css|json|html|svg)$/.test(file)) continue;
    const raw = fs.readFileSync(file);
    const gz = zlib.gzipSync(raw, { level: 9 });
    fs.writeFileSync(`${file}.gz`, gz);
    sizes[path.relative(outDir, file)] = { raw: raw.length, gzip: gz.length };
  }
  return { js: sizes[path.relative(outDir, js)], css: sizes[path.relative(outDir, css)], files: sizes };
}

module.exports = { buildConsole };
