import { describe, expect, it } from 'vitest';
import {
  CommentableLines,
  applyEdits,
  applySuggestions,
  fenceFor,
  parseSuggestionBlock,
  renderFix,
  suggestionBlock,
  type FixRendering,
} from '../../src/review/index.js';
import { fileFromDiff, makeFinding } from './helpers.js';

const file = fileFromDiff('src/entry.py', [
  '.import js',
  '.',
  ' async def on_fetch(request):',
  '+    r = requests.get(URL)',
  '+    return r',
  '.',
  '.def other():',
  ' x = 1',
  '+y = requests.get(URL)',
]);
const commentable = CommentableLines.fromPatch(file.patch);

function render(finding: Parameters<typeof renderFix>[0], text = file.text, lines = commentable): FixRendering | undefined {
  return renderFix(finding, text, { commentable: lines });
}

describe('renderFix', () => {
  it('replaces the flagged line with the fixed line', () => {
    const finding = makeFinding({
      path: file.path,
      line: 4,
      column: 9,
      endColumn: 21,
      fix: { applicability: 'safe', description: 'Use fetch', edits: [{ line: 4, column: 9, endLine: 4, endColumn: 21, text: 'await fetch' }] },
    });
    expect(render(finding)).toEqual({
      kind: 'suggestion',
      applicability: 'safe',
      description: 'Use fetch',
      startLine: 4,
      endLine: 4,
      lines: ['    r = await fetch(URL)'],
    });
  });

  it('covers every flagged line of a multi-line finding', () => {
    const finding = makeFinding({
      path: file.path,
      line: 4,
      column: 5,
      endLine: 5,
      endColumn: 13,
      fix: { applicability: 'safe', description: '', edits: [{ line: 4, column: 9, endLine: 4, endColumn: 21, text: 'await fetch' }] },
    });
    expect(render(finding)).toMatchObject({ kind: 'suggestion', startLine: 4, endLine: 5, lines: ['    r = await fetch(URL)', '    return r'] });
  });

  it('falls back to the flagged line alone when the finding leaves the hunk but the fix does not', () => {
    const finding = makeFinding({
      path: file.path,
      line: 4,
      endLine: 7,
      endColumn: 5,
      fix: { applicability: 'safe', description: '', edits: [{ line: 4, column: 9, endLine: 4, endColumn: 21, text: 'await fetch' }] },
    });
    expect(render(finding)).toMatchObject({ kind: 'suggestion', startLine: 4, endLine: 4 });
  });

  it('shows a fix that would cross a hunk as a code block to apply by hand', () => {
    // `import` lines 1-2 are outside the diff; the fix adds an import there and edits line 4.
    const finding = makeFinding({
      path: file.path,
      line: 4,
      column: 9,
      endColumn: 21,
      fix: {
        applicability: 'safe',
        description: 'Use fetch',
        edits: [
          { line: 1, column: 10, endLine: 1, endColumn: 10, text: ', fetch' },
          { line: 4, column: 9, endLine: 4, endColumn: 21, text: 'await fetch' },
        ],
      },
    });
    const fix = render(finding);
    expect(fix).toMatchObject({ kind: 'code-block', reason: 'crosses-hunk' });
    expect(fix!.kind === 'code-block' && fix!.blocks).toEqual([
      { startLine: 1, endLine: 1, lines: ['import js, fetch'] },
      { startLine: 4, endLine: 4, lines: ['    r = await fetch(URL)'] },
    ]);
  });

  it('shows a fix spanning two hunks as a code block even when contiguous', () => {
    const finding = makeFinding({
      path: file.path,
      line: 5,
      fix: { applicability: 'safe', description: '', edits: [{ line: 5, column: 1, endLine: 8, endColumn: 1, text: '' }] },
    });
    expect(render(finding)).toMatchObject({ kind: 'code-block', reason: 'crosses-hunk' });
  });

  it('never makes a display fix a suggestion', () => {
    const finding = makeFinding({
      path: file.path,
      line: 4,
      fix: { applicability: 'display', description: 'Consider js.fetch', edits: [{ line: 4, column: 9, endLine: 4, endColumn: 21, text: 'await js.fetch' }] },
    });
    expect(render(finding)).toMatchObject({ kind: 'code-block', reason: 'display', blocks: [{ startLine: 4, endLine: 4, lines: ['    r = await js.fetch(URL)'] }] });
  });

  it('keeps unsafe fixes as suggestions', () => {
    const finding = makeFinding({
      path: file.path,
      line: 4,
      fix: { applicability: 'unsafe', description: '', edits: [{ line: 4, column: 9, endLine: 4, endColumn: 21, text: 'await fetch' }] },
    });
    expect(render(finding)).toMatchObject({ kind: 'suggestion', applicability: 'unsafe' });
  });

  it('refuses fixes whose edits overlap', () => {
    const finding = makeFinding({
      path: file.path,
      line: 4,
      fix: {
        applicability: 'safe',
        description: '',
        edits: [
          { line: 4, column: 5, endLine: 4, endColumn: 10, text: 'a' },
          { line: 4, column: 8, endLine: 4, endColumn: 12, text: 'b' },
        ],
      },
    });
    expect(render(finding)).toMatchObject({ kind: 'invalid' });
  });

  it('returns nothing without a fix', () => {
    expect(render(makeFinding({ path: file.path, line: 4 }))).toBeUndefined();
  });

  it.each([
    {
      name: 'deleting a whole line gives an empty suggestion',
      edit: { line: 5, column: 1, endLine: 6, endColumn: 1, text: '' },
      startLine: 5,
      endLine: 5,
      lines: [] as string[],
    },
    {
      name: 'deleting a line ending joins the next line into the range',
      edit: { line: 4, column: 26, endLine: 5, endColumn: 5, text: '; ' },
      startLine: 4,
      endLine: 5,
      lines: ['    r = requests.get(URL); return r'],
    },
    {
      name: 'inserting lines keeps the flagged line',
      edit: { line: 4, column: 1, endLine: 4, endColumn: 1, text: '    # TODO\n' },
      startLine: 4,
      endLine: 4,
      lines: ['    # TODO', '    r = requests.get(URL)'],
    },
    {
      name: 'an insertion at the end of the file after its last newline',
      edit: { line: 10, column: 1, endLine: 10, endColumn: 1, text: 'z = 3\n' },
      startLine: 9,
      endLine: 9,
      lines: ['y = requests.get(URL)', 'z = 3'],
      findingLine: 9,
    },
  ])('$name', ({ edit, startLine, endLine, lines, findingLine }) => {
    const line = findingLine ?? edit.line;
    const finding = makeFinding({ path: file.path, line, fix: { applicability: 'safe', description: '', edits: [edit] } });
    const fix = render(finding);
    expect(fix).toMatchObject({ kind: 'suggestion', startLine, endLine, lines });
    // What GitHub would commit equals the fix applied directly.
    expect(applySuggestions(file.text, [fix as { startLine: number; endLine: number; lines: string[] }])).toBe(applyEdits(file.text, [edit]));
  });

  it('counts columns in UTF-16 code units (non-ASCII and astral characters)', () => {
    const f = fileFromDiff('src/u.py', ['+msg = "héllo 😀"; r = requests.get(u)']);
    // "msg = \"héllo 😀\"; r = " is 22 UTF-16 units (the emoji is two), so `requests.get` starts at column 23.
    const finding = makeFinding({
      path: f.path,
      line: 1,
      column: 23,
      endColumn: 35,
      fix: { applicability: 'safe', description: '', edits: [{ line: 1, column: 23, endLine: 1, endColumn: 35, text: 'await fetch' }] },
    });
    expect(render(finding, f.text, CommentableLines.fromPatch(f.patch))).toMatchObject({
      kind: 'suggestion',
      lines: ['msg = "héllo 😀"; r = await fetch(u)'],
    });
  });

  it('gives CRLF files suggestion lines without "\\r", and applying them keeps CRLF', () => {
    const f = fileFromDiff('src/w.py', [' def f():', '+    r = requests.get(u)', '+    return r'], { eol: '\r\n' });
    const finding = makeFinding({
      path: f.path,
      line: 2,
      column: 9,
      endColumn: 21,
      fix: {
        applicability: 'safe',
        description: '',
        edits: [{ line: 2, column: 9, endLine: 2, endColumn: 21, text: 'await fetch' }, { line: 3, column: 5, endLine: 3, endColumn: 5, text: 'x = 1\r\n    ' }],
      },
    });
    const fix = render(finding, f.text, CommentableLines.fromPatch(f.patch));
    expect(fix).toMatchObject({ kind: 'suggestion', startLine: 2, endLine: 3, lines: ['    r = await fetch(u)', '    x = 1', '    return r'] });
    const applied = applySuggestions(f.text, [fix as { startLine: number; endLine: number; lines: string[] }]);
    expect(applied).toBe('def f():\r\n    r = await fetch(u)\r\n    x = 1\r\n    return r\r\n');
    expect(applied).toBe(applyEdits(f.text, finding.fix!.edits));
  });
});

