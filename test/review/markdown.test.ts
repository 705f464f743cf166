import { describe, expect, it } from 'vitest';
import type { Finding, Severity } from '../../src/engine/types.js';
import {
  GITHUB_BODY_LIMIT,
  checkRunAnnotations,
  codeSpan,
  escapeText,
  planReview,
  renderCommentBody,
  renderReviewBody,
  renderReviewMarkdown,
  type ReviewFile,
} from '../../src/review/index.js';
import { fileFromDiff, makeFinding, outsideCode } from './helpers.js';

describe('outsideCode (test helper)', () => {
  it('drops code spans and fenced blocks', () => {
    expect(outsideCode('a `x` b ``y`z`` c\n```\n<img>\n```\nd')).toBe('a  b  c\n\nd');
  });
});

describe('escaping', () => {
  it.each([
    { text: 'plain', out: '`plain`' },
    { text: 'a`b', out: '``a`b``' },
    { text: 'a``b`', out: '``` a``b` ```' },
    { text: '`start', out: '`` `start ``' },
    { text: 'two\nlines', out: '`two lines`' },
  ])('codeSpan($text) is $out', ({ text, out }) => {
    expect(codeSpan(text)).toBe(out);
  });

  it.each([
    { text: 'use <b>fetch</b> & co', out: 'use &lt;b&gt;fetch&lt;/b&gt; &amp; co' },
    { text: 'call `js.fetch(<url>)` instead', out: 'call `js.fetch(<url>)` instead' },
    { text: 'lone ` backtick <x>', out: 'lone ` backtick &lt;x&gt;' },
    { text: 'escaped \\`<x>\\`', out: 'escaped \\`&lt;x&gt;\\`' },
    { text: '``a ` b`` <c>', out: '``a ` b`` &lt;c&gt;' },
    { text: '@app.route and `@app.route`, me@example.com', out: '@&#8203;app.route and `@app.route`, me@example.com' },
  ])('escapeText($text)', ({ text, out }) => {
    expect(escapeText(text)).toBe(out);
  });
});

const nastyPath = 'a`b<img src=x>.py';

