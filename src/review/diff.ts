// Unified diffs: GitHub's per-file `patch` (hunks only) and a whole `git diff` (file headers too),
// and the index of RIGHT-side lines a review comment may be placed on.

import type { ReviewFile } from './types.js';

export type DiffLineKind = 'added' | 'context' | 'deleted';

export interface DiffLine {
  kind: DiffLineKind;
  /** LEFT-side line number, null for added lines. */
  oldLine: number | null;
  /** RIGHT-side line number, null for deleted lines. */
  newLine: number | null;
  /** The line without its +/-/space marker and without a trailing "\r". */
  text: string;
  /** The diff line ended in "\r\n" (a CRLF file). */
  crlf: boolean;
  /** Followed by "\ No newline at end of file". */
  noNewlineAtEnd: boolean;
}

export interface Hunk {
  /** 0-based position of the hunk in its file. */
  id: number;
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  /** The text after the closing "@@" (usually the enclosing function), trimmed. */
  section: string;
  lines: DiffLine[];
}

export type FileDiffStatus = 'added' | 'modified' | 'removed' | 'renamed' | 'copied';

export interface FileDiff {
  /** Path before the change, null for a new file. */
  oldPath: string | null;
  /** Path after the change, null for a deleted file. */
  newPath: string | null;
  /** newPath, or oldPath for a deleted file. */
  path: string;
  status: FileDiffStatus;
  binary: boolean;
  /** "similarity index" of a rename or copy, in percent. */
  similarity: number | null;
  hunks: Hunk[];
  /** The hunks as text, in the form of GitHub's `patch` field; null for binary files. */
  patch: string | null;
}

const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@ ?(.*)$/;

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

interface HunkParse {
  hunk: Hunk;
  /** Index of the first line after the hunk. */
  next: number;
}

/** Parses the hunk whose header is at `lines[at]`, or returns undefined when it is not a hunk header. */
function parseHunkAt(lines: readonly string[], at: number, id: number): HunkParse | undefined {
  const m = HUNK_HEADER.exec(stripCr(lines[at]!));
  if (!m) return undefined;
  const hunk: Hunk = {
    id,
    oldStart: Number(m[1]),
    oldLines: m[2] === undefined ? 1 : Number(m[2]),
    newStart: Number(m[3]),
    newLines: m[4] === undefined ? 1 : Number(m[4]),
    section: (m[5] ?? '').trim(),
    lines: [],
  };
  let oldLeft = hunk.oldLines;
  let newLeft = hunk.newLines;
  let oldNo = hunk.oldStart;
  let newNo = hunk.newStart;
  let i = at + 1;
  // The header's counts, not the line prefixes, end the hunk: a deleted "-- x" line is not a "---" header.
  for (; i < lines.length; i++) {
    const raw = lines[i]!;
    if (raw.startsWith('\\')) {
      const last = hunk.lines[hunk.lines.length - 1];
      if (last) last.noNewlineAtEnd = true;
      continue;
    }
    if (oldLeft === 0 && newLeft === 0) break;
    const crlf = raw.endsWith('\r');
    const body = stripCr(raw);
    // Some tools strip the single space of an empty context line.
    const marker = body === '' ? ' ' : body[0];
    const text = body.slice(1);
    if (marker === ' ' && oldLeft > 0 && newLeft > 0) {
      hunk.lines.push({ kind: 'context', oldLine: oldNo++, newLine: newNo++, text, crlf, noNewlineAtEnd: false });
      oldLeft--;
      newLeft--;
    } else if (marker === '+' && newLeft > 0) {
      hunk.lines.push({ kind: 'added', oldLine: null, newLine: newNo++, text, crlf, noNewlineAtEnd: false });
      newLeft--;
    } else if (marker === '-' && oldLeft > 0) {
      hunk.lines.push({ kind: 'deleted', oldLine: oldNo++, newLine: null, text, crlf, noNewlineAtEnd: false });
      oldLeft--;
    } else {
      break; // truncated or malformed: keep what was read
    }
  }
  return { hunk, next: i };
}

