// Files → Workers (config + runtime profile) → which Worker each file belongs to.
import { posix } from 'node:path';
import { ConfigDocument, ConfigParseError } from './config-doc.js';
import { deriveProfile, unknownProfile, type ProfileInput } from './profile.js';
import { normalizeDistName, parseRequirementString } from './requirements.js';
import type { Language, RuntimeProfile } from './types.js';

export interface SourceFile {
  /** Relative path with `/`. */
  path: string;
  text: string;
}

export interface RuntimeOverrides {
  compatibility_date?: string;
  compatibility_flags?: string[];
  sdk?: 'vendored' | 'built-in';
}

export interface Worker {
  /** Folder of the Worker ('' at the repository root). */
  root: string;
  configPath: string;
  config: ConfigDocument | null;
  configError: ConfigParseError | null;
  /** `main` as written, or null. */
  main: string | null;
  /** True when `main` is a .py file (or unknown because the config did not parse). */
  python: boolean;
  pyprojectPath: string | null;
  pyproject: ConfigDocument | null;
  profile: RuntimeProfile;
}

export const WRANGLER_NAMES = ['wrangler.json', 'wrangler.jsonc', 'wrangler.toml'];
/** A path segment naming a folder that is never read: .git, node_modules, .venv, venv, python_modules, __pycache__, .wrangler. */
const SKIPPED_SEGMENT = /(?:^|\/)(?:\.git|node_modules|\.venv|venv|python_modules|__pycache__|\.wrangler)(?:\/|$)/;

/** Which language a path is linted as, or null when it is not a file this tool reads. */
export function languageOf(path: string): Language | null {
  const base = posix.basename(path);
  if (WRANGLER_NAMES.includes(base)) return 'wrangler';
  if (base === 'pyproject.toml') return 'pyproject';
  if (/^requirements.*\.txt$/.test(base)) return 'requirements';
  if (base === 'package.json') return 'package-json';
  if (base.endsWith('.py')) return 'python';
  return null;
}

export function isSkippedPath(path: string): boolean {
  // One regular expression rather than a split: the runner asks for every file.
  return SKIPPED_SEGMENT.test(path);
}

export function configFormat(path: string): 'jsonc' | 'toml' {
  return path.endsWith('.toml') ? 'toml' : 'jsonc';
}

/** All distribution names a pyproject.toml lists, in any dependency group. */
export function pyprojectDependencies(doc: ConfigDocument): string[] {
  const data = doc.data as Record<string, any>;
  const specs: unknown[] = [];
  const project = data?.project ?? {};
  if (Array.isArray(project.dependencies)) specs.push(...project.dependencies);
  for (const group of Object.values(project['optional-dependencies'] ?? {})) if (Array.isArray(group)) specs.push(...group);
  for (const group of Object.values(data?.['dependency-groups'] ?? {})) if (Array.isArray(group)) specs.push(...group);
  const uvDev = data?.tool?.uv?.['dev-dependencies'];
  if (Array.isArray(uvDev)) specs.push(...uvDev);
  const poetry = data?.tool?.poetry;
  for (const table of [poetry?.dependencies, poetry?.['dev-dependencies'], ...Object.values(poetry?.group ?? {}).map((g: any) => g?.dependencies)]) {
    if (table && typeof table === 'object') specs.push(...Object.keys(table));
  }
  return specs
    .filter((s): s is string => typeof s === 'string')
    .map((s) => parseRequirementString(s)?.name ?? normalizeDistName(s))
    .filter(Boolean);
}

export class Workspace {
  readonly workers: Worker[];
  private readonly byPath: Map<string, string>;
  private readonly byRoot: Map<string, Worker>;
  private readonly byConfig: Map<string, Worker>;

  constructor(
    files: readonly SourceFile[],
    private readonly overrides: RuntimeOverrides = {},
  ) {
    this.byPath = new Map(files.map((f) => [f.path, f.text]));
    this.workers = this.findWorkers();
    this.byRoot = new Map(this.workers.map((w) => [w.root, w]));
    this.byConfig = new Map(this.workers.map((w) => [w.configPath, w]));
  }

  text(path: string): string | undefined {
    return this.byPath.get(path);
  }

