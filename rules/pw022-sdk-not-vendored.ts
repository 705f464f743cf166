import { ConfigDocument, type ConfigNode } from '../src/engine/config-doc.js';
import type { ConfigContext, Rule } from '../src/engine/rule.js';
import type { RuntimeProfile } from '../src/engine/types.js';
import type { Worker } from '../src/engine/workspace.js';
import {
  flagLists,
  isLocalModule,
  listsSdk,
  pythonWorkerConfig,
  sectionDate,
  sectionProfile,
  workerModules,
  workersImport,
  type FlagList,
  type Section,
} from './lib/config-helpers.js';

const FLAG = 'enable_python_external_sdk';
const SINCE = '2026-04-21';

export const rule: Rule = {
  meta: {
    code: 'PW022',
    name: 'sdk-not-vendored',
    gotcha: 22,
    severity: 'error',
    languages: ['wrangler'],
    appliesTo: (p) => p.flags.has(FLAG) && p.sdk !== 'unknown',
    docs: {
      summary: 'The runtime no longer provides the `workers` SDK (compatibility date 2026-04-21 or later) and nothing vendors it',
      whatItDoes:
        'Reports the `compatibility_date` of a Python Worker when it turns on `enable_python_external_sdk` (2026-04-21 or later, or the flag set explicitly: then the flag is reported), the Worker\'s Python code imports `workers`, and its `pyproject.toml` lists neither `workers-py` nor `workers-runtime-sdk`.',
      whyItBreaks:
        'From that date the runtime stops bundling the `workers` SDK (`WorkerEntrypoint`, `Response`, `fetch`, …): the Worker must ship its own copy in `python_modules`, which pywrangler 1.9 and later adds (`workers-runtime-sdk`) when it builds the project. Deployed with plain wrangler and no vendored copy, `import workers` raises `ModuleNotFoundError` and the Worker does not start.',
      whenItHolds:
        '`enable_python_external_sdk` in force: compatibility date 2026-04-21 or later without `disable_python_external_sdk`, or the flag set explicitly. Silent when pyproject.toml lists `workers-py` or `workers-runtime-sdk` (in any dependency group), when a package.json script in the Worker folder runs pywrangler, when the Worker has its own `workers` module, and when none of its Python files imports `workers`. When the Python files cannot be read (a pull request that changes only the config), a Worker whose date also turns on `python_no_global_handlers` must import its entrypoint class from `workers`, so it is reported.',
      example: '// wrangler.jsonc (no pyproject.toml; deployed with `wrangler deploy`)\n{\n  "main": "src/entry.py",\n  "compatibility_date": "2026-05-12",\n  "compatibility_flags": ["python_workers"]\n}',
      useInstead:
        '# pyproject.toml beside it, and deploy with `uv run pywrangler deploy`\n[project]\nname = "notebook-viewer"\nversion = "0.1.0"\ndependencies = []\n\n[dependency-groups]\ndev = ["workers-py"]',
      fixSafety: 'No automatic fix: the remedy is a new file (`pyproject.toml`) and another build command, or an earlier compatibility date.',
      references: [
        { title: 'workers-py: pywrangler and workers-runtime-sdk', url: 'https://github.com/cloudflare/workers-py' },
        { title: 'Cloudflare: Python packages (pywrangler)', url: 'https://developers.cloudflare.com/workers/languages/python/packages/' },
        { title: 'workerd: compatibility-date.capnp (pythonExternalSDK)', url: 'https://github.com/cloudflare/workerd/blob/main/src/workerd/io/compatibility-date.capnp' },
      ],
    },
  },
  config(ctx) {
    const target = pythonWorkerConfig(ctx);
    if (!target) return;
    const { worker, doc } = target;
    // The sections that run without the built-in SDK, first: most Workers have none, and the
    // checks that follow read other files of the Worker.
    const external: { list: FlagList; section: Section; profile: RuntimeProfile }[] = [];
    for (const list of flagLists(doc)) {
      for (const section of list.users) {
        const profile = sectionProfile(doc, section, list.flags, worker);
        if (profile.known && profile.flags.has(FLAG)) external.push({ list, section, profile });
      }
    }
    if (!external.length) return;
    if (listsSdk(worker) || buildsWithPywrangler(ctx, worker) || isLocalModule(ctx.workspace, worker, 'workers')) return;
    const modules = workerModules(ctx.workspace, worker);
    const imported = modules ? workersImport(modules) : null;
    if (modules && !imported) return;
    const reported = new Set<ConfigNode>();
    for (const { list, section, profile } of external) {
      if (!imported && !profile.flags.has('python_no_global_handlers')) continue;
      const date = sectionDate(doc, section);
      const byDate = !list.flags.includes(FLAG) && date.value! >= SINCE;
      const anchor = byDate ? date.node : list.node?.children.find((c) => c.value === FLAG);
      if (!anchor || reported.has(anchor)) continue;
      reported.add(anchor);
      const cause = byDate ? `compatibility_date ${date.value} (${SINCE} or later) turns on \`${FLAG}\`` : `\`${FLAG}\` is set`;
      const where = imported ? `\`import workers\` in ${imported.path}:${imported.node.startPosition.row + 1}` : 'importing the `WorkerEntrypoint` class from `workers`';
      ctx.report({
        ...(byDate ? { start: anchor.start, end: anchor.end } : ConfigDocument.keyOrValue(anchor)),
        message: `${cause}: the runtime no longer provides the \`workers\` SDK and nothing vendors it (no \`workers-py\` or \`workers-runtime-sdk\` in pyproject.toml), so ${where} fails. Build with pywrangler (add \`workers-py\` to a pyproject.toml dependency group) or keep an earlier date`,
      });
    }
  },
};

/** A package.json script of the Worker folder that runs pywrangler, which vendors workers-runtime-sdk itself. */
function buildsWithPywrangler(ctx: ConfigContext, worker: Worker): boolean {
  const text = ctx.workspace.text(worker.root ? `${worker.root}/package.json` : 'package.json');
  if (text === undefined) return false;
  try {
    const scripts = (ConfigDocument.parse(text, 'jsonc').data as { scripts?: Record<string, unknown> }).scripts ?? {};
    return Object.values(scripts).some((s) => typeof s === 'string' && /\bpywrangler\b/.test(s));
  } catch {
    return false;
  }
}
