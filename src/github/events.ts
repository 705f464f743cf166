// Which pull_request webhooks start a review. Pure: the entry point routes, this decides.
import type { Context } from 'probot';
import type { PullRequestTarget, ReviewTrigger } from './types.js';

export type PullRequestPayload = Context<'pull_request'>['payload'];

export const REVIEWED_ACTIONS = [
  'pull_request.opened',
  'pull_request.reopened',
  'pull_request.synchronize',
  'pull_request.ready_for_review',
  'pull_request.edited',
] as const;

/**
 * What is wrong with a pull_request payload the app cannot work from (signed, so from GitHub or a
 * holder of the secret, but not of GitHub's shape), or undefined when it is usable.
 */
export function payloadProblem(payload: unknown): string | undefined {
  const p = payload as Record<string, any> | null;
  if (!p || typeof p !== 'object' || Array.isArray(p)) return 'not an object';
  const pr = p.pull_request;
  if (!pr || typeof pr !== 'object') return 'no pull_request';
  if (!Number.isSafeInteger(pr.number) || pr.number < 1) return 'pull_request.number is not a positive integer';
  if (typeof pr.state !== 'string') return 'no pull_request.state';
  if (typeof pr.head?.sha !== 'string' || !/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(pr.head.sha)) return 'pull_request.head.sha is not a commit id';
  const repo = p.repository;
  if (typeof repo?.name !== 'string' || !repo.name || typeof repo.owner?.login !== 'string' || !repo.owner.login) return 'no repository name or owner';
  if (!Number.isSafeInteger(p.installation?.id)) return 'no installation id';
  return undefined;
}

/** Why this event starts a review, or null when it does not (closed, or edited without a base change). */
export function triggerOf(payload: PullRequestPayload): ReviewTrigger | null {
  if (payload.pull_request.state !== 'open') return null;
  switch (payload.action) {
    case 'opened':
    case 'reopened':
    case 'synchronize':
    case 'ready_for_review':
      return payload.action;
    case 'edited':
      // A new base changes the diff; a new title or description does not.
      return payload.changes && 'base' in payload.changes && payload.changes.base ? 'base-changed' : null;
    default:
      return null;
  }
}

export function targetOf(payload: PullRequestPayload, trigger: ReviewTrigger): PullRequestTarget {
  const pr = payload.pull_request;
  return {
    owner: payload.repository.owner.login,
    repo: payload.repository.name,
    number: pr.number,
    headSha: pr.head.sha,
    draft: Boolean(pr.draft),
    state: pr.state === 'open' ? 'open' : 'closed',
    ...(typeof (pr as { changed_files?: unknown }).changed_files === 'number'
      ? { changedFiles: (pr as { changed_files: number }).changed_files }
      : {}),
    trigger,
  };
}
