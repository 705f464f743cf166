// Engine benchmarks: all rules over generated Worker code next to the bare tree-sitter parse of
// the same text, per-rule cost, and config files per second.
import { analyze } from '../src/engine/runner.js';
import { parsePython } from '../src/engine/python.js';
import { DEFAULT_CONFIG, type RepoConfig } from '../src/engine/repo-config.js';
import type { PythonVisitors, Rule } from '../src/engine/rule.js';
import type { Finding } from '../src/engine/types.js';
import type { Corpus, CorpusFile } from './corpus.js';
import { MB, median, round, settle, timeIt, type Sample } from './measure.js';

export interface EngineRun {
  label: string;
  files: number;
  mb: number;
  runs: number;
  /** Medians of CPU time (process.cpuUsage): other load on a shared machine stretches wall time, not CPU time. */
  parseMs: number;
  analyzeMs: number;
  parseWallMs: number;
  analyzeWallMs: number;
  /** Median over runs of analyze/parse CPU time, each run's pair measured back to back. */
  ratioToParse: number;
  /** The lowest and highest of the runs' CPU ratios: how far one run can stray from the median. */
  ratioMin: number;
  ratioMax: number;
  /** The same ratio from wall time. */
  ratioToParseWall: number;
  /** MB per CPU second. */
  parseMbPerSecond: number;
  mbPerSecond: number;
  /** MB per wall-clock second. */
  mbPerSecondWall: number;
  findings: number;
  ruleErrors: number;
}

/** A repo config that lets one big file through (the default skips files over 1 MB). */
function configFor(corpus: Corpus): RepoConfig {
  const largest = Math.max(...corpus.python.map((f) => f.text.length));
  return { ...DEFAULT_CONFIG, limits: { max_file_bytes: Math.max(DEFAULT_CONFIG.limits.max_file_bytes, largest + 1) } };
}

/** The first files of a corpus, up to about `bytes` of text. */
function firstBytes(files: readonly CorpusFile[], bytes: number): CorpusFile[] {
  const out: CorpusFile[] = [];
  let total = 0;
  for (const f of files) {
    if (total >= bytes) break;
    out.push(f);
    total += f.text.length;
  }
  return out;
}

function parseAll(files: readonly CorpusFile[]): number {
  let nodes = 0;
  for (const f of files) nodes += parsePython(f.text).rootNode.childCount;
  return nodes;
}

/** A parse-only and an analyze of the same corpus, timed back to back in the order asked. */
async function timePair<T>(corpus: Corpus, run: () => T, parseFirst: boolean): Promise<{ p: Sample; a: Sample & { value: T } }> {
  const parse = () => timeIt(() => parseAll(corpus.python), { settle: false });
  if (parseFirst) {
    const p = await parse();
    return { p, a: await timeIt(run, { settle: false }) };
  }
  const a = await timeIt(run, { settle: false });
  return { p: await parse(), a };
}

/** Untimed passes after a settled heap, before a series is timed (over the first megabyte of an engine corpus, or 600 configs). */
const SERIES_WARM_UP_PASSES = 4;

/**
 * Parse-only and parse+rules over the same corpus, `runs` times, alternating which goes first so
 * neither always runs on a warmer heap (each leaves its trees for the other's collections: both
 * parse the same text). The heap is settled once, then about 1 MB of the corpus goes through
 * analyze untimed four times, so the runs measure optimized code (see timeIt).
 */
export async function benchEngine(label: string, corpus: Corpus, rules: readonly Rule[], runs: number): Promise<EngineRun> {
  const config = configFor(corpus);
  const run = () => analyze({ files: corpus.python, context: corpus.configs, rules, config });
  const parse: number[] = [];
  const full: number[] = [];
  const parseWall: number[] = [];
  const fullWall: number[] = [];
  const ratios: number[] = [];
  const ratiosWall: number[] = [];
  let findings = 0;
  let ruleErrors = 0;
  await settle();
  // The forced GC above deoptimizes code built for object shapes it collected ("weak objects" in
  // --trace-deopt): a few untimed megabytes let V8 optimize it again before the clock starts.
  const head = firstBytes(corpus.python, MB);
  for (let i = 0; i < SERIES_WARM_UP_PASSES; i++) analyze({ files: head, context: corpus.configs, rules, config });
  for (let i = 0; i < runs; i++) {
    const { p, a } = await timePair(corpus, run, i % 2 === 0);
    findings = a.value.findings.length;
    ruleErrors = a.value.ruleErrors.length;
    parse.push(p.cpuMs);
    full.push(a.cpuMs);
    parseWall.push(p.wallMs);
    fullWall.push(a.wallMs);
    ratios.push(a.cpuMs / p.cpuMs);
    ratiosWall.push(a.wallMs / p.wallMs);
  }
  const mb = corpus.pythonBytes / MB;
  const parseMs = median(parse);
  const analyzeMs = median(full);
  return {
    label,
    files: corpus.python.length,
    mb: round(mb, 2),
    runs,
    parseMs: round(parseMs, 1),
    analyzeMs: round(analyzeMs, 1),
    parseWallMs: round(median(parseWall), 1),
    analyzeWallMs: round(median(fullWall), 1),
    ratioToParse: round(median(ratios), 3),
    ratioMin: round(Math.min(...ratios), 3),
    ratioMax: round(Math.max(...ratios), 3),
    ratioToParseWall: round(median(ratiosWall), 3),
    parseMbPerSecond: round(mb / (parseMs / 1000), 2),
    mbPerSecond: round(mb / (analyzeMs / 1000), 2),
    mbPerSecondWall: round(mb / (median(fullWall) / 1000), 2),
    findings,
    ruleErrors,
  };
}

