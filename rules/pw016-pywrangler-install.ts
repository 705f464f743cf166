import { posix } from 'node:path';
import type { ConfigContext, Rule } from '../src/engine/rule.js';
import { dirOf, isPywranglerProject, pyodidePackages, RUNTIME_OF, satisfies, shippedDependencies, type PyodideKey } from './lib/config-helpers.js';

export const rule: Rule = {
  meta: {
    code: 'PW016',
    name: 'pywrangler-install',
    gotcha: 16,
    severity: 'error',
    languages: ['pyproject', 'requirements', 'wrangler'],
    fixable: 'unsafe',
    docs: {
      summary: 'What makes `pywrangler sync` fail: pins that conflict with the compiled packages Pyodide builds, `requirements.txt`, and `wrangler.json` in a pywrangler project',
      whatItDoes:
        'Reports three things pywrangler refuses. (1) A version specifier in `[project] dependencies` that excludes the one version Pyodide builds of a compiled package for the Worker\'s runtime (`numpy==1.26.4` when the runtime\'s Pyodide has numpy 2.2.5), at the dependency string. ' +
        '(2) A `requirements.txt` beside a `pyproject.toml` that lists `workers-py`: a file-level finding, placed on the first requirement (or the first line when it has none). ' +
        '(3) A `wrangler.json` in such a project: a file-level finding on the config\'s first key.',
      whyItBreaks:
        'pywrangler resolves `[project] dependencies` with `uv pip compile --no-build` for the Pyodide platform: a compiled package exists only as the wheel Pyodide built, in that one version, so a pin that excludes it cannot be resolved. ' +
        'pywrangler stops with "requirements.txt exists. Delete the file to continue" when the project has one, and it looks only for `wrangler.jsonc` or `wrangler.toml`, so with `wrangler.json` it cannot find the config (or reads a different one than wrangler deploys).',
      whenItHolds:
        'Pins: for compiled packages in the Pyodide build of the Worker\'s runtime (0.28 for Python 3.13, 314 for 3.14), when the specifier is decidable (==, !=, <, <=, >, >=, ~=, ==X.*). Pure-Python packages can be pinned freely (pywrangler also takes them from PyPI). Not checked on the 3.12 runtime, which pywrangler resolves against the Pyodide 0.27 index, absent from this tool\'s data. ' +
        '`requirements.txt` and `wrangler.json`: when the folder\'s `pyproject.toml` lists `workers-py` (a pywrangler project).',
      example: '# pyproject.toml (Worker on compatibility_date 2025-11-01: Python 3.13, Pyodide 0.28)\n[project]\ndependencies = ["numpy==1.26.4"]',
      useInstead: '[project]\ndependencies = ["numpy==2.2.5"]  # or no pin: "numpy"',
      fixSafety:
        'Unsafe, and only for exact pins: replaces the pinned version with the one Pyodide builds, which may change behaviour. The file-level findings have no fix: move the requirements into `[project] dependencies` and delete `requirements.txt`; rename `wrangler.json` to `wrangler.jsonc`.',
      references: [
        { title: 'Cloudflare: Python packages', url: 'https://developers.cloudflare.com/workers/languages/python/packages/' },
        { title: 'workers-py: pywrangler sync (requirements.txt check)', url: 'https://github.com/cloudflare/workers-py/blob/main/packages/cli/src/pywrangler/sync.py' },
        { title: 'workers-py: pywrangler config lookup (wrangler.jsonc, wrangler.toml)', url: 'https://github.com/cloudflare/workers-py/blob/main/packages/cli/src/pywrangler/utils.py' },
        { title: 'Pyodide: packages built in Pyodide', url: 'https://pyodide.org/en/stable/usage/packages-in-pyodide.html' },
      ],
    },
  },
  config(ctx) {
    if (ctx.language === 'wrangler') checkWranglerJson(ctx);
    if (ctx.language === 'requirements') checkRequirementsFile(ctx);
    checkPins(ctx);
  },
};

function checkPins(ctx: ConfigContext): void {
  if (ctx.language !== 'pyproject') return;
  const shipped = shippedDependencies(ctx);
  if (!shipped) return;
  const profile = shipped.worker.profile;
  if (!profile.known || (profile.pyodide !== '0.28' && profile.pyodide !== '314')) return;
  const key = profile.pyodide as PyodideKey;
  const lock = pyodidePackages().versions[key];
  for (const entry of shipped.entries) {
    const pkg = lock.packages[entry.name];
    if (!pkg?.native || !entry.specifier || satisfies(pkg.version, entry.specifier) !== false) continue;
    const exact = /^\s*===?\s*[^,*]+$/.test(entry.specifier);
    ctx.report({
      start: entry.start,
      end: entry.end,
      message: `\`${entry.rawName}${entry.specifier}\` excludes ${entry.rawName} ${pkg.version}, the only build Pyodide ${key} has for this Worker's ${RUNTIME_OF[key]}: a compiled package cannot be resolved in another version`,
      fix:
        exact && entry.specifierStart !== undefined
          ? {
              applicability: 'unsafe',
              description: `Pin the version Pyodide builds, ${pkg.version}`,
              edits: [{ start: entry.specifierStart, end: entry.specifierEnd!, text: `==${pkg.version}` }],
            }
          : undefined,
    });
  }
}

function checkRequirementsFile(ctx: ConfigContext): void {
  if (posix.basename(ctx.path) !== 'requirements.txt' || !isPywranglerProject(ctx.workspace, dirOf(ctx.path))) return;
  const first = ctx.requirements[0];
  const firstLine = /\S[^\r\n]*/.exec(ctx.text);
  const range = first ? { start: first.start, end: first.end } : firstLine ? { start: firstLine.index, end: firstLine.index + firstLine[0].length } : { start: 0, end: 0 };
  ctx.report({
    ...range,
    message:
      'This project uses pywrangler (`workers-py` in pyproject.toml), which refuses to run while requirements.txt exists: move these requirements into `[project] dependencies` and delete the file (this finding is about the whole file)',
  });
}

function checkWranglerJson(ctx: ConfigContext): void {
  if (posix.basename(ctx.path) !== 'wrangler.json' || !ctx.doc) return;
  const dir = dirOf(ctx.path);
  if (!isPywranglerProject(ctx.workspace, dir)) return;
  const root = ctx.doc.root;
  const firstKey = root.kind === 'object' ? root.children[0] : undefined;
  const range = firstKey?.keyStart !== undefined ? { start: firstKey.keyStart, end: firstKey.keyEnd! } : { start: root.start, end: Math.min(root.start + 1, root.end) };
  const sibling = ['wrangler.jsonc', 'wrangler.toml'].find((n) => ctx.workspace.text(dir ? `${dir}/${n}` : n) !== undefined);
  ctx.report({
    ...range,
    message: sibling
      ? `pywrangler reads ${sibling} while wrangler uses this wrangler.json: the two disagree on the config of this pywrangler project (this finding is about the whole file)`
      : 'pywrangler looks only for wrangler.jsonc or wrangler.toml, so it stops in this pywrangler project (`workers-py` in pyproject.toml): rename this file to wrangler.jsonc (this finding is about the whole file)',
  });
}
