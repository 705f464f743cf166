import { describe, expect, it } from 'vitest';
import type { Finding, Severity } from '../../src/engine/types.js';
import {
  applyEdits,
  applySuggestions,
  parseFingerprints,
  planReview,
  suggestionFromComment,
  type FilterMode,
  type LineReplacement,
  type PlanInput,
  type ReviewFile,
} from '../../src/review/index.js';
import { fileFromDiff, makeFinding } from './helpers.js';

const explain = (code: string) => ({
  why: `Why ${code} breaks: the Workers runtime has no sockets`,
  references: [{ title: 'Python Workers: fetch', url: 'https://developers.cloudflare.com/workers/languages/python/' }],
});

function plan(findings: Finding[], files: ReviewFile[], options: Partial<PlanInput['options']> = {}) {
  return planReview({
    findings,
    files: new Map(files.map((f) => [f.path, f])),
    options: { filter: 'added', requestChanges: false, headSha: 'abc123', ...options },
    explain,
  });
}

// Line 1 outside the diff, 2 context, 3 added, 4 outside, 5 added in a second hunk.
const entry = fileFromDiff('src/entry.py', [
  '.import js',
  ' def f():',
  '+    return requests.get(URL)',
  '.',
  '+x = 1',
]);

describe('filter modes', () => {
  const findings = [1, 2, 3, 4, 5].map((line) => makeFinding({ path: entry.path, line }));
  it.each<{ filter: FilterMode; inline: number[]; body: [number, string][] }>([
    { filter: 'added', inline: [3, 5], body: [[1, 'outside-diff'], [2, 'outside-diff'], [4, 'outside-diff']] },
    { filter: 'diff_context', inline: [2, 3, 5], body: [[1, 'outside-diff'], [4, 'outside-diff']] },
    { filter: 'file', inline: [2, 3, 5], body: [[1, 'file-level'], [4, 'file-level']] },
  ])('$filter: inline on $inline', ({ filter, inline, body }) => {
    const p = plan(findings, [entry], { filter });
    expect(p.comments.map((c) => c.line)).toEqual(inline);
    expect(p.bodyFindings.map((b) => [b.finding.line, b.reason])).toEqual(body);
    // Nothing is lost: the body's table lists all five.
    expect(p.body.match(/^\| error \|/gm)).toHaveLength(5);
  });
});

describe('where findings go', () => {
  it('lists findings of files without a patch, of unchanged files and about whole files in the body', () => {
    const big: ReviewFile = { path: 'big.py', text: 'x\n'.repeat(10), patch: undefined, status: 'modified' };
    const unchanged: ReviewFile = { path: 'wrangler.toml', text: 'name = "w"\n', patch: null, status: 'unchanged' };
    const p = plan(
      [
        makeFinding({ path: 'big.py', line: 3 }),
        makeFinding({ path: 'wrangler.toml', line: 1 }),
        makeFinding({ path: 'not-in-pr.py', line: 1 }),
        makeFinding({ path: entry.path, line: 0, column: 0, endLine: 0, endColumn: 0 }),
      ],
      [entry, big, unchanged],
    );
    expect(p.comments).toEqual([]);
    expect(p.bodyFindings.map((b) => [b.finding.path, b.reason])).toEqual([
      ['big.py', 'no-patch'],
      ['not-in-pr.py', 'outside-diff'],
      ['src/entry.py', 'file-level'],
      ['wrangler.toml', 'outside-diff'],
    ]);
    expect(p.body).toContain('GitHub shows no diff for this file');
  });

  it('ignores findings in removed files entirely', () => {
    const gone: ReviewFile = { path: 'gone.py', text: '', patch: '@@ -1 +0,0 @@\n-x', status: 'removed' };
    const p = plan([makeFinding({ path: 'gone.py', line: 1 }), makeFinding({ path: entry.path, line: 3 })], [entry, gone], { requestChanges: true });
    expect(p.comments).toHaveLength(1);
    expect(p.bodyFindings).toEqual([]);
    expect(p.body).not.toContain('gone.py');
    expect(p.body).toContain('**1 finding**');
  });

  it('comments on renamed files under their new name and on every line of a new file', () => {
    const renamed = fileFromDiff('src/new_name.py', ['-x = 1', '+x = 2', ' y = 3'], { status: 'renamed' });
    const added = fileFromDiff('src/new.py', ['+a = 1', '+b = 2'], { status: 'added' });
    const p = plan(
      [makeFinding({ path: 'src/new_name.py', line: 1 }), makeFinding({ path: 'src/new.py', line: 2 })],
      [renamed, added],
    );
    expect(p.comments.map((c) => `${c.path}:${c.line}`)).toEqual(['src/new.py:2', 'src/new_name.py:1']);
  });
});

