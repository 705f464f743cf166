import { ConfigDocument, type ConfigNode } from '../src/engine/config-doc.js';
import type { ConfigContext, Rule } from '../src/engine/rule.js';
import type { Worker } from '../src/engine/workspace.js';
import {
  correctionOf,
  fixIfPossible,
  flagListAnchor,
  flagLists,
  pythonWorkerConfig,
  scriptNames,
  sectionDate,
  sectionProfile,
  workerModules,
  workflowClasses,
  type FlagList,
} from './lib/config-helpers.js';

const FLAG = 'python_workers';
const WORKFLOWS_FLAG = 'python_workflows';
const WORKFLOWS_OFF = 'disable_python_workflows';
const WORKFLOWS_SINCE = '2025-09-20';

export const rule: Rule = {
  meta: {
    code: 'PW001',
    name: 'missing-python-workers-flag',
    gotcha: 1,
    severity: 'error',
    languages: ['wrangler'],
    fixable: 'safe',
    docs: {
      summary: 'A Python Worker lacks `python_workers`, or a Python Workflow lacks `python_workflows` where its date does not imply it',
      whatItDoes:
        'Reports a wrangler config (`wrangler.jsonc`, `wrangler.json`, `wrangler.toml`) whose `main` is a `.py` file and whose `compatibility_flags` do not include `python_workers`, at the top level or in an `env.<name>` section that sets its own flags. ' +
        'Also reports a Python Workflow (a `workflows` binding whose `class_name` is a class of this Worker deriving from `WorkflowEntrypoint`) that runs without `python_workflows`: compatibility date before 2025-09-20 and no explicit flag, or the flag switched off with `disable_python_workflows`.',
      whyItBreaks:
        'No compatibility date turns Python on: without `python_workers` the runtime refuses the Worker ("Python Workers require the python_workers compatibility flag") and pywrangler will not run it. ' +
        'Python Workflows need `python_workflows` as well; before 2025-09-20 no date implies it, so the Workflow class is not served as a Workflow and its instances fail.',
      whenItHolds:
        '`python_workers`: always, for every compatibility date. `python_workflows`: only for Workers with a Python Workflow whose compatibility date is before 2025-09-20 (from that date on the flag is implied), or that switch it off. Each `env.<name>` is checked with the date and flags it runs with (its own, or the top level ones it inherits).',
      example:
        '// wrangler.jsonc\n{\n  "main": "src/entry.py",\n  "compatibility_date": "2025-09-01",\n  "compatibility_flags": ["nodejs_compat"],\n  "workflows": [{ "name": "digest", "binding": "DIGEST", "class_name": "DigestWorkflow" }]\n}',
      useInstead:
        '{\n  "main": "src/entry.py",\n  "compatibility_date": "2025-09-01",\n  "compatibility_flags": ["nodejs_compat", "python_workers", "python_workflows"],\n  "workflows": [{ "name": "digest", "binding": "DIGEST", "class_name": "DigestWorkflow" }]\n}',
      fixSafety:
        'Safe: adds the missing flag to the `compatibility_flags` list the section runs with (creating the list when absent), keeping comments and formatting. Where `disable_python_workflows` switches Workflows off, the fix removing it is unsafe: someone chose that flag.',
      references: [
        { title: 'Cloudflare: Python Workers', url: 'https://developers.cloudflare.com/workers/languages/python/' },
        { title: 'Cloudflare: Python Workflows', url: 'https://developers.cloudflare.com/workflows/python/' },
        { title: 'Cloudflare: compatibility flags', url: 'https://developers.cloudflare.com/workers/configuration/compatibility-flags/' },
        { title: 'workerd: compatibility-date.capnp (pythonWorkflows)', url: 'https://github.com/cloudflare/workerd/blob/main/src/workerd/io/compatibility-date.capnp' },
      ],
    },
  },
  config(ctx) {
    const target = pythonWorkerConfig(ctx);
    if (!target) return;
    const { worker, doc } = target;
    for (const list of flagLists(doc)) {
      if (!list.flags.includes(FLAG)) reportMissingPythonWorkers(ctx, doc, list);
      checkWorkflows(ctx, worker, doc, list);
    }
  },
};

function reportMissingPythonWorkers(ctx: ConfigContext, doc: ConfigDocument, list: FlagList): void {
  const own = list.path.length > 1;
  const where = own ? `\`env.${String(list.path[1])}\`` : 'the';
  const misspelt = misspelling(list, FLAG);
  if (misspelt) {
    ctx.report({
      ...ConfigDocument.keyOrValue(misspelt.node),
      message: `\`${misspelt.written}\` is not a flag: ${where} \`compatibility_flags\` lack \`${FLAG}\`, so the Python Worker will not start`,
      fix: { applicability: 'safe', description: `Spell it \`${FLAG}\``, edits: doc.replaceValue(misspelt.node.path, FLAG) },
    });
    return;
  }
  const anchor = list.node ?? doc.get(['main']);
  ctx.report({
    ...(anchor ? ConfigDocument.keyOrValue(anchor) : flagListAnchor(doc, list, list.users[0])),
    message: `\`main\` is a Python file but ${where} \`compatibility_flags\` lack \`${FLAG}\`: the Worker will not start`,
    fix: fixIfPossible('safe', `Add \`${FLAG}\` to \`compatibility_flags\``, () => doc.appendToArray(list.path, FLAG)),
  });
}

