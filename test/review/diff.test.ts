import { describe, expect, it } from 'vitest';
import { CommentableLines, parseGitDiff, parsePatch, reviewFilesFromDiff } from '../../src/review/index.js';

/** RIGHT-side lines as "line:kind" for compact expectations. */
function rightLines(patch: string): string[] {
  const lines = CommentableLines.fromPatch(patch);
  return lines.lines().map((l) => `${l}:${lines.kind(l)}`);
}

describe('parsePatch (GitHub file patch)', () => {
  const cases: { name: string; patch: string[]; right: string[]; hunks: number }[] = [
    {
      name: 'added, context and deleted lines',
      patch: [
        '@@ -1,4 +1,5 @@',
        ' from js import Response',
        '+import requests',
        ' ',
        ' async def on_fetch(request):',
        '-    return Response.new("hi")',
        '+    r = requests.get("https://example.com")',
      ],
      right: ['1:context', '2:added', '3:context', '4:context', '5:added'],
      hunks: 1,
    },
    {
      name: 'several hunks',
      patch: ['@@ -2,2 +2,3 @@ def a():', ' x', '+y', ' z', '@@ -20,2 +21,2 @@ def b():', '-p', '+q', ' r'],
      right: ['2:context', '3:added', '4:context', '21:added', '22:context'],
      hunks: 2,
    },
    {
      name: 'new file',
      patch: ['@@ -0,0 +1,3 @@', '+a', '+b', '+c'],
      right: ['1:added', '2:added', '3:added'],
      hunks: 1,
    },
    {
      name: 'deleted file: nothing on the RIGHT side',
      patch: ['@@ -1,2 +0,0 @@', '-a', '-b'],
      right: [],
      hunks: 1,
    },
    {
      name: 'counts omitted in the header mean 1',
      patch: ['@@ -7 +7 @@', '-old', '+new'],
      right: ['7:added'],
      hunks: 1,
    },
    {
      name: '"\\ No newline at end of file" is not a line',
      patch: ['@@ -1,2 +1,2 @@', ' a', '-b', '\\ No newline at end of file', '+b', '\\ No newline at end of file'],
      right: ['1:context', '2:added'],
      hunks: 1,
    },
    {
      name: 'deleted and added lines that look like file headers',
      patch: ['@@ -1,3 +1,3 @@', ' a', '--- not a header', '+++ not a header either', ' b'],
      right: ['1:context', '2:added', '3:context'],
      hunks: 1,
    },
    {
      name: 'an empty context line whose space was stripped',
      patch: ['@@ -1,3 +1,3 @@', ' a', '', '-b', '+c'],
      right: ['1:context', '2:context', '3:added'],
      hunks: 1,
    },
    {
      name: 'CRLF content lines',
      patch: ['@@ -1,2 +1,2 @@', ' a\r', '-b\r', '+c\r'],
      right: ['1:context', '2:added'],
      hunks: 1,
    },
  ];

  it.each(cases)('$name', ({ patch, right, hunks }) => {
    const text = patch.join('\n');
    expect(rightLines(text)).toEqual(right);
    expect(parsePatch(text)).toHaveLength(hunks);
  });

  it('keeps line text without markers or "\\r", and the hunk section', () => {
    const [hunk] = parsePatch(['@@ -1,2 +1,2 @@ def f():', ' a\r', '-b\r', '\\ No newline at end of file', '+c\r'].join('\n'));
    expect(hunk!.section).toBe('def f():');
    expect(hunk!.lines).toEqual([
      { kind: 'context', oldLine: 1, newLine: 1, text: 'a', crlf: true, noNewlineAtEnd: false },
      { kind: 'deleted', oldLine: 2, newLine: null, text: 'b', crlf: true, noNewlineAtEnd: true },
      { kind: 'added', oldLine: null, newLine: 2, text: 'c', crlf: true, noNewlineAtEnd: false },
    ]);
  });

  it('has no lines for a missing or empty patch', () => {
    for (const patch of [null, undefined, '']) expect(CommentableLines.fromPatch(patch).lines()).toEqual([]);
  });
});

