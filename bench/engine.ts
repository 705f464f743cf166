// Engine benchmarks: all rules over generated Worker code next to the bare tree-sitter parse of
// the same text, per-rule cost, and config files per second.
import { analyze } from '../src/engine/runner.js';
import { parsePython } from '../src/engine/python.js';
import { DEFAULT_CONFIG, type RepoConfig } from '../src/engine/repo-config.js';
import type { PythonVisitors, Rule } from '../src/engine/rule.js';
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

/** Untimed passes over the first megabyte of a series' corpus after its heap was settled. */
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
  /** analyze with only this rule, minus analyze with no rule (parse + engine), median CPU time over runs (ms). */
  aloneMs: number;
  /** aloneMs as a share of parse time. */
  aloneOfParse: number;
  /**
   * Time spent inside the rule's own code (setup + visitors + config check) during an all-rules run
   * (ms, wall clock: a CPU-time reading is a system call that would cost more than a small visitor).
   */
  ownMs: number;
  ownOfParse: number;
  findings: number;
}

/** Wraps a rule so that the time inside its own code is added to `spent[code]` (performance.now: no system call per visit). */
function instrumented(rule: Rule, spent: Map<string, number>): Rule {
  const code = rule.meta.code;
  const add = (ms: number) => spent.set(code, (spent.get(code) ?? 0) + ms);
  const timed =
    <A extends unknown[], R>(fn: (...args: A) => R) =>
    (...args: A): R => {
      const t0 = performance.now();
      try {
        return fn(...args);
      } finally {
        add(performance.now() - t0);
      }
    };
  const wrapped: Rule = { ...rule };
  if (rule.python) {
    const python = rule.python.bind(rule);
    wrapped.python = (ctx) => {
      const t0 = performance.now();
      const visitors = python(ctx);
      add(performance.now() - t0);
      const out: PythonVisitors = {};
      for (const [type, visit] of Object.entries(visitors)) out[type] = timed(visit);
      return out;
    };
  }
  if (rule.config) wrapped.config = timed(rule.config.bind(rule));
  return wrapped;
}

/**
 * Per-rule cost two ways: analyze with that rule alone minus the parse-only baseline (catches
 * trigger scanning and set-up as well as the rule's own code), and time inside the rule's code
 * during one all-rules run (exact attribution, no subtraction noise).
 */
export async function benchPerRule(
  corpus: Corpus,
  rules: readonly Rule[],
  runs: number,
): Promise<{ parseMs: number; engineOnlyMs: number; rules: RuleCost[] }> {
  const config = configFor(corpus);
  const spent = new Map<string, number>();
  const all = await timeIt(() => analyze({ files: corpus.python, context: corpus.configs, rules: rules.map((r) => instrumented(r, spent)), config }));
  const findingsBy = new Map<string, number>();
  for (const f of all.value.findings) findingsBy.set(f.code, (findingsBy.get(f.code) ?? 0) + 1);

  const parse: number[] = [];
  const alone = new Map<string, number[]>();
  const bare: number[] = [];
  const bareConfigs: number[] = [];
  // A rule without a Python check is timed over the config files alone (linting the Python would
  // only add the same parse to both sides).
  const filesFor = (rule: Rule | null) => (rule && !rule.python ? { files: corpus.configs } : { files: corpus.python, context: corpus.configs });
  // Settled once (the all-rules run above warmed every rule's code); no forced GC between runs.
  const noSettle = { settle: false };
  await settle();
  for (let i = 0; i < runs; i++) {
    parse.push((await timeIt(() => parseAll(corpus.python), noSettle)).cpuMs);
    bare.push((await timeIt(() => analyze({ ...filesFor(null), rules: [], config }), noSettle)).cpuMs);
    bareConfigs.push((await timeIt(() => analyze({ files: corpus.configs, rules: [], config }), noSettle)).cpuMs);
    for (const rule of rules) {
      const t = (await timeIt(() => analyze({ ...filesFor(rule), rules: [rule], config }), noSettle)).cpuMs;
      alone.set(rule.meta.code, [...(alone.get(rule.meta.code) ?? []), t]);
    }
  }
  const parseMs = median(parse);
  const bareMs = median(bare);
  const bareConfigsMs = median(bareConfigs);
  const costs = rules.map((rule): RuleCost => {
    const aloneMs = median(alone.get(rule.meta.code)!) - (rule.python ? bareMs : bareConfigsMs);
    const ownMs = spent.get(rule.meta.code) ?? 0;
    return {
      code: rule.meta.code,
      name: rule.meta.name,
      aloneMs: round(aloneMs, 1),
      aloneOfParse: round(aloneMs / parseMs, 4),
      ownMs: round(ownMs, 1),
      ownOfParse: round(ownMs / parseMs, 4),
      findings: findingsBy.get(rule.meta.code) ?? 0,
    };
  });
  costs.sort((a, b) => b.ownMs + b.aloneMs - (a.ownMs + a.aloneMs));
  return { parseMs: round(parseMs, 1), engineOnlyMs: round(bareMs - parseMs, 1), rules: costs };
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
  // One run per kind: a breakdown, not the headline.
  const byKind: ConfigBench['byKind'] = [];
  for (const [kind, files] of kinds) {
    const t = (await timeIt(() => analyze({ files, rules }), { settle: false })).cpuMs;
    byKind.push({ kind, configs: files.length, configsPerSecond: Math.round(files.length / (t / 1000)) });
  }
  const ms = median(times);
  return { configs: configs.length, runs, ms: round(ms, 1), configsPerSecond: Math.round(configs.length / (ms / 1000)), byKind, findings };
}
