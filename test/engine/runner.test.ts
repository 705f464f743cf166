import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../rules/index.js';
import { analyze, analyzeAsync, applyFixes, DEFAULT_CONFIG, languageOf, type Rule, type SourceFile } from '../../src/engine/index.js';

function readTree(dir: string): SourceFile[] {
  const out: SourceFile[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (languageOf(p)) out.push({ path: p, text: readFileSync(p, 'utf8') });
    }
  };
  walk(dir);
  return out;
}

const boom: Rule = {
  meta: {
    code: 'PW990',
    name: 'always-throws',
    gotcha: 99,
    severity: 'error',
    languages: ['python'],
    docs: { summary: '', whatItDoes: '', whyItBreaks: '', whenItHolds: '', example: '', useInstead: '', fixSafety: '', references: [] },
  },
  python: () => ({
    module() {
      throw new Error('kaput');
    },
  }),
};

const undeclaredFix: Rule = {
  ...boom,
  meta: { ...boom.meta, code: 'PW991', name: 'undeclared-fix' },
  python: (ctx) => ({
    module(root) {
      ctx.reportNode(root, 'x', { applicability: 'safe', description: 'd', edits: [] });
    },
  }),
};

const WORKER: SourceFile[] = [
  { path: 'wrangler.toml', text: 'main = "src/entry.py"\ncompatibility_date = "2025-11-01"\ncompatibility_flags = ["python_workers"]\n' },
  { path: 'src/entry.py', text: 'from pyodide.ffi import to_py\n' },
  { path: 'src/broken.py', text: 'def f(:\n' },
];