describe('CommentableLines', () => {
  const lines = CommentableLines.fromPatch(
    ['@@ -2,2 +2,3 @@', ' x', '+y', ' z', '@@ -20,2 +21,3 @@', '-p', '+q', '+q2', ' r'].join('\n'),
  );

  it.each([
    { line: 1, kind: undefined, hunk: undefined },
    { line: 2, kind: 'context', hunk: 0 },
    { line: 3, kind: 'added', hunk: 0 },
    { line: 4, kind: 'context', hunk: 0 },
    { line: 5, kind: undefined, hunk: undefined },
    { line: 21, kind: 'added', hunk: 1 },
    { line: 23, kind: 'context', hunk: 1 },
    { line: 24, kind: undefined, hunk: undefined },
  ])('line $line is $kind in hunk $hunk', ({ line, kind, hunk }) => {
    expect(lines.kind(line)).toBe(kind);
    expect(lines.hunkOf(line)).toBe(hunk);
  });

  it.each([
    { start: 2, end: 4, one: true },
    { start: 3, end: 3, one: true },
    { start: 1, end: 3, one: false },
    { start: 3, end: 5, one: false },
    { start: 4, end: 21, one: false },
    { start: 21, end: 23, one: true },
    { start: 23, end: 21, one: false },
  ])('$start..$end within one hunk: $one', ({ start, end, one }) => {
    expect(lines.inOneHunk(start, end)).toBe(one);
  });

  it('clamps a range to the hunk of its anchor line', () => {
    expect(lines.clampToHunk(3, 3, 9)).toEqual({ start: 3, end: 4 });
    expect(lines.clampToHunk(21, 19, 22)).toEqual({ start: 21, end: 22 });
    expect(lines.clampToHunk(10, 10, 12)).toBeUndefined();
  });

  it('lists the added lines', () => {
    expect(lines.addedLines()).toEqual([3, 21, 22]);
  });
});

