// `.github/pyworkers-review.yml`: parsed, validated against the published JSON Schema, with
// errors that name the key, and merged over the defaults.
import { Ajv, type ErrorObject } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { readPackageJson } from './package-root.js';
import { nearest } from './spelling.js';
import type { Severity } from './types.js';
import type { RuntimeOverrides } from './workspace.js';

export const REPO_CONFIG_PATH = '.github/pyworkers-review.yml';

export interface RepoConfig {
  rules: Record<string, Severity | 'off'>;
  paths: { include: string[]; exclude: string[] };
  review: { filter: 'added' | 'diff_context' | 'file'; max_comments: number; request_changes: boolean; drafts: boolean };
  runtime: RuntimeOverrides;
  limits: { max_file_bytes: number };
  docs_base_url?: string;
}

export const DEFAULT_CONFIG: RepoConfig = Object.freeze({
  rules: {},
  paths: { include: [], exclude: [] },
  review: { filter: 'added', max_comments: 30, request_changes: false, drafts: false },
  runtime: {},
  limits: { max_file_bytes: 1_000_000 },
}) as RepoConfig;

export class RepoConfigError extends Error {
  constructor(
    readonly problems: string[],
    readonly source: string,
  ) {
    super(`${source}: ${problems.join('; ')}`);
  }
}

let validator: ReturnType<Ajv['compile']> | null = null;

function validate(data: unknown): ErrorObject[] {
  if (!validator) {
    const ajv = new Ajv({ allErrors: true, strict: false });
    validator = ajv.compile(readPackageJson('schema/pyworkers-review.schema.json'));
  }
  return validator(data) ? [] : (validator.errors ?? []);
}

const TOP_KEYS = ['_extends', 'rules', 'paths', 'review', 'runtime', 'limits', 'docs_base_url'];
const NESTED_KEYS: Record<string, string[]> = {
  paths: ['include', 'exclude'],
  review: ['filter', 'max_comments', 'request_changes', 'drafts'],
  runtime: ['compatibility_date', 'compatibility_flags', 'sdk'],
  limits: ['max_file_bytes'],
};

function describe(e: ErrorObject): string {
  const key = e.instancePath.replace(/^\//, '').replace(/\//g, '.');
  if (e.keyword === 'additionalProperties') {
    const extra = (e.params as { additionalProperty: string }).additionalProperty;
    const full = key ? `${key}.${extra}` : extra;
    const known = key ? NESTED_KEYS[key] ?? [] : TOP_KEYS;
    const near = nearest(extra, known);
    return `unknown key \`${full}\`${near ? ` (did you mean \`${key ? `${key}.` : ''}${near}\`?)` : ''}`;
  }
  if (e.keyword === 'enum') {
    const allowed = (e.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ');
    return `\`${key}\` must be one of ${allowed}`;
  }
  return `\`${key || '(top level)'}\` ${e.message ?? 'is invalid'}`;
}

/**
 * Validate an already-parsed config object (as Probot's context.config returns it) and merge it
 * over the defaults. `knownRules` maps codes and names to codes, to catch typos in rule keys.
 */
export function resolveRepoConfig(data: unknown, knownRules: Map<string, string>, source = REPO_CONFIG_PATH): RepoConfig {
  if (data === null || data === undefined) return structuredClone(DEFAULT_CONFIG);
  const problems = validate(data).map(describe);
  const raw = data as Partial<RepoConfig>;
  const rules: Record<string, Severity | 'off'> = {};
  for (const [key, value] of Object.entries(raw.rules ?? {})) {
    const code = knownRules.get(key) ?? knownRules.get(key.toUpperCase());
    if (!code) {
      const near = nearest(key, [...knownRules.keys()]);
      problems.push(`unknown rule \`rules.${key}\`${near ? ` (did you mean \`${near}\`?)` : ''}`);
      continue;
    }
    rules[code] = value;
  }
  if (problems.length > 0) throw new RepoConfigError(problems, source);
  return {
    rules,
    paths: { ...DEFAULT_CONFIG.paths, ...raw.paths },
    review: { ...DEFAULT_CONFIG.review, ...raw.review },
    runtime: { ...raw.runtime },
    limits: { ...DEFAULT_CONFIG.limits, ...raw.limits },
    docs_base_url: raw.docs_base_url,
  };
}

/** Parse YAML text of the config file; YAML syntax errors name the line. */
export function parseRepoConfig(text: string, knownRules: Map<string, string>, source = REPO_CONFIG_PATH): RepoConfig {
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (err) {
    const e = err as { message: string; linePos?: { line: number; col: number }[] };
    const at = e.linePos?.[0] ? ` at line ${e.linePos[0].line}, column ${e.linePos[0].col}` : '';
    throw new RepoConfigError([`invalid YAML${at}: ${e.message.split('\n')[0]}`], source);
  }
  return resolveRepoConfig(data ?? null, knownRules, source);
}
