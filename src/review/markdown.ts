// Markdown for review comments, the review body, the CLI's Markdown output and check-run annotations.
// Paths, messages and code come from the repository under review, so everything is escaped.
import type { Finding, Severity } from '../engine/types.js';
import { DEFAULT_TOOL_NAME, fingerprintMarker } from './fingerprint.js';
import { fenceFor, lastFlaggedLine, suggestionBlock, type FixRendering, type LineReplacement } from './suggestion.js';
import type { BodyFinding, BodyReason, FilterMode, ReviewPlan, RuleExplanation } from './types.js';

/** GitHub rejects review and comment bodies longer than this (characters). */
export const GITHUB_BODY_LIMIT = 65_536;

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

export function compareSeverity(a: Severity, b: Severity): number {
  return SEVERITY_ORDER[a] - SEVERITY_ORDER[b];
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * Escapes `&`, `<`, `>` outside code spans, so that text renders as written and cannot add HTML,
 * while `code` spans a rule message uses still render as code (GitHub shows their content verbatim).
 * "@name" outside code spans is defused so that quoting code never pings a user or team.
 */
export function escapeText(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '\\' && text[i + 1] === '`') {
      out += '\\`';
      i += 2;
      continue;
    }
    if (c === '`') {
      let n = 1;
      while (text[i + n] === '`') n++;
      const close = findBacktickRun(text, i + n, n);
      if (close === -1) {
        out += '`'.repeat(n); // no closing run of the same length: literal backticks
        i += n;
      } else {
        out += text.slice(i, close + n);
        i = close + n;
      }
      continue;
    }
    if (c === '@' && /\w/.test(text[i + 1] ?? '') && !/\w/.test(text[i - 1] ?? '')) {
      out += '@&#8203;'; // a zero-width space keeps "@name" from notifying someone
    } else {
      out += c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c;
    }
    i++;
  }
  return out;
}

/** Start of the next run of exactly `n` backticks at or after `from`, or -1. */
function findBacktickRun(text: string, from: number, n: number): number {
  let i = from;
  while (i < text.length) {
    if (text[i] !== '`') {
      i++;
      continue;
    }
    let m = 1;
    while (text[i + m] === '`') m++;
    if (m === n) return i;
    i += m;
  }
  return -1;
}

