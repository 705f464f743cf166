// Builders for review tests: findings, and a file at head with its GitHub patch described line by line.
import type { Finding, Fix, Severity } from '../../src/engine/types.js';
import type { FileStatus, ReviewFile } from '../../src/review/index.js';

export function makeFinding(f: Partial<Finding> & Pick<Finding, 'path' | 'line'>): Finding {
  return {
    code: 'PW003',
    name: 'sync-http-client',
    gotcha: 3,
    severity: 'error' as Severity,
    column: 1,
    endLine: f.line,
    endColumn: 2,
    message: 'Synchronous HTTP clients do not work in Workers',
    docsUrl: 'https://example.com/rules/PW003',
    ...f,
  };
}

export function safeFix(edits: Fix['edits'], description = 'Use the fetch API'): Fix {
  return { applicability: 'safe', description, edits };
}

/**
 * A head file and its patch from a picture of the diff, one line each, the marker right before the
 * text as in a unified diff: "+text" added, " text" context, "-text" deleted (not at head),
 * ".text" unchanged outside any hunk.
 * Consecutive non-"." lines form one hunk. `eol` "\r\n" makes a CRLF file (and CRLF lines in the patch).
 */
export function fileFromDiff(
  path: string,
  picture: readonly string[],
  options: { eol?: '\n' | '\r\n'; status?: FileStatus } = {},
): ReviewFile {
  const eol = options.eol ?? '\n';
  const cr = eol === '\r\n' ? '\r' : '';
  const head: string[] = [];
  const patch: string[] = [];
  let oldNo = 1;
  let newNo = 1;
  let i = 0;
  while (i < picture.length) {
    if (picture[i]!.startsWith('.')) {
      head.push(picture[i]!.slice(1));
      oldNo++;
      newNo++;
      i++;
      continue;
    }
    const hunk: string[] = [];
    let oldCount = 0;
    let newCount = 0;
    const oldStart = oldNo;
    const newStart = newNo;
    for (; i < picture.length && !picture[i]!.startsWith('.'); i++) {
      const marker = picture[i]![0]!;
      const text = picture[i]!.slice(1);
      hunk.push(`${marker}${text}${cr}`);
      if (marker !== '+') (oldCount++, oldNo++);
      if (marker !== '-') (newCount++, newNo++, head.push(text));
    }
    patch.push(`@@ -${oldCount === 0 ? oldStart - 1 : oldStart},${oldCount} +${newCount === 0 ? newStart - 1 : newStart},${newCount} @@`, ...hunk);
  }
  return {
    path,
    text: head.map((l) => l + eol).join(''),
    patch: patch.join('\n'),
    status: options.status ?? 'modified',
  };
}

/** Markdown with its code spans and fenced blocks removed: what GitHub would parse as HTML or text. */
export function outsideCode(markdown: string): string {
  return markdown
    .replace(/^(`{3,})[^\n]*\n[\s\S]*?\n\1`*$/gm, '')
    .replace(/(`+)(?:(?!\1)[\s\S])*?[^`]\1(?!`)/g, '');
}
