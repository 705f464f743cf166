// Posting the review: one POST carries the body and every inline comment, so GitHub creates it whole
// or not at all. When GitHub refuses some comments (422), the offenders are found with pending
// reviews (visible to nobody else, deleted at once), moved to the body, and the rest posted — after
// checking that no review of ours for this head exists, so a retry never posts twice.
import { CommentableLines, type ReviewComment, type ReviewFile } from '../review/index.js';
import { parseReviewHead } from '../pipeline/review-pipeline.js';
import { httpStatus, type GitHub, type Logger } from './types.js';

export interface ReviewToPost {
  owner: string;
  repo: string;
  number: number;
  headSha: string;
  event: 'COMMENT' | 'REQUEST_CHANGES';
  comments: readonly ReviewComment[];
  /** The body, given the comments that could not be placed inline (they must be listed in it). */
  bodyFor(refused: readonly ReviewComment[]): string;
  toolName: string;
}

export interface PostedReview {
  id: number;
  /** Comments GitHub refused, listed in the body instead. */
  refused: ReviewComment[];
}

/** The comment as the REST API takes it: only the fields GitHub reads. */
export function restComment(c: ReviewComment): { path: string; body: string; line: number; side: 'RIGHT'; start_line?: number; start_side?: 'RIGHT' } {
  return {
    path: c.path,
    body: c.body,
    line: c.line,
    side: c.side,
    ...(c.start_line !== undefined ? { start_line: c.start_line, start_side: c.start_side ?? 'RIGHT' } : {}),
  };
}

/** Comments GitHub would refuse: a line outside the file's hunks, or a range across two hunks. */
export function misplacedComments(comments: readonly ReviewComment[], files: ReadonlyMap<string, ReviewFile>): ReviewComment[] {
  const lines = new Map<string, CommentableLines>();
  return comments.filter((c) => {
    const file = files.get(c.path);
    if (!file || file.patch === null || file.patch === undefined) return true;
    let commentable = lines.get(c.path);
    if (!commentable) lines.set(c.path, (commentable = CommentableLines.fromPatch(file.patch)));
    return !commentable.inOneHunk(c.start_line ?? c.line, c.line);
  });
}

/** Our submitted review for this head, if one exists (read through REST, the freshest source). */
async function findOurReview(gh: GitHub, review: ReviewToPost): Promise<{ found?: number; pending: number[] }> {
  const reviews = await gh.paginate(gh.rest.pulls.listReviews, {
    owner: review.owner,
    repo: review.repo,
    pull_number: review.number,
    per_page: 100,
  });
  const ours = reviews.filter((r) => r.user?.type === 'Bot');
  const found = ours.find((r) => r.state !== 'PENDING' && parseReviewHead(r.body ?? '', review.toolName) === review.headSha)?.id;
  // Pending reviews are only visible to their author: any listed here is ours.
  const pending = reviews.filter((r) => r.state === 'PENDING').map((r) => r.id);
  return { ...(found !== undefined ? { found } : {}), pending };
}

async function create(gh: GitHub, review: ReviewToPost, comments: readonly ReviewComment[], refused: readonly ReviewComment[]): Promise<number> {
  const { data } = await gh.rest.pulls.createReview({
    owner: review.owner,
    repo: review.repo,
    pull_number: review.number,
    commit_id: review.headSha,
    event: review.event,
    body: review.bodyFor(refused),
    comments: comments.map(restComment),
    // Never retried blindly: a retried POST could create the review twice.
    request: { retries: 0 },
  });
  return data.id;
}

/**
 * Which of `comments` GitHub refuses, knowing that together they are refused: halves are tried as
 * pending reviews (each deleted right after) until single offenders remain.
 */
async function findRefused(gh: GitHub, review: ReviewToPost, comments: readonly ReviewComment[]): Promise<ReviewComment[]> {
  const accepted = async (subset: readonly ReviewComment[]): Promise<boolean> => {
    try {
      const { data } = await gh.rest.pulls.createReview({
        owner: review.owner,
        repo: review.repo,
        pull_number: review.number,
        commit_id: review.headSha,
        comments: subset.map(restComment),
        request: { retries: 0 },
      });
      await gh.rest.pulls.deletePendingReview({ owner: review.owner, repo: review.repo, pull_number: review.number, review_id: data.id });
      return true;
    } catch (err) {
      if (httpStatus(err) === 422) return false;
      throw err;
    }
  };
  const split = async (known: readonly ReviewComment[]): Promise<ReviewComment[]> => {
    if (known.length <= 1) return [...known];
    const mid = Math.ceil(known.length / 2);
    const out: ReviewComment[] = [];
    for (const half of [known.slice(0, mid), known.slice(mid)]) {
      if (!(await accepted(half))) out.push(...(await split(half)));
    }
    return out;
  };
  return split(comments);
}

export async function postReview(gh: GitHub, review: ReviewToPost, log: Logger): Promise<PostedReview> {
  try {
    return { id: await create(gh, review, review.comments, []), refused: [] };
  } catch (err) {
    const status = httpStatus(err);
    if (status === undefined || (status !== 422 && status < 500)) throw err;
    log.warn({ status, err: (err as Error).message }, 'creating the review failed');
    const before = await findOurReview(gh, review);
    if (before.found !== undefined) return { id: before.found, refused: [] };
    if (status !== 422) {
      // A server error and no review exists: one more try.
      return { id: await create(gh, review, review.comments, []), refused: [] };
    }
    for (const id of before.pending) {
      await gh.rest.pulls.deletePendingReview({ owner: review.owner, repo: review.repo, pull_number: review.number, review_id: id });
    }
    const refused = await findRefused(gh, review, review.comments);
    log.warn({ refused: refused.map((c) => `${c.path}:${c.line}`) }, 'GitHub refused some review comments; they go to the review body');
    const again = await findOurReview(gh, review);
    if (again.found !== undefined) return { id: again.found, refused };
    const kept = review.comments.filter((c) => !refused.includes(c));
    try {
      return { id: await create(gh, review, kept, refused), refused };
    } catch (retryErr) {
      if (httpStatus(retryErr) !== 422) throw retryErr;
      // Still refused (the body itself, or a diff that moved meanwhile): everything goes to the body.
      const last = await findOurReview(gh, review);
      if (last.found !== undefined) return { id: last.found, refused };
      return { id: await create(gh, review, [], review.comments), refused: [...review.comments] };
    }
  }
}
