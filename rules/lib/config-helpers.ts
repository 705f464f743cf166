// What the config rules share: a wrangler config's sections and the flags each one runs with,
// the Python modules of a Worker, dependency entries with their ranges, and the Pyodide package
// data. Rules stay small and agree on the same reading of a config.
import { posix } from 'node:path';
import { editDistance } from '../../src/engine/spelling.js';
import { ConfigDocument, type ConfigNode, type ConfigPath } from '../../src/engine/config-doc.js';
import { readPackageJson } from '../../src/engine/package-root.js';
import { deriveProfile, KNOWN_PYTHON_FLAGS, SDK_DISTRIBUTIONS } from '../../src/engine/profile.js';
import { PythonSource, type SyntaxNode } from '../../src/engine/python.js';
import { normalizeDistName, parseRequirementString } from '../../src/engine/requirements.js';
import type { ConfigContext } from '../../src/engine/rule.js';
import type { Applicability, OffsetEdit, OffsetFix, RuntimeProfile } from '../../src/engine/types.js';
import { pyprojectDependencies, type Worker, type Workspace } from '../../src/engine/workspace.js';

export type Range = { start: number; end: number };

// ---- wrangler config: sections, inheritance, flags ----

/** The top level of a wrangler config, or one of its `env.<name>` objects. */
export interface Section {
  /** [] for the top level, ['env', name] for an environment. */
  path: ConfigPath;
  /** Environment name, null for the top level. */
  env: string | null;
  /** For messages: "the top level" or "`env.staging`". */
  label: string;
  node: ConfigNode;
}

/** The wrangler config being linted when it defines a Python Worker, or null. */
export function pythonWorkerConfig(ctx: ConfigContext): { worker: Worker; doc: ConfigDocument } | null {
  const worker = ctx.worker;
  if (!worker || !ctx.doc || worker.configPath !== ctx.path || !worker.main?.endsWith('.py')) return null;
  return { worker, doc: ctx.doc };
}

/** Sections and flag lists of a document, read once: most config rules ask for them. */
const sectionsOf = new WeakMap<ConfigDocument, readonly Section[]>();
const flagListsOf = new WeakMap<ConfigDocument, readonly FlagList[]>();

/** The sections of a wrangler config (shared between callers: never modified). */
export function sections(doc: ConfigDocument): readonly Section[] {
  let out = sectionsOf.get(doc);
  if (!out) sectionsOf.set(doc, (out = readSections(doc)));
  return out;
}

function readSections(doc: ConfigDocument): Section[] {
  const out: Section[] = [{ path: [], env: null, label: 'the top level', node: doc.root }];
  const envs = doc.get(['env']);
  if (envs?.kind === 'object') {
    for (const env of envs.children) {
      if (env.kind !== 'object') continue;
      const name = String(env.path[env.path.length - 1]);
      out.push({ path: ['env', name], env: name, label: `\`env.${name}\``, node: env });
    }
  }
  return out;
}

/** A key an environment inherits from the top level when it does not set it (wrangler's "inheritable keys"). */
export function inherited(doc: ConfigDocument, section: Section, key: string): ConfigNode | undefined {
  return doc.get([...section.path, key]) ?? (section.path.length ? doc.get([key]) : undefined);
}

export function stringItems(node: ConfigNode | undefined): string[] {
  return node?.kind === 'array' ? node.children.filter((c) => c.kind === 'string').map((c) => c.value as string) : [];
}

/**
 * A `compatibility_flags` list and the sections that run with it: the top-level list serves the
 * top level and every environment without a list of its own. A fix to a flag belongs in the list.
 */
export interface FlagList {
  /** Path of the `compatibility_flags` key (which may be absent). */
  path: ConfigPath;
  node: ConfigNode | undefined;
  flags: string[];
  users: Section[];
}

/** The flag lists of a wrangler config (shared between callers: never modified). */
export function flagLists(doc: ConfigDocument): readonly FlagList[] {
  let out = flagListsOf.get(doc);
  if (!out) flagListsOf.set(doc, (out = readFlagLists(doc)));
  return out;
}

function readFlagLists(doc: ConfigDocument): FlagList[] {
  const all = sections(doc);
  const top: FlagList = { path: ['compatibility_flags'], node: doc.get(['compatibility_flags']), flags: [], users: [] };
  top.flags = stringItems(top.node);
  const lists = [top];
  for (const s of all) {
    const own = s.path.length ? doc.get([...s.path, 'compatibility_flags']) : undefined;
    if (s.path.length && own) lists.push({ path: [...s.path, 'compatibility_flags'], node: own, flags: stringItems(own), users: [s] });
    else top.users.push(s);
  }
  return lists;
}