export interface WarmUp {
  mb: number;
  passes: number;
  /** analyze/parse CPU time of each pass, in order: the first pays for V8 compiling the engine and rules. */
  ratios: number[];
}

/**
 * Brings the engine to the state of a long-running server before anything is timed: V8 compiles a
 * function with its optimizing tier only after it has run often enough, and many of the engine's
 * and rules' functions run a few times per file, so the first megabytes run partly unoptimized
 * (and the compiler's background threads add CPU time). Each pass is a parse-only and an analyze
 * of the same corpus; their ratio per pass shows the warm-up, which the result keeps.
 */
export async function warmUp(corpus: Corpus, rules: readonly Rule[], passes: number): Promise<WarmUp> {
  const config = configFor(corpus);
  const ratios: number[] = [];
  await settle();
  for (let i = 0; i < passes; i++) {
    const { p, a } = await timePair(corpus, () => analyze({ files: corpus.python, context: corpus.configs, rules, config }), true);
    ratios.push(round(a.cpuMs / p.cpuMs, 2));
  }
  return { mb: round(corpus.pythonBytes / MB, 2), passes, ratios };
}

export interface RuleCost {
  code: string;
  name: string;
  /**
   * Time spent inside the rule's own code (python()/config(), triggersFor, triggerHit, visitors)
   * during an all-rules run, median over runs (ms, wall clock: a CPU-time reading is a system
   * call that would cost more than a small visitor).
   */
  ownMs: number;
  ownOfParse: number;
  /** Trigger words the text search found for the rule and its triggerHit looked at (null: no triggerHit). */
  textHits: number | null;
  /** Of those, the ones it let through to a descent of the tree. */
  admitted: number | null;
  /** Calls of its visitors (nodes it was handed, the module included). */
  visits: number;
  findings: number;
}

interface RuleCounts {
  ms: number;
  textHits: number;
  admitted: number;
  visits: number;
}

/** Wraps a rule so that the time inside its own code, and its hits and visits, add up in `counts` (performance.now: no system call per call). */
function instrumented(rule: Rule, counts: Map<string, RuleCounts>): Rule {
  const code = rule.meta.code;
  const c = counts.get(code) ?? { ms: 0, textHits: 0, admitted: 0, visits: 0 };
  counts.set(code, c);
  const timed =
    <A extends unknown[], R>(fn: (...args: A) => R) =>
    (...args: A): R => {
      const t0 = performance.now();
      try {
        return fn(...args);
      } finally {
        c.ms += performance.now() - t0;
      }
    };
  const wrapped: Rule = { ...rule };
  if (rule.python) {
    const python = timed(rule.python.bind(rule));
    wrapped.python = (ctx) => {
      const visitors = python(ctx);
      const out: PythonVisitors = {};
      for (const [type, visit] of Object.entries(visitors)) {
        if (!visit) continue;
        const timedVisit = timed(visit);
        out[type] = (node) => {
          c.visits++;
          timedVisit(node);
        };
      }
      return out;
    };
  }
  if (rule.triggersFor) wrapped.triggersFor = timed(rule.triggersFor.bind(rule));
  if (rule.triggerHit) {
    const hit = timed(rule.triggerHit.bind(rule));
    wrapped.triggerHit = (ctx, word, start, end) => {
      c.textHits++;
      const yes = hit(ctx, word, start, end);
      if (yes) c.admitted++;
      return yes;
    };
  }
  if (rule.config) wrapped.config = timed(rule.config.bind(rule));
  return wrapped;
}

