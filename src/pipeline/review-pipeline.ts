// The review pipeline the GitHub App and `pyworkers-review review` share: changed files → engine →
// placement → the review body. No I/O here: callers bring the files and post or print the result.
import { createHash } from 'node:crypto';
import { RULES } from '../../rules/index.js';
import {
  analyzeAsync,
  DEFAULT_CONFIG,
  type AnalyzeResult,
  type Finding,
  type RepoConfig,
  type Rule,
  type SourceFile,
} from '../engine/index.js';
import {
  codeSpan,
  DEFAULT_TOOL_NAME,
  escapeText,
  GITHUB_BODY_LIMIT,
  planReview,
  renderReviewBody,
  type BodyFinding,
  type ReviewComment,
  type ReviewFile,
  type ReviewPlan,
  type RuleExplanation,
} from '../review/index.js';

export interface PipelineInput {
  /** The pull request's changed files by head path, with their head text (removed files too). */
  files: ReadonlyMap<string, ReviewFile>;
  /** Unchanged files read only to know each Worker's runtime (wrangler configs, pyproject.toml). */
  context?: readonly SourceFile[];
  config?: RepoConfig;
  headSha: string;
  rules?: readonly Rule[];
  toolName?: string;
}

export interface PipelineResult {
  analysis: AnalyzeResult;
  plan: ReviewPlan;
  config: RepoConfig;
}

/**
 * The first `count` sentences of `text`, for the short "why it breaks" of a comment. A sentence ends
 * at ".", "!" or "?" before a space or the end, never inside a `code span`.
 */
export function firstSentences(text: string, count: number): string {
  let inCode = false;
  let found = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '`') inCode = !inCode;
    else if (!inCode && (c === '.' || c === '!' || c === '?') && (i + 1 === text.length || /\s/.test(text[i + 1]!))) {
      if (++found === count) return text.slice(0, i + 1).trim();
    }
  }
  return text.trim();
}

/** The "why" and reference links of each rule, as review comments show them. */
export function ruleExplainer(rules: readonly Rule[]): (code: string) => RuleExplanation | undefined {
  const byCode = new Map(rules.map((r) => [r.meta.code, r]));
  return (code) => {
    const docs = byCode.get(code)?.meta.docs;
    if (!docs) return undefined;
    return { why: firstSentences(docs.whyItBreaks, 2), references: docs.references };
  };
}

/**
 * Runs the engine over the changed files and plans the review. Asynchronous so the event loop can
 * free each parsed tree as it goes: a large pull request would otherwise hold every tree at once.
 */
export async function runReviewPipeline(input: PipelineInput): Promise<PipelineResult> {
  const config = input.config ?? structuredClone(DEFAULT_CONFIG);
  const rules = input.rules ?? RULES;
  const lint: SourceFile[] = [];
  for (const file of input.files.values()) {
    if (file.status !== 'removed') lint.push({ path: file.path, text: file.text });
  }
  const analysis = await analyzeAsync({ files: lint, context: input.context ?? [], rules, config });
  const plan = planReview({
    findings: analysis.findings,
    files: input.files,
    options: {
      filter: config.review.filter,
      maxComments: config.review.max_comments,
      requestChanges: config.review.request_changes,
      headSha: input.headSha,
      toolName: input.toolName ?? DEFAULT_TOOL_NAME,
    },
    explain: ruleExplainer(rules),
  });
  return { analysis, plan, config };
}

/** What the review says besides findings: problems reading the config or some files. */
export interface ReviewNotes {
  /** Where the repository config came from and what is wrong with it (the defaults were used). */
  config?: { source: string; problems: string[] };
  /** Files not linted, and why. */
  skipped?: readonly { path: string; reason: string }[];
  /** Rule failures (a bug in a rule, never the author's fault). */
  ruleErrors?: readonly { path: string; code: string; message: string }[];
  /** The pull request changes more files than GitHub lists (3,000). */
  truncatedFileList?: { listed: number; total: number };
}

export function notesFrom(analysis: AnalyzeResult, extra: ReviewNotes = {}): ReviewNotes {
  return {
    ...extra,
    skipped: [...(extra.skipped ?? []), ...analysis.skipped],
    ruleErrors: [...(extra.ruleErrors ?? []), ...analysis.ruleErrors],
  };
}

export function hasNotes(notes: ReviewNotes): boolean {
  return Boolean(notes.config?.problems.length || notes.skipped?.length || notes.ruleErrors?.length || notes.truncatedFileList);
}

const MAX_NOTE_LINES = 20;

function listed(lines: string[]): string[] {
  if (lines.length <= MAX_NOTE_LINES) return lines;
  return [...lines.slice(0, MAX_NOTE_LINES), `- …and ${lines.length - MAX_NOTE_LINES} more`];
}

