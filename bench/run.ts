// `npm run bench`: what a review costs and how it grows. Prints tables and writes bench/results.json.
//   node --expose-gc dist/bench/run.js [--only engine,configs,pipeline,server] [--quick]
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { RULES } from '../rules/index.js';
import { generateBigFile, generateConfigs, generateCorpus } from './corpus.js';
import { benchConfigs, benchEngine, benchPerRule, warmUp, type ConfigBench, type EngineRun, type RuleCost, type WarmUp } from './engine.js';
import { hasGc, round } from './measure.js';
import { benchEngineMemory, benchPipeline } from './pipeline.js';
import { benchServer } from './server.js';
import { markdownTable, textTable, type Cell } from './table.js';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const onlyArg = args.find((a) => a.startsWith('--only'));
const only = onlyArg ? new Set((onlyArg.includes('=') ? onlyArg.split('=')[1]! : args[args.indexOf(onlyArg) + 1]!).split(',')) : null;
const wanted = (section: string) => !only || only.has(section);

/** Where the project root is, from dist/bench/run.js. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

function machine() {
  const cpus = os.cpus();
  let commit: string | null = null;
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: PROJECT_ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    commit = null;
  }
  return {
    cpuModel: cpus[0]?.model ?? 'unknown',
    cores: cpus.length,
    memoryGb: round(os.totalmem() / 1024 ** 3, 1),
    platform: `${os.platform()} ${os.release()}`,
    node: process.version,
    loadAverage: os.loadavg().map((l) => round(l, 2)),
    commit,
    date: new Date().toISOString(),
  };
}

function log(message: string): void {
  process.stderr.write(`${message}\n`);
}

interface EngineSection {
  runs: EngineRun[];
  /** Headline figures: the 5 MB corpus as files of realistic size. */
  ratioToParse: number;
  ratioToParseWall: number;
  mbPerSecond: number;
  parseMbPerSecond: number;
  target: number;
  rules: string[];
  /** The passes run before anything was timed, with their ratios (the first is a cold start). */
  warmUp: WarmUp;
}

async function engineSection(): Promise<{ engine: EngineSection; perRule: { corpusMb: number; parseMs: number; ownMs: number; rules: RuleCost[] } }> {
  const sizes = quick ? [{ mb: 1, runs: 3 }] : [
    { mb: 1, runs: 25 },
    { mb: 5, runs: 5 },
    { mb: 20, runs: 5 },
  ];
  const bigMb = quick ? 1 : 2;
  // Warm-up to steady state: JIT, lazy module state (schema compilers, rule data), the tree-sitter
  // language. Measured ratio by pass: it falls for about ten passes of 1 MB, then holds.
  log(`engine: JIT warm-up, ${quick ? 3 : 12} passes over 1 MB`);
  const warm = await warmUp(generateCorpus(1_000_000, 99), RULES, quick ? 3 : 12);

  const runs: EngineRun[] = [];
  for (const { mb, runs: n } of sizes) {
    log(`engine: ${mb} MB as files, ${n} runs`);
    runs.push(await benchEngine(`${mb} MB, files of 2–20 KB`, generateCorpus(mb * 1_000_000, mb), RULES, n));
  }
  log(`engine: ${bigMb} MB as one file`);
  runs.push(await benchEngine(`${bigMb} MB, one file`, generateBigFile(bigMb * 1_000_000, 7), RULES, quick ? 3 : 5));

  const perRuleMb = quick ? 0.3 : 0.5;
  log(`engine: per-rule cost on ${perRuleMb} MB`);
  const perRule = await benchPerRule(generateCorpus(perRuleMb * 1_000_000, 11), RULES, 3);

  const headline = runs.find((r) => r.label.startsWith('5 MB, files')) ?? runs[0]!;
  return {
    engine: {
      runs,
      ratioToParse: headline.ratioToParse,
      ratioToParseWall: headline.ratioToParseWall,
      mbPerSecond: headline.mbPerSecond,
      parseMbPerSecond: headline.parseMbPerSecond,
      target: 1.25,
      rules: RULES.map((r) => r.meta.code),
      warmUp: warm,
    },
    perRule: { corpusMb: perRuleMb, ...perRule },
  };
}