/** Parses the hunks of a GitHub file `patch` (anything before the first "@@" is skipped). */
export function parsePatch(patch: string | null | undefined): Hunk[] {
  if (!patch) return [];
  const lines = patch.split('\n');
  const hunks: Hunk[] = [];
  let i = 0;
  while (i < lines.length) {
    const parsed = parseHunkAt(lines, i, hunks.length);
    if (parsed) {
      hunks.push(parsed.hunk);
      i = parsed.next;
    } else {
      i++;
    }
  }
  return hunks;
}

/** Reads a path as git writes it: C-quoted ("caf\303\251.py") when it has unusual characters. */
function readGitPath(s: string): { path: string; rest: string } {
  if (!s.startsWith('"')) {
    // git ends a name containing a space with a tab in ---/+++ lines; `diff -u` puts a date after it.
    const tab = s.indexOf('\t');
    return { path: tab === -1 ? s : s.slice(0, tab), rest: tab === -1 ? '' : s.slice(tab) };
  }
  const bytes: number[] = [];
  const escapes: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };
  let i = 1;
  for (; i < s.length; i++) {
    const c = s[i]!;
    if (c === '"') break;
    if (c === '\\') {
      const octal = /^[0-7]{3}/.exec(s.slice(i + 1));
      if (octal) {
        bytes.push(parseInt(octal[0], 8));
        i += 3;
      } else {
        const e = s[i + 1] ?? '\\';
        bytes.push(escapes[e] ?? e.charCodeAt(0));
        i += 1;
      }
    } else {
      bytes.push(...Buffer.from(c, 'utf8'));
    }
  }
  return { path: Buffer.from(bytes).toString('utf8'), rest: s.slice(i + 1) };
}

export interface GitDiffOptions {
  /** The diff was made with --no-prefix: paths carry no "a/" and "b/". */
  noPrefix?: boolean;
}

/**
 * Parses the output of `git diff` (several files, with headers), also plain `diff -u` output.
 * Combined diffs of merges ("diff --cc") are not supported and are skipped.
 */
export function parseGitDiff(text: string, options: GitDiffOptions = {}): FileDiff[] {
  const lines = text.split('\n');
  const files: FileDiff[] = [];
  const stripPrefix = (p: string, prefix: 'a/' | 'b/'): string =>
    !options.noPrefix && p.startsWith(prefix) ? p.slice(2) : p;
  const headerPath = (s: string, prefix: 'a/' | 'b/'): string | null => {
    const { path } = readGitPath(s);
    return path === '/dev/null' ? null : stripPrefix(path, prefix);
  };

  let current: FileDiff | undefined;
  let rawHunkLines: string[] = [];
  const finish = (): void => {
    if (!current) return;
    current.path = current.newPath ?? current.oldPath ?? '';
    current.patch = current.binary ? null : rawHunkLines.join('\n');
    if (current.status === 'modified' && current.oldPath === null) current.status = 'added';
    if (current.status === 'modified' && current.newPath === null) current.status = 'removed';
    files.push(current);
    current = undefined;
    rawHunkLines = [];
  };
  const start = (oldPath: string | null, newPath: string | null): FileDiff => {
    finish();
    current = {
      oldPath,
      newPath,
      path: '',
      status: 'modified',
      binary: false,
      similarity: null,
      hunks: [],
      patch: null,
    };
    return current;
  };

  let i = 0;
  while (i < lines.length) {
    const line = stripCr(lines[i]!);
    if (line.startsWith('diff --git ')) {
      const [a, b] = splitDiffGitPaths(line.slice('diff --git '.length));
      start(a === null ? null : stripPrefix(a, 'a/'), b === null ? null : stripPrefix(b, 'b/'));
      i++;
      continue;
    }
    if (line.startsWith('diff --cc ') || line.startsWith('diff --combined ')) {
      finish();
      i++;
      continue;
    }
    if (line.startsWith('--- ') && i + 1 < lines.length && stripCr(lines[i + 1]!).startsWith('+++ ')) {
      // Plain unified diffs have no "diff --git" line; in git diffs these two only refine the paths.
      const oldPath = headerPath(line.slice(4), 'a/');
      const newPath = headerPath(stripCr(lines[i + 1]!).slice(4), 'b/');
      const file = current && current.hunks.length === 0 && !current.binary ? current : start(oldPath, newPath);
      file.oldPath = oldPath;
      file.newPath = newPath;
      if (oldPath === null) file.status = 'added';
      if (newPath === null) file.status = 'removed';
      i += 2;
      continue;
    }
    if (current) {
      const parsed = line.startsWith('@@') ? parseHunkAt(lines, i, current.hunks.length) : undefined;
      if (parsed) {
        current.hunks.push(parsed.hunk);
        rawHunkLines.push(...lines.slice(i, parsed.next));
        i = parsed.next;
        continue;
      }
      if (current.hunks.length === 0) readExtendedHeader(current, line, stripPrefix);
    }
    i++;
  }
  finish();
  return files;
}

