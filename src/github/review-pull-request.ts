// One review run for one pull request head: read files and config, run the shared pipeline, compare
// with what GitHub already holds, then post only what is new. Plain function: the Probot entry
// point hands it an Octokit, a logger and a config loader.
import { isSkippedPath, languageOf, type Finding, type Rule, type SourceFile } from '../engine/index.js';
import {
  composeReviewBody,
  configToken,
  notesFrom,
  runReviewPipeline,
  shortFingerprint,
  type ReviewNotes,
} from '../pipeline/review-pipeline.js';
import { contextCandidates } from '../pipeline/context-files.js';
import { DEFAULT_TOOL_NAME, escapeText, splitFingerprint, type BodyFinding, type ReviewComment, type ReviewFile } from '../review/index.js';
import { INCOMPLETE_TITLE, publishCheckRun, publishIncompleteCheckRun } from './check-run.js';
import { listChangedFiles, MAX_LISTED_FILES, readFilesWith } from './fetch.js';
import { misplacedComments, postReview } from './post-review.js';
import { configRider, loadQuickConfig, loadRepoConfig, type LoadedConfig } from './repo-config.js';
import { readReviewState, resolveThreads, type ReviewState } from './state.js';
import { describeFailure, httpStatus, rateLimitWait, type GitHub, type Logger, type PullRequestTarget } from './types.js';

export interface ReviewDeps {
  gh: GitHub;
  log: Logger;
  /**
   * context.config for the repository config file: parsed YAML, or null when there is none. Read for
   * drafts, and where the files query cannot read the config exactly as it would (`_extends`…).
   */
  loadConfig: () => Promise<unknown>;
  /** The rules to run (all by default). */
  rules?: readonly Rule[];
  /** Waits `ms` (a rate limit's retry-after); tests shorten it. */
  sleep?: (ms: number) => Promise<void>;
}

/** A rate-limited run waits GitHub's retry-after and runs again, this many times at most… */
const RATE_LIMIT_RETRIES = 1;
/** …when GitHub asks for this long at most (seconds); a longer wait fails the run. */
const MAX_RATE_LIMIT_WAIT = 60;

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

/** How far a run got: what a failure report can say and show. */
interface Progress {
  /** What the run is doing, as "while …" reads it. */
  step: string;
  /** The findings, once the engine has run. */
  computed?: { findings: Finding[]; notes: ReviewNotes; fileCount: number };
  /** What GitHub held, once read. */
  state?: ReviewState;
  /** The review is posted (or was there already, or had nothing new to say). */
  reviewDone?: boolean;
  /** The check run of this head is published: nothing is left to report. */
  checkRunDone?: boolean;
}

/** Our newest check run of the head: the one GitHub shows. */
function latestCheckRun(state: ReviewState | undefined): ReviewState['checkRuns'][number] | undefined {
  let latest: ReviewState['checkRuns'][number] | undefined;
  for (const r of state?.checkRuns ?? []) if (r.id !== null && (!latest || r.id > latest.id!)) latest = r;
  return latest;
}

/** The id of the check run a failed run left incomplete, when it is the one GitHub shows. */
function incompleteCheckRun(state: ReviewState | undefined): number | undefined {
  const latest = latestCheckRun(state);
  return latest?.title === INCOMPLETE_TITLE ? latest.id! : undefined;
}

/** The head has a complete check run, and it is the one GitHub shows. */
function checkedHead(state: ReviewState | undefined): boolean {
  const latest = latestCheckRun(state);
  return latest !== undefined && latest.status === 'COMPLETED' && latest.title !== INCOMPLETE_TITLE;
}

/**
 * Reviews one head. When GitHub fails on the way (a server error, a rate limit, a dropped
 * connection…), the check run still says what happened and shows the findings computed by then; the
 * error is then thrown again, so the delivery shows as failed and can be redelivered. A redelivered
 * or later run completes that check run.
 */
export async function reviewPullRequest(deps: ReviewDeps, target: PullRequestTarget): Promise<ReviewOutcome> {
  const sleep = deps.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (let attempt = 0; ; attempt++) {
    // A draft starts with its config; any other pull request with its changed files (see runReview).
    const progress: Progress = { step: target.draft ? 'reading the repository configuration' : 'listing the changed files' };
    try {
      return await runReview(deps, target, progress);
    } catch (err) {
      // A rate limit (Probot retries none of the secondary ones): wait as GitHub asks, once, and run
      // again from the start; what the first attempt posted is found, not posted twice.
      const wait = rateLimitWait(err);
      if (wait !== undefined && wait <= MAX_RATE_LIMIT_WAIT && attempt < RATE_LIMIT_RETRIES) {
        deps.log.warn({ step: progress.step, waitSeconds: wait }, 'rate limited by GitHub; waiting, then reviewing again');
        await sleep(wait * 1000);
        continue;
      }
      await reportIncomplete(deps, target, progress, err);
      throw err;
    }
  }
}

