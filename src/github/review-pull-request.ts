// One review run for one pull request head: read config and files, run the shared pipeline, compare
// with what GitHub already holds, then post only what is new. Plain function: the Probot entry
// point hands it an Octokit, a logger and a config loader.
import { isSkippedPath, languageOf, type Rule, type SourceFile } from '../engine/index.js';
import {
  composeReviewBody,
  configToken,
  notesFrom,
  runReviewPipeline,
  shortFingerprint,
  type ReviewNotes,
} from '../pipeline/review-pipeline.js';
import { contextCandidates } from '../pipeline/context-files.js';
import { DEFAULT_TOOL_NAME, splitFingerprint, type BodyFinding, type ReviewComment, type ReviewFile } from '../review/index.js';
import { publishCheckRun } from './check-run.js';
import { listChangedFiles, MAX_LISTED_FILES, readFiles } from './fetch.js';
import { misplacedComments, postReview } from './post-review.js';
import { loadRepoConfig } from './repo-config.js';
import { readReviewState, resolveThreads } from './state.js';
import type { GitHub, Logger, PullRequestTarget } from './types.js';

export interface ReviewDeps {
  gh: GitHub;
  log: Logger;
  /** context.config for the repository config file: parsed YAML, or null when there is none. */
  loadConfig: () => Promise<unknown>;
  /** The rules to run (all by default). */
  rules?: readonly Rule[];
}

export type ReviewOutcome =
  | { action: 'skipped'; reason: 'closed' | 'draft' }
  /** The head moved while this run worked: a newer event reviews the new head. */
  | { action: 'stale'; headSha: string }
  | {
      action: 'reviewed';
      findings: number;
      /** Id of the review posted, when there was something new to say. */
      reviewId?: number;
      comments: number;
      /** Comments not repeated because their finding already has one. */
      repeated: number;
      refused: number;
      resolvedThreads: number;
      checkRunId?: number;
    };

function asBodyFinding(c: ReviewComment): BodyFinding {
  return { finding: c.finding, reason: 'outside-diff', fingerprint: c.fingerprint };
}