function readExtendedHeader(
  file: FileDiff,
  line: string,
  stripPrefix: (p: string, prefix: 'a/' | 'b/') => string,
): void {
  const after = (prefix: string): string | undefined =>
    line.startsWith(prefix) ? readGitPath(line.slice(prefix.length)).path : undefined;
  let v: string | undefined;
  if (line.startsWith('new file mode')) {
    file.status = 'added';
    file.oldPath = null;
  } else if (line.startsWith('deleted file mode')) {
    file.status = 'removed';
    file.newPath = null;
  } else if ((v = after('rename from ')) !== undefined) {
    file.status = 'renamed';
    file.oldPath = v;
  } else if ((v = after('rename to ')) !== undefined) {
    file.status = 'renamed';
    file.newPath = v;
  } else if ((v = after('copy from ')) !== undefined) {
    file.status = 'copied';
    file.oldPath = v;
  } else if ((v = after('copy to ')) !== undefined) {
    file.status = 'copied';
    file.newPath = v;
  } else if (line.startsWith('similarity index ')) {
    file.similarity = parseInt(line.slice('similarity index '.length), 10);
  } else if (line.startsWith('Binary files ') || line === 'GIT binary patch') {
    file.binary = true;
    const m = /^Binary files (.*) and (.*) differ$/.exec(line);
    if (m) {
      const oldPath = readGitPath(m[1]!).path;
      const newPath = readGitPath(m[2]!).path;
      if (oldPath === '/dev/null') file.oldPath = null;
      else if (file.status !== 'renamed' && file.status !== 'copied') file.oldPath = stripPrefix(oldPath, 'a/');
      if (newPath === '/dev/null') file.newPath = null;
      else if (file.status !== 'renamed' && file.status !== 'copied') file.newPath = stripPrefix(newPath, 'b/');
    }
  }
}

/** Splits the "a/x b/y" of a "diff --git" line; both names are equal unless renamed (then later headers say). */
function splitDiffGitPaths(rest: string): [string | null, string | null] {
  if (rest.startsWith('"')) {
    const first = readGitPath(rest);
    const second = first.rest.trimStart();
    return [first.path, second.startsWith('"') ? readGitPath(second).path : second];
  }
  // Unquoted and unrenamed: "a/P b/P" has the same P twice, so the middle is known by length.
  const half = (rest.length - 1) / 2;
  if (Number.isInteger(half) && rest[half] === ' ' && rest.slice(0, half).slice(2) === rest.slice(half + 1).slice(2)) {
    return [rest.slice(0, half), rest.slice(half + 1)];
  }
  const quotedSecond = rest.indexOf(' "');
  if (quotedSecond !== -1) return [rest.slice(0, quotedSecond), readGitPath(rest.slice(quotedSecond + 1)).path];
  const sep = rest.indexOf(' b/');
  if (sep !== -1) return [rest.slice(0, sep), rest.slice(sep + 1)];
  const space = rest.indexOf(' ');
  return space === -1 ? [rest, rest] : [rest.slice(0, space), rest.slice(space + 1)];
}

