// Every regular expression in src/** and rules/**, fed pathological input: long runs of the
// characters it can consume, after the prefixes that lead into its repeated parts. A pattern that
// backtracks catastrophically hangs its worker thread; the test then fails and names the pattern.
// Patterns built at run time cannot be read from the source: each is listed in DYNAMIC with the
// reason it is safe, and a new one fails the test until someone looks at it.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { Worker } from 'node:worker_threads';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { REPO } from './harness.js';

interface Found {
  where: string;
  source: string;
  flags: string;
}

/** `file: call text` of run-time patterns → why they cannot backtrack catastrophically. */
const DYNAMIC: Record<string, string> = {
  'src/engine/python.ts: new RegExp(`\\\\b(?:${[...words].map(escapeRegExp).join(\'|\')})\\\\b`, \'g\')':
    'an alternation of escaped literal words between \\b: no quantifier',
  'src/engine/python.ts: new RegExp(source, \'g\')': 'wordPattern: the same alternation of escaped literal words, cached',
  'src/engine/python.ts: new RegExp(`\\\\b${escapeRegExp(name)}\\\\b`, \'g\')': 'one escaped literal word between \\b',
  'src/engine/python.ts: new RegExp(`^(${NAME}(?:\\\\s*\\\\.\\\\s*${NAME})*)(?:\\\\s+as\\\\s+(${NAME}))?$`)':
    'IMPORT_ITEM, built from constants: tested below through its constant value',
  'src/pipeline/review-pipeline.ts: new RegExp(`<!-- ${escapeRegExp(encodeURIComponent(toolName))} listed=([0-9a-f,]*) -->`, \'g\')':
    'escaped literal text around one [0-9a-f,]* that must be followed by a space',
  'src/pipeline/review-pipeline.ts: new RegExp(`<!-- ${escapeRegExp(encodeURIComponent(toolName))} review head=([^ ]+) -->`)':
    'escaped literal text around one [^ ]+ that must be followed by a space',
};

/** Run-time patterns whose value is known: tested like the literals. */
const NAME = '[A-Za-z_][A-Za-z0-9_]*';
const KNOWN_DYNAMIC: Found[] = [
  { where: 'src/engine/python.ts IMPORT_ITEM', source: `^(${NAME}(?:\\s*\\.\\s*${NAME})*)(?:\\s+as\\s+(${NAME}))?$`, flags: '' },
  { where: 'src/engine/python.ts word pattern', source: '\\b(?:to_py|requests|http|urllib3)\\b', flags: 'g' },
  { where: 'src/pipeline/review-pipeline.ts listed marker', source: '<!-- pyworkers-review listed=([0-9a-f,]*) -->', flags: 'g' },
  { where: 'src/pipeline/review-pipeline.ts head marker', source: '<!-- pyworkers-review review head=([^ ]+) -->', flags: '' },
];

function sourceFiles(): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(p);
    }
  };
  walk(join(REPO, 'src'));
  walk(join(REPO, 'rules'));
  return out;
}

function collect(): { literals: Found[]; dynamic: string[] } {
  const literals: Found[] = [];
  const dynamic: string[] = [];
  for (const file of sourceFiles()) {
    const rel = relative(REPO, file).split(sep).join('/');
    const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
    const visit = (node: ts.Node) => {
      if (ts.isRegularExpressionLiteral(node)) {
        const text = node.text;
        const slash = text.lastIndexOf('/');
        const line = sf.getLineAndCharacterOfPosition(node.getStart()).line + 1;
        literals.push({ where: `${rel}:${line}`, source: text.slice(1, slash), flags: text.slice(slash + 1) });
      } else if ((ts.isNewExpression(node) || ts.isCallExpression(node)) && ts.isIdentifier(node.expression) && node.expression.text === 'RegExp') {
        const [pattern, flags] = node.arguments ?? [];
        const line = sf.getLineAndCharacterOfPosition(node.getStart()).line + 1;
        if (pattern && ts.isStringLiteralLike(pattern) && (!flags || ts.isStringLiteralLike(flags))) {
          literals.push({ where: `${rel}:${line}`, source: pattern.text, flags: flags && ts.isStringLiteralLike(flags) ? flags.text : '' });
        } else {
          dynamic.push(`${rel}: ${node.getText(sf).replace(/\s+/g, ' ')}`);
        }
      }
      ts.forEachChild(node, visit);
    };
    visit(sf);
  }
  return { literals, dynamic };
}

