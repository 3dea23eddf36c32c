/**
 * Makes the @levensloop/* path aliases resolvable when running compiled code from dist/.
 * Imported first (by relative path) in every app entry point.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { register } from 'tsconfig-paths';

export function findProjectRoot(from: string = __dirname): string {
  let dir = from;
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest) && JSON.parse(fs.readFileSync(manifest, 'utf8')).name === 'levensloop') return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`No levensloop package.json above ${from}`);
    dir = parent;
  }
}

const compiled = __filename.endsWith('.js');
if (compiled) {
  const root = findProjectRoot();
  const tsconfig = JSON.parse(fs.readFileSync(path.join(root, 'tsconfig.base.json'), 'utf8'));
  const paths: Record<string, string[]> = {};
  for (const [alias, targets] of Object.entries<string[]>(tsconfig.compilerOptions.paths)) {
    paths[alias] = targets.map((t) => t.replace(/\.ts$/, ''));
  }
  register({ baseUrl: path.join(root, 'dist'), paths, addMatchAll: false });
}
