// Time grows linearly with input size. Measured by counting work (work-counter.ts: tree-sitter
// calls, characters scanned, output written), not by the clock: each shape is analysed at N and
// at 4N, and the work may grow at most 6× (linear gives 4×, an accidental quadratic 16×). Shapes
// are the ones that break a per-hit design: many statements, one long line of hits, a chain of
// hits nested in each other, many imports and aliases, long dotted names, noqa comments, strings
// full of trigger words, and configs with many sections. Wall-clock ratios are printed, not asserted.
import { describe, expect, it } from 'vitest';
import { RULES } from '../../rules/index.js';
import { analyze, type AnalyzeResult, type SourceFile } from '../../src/engine/index.js';
import { countWork, type Work } from './work-counter.js';

const WRANGLER = 'main = "src/entry.py"\ncompatibility_date = "2025-11-01"\ncompatibility_flags = ["python_workers"]\n';
const PYPROJECT = '[project]\nname = "w"\nversion = "0.1.0"\ndependencies = ["workers-py"]\n';

function py(body: string): SourceFile[] {
  return [
    { path: 'wrangler.toml', text: WRANGLER },
    { path: 'src/entry.py', text: body },
  ];
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

/** Input shapes by size n: about n to 6n characters, so that 4N stays under the 1 MB limit. */
const SHAPES: Record<string, (n: number) => SourceFile[]> = {
  'statements with triggers of every rule': (n) =>
    py(
      'import random\nimport requests\nfrom js import eval as js_eval\nfrom pyodide.ffi import to_py, to_js\nfrom workers import WorkerEntrypoint, Response\n\n' +
        range(n / 60)
          .map(
            (i) =>
              `async def handler_${i}(request, env):\n    rows = (await env.DB.prepare("select ?").bind(None).all()).results\n    seed = random.random()\n    r = requests.get("https://example.com/${i}")\n    js_eval("1")\n    for row in rows:\n        print(len(row))\n    return Response.json(to_js({"i": ${i}, "v": to_py(request)}))\n`,
          )
          .join('\n'),
    ),
  'classes with entrypoint methods': (n) =>
    py(
      'from workers import WorkerEntrypoint, Response\n\n' +
        range(n / 30).map((i) => `class W${i}(WorkerEntrypoint):\n    async def on_fetch(self, request):\n        return Response("${i}")\n    async def scheduled(self):\n        pass\n`).join('\n'),
    ),
  'one long line of hits': (n) => py(`from pyodide.ffi import to_py\nx = [${'to_py(a), '.repeat(n / 2)}]\n`),
  'a chain of hits nested in each other': (n) => py(`from pyodide.ffi import to_py\nx = ${'to_py(a) + '.repeat(n / 2)}1\n`),
  'attribute chains': (n) => py(`import requests\nx = requests${'.get'.repeat(n / 4)}(u)\n`),
  'many imports and aliases in use': (n) =>
    py(range(n / 20).map((i) => `from pyodide.ffi import to_py as tp${i}\ny${i} = tp${i}(x)\n`).join('')),
  'one import used everywhere': (n) => py(`from pyodide.ffi import to_py\n${'y = to_py(x)\n'.repeat(n / 2)}`),
  'long dotted import names': (n) => py(`import ${range(n / 2).map(() => 'a').join('.')}\nfrom ${range(n / 2).map(() => 'b').join('.')} import c\n`),
  'noqa comments on every line': (n) => py(`from pyodide.ffi import to_py\n${'y = to_py(x)  # noqa: PW004, PW003, PW999\n'.repeat(n / 10)}`),
  'strings and comments full of trigger words': (n) => py(`from pyodide.ffi import to_py\n${'x = "to_py requests import eval" # to_py import\n'.repeat(n / 10)}`),
  'functions with locals shadowing imports': (n) =>
    py(`import requests\nimport random\n${range(n / 12).map((i) => `def f${i}(requests):\n    random = ${i}\n    requests.get(random)\n`).join('')}`),
  'blank lines': (n) => py(`from pyodide.ffi import to_py\n${'\n'.repeat(n)}x = to_py(y)\n`),
  'many modules of one Worker importing each other': (n) => [
    { path: 'wrangler.toml', text: `${WRANGLER}[[workflows]]\nname = "w"\nbinding = "W"\nclass_name = "Flow"\n` },
    { path: 'src/entry.py', text: `${range(n / 100).map((i) => `import m${i}\n`).join('')}from workers import WorkflowEntrypoint\n\nclass Flow(WorkflowEntrypoint):\n    pass\n` },
    ...range(n / 100).map((i) => ({ path: `src/m${i}.py`, text: `import m${(i + 1) % (n / 100)}\nfrom pyodide.ffi import to_py\nx = to_py(y)\n` })),
  ],
  'many Workers in one repository': (n) =>
    range(n / 100).flatMap((i) => [
      { path: `w${i}/wrangler.toml`, text: WRANGLER },
      { path: `w${i}/src/entry.py`, text: 'from pyodide.ffi import to_py\nx = to_py(y)\n' },
      { path: `w${i}/pyproject.toml`, text: PYPROJECT },
    ]),
  'wrangler.jsonc with many env sections': (n) => [
    {
      path: 'wrangler.jsonc',
      text: `{\n  "main": "src/entry.py",\n  "compatibility_date": "2025-11-01",\n  "compatibility_flags": ["python_worker"],\n  "env": {\n${range(n / 60)
        .map((i) => `    "e${i}": { "compatibility_flags": ["nodejs_compat"], "d1_databases": [{ "binding": "DB${i}" }] }`)
        .join(',\n')}\n  }\n}\n`,
    },
    { path: 'src/entry.py', text: 'from workers import WorkerEntrypoint\n' },
  ],
  'wrangler.toml with many tables': (n) => [
    {
      path: 'wrangler.toml',
      text: `main = "src/entry.py"\ncompatibility_date = "2025-11-01"\n${range(n / 50).map((i) => `[[d1_databases]]\nbinding = "DB${i}"\n\n[env.e${i}]\ncompatibility_flags = []\n`).join('\n')}`,
    },
    { path: 'src/entry.py', text: 'from workers import WorkerEntrypoint\n' },
  ],
  'requirements and pyproject with many packages': (n) => [
    { path: 'wrangler.toml', text: WRANGLER },
    { path: 'src/entry.py', text: 'import numpy\n' },
    { path: 'requirements.txt', text: range(n / 20).map((i) => `pkg-${i}==1.0  # c\n`).join('') },
    { path: 'pyproject.toml', text: `${PYPROJECT.replace(']\n', '')}, ${range(n / 20).map((i) => `"dep-${i}>=1"`).join(', ')}]\n` },
  ],
  'package.json with many scripts': (n) => [
    { path: 'wrangler.toml', text: WRANGLER },
    { path: 'src/entry.py', text: 'x = 1\n' },
    {
      path: 'package.json',
      text: JSON.stringify({ scripts: Object.fromEntries(range(n / 60).map((i) => [`dev${i}`, 'wrangler dev --config py/wrangler.jsonc & wrangler dev --config js/wrangler.jsonc'])) }, null, 2),
    },
  ],
};

const N = 10_000;
/** Linear work grows 4× from N to 4N; allow 6× (quadratic would be 16×). */
const MAX_RATIO = 6;

interface Measure {
  work: Work;
  output: number;
  findings: number;
  ms: number;
}

function measure(files: SourceFile[]): Measure {
  const started = performance.now();
  const { result, work } = countWork(() => analyze({ files, rules: RULES }));
  const ms = performance.now() - started;
  expect(result.ruleErrors).toEqual([]);
  return { work, output: outputSize(result), findings: result.findings.length, ms };
}

function outputSize(r: AnalyzeResult): number {
  let n = 0;
  for (const f of r.findings) {
    n += f.message.length;
    for (const e of f.fix?.edits ?? []) n += e.text.length;
  }
  return n;
}

/** Wall time of one plain run (no counters): printed for the record only, never asserted. */
function wall(files: SourceFile[]): number {
  const t = performance.now();
  analyze({ files, rules: RULES });
  return performance.now() - t;
}

describe('work grows linearly with input size (counted, N = 10,000 vs 4N)', () => {
  const rows: string[] = [];
  for (const [name, make] of Object.entries(SHAPES)) {
    it(name, () => {
      const small = make(N);
      const large = make(4 * N);
      const a = measure(small);
      const b = measure(large);
      const ratio = (x: number, y: number) => (x < 1000 && y < 4000 ? 1 : y / Math.max(x, 1));
      const ratios = {
        native: ratio(a.work.native, b.work.native),
        scanned: ratio(a.work.scanned, b.work.scanned),
        steps: ratio(a.work.steps, b.work.steps),
        output: ratio(a.output, b.output),
      };
      const time = wall(large) / Math.max(wall(small), 0.001);
      rows.push(
        `  ${name.padEnd(50)} findings ${a.findings}→${b.findings}  native ×${ratios.native.toFixed(1)}  scanned ×${ratios.scanned.toFixed(1)}  steps ×${ratios.steps.toFixed(1)}  output ×${ratios.output.toFixed(1)}  (wall ×${time.toFixed(1)})`,
      );
      console.log(rows[rows.length - 1]);
      expect(ratios.native, `tree-sitter work: ${a.work.native} → ${b.work.native}`).toBeLessThanOrEqual(MAX_RATIO);
      expect(ratios.scanned, `characters scanned: ${a.work.scanned} → ${b.work.scanned}`).toBeLessThanOrEqual(MAX_RATIO);
      expect(ratios.steps, `array steps: ${a.work.steps} → ${b.work.steps}`).toBeLessThanOrEqual(MAX_RATIO);
      expect(ratios.output, `output size: ${a.output} → ${b.output}`).toBeLessThanOrEqual(MAX_RATIO);
    });
  }

  it('the counters see a quadratic when there is one (control)', () => {
    const scans = (n: number) =>
      countWork(() => {
        const text = 'x'.repeat(n);
        for (let i = 0; i < n / 100; i++) text.indexOf('y', 0);
        return null;
      }).work.scanned;
    expect(scans(4 * N) / scans(N)).toBeGreaterThan(MAX_RATIO);
    // A list searched once per element, as `binding()` once searched every import per lookup.
    const searches = (n: number) =>
      countWork(() => {
        const list = Array.from({ length: n / 10 }, (_, i) => ({ local: `n${i}` }));
        let found = 0;
        for (const item of list) for (const other of list) if (other.local === item.local) found++;
        return found;
      }).work.steps;
    expect(searches(4 * N) / searches(N)).toBeGreaterThan(MAX_RATIO);
  });
});