/** The compatibility date a section runs with, as written (null when absent or not a string). */
export function sectionDate(doc: ConfigDocument, section: Section): { value: string | null; node: ConfigNode | undefined } {
  const node = inherited(doc, section, 'compatibility_date');
  return { value: node?.kind === 'string' ? (node.value as string) : null, node };
}

/** The last profile made per section (the rules of one config ask for the same ones): shared, never modified. */
const sectionProfiles = new WeakMap<Section, { doc: ConfigDocument; flags: readonly string[]; worker: Worker | null; profile: RuntimeProfile }>();

/** The runtime profile of one section of a Worker's config, with `flags` in place of its own. */
export function sectionProfile(doc: ConfigDocument, section: Section, flags: string[], worker: Worker | null): RuntimeProfile {
  const last = sectionProfiles.get(section);
  if (last && last.doc === doc && last.flags === flags && last.worker === worker) return last.profile;
  const profile = deriveSectionProfile(doc, section, flags, worker);
  sectionProfiles.set(section, { doc, flags, worker, profile });
  return profile;
}

function deriveSectionProfile(doc: ConfigDocument, section: Section, flags: string[], worker: Worker | null): RuntimeProfile {
  return deriveProfile(
    {
      compatibilityDate: sectionDate(doc, section).value,
      flags,
      pyprojectDependencies: worker?.pyproject ? pyprojectDependencies(worker.pyproject) : null,
    },
    { workerRoot: worker?.root ?? '', configPath: worker?.configPath ?? '' },
  );
}

/** Where to point for something missing from a flag list: the list's key, else the date, else `main`. */
export function flagListAnchor(doc: ConfigDocument, list: FlagList, section: Section): Range {
  const node =
    list.node ??
    doc.get([...section.path, 'compatibility_date']) ??
    doc.get(['compatibility_date']) ??
    doc.get([...section.path, 'main']) ??
    doc.get(['main']) ??
    section.node;
  return ConfigDocument.keyOrValue(node);
}

/** Script names a Worker's config binds to (service bindings, Durable Objects and Workflows of other scripts). */
export function boundScriptNames(doc: ConfigDocument): Set<string> {
  const names = new Set<string>();
  for (const s of sections(doc)) {
    const data = s.node.value as Record<string, any>;
    for (const b of asArray(data?.services)) if (typeof b?.service === 'string') names.add(b.service);
    for (const b of asArray(data?.durable_objects?.bindings)) if (typeof b?.script_name === 'string') names.add(b.script_name);
    for (const b of asArray(data?.workflows)) if (typeof b?.script_name === 'string') names.add(b.script_name);
  }
  return names;
}

/** The names a Worker is deployed under: its `name`, and `<name>-<env>` or an environment's own `name`. */
const scriptNamesOf = new WeakMap<ConfigDocument, Set<string>>();

export function scriptNames(doc: ConfigDocument): Set<string> {
  // Rules ask once per section: computed once per document, or a config with many env sections costs n².
  const known = scriptNamesOf.get(doc);
  if (known) return known;
  const names = new Set<string>();
  scriptNamesOf.set(doc, names);
  const top = doc.get(['name'])?.value;
  for (const s of sections(doc)) {
    const own = doc.get([...s.path, 'name'])?.value;
    if (typeof own === 'string') names.add(own);
    else if (typeof top === 'string') names.add(s.env ? `${top}-${s.env}` : top);
  }
  return names;
}

function asArray(v: unknown): any[] {
  return Array.isArray(v) ? v : [];
}

/**
 * A fix whose edits the document can make; none when it cannot (a `compatibility_flags` that is a
 * string rather than a list, say), so that the finding still stands without a fix.
 */
export function fixIfPossible(applicability: Applicability, description: string, edits: () => OffsetEdit[]): OffsetFix | undefined {
  try {
    return { applicability, description, edits: edits() };
  } catch {
    return undefined;
  }
}

// ---- flag names ----


/** What unknownPythonFlag says about a flag. Shared between callers: never modified. */
export interface UnknownFlag {
  readonly nearest: readonly string[];
  readonly distance: number;
  readonly dated: boolean;
}

const KNOWN_FLAG_SET: ReadonlySet<string> = new Set(KNOWN_PYTHON_FLAGS);