export async function reviewPullRequest(deps: ReviewDeps, target: PullRequestTarget): Promise<ReviewOutcome> {
  const { gh, log } = deps;
  const toolName = DEFAULT_TOOL_NAME;
  if (target.state !== 'open') return { action: 'skipped', reason: 'closed' };

  const loaded = await loadRepoConfig(deps.loadConfig, deps.rules);
  if (target.draft && !loaded.config.review.drafts) return { action: 'skipped', reason: 'draft' };

  // The changed files, and the text of the lintable ones and of the configs their Workers need.
  const changed = await listChangedFiles(gh, target);
  const lintable = changed.filter((f) => f.status !== 'removed' && languageOf(f.filename) && !isSkippedPath(f.filename));
  const changedPaths = new Set(changed.map((f) => f.filename));
  // Unchanged configs only: a changed one is read as a lintable file, a removed one is gone.
  const candidates = contextCandidates(lintable.map((f) => f.filename)).filter((p) => !changedPaths.has(p));
  const reads = await readFiles(
    gh,
    { owner: target.owner, repo: target.repo, sha: target.headSha },
    { required: lintable.map((f) => f.filename), optional: candidates },
    log,
  );
  const files = new Map<string, ReviewFile>();
  const skipped: { path: string; reason: string }[] = [];
  for (const f of lintable) {
    const read = reads.get(f.filename);
    if (read?.kind === 'text') files.set(f.filename, { path: f.filename, text: read.text, patch: f.patch ?? null, status: f.status });
    else skipped.push({ path: f.filename, reason: read?.kind === 'unreadable' ? read.reason : 'not found at the head commit' });
  }
  const context: SourceFile[] = [];
  for (const path of candidates) {
    const read = reads.get(path);
    if (read?.kind === 'text') context.push({ path, text: read.text });
  }

  const { analysis, plan, config } = runReviewPipeline({
    files,
    context,
    config: loaded.config,
    headSha: target.headSha,
    ...(deps.rules ? { rules: deps.rules } : {}),
    toolName,
  });
  const extra: ReviewNotes = { ...loaded.notes, skipped };
  if (target.changedFiles !== undefined && target.changedFiles > changed.length && changed.length >= MAX_LISTED_FILES) {
    extra.truncatedFileList = { listed: changed.length, total: target.changedFiles };
  }
  const notes = notesFrom(analysis, extra);

  // What GitHub holds now. A moved head means a newer event is on its way: drop this run.
  const state = await readReviewState(gh, target, toolName);
  if (!state.open) return { action: 'skipped', reason: 'closed' };
  if (state.headSha !== target.headSha) {
    log.info({ expected: target.headSha, head: state.headSha }, 'head moved during the review; dropping this run');
    return { action: 'stale', headSha: state.headSha };
  }

  const current = new Set([...plan.comments.map((c) => c.fingerprint), ...plan.bodyFindings.map((b) => b.fingerprint)]);
  const commented = new Set(state.threads.flatMap((t) => t.fingerprints));
  const listedBefore = new Set(state.reviews.flatMap((r) => [...r.listed]));

  // Threads whose finding is gone are resolved, unless a person took part in them. A file this run
  // could not lint (unreadable, too large, excluded) proves nothing gone.
  const unlinted = new Set((notes.skipped ?? []).map((s) => s.path));
  const isGone = (fp: string) => !current.has(fp) && !unlinted.has(splitFingerprint(fp)?.path ?? '');
  const gone = state.threads.filter((t) => !t.isResolved && !t.repliedByPerson && t.fingerprints.every(isGone));
  await resolveThreads(gh, gone.map((t) => t.id));

  const outcome: Extract<ReviewOutcome, { action: 'reviewed' }> = {
    action: 'reviewed',
    findings: analysis.findings.length,
    comments: 0,
    repeated: 0,
    refused: 0,
    resolvedThreads: gone.length,
  };

  // One review per head: a redelivered event finds it and posts nothing. A new base is a new diff.
  const reviewedThisHead = state.reviews.some((r) => r.state !== 'PENDING' && r.head === target.headSha);
  if (!reviewedThisHead || target.trigger === 'base-changed') {
    const fresh = plan.comments.filter((c) => !commented.has(c.fingerprint));
    const misplaced = misplacedComments(fresh, files);
    const comments = fresh.filter((c) => !misplaced.includes(c));
    const newlyListed = plan.bodyFindings.filter((b) => !commented.has(b.fingerprint) && !listedBefore.has(shortFingerprint(b.fingerprint)));
    const configIsNew = Boolean(notes.config?.problems.length && !listedBefore.has(configToken(notes.config)));
    if (fresh.length > 0 || newlyListed.length > 0 || configIsNew) {
      const repeated = plan.comments.length - fresh.length;
      const posted = await postReview(
        gh,
        {
          owner: target.owner,
          repo: target.repo,
          number: target.number,
          headSha: target.headSha,
          event: plan.event,
          comments,
          toolName,
          bodyFor: (refused) => {
            const notInline = [...misplaced, ...refused];
            return composeReviewBody({
              findings: analysis.findings,
              comments: comments.filter((c) => !refused.includes(c)),
              bodyFindings: [...plan.bodyFindings, ...notInline.map(asBodyFinding)],
              repeated,
              refused: notInline.length,
              config,
              headSha: target.headSha,
              notes,
              toolName,
            });
          },
        },
        log,
      );
      Object.assign(outcome, {
        reviewId: posted.id,
        comments: comments.length - posted.refused.length,
        repeated,
        refused: misplaced.length + posted.refused.length,
      });
    }
  }

  // One check run per head, likewise.
  const checked = state.checkRuns.some((r) => r.status === 'COMPLETED');
  if (!checked || target.trigger === 'base-changed') {
    outcome.checkRunId = await publishCheckRun(gh, {
      owner: target.owner,
      repo: target.repo,
      headSha: target.headSha,
      findings: analysis.findings,
      notes,
      fileCount: files.size,
    });
  }
  log.info({ ...outcome }, 'pull request reviewed');
  return outcome;
}
