// Columns count UTF-16 code units (DESIGN.md "Findings on the wire"): a finding after 😀 (two
// units), 𝔘 (two units), a tab (one unit) or é (one unit) on the same line points at the same code,
// and its fix edits and the review's suggestion replace exactly that code.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RULES } from '../../rules/index.js';
import { analyze, applyTextEdits, LineIndex, type Finding, type SourceFile } from '../../src/engine/index.js';
import { CommentableLines, renderFix } from '../../src/review/index.js';
import { rangeProblems } from './harness.js';

const WRANGLER = 'main = "src/entry.py"\ncompatibility_date = "2025-11-01"\ncompatibility_flags = ["python_workers"]\n';

function lint(files: Record<string, string>): Finding[] {
  const list: SourceFile[] = Object.entries(files).map(([path, text]) => ({ path, text }));
  const r = analyze({ files: list, rules: RULES });
  expect(r.ruleErrors).toEqual([]);
  return r.findings;
}

/** The text a finding's range covers, read with an independent line split. */
function covered(text: string, f: { line: number; column: number; endLine: number; endColumn: number }): string {
  const index = new LineIndex(text);
  return text.slice(index.offset(f.line, f.column), index.offset(f.endLine, f.endColumn));
}

/** A patch that adds every line of the file, so every line is commentable. */
function addedPatch(text: string): CommentableLines {
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return CommentableLines.fromPatch(`@@ -0,0 +1,${lines.length} @@\n${lines.map((l) => `+${l}`).join('\n')}`);
}

describe('UTF-16 columns after non-BMP characters and tabs', () => {
  const cases: [string, string][] = [
    ['😀 in a string', 'x = "😀" ; y = to_py(z)'],
    ['𝔘 and 😀', 'x = "𝔘😀𝔘" ; y = to_py(z)'],
    ['a tab inside the string and before the call', 'x = "\t😀" ;\ty = to_py(z)'],
    ['é and a comment-free line of mixed widths', 'é = "é😀中𝔘" ; y = to_py(z)'],
  ];

  it.each(cases)('Python, %s: finding, fix edit and suggestion point at `to_py(z)`', (_, line) => {
    const text = `from pyodide.ffi import to_py\n${line}\n`;
    const findings = lint({ 'wrangler.toml': WRANGLER, 'src/entry.py': text }).filter((f) => f.code === 'PW004' && f.line === 2);
    expect(findings).toHaveLength(1);
    const f = findings[0];
    const col = line.indexOf('to_py(z)') + 1; // indexOf counts UTF-16 units
    expect({ line: f.line, column: f.column, endLine: f.endLine, endColumn: f.endColumn }).toEqual({ line: 2, column: col, endLine: 2, endColumn: col + 'to_py(z)'.length });
    expect(covered(text, f)).toBe('to_py(z)');
    expect(rangeProblems(text, f)).toEqual([]);

    // The fix edit: the same range, and applying it rewrites only the call.
    expect(f.fix?.applicability).toBe('safe');
    for (const e of f.fix!.edits) expect(rangeProblems(text, e)).toEqual([]);
    const fixedLine = line.replace('to_py(z)', 'z.to_py()');
    expect(applyTextEdits(text, f.fix!.edits).split('\n')[1]).toBe(fixedLine);

    // The review's suggestion replaces line 2 with exactly the fixed line.
    const rendering = renderFix(f, text, { commentable: addedPatch(text) });
    expect(rendering).toMatchObject({ kind: 'suggestion', startLine: 2, endLine: 2, lines: [fixedLine] });
  });

  it('property: any mix of 😀 𝔘 中 é tab and ASCII before the call on the same line', () => {
    const unit = fc.constantFrom('😀', '𝔘', '中', 'é', '\t', 'a', ' ', 'ß', '\u0301');
    fc.assert(
      fc.property(fc.array(unit, { maxLength: 40 }), fc.array(fc.constantFrom('😀', '\t', ' ', 'x'), { maxLength: 6 }), (inside, between) => {
        const before = `x = "${inside.join('')}" ;${between.join('').replace(/x/g, ' ')} y = `;
        const line = `${before}to_py(z)`;
        const text = `from pyodide.ffi import to_py\n${line}\n`;
        const f = lint({ 'wrangler.toml': WRANGLER, 'src/entry.py': text }).find((x) => x.code === 'PW004' && x.line === 2);
        if (!f) throw new Error(`no PW004 on line 2 of ${JSON.stringify(text)}`);
        if (f.column !== before.length + 1 || f.endColumn !== before.length + 9) throw new Error(`columns ${f.column}-${f.endColumn}, expected ${before.length + 1}-${before.length + 9}`);
        if (covered(text, f) !== 'to_py(z)') throw new Error(`covers ${JSON.stringify(covered(text, f))}`);
        if (applyTextEdits(text, f.fix!.edits).split('\n')[1] !== `${before}z.to_py()`) throw new Error('fix lands elsewhere');
      }),
      { seed: 0xc01, numRuns: 200 },
    );
  });

  it('JSONC and TOML: a misspelt flag after 😀 and 𝔘 on the same line is reported on its own text', () => {
    const jsonc = '{\n  "main": "src/entry.py",\n  "compatibility_date": "2025-11-01",\n  "compatibility_flags": ["😀𝔘", "python_worker"]\n}\n';
    const toml = 'main = "src/entry.py"\ncompatibility_date = "2025-11-01"\ncompatibility_flags = ["😀𝔘", "python_worker"]\n';
    for (const [path, text] of [
      ['wrangler.jsonc', jsonc],
      ['wrangler.toml', toml],
    ] as const) {
      const findings = lint({ [path]: text, 'src/entry.py': 'x = 1\n' }).filter((f) => f.path === path);
      const line = text.split('\n').findIndex((l) => l.includes('python_worker"')) + 1;
      const onLine = findings.filter((f) => f.line === line && f.code !== 'PW000');
      expect(onLine.length, `${path}: ${JSON.stringify(findings.map((f) => [f.code, f.line, f.column]))}`).toBeGreaterThan(0);
      for (const f of onLine) {
        expect(rangeProblems(text, f)).toEqual([]);
        expect(covered(text, f), `${f.code} in ${path}`).toContain('python_worker');
        for (const e of f.fix?.edits ?? []) expect(rangeProblems(text, e)).toEqual([]);
      }
      const fixed = onLine.find((f) => f.fix?.edits.some((e) => e.text.includes('python_workers')));
      expect(fixed, `${path}: a fix that writes python_workers`).toBeDefined();
      const after = applyTextEdits(text, fixed!.fix!.edits);
      expect(after.split('\n')[line - 1]).toContain('"😀𝔘", "python_workers"');
    }
  });
});

describe('LineIndex', () => {
  it('finds the same line starts as a plain split, with \\n only and with \\r\\n and lone \\r mixed in', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('a', 'é', '😀', ' ', '\n', '\r\n', '\r', '\n\n'), { maxLength: 60 }), (parts) => {
        const text = parts.join('');
        const expected: number[] = [0];
        for (const m of text.matchAll(/\r\n|\r|\n/g)) expected.push(m.index! + m[0].length);
        expect(new LineIndex(text).starts).toEqual(expected);
      }),
    );
  });
});