describe('comment ranges', () => {
  const file = fileFromDiff('src/w.py', [' def f():', '+    a = 1', '+    b = 2', '+    c = 3', '.', '.d = 4', '+e = 5']);
  it.each([
    { name: 'single line: no start_line', finding: { line: 2, endLine: 2, endColumn: 10 }, range: { line: 2 } },
    { name: 'multi-line: start_line set', finding: { line: 2, endLine: 4, endColumn: 10 }, range: { start_line: 2, start_side: 'RIGHT', line: 4 } },
    { name: 'ending at column 1 of the next line', finding: { line: 2, endLine: 3, endColumn: 1 }, range: { line: 2 } },
    { name: 'crossing the hunk end: clamped to the hunk', finding: { line: 3, endLine: 7, endColumn: 3 }, range: { start_line: 3, start_side: 'RIGHT', line: 4 } },
  ])('$name', ({ finding, range }) => {
    const [c] = plan([makeFinding({ path: file.path, ...finding })], [file]).comments;
    expect(c).toBeDefined();
    const { line, start_line, start_side, side } = c!;
    expect(side).toBe('RIGHT');
    expect(Object.fromEntries(Object.entries({ start_line, start_side, line }).filter(([, v]) => v !== undefined))).toEqual(range);
    if (!('start_line' in range)) {
      expect('start_line' in c!).toBe(false);
      expect('start_side' in c!).toBe(false);
    }
  });
});

describe('the inline comment cap', () => {
  // 31 findings on added lines: 1 error (last line), 28 warnings, 2 info.
  const lines = Array.from({ length: 31 }, (_, i) => `+x${i} = ${i}`);
  const file = fileFromDiff('src/many.py', lines);
  const severities: Severity[] = [...Array<Severity>(28).fill('warning'), 'info', 'info', 'error'];
  const findings = severities.map((severity, i) => makeFinding({ path: file.path, line: i + 1, severity }));

  it('keeps 30 inline, errors first, and lists the rest in the body', () => {
    const p = plan(findings, [file]);
    expect(p.comments).toHaveLength(30);
    expect(p.comments.some((c) => c.finding.severity === 'error')).toBe(true);
    expect(p.bodyFindings).toEqual([expect.objectContaining({ reason: 'cap', finding: expect.objectContaining({ line: 30, severity: 'info' }) })]);
    expect(p.body).toContain('### Not shown inline');
    expect(p.body).toContain('`src/many.py:30` PW003: over the limit of 30 inline comments');
    expect(p.body).toContain('31 findings');
    expect(p.body).toContain('30 inline comments, 1 not shown inline');
  });

  it.each([
    { maxComments: 5, inline: 5 },
    { maxComments: 0, inline: 0 },
    { maxComments: 100, inline: 31 },
  ])('maxComments $maxComments gives $inline inline', ({ maxComments, inline }) => {
    const p = plan(findings, [file], { maxComments });
    expect(p.comments).toHaveLength(inline);
    expect(p.bodyFindings).toHaveLength(31 - inline);
  });
});