export type CommentableKind = 'added' | 'context';

/** The RIGHT-side lines of one hunk: a contiguous run newStart..newEnd. */
export interface HunkSpan {
  id: number;
  start: number;
  end: number;
}

/** The lines of one file that a review comment (side RIGHT) may be placed on. */
export class CommentableLines {
  private readonly kinds = new Map<number, CommentableKind>();
  private readonly hunkIds = new Map<number, number>();
  /** Hunks with at least one RIGHT-side line, in file order. */
  readonly spans: readonly HunkSpan[];

  constructor(hunks: readonly Hunk[]) {
    const spans: HunkSpan[] = [];
    for (const hunk of hunks) {
      let start = Infinity;
      let end = -Infinity;
      for (const l of hunk.lines) {
        if (l.newLine === null || l.kind === 'deleted') continue;
        this.kinds.set(l.newLine, l.kind);
        this.hunkIds.set(l.newLine, hunk.id);
        start = Math.min(start, l.newLine);
        end = Math.max(end, l.newLine);
      }
      if (end >= start) spans.push({ id: hunk.id, start, end });
    }
    this.spans = spans;
  }

  static fromPatch(patch: string | null | undefined): CommentableLines {
    return new CommentableLines(parsePatch(patch));
  }

  /** 'added' or 'context' for a RIGHT-side line of a hunk, undefined elsewhere. */
  kind(line: number): CommentableKind | undefined {
    return this.kinds.get(line);
  }

  /** The id of the hunk holding this RIGHT-side line. */
  hunkOf(line: number): number | undefined {
    return this.hunkIds.get(line);
  }

  span(hunkId: number): HunkSpan | undefined {
    return this.spans.find((s) => s.id === hunkId);
  }

  /** The hunk span holding `line`, if the line is commentable. */
  spanOf(line: number): HunkSpan | undefined {
    const id = this.hunkOf(line);
    return id === undefined ? undefined : this.span(id);
  }

  /** Every line of start..end is a RIGHT-side line of one and the same hunk. */
  inOneHunk(start: number, end: number): boolean {
    if (end < start) return false;
    const span = this.spanOf(start);
    return span !== undefined && end <= span.end;
  }

  /** start..end cut to the hunk holding `anchor` (which must lie in start..end), or undefined when not commentable. */
  clampToHunk(anchor: number, start: number, end: number): { start: number; end: number } | undefined {
    const span = this.spanOf(anchor);
    if (!span) return undefined;
    return { start: Math.max(start, span.start), end: Math.min(end, span.end) };
  }

  /** All commentable lines, ascending. */
  lines(): number[] {
    return [...this.kinds.keys()].sort((a, b) => a - b);
  }

  addedLines(): number[] {
    return this.lines().filter((l) => this.kinds.get(l) === 'added');
  }
}

/**
 * The files of a local `git diff` in the shape planReview takes (as GitHub would list them).
 * `textOf` gives a file's content at head; files it cannot give (and removed files) get text ''.
 */
export function reviewFilesFromDiff(
  diffs: readonly FileDiff[],
  textOf: (path: string) => string | undefined,
): Map<string, ReviewFile> {
  const files = new Map<string, ReviewFile>();
  for (const d of diffs) {
    const text = d.status === 'removed' ? '' : (textOf(d.path) ?? '');
    files.set(d.path, { path: d.path, text, patch: d.patch, status: d.status });
  }
  return files;
}