/** The notes as a Markdown section, '' when there are none. */
export function renderNotes(notes: ReviewNotes): string {
  const parts: string[] = [];
  if (notes.config?.problems.length) {
    parts.push(
      [
        `**The repository configuration ${codeSpan(notes.config.source)} is invalid, so the defaults were used:**`,
        '',
        ...listed(notes.config.problems.map((p) => `- ${escapeText(p)}`)),
      ].join('\n'),
    );
  }
  if (notes.truncatedFileList) {
    const { listed: n, total } = notes.truncatedFileList;
    parts.push(`Only the first ${n} of ${total} changed files were reviewed: GitHub lists at most ${n} files of a pull request.`);
  }
  if (notes.skipped?.length) {
    parts.push(['**Not reviewed:**', '', ...listed(notes.skipped.map((s) => `- ${codeSpan(s.path)}: ${escapeText(s.reason)}`))].join('\n'));
  }
  if (notes.ruleErrors?.length) {
    parts.push(
      [
        '**Internal rule errors** (please report them; other findings are unaffected):',
        '',
        ...listed(notes.ruleErrors.map((e) => `- ${escapeText(e.code)} on ${codeSpan(e.path)}: ${escapeText(e.message)}`)),
      ].join('\n'),
    );
  }
  return parts.length ? `### Notes\n\n${parts.join('\n\n')}` : '';
}

/** A short, stable token for a fingerprint, as kept in the review body's hidden list. */
export function shortFingerprint(fp: string): string {
  return createHash('sha256').update(fp, 'utf8').digest('hex').slice(0, 12);
}

/** The token that marks a set of config problems as reported (in the same hidden list). */
export function configToken(config: { source: string; problems: readonly string[] }): string {
  return shortFingerprint(`config:${config.source}:${config.problems.join('\n')}`);
}

function listMarker(toolName: string, tokens: readonly string[]): string {
  if (tokens.length === 0) return '';
  return `<!-- ${encodeURIComponent(toolName)} listed=${tokens.join(',')} -->`;
}

/** The fingerprint tokens a review body lists (findings it reported without an inline comment). */
export function parseListedFingerprints(body: string, toolName: string = DEFAULT_TOOL_NAME): Set<string> {
  const out = new Set<string>();
  const re = new RegExp(`<!-- ${escapeRegExp(encodeURIComponent(toolName))} listed=([0-9a-f,]*) -->`, 'g');
  for (const m of body.matchAll(re)) for (const t of m[1]!.split(',')) if (t) out.add(t);
  return out;
}

/** The hidden marker planReview ends a review body with, naming the head it reviewed. */
export function reviewHeadMarker(headSha: string, toolName: string = DEFAULT_TOOL_NAME): string {
  return `<!-- ${encodeURIComponent(toolName)} review head=${encodeURIComponent(headSha)} -->`;
}

/** The head SHA a review body of ours names, or undefined. */
export function parseReviewHead(body: string, toolName: string = DEFAULT_TOOL_NAME): string | undefined {
  const re = new RegExp(`<!-- ${escapeRegExp(encodeURIComponent(toolName))} review head=([^ ]+) -->`);
  const m = re.exec(body);
  return m ? decodeURIComponent(m[1]!) : undefined;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export interface ReviewBodyParts {
  findings: readonly Finding[];
  /** The inline comments this review posts. */
  comments: readonly ReviewComment[];
  /** Findings listed in the body instead of inline. */
  bodyFindings: readonly BodyFinding[];
  /** Findings not repeated because an earlier push already has their comment. */
  repeated?: number;
  /** Comments that could not be placed on the diff (listed in bodyFindings instead). */
  refused?: number;
  config: RepoConfig;
  headSha: string;
  notes?: ReviewNotes;
  toolName?: string;
}

/**
 * The review body: the findings table, what is not inline and why, the notes, and hidden markers
 * (the head SHA and the fingerprints listed without a comment) that later runs read back.
 */
export function composeReviewBody(parts: ReviewBodyParts): string {
  const toolName = parts.toolName ?? DEFAULT_TOOL_NAME;
  const extras: string[] = [];
  if (parts.repeated) {
    extras.push(
      parts.repeated === 1
        ? '1 finding already has its inline comment from an earlier push; it is not repeated.'
        : `${parts.repeated} findings already have their inline comments from an earlier push; they are not repeated.`,
    );
  }
  if (parts.refused) {
    extras.push(
      `${parts.refused === 1 ? '1 comment' : `${parts.refused} comments`} could not be placed on the diff; ` +
        `${parts.refused === 1 ? 'it is' : 'they are'} listed under "Not shown inline".`,
    );
  }
  const notes = renderNotes(parts.notes ?? {});
  if (notes) extras.push(notes);
  const tokens = parts.bodyFindings.map((b) => shortFingerprint(b.fingerprint));
  if (parts.notes?.config?.problems.length) tokens.push(configToken(parts.notes.config));
  let marker = listMarker(toolName, tokens);
  const extraText = extras.join('\n\n');
  // The hidden list must never crowd out what people read: drop it first when space runs short.
  const reserve = extraText.length + 8;
  if (reserve + marker.length > GITHUB_BODY_LIMIT / 4) marker = '';
  const body = renderReviewBody({
    findings: parts.findings,
    inlineCount: parts.comments.length,
    bodyFindings: parts.bodyFindings,
    filter: parts.config.review.filter,
    maxComments: parts.config.review.max_comments,
    toolName,
    headSha: parts.headSha,
    limit: GITHUB_BODY_LIMIT - reserve - marker.length,
  });
  return [body, extraText, marker].filter(Boolean).join('\n\n');
}
