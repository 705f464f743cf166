// Locate files shipped with the package (rules/data, schema, docs) from source or from dist/.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let root: string | null = null;

export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && JSON.parse(readFileSync(pkg, 'utf8')).name === 'pyworkers-review') return (root = dir);
    const up = dirname(dir);
    if (up === dir) throw new Error('pyworkers-review: cannot find the package root');
    dir = up;
  }
}

export function readPackageJson<T = unknown>(relative: string): T {
  return JSON.parse(readFileSync(join(packageRoot(), relative), 'utf8')) as T;
}
