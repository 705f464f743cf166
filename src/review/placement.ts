// Deciding where each finding goes on a pull request: an inline comment on a line of the diff, or a
// line in the review body. Nothing is dropped except findings in files the pull request removes.
import type { Finding } from '../engine/types.js';
import { CommentableLines } from './diff.js';
import { DEFAULT_TOOL_NAME, fingerprintFindings } from './fingerprint.js';
import { compareSeverity, renderCommentBody, renderReviewBody } from './markdown.js';
import { SourceText } from './source-text.js';
import { lastFlaggedLine, renderFix } from './suggestion.js';
import type { BodyFinding, BodyReason, FilterMode, PlanInput, ReviewComment, ReviewFile, ReviewPlan } from './types.js';

export const DEFAULT_MAX_COMMENTS = 30;

function normaliseMaxComments(n: number | undefined): number {
  if (n === undefined || Number.isNaN(n)) return DEFAULT_MAX_COMMENTS;
  return Math.max(0, Math.floor(n));
}

/** Where a finding may go: inline on these commentable lines, or the body for this reason. */
function classify(
  finding: Finding,
  file: ReviewFile | undefined,
  filter: FilterMode,
  commentableOf: (file: ReviewFile) => CommentableLines,
): CommentableLines | BodyReason {
  if (!file || file.status === 'unchanged') return 'outside-diff';
  if (finding.line < 1) return 'file-level';
  if (file.patch === null || file.patch === undefined) return 'no-patch';
  const lines = commentableOf(file);
  const kind = lines.kind(finding.line);
  if (filter === 'added') return kind === 'added' ? lines : 'outside-diff';
  if (kind !== undefined) return lines;
  return filter === 'file' ? 'file-level' : 'outside-diff';
}

function compareLocation(a: Finding, b: Finding): number {
  return (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) || a.line - b.line || a.column - b.column;
}

function comparePriority(a: Finding, b: Finding): number {
  return compareSeverity(a.severity, b.severity) || compareLocation(a, b) || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
}

/**
 * Plans one review: which findings become inline comments (with suggestions where GitHub can apply
 * them), which are listed in the body and why, the body itself, and the review event.
 */
export function planReview(input: PlanInput): ReviewPlan {
  const { options, files } = input;
  const toolName = options.toolName ?? DEFAULT_TOOL_NAME;
  const maxComments = normaliseMaxComments(options.maxComments);

  const findings = input.findings.filter((f) => files.get(f.path)?.status !== 'removed');
  const fingerprints = fingerprintFindings(findings, (path) => files.get(path)?.text);

  const commentables = new Map<string, CommentableLines>();
  const commentableOf = (file: ReviewFile): CommentableLines => {
    let lines = commentables.get(file.path);
    if (!lines) commentables.set(file.path, (lines = CommentableLines.fromPatch(file.patch)));
    return lines;
  };
  const sources = new Map<string, SourceText>();
  const sourceOf = (file: ReviewFile): SourceText => {
    let source = sources.get(file.path);
    if (!source) sources.set(file.path, (source = new SourceText(file.text)));
    return source;
  };

  interface Candidate {
    finding: Finding;
    fingerprint: string;
    file: ReviewFile;
    lines: CommentableLines;
  }
  const candidates: Candidate[] = [];
  const bodyFindings: BodyFinding[] = [];
  findings.forEach((finding, i) => {
    const file = files.get(finding.path);
    const fingerprint = fingerprints[i]!;
    const where = classify(finding, file, options.filter, commentableOf);
    if (typeof where === 'string' || !file) bodyFindings.push({ finding, reason: where as BodyReason, fingerprint });
    else candidates.push({ finding, fingerprint, file, lines: where });
  });

  candidates.sort((a, b) => comparePriority(a.finding, b.finding));
  for (const c of candidates.slice(maxComments)) {
    bodyFindings.push({ finding: c.finding, reason: 'cap', fingerprint: c.fingerprint });
  }

  // Suggestions already placed, per file: GitHub cannot batch-apply two that touch the same line.
  const suggested = new Map<string, { start: number; end: number }[]>();
  const comments: ReviewComment[] = [];
  for (const { finding, fingerprint, file, lines } of candidates.slice(0, maxComments)) {
    const taken = suggested.get(file.path) ?? [];
    const fix = renderFix(finding, sourceOf(file), {
      commentable: lines,
      isFree: (start, end) => taken.every((r) => end < r.start || start > r.end),
    });
    let start: number;
    let end: number;
    if (fix?.kind === 'suggestion') {
      start = fix.startLine;
      end = fix.endLine;
      suggested.set(file.path, [...taken, { start, end }]);
    } else {
      // Never across a hunk: the comment keeps its first line and stops where the hunk does.
      const range = lines.clampToHunk(finding.line, finding.line, lastFlaggedLine(finding))!;
      start = range.start;
      end = range.end;
    }
    const body = renderCommentBody({ finding, explanation: input.explain?.(finding.code), fix, fingerprint, toolName });
    comments.push({
      path: file.path,
      line: end,
      side: 'RIGHT',
      ...(start < end ? { start_line: start, start_side: 'RIGHT' as const } : {}),
      body,
      fingerprint,
      finding,
    });
  }

  comments.sort((a, b) => compareLocation(a.finding, b.finding) || a.line - b.line);
  bodyFindings.sort((a, b) => comparePriority(a.finding, b.finding));

  const requestChanges = options.requestChanges && findings.some((f) => f.severity === 'error');
  return {
    event: requestChanges ? 'REQUEST_CHANGES' : 'COMMENT',
    commit_id: options.headSha,
    body: renderReviewBody({
      findings,
      inlineCount: comments.length,
      bodyFindings,
      filter: options.filter,
      maxComments,
      toolName,
      headSha: options.headSha,
    }),
    comments,
    bodyFindings,
  };
}