describe('review body', () => {
  const file = fileFromDiff(nastyPath, ['.x = 1', '.y = 2', '+z = 3']);
  const findings = [
    makeFinding({ path: nastyPath, line: 1, message: 'pipes | in <script>alert(1)</script> & `code | span`' }),
    makeFinding({ path: nastyPath, line: 3, severity: 'warning', message: 'second' }),
  ];
  const plan = planReview({
    findings,
    files: new Map([[nastyPath, file]]),
    options: { filter: 'added', requestChanges: false, headSha: 'deadbeef' },
  });

  it('escapes paths and messages so no markup gets through', () => {
    expect(outsideCode(plan.body)).not.toMatch(/<img|<script/);
    expect(outsideCode(renderReviewMarkdown(plan))).not.toMatch(/<img|<script/);
    expect(outsideCode(plan.comments[0]!.body)).not.toMatch(/<img|<script/);
  });

  it('shows a table of all findings with escaped cells', () => {
    const rows = plan.body.split('\n').filter((l) => l.startsWith('| '));
    expect(rows).toEqual([
      '| Severity | Code | Location | Message |',
      '| --- | --- | --- | --- |',
      '| error | PW003 | ``a`b<img src=x>.py:1`` | pipes \\| in &lt;script&gt;alert(1)&lt;/script&gt; &amp; `code \\| span` |',
      '| warning | PW003 | ``a`b<img src=x>.py:3`` | second |',
    ]);
    // Every row has exactly the five cell borders: no `|` from user text splits a cell.
    for (const row of rows) expect(row.match(/(?<!\\)\|/g)).toHaveLength(5);
  });

  it('has a heading, counts, and what is not shown inline with why', () => {
    expect(plan.body.startsWith('## pyworkers-review\n\n**2 findings**: 1 error, 1 warning, 0 info. 1 inline comment, 1 not shown inline (listed below).')).toBe(true);
    expect(plan.body).toContain('### Not shown inline\n\n- ``a`b<img src=x>.py:1`` PW003: not on a line this pull request adds');
    expect(plan.body.endsWith('<!-- pyworkers-review review head=deadbeef -->')).toBe(true);
  });

  it('says so when there are no findings', () => {
    const empty = planReview({ findings: [], files: new Map(), options: { filter: 'added', requestChanges: true, headSha: 'x' } });
    expect(empty.body).toContain('No findings in the changed files.');
    expect(empty.event).toBe('COMMENT');
  });

  it('renders the whole review as Markdown for the CLI', () => {
    const md = renderReviewMarkdown(plan);
    expect(md).toBe(`### \`\`a\`b<img src=x>.py:3\`\`\n\n${plan.comments[0]!.body}\n\n---\n\n${plan.body}\n`);
  });

  it('stays under GitHub’s 65,536 characters and says how many rows are left out', () => {
    const many: Finding[] = Array.from({ length: 3000 }, (_, i) =>
      makeFinding({
        path: `src/module_${i}.py`,
        line: i + 1,
        severity: (['error', 'warning', 'info'] as Severity[])[i % 3],
        message: `A long message number ${i} `.padEnd(150, 'x'),
      }),
    );
    const files = new Map<string, ReviewFile>(many.map((f) => [f.path, { path: f.path, text: 'x\n', patch: null, status: 'modified' }]));
    const body = planReview({ findings: many, files, options: { filter: 'added', requestChanges: false, headSha: 's' } }).body;
    expect(body.length).toBeLessThanOrEqual(GITHUB_BODY_LIMIT);
    const shownRows = body.split('\n').filter((l) => /^\| (error|warning|info) \|/.test(l)).length;
    expect(shownRows).toBeGreaterThan(100);
    expect(body).toContain(`_${3000 - shownRows} more findings are left out of this table (GitHub limits a review body to 65,536 characters)._`);
    const listed = body.split('\n').filter((l) => l.startsWith('- `src/')).length;
    expect(body).toContain(`_…and ${3000 - listed} more not shown inline._`);
    expect(body).toContain('**3000 findings**: 1000 errors, 1000 warnings, 1000 info.');
    // Errors come first, so the rows that remain are the errors.
    expect(body.split('\n').find((l) => l.startsWith('| error'))).toBeDefined();
  });

  it('honours a smaller limit', () => {
    const body = renderReviewBody({
      findings: Array.from({ length: 50 }, (_, i) => makeFinding({ path: 'a.py', line: i + 1 })),
      inlineCount: 50,
      bodyFindings: [],
      filter: 'added',
      maxComments: 50,
      limit: 2000,
    });
    expect(body.length).toBeLessThanOrEqual(2000);
    expect(body).toMatch(/_\d+ more findings are left out of this table/);
  });
});

