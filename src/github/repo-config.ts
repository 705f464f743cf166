// The repository configuration through Probot's context.config (default branch, `_extends`
// followed). An invalid file never stops a review: the defaults are used and the problems reported.
import { ruleKeys } from '../../rules/index.js';
import { DEFAULT_CONFIG, REPO_CONFIG_PATH, RepoConfigError, resolveRepoConfig, type RepoConfig, type Rule } from '../engine/index.js';
import type { ReviewNotes } from '../pipeline/review-pipeline.js';
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