/**
 * Verdicts on flags seen before: four rules ask about the same few flags in every config. Flags up
 * to a realistic length only, and a bounded number of them.
 */
const flagVerdicts = new Map<string, UnknownFlag | null>();
const MAX_REMEMBERED_FLAG = 100;
const MAX_REMEMBERED_FLAGS = 2048;

/**
 * For a flag that is not a known Python flag but looks like one: the known flags nearest to it.
 * Null for known flags and for flags that are not about Python. Dated runtime flags
 * (`python_workers_YYYYMMDD`) are never "corrected" into another date: a new runtime may exist.
 */
export function unknownPythonFlag(flag: string): UnknownFlag | null {
  if (KNOWN_FLAG_SET.has(flag)) return null;
  const remembered = flagVerdicts.get(flag);
  if (remembered !== undefined) return remembered;
  const verdict = judgeFlag(flag);
  if (flag.length <= MAX_REMEMBERED_FLAG) {
    if (flagVerdicts.size >= MAX_REMEMBERED_FLAGS) flagVerdicts.clear();
    flagVerdicts.set(flag, verdict);
  }
  return verdict;
}

function judgeFlag(flag: string): UnknownFlag | null {
  const lower = flag.toLowerCase();
  let best: string[] = [];
  let distance = Infinity;
  for (const known of KNOWN_PYTHON_FLAGS) {
    // The distance is at least the difference in length: a flag that far off is neither nearer nor as near.
    if (Math.abs(known.length - lower.length) > distance) continue;
    const d = editDistance(lower, known);
    if (d < distance) {
      distance = d;
      best = [known];
    } else if (d === distance) best.push(known);
  }
  const looksPython = /pyth?on|pyodide/.test(lower) || distance <= 2;
  if (!looksPython) return null;
  const dated = /^python_workers_\d{8}$/.test(lower);
  return Object.freeze({ nearest: Object.freeze(best), distance, dated });
}

/** The single known flag a misspelling stands for, when the correction is clear; else null. */
export function correctionOf(flag: string): string | null {
  const u = unknownPythonFlag(flag);
  if (!u || u.dated || u.nearest.length !== 1) return null;
  const limit = Math.max(1, Math.min(3, Math.floor(u.nearest[0].length / 5)));
  return u.distance <= limit ? u.nearest[0] : null;
}

// ---- the Worker's Python modules ----

const parsed = new WeakMap<Workspace, Map<string, PythonSource | null>>();

function sourceAt(workspace: Workspace, path: string): PythonSource | null {
  let cache = parsed.get(workspace);
  if (!cache) parsed.set(workspace, (cache = new Map()));
  if (!cache.has(path)) {
    const text = workspace.text(path);
    cache.set(path, text === undefined ? null : new PythonSource(path, text));
  }
  return cache.get(path)!;
}

/**
 * The Python modules of a Worker that can be read: its `main` and the local modules reachable from
 * it through imports (module names resolve from the folder of `main`, as in the runtime). Null when
 * `main` itself cannot be read (a pull request that does not touch it, for instance).
 */
export function workerModules(workspace: Workspace, worker: Worker): PythonSource[] | null {
  if (!worker.main?.endsWith('.py')) return null;
  const mainPath = posix.normalize(posix.join(worker.root, worker.main));
  const main = sourceAt(workspace, mainPath);
  if (!main) return null;
  const base = posix.dirname(mainPath);
  const seen = new Map<string, PythonSource>([[mainPath, main]]);
  const queue = [main];
  while (queue.length && seen.size < 500) {
    const source = queue.shift()!;
    for (const b of source.imports()) {
      for (const path of localModuleCandidates(base, source.path, b.node, b.qualified)) {
        if (seen.has(path)) continue;
        const next = sourceAt(workspace, path);
        if (next) {
          seen.set(path, next);
          queue.push(next);
        }
      }
    }
  }
  return [...seen.values()];
}

/** True when `module` is a file of the Worker itself (a local `workers.py` shadows the SDK). */
export function isLocalModule(workspace: Workspace, worker: Worker, module: string): boolean {
  if (!worker.main) return false;
  const base = posix.dirname(posix.normalize(posix.join(worker.root, worker.main)));
  const rel = module.split('.').join('/');
  return workspace.text(`${base}/${rel}.py`) !== undefined || workspace.text(`${base}/${rel}/__init__.py`) !== undefined;
}

const MAX_MODULE_DEPTH = 64;

