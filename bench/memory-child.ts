// The engine alone over a pull request's files, synchronously (analyze) or returning to the event
// loop as it goes (analyzeAsync), in a fresh process: peak RSS and CPU. One JSON line.
//   node dist/bench/memory-child.js <sync|async> <files>
import { RULES } from '../rules/index.js';
import { analyze, analyzeAsync, type SourceFile } from '../src/engine/index.js';
import { peakRssMb } from './measure.js';
import { generatePullRequest } from './pull-request.js';

const mode = process.argv[2] === 'async' ? 'async' : 'sync';
const files = Number(process.argv[3] ?? 1000);

const pr = generatePullRequest(files, 1000 + files);
const python: SourceFile[] = [];
const context: SourceFile[] = [];
const changed = new Set(pr.files.map((f) => f.filename));
for (const [path, text] of pr.head) (changed.has(path) ? python : context).push({ path, text });

const rssBefore = process.memoryUsage().rss;
const cpu0 = process.cpuUsage();
const input = { files: python, context, rules: RULES };
const result = mode === 'async' ? await analyzeAsync(input) : analyze(input);
const cpu = process.cpuUsage(cpu0);
process.stdout.write(
  JSON.stringify({
    mode,
    files,
    findings: result.findings.length,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    rssBeforeMb: rssBefore / 1024 / 1024,
    peakRssMb: peakRssMb(),
  }) + '\n',
);