/**
 * Per-rule cost inside the all-rules run, where the rules share one search for trigger words and
 * one walk: the time inside each rule's own code, and the counts that drive the engine's work for
 * it (text hits its triggerHit looked at, descents it let through, nodes it was handed). Running
 * a rule alone, or all but one, measures a configuration the JIT has not seen, with noise of the
 * size of most rules' cost (±3 ms on 0.5 MB): not done. Nor is timing analyze with no rule next to
 * all rules in one process: it read two to three times what it costs in a process of its own.
 * What the engine spends for the rules beyond their own code is the series' ratio minus 1 minus
 * the sum of the own-code shares.
 */
export async function benchPerRule(
  corpus: Corpus,
  rules: readonly Rule[],
  runs: number,
): Promise<{ parseMs: number; ownMs: number; rules: RuleCost[] }> {
  const config = configFor(corpus);
  const lint = () => {
    const counts = new Map<string, RuleCounts>();
    const { findings } = analyze({ files: corpus.python, context: corpus.configs, rules: rules.map((r) => instrumented(r, counts)), config });
    return { counts, findings };
  };
  // As in benchEngine: one settle, then an untimed run, so that no run follows a forced GC. (The
  // own-code times are read inside the runs; hits, visits and findings are the same every run.)
  await settle();
  lint();
  const perRun: Map<string, RuleCounts>[] = [];
  let findings: Finding[] = [];
  for (let i = 0; i < runs; i++) {
    const run = lint();
    findings = run.findings;
    perRun.push(run.counts);
  }
  const findingsBy = new Map<string, number>();
  for (const f of findings) findingsBy.set(f.code, (findingsBy.get(f.code) ?? 0) + 1);

  // The bare parse of the same text, for the shares.
  const parse: number[] = [];
  await settle();
  for (let i = 0; i < runs; i++) parse.push((await timeIt(() => parseAll(corpus.python), { settle: false })).cpuMs);
  const parseMs = median(parse);
  const costs = rules.map((rule): RuleCost => {
    const code = rule.meta.code;
    const ownMs = median(perRun.map((m) => m.get(code)!.ms));
    const last = perRun[perRun.length - 1]!.get(code)!;
    return {
      code,
      name: rule.meta.name,
      ownMs: round(ownMs, 2),
      ownOfParse: round(ownMs / parseMs, 4),
      textHits: rule.triggerHit ? last.textHits : null,
      admitted: rule.triggerHit ? last.admitted : null,
      visits: last.visits,
      findings: findingsBy.get(code) ?? 0,
    };
  });
  costs.sort((a, b) => b.ownMs - a.ownMs);
  return { parseMs: round(parseMs, 1), ownMs: round(costs.reduce((sum, r) => sum + r.ownMs, 0), 1), rules: costs };
}

export interface ConfigBench {
  configs: number;
  runs: number;
  ms: number;
  configsPerSecond: number;
  byKind: { kind: string; configs: number; configsPerSecond: number }[];
  findings: number;
}

/** Config files through the engine (parse + workspace + config rules), all in one analyze call; CPU time. */
export async function benchConfigs(configs: readonly CorpusFile[], rules: readonly Rule[], runs: number): Promise<ConfigBench> {
  const times: number[] = [];
  let findings = 0;
  await settle();
  // As in benchEngine: the forced GC deoptimized code built for shapes it collected (the TOML
  // parser's among them); untimed passes let V8 optimize it again before the clock starts.
  const head = configs.slice(0, 600);
  for (let i = 0; i < SERIES_WARM_UP_PASSES; i++) analyze({ files: head, rules });
  for (let i = 0; i < runs; i++) {
    const t = await timeIt(() => analyze({ files: configs, rules }), { settle: false });
    times.push(t.cpuMs);
    findings = t.value.findings.length;
  }
  const kinds = new Map<string, CorpusFile[]>();
  for (const f of configs) {
    const kind = f.path.slice(f.path.lastIndexOf('/') + 1);
    kinds.set(kind, [...(kinds.get(kind) ?? []), f]);
  }
  // A breakdown, not the headline: the median of `runs` runs per kind.
  const byKind: ConfigBench['byKind'] = [];
  for (const [kind, files] of kinds) {
    const kindTimes: number[] = [];
    for (let i = 0; i < runs; i++) kindTimes.push((await timeIt(() => analyze({ files, rules }), { settle: false })).cpuMs);
    byKind.push({ kind, configs: files.length, configsPerSecond: Math.round(files.length / (median(kindTimes) / 1000)) });
  }
  const ms = median(times);
  return { configs: configs.length, runs, ms: round(ms, 1), configsPerSecond: Math.round(configs.length / (ms / 1000)), byKind, findings };
}