describe('rule runner', () => {
  it('a rule that throws is reported and does not hide other rules\' findings', () => {
    const r = analyze({ files: WORKER, rules: [boom, ...RULES] });
    expect(r.ruleErrors.map((e) => `${e.code} ${e.path} ${e.message}`)).toContain('PW990 src/entry.py kaput');
    expect(r.findings.some((f) => f.code === 'PW004' && f.path === 'src/entry.py')).toBe(true);
  });

  it('a file that does not parse yields one finding and never stops the other files', () => {
    const r = analyze({ files: WORKER, rules: RULES });
    const broken = r.findings.filter((f) => f.path === 'src/broken.py');
    expect(broken.map((f) => f.code)).toEqual(['PW000']);
    expect(broken[0]).toMatchObject({ line: 1, message: expect.stringMatching(/syntax error/) });
    expect(r.findings.some((f) => f.path === 'src/entry.py')).toBe(true);
  });

  it('a malformed config: one finding pointing inside the file, the Worker\'s runtime unknown', () => {
    const r = analyze({
      files: [
        { path: 'wrangler.jsonc', text: '{\n  "main": "src/entry.py",\n  "compatibility_date": 2025-11-01\n}\n' },
        { path: 'src/entry.py', text: 'from pyodide.ffi import to_py\n' },
      ],
      rules: RULES,
    });
    const cfg = r.findings.filter((f) => f.path === 'wrangler.jsonc');
    expect(cfg.map((f) => [f.code, f.line])).toEqual([['PW000', 3]]);
    expect(r.profiles.get('src/entry.py')!.known).toBe(false);
  });

  it.each([
    ['python()', { python: () => { throw new Error('kaput'); } }],
    ['triggersFor', { triggers: ['to_py'], triggersFor: () => { throw new Error('kaput'); }, python: () => ({ identifier() {} }) }],
    ['triggerHit', { triggers: ['to_py'], triggerHit: () => { throw new Error('kaput'); }, python: () => ({ identifier() {} }) }],
  ] as [string, Partial<Rule>][])('a rule whose %s throws is reported, and every other rule still runs on the file', (_what, parts) => {
    const failing: Rule = { ...boom, ...parts };
    for (const rules of [[failing, ...RULES], [...RULES, failing]]) {
      const r = analyze({ files: WORKER, rules });
      expect(r.ruleErrors.filter((e) => e.path === 'src/entry.py').map((e) => `${e.code} ${e.message}`)).toEqual(['PW990 kaput']);
      expect(r.ruleErrors.every((e) => e.code === 'PW990')).toBe(true);
      expect(r.findings.filter((f) => f.path === 'src/entry.py').map((f) => f.code)).toEqual(
        analyze({ files: WORKER, rules: RULES }).findings.filter((f) => f.path === 'src/entry.py').map((f) => f.code),
      );
      expect(r.findings.some((f) => f.code === 'PW004')).toBe(true);
    }
  });

  it('asks a rule whose triggerHit threw nothing more in that file, and leaves its noqa comments alone', () => {
    let asked = 0;
    const failing: Rule = {
      ...boom,
      triggers: ['to_py'],
      triggerHit: () => {
        asked++;
        throw new Error('kaput');
      },
      python: () => ({ call() {} }),
    };
    const entry = 'from pyodide.ffi import to_py\nrows = to_py(a)\nmore = to_py(b)  # noqa: PW990\n';
    const r = analyze({ files: [WORKER[0], { path: 'src/entry.py', text: entry }], rules: [failing, ...RULES] });
    expect(asked).toBe(1);
    expect(r.ruleErrors.map((e) => `${e.code} ${e.path}`)).toEqual(['PW990 src/entry.py']);
    expect(r.findings.filter((f) => f.code === 'PW100')).toEqual([]);
    // A rule that ran to the end on the file has its unused noqa reported, as before.
    const quiet: Rule = { ...boom, python: () => ({}) };
    const ok = analyze({ files: [WORKER[0], { path: 'src/entry.py', text: entry }], rules: [quiet, ...RULES] });
    expect(ok.findings.filter((f) => f.code === 'PW100').map((f) => f.line)).toEqual([3]);
  });

  it('finds aliases of trigger words from the text, and from the tree in a file with a syntax error', () => {
    const body = 'from js import eval as ev\n\ndef g():\n    return ev("1")\n';
    for (const text of [body, `${body}\nx = )\n`]) {
      const r = analyze({ files: [WORKER[0], { path: 'src/entry.py', text }], rules: RULES });
      expect(r.findings.filter((f) => f.code === 'PW006').map((f) => f.line), text).toEqual([4]);
    }
  });

  it('rejects a fix the rule did not declare', () => {
    const r = analyze({ files: WORKER, rules: [undeclaredFix] });
    expect(r.ruleErrors[0].message).toMatch(/declares none/);
    expect(r.findings.filter((f) => f.code === 'PW991')).toEqual([]);
  });

  it('skips files over limits.max_file_bytes with a note and excluded paths', () => {
    const r = analyze({
      files: WORKER,
      rules: RULES,
      config: {
        rules: {},
        paths: { include: [], exclude: ['src/broken.py'] },
        review: { filter: 'added', max_comments: 30, request_changes: false, drafts: false },
        runtime: {},
        limits: { max_file_bytes: 40 },
      },
    });
    expect(r.skipped.map((s) => s.path).sort()).toEqual(['src/broken.py', 'wrangler.toml']);
    expect(r.findings.some((f) => f.path === 'src/entry.py')).toBe(true);
  });

  it('trigger-based dispatch finds exactly what a full walk finds, for every rule', () => {
    const files = [...readTree('examples'), ...readTree('test/corpus')];
    for (const rule of RULES.filter((r) => r.triggers?.length)) {
      const walked: Rule = { ...rule, triggers: undefined };
      const a = analyze({ files, rules: [rule] });
      const b = analyze({ files, rules: [walked] });
      expect(a.ruleErrors).toEqual([]);
      expect(a.findings, `${rule.meta.code}: its triggers miss nodes a full walk finds`).toEqual(b.findings);
    }
  });
});

