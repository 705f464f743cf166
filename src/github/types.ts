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
