// Turning a finding's fix into a GitHub ```suggestion (whole lines start_line..line replaced), or,
// when GitHub could not apply it, into a plain code block of the fixed lines.
import type { Applicability, Finding, TextEdit } from '../engine/types.js';
import type { CommentableLines } from './diff.js';
import { SourceText } from './source-text.js';

/** A whole-line replacement as GitHub applies it: lines startLine..endLine become `lines` (none: deleted). */
export interface LineReplacement {
  startLine: number;
  endLine: number;
  /** The new lines, without line endings. */
  lines: string[];
}

/** Why a fix is shown as a code block rather than a suggestion. */
export type CodeBlockReason =
  /** The fix (with the flagged lines) reaches lines outside the comment's hunk. */
  | 'crosses-hunk'
  /** The flagged line is not in the diff at all. */
  | 'not-commentable'
  /** Another suggestion in the same review already replaces some of these lines. */
  | 'overlaps'
  /** The rule marks the fix as guidance only. */
  | 'display';

export type FixRendering =
  | ({ kind: 'suggestion'; applicability: 'safe' | 'unsafe'; description: string } & LineReplacement)
  | {
      kind: 'code-block';
      applicability: Applicability;
      description: string;
      reason: CodeBlockReason;
      /** The fixed lines, one block per group of nearby edits. */
      blocks: LineReplacement[];
    }
  | { kind: 'invalid'; applicability: Applicability; description: string };

interface OffsetEdit {
  start: number;
  end: number;
  text: string;
}

/** Edits as offsets, sorted; undefined when two edits overlap (the fix is malformed). */
function toOffsetEdits(source: SourceText, edits: readonly TextEdit[]): OffsetEdit[] | undefined {
  const offsets = edits
    .map((e, i) => {
      const start = source.offsetOf(e.line, e.column);
      const end = Math.max(start, source.offsetOf(e.endLine, e.endColumn));
      return { start, end, text: e.text, i };
    })
    .sort((a, b) => a.start - b.start || a.i - b.i);
  for (let k = 1; k < offsets.length; k++) {
    if (offsets[k]!.start < offsets[k - 1]!.end) return undefined;
  }
  return offsets.map(({ start, end, text }) => ({ start, end, text }));
}

function applyOffsetEdits(text: string, edits: readonly OffsetEdit[], base = 0): string {
  let out = '';
  let at = 0;
  for (const e of edits) {
    out += text.slice(at, e.start - base) + e.text;
    at = e.end - base;
  }
  return out + text.slice(at);
}

/** Applies text edits (1-based lines, UTF-16 columns, end exclusive) directly to a text. */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const source = new SourceText(text);
  const offsets = toOffsetEdits(source, edits);
  if (!offsets) throw new Error('overlapping edits');
  return applyOffsetEdits(text, offsets);
}

/** Lines an edit touches: an end at column 1 of a later line only reaches the previous line's ending. */
function touchedLines(source: SourceText, e: OffsetEdit): [number, number] {
  return [source.lineOfOffset(e.start), source.lineOfOffset(Math.max(e.start, e.end - 1))];
}

/**
 * The lines startLine..endLine after the edits (which must lie within them). When an edit removes the
 * last line's ending, the next line joins the range, since GitHub replaces whole lines only.
 */
function fixedLines(
  source: SourceText,
  edits: readonly OffsetEdit[],
  startLine: number,
  endLine: number,
): LineReplacement | undefined {
  for (let end = endLine; end <= source.lineCount; end++) {
    const first = source.line(startLine)!;
    const last = source.line(end)!;
    const segment = source.text.slice(first.start, last.end);
    const fixed = applyOffsetEdits(segment, edits, first.start);
    if (last.eol === '') return { startLine, endLine: end, lines: fixed.split(/\r?\n/) };
    if (fixed === '') return { startLine, endLine: end, lines: [] };
    if (/\r?\n$/.test(fixed)) {
      return { startLine, endLine: end, lines: fixed.replace(/\r?\n$/, '').split(/\r?\n/) };
    }
  }
  return undefined;
}

/** Groups edits lying within two lines of each other, and renders each group's fixed lines. */
function fixedLineBlocks(source: SourceText, edits: readonly OffsetEdit[]): LineReplacement[] {
  const groups: { start: number; end: number; edits: OffsetEdit[] }[] = [];
  for (const e of edits) {
    const [s, t] = touchedLines(source, e);
    const g = groups[groups.length - 1];
    if (g && s <= g.end + 2) {
      g.end = Math.max(g.end, t);
      g.edits.push(e);
    } else {
      groups.push({ start: s, end: t, edits: [e] });
    }
  }
  const blocks: LineReplacement[] = [];
  for (const g of groups) {
    const block = fixedLines(source, g.edits, g.start, g.end);
    if (block) blocks.push(block);
  }
  return blocks;
}

/** The last line a finding really covers: an end at column 1 of a later line stops on the line before. */
export function lastFlaggedLine(finding: Finding): number {
  if (finding.endLine > finding.line && finding.endColumn <= 1) return finding.endLine - 1;
  return Math.max(finding.line, finding.endLine);
}

export interface RenderFixOptions {
  /** The file's commentable lines; absent when the file has no diff (code blocks only). */
  commentable?: CommentableLines;
  /** False when another suggestion already replaces some of these lines (a batch could not apply both). */
  isFree?: (startLine: number, endLine: number) => boolean;
}

