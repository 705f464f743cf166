// Line/column ↔ offset arithmetic over a file's text, as the engine counts them:
// 1-based lines split at "\n" (a preceding "\r" belongs to the line ending), 1-based UTF-16 columns.

export interface SourceLine {
  /** Offset of the first character of the line. */
  start: number;
  /** Offset just past the line's content (before its line ending). */
  contentEnd: number;
  /** Offset just past the line ending ('' on a last line without one). */
  end: number;
  eol: '' | '\n' | '\r\n';
}

export class SourceText {
  readonly lines: readonly SourceLine[];

  constructor(readonly text: string) {
    const lines: SourceLine[] = [];
    let start = 0;
    while (start < text.length) {
      const nl = text.indexOf('\n', start);
      if (nl === -1) {
        lines.push({ start, contentEnd: text.length, end: text.length, eol: '' });
        break;
      }
      const crlf = nl > start && text.charCodeAt(nl - 1) === 13;
      lines.push({ start, contentEnd: crlf ? nl - 1 : nl, end: nl + 1, eol: crlf ? '\r\n' : '\n' });
      start = nl + 1;
    }
    // An empty file still has one (empty) line 1 to anchor positions on.
    if (lines.length === 0) lines.push({ start: 0, contentEnd: 0, end: 0, eol: '' });
    this.lines = lines;
  }

  get lineCount(): number {
    return this.lines.length;
  }

  line(n: number): SourceLine | undefined {
    return this.lines[n - 1];
  }

  content(n: number): string {
    const l = this.lines[n - 1];
    return l ? this.text.slice(l.start, l.contentEnd) : '';
  }

  /** Offset of a 1-based (line, UTF-16 column); columns past the content clamp to its end, line count + 1 is EOF. */
  offsetOf(line: number, column: number): number {
    if (line < 1) return 0;
    const l = this.lines[line - 1];
    if (!l) return this.text.length;
    const col = Math.max(0, Math.min(column - 1, l.contentEnd - l.start));
    return l.start + col;
  }

  /** The 1-based line holding `offset` (EOF belongs to the last line). */
  lineOfOffset(offset: number): number {
    let lo = 0;
    let hi = this.lines.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lines[mid]!.start <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  }

  /** The line ending most lines use ('\n' when there is none). */
  dominantEol(): '\n' | '\r\n' {
    let crlf = 0;
    let lf = 0;
    for (const l of this.lines) {
      if (l.eol === '\r\n') crlf++;
      else if (l.eol === '\n') lf++;
    }
    return crlf > lf ? '\r\n' : '\n';
  }
}