/** Workflow classes of this Worker that the sections using `list` bind, when they run without python_workflows. */
/** The Worker's Workflow classes, read once per config (checkWorkflows runs once per flag list). */
const workflowClassesOf = new WeakMap<ConfigDocument, Map<string, boolean> | null>();

function checkWorkflows(ctx: ConfigContext, worker: Worker, doc: ConfigDocument, list: FlagList): void {
  // Read only for a section with Workflows to check: most Workers have none.
  const workerClasses = () => {
    let classes = workflowClassesOf.get(doc);
    if (classes === undefined) {
      const modules = workerModules(ctx.workspace, worker);
      workflowClassesOf.set(doc, (classes = modules ? workflowClasses(modules) : null));
    }
    return classes;
  };
  const needing: { className: string; date: string }[] = [];
  for (const section of list.users) {
    const bindings = doc.get([...section.path, 'workflows']);
    if (bindings?.kind !== 'array') continue;
    const profile = sectionProfile(doc, section, list.flags, worker);
    if (!profile.known || profile.flags.has(WORKFLOWS_FLAG)) continue;
    const classes = workerClasses();
    const ownNames = scriptNames(doc);
    for (const binding of bindings.children) {
      const className = pythonWorkflowClass(binding, classes, ownNames);
      if (className && !needing.some((n) => n.className === className)) needing.push({ className, date: sectionDate(doc, section).value! });
    }
  }
  if (!needing.length) return;
  const names = needing.map((n) => `\`${n.className}\``).join(', ');
  const offIndex = list.flags.indexOf(WORKFLOWS_OFF);
  const range = flagListAnchor(doc, list, list.users[0]);
  if (offIndex >= 0) {
    const offNode = list.node!.children.find((c) => c.value === WORKFLOWS_OFF)!;
    ctx.report({
      ...ConfigDocument.keyOrValue(offNode),
      message: `${names} ${needing.length > 1 ? 'are Python Workflows' : 'is a Python Workflow'}, but \`${WORKFLOWS_OFF}\` switches Python Workflows off: the Workflow will not run`,
      fix: {
        applicability: 'unsafe',
        description: `Remove \`${WORKFLOWS_OFF}\``,
        edits: doc.removeArrayItem([...list.path, list.node!.children.indexOf(offNode)]),
      },
    });
    return;
  }
  const misspelt = misspelling(list, WORKFLOWS_FLAG);
  if (misspelt) {
    ctx.report({
      ...ConfigDocument.keyOrValue(misspelt.node),
      message: `${names} ${needing.length > 1 ? 'are Python Workflows' : 'is a Python Workflow'}, but \`${misspelt.written}\` is not a flag and compatibility_date ${needing[0].date} is before ${WORKFLOWS_SINCE}: the Workflow will not run`,
      fix: { applicability: 'safe', description: `Spell it \`${WORKFLOWS_FLAG}\``, edits: doc.replaceValue(misspelt.node.path, WORKFLOWS_FLAG) },
    });
    return;
  }
  ctx.report({
    ...range,
    message: `${names} ${needing.length > 1 ? 'are Python Workflows' : 'is a Python Workflow'}, but compatibility_date ${needing[0].date} is before ${WORKFLOWS_SINCE} and \`compatibility_flags\` lack \`${WORKFLOWS_FLAG}\`: the Workflow will not run`,
    fix: fixIfPossible('safe', `Add \`${WORKFLOWS_FLAG}\` to \`compatibility_flags\``, () => doc.appendToArray(list.path, WORKFLOWS_FLAG)),
  });
}

/** A flag of the list that is a misspelling of `flag` (PW023 corrects the same way, so fixes agree). */
function misspelling(list: FlagList, flag: string): { node: ConfigNode; written: string } | null {
  const node = list.node?.children.find((c) => c.kind === 'string' && correctionOf(c.value as string) === flag);
  return node ? { node, written: node.value as string } : null;
}

/**
 * The class a `workflows` binding serves from this Worker, when it is a Python Workflow. A binding
 * with the `script_name` of another Worker is that Worker's business. When the Worker's Python
 * files can be read, the class must derive from `WorkflowEntrypoint` (or be defined out of sight);
 * when they cannot, a class of a Python Worker is a Python class.
 */
function pythonWorkflowClass(binding: ConfigNode, classes: Map<string, boolean> | null, ownNames: Set<string>): string | null {
  const value = binding.value as Record<string, unknown> | null;
  const className = value?.class_name;
  if (typeof className !== 'string') return null;
  if (typeof value?.script_name === 'string' && !ownNames.has(value.script_name)) return null;
  if (classes && classes.has(className) && !classes.get(className)) return null;
  return className;
}