function localModuleCandidates(base: string, fromPath: string, stmt: SyntaxNode, qualified: string): string[] {
  const relative = /^from\s+(\.+)([\w.]*)/.exec(stmt.text);
  let dir = base;
  let dotted = qualified;
  if (relative) {
    dir = posix.dirname(fromPath);
    for (let i = 1; i < relative[1].length; i++) dir = posix.dirname(dir);
    // `qualified` is written relative to the dots: drop them.
    dotted = qualified.replace(/^\.+/, '');
  }
  const parts = dotted.split('.').filter(Boolean);
  // No Worker keeps modules this many folders deep; the candidates of a longer dotted name would
  // take memory quadratic in its length (10,000 segments: gigabytes).
  if (parts.length > MAX_MODULE_DEPTH) return [];
  const out: string[] = [];
  // `from a.b import c` may name the module a.b or the submodule a.b.c.
  for (let n = parts.length; n >= 1; n--) {
    const rel = parts.slice(0, n).join('/');
    out.push(posix.normalize(`${dir}/${rel}.py`), posix.normalize(`${dir}/${rel}/__init__.py`));
  }
  return out;
}

/** Names bound by a top-level class statement with its bases (decorated classes included). */
function topLevelClasses(source: PythonSource): { name: string; bases: SyntaxNode[] }[] {
  const out: { name: string; bases: SyntaxNode[] }[] = [];
  for (const stmt of source.root.namedChildren) {
    const cls = stmt.type === 'decorated_definition' ? stmt.childForFieldName('definition') : stmt;
    if (cls?.type !== 'class_definition') continue;
    const name = cls.childForFieldName('name')?.text;
    const bases = cls.childForFieldName('superclasses')?.namedChildren.filter((n) => n.type !== 'keyword_argument') ?? [];
    if (name) out.push({ name, bases });
  }
  return out;
}

/**
 * Top-level classes of the modules, each with whether it derives (directly or through other local
 * classes) from `workers.WorkflowEntrypoint`.
 */
export function workflowClasses(modules: readonly PythonSource[]): Map<string, boolean> {
  const classes = modules.flatMap((m) => topLevelClasses(m).map((c) => ({ ...c, source: m })));
  const result = new Map<string, boolean>(classes.map((c) => [c.name, false]));
  for (let changed = true; changed; ) {
    changed = false;
    for (const c of classes) {
      if (result.get(c.name)) continue;
      const derives = c.bases.some((b) => {
        const resolved = c.source.resolve(b);
        const last = (resolved ?? b.text).split('.').pop()!;
        if (last === 'WorkflowEntrypoint' && (resolved === null || resolved.startsWith('workers'))) return true;
        return result.get(last) === true;
      });
      if (derives) {
        result.set(c.name, true);
        changed = true;
      }
    }
  }
  return result;
}

/** The first import of the `workers` SDK in the modules, or null. */
export function workersImport(modules: readonly PythonSource[]): { path: string; node: SyntaxNode } | null {
  for (const m of modules) {
    const b = m.imports().find((i) => i.qualified === 'workers' || i.qualified.startsWith('workers.'));
    if (b) return { path: m.path, node: b.node };
  }
  return null;
}

// ---- dependencies ----

/** The distributions a pyproject.toml ships with the Worker: pywrangler installs `[project] dependencies` only. */
export interface DependencyEntry {
  /** PEP 503 name. */
  name: string;
  rawName: string;
  /** Version specifier as written, '' when none. */
  specifier: string;
  /** Environment marker after `;`, '' when none. */
  marker: string;
  /** Range to report: the whole string in pyproject.toml, the requirement on its line in requirements.txt. */
  start: number;
  end: number;
  /** Range of the specifier text, when there is one. */
  specifierStart?: number;
  specifierEnd?: number;
}

export function projectDependencies(doc: ConfigDocument): DependencyEntry[] {
  const list = doc.get(['project', 'dependencies']);
  if (list?.kind !== 'array') return [];
  const out: DependencyEntry[] = [];
  for (const item of list.children) {
    if (item.kind !== 'string') continue;
    const raw = item.value as string;
    const parsedReq = parseRequirementString(raw);
    if (!parsedReq || parsedReq.specifier.startsWith('@')) continue;
    const marker = raw.includes(';') ? raw.slice(raw.indexOf(';') + 1).trim() : '';
    const entry: DependencyEntry = { ...parsedReq, marker, start: item.start, end: item.end };
    if (parsedReq.specifier) {
      // The string's text as written, quotes included; escapes are rare in requirement strings.
      const written = doc.text.slice(item.start, item.end);
      const at = written.indexOf(parsedReq.specifier, written.indexOf(parsedReq.rawName) + parsedReq.rawName.length);
      if (at >= 0) {
        entry.specifierStart = item.start + at;
        entry.specifierEnd = item.start + at + parsedReq.specifier.length;
      }
    }
    out.push(entry);
  }
  return out;
}