describe('unused noqa (PW100)', () => {
  const files = (entry: string): SourceFile[] => [WORKER[0], { path: 'src/entry.py', text: entry }];
  it.each([
    ['x = 1  # noqa: PW004\n', 'x = 1\n', 1],
    ['from pyodide.ffi import to_py  # noqa: PW004, PW002\n', 'from pyodide.ffi import to_py  # noqa: PW004\n', 1],
    ['x = 1  # noqa: E501, PW004\n', 'x = 1  # noqa: E501\n', 1],
    ['x = 1  # noqa: PW004 kept for the migration\n', null, 1],
    ['from pyodide.ffi import to_py  # noqa: PW004\n', undefined, 0],
    ['x = 1  # noqa: E501\n', undefined, 0],
  ])('%j', (text, fixed, count) => {
    const r = analyze({ files: files(text), rules: RULES });
    const unused = r.findings.filter((f) => f.code === 'PW100');
    expect(unused).toHaveLength(count);
    if (count && fixed !== undefined) {
      if (fixed === null) expect(unused[0].fix).toBeUndefined();
      else expect(applyFixes(text, unused).text).toBe(fixed);
    }
  });
  it('stays quiet about rules that did not run (other profile, --select)', () => {
    const r = analyze({ files: files('x = 1  # noqa: PW004\n'), rules: RULES, select: ['PW002'] });
    expect(r.findings.filter((f) => f.code === 'PW100')).toEqual([]);
  });
});

describe('Python files parsed ahead of their rules', () => {
  // The runner parses a few Python files at a time before running their rules; a file's findings,
  // notes and errors must not depend on the files around it.
  const entry = (i: number) =>
    `from workers import WorkerEntrypoint\nimport requests\n\nclass Default(WorkerEntrypoint):\n    async def fetch(self, request):\n        return requests.get("https://example.com/${i}")\n`;
  const files: SourceFile[] = [
    { path: 'w/wrangler.toml', text: 'main = "src/entry.py"\ncompatibility_date = "2025-06-01"\ncompatibility_flags = ["python_workers"]\n' },
  ];
  for (let i = 0; i < 40; i++) {
    if (i % 7 === 3) files.push({ path: `w/src/big${i}.py`, text: `import js\n${'x = 1\n'.repeat(200)}` });
    else if (i % 11 === 5) files.push({ path: `w/src/broken${i}.py`, text: 'import js\ndef f(:\n' });
    else if (i % 13 === 6) files.push({ path: `elsewhere/plain${i}.py`, text: 'print("not a Worker")\n' });
    else if (i % 9 === 8) files.push({ path: `w/excluded/e${i}.py`, text: entry(i) });
    files.push({ path: `w/src/m${i}.py`, text: entry(i) });
  }
  const config = { ...DEFAULT_CONFIG, limits: { max_file_bytes: 1000 }, paths: { include: [], exclude: ['w/excluded/**'] } };

  it('gives each file the findings, notes and errors it gets alone', () => {
    const together = analyze({ files, rules: RULES, config });
    const alone = files.map((f) => analyze({ files: [f], context: files, rules: RULES, config }));
    expect(together.findings).toEqual(alone.flatMap((r) => r.findings).sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line || a.column - b.column || (a.code < b.code ? -1 : 1))));
    expect(together.skipped).toEqual(alone.flatMap((r) => r.skipped));
    expect(together.ruleErrors).toEqual(alone.flatMap((r) => r.ruleErrors));
    // The mix covers every kind of file the runner meets.
    expect(together.findings.some((f) => f.code === 'PW003')).toBe(true);
    expect(together.findings.some((f) => f.code === 'PW000')).toBe(true);
    expect(together.skipped.some((s) => /max_file_bytes/.test(s.reason))).toBe(true);
    expect(together.skipped.some((s) => /excluded/.test(s.reason))).toBe(true);
  });

  it('gives the same result from analyzeAsync (smaller batches, returns to the event loop between them)', async () => {
    const sync = analyze({ files, rules: RULES, config });
    for (const every of [1, 2_000, 256_000]) {
      const result = await analyzeAsync({ files, rules: RULES, config }, every);
      expect(result.findings).toEqual(sync.findings);
      expect(result.skipped).toEqual(sync.skipped);
      expect(result.ruleErrors).toEqual(sync.ruleErrors);
      expect([...result.profiles]).toEqual([...sync.profiles]);
    }
  });
});