  private findWorkers(): Worker[] {
    const byDir = new Map<string, string>();
    for (const path of this.byPath.keys()) {
      if (isSkippedPath(path)) continue;
      const base = posix.basename(path);
      if (!WRANGLER_NAMES.includes(base)) continue;
      const dir = dirOf(path);
      const current = byDir.get(dir);
      // Wrangler reads wrangler.json, then wrangler.jsonc, then wrangler.toml.
      if (!current || WRANGLER_NAMES.indexOf(base) < WRANGLER_NAMES.indexOf(posix.basename(current))) byDir.set(dir, path);
    }
    const workers: Worker[] = [];
    // One call per Worker (rather than one long loop body), so that V8 optimizes it as a function.
    for (const [root, configPath] of byDir) workers.push(this.readWorker(root, configPath));
    // Deepest first, so a nested Worker owns its files.
    return workers.sort((a, b) => b.root.length - a.root.length);
  }

  /** The Worker a wrangler config defines: its config, pyproject.toml and runtime profile. */
  private readWorker(root: string, configPath: string): Worker {
    const text = this.byPath.get(configPath)!;
    let config: ConfigDocument | null = null;
    let configError: ConfigParseError | null = null;
    try {
      config = ConfigDocument.parse(text, configFormat(configPath));
    } catch (err) {
      // ConfigDocument.parse throws only ConfigParseError; anything else still leaves the runtime unknown.
      configError = err instanceof ConfigParseError ? err : new ConfigParseError(`cannot be read: ${String(err)}`, 0);
    }
    const data = (config?.data ?? {}) as Record<string, unknown>;
    const main = typeof data.main === 'string' ? data.main : null;
    const python = configError !== null || (main !== null && main.endsWith('.py'));
    const pyprojectPath = join(root, 'pyproject.toml');
    let pyproject: ConfigDocument | null = null;
    const pyText = this.byPath.get(pyprojectPath);
    if (pyText !== undefined) {
      try {
        pyproject = ConfigDocument.parse(pyText, 'toml');
      } catch {
        pyproject = null;
      }
    }
    let profile: RuntimeProfile;
    if (configError) {
      profile = unknownProfile(`${configPath} could not be parsed: runtime unknown`, root, configPath);
    } else {
      const flags = Array.isArray(data.compatibility_flags) ? data.compatibility_flags.filter((f): f is string => typeof f === 'string') : [];
      const input: ProfileInput = {
        compatibilityDate: typeof data.compatibility_date === 'string' ? data.compatibility_date : null,
        flags,
        pyprojectDependencies: pyproject ? pyprojectDependencies(pyproject) : null,
      };
      profile = deriveProfile(this.applyOverrides(input), { workerRoot: root, configPath });
      if (this.overrides.sdk) profile.sdk = this.overrides.sdk;
    }
    return {
      root,
      configPath,
      config,
      configError,
      main,
      python,
      pyprojectPath: pyText !== undefined ? pyprojectPath : null,
      pyproject,
      profile,
    };
  }

  private applyOverrides(input: ProfileInput): ProfileInput {
    return {
      compatibilityDate: this.overrides.compatibility_date ?? input.compatibilityDate,
      flags: this.overrides.compatibility_flags ? [...new Set([...input.flags, ...this.overrides.compatibility_flags])] : input.flags,
      pyprojectDependencies: input.pyprojectDependencies,
    };
  }

  /** The Worker whose folder holds `path` (the deepest one), or null. */
  workerOf(path: string): Worker | null {
    // Nearest folder first: the deepest Worker wins, in O(depth) rather than O(Workers).
    for (let dir = dirOf(path); ; dir = dirOf(dir)) {
      const w = this.byRoot.get(dir);
      if (w) return w;
      if (dir === '') return null;
    }
  }

  /** The Worker a wrangler config defines, or null when `path` is not a Worker's chosen config. */
  workerDefinedBy(configPath: string): Worker | null {
    return this.byConfig.get(configPath) ?? null;
  }

  /**
   * The profile a Python file is checked against. Null when the file is not Worker code
   * (outside any Python Worker and importing none of `workers`, `js`, `pyodide`).
   */
  pythonProfile(path: string, text: string): RuntimeProfile | null {
    const w = this.workerOf(path);
    if (w && w.python) return w.profile;
    if (!/^[ \t\f]*(?:from|import)[ \t\f]+(?:workers|js|pyodide)\b/m.test(text)) return null;
    if (this.overrides.compatibility_date) {
      const p = deriveProfile(this.applyOverrides({ compatibilityDate: null, flags: [], pyprojectDependencies: null }), {
        workerRoot: '',
        configPath: '(runtime overrides)',
      });
      if (this.overrides.sdk) p.sdk = this.overrides.sdk;
      return p;
    }
    return unknownProfile(`${path} imports Workers modules but lies under no Python wrangler config`);
  }
}

function dirOf(path: string): string {
  const d = posix.dirname(path);
  return d === '.' ? '' : d;
}

function join(dir: string, name: string): string {
  return dir ? `${dir}/${name}` : name;
}