describe('review event', () => {
  it.each([
    { requestChanges: true, severities: ['error', 'info'], event: 'REQUEST_CHANGES' },
    { requestChanges: true, severities: ['warning'], event: 'COMMENT' },
    { requestChanges: false, severities: ['error'], event: 'COMMENT' },
    // An error listed only in the body still counts.
    { requestChanges: true, severities: ['error@1'], event: 'REQUEST_CHANGES' },
  ])('$severities with requestChanges=$requestChanges: $event', ({ requestChanges, severities, event }) => {
    const findings = severities.map((s) => {
      const [severity, line] = s.split('@');
      return makeFinding({ path: entry.path, line: Number(line ?? 3), severity: severity as Severity });
    });
    const p = plan(findings, [entry], { requestChanges });
    expect(p.event).toBe(event);
    expect(p.commit_id).toBe('abc123');
  });
});

describe('comment bodies', () => {
  it('shows the rule, why it breaks, links, the suggestion and the fingerprint', () => {
    const finding = makeFinding({
      path: entry.path,
      line: 3,
      column: 12,
      endColumn: 24,
      fix: { applicability: 'safe', description: 'Use the fetch API', edits: [{ line: 3, column: 12, endLine: 3, endColumn: 24, text: 'await fetch' }] },
    });
    const [c] = plan([finding], [entry]).comments;
    expect(c!.body).toBe(
      [
        '**PW003** (error): Synchronous HTTP clients do not work in Workers',
        '**Why it breaks:** Why PW003 breaks: the Workers runtime has no sockets',
        '[rule docs](https://example.com/rules/PW003) · [Python Workers: fetch](https://developers.cloudflare.com/workers/languages/python/)',
        '**Suggested fix**: Use the fetch API',
        '```suggestion\n    return await fetch(URL)\n```',
        `<!-- pyworkers-review fingerprint=${c!.fingerprint} -->`,
      ].join('\n\n'),
    );
    expect(parseFingerprints(c!.body)).toEqual([c!.fingerprint]);
  });

  it('warns before an unsafe suggestion and shows display fixes as plain code', () => {
    const edit = { line: 3, column: 12, endLine: 3, endColumn: 24, text: 'await fetch' };
    const unsafe = makeFinding({ path: entry.path, line: 3, fix: { applicability: 'unsafe', description: '', edits: [edit] } });
    const display = makeFinding({ path: entry.path, line: 5, fix: { applicability: 'display', description: 'Something like', edits: [{ line: 5, column: 1, endLine: 5, endColumn: 2, text: 'y' }] } });
    const [u, d] = plan([unsafe, display], [entry]).comments;
    expect(u!.body).toContain('review before accepting: this fix may change behaviour');
    expect(u!.body).toContain('```suggestion\n');
    expect(d!.body).not.toContain('suggestion\n');
    expect(d!.body).toContain('**Possible fix, as guidance (adapt it before applying)** (line 5): Something like\n\n```python\ny = 1\n```');
  });

  it('shows a fix reaching outside the hunk as a code block, applied by hand', () => {
    const finding = makeFinding({
      path: entry.path,
      line: 3,
      fix: {
        applicability: 'safe',
        description: '',
        edits: [
          { line: 1, column: 10, endLine: 1, endColumn: 10, text: ', fetch' },
          { line: 3, column: 12, endLine: 3, endColumn: 24, text: 'await fetch' },
        ],
      },
    });
    const [c] = plan([finding], [entry]).comments;
    expect(c!.body).not.toContain('```suggestion');
    expect(c!.body).toContain('Suggested change, apply by hand');
    // Edits a line apart are shown together, with the line between them.
    expect(c!.body).toContain('(lines 1–3)\n\n```python\nimport js, fetch\ndef f():\n    return await fetch(URL)\n```');
    expect(c!.line).toBe(3);
  });

  it('fences a suggestion longer than the backticks in the code', () => {
    const f = fileFromDiff('src/doc.py', ['+DOC = """```"""']);
    const finding = makeFinding({
      path: f.path,
      line: 1,
      fix: { applicability: 'safe', description: '', edits: [{ line: 1, column: 1, endLine: 1, endColumn: 4, text: 'HELP' }] },
    });
    const [c] = plan([finding], [f]).comments;
    expect(c!.body).toContain('````suggestion\nHELP = """```"""\n````');
    expect(suggestionFromComment(c!)).toEqual({ startLine: 1, endLine: 1, lines: ['HELP = """```"""'] });
  });
});

