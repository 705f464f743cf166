// Property-based fuzzing of the engine over mutated real inputs. Every run starts from a real file
// of examples/ or test/corpus/good/, applies one to four mutations (byte flips and invalid UTF-8
// decoded as the CLI decodes, NUL, BOM, CRLF and lone CR, tabs, non-BMP characters, 10,000-deep
// nesting, long lines, truncation, empty files, tokens of the language) and checks every
// invariant of resultProblems(). Seeds are fixed, so CI sees the same inputs every time.
import { appendFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { RULES } from '../../rules/index.js';
import {
  analyzeAndCheck,
  KINDS,
  loadProjects,
  mutate,
  NESTING,
  newTally,
  parses,
  seedsByKind,
  SPECIAL,
  TOKENS,
  withFile,
  INVALID_UTF8,
  type Kind,
  type Mutation,
  type Tally,
} from './harness.js';

/** Runs per input kind; the whole file stays well under a minute on two cores. */
export const RUNS: Record<Kind, number> = { python: 400, jsonc: 300, toml: 300, requirements: 200, 'package-json': 200 };
const SEED = 0x5eed;

const projects = loadProjects();
const seeds = seedsByKind(projects);
const tallies = new Map<Kind, Tally>(KINDS.map((k) => [k, newTally()]));

function mutationArb(kind: Kind): fc.Arbitrary<Mutation> {
  const at = fc.nat();
  const m = <T extends Mutation>(a: fc.Arbitrary<T>, weight: number) => ({ arbitrary: a as fc.Arbitrary<Mutation>, weight });
  return fc.oneof(
    m(fc.record({ op: fc.constant('flipByte' as const), at, bit: fc.integer({ min: 0, max: 7 }) }), 3),
    m(fc.record({ op: fc.constant('invalidUtf8' as const), at, seq: fc.nat(INVALID_UTF8.length - 1) }), 2),
    m(fc.record({ op: fc.constant('special' as const), at, which: fc.nat(SPECIAL.length - 1), count: fc.constantFrom(1, 1, 1, 3, 200) }), 4),
    m(fc.record({ op: fc.constant('token' as const), at, which: fc.nat(TOKENS[kind].length - 1) }), 6),
    m(fc.record({ op: fc.constant('eol' as const), style: fc.constantFrom('crlf' as const, 'cr' as const, 'lf' as const) }), 2),
    m(fc.constant({ op: 'tabs' as const }), 1),
    m(fc.constant({ op: 'bom' as const }), 1),
    m(
      fc.record({
        op: fc.constant('nest' as const),
        at,
        span: fc.nat(),
        which: fc.nat(NESTING[kind].length - 1),
        depth: fc.constantFrom(10_000, 10_000, 3_000, 300, 40),
        closed: fc.boolean(),
      }),
      2,
    ),
    m(fc.record({ op: fc.constant('longLine' as const), at, length: fc.constantFrom(2_000, 200_000, 1_000_001) }), 1),
    m(fc.record({ op: fc.constant('truncate' as const), at }), 2),
    m(fc.constant({ op: 'empty' as const }), 1),
    m(fc.record({ op: fc.constant('duplicate' as const), from: at, len: fc.nat(), at }), 2),
    m(fc.record({ op: fc.constant('delete' as const), at, len: fc.nat(400) }), 2),
  );
}

const BENIGN_RUNS = 200;
const benignTally = newTally();

afterAll(() => {
  const rows = KINDS.map((k) => {
    const t = tallies.get(k)!;
    const ops = Object.entries(t.ops)
      .sort()
      .map(([op, n]) => `${op}=${n}`)
      .join(' ');
    return `  ${k.padEnd(12)} inputs=${t.inputs} parsed=${t.parsed} findings=${t.findings} PW000=${t.parseErrors} fixes=${t.fixesChecked} safe-fixes-reparsed=${t.safeFixesReparsed} skipped=${t.skipped}\n      ${ops}`;
  });
  const b = benignTally;
  rows.push(`  python, edits that keep it parsing: inputs=${b.inputs} parsed=${b.parsed} findings=${b.findings} fixes=${b.fixesChecked} safe-fixes-reparsed=${b.safeFixesReparsed}`);
  const total = KINDS.reduce((n, k) => n + tallies.get(k)!.inputs, 0) + b.inputs;
  console.log(`fuzz: ${total} inputs over ${RULES.length} rules (seed ${SEED})\n${rows.join('\n')}`);
});

/** Whole statements from TOKENS.python, for edits that keep a file parsing. */
const STATEMENTS = TOKENS.python.filter((t) => /^\S[\s\S]*\n$/.test(t) && !t.startsWith('def f(:'));

/**
 * An edit that usually keeps Python parsing: a whole statement before a line that starts at
 * column 0, a non-BMP character or tab inside a new comment, CRLF, lone CR or a BOM.
 */
function benign(text: string, m: { op: number; at: number; which: number }): string {
  const starts = [0, ...[...text.matchAll(/\r\n|\r|\n/g)].map((x) => x.index! + x[0].length)].filter((i) => i === text.length || /\S/.test(text[i]));
  const at = starts[m.at % starts.length];
  switch (m.op % 4) {
    case 0:
      return text.slice(0, at) + STATEMENTS[m.which % STATEMENTS.length] + text.slice(at);
    case 1:
      return `${text.slice(0, at)}# ${['😀', '𝔘', '\t', '\u00e9', '\u2028'][m.which % 5]} noqa: PW004\n${text.slice(at)}`;
    case 2:
      return text.replace(/\r\n|\r|\n/g, m.which % 2 ? '\r\n' : '\r');
    default:
      return `\uFEFF${text}`;
  }
}

describe('engine fuzz over mutated real inputs', () => {
  it('has real starting files of every kind', () => {
    for (const k of KINDS) expect(seeds.get(k)!.length, k).toBeGreaterThan(0);
  });

  for (const [n, kind] of KINDS.entries()) {
    it(`${kind}: analyze() never throws, no rule errors, ranges and fixes inside the file, safe fixes parse`, () => {
      const list = seeds.get(kind)!;
      const tally = tallies.get(kind)!;
      fc.assert(
        fc.property(fc.nat(list.length - 1), fc.array(mutationArb(kind), { minLength: 1, maxLength: 4 }), (i, mutations) => {
          const seed = list[i];
          let text = seed.project.files.find((f) => f.path === seed.target)!.text;
          for (const m of mutations) {
            text = mutate(text, m, kind);
            tally.ops[m.op] = (tally.ops[m.op] ?? 0) + 1;
          }
          tally.inputs++;
          if (parses(seed.target, text)) tally.parsed++;
          // FUZZ_DEBUG=file: each input's origin and mutations, written before it runs (for a crash).
          if (process.env.FUZZ_DEBUG) appendFileSync(process.env.FUZZ_DEBUG, `${kind} ${tally.inputs} ${seed.project.dir} ${seed.target} ${JSON.stringify(mutations)}\n`);
          const files = withFile(seed.project, seed.target, text);
          const problems = analyzeAndCheck(files, tally);
          if (problems.length > 0) {
            throw new Error(`${seed.project.dir}/${seed.target} after ${JSON.stringify(mutations)}:\n  ${problems.slice(0, 10).join('\n  ')}`);
          }
        }),
        { seed: SEED + n, numRuns: RUNS[kind], endOnFailure: true },
      );
    });
  }

  it('python, edits that keep the file parsing: the same invariants, and every safe fix leaves it parsing', () => {
    const list = seeds.get('python')!;
    const edit = fc.record({ op: fc.nat(), at: fc.nat(), which: fc.nat() });
    fc.assert(
      fc.property(fc.nat(list.length - 1), fc.array(edit, { minLength: 1, maxLength: 3 }), (i, edits) => {
        const seed = list[i];
        let text = seed.project.files.find((f) => f.path === seed.target)!.text;
        for (const e of edits) text = benign(text, e);
        benignTally.inputs++;
        if (parses(seed.target, text)) benignTally.parsed++;
        const problems = analyzeAndCheck(withFile(seed.project, seed.target, text), benignTally);
        if (problems.length > 0) throw new Error(`${seed.project.dir}/${seed.target} after ${JSON.stringify(edits)}:\n  ${problems.slice(0, 10).join('\n  ')}`);
      }),
      { seed: SEED + 100, numRuns: BENIGN_RUNS, endOnFailure: true },
    );
    // Most of these inputs parse, so the safe-fix property is exercised, not skipped.
    expect(benignTally.parsed).toBeGreaterThan(BENIGN_RUNS / 2);
  });
});