/**
 * How a finding's fix is shown in its comment. A suggestion must replace RIGHT-side lines of one hunk
 * that include the flagged line (where the comment anchors); otherwise the fixed lines are shown as a
 * code block to apply by hand. Display-only fixes are always code blocks. Undefined without a fix.
 */
export function renderFix(
  finding: Finding,
  text: string | SourceText,
  options: RenderFixOptions = {},
): FixRendering | undefined {
  const fix = finding.fix;
  if (!fix) return undefined;
  const source = typeof text === 'string' ? new SourceText(text) : text;
  const { applicability, description } = fix;
  const edits = toOffsetEdits(source, fix.edits);
  if (!edits || edits.length === 0) return { kind: 'invalid', applicability, description };
  const codeBlock = (reason: CodeBlockReason): FixRendering => ({
    kind: 'code-block',
    applicability,
    description,
    reason,
    blocks: fixedLineBlocks(source, edits),
  });
  if (applicability === 'display') return codeBlock('display');
  const { commentable } = options;
  if (!commentable || commentable.kind(finding.line) === undefined) return codeBlock('not-commentable');

  let editStart = Infinity;
  let editEnd = -Infinity;
  for (const e of edits) {
    const [s, t] = touchedLines(source, e);
    editStart = Math.min(editStart, s);
    editEnd = Math.max(editEnd, t);
  }
  const start = Math.min(editStart, finding.line);
  // Prefer covering the whole finding; settle for its first line when the rest leaves the hunk.
  const candidates = [Math.max(editEnd, lastFlaggedLine(finding)), Math.max(editEnd, finding.line)];
  for (const end of candidates) {
    const replacement = fixedLines(source, edits, start, Math.min(end, source.lineCount));
    if (!replacement || !commentable.inOneHunk(replacement.startLine, replacement.endLine)) continue;
    if (options.isFree && !options.isFree(replacement.startLine, replacement.endLine)) return codeBlock('overlaps');
    return { kind: 'suggestion', applicability, description, ...replacement };
  }
  return codeBlock('crosses-hunk');
}

/** A backtick fence longer than any backtick run in `content` (at least `min`). */
export function fenceFor(content: string, min = 3): string {
  let longest = 0;
  for (const run of content.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  return '`'.repeat(Math.max(min, longest + 1));
}

/** The ```suggestion block for a replacement: no lines means the lines are deleted. */
export function suggestionBlock(lines: readonly string[]): string {
  const content = lines.join('\n');
  const fence = fenceFor(content);
  return lines.length === 0 ? `${fence}suggestion\n${fence}` : `${fence}suggestion\n${content}\n${fence}`;
}

/** Reads back the lines of the first ```suggestion block of a comment body, as GitHub does. */
export function parseSuggestionBlock(body: string): string[] | undefined {
  const lines = body.split('\n').map((l) => l.replace(/\r$/, ''));
  const open = lines.findIndex((l) => /^`{3,}suggestion[ \t]*$/.test(l));
  if (open === -1) return undefined;
  const width = /^`+/.exec(lines[open]!)![0].length;
  const content: string[] = [];
  for (let i = open + 1; i < lines.length; i++) {
    const close = /^(`+)[ \t]*$/.exec(lines[i]!);
    if (close && close[1]!.length >= width) return content;
    content.push(lines[i]!);
  }
  return content; // an unclosed fence runs to the end of the body
}

/** The replacement a review comment would make if its suggestion were accepted. */
export function suggestionFromComment(comment: {
  line: number;
  start_line?: number;
  body: string;
}): LineReplacement | undefined {
  const lines = parseSuggestionBlock(comment.body);
  if (!lines) return undefined;
  return { startLine: comment.start_line ?? comment.line, endLine: comment.line, lines };
}

/**
 * Applies accepted suggestions to a file as GitHub's "commit suggestions" does: each replaces whole
 * lines; new lines take the line ending of the last line they replace (so CRLF files stay CRLF).
 * Throws when two suggestions touch the same line or a range is outside the file.
 */
export function applySuggestions(text: string, suggestions: readonly LineReplacement[]): string {
  const source = new SourceText(text);
  const sorted = [...suggestions].sort((a, b) => a.startLine - b.startLine);
  for (const [k, s] of sorted.entries()) {
    if (s.startLine < 1 || s.endLine < s.startLine || s.endLine > source.lineCount) {
      throw new Error(`suggestion for lines ${s.startLine}-${s.endLine} is outside the file`);
    }
    const prev = sorted[k - 1];
    if (prev && s.startLine <= prev.endLine) {
      throw new Error(`suggestions for lines ${prev.startLine}-${prev.endLine} and ${s.startLine}-${s.endLine} overlap`);
    }
  }
  const fallbackEol = source.dominantEol();
  let out = '';
  let at = 0;
  for (const s of sorted) {
    const first = source.line(s.startLine)!;
    const last = source.line(s.endLine)!;
    out += text.slice(at, first.start);
    const innerEol = last.eol === '' ? fallbackEol : last.eol;
    s.lines.forEach((l, i) => {
      out += l + (i === s.lines.length - 1 ? last.eol : innerEol);
    });
    at = last.end;
  }
  return out + text.slice(at);
}