describe('accepting every suggestion at once', () => {
  const file = fileFromDiff('src/entry.py', [
    ' from js import Response',
    '+import requests',
    '+',
    '+async def on_fetch(request):',
    '+    r = requests.get("https://example.com/é😀")',
    '+    data = r.json()',
    '+    time.sleep(1)',
    '+    return Response.new(data)',
  ]);
  const findings = [
    makeFinding({
      path: file.path,
      line: 5,
      column: 9,
      endColumn: 21,
      fix: safeEdits([{ line: 5, column: 9, endLine: 5, endColumn: 21, text: 'await fetch' }]),
    }),
    makeFinding({
      code: 'PW010',
      severity: 'warning',
      path: file.path,
      line: 6,
      column: 12,
      endColumn: 20,
      fix: safeEdits([{ line: 6, column: 12, endLine: 6, endColumn: 20, text: '(await r.json()).to_py()' }]),
    }),
    makeFinding({
      code: 'PW011',
      severity: 'warning',
      path: file.path,
      line: 7,
      column: 5,
      endColumn: 18,
      // Deletes the whole line.
      fix: safeEdits([{ line: 7, column: 1, endLine: 8, endColumn: 1, text: '' }]),
    }),
    makeFinding({
      code: 'PW012',
      severity: 'info',
      path: file.path,
      line: 2,
      column: 1,
      endLine: 3,
      endColumn: 1,
      fix: safeEdits([{ line: 2, column: 1, endLine: 2, endColumn: 16, text: '# requests removed' }]),
    }),
  ];

  it('gives the same file as applying the fixes directly', () => {
    const p = plan(findings, [file]);
    const suggestions = p.comments.map((c) => suggestionFromComment(c)).filter((s): s is LineReplacement => s !== undefined);
    expect(suggestions).toHaveLength(findings.length);
    const accepted = applySuggestions(file.text, suggestions);
    expect(accepted).toBe(applyEdits(file.text, findings.flatMap((f) => f.fix!.edits)));
    expect(accepted).toContain('    r = await fetch("https://example.com/é😀")\n    data = (await r.json()).to_py()\n    return Response.new(data)\n');
  });

  it('keeps suggestions that touch the same lines out of one batch', () => {
    const clash = makeFinding({
      code: 'PW020',
      severity: 'info',
      path: file.path,
      line: 5,
      fix: safeEdits([{ line: 5, column: 5, endLine: 5, endColumn: 6, text: 'resp' }]),
    });
    const p = plan([...findings, clash], [file]);
    const clashComment = p.comments.find((c) => c.finding.code === 'PW020')!;
    expect(clashComment.body).toContain('another suggestion in this review changes the same lines');
    expect(clashComment.body).not.toContain('```suggestion');
    const suggestions = p.comments.map((c) => suggestionFromComment(c)).filter((s): s is LineReplacement => s !== undefined);
    expect(() => applySuggestions(file.text, suggestions)).not.toThrow();
  });
});

function safeEdits(edits: NonNullable<Finding['fix']>['edits']): NonNullable<Finding['fix']> {
  return { applicability: 'safe', description: '', edits };
}

describe('CRLF files', () => {
  it('places comments and suggestions without carriage returns in the body', () => {
    const file = fileFromDiff('src/w.py', [' def f():', '+    return requests.get(u)'], { eol: '\r\n' });
    const finding = makeFinding({
      path: file.path,
      line: 2,
      column: 12,
      endColumn: 24,
      fix: safeEdits([{ line: 2, column: 12, endLine: 2, endColumn: 24, text: 'await fetch' }]),
    });
    const [c] = plan([finding], [file]).comments;
    expect(c!.line).toBe(2);
    expect(c!.body).not.toContain('\r');
    expect(applySuggestions(file.text, [suggestionFromComment(c!)!])).toBe('def f():\r\n    return await fetch(u)\r\n');
  });
});