describe('parseGitDiff (git diff --base REF)', () => {
  const diff = [
    'diff --git a/src/entry.py b/src/entry.py',
    'index 83db48f..bf269f4 100644',
    '--- a/src/entry.py',
    '+++ b/src/entry.py',
    '@@ -1,4 +1,5 @@',
    ' from js import Response',
    '+import requests',
    ' ',
    ' async def on_fetch(request):',
    '-    return Response.new("hi")',
    '+    r = requests.get("https://example.com")',
    '@@ -10,3 +11,3 @@ def helper():',
    '     a = 1',
    '--- removed dashes',
    '+++ added pluses',
    '     b = 2',
    'diff --git a/old_name.py b/src/new_name.py',
    'similarity index 90%',
    'rename from old_name.py',
    'rename to src/new_name.py',
    'index 1111111..2222222 100644',
    '--- a/old_name.py',
    '+++ b/src/new_name.py',
    '@@ -1,2 +1,2 @@',
    '-x = 1',
    '+x = 2',
    ' y = 3',
    'diff --git a/moved.py b/pkg/moved.py',
    'similarity index 100%',
    'rename from moved.py',
    'rename to pkg/moved.py',
    'diff --git a/src/new.py b/src/new.py',
    'new file mode 100644',
    'index 0000000..3333333',
    '--- /dev/null',
    '+++ b/src/new.py',
    '@@ -0,0 +1,2 @@',
    '+print("a")',
    '+print("b")',
    '\\ No newline at end of file',
    'diff --git a/gone.py b/gone.py',
    'deleted file mode 100644',
    'index 4444444..0000000',
    '--- a/gone.py',
    '+++ /dev/null',
    '@@ -1 +0,0 @@',
    '-print("bye")',
    'diff --git a/logo.png b/logo.png',
    'index 5555555..6666666 100644',
    'Binary files a/logo.png and b/logo.png differ',
    'diff --git "a/src/caf\\303\\251.py" "b/src/caf\\303\\251.py"',
    'index 7777777..8888888 100644',
    '--- "a/src/caf\\303\\251.py"',
    '+++ "b/src/caf\\303\\251.py"',
    '@@ -1 +1 @@',
    '-a = 1\r',
    '+a = 2\r',
    'diff --git a/dir with space/x.py b/dir with space/x.py',
    'index 1111111..2222222 100644',
    '--- a/dir with space/x.py\t',
    '+++ b/dir with space/x.py\t',
    '@@ -1 +1,2 @@',
    ' a',
    '+b',
    '',
  ].join('\n');
  const files = parseGitDiff(diff);
  const byPath = new Map(files.map((f) => [f.path, f]));

  it('finds every file with its status and paths', () => {
    expect(files.map((f) => [f.status, f.oldPath, f.newPath, f.binary])).toEqual([
      ['modified', 'src/entry.py', 'src/entry.py', false],
      ['renamed', 'old_name.py', 'src/new_name.py', false],
      ['renamed', 'moved.py', 'pkg/moved.py', false],
      ['added', null, 'src/new.py', false],
      ['removed', 'gone.py', null, false],
      ['modified', 'logo.png', 'logo.png', true],
      ['modified', 'src/café.py', 'src/café.py', false],
      ['modified', 'dir with space/x.py', 'dir with space/x.py', false],
    ]);
    expect(files.map((f) => f.path)).toEqual([
      'src/entry.py',
      'src/new_name.py',
      'pkg/moved.py',
      'src/new.py',
      'gone.py',
      'logo.png',
      'src/café.py',
      'dir with space/x.py',
    ]);
    expect(byPath.get('src/new_name.py')!.similarity).toBe(90);
  });

  it.each([
    { path: 'src/entry.py', right: ['1:context', '2:added', '3:context', '4:context', '5:added', '11:context', '12:added', '13:context'] },
    { path: 'src/new_name.py', right: ['1:added', '2:context'] },
    { path: 'pkg/moved.py', right: [] },
    { path: 'src/new.py', right: ['1:added', '2:added'] },
    { path: 'gone.py', right: [] },
    { path: 'src/café.py', right: ['1:added'] },
    { path: 'dir with space/x.py', right: ['1:context', '2:added'] },
  ])('$path has RIGHT-side lines $right', ({ path, right }) => {
    expect(rightLines(byPath.get(path)!.patch!)).toEqual(right);
  });

  it('gives binary files no patch, and a pure rename an empty one', () => {
    expect(byPath.get('logo.png')!.patch).toBeNull();
    expect(byPath.get('pkg/moved.py')!.patch).toBe('');
  });

  it('hands planReview the files as GitHub would list them', () => {
    const texts: Record<string, string> = { 'src/entry.py': 'head text\n' };
    const review = reviewFilesFromDiff(files, (p) => texts[p]);
    expect(review.get('src/entry.py')).toMatchObject({ text: 'head text\n', status: 'modified' });
    expect(review.get('gone.py')).toMatchObject({ status: 'removed', text: '' });
    expect(review.get('src/new_name.py')!.status).toBe('renamed');
  });

  it('reads a diff whose every line ends in CRLF', () => {
    const crlf = ['diff --git a/w.py b/w.py', '--- a/w.py', '+++ b/w.py', '@@ -1,2 +1,2 @@', ' a', '-b', '+c', ''].join('\r\n');
    const [file] = parseGitDiff(crlf);
    expect(file!.path).toBe('w.py');
    expect(rightLines(file!.patch!)).toEqual(['1:context', '2:added']);
  });

  it('reads plain `diff -u` output and --no-prefix diffs', () => {
    const plain = ['--- a.py\t2024-01-01 00:00:00', '+++ a.py\t2024-01-02 00:00:00', '@@ -1 +1 @@', '-x', '+y'].join('\n');
    expect(parseGitDiff(plain).map((f) => [f.path, f.status])).toEqual([['a.py', 'modified']]);
    const noPrefix = ['diff --git a/x.py a/x.py', '--- a/x.py', '+++ a/x.py', '@@ -1 +1 @@', '-x', '+y'].join('\n');
    expect(parseGitDiff(noPrefix, { noPrefix: true })[0]!.path).toBe('a/x.py');
  });

  it('skips text before the first file and merge (--cc) sections', () => {
    const text = ['commit abc', 'Author: someone', '', 'diff --cc m.py', '@@@ -1,1 -1,1 +1,1 @@@', 'diff --git a/k.py b/k.py', '--- a/k.py', '+++ b/k.py', '@@ -1 +1 @@', '-x', '+y'].join('\n');
    expect(parseGitDiff(text).map((f) => f.path)).toEqual(['k.py']);
  });
});
