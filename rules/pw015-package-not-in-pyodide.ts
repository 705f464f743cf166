import type { Rule } from '../src/engine/rule.js';
import type { RuntimeProfile, Severity } from '../src/engine/types.js';
import { nativeOnlyPackages, PYODIDE_KEYS, pyodidePackages, RUNTIME_OF, shippedDependencies, type NativePackage, type PyodideKey } from './lib/config-helpers.js';

export const rule: Rule = {
  meta: {
    code: 'PW015',
    name: 'package-not-in-pyodide',
    gotcha: 15,
    severity: 'error',
    languages: ['pyproject', 'requirements'],
    docs: {
      summary: 'A dependency with native code that no Pyodide build provides for this Worker\'s runtime',
      whatItDoes:
        'Reads the dependencies a Python Worker ships (`[project] dependencies` of its `pyproject.toml`, or its `requirements.txt`) and decides each one from package data, not a hand-written list: ' +
        'a distribution from the curated list of native-only packages (`rules/data/native-packages.json`, absent from every Pyodide build) is an error naming the alternative (pg8000 for psycopg2); ' +
        'a distribution that some Pyodide build ships as a compiled wheel but the build of this Worker\'s runtime does not is an error naming the runtime that has it. ' +
        'Pure-Python packages and packages in the runtime\'s Pyodide build (lxml, cryptography, pillow, numpy, …) are fine and never reported.',
      whyItBreaks:
        'Python Workers run on Pyodide (CPython compiled to WebAssembly). pywrangler installs packages with `--no-build`: a package with C, C++, Cython or Rust code installs only as a wheel Pyodide built for that runtime. Without one, `pywrangler sync`, `dev` and `deploy` fail to resolve the dependency.',
      whenItHolds:
        'Curated native-only packages: always. Packages missing from one Pyodide build: depends on the runtime (Pyodide 0.26 for Python 3.12, 0.28 for 3.13 with `python_workers_20250116`, 314 for 3.14 with `python_workers_20260610`); silent when the runtime is unknown. On the 3.12 runtime the finding is a warning: pywrangler resolves 3.12 Workers against the Pyodide 0.27 index, whose list is not in this tool\'s data. Dependency groups and optional dependencies are not shipped by pywrangler and are not checked; a marker that leaves the package out on emscripten silences the finding.',
      example: '# pyproject.toml\n[project]\ndependencies = [\n    "psycopg2>=2.9",\n    "lxml",\n]',
      useInstead: '[project]\ndependencies = [\n    "pg8000",  # pure Python; on the 3.14 runtime (raw sockets), or use D1\n    "lxml",    # in Pyodide\n]',
      fixSafety: 'No automatic fix: the alternative has a different API.',
      references: [
        { title: 'Cloudflare: Python packages', url: 'https://developers.cloudflare.com/workers/languages/python/packages/' },
        { title: 'Pyodide: packages built in Pyodide', url: 'https://pyodide.org/en/stable/usage/packages-in-pyodide.html' },
        { title: 'workers-py: pywrangler resolves with --no-build against the Pyodide index', url: 'https://github.com/cloudflare/workers-py/blob/main/packages/cli/src/pywrangler/resolve.py' },
      ],
    },
  },
  config(ctx) {
    const shipped = shippedDependencies(ctx);
    if (!shipped) return;
    const { worker, entries } = shipped;
    for (const entry of entries) {
      const verdict = judge(entry.name, worker.profile);
      if (verdict) ctx.report({ start: entry.start, end: entry.end, message: verdict.message(entry.rawName), severity: verdict.severity });
    }
  },
};

interface Verdict {
  severity: Severity;
  message: (written: string) => string;
}

/** Whether a distribution can be installed for a Worker with this profile; null when it can (or we cannot tell). */
function judge(name: string, profile: RuntimeProfile): Verdict | null {
  const data = pyodidePackages().versions;
  const key = profile.known ? (profile.pyodide as PyodideKey | null) : null;
  if (key && data[key].packages[name]) return null;
  const runtime = key ? `Pyodide ${key}, this Worker's ${RUNTIME_OF[key]}` : 'any Pyodide build';
  const curated = nativeOnlyPackages()[name];
  if (curated) {
    return {
      severity: 'error',
      message: (written) =>
        `\`${written}\` has native code and no build for ${runtime}; pywrangler installs prebuilt wheels only, so installing it fails. Use ${alternative(curated, key)}`,
    };
  }
  if (!key) return null;
  const elsewhere = PYODIDE_KEYS.filter((k) => k !== key && data[k].packages[name]?.native);
  if (!elsewhere.length) return null;
  const where = elsewhere.map((k) => `Pyodide ${k} (${RUNTIME_OF[k]})`).join(' and ');
  if (key === '0.26') {
    return {
      severity: 'warning',
      message: (written) =>
        `\`${written}\` is a compiled package that Pyodide 0.26 does not ship; it is built for ${where}. pywrangler resolves Python 3.12 Workers against the Pyodide 0.27 index: check that it has \`${name}\`, or move the Worker to a runtime that does`,
    };
  }
  return {
    severity: 'error',
    message: (written) => `\`${written}\` is a compiled package that ${runtime} does not ship, so pywrangler cannot install it; it is built for ${where}`,
  };
}

function alternative(p: NativePackage, key: PyodideKey | null): string {
  if (!p.alternativeNeedsSockets) return `${p.alternative} instead`;
  if (key === '314') return `${p.alternative} instead (pure Python; it opens raw TCP sockets, which this runtime supports)`;
  return `${p.alternative} instead: it is pure Python but opens raw TCP sockets, which work only on the Python 3.14 runtime (\`python_workers_20260610\`); otherwise use D1, KV or an HTTP API called with fetch`;
}