describe('comment body', () => {
  it('keeps links to http(s) only and escapes their titles', () => {
    const body = renderCommentBody({
      finding: makeFinding({ path: 'a.py', line: 1, docsUrl: 'javascript:alert(1)' }),
      explanation: {
        why: 'Because <reasons>.',
        references: [
          { title: 'Docs [beta] <b>', url: 'https://example.com/a b(c)' },
          { title: 'bad', url: 'data:text/html,hi' },
        ],
      },
      fingerprint: 'PW003:a.py:0123456789abcdef',
    });
    expect(body).toContain('**Why it breaks:** Because &lt;reasons&gt;.');
    expect(body).toContain('[Docs \\[beta\\] &lt;b&gt;](https://example.com/a%20b%28c%29)');
    expect(body).not.toContain('javascript:');
    expect(body).not.toContain('data:');
    expect(body).not.toContain('rule docs');
  });

  it('does not repeat the rule docs among the references', () => {
    const finding = makeFinding({ path: 'a.py', line: 1 });
    const body = renderCommentBody({
      finding,
      explanation: { why: '', references: [{ title: 'Rule page', url: finding.docsUrl }, { title: 'Other', url: 'https://example.com/o' }] },
      fingerprint: 'PW003:a.py:0123456789abcdef',
    });
    expect(body).toContain('[rule docs](https://example.com/rules/PW003) · [Other](https://example.com/o)\n');
    expect(body).not.toContain('Rule page');
    expect(body).not.toContain('Why it breaks');
  });

  it('stays under the limit when the fix is huge', () => {
    const body = renderCommentBody({
      finding: makeFinding({ path: 'a.py', line: 1 }),
      fix: { kind: 'suggestion', applicability: 'safe', description: '', startLine: 1, endLine: 1, lines: Array(10000).fill('x'.repeat(20)) },
      fingerprint: 'PW003:a.py:0123456789abcdef',
    });
    expect(body.length).toBeLessThanOrEqual(GITHUB_BODY_LIMIT);
    expect(body).toContain('The fix is too long to show here.');
    expect(body).toContain('fingerprint=PW003:a.py:0123456789abcdef');
  });

  it('labels each block of a fix shown in several places', () => {
    const body = renderCommentBody({
      finding: makeFinding({ path: 'a.py', line: 9 }),
      fix: {
        kind: 'code-block',
        applicability: 'safe',
        description: 'Import fetch and await it',
        reason: 'crosses-hunk',
        blocks: [
          { startLine: 1, endLine: 1, lines: ['from js import fetch'] },
          { startLine: 9, endLine: 10, lines: ['r = await fetch(u)', 'x = 1'] },
          { startLine: 20, endLine: 20, lines: [] },
        ],
      },
      fingerprint: 'PW003:a.py:0123456789abcdef',
    });
    expect(body).toContain(
      [
        '**Suggested change, apply by hand (it reaches lines outside this part of the diff)**: Import fetch and await it',
        'Line 1:\n```python\nfrom js import fetch\n```',
        'Lines 9–10:\n```python\nr = await fetch(u)\nx = 1\n```',
        'Delete line 20.',
      ].join('\n\n'),
    );
  });
});

describe('checkRunAnnotations', () => {
  it('splits annotations in batches of 50', () => {
    const findings = Array.from({ length: 120 }, (_, i) => makeFinding({ path: 'a.py', line: i + 1 }));
    expect(checkRunAnnotations(findings).map((b) => b.length)).toEqual([50, 50, 20]);
    expect(checkRunAnnotations([])).toEqual([]);
  });

  it.each([
    {
      name: 'single line: with columns',
      finding: { severity: 'error' as Severity, line: 3, column: 5, endLine: 3, endColumn: 9 },
      annotation: { start_line: 3, end_line: 3, start_column: 5, end_column: 9, annotation_level: 'failure' },
    },
    {
      name: 'multi-line: no columns',
      finding: { severity: 'warning' as Severity, line: 3, column: 5, endLine: 6, endColumn: 2 },
      annotation: { start_line: 3, end_line: 6, annotation_level: 'warning' },
    },
    {
      name: 'info is a notice',
      finding: { severity: 'info' as Severity, line: 1, column: 1, endLine: 1, endColumn: 1 },
      annotation: { start_line: 1, end_line: 1, start_column: 1, end_column: 1, annotation_level: 'notice' },
    },
  ])('$name', ({ finding, annotation }) => {
    const a = checkRunAnnotations([makeFinding({ path: 'src/a.py', ...finding })])[0]?.[0];
    expect(a).toEqual({
      path: 'src/a.py',
      title: 'PW003 sync-http-client',
      message: 'Synchronous HTTP clients do not work in Workers\n\nhttps://example.com/rules/PW003',
      ...annotation,
    });
  });
});