/** Dependencies of a requirements.txt file as entries (markers read from the line). */
export function requirementEntries(ctx: ConfigContext): DependencyEntry[] {
  return ctx.requirements.map((r) => {
    const line = ctx.text.slice(r.start, r.end);
    const marker = line.includes(';') ? line.slice(line.indexOf(';') + 1).trim() : '';
    const entry: DependencyEntry = { name: r.name, rawName: r.rawName, specifier: r.specifier, marker, start: r.start, end: r.end };
    if (r.specifier) {
      const at = line.indexOf(r.specifier, r.rawName.length);
      if (at >= 0) {
        entry.specifierStart = r.start + at;
        entry.specifierEnd = r.start + at + r.specifier.length;
      }
    }
    return entry;
  });
}

/** True when an environment marker leaves the package out on Pyodide (emscripten / wasm32). */
export function markerExcludesPyodide(marker: string): boolean {
  if (!marker || /\bor\b/.test(marker)) return false;
  if (/(sys_platform|platform_system)\s*!=\s*['"]emscripten['"]/i.test(marker)) return true;
  if (/platform_machine\s*!=\s*['"]wasm32['"]/i.test(marker)) return true;
  const eq = /(sys_platform|platform_system)\s*==\s*['"]([^'"]*)['"]/i.exec(marker);
  return eq !== null && eq[2].toLowerCase() !== 'emscripten';
}

/** The dependencies a Python Worker ships from this file, or null when the file is not a Worker's. */
export function shippedDependencies(ctx: ConfigContext): { worker: Worker; entries: DependencyEntry[] } | null {
  const worker = ctx.worker;
  if (!worker || !worker.main?.endsWith('.py')) return null;
  let entries: DependencyEntry[];
  if (ctx.language === 'pyproject' && ctx.doc && worker.pyprojectPath === ctx.path) entries = projectDependencies(ctx.doc);
  else if (ctx.language === 'requirements' && posix.basename(ctx.path) === 'requirements.txt' && dirOf(ctx.path) === worker.root) entries = requirementEntries(ctx);
  else return null;
  return { worker, entries: entries.filter((e) => !markerExcludesPyodide(e.marker)) };
}

/** True when the folder's pyproject.toml lists workers-py: a project pywrangler builds. */
export function isPywranglerProject(workspace: Workspace, dir: string): boolean {
  const path = dir ? `${dir}/pyproject.toml` : 'pyproject.toml';
  const text = workspace.text(path);
  if (text === undefined) return false;
  // A Worker's own pyproject.toml was parsed by the Workspace (null there when it does not parse).
  const worker = workspace.workerOf(path);
  if (worker && worker.pyprojectPath === path) return worker.pyproject !== null && pyprojectDependencies(worker.pyproject).includes('workers-py');
  try {
    return pyprojectDependencies(ConfigDocument.parse(text, 'toml')).includes('workers-py');
  } catch {
    return false;
  }
}

export function listsSdk(worker: Worker): boolean {
  return worker.pyproject !== null && pyprojectDependencies(worker.pyproject).some((d) => SDK_DISTRIBUTIONS.includes(d));
}

export function dirOf(path: string): string {
  const d = posix.dirname(path);
  return d === '.' ? '' : d;
}

// ---- Pyodide package data ----

export type PyodideKey = '0.26' | '0.28' | '314';

export interface LockPackage {
  version: string;
  native: boolean;
  imports: string[];
}

interface PackageData {
  versions: Record<PyodideKey, { pyodide: string; workersPython: string; packages: Record<string, LockPackage> }>;
}

export interface NativePackage {
  alternative: string;
  alternativeDistribution?: string;
  alternativeNeedsSockets?: boolean;
  alternativeNote?: string;
  imports: string[];
  reason: string;
  source: string;
}

let packageData: PackageData | null = null;
let nativeData: Record<string, NativePackage> | null = null;

export function pyodidePackages(): PackageData {
  return (packageData ??= readPackageJson<PackageData>('rules/data/pyodide-packages.json'));
}

export function nativeOnlyPackages(): Record<string, NativePackage> {
  return (nativeData ??= readPackageJson<{ packages: Record<string, NativePackage> }>('rules/data/native-packages.json').packages);
}

export const PYODIDE_KEYS: readonly PyodideKey[] = ['0.26', '0.28', '314'];

/** How a runtime line is selected, for messages. */
export const RUNTIME_OF: Record<PyodideKey, string> = {
  '0.26': 'Python 3.12 runtime (the default before 2025-09-29)',
  '0.28': 'Python 3.13 runtime (`python_workers_20250116`, implied from 2025-09-29)',
  '314': 'Python 3.14 runtime (`python_workers_20260610`)',
};

// ---- versions (PEP 440, the part pins use) ----

interface Version {
  release: number[];
  /** Pre-release rank: -1 none; 0 a, 1 b, 2 rc; dev releases sort before everything. */
  pre: [number, number] | null;
  dev: number | null;
  post: number | null;
}

const VERSION = /^v?(\d+(?:\.\d+)*)(?:[-_.]?(a|b|c|rc|alpha|beta|pre|preview)[-_.]?(\d*))?(?:[-_.]?(?:post|rev|r)[-_.]?(\d*))?(?:[-_.]?dev[-_.]?(\d*))?$/i;

export function parseVersion(text: string): Version | null {
  const m = VERSION.exec(text.trim());
  if (!m) return null;
  const preKind = m[2]?.toLowerCase();
  const preRank = preKind === undefined ? -1 : preKind.startsWith('a') ? 0 : preKind.startsWith('b') ? 1 : 2;
  return {
    release: m[1].split('.').map(Number),
    pre: preRank < 0 ? null : [preRank, Number(m[3] || 0)],
    post: m[4] !== undefined ? Number(m[4] || 0) : null,
    dev: m[5] !== undefined ? Number(m[5] || 0) : null,
  };
}

export function compareVersions(a: Version, b: Version): number {
  const n = Math.max(a.release.length, b.release.length);
  for (let i = 0; i < n; i++) {
    const d = (a.release[i] ?? 0) - (b.release[i] ?? 0);
    if (d) return Math.sign(d);
  }
  const rank = (v: Version): number[] => [
    v.pre === null && v.dev !== null && v.post === null ? -2 : v.pre === null ? 3 : v.pre[0],
    v.pre ? v.pre[1] : 0,
    v.post ?? -1,
    v.dev ?? Infinity,
  ];
  const ra = rank(a);
  const rb = rank(b);
  for (let i = 0; i < ra.length; i++) if (ra[i] !== rb[i]) return Math.sign(ra[i] - rb[i]);
  return 0;
}

/**
 * Whether `version` satisfies a specifier (`==1.2`, `>=2,<3`, `~=2.2`, `==2.*`); null when the
 * specifier has a part this reading cannot decide (arbitrary equality, unusual syntax).
 */
export function satisfies(version: string, specifier: string): boolean | null {
  const v = parseVersion(version);
  if (!v) return null;
  for (const clause of specifier.split(',')) {
    const m = /^\s*(==|!=|<=|>=|<|>|~=)\s*([^\s]+)\s*$/.exec(clause);
    if (!m) return null;
    const [, op, target] = m;
    if (target.endsWith('.*')) {
      if (op !== '==' && op !== '!=') return null;
      const prefix = parseVersion(target.slice(0, -2));
      if (!prefix) return null;
      const matches = prefix.release.every((p, i) => (v.release[i] ?? 0) === p);
      if (matches !== (op === '==')) return false;
      continue;
    }
    const t = parseVersion(target);
    if (!t) return null;
    const c = compareVersions(v, t);
    let ok: boolean;
    switch (op) {
      case '==':
        ok = c === 0;
        break;
      case '!=':
        ok = c !== 0;
        break;
      case '<':
        ok = c < 0;
        break;
      case '<=':
        ok = c <= 0;
        break;
      case '>':
        ok = c > 0;
        break;
      case '>=':
        ok = c >= 0;
        break;
      default: {
        // ~=X.Y[.Z]: >= X.Y[.Z] and the same release up to the last-but-one part.
        if (t.release.length < 2) return null;
        const fixed = t.release.slice(0, -1);
        ok = c >= 0 && fixed.every((p, i) => (v.release[i] ?? 0) === p);
      }
    }
    if (!ok) return false;
  }
  return true;
}