async function reportIncomplete(deps: ReviewDeps, target: PullRequestTarget, progress: Progress, err: unknown): Promise<void> {
  // A refused token: the caller gets a new one and runs again; nothing could be posted with this one.
  if (httpStatus(err) === 401 || progress.checkRunDone) return;
  // A complete check run of this head stands (a redelivery whose review failed): keep it as it is.
  if (checkedHead(progress.state)) return;
  const reason = describeFailure(err);
  deps.log.warn({ step: progress.step, reason }, 'the review could not finish; reporting it in the check run');
  const posted = progress.reviewDone
    ? 'The review itself is done; only this check run could not be completed, so its findings are below without annotations.'
    : progress.computed
    ? 'No review was posted for this commit; the findings computed so far are below.'
    : 'Nothing was reviewed yet.';
  const explanation = [
    `**The review of this commit could not finish:** ${escapeText(reason)} while ${progress.step}.`,
    posted,
    'The next push reviews the pull request again; to finish this commit now, redeliver the webhook ' +
      "(the app's settings → Advanced → Recent Deliveries).",
  ].join(' ');
  try {
    await publishIncompleteCheckRun(deps.gh, {
      owner: target.owner,
      repo: target.repo,
      headSha: target.headSha,
      explanation,
      ...(progress.computed ? { computed: progress.computed } : {}),
      ...(incompleteCheckRun(progress.state) !== undefined ? { replace: incompleteCheckRun(progress.state)! } : {}),
    });
  } catch (reportErr) {
    deps.log.warn({ reason: describeFailure(reportErr) }, 'could not report the incomplete review in a check run either');
  }
}

async function runReview(deps: ReviewDeps, target: PullRequestTarget, progress: Progress): Promise<ReviewOutcome> {
  const { gh, log } = deps;
  const toolName = DEFAULT_TOOL_NAME;
  if (target.state !== 'open') return { action: 'skipped', reason: 'closed' };

  // A draft is skipped unless the config asks for drafts: read the config first, through
  // context.config, so that a skipped draft costs nothing more. Any other pull request gets its config
  // with its files, from the same GraphQL query (see configRider).
  let loaded: LoadedConfig | undefined;
  if (target.draft) {
    loaded = await loadRepoConfig(deps.loadConfig, deps.rules);
    if (!loaded.config.review.drafts) return { action: 'skipped', reason: 'draft' };
  }

  // The changed files, and the text of the lintable ones and of the configs their Workers need.
  progress.step = 'listing the changed files';
  const changed = await listChangedFiles(gh, target);
  const lintable = changed.filter((f) => f.status !== 'removed' && languageOf(f.filename) && !isSkippedPath(f.filename));
  const changedPaths = new Set(changed.map((f) => f.filename));
  // Unchanged configs only: a changed one is read as a lintable file, a removed one is gone.
  const candidates = contextCandidates(lintable.map((f) => f.filename)).filter((p) => !changedPaths.has(p));
  progress.step = 'reading the changed files';
  const { reads, rider: quick } = await readFilesWith(
    gh,
    { owner: target.owner, repo: target.repo, sha: target.headSha },
    { required: lintable.map((f) => f.filename), optional: candidates },
    loaded ? undefined : configRider(target),
    log,
  );
  if (!loaded) {
    // What the query could not read exactly as context.config does (`_extends`, YAML that does not
    // parse, a failed query…) is read by context.config itself: same config, same errors.
    progress.step = 'reading the repository configuration';
    if (quick && !quick.exact) log.debug({ reason: quick.reason }, 'reading the repository configuration through context.config');
    loaded = await loadQuickConfig(quick, deps.loadConfig, deps.rules);
  }
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

  const { analysis, plan, config } = await runReviewPipeline({
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
  progress.computed = { findings: analysis.findings, notes, fileCount: files.size };

  // What GitHub holds now. A moved head means a newer event is on its way: drop this run.
  progress.step = "reading the pull request's reviews and check runs";
  const state = await readReviewState(gh, target, toolName);
  progress.state = state;
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
  let resolved = gone.length;
  try {
    await resolveThreads(gh, gone.map((t) => t.id));
  } catch (err) {
    // Tidying up must not cost the review: the threads stay open, and the next push tries again.
    log.warn({ threads: gone.length, reason: describeFailure(err) }, 'resolving threads of gone findings failed; they stay open');
    resolved = 0;
  }

  const outcome: Extract<ReviewOutcome, { action: 'reviewed' }> = {
    action: 'reviewed',
    findings: analysis.findings.length,
    comments: 0,
    repeated: 0,
    refused: 0,
    resolvedThreads: resolved,
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
      progress.step = 'posting the review';
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

  progress.reviewDone = true;

  // One check run per head, likewise; one a failed run left incomplete is completed now.
  if (!checkedHead(state) || target.trigger === 'base-changed') {
    progress.step = 'creating the check run';
    const replace = incompleteCheckRun(state);
    outcome.checkRunId = await publishCheckRun(
      gh,
      {
        owner: target.owner,
        repo: target.repo,
        headSha: target.headSha,
        findings: analysis.findings,
        notes,
        fileCount: files.size,
        ...(replace !== undefined ? { replace } : {}),
      },
      log,
    );
  }
  progress.checkRunDone = true;
  log.info({ ...outcome }, 'pull request reviewed');
  return outcome;
}