// The worker: builds attack strings from a pattern's own characters and runs the pattern over them
// as matchAll/replace do (global or sticky) or once (otherwise); posts a message after each pattern.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const CANDIDATES = [...'aAzZ09_ -.,:;=!?"\\'#/\\\\()[]{}<>@$%^&*+|~\`\\t\\n\\r\\u00e9\\u00a0\\u2028\\0', '\\u{1F600}'];
function atoms(source, flags) {
  const out = [];
  const single = flags.replace(/[gy]/g, '');
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\\\') {
      const n = source[i + 1];
      i++;
      const cls = { d: '1', w: 'a', s: ' ', D: 'a', W: '!', S: 'a', n: '\\n', r: '\\r', t: '\\t', f: '\\f', v: '\\v', '0': '\\0' }[n];
      if (cls) out.push(cls);
      else if (n === 'b' || n === 'B' || /[1-9]/.test(n)) continue;
      else if (n === 'x') { out.push(String.fromCharCode(parseInt(source.slice(i + 1, i + 3), 16))); i += 2; }
      else if (n === 'u' && source[i + 1] === '{') { const e = source.indexOf('}', i); out.push(String.fromCodePoint(parseInt(source.slice(i + 2, e), 16))); i = e; }
      else if (n === 'u') { out.push(String.fromCharCode(parseInt(source.slice(i + 1, i + 5), 16))); i += 4; }
      else if (n === 'p' || n === 'P') { const e = source.indexOf('}', i); i = e; out.push('a'); }
      else if (n === 'k') { const e = source.indexOf('>', i); i = e; }
      else out.push(n);
    } else if (c === '[') {
      let j = i + 1;
      if (source[j] === '^') j++;
      if (source[j] === ']') j++;
      for (; j < source.length && source[j] !== ']'; j++) if (source[j] === '\\\\') j++;
      const cls = new RegExp(source.slice(i, j + 1), single);
      const hits = CANDIDATES.filter((x) => cls.test(x)).slice(0, 3);
      out.push(...hits);
      i = j;
    } else if (c === '(') {
      if (source[i + 1] === '?') {
        i++;
        if (source[i + 1] === '<' && source[i + 2] !== '=' && source[i + 2] !== '!') i = source.indexOf('>', i);
        else i++;
      }
    } else if (c === '{' && /^\\{\\d*,?\\d*\\}/.test(source.slice(i))) {
      i = source.indexOf('}', i);
    } else if ('|)?*+^$'.includes(c)) {
      continue;
    } else if (c === '.') {
      out.push('a');
    } else {
      out.push(c);
    }
  }
  return out;
}
function attacks(source, flags) {
  const a = atoms(source, flags);
  const set = new Set();
  const N = 50000;
  for (const c of new Set(a)) for (const e of ['!', '\\0']) set.add(c.repeat(N) + e);
  for (let k = 0; k < a.length && k < 24; k++) {
    const prefix = a.slice(0, k).join('');
    set.add(prefix + a[k].repeat(N) + '\\0');
    if (k + 1 < a.length && a[k] !== a[k + 1]) set.add(prefix + (a[k] + a[k + 1]).repeat(N / 2) + '\\0');
  }
  return [...set];
}
function run(re, s) {
  if (!re.global && !re.sticky) { re.exec(s); return; }
  re.lastIndex = 0;
  for (let n = 0; n <= s.length + 1; n++) {
    const m = re.exec(s);
    if (!m) return;
    if (m[0] === '') re.lastIndex++;
    if (re.sticky && !re.global && m[0] === '') return;
  }
}
for (const p of workerData.patterns) {
  const started = Date.now();
  let inputs = 0;
  let error = null;
  let worst = { ms: 0, input: '' };
  try {
    const re = new RegExp(p.source, p.flags);
    for (const s of attacks(p.source, p.flags)) {
      let ms = Infinity;
      // A slow input is timed twice more and the fastest run counts, so that a pause of the machine is not blamed on the pattern.
      for (let k = 0; k < 3 && ms > workerData.slow; k++) {
        const t = Date.now();
        run(re, s);
        ms = Math.min(ms, Date.now() - t);
      }
      inputs++;
      if (ms > worst.ms) worst = { ms, input: JSON.stringify(s.slice(0, 12)) + '… (' + s.length + ' chars) …' + JSON.stringify(s.slice(-3)) };
    }
  } catch (e) { error = String(e); }
  parentPort.postMessage({ ms: Date.now() - started, inputs, error, worst });
}
`;

/**
 * Generous bounds. On one of these inputs a linear pattern takes well under a millisecond, a
 * quadratic one about a second (50,000² steps), an exponential one forever.
 */
const SLOW_INPUT_MS = 100;
const STALL_MS = 10_000;

interface Outcome {
  pattern: Found;
  ms: number;
  inputs: number;
  error: string | null;
  worst: { ms: number; input: string };
  stalled?: boolean;
}

/** Runs the patterns in a worker thread; a pattern that stalls is recorded and the rest run in a fresh worker. */
async function runAll(patterns: Found[]): Promise<Outcome[]> {
  const out: Outcome[] = [];
  let rest = patterns;
  while (rest.length > 0) {
    const batch = rest;
    const done = await new Promise<number>((resolve, reject) => {
      const worker = new Worker(WORKER, { eval: true, workerData: { patterns: batch, slow: SLOW_INPUT_MS } });
      let n = 0;
      let timer: NodeJS.Timeout;
      const arm = () => {
        clearTimeout(timer);
        timer = setTimeout(() => {
          void worker.terminate();
          out.push({ pattern: batch[n], ms: STALL_MS, inputs: 0, error: null, worst: { ms: STALL_MS, input: '(stalled)' }, stalled: true });
          resolve(n + 1);
        }, STALL_MS);
      };
      arm();
      worker.on('message', (m: Omit<Outcome, 'pattern'>) => {
        out.push({ pattern: batch[n], ...m });
        n++;
        if (n === batch.length) {
          clearTimeout(timer);
          void worker.terminate();
          resolve(n);
        } else arm();
      });
      worker.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
    });
    rest = batch.slice(done);
  }
  return out;
}

describe('regular expressions', () => {
  const { literals, dynamic } = collect();

  it('every pattern built at run time is reviewed (listed in DYNAMIC with why it is safe)', () => {
    expect(dynamic.filter((d) => !(d in DYNAMIC))).toEqual([]);
  });

  it('no pattern backtracks catastrophically on long runs of its own characters', async () => {
    const patterns = [...literals, ...KNOWN_DYNAMIC];
    expect(patterns.length).toBeGreaterThan(50);
    const outcomes = await runAll(patterns);
    const bad = outcomes
      .filter((o) => o.stalled || o.worst.ms > SLOW_INPUT_MS || o.error)
      .map((o) => `/${o.pattern.source}/${o.pattern.flags} (${o.pattern.where}): ${o.error ?? (o.stalled ? `stalled over ${STALL_MS} ms` : `${o.worst.ms} ms on ${o.worst.input}`)}`);
    const inputs = outcomes.reduce((n, o) => n + o.inputs, 0);
    const slowest = [...outcomes].sort((a, b) => b.worst.ms - a.worst.ms).slice(0, 5);
    console.log(
      `regex: ${patterns.length} patterns (${literals.length} in the source, ${KNOWN_DYNAMIC.length} built at run time), ${inputs} pathological inputs of 50,000 characters; slowest single inputs: ${slowest
        .map((o) => `${o.pattern.where} ${o.worst.ms} ms`)
        .join(', ')}`,
    );
    expect(bad).toEqual([]);
  }, 120_000);
});