async function configSection(): Promise<ConfigBench> {
  const count = quick ? 2_000 : 10_000;
  log(`configs: ${count} small configs`);
  // A whole small run first, untimed in effect: benchConfigs' own warm-up (four passes over 600
  // configs) leaves the per-kind paths cold (measured: 11,500–12,900/s without this, 17,400–19,300 with).
  await benchConfigs(generateConfigs(300, 98), RULES, 1);
  return benchConfigs(generateConfigs(count, 5), RULES, 3);
}

function printSection(title: string, header: string[], rows: Cell[][], md: string[]): void {
  console.log(`\n${title}\n`);
  console.log(textTable(header, rows));
  md.push(`**${title}**`, '', markdownTable(header, rows), '');
}

async function main(): Promise<void> {
  if (!hasGc()) log('note: run with --expose-gc so runs do not pay for each other\'s garbage');
  const started = performance.now();
  const results: Record<string, unknown> = { machine: machine() };
  const sectionSeconds: Record<string, number> = {};
  const md: string[] = [];

  if (wanted('engine')) {
    const sectionStart = performance.now();
    const { engine, perRule } = await engineSection();
    results.engine = engine;
    results.perRule = perRule;
    printSection(
      `Engine: all ${engine.rules.length} rules vs tree-sitter parse alone (medians of CPU time; ratio = (parse + rules) / parse, target ≤ ${engine.target})`,
      ['corpus', 'files', 'MB', 'runs', 'parse MB/s', 'parse+rules MB/s', 'wall MB/s', 'ratio', 'runs from–to', 'ratio (wall)', 'findings'],
      engine.runs.map((r) => [r.label, r.files, r.mb, r.runs, r.parseMbPerSecond, r.mbPerSecond, r.mbPerSecondWall, r.ratioToParse, `${r.ratioMin}–${r.ratioMax}`, r.ratioToParseWall, r.findings]),
      md,
    );
    const warmLine = `Timed after ${engine.warmUp.passes} untimed passes over ${engine.warmUp.mb} MB (V8 compiles the engine's code as it runs): ratio by pass ${engine.warmUp.ratios.join(', ')}.`;
    console.log(`\n${warmLine}`);
    md.push(warmLine, '');
    printSection(
      `Per-rule cost on ${perRule.corpusMb} MB inside the all-rules run (parse ${perRule.parseMs} ms CPU; the rules' own code ${perRule.ownMs} ms, ${round((100 * perRule.ownMs) / perRule.parseMs, 1)}% of it; the rest of the ratio above 1 is the engine's work for them: trigger search, descents, nodes, garbage)`,
      ['rule', 'name', 'own code ms (wall)', 'share of parse', 'text hits → admitted', 'visits', 'findings'],
      perRule.rules.map((r) => [
        r.code,
        r.name,
        r.ownMs,
        `${round(r.ownOfParse * 100, 2)}%`,
        r.textHits === null ? '—' : `${r.textHits} → ${r.admitted}`,
        r.visits,
        r.findings,
      ]),
      md,
    );
    sectionSeconds.engine = round((performance.now() - sectionStart) / 1000, 1);
  }
  if (wanted('configs')) {
    const sectionStart = performance.now();
    const configs = await configSection();
    results.configsPerSecond = configs.configsPerSecond;
    results.configs = configs;
    printSection(
      `Config files: ${configs.configs.toLocaleString('en-US')} small configs in one analyze call (target ≥ 10,000/s)`,
      ['kind', 'configs', 'configs/s'],
      [...configs.byKind.map((k): Cell[] => [k.kind, k.configs, k.configsPerSecond]), ['all together', configs.configs, configs.configsPerSecond]],
      md,
    );
    sectionSeconds.configs = round((performance.now() - sectionStart) / 1000, 1);
  }

  if (wanted('pipeline')) {
    const sectionStart = performance.now();
    const sizes = quick ? [1, 10, 100] : [1, 10, 100, 1000];
    const latencyMs = 20;
    log(`pipeline: pull requests of ${sizes.join(', ')} files, one child process each`);
    const runs = benchPipeline(sizes, latencyMs);
    results.pipeline = runs;
    printSection(
      `Review pipeline: the app (Probot, all rules) against an in-process fake GitHub with ${latencyMs} ms per request; one fresh process per size`,
      ['files', 'Python MB', 'requests', 'bound N+5+⌈N/100⌉', 'wall ms (no latency)', 'CPU s', 'CPU ms/file', 'peak RSS MB', 'comments', 'annotations', 'throttle floor s'],
      runs.map((r) => [
        r.files,
        r.pythonMb,
        r.requests,
        `${r.bound}${r.withinBound ? '' : ' ✗'}`,
        r.wallMsWithoutLatency,
        r.cpuSeconds,
        r.cpuMsPerFile,
        r.peakRssMb,
        r.inlineComments,
        r.annotations,
        r.throttleFloorSeconds,
      ]),
      md,
    );
    sectionSeconds.pipeline = round((performance.now() - sectionStart) / 1000, 1);
  }
  if (wanted('memory')) {
    const sectionStart = performance.now();
    const files = quick ? 100 : 1000;
    log(`memory: the engine alone over the ${files}-file pull request, analyze vs analyzeAsync`);
    const runs = benchEngineMemory(files);
    results.engineMemory = runs;
    printSection(
      `Engine memory over the ${files}-file pull request: analyze (one synchronous call) vs analyzeAsync (returns to the event loop every 256 KB)`,
      ['call', 'files', 'findings', 'CPU s', 'RSS before MB', 'peak RSS MB'],
      runs.map((r) => [r.mode === 'sync' ? 'analyze' : 'analyzeAsync', r.files, r.findings, r.cpuSeconds, r.rssBeforeMb, r.peakRssMb]),
      md,
    );
    sectionSeconds.memory = round((performance.now() - sectionStart) / 1000, 1);
  }
  if (wanted('server')) {
    const sectionStart = performance.now();
    log('server: probot run, startup and webhook-to-review');
    const server = await benchServer(PROJECT_ROOT, { starts: quick ? 1 : 3, deliveries: 3, files: 10 });
    results.server = server;
    printSection(
      'Server: `probot run ./dist/src/github/index.js` against the fake GitHub on 127.0.0.1 (as GitHub Enterprise)',
      ['measure', 'ms', 'runs'],
      [
        ['process start → accepting webhooks (median)', server.startupMs, server.startupRuns.join(', ')],
        [`webhook → review posted, ${server.files}-file pull request, first delivery`, server.firstWebhookToReviewMs, '1'],
        [`webhook → review posted, ${server.files}-file pull request (median, later pushes)`, server.webhookToReviewMs, server.webhookRuns.slice(1).join(', ')],
        [
          `webhook → first write; Octokit's throttle spaces the ${server.throttledPerReview} POSTs of a review (GraphQL queries included) ≥ 1 s apart`,
          server.webhookToFirstWriteMs,
          '',
        ],
      ],
      md,
    );
    sectionSeconds.server = round((performance.now() - sectionStart) / 1000, 1);
  }

  const m = results.machine as ReturnType<typeof machine>;
  const totalSeconds = round((performance.now() - started) / 1000, 1);
  results.totalSeconds = totalSeconds;
  results.sectionSeconds = sectionSeconds;
  const machineLine = `${m.cpuModel}, ${m.cores} cores, ${m.memoryGb} GB, Node ${m.node}, ${m.platform}; load average ${m.loadAverage.join(' ')}; commit ${m.commit ?? '?'}; ${m.date.slice(0, 10)}`;
  console.log(`\nMachine: ${machineLine}\nBenchmark time: ${totalSeconds} s (${Object.entries(sectionSeconds).map(([k, v]) => `${k} ${v} s`).join(', ')})`);
  results.markdown = [...md, `Machine: ${machineLine}.`].join('\n');
  if (!quick && !only) {
    writeFileSync(new URL('../../bench/results.json', import.meta.url), JSON.stringify(results, null, 2) + '\n');
    writeFileSync(
      new URL('../../bench/RESULTS.md', import.meta.url),
      `# Benchmark results\n\nWritten by \`npm run bench\` (${totalSeconds} s); see bench/README.md for what each table measures.\n\n${results.markdown as string}\n`,
    );
  }
  else writeFileSync(`${os.tmpdir()}/pyworkers-review-bench.json`, JSON.stringify(results, null, 2) + '\n');
}

await main();
