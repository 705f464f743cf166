// The repository configuration as Probot's context.config reads it (default branch, the owner's
// `.github` repository when the repository has none, `_extends` followed), in the common case from
// the first files query. An invalid file never stops a review: the defaults are used and the
// problems reported.
import { parse as parseYaml } from 'yaml';
import { ruleKeys } from '../../rules/index.js';
import { DEFAULT_CONFIG, REPO_CONFIG_PATH, RepoConfigError, resolveRepoConfig, type RepoConfig, type Rule } from '../engine/index.js';
import type { ReviewNotes } from '../pipeline/review-pipeline.js';
import { decode, type BlobNode, type GraphQLErrorLike, type QueryRider } from './fetch.js';
import { httpStatus, isTransient } from './types.js';

/** The name context.config takes: the file inside `.github/`. */
export const CONFIG_FILE_NAME = REPO_CONFIG_PATH.replace(/^\.github\//, '');

export interface LoadedConfig {
  config: RepoConfig;
  notes: ReviewNotes;
}

function describeLoadError(err: Error): string {
  const message = err.message.replace(/^\[@probot\/octokit-plugin-config\]\s*/, '');
  const cause = (err as { cause?: unknown }).cause;
  const detail = cause instanceof Error ? `: ${cause.message.split('\n')[0]}` : '';
  return `${message}${detail}`;
}

/**
 * `load` is context.config for CONFIG_FILE_NAME: parsed YAML (merged over what it extends), or null
 * when the repository has none.
 */
export async function loadRepoConfig(load: () => Promise<unknown>, rules?: readonly Rule[]): Promise<LoadedConfig> {
  const defaults = (): RepoConfig => structuredClone(DEFAULT_CONFIG);
  let data: unknown;
  try {
    data = await load();
  } catch (err) {
    const status = httpStatus(err);
    // A server error, a rate limit or a refused token is GitHub's problem, not the config's: the run
    // fails (and is reported as incomplete). Anything else (bad YAML, an `_extends` the app may not
    // read) is the config's problem: report it.
    if (!(err instanceof Error) || status === 401 || isTransient(err)) throw err;
    const problem = status === undefined ? describeLoadError(err) : `could not be read (HTTP ${status}): ${describeLoadError(err)}`;
    return { config: defaults(), notes: { config: { source: REPO_CONFIG_PATH, problems: [problem] } } };
  }
  try {
    return { config: resolveRepoConfig(data ?? null, ruleKeys(rules)), notes: {} };
  } catch (err) {
    if (!(err instanceof RepoConfigError)) throw err;
    return { config: defaults(), notes: { config: { source: REPO_CONFIG_PATH, problems: err.problems } } };
  }
}

// ---- The config read inside the first files query ----
//
// context.config (octokit-plugin-config) reads `.github/pyworkers-review.yml` from the default
// branch; when the repository has no such file (404), the same path in the owner's `.github`
// repository; then follows `_extends` from the file it found. The rider below asks GraphQL for both
// files in the query that reads the changed files, so the common case — no config, or one without
// `_extends` — costs no request of its own. Whatever it cannot read exactly as context.config would
// (`_extends`, YAML that does not parse or is no mapping, a link, a truncated or non-UTF-8 file, a
// GraphQL error) is left to context.config itself, so the result and its errors stay the same.

/** What the rider learnt: context.config's result (null: no config anywhere), or why it cannot say. */
export type QuickConfig = { exact: true; data: Record<string, unknown> | null } | { exact: false; reason: string };

/** The config on the default branch, as context.config reads it (no ref). */
const CONFIG_EXPRESSION = `HEAD:${REPO_CONFIG_PATH}`;
const CONFIG_FOLDER = REPO_CONFIG_PATH.slice(0, REPO_CONFIG_PATH.lastIndexOf('/'));
const FOLDER_EXPRESSION = `HEAD:${CONFIG_FOLDER}`;
/** Git modes of a regular file (the contents API reads a link's target instead: left to it). */
const REGULAR_FILE_MODES = new Set([0o100644, 0o100755]);
/** The alias of the owner's `.github` repository in the query. */
const OWNER_REPO_KEY = 'ownerConfigRepo';
/** The owner's repository context.config falls back to, and which has no fallback itself. */
const OWNER_CONFIG_REPO = '.github';

const CONFIG_FIELDS =
  'config: object(expression: $configExpression) { ...PyworkersBlob }\n    ' +
  'configFolder: object(expression: $configFolderExpression) { ... on Tree { entries { name mode } } }';

interface TreeEntryNode {
  name?: string;
  mode?: number;
}

interface ConfigNodes {
  config?: BlobNode | null;
  configFolder?: { entries?: TreeEntryNode[] } | null;
}

type FileAnswer = { kind: 'missing' } | { kind: 'text'; text: string } | { kind: 'unsure'; reason: string };

/** The config file of one repository from its `config` and `configFolder` fields. */
function configFile(nodes: ConfigNodes | null | undefined, errors: readonly GraphQLErrorLike[], where: string): FileAnswer {
  if (!nodes || nodes.config === undefined || nodes.configFolder === undefined || errors.length > 0) {
    return { kind: 'unsure', reason: `GraphQL gave no answer for the config of ${where}` };
  }
  const { config, configFolder } = nodes;
  // No `.github` folder on the default branch (or no default branch at all): no file.
  if (configFolder === null) return config === null ? { kind: 'missing' } : { kind: 'unsure', reason: `${where}: a config without its folder` };
  if (!Array.isArray(configFolder.entries)) return { kind: 'unsure', reason: `${where}: ${CONFIG_FOLDER} is not a folder` };
  const entry = configFolder.entries.find((e) => e.name === CONFIG_FILE_NAME);
  if (!entry) return config === null ? { kind: 'missing' } : { kind: 'unsure', reason: `${where}: the folder does not list the config` };
  if (!REGULAR_FILE_MODES.has(entry.mode ?? 0)) return { kind: 'unsure', reason: `${where}: the config is not a regular file` };
  if (!config || typeof config.text !== 'string' || config.isBinary || config.isTruncated) {
    return { kind: 'unsure', reason: `${where}: the config's text is not given whole` };
  }
  // GraphQL's text is UTF-8; the contents API hands context.config the raw bytes. Same size, same text.
  if (Buffer.byteLength(config.text, 'utf8') !== config.byteSize) return { kind: 'unsure', reason: `${where}: the config is not UTF-8` };
  return { kind: 'text', text: decode(config.text) };
}

/** Plain YAML data whose copy by context.config's merge (deepmerge) is the data itself. */
function mergesUnchanged(value: unknown): boolean {
  if (value === null || typeof value !== 'object') return true;
  if (Array.isArray(value)) return value.every(mergesUnchanged);
  if (Object.getPrototypeOf(value) !== Object.prototype) return false;
  // deepmerge drops keys an empty object has through its prototype (`constructor`, `toString`…).
  return Reflect.ownKeys(value).every((key) => typeof key === 'string' && !(key in {}) && mergesUnchanged((value as Record<string, unknown>)[key]));
}

/** The file's text as context.config would return it, or why that is not known exactly. */
function configData(text: string, where: string): QuickConfig {
  let parsed: unknown;
  try {
    // As octokit-plugin-config parses it.
    parsed = parseYaml(text, { logLevel: 'error' });
  } catch {
    return { exact: false, reason: `${where}: the YAML does not parse` };
  }
  // An empty file is `{}`; a scalar or a list is shaped by context.config's merge or refused by it.
  const data = parsed || {};
  if (typeof data !== 'object' || Array.isArray(data)) return { exact: false, reason: `${where}: the YAML is no mapping` };
  if (Object.prototype.hasOwnProperty.call(data, '_extends')) return { exact: false, reason: `${where}: _extends` };
  if (!mergesUnchanged(data)) return { exact: false, reason: `${where}: keys context.config leaves out` };
  return { exact: true, data: data as Record<string, unknown> };
}

/**
 * The rider that reads the repository config, and the owner's `.github` fallback, in the first
 * files query of `target`'s repository.
 */
export function configRider(target: { owner: string; repo: string }): QueryRider<QuickConfig> {
  const withFallback = target.repo !== OWNER_CONFIG_REPO;
  return {
    variables: {
      configExpression: { type: 'String!', value: CONFIG_EXPRESSION },
      configFolderExpression: { type: 'String!', value: FOLDER_EXPRESSION },
    },
    repositoryFields: CONFIG_FIELDS,
    repositoryKeys: ['config', 'configFolder'],
    rootFields: withFallback ? `${OWNER_REPO_KEY}: repository(owner: $owner, name: "${OWNER_CONFIG_REPO}") {\n    ${CONFIG_FIELDS}\n  }` : '',
    rootKeys: withFallback ? [OWNER_REPO_KEY] : [],
    fragments: '',
    read(answer): QuickConfig {
      if (!answer) return { exact: false, reason: 'the files query failed' };
      const { data, errors } = answer;
      const own = configFile(
        data.repository as ConfigNodes | null | undefined,
        errors.filter((e) => !e.path?.length || (e.path[0] === 'repository' && (e.path.length === 1 || e.path[1] === 'config' || e.path[1] === 'configFolder'))),
        'the repository',
      );
      if (own.kind === 'unsure') return { exact: false, reason: own.reason };
      if (own.kind === 'text') return configData(own.text, 'the repository');
      if (!withFallback) return { exact: true, data: null };
      // No config in the repository: context.config reads the owner's `.github` repository. Where
      // that repository does not exist (or the app may not see it), GitHub answers NOT_FOUND: no config.
      const ownerErrors = errors.filter((e) => e.path?.[0] === OWNER_REPO_KEY);
      const ownerRepo = data[OWNER_REPO_KEY] as ConfigNodes | null | undefined;
      if (ownerRepo === null && ownerErrors.length > 0 && ownerErrors.every((e) => e.type === 'NOT_FOUND' && e.path!.length === 1)) {
        return { exact: true, data: null };
      }
      const fallback = configFile(ownerRepo, ownerErrors, `${target.owner}/${OWNER_CONFIG_REPO}`);
      if (fallback.kind === 'unsure') return { exact: false, reason: fallback.reason };
      if (fallback.kind === 'text') return configData(fallback.text, `${target.owner}/${OWNER_CONFIG_REPO}`);
      return { exact: true, data: null };
    },
  };
}

/**
 * The config from what the files query read (`quick`), or through `load` (context.config) where the
 * query could not say exactly what context.config would return: same config, same problems.
 */
export function loadQuickConfig(quick: QuickConfig | undefined, load: () => Promise<unknown>, rules?: readonly Rule[]): Promise<LoadedConfig> {
  return loadRepoConfig(quick?.exact ? async () => quick.data : load, rules);
}