/** A code span showing `text` verbatim, whatever backticks it holds. */
export function codeSpan(text: string): string {
  const flat = text.replace(/\r?\n/g, ' ');
  let longest = 0;
  for (const run of flat.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const ticks = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') || (flat.startsWith(' ') && flat.endsWith(' ') && flat.trim() !== '') ? ' ' : '';
  return `${ticks}${pad}${flat}${pad}${ticks}`;
}

/** Makes already-rendered inline Markdown safe inside a table cell: one line, `|` escaped (also in code spans). */
export function tableCell(markdown: string): string {
  return markdown.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
}

function linkText(text: string): string {
  return escapeHtml(text).replace(/([\\[\]])/g, '\\$1');
}

/** An http(s) URL fit for a Markdown link destination, or undefined. */
function linkUrl(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
  return parsed.href.replace(/[()<> ]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function link(title: string, url: string): string | undefined {
  const href = linkUrl(url);
  return href === undefined ? undefined : `[${linkText(title)}](${href})`;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

const LANGUAGES: Record<string, string> = { py: 'python', toml: 'toml', json: 'json', jsonc: 'jsonc', txt: 'text' };

/** The info string for a code block of this file. */
export function languageOf(path: string): string {
  const ext = /\.([A-Za-z0-9]+)$/.exec(path)?.[1]?.toLowerCase();
  return (ext && LANGUAGES[ext]) ?? '';
}

export function codeBlock(lines: readonly string[], language = ''): string {
  const content = lines.join('\n');
  const fence = fenceFor(content);
  return `${fence}${language}\n${content}\n${fence}`;
}

function lineLabel(r: { startLine: number; endLine: number }): string {
  return r.startLine === r.endLine ? `line ${r.startLine}` : `lines ${r.startLine}–${r.endLine}`;
}

const CODE_BLOCK_INTRO: Record<Exclude<FixRendering, { kind: 'suggestion' | 'invalid' }>['reason'], string> = {
  'crosses-hunk': 'Suggested change, apply by hand (it reaches lines outside this part of the diff)',
  'not-commentable': 'Suggested change, apply by hand',
  overlaps: 'Suggested change, apply by hand (another suggestion in this review changes the same lines)',
  display: 'Possible fix, as guidance (adapt it before applying)',
};

const UNSAFE_NOTE = '⚠️ **Unsafe fix**: review before accepting: this fix may change behaviour.';

function renderBlocks(blocks: readonly LineReplacement[], language: string): string[] {
  return blocks.map((b) =>
    b.lines.length === 0
      ? `Delete ${lineLabel(b)}.`
      : `${blocks.length > 1 ? `${lineLabel(b)[0]!.toUpperCase()}${lineLabel(b).slice(1)}:\n` : ''}${codeBlock(b.lines, language)}`,
  );
}

/** The fix part of a comment: a suggestion block, or the fixed lines to apply by hand. */
export function renderFixMarkdown(fix: FixRendering, path: string): string {
  const description = fix.description ? `: ${escapeText(fix.description)}` : '';
  const parts: string[] = [];
  if (fix.kind === 'suggestion') {
    parts.push(`**Suggested fix**${description}`);
    if (fix.applicability === 'unsafe') parts.push(UNSAFE_NOTE);
    parts.push(suggestionBlock(fix.lines));
  } else if (fix.kind === 'code-block') {
    const where = fix.blocks.length === 1 ? ` (${lineLabel(fix.blocks[0]!)})` : '';
    parts.push(`**${CODE_BLOCK_INTRO[fix.reason]}**${where}${description}`);
    if (fix.applicability === 'unsafe') parts.push(UNSAFE_NOTE);
    parts.push(...renderBlocks(fix.blocks, languageOf(path)));
  } else {
    parts.push(`**Fix**${description} (its edits overlap, so it is not shown)`);
  }
  return parts.join('\n\n');
}

export interface CommentBodyInput {
  finding: Finding;
  explanation?: RuleExplanation;
  fix?: FixRendering;
  fingerprint: string;
  toolName?: string;
}

/** One inline comment: what, why, links, the fix, and the hidden fingerprint last. */
export function renderCommentBody(input: CommentBodyInput): string {
  const { finding, explanation, fix } = input;
  const head: string[] = [`**${escapeText(finding.code)}** (${finding.severity}): ${escapeText(finding.message)}`];
  if (explanation?.why) head.push(`**Why it breaks:** ${escapeText(explanation.why)}`);
  const links = [
    link('rule docs', finding.docsUrl),
    ...(explanation?.references ?? []).filter((r) => r.url !== finding.docsUrl).map((r) => link(r.title, r.url)),
  ].filter((l): l is string => l !== undefined);
  if (links.length > 0) head.push(links.join(' · '));
  const marker = fingerprintMarker(input.fingerprint, input.toolName ?? DEFAULT_TOOL_NAME);

  const compose = (fixPart: string | undefined): string =>
    [...head, ...(fixPart ? [fixPart] : []), marker].join('\n\n');
  let body = compose(fix ? renderFixMarkdown(fix, finding.path) : undefined);
  if (body.length > GITHUB_BODY_LIMIT) body = compose(fix ? '_The fix is too long to show here._' : undefined);
  if (body.length > GITHUB_BODY_LIMIT) {
    head[0] = `**${escapeText(finding.code)}** (${finding.severity}): ${escapeText(truncate(finding.message, 2000))}`;
    head.splice(1, head.length - 1);
    body = compose(undefined);
  }
  return body;
}

export function location(finding: Pick<Finding, 'path' | 'line'>): string {
  return `${finding.path}:${finding.line}`;
}

export interface ReviewBodyInput {
  /** Every finding of the review (inline and not). */
  findings: readonly Finding[];
  inlineCount: number;
  bodyFindings: readonly BodyFinding[];
  filter: FilterMode;
  maxComments: number;
  toolName?: string;
  headSha?: string;
  /** For tests; GitHub's limit by default. */
  limit?: number;
}

export function reasonText(reason: BodyReason, filter: FilterMode, maxComments: number): string {
  switch (reason) {
    case 'outside-diff':
      return filter === 'added' ? 'not on a line this pull request adds' : 'outside the lines of the diff';
    case 'no-patch':
      return 'GitHub shows no diff for this file (too large or binary)';
    case 'cap':
      return `over the limit of ${maxComments} inline comments`;
    case 'file-level':
      return 'in a changed file, not on a line of the diff';
  }
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function sortFindings<T extends Finding>(findings: readonly T[]): T[] {
  return [...findings].sort(
    (a, b) =>
      compareSeverity(a.severity, b.severity) ||
      (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) ||
      a.line - b.line ||
      a.column - b.column ||
      (a.code < b.code ? -1 : a.code > b.code ? 1 : 0),
  );
}

/** Takes items in order while their joined length stays within `budget`. */
function fit(items: readonly string[], budget: number): string[] {
  const kept: string[] = [];
  let used = 0;
  for (const item of items) {
    if (used + item.length + 1 > budget) break;
    kept.push(item);
    used += item.length + 1;
  }
  return kept;
}

/** The review body: heading, counts, a table of all findings, and what is not shown inline and why. */
export function renderReviewBody(input: ReviewBodyInput): string {
  const toolName = input.toolName ?? DEFAULT_TOOL_NAME;
  const limit = input.limit ?? GITHUB_BODY_LIMIT;
  const findings = sortFindings(input.findings);
  const count = (s: Severity): number => findings.filter((f) => f.severity === s).length;
  const head: string[] = [`## ${escapeText(toolName)}`, ''];
  if (findings.length === 0) {
    head.push('No findings in the changed files.');
  } else {
    const listed = input.bodyFindings.length;
    head.push(
      `**${plural(findings.length, 'finding', 'findings')}**: ${plural(count('error'), 'error', 'errors')}, ` +
        `${plural(count('warning'), 'warning', 'warnings')}, ${count('info')} info. ` +
        `${plural(input.inlineCount, 'inline comment', 'inline comments')}` +
        (listed > 0 ? `, ${listed} not shown inline (listed below).` : '.'),
    );
  }
  const tail = input.headSha
    ? `<!-- ${encodeURIComponent(toolName)} review head=${encodeURIComponent(input.headSha)} -->`
    : '';

  const tableHead = ['| Severity | Code | Location | Message |', '| --- | --- | --- | --- |'];
  const rows = findings.map(
    (f) =>
      `| ${f.severity} | ${tableCell(escapeText(f.code))} | ${tableCell(codeSpan(location(f)))} | ` +
      `${tableCell(escapeText(truncate(f.message, 500)))} |`,
  );
  const notShownHead = '### Not shown inline';
  const notShown = sortFindings(input.bodyFindings.map((b) => ({ ...b.finding, reason: b.reason }))).map(
    (f) => `- ${codeSpan(location(f))} ${escapeText(f.code)}: ${reasonText(f.reason, input.filter, input.maxComments)}`,
  );

  const compose = (keptRows: string[], keptNotShown: string[]): string => {
    const parts = [head.join('\n')];
    if (rows.length > 0) {
      const omitted = rows.length - keptRows.length;
      parts.push([...tableHead, ...keptRows].join('\n'));
      if (omitted > 0) {
        parts.push(
          `_${plural(omitted, 'more finding is', 'more findings are')} left out of this table ` +
            `(GitHub limits a review body to ${limit.toLocaleString('en-US')} characters)._`,
        );
      }
    }
    if (notShown.length > 0) {
      const omitted = notShown.length - keptNotShown.length;
      parts.push([notShownHead, '', ...keptNotShown].join('\n'));
      if (omitted > 0) parts.push(`_…and ${omitted} more not shown inline._`);
    }
    if (tail) parts.push(tail);
    return parts.join('\n\n');
  };

  const full = compose(rows, notShown);
  if (full.length <= limit) return full;
  // Leave room for the notes, then share what is left: the table first, at most 30% for the list.
  const budget = limit - compose([], []).length - 400;
  const listBudget = Math.min(notShown.reduce((n, l) => n + l.length + 1, 0), Math.floor(budget * 0.3));
  const keptRows = fit(rows, budget - listBudget);
  const rowsUsed = keptRows.reduce((n, l) => n + l.length + 1, 0);
  const keptNotShown = fit(notShown, budget - rowsUsed);
  return compose(keptRows, keptNotShown);
}

/** The whole review as one Markdown document, for `review --format markdown`. */
export function renderReviewMarkdown(plan: ReviewPlan): string {
  const parts: string[] = [];
  for (const c of plan.comments) {
    const lines = c.start_line !== undefined ? `${c.start_line}-${c.line}` : `${c.line}`;
    parts.push(`### ${codeSpan(`${c.path}:${lines}`)}\n\n${c.body}`);
  }
  parts.push(plan.body);
  return `${parts.join('\n\n---\n\n')}\n`;
}

export interface CheckRunAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  start_column?: number;
  end_column?: number;
  annotation_level: 'failure' | 'warning' | 'notice';
  title: string;
  message: string;
}

const ANNOTATION_LEVEL: Record<Severity, CheckRunAnnotation['annotation_level']> = {
  error: 'failure',
  warning: 'warning',
  info: 'notice',
};

/** GitHub accepts at most this many annotations per check-run update. */
export const ANNOTATIONS_PER_REQUEST = 50;

/** Check-run annotations for findings, in batches of 50 (one request each). */
export function checkRunAnnotations(findings: readonly Finding[]): CheckRunAnnotation[][] {
  const annotations = sortFindings(findings).map((f): CheckRunAnnotation => {
    const startLine = Math.max(1, f.line);
    const endLine = Math.max(startLine, lastFlaggedLine(f));
    const a: CheckRunAnnotation = {
      path: f.path,
      start_line: startLine,
      end_line: endLine,
      annotation_level: ANNOTATION_LEVEL[f.severity],
      title: truncate(`${f.code} ${f.name}`, 255),
      message: truncate(f.docsUrl ? `${f.message}\n\n${f.docsUrl}` : f.message, 64_000),
    };
    // GitHub takes columns only for single-line annotations.
    if (f.line === f.endLine) {
      a.start_column = Math.max(1, f.column);
      a.end_column = Math.max(a.start_column, f.endColumn);
    }
    return a;
  });
  const batches: CheckRunAnnotation[][] = [];
  for (let i = 0; i < annotations.length; i += ANNOTATIONS_PER_REQUEST) {
    batches.push(annotations.slice(i, i + ANNOTATIONS_PER_REQUEST));
  }
  return batches;
}
