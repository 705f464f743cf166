// The shapes the app's plain functions share. Octokit and Logger types come from Probot itself.
import type { Logger, ProbotOctokit } from 'probot';

/** An authenticated Octokit as Probot hands it to a webhook handler. */
export type GitHub = InstanceType<typeof ProbotOctokit>;
export type { Logger };

/** Why a pull request is reviewed now. `base-changed`: edited, and its base branch changed. */
export type ReviewTrigger = 'opened' | 'reopened' | 'synchronize' | 'ready_for_review' | 'base-changed';

/** The pull request a run reviews, as the webhook described it. */
export interface PullRequestTarget {
  owner: string;
  repo: string;
  number: number;
  headSha: string;
  draft: boolean;
  state: 'open' | 'closed';
  /** Changed files as the pull request counts them (GitHub lists at most 3,000). */
  changedFiles?: number;
  trigger: ReviewTrigger;
}

/** The check run's name, and the tool name in hidden markers. */
export const CHECK_NAME = 'pyworkers-review';

/** Status of an HTTP error from Octokit, if it is one. */
export function httpStatus(err: unknown): number | undefined {
  const status = (err as { status?: unknown } | null)?.status;
  return typeof status === 'number' ? status : undefined;
}

/** The `retry-after` seconds of a rate-limited answer, if GitHub sent one. */
function retryAfter(err: unknown): string | undefined {
  const headers = (err as { response?: { headers?: Record<string, unknown> } } | null)?.response?.headers;
  const value = headers?.['retry-after'];
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

/**
 * How long GitHub asks to wait before trying again after a rate limit, in seconds: its
 * `retry-after`, else the quota reset, else a minute for a secondary limit (GitHub's advice);
 * undefined when `err` is no rate limit.
 */
export function rateLimitWait(err: unknown, now = Date.now()): number | undefined {
  if (!isRateLimited(err)) return undefined;
  const after = Number(retryAfter(err));
  if (Number.isFinite(after) && after >= 0) return after;
  const headers = (err as { response?: { headers?: Record<string, unknown> } }).response?.headers ?? {};
  const reset = Number(headers['x-ratelimit-reset']);
  if (headers['x-ratelimit-remaining'] === '0' && Number.isFinite(reset)) return Math.max(0, Math.ceil(reset - now / 1000));
  return 60;
}

/** A primary or secondary rate limit: 429, or 403 with `retry-after`, no quota left, or saying so. */
export function isRateLimited(err: unknown): boolean {
  const status = httpStatus(err);
  if (status === 429) return true;
  if (status !== 403) return false;
  const headers = (err as { response?: { headers?: Record<string, unknown> } }).response?.headers ?? {};
  return retryAfter(err) !== undefined || headers['x-ratelimit-remaining'] === '0' || /rate limit/i.test((err as Error).message ?? '');
}

/**
 * A failure that says nothing about the request itself and may pass: a server error, a rate limit,
 * or a connection that failed (Octokit reports those as status 500 without a response).
 */
export function isTransient(err: unknown): boolean {
  const status = httpStatus(err);
  return status !== undefined && (status >= 500 || isRateLimited(err));
}

/** Why a request failed, in words fit for a check run (never credentials: no URLs, no headers). */
export function describeFailure(err: unknown): string {
  const status = httpStatus(err);
  const message = err instanceof Error ? err.message.split('\n')[0]!.slice(0, 200) : String(err);
  const answered = (err as { response?: unknown } | null)?.response !== undefined;
  if (isRateLimited(err)) {
    const after = retryAfter(err);
    return `GitHub's rate limit (HTTP ${status}${after !== undefined ? `, retry after ${after} s` : ''})`;
  }
  if (status !== undefined && answered) return `GitHub answered HTTP ${status}`;
  if (status !== undefined) return `the connection to GitHub failed (${message})`;
  const graphqlErrors = (err as { errors?: { message?: unknown }[] } | null)?.errors;
  if (Array.isArray(graphqlErrors) && typeof graphqlErrors[0]?.message === 'string') {
    return `GitHub's GraphQL API answered with an error (${graphqlErrors[0].message.slice(0, 200)})`;
  }
  return "an internal error (see the app's log)";
}
