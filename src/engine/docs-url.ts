// Where a rule's catalogue entry lives: docs/rules/<CODE>.md in the project's repository,
// unless PYWORKERS_REVIEW_DOCS_URL or the repo config's docs_base_url says otherwise.
import { readPackageJson } from './package-root.js';

let defaultBase: string | null = null;

function repositoryDocsBase(): string {
  if (defaultBase) return defaultBase;
  const pkg = readPackageJson<{ repository?: string | { url?: string } }>('package.json');
  const raw = typeof pkg.repository === 'string' ? pkg.repository : (pkg.repository?.url ?? '');
  const web = raw.replace(/^git\+/, '').replace(/\.git$/, '').replace(/^git:\/\//, 'https://');
  defaultBase = `${web}/blob/main/docs/rules`;
  return defaultBase;
}

/** The folder that holds the rule pages (no trailing slash): `base`, else the environment, else the repository. */
export function docsRoot(base?: string): string {
  return trimSlashes(base ?? process.env.PYWORKERS_REVIEW_DOCS_URL ?? repositoryDocsBase());
}

/** A rule's page under a root docsRoot gave (the runner reads the root once per analysis). */
export function docsUrlIn(root: string, code: string): string {
  return `${root}/${code}.md`;
}

export function docsUrlFor(code: string, base?: string): string {
  return docsUrlIn(docsRoot(base), code);
}

function trimSlashes(root: string): string {
  // Trailing slashes, without /\/+$/ (quadratic on a long run of slashes not at the end).
  let end = root.length;
  while (end > 0 && root[end - 1] === '/') end--;
  return root.slice(0, end);
}
