// Offsets ↔ 1-based line/column (UTF-16 code units), and applying edits to text.
import type { OffsetEdit, Range, TextEdit } from './types.js';

/** Line starts of a text; a line ends at \n, \r\n or a lone \r. */
export class LineIndex {
  readonly starts: number[];
  constructor(readonly text: string) {
    const starts = [0];
    if (!text.includes('\r')) {
      // The usual case: indexOf finds each \n far faster than a loop over every character.
      for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
      this.starts = starts;
      return;
    }
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) starts.push(i + 1);
      else if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      }
    }
    this.starts = starts;
  }

  get lineCount(): number {
    return this.starts.length;
  }

  /** 1-based line and column of an offset (clamped into the text). */
  position(offset: number): { line: number; column: number } {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid] <= o) lo = mid;
      else hi = mid - 1;
    }
    // An offset inside a line break (between \r and \n) is the end of its line.
    return { line: lo + 1, column: Math.min(o, this.lineEnd(lo + 1)) - this.starts[lo] + 1 };
  }

  /** Offset of a 1-based line and column (clamped to the line's end). */
  offset(line: number, column: number): number {
    const l = Math.max(1, Math.min(line, this.starts.length));
    const start = this.starts[l - 1];
    const end = this.lineEnd(l);
    return Math.min(start + Math.max(0, column - 1), end);
  }

  /** Offset just before the line break of a 1-based line. */
  lineEnd(line: number): number {
    const next = line < this.starts.length ? this.starts[line] : this.text.length;
    let end = next;
    if (line < this.starts.length) {
      end--;
      if (this.text.charCodeAt(end) === 10 && this.text.charCodeAt(end - 1) === 13) end--;
    }
    return end;
  }

  lineText(line: number): string {
    return this.text.slice(this.starts[line - 1], this.lineEnd(line));
  }

  range(start: number, end: number): Range {
    const a = this.position(start);
    const b = this.position(end);
    return { line: a.line, column: a.column, endLine: b.line, endColumn: b.column };
  }

  toTextEdit(edit: OffsetEdit): TextEdit {
    return { ...this.range(edit.start, edit.end), text: edit.text };
  }

  toOffsetEdit(edit: TextEdit): OffsetEdit {
    return { start: this.offset(edit.line, edit.column), end: this.offset(edit.endLine, edit.endColumn), text: edit.text };
  }
}

/** The line break a file mostly uses, for edits that add lines. */
export function detectEol(text: string): string {
  const crlf = text.indexOf('\r\n');
  const lf = text.indexOf('\n');
  return crlf !== -1 && crlf + 1 === lf ? '\r\n' : '\n';
}

/** Apply non-overlapping edits; throws when two edits overlap. */
export function applyOffsetEdits(text: string, edits: readonly OffsetEdit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let out = '';
  let at = 0;
  for (const e of sorted) {
    if (e.start < at) throw new Error(`overlapping edits at offset ${e.start}`);
    out += text.slice(at, e.start) + e.text;
    at = e.end;
  }
  return out + text.slice(at);
}

export function applyTextEdits(text: string, edits: readonly TextEdit[]): string {
  const index = new LineIndex(text);
  return applyOffsetEdits(text, edits.map((e) => index.toOffsetEdit(e)));
}

/** Leading whitespace of the line holding `offset`. */
export function indentationAt(text: string, offset: number): string {
  let start = offset;
  while (start > 0 && text[start - 1] !== '\n' && text[start - 1] !== '\r') start--;
  let end = start;
  while (end < text.length && (text[end] === ' ' || text[end] === '\t')) end++;
  return text.slice(start, end);
}

function splitsPair(text: string, offset: number): boolean {
  if (offset <= 0 || offset >= text.length) return false;
  const low = text.charCodeAt(offset);
  const high = text.charCodeAt(offset - 1);
  return low >= 0xdc00 && low <= 0xdfff && high >= 0xd800 && high <= 0xdbff;
}

/** [start, end) clamped into the text and widened so that neither end falls inside a surrogate pair. */
export function codePointRange(text: string, start: number, end: number): { start: number; end: number } {
  let s = Math.max(0, Math.min(start, text.length));
  let e = Math.max(s, Math.min(end, text.length));
  if (splitsPair(text, s)) s--;
  if (splitsPair(text, e)) e++;
  return { start: s, end: e };
}