describe('fences', () => {
  it.each([
    { content: 'x = 1', fence: '```' },
    { content: 'a `b` c', fence: '```' },
    { content: 'doc = """```python"""', fence: '````' },
    { content: 'x = "`````"', fence: '``````' },
  ])('$content is fenced with $fence', ({ content, fence }) => {
    expect(fenceFor(content)).toBe(fence);
  });

  it('renders a suggestion whose code holds ``` so that GitHub reads it back whole', () => {
    const lines = ['doc = """', '```python', 'print(1)', '```', '"""'];
    const block = suggestionBlock(lines);
    expect(block.split('\n')[0]).toBe('````suggestion');
    expect(parseSuggestionBlock(`Text\n\n${block}\n\n<!-- x -->`)).toEqual(lines);
  });

  it('distinguishes deleting lines from an empty line', () => {
    expect(suggestionBlock([])).toBe('```suggestion\n```');
    expect(parseSuggestionBlock(suggestionBlock([]))).toEqual([]);
    expect(parseSuggestionBlock(suggestionBlock(['']))).toEqual(['']);
  });
});

describe('applySuggestions', () => {
  const text = 'a\nb\nc\nd\n';
  it.each([
    { name: 'one line', s: [{ startLine: 2, endLine: 2, lines: ['B'] }], out: 'a\nB\nc\nd\n' },
    { name: 'several, out of order', s: [{ startLine: 4, endLine: 4, lines: ['D'] }, { startLine: 1, endLine: 2, lines: ['AB'] }], out: 'AB\nc\nD\n' },
    { name: 'deletion', s: [{ startLine: 2, endLine: 3, lines: [] }], out: 'a\nd\n' },
    { name: 'growth', s: [{ startLine: 1, endLine: 1, lines: ['x', 'y'] }], out: 'x\ny\nb\nc\nd\n' },
  ])('$name', ({ s, out }) => {
    expect(applySuggestions(text, s)).toBe(out);
  });

  it('keeps a missing final newline missing', () => {
    expect(applySuggestions('a\nb', [{ startLine: 2, endLine: 2, lines: ['B', 'C'] }])).toBe('a\nB\nC');
  });

  it('refuses overlapping suggestions and ranges outside the file', () => {
    expect(() => applySuggestions(text, [{ startLine: 1, endLine: 2, lines: [] }, { startLine: 2, endLine: 3, lines: [] }])).toThrow(/overlap/);
    expect(() => applySuggestions(text, [{ startLine: 4, endLine: 5, lines: [] }])).toThrow(/outside/);
  });
});
