import { posix } from 'node:path';
import type { ConfigDocument, ConfigNode } from '../src/engine/config-doc.js';
import type { Rule } from '../src/engine/rule.js';
import type { Worker, Workspace } from '../src/engine/workspace.js';
import { boundScriptNames, dirOf, scriptNames } from './lib/config-helpers.js';

/** One `wrangler dev` (or `pywrangler dev`) run found in a package.json script. */
interface DevRun {
  script: string;
  node: ConfigNode;
  workers: Worker[];
  /** Words before the tool as written (`npx`, `pnpm exec`), and the tool. */
  runner: string[];
  tool: string;
  /** Arguments other than the configs. */
  args: string[];
}

export const rule: Rule = {
  meta: {
    code: 'PW017',
    name: 'separate-dev-sessions',
    gotcha: 17,
    severity: 'warning',
    languages: ['package-json'],
    fixable: 'unsafe',
    docs: {
      summary: 'package.json scripts start the two Workers of a JS→Python RPC pair as separate `wrangler dev` sessions',
      whatItDoes:
        'Reads the `scripts` of a package.json and finds each `wrangler dev` run (also through `npx`, `pnpm exec`, `concurrently "…"`, and `pywrangler dev`), with the Worker it starts: its `-c`/`--config` file, or the folder a preceding `cd` moved to. ' +
        'Reports two runs that start different Workers of one RPC pair (one binds the other through a service binding, a Durable Object or a Workflow with `script_name`) when at least one of them is a Python Worker, unless some script already starts both in one session.',
      whyItBreaks:
        'Each `wrangler dev` session serves its own Workers; a call to a Worker of another session goes through the dev registry, which (before its 2026 rewrite) does not carry RPC to a Python Worker: the caller gets "Network connection lost". One session started with several `-c` flags runs both Workers together, and RPC between them works.',
      whenItHolds:
        'Local development only; deployed Workers are not affected. It fails with wrangler 4.64.0 and older (workers-sdk issues 11438 and 12588). The 2026 rewrite of the dev registry (workers-sdk PR 12600) routes such calls across sessions, so when package.json declares a wrangler newer than 4.64.0 the finding is advice (info); one session remains what Cloudflare recommends and works with every release. Runs whose config cannot be matched to a Worker of the repository, and pairs without a binding between them, are not reported.',
      example: '// package.json\n{\n  "scripts": {\n    "dev": "wrangler dev -c py/wrangler.jsonc --port 8788 & wrangler dev -c js/wrangler.jsonc --port 8787"\n  }\n}',
      useInstead: '{\n  "scripts": {\n    "dev": "wrangler dev -c js/wrangler.jsonc -c py/wrangler.jsonc --port 8787"\n  }\n}',
      fixSafety:
        'Unsafe when one script holds just the two runs: it is replaced by one `wrangler dev` with the calling Worker\'s config first (it serves the HTTP port) and the other\'s second, keeping the caller\'s other options; the other run\'s options are dropped. Display only when the runs sit in two scripts, share a script with other commands, or use `pywrangler dev` (which syncs the Python packages first; run `pywrangler sync` before the combined command): the combined command is shown, not applied.',
      references: [
        { title: 'workers-sdk issue 11438: dev registry breaks JS to Python RPC', url: 'https://github.com/cloudflare/workers-sdk/issues/11438' },
        { title: 'workers-sdk issue 12588: RPC to Python Workers across dev sessions', url: 'https://github.com/cloudflare/workers-sdk/issues/12588' },
        { title: 'workers-sdk PR 12600: dev registry over workerd debug port RPC', url: 'https://github.com/cloudflare/workers-sdk/pull/12600' },
        { title: 'Cloudflare: developing with multiple Workers', url: 'https://developers.cloudflare.com/workers/development-testing/multi-workers/' },
      ],
    },
  },
  config(ctx) {
    const scripts = ctx.doc?.get(['scripts']);
    if (scripts?.kind !== 'object') return;
    const pkgDir = dirOf(ctx.path);
    const runs: DevRun[] = [];
    for (const node of scripts.children) {
      if (node.kind !== 'string') continue;
      const name = String(node.path[node.path.length - 1]);
      for (const run of parseScript(node.value as string, '')) {
        const workers = resolveWorkers(ctx.workspace, pkgDir, run.cwd, run.configs);
        if (workers.length) runs.push({ script: name, node, workers, runner: run.runner, tool: run.tool, args: run.args });
      }
    }
    const recentWrangler = wranglerNewerThanKnownBroken(ctx.doc!);
    const together = (a: Worker, b: Worker) => runs.some((r) => r.workers.includes(a) && r.workers.includes(b));
    const reported = new Set<string>();
    for (let i = 0; i < runs.length; i++) {
      for (let j = i + 1; j < runs.length; j++) {
        const pair = rpcPair(runs[i], runs[j]);
        if (!pair || together(pair.caller, pair.callee)) continue;
        const key = `${pair.caller.configPath}|${pair.callee.configPath}`;
        if (reported.has(key)) continue;
        reported.add(key);
        const a = runs[i];
        const b = runs[j];
        const callerRun = a.workers.includes(pair.caller) ? a : b;
        const command = combined(callerRun, pair.caller, pair.callee, pkgDir);
        const sameScript = a.node === b.node;
        // pywrangler syncs the Python packages before it starts wrangler: replacing it is for a person to decide.
        const viaPywrangler = [a, b].some((r) => r.tool.endsWith('pywrangler'));
        const onlyTheseRuns =
          sameScript && !viaPywrangler && runs.filter((r) => r.node === a.node).length === 2 && scriptIsOnlyDevRuns(a.node.value as string);
        const python = pair.callee.python ? pair.callee : pair.caller;
        const what = `${sameScript ? `Script \`${a.script}\` starts` : `Scripts \`${a.script}\` and \`${b.script}\` start`} ${pair.caller.configPath} and ${pair.callee.configPath} in two \`wrangler dev\` sessions, but ${pair.caller.configPath} calls ${pair.callee.configPath} (${python === pair.callee ? 'a Python Worker' : 'from a Python Worker'}) over RPC`;
        ctx.report({
          start: a.node.start,
          end: a.node.end,
          severity: recentWrangler ? 'info' : undefined,
          message: recentWrangler
            ? `${what}: wrangler ${recentWrangler} may route that across sessions (dev registry rewrite, workers-sdk PR 12600), older releases fail with "Network connection lost"; one session works with every release: \`${command}\``
            : `${what}, which fails across sessions ("Network connection lost"): run both in one, \`${command}\``,
          fix: {
            applicability: onlyTheseRuns ? 'unsafe' : 'display',
            description: `Start both Workers in one session: \`${command}\``,
            edits: [{ start: a.node.start, end: a.node.end, text: JSON.stringify(command) }],
          },
        });
      }
    }
  },
};

/** Last wrangler release known to fail (workers-sdk issue 12588); the dev registry rewrite came after it. */
const LAST_BROKEN_WRANGLER = [4, 64, 0];

/** The declared wrangler range when its lowest version is newer than the last one known to fail, else null. */
function wranglerNewerThanKnownBroken(doc: ConfigDocument): string | null {
  for (const field of ['devDependencies', 'dependencies']) {
    const range = doc.get([field, 'wrangler'])?.value;
    if (typeof range !== 'string') continue;
    // Leading blanks trimmed first: two \s* around an optional operator backtrack quadratically.
    const m = /^(?:[\^~]|>=?|=)?\s*v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(range.trimStart());
    if (!m) return null;
    const version = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
    const newer = version.findIndex((n, i) => n !== LAST_BROKEN_WRANGLER[i]);
    return newer >= 0 && version[newer] > LAST_BROKEN_WRANGLER[newer] ? range : null;
  }
  return null;
}

/** The caller and callee when two runs start the two Workers of an RPC pair with Python in it. */
function rpcPair(a: DevRun, b: DevRun): { caller: Worker; callee: Worker } | null {
  for (const x of a.workers) {
    for (const y of b.workers) {
      if (x === y || !(x.python || y.python) || !x.config || !y.config) continue;
      if (binds(x, y)) return { caller: x, callee: y };
      if (binds(y, x)) return { caller: y, callee: x };
    }
  }
  return null;
}

function binds(from: Worker, to: Worker): boolean {
  const targets = boundScriptNames(from.config!);
  return [...scriptNames(to.config!)].some((n) => targets.has(n));
}

function combined(run: DevRun, caller: Worker, callee: Worker, pkgDir: string): string {
  const rel = (w: Worker) => (pkgDir ? posix.relative(pkgDir, w.configPath) : w.configPath);
  // pywrangler passes its arguments to wrangler; with two Workers, call wrangler itself.
  const tool = run.tool.endsWith('pywrangler') ? ['npx', 'wrangler'] : [...run.runner, run.tool];
  return [...tool, 'dev', '-c', rel(caller), '-c', rel(callee), ...run.args].map(shellWord).join(' ');
}

function shellWord(w: string): string {
  return /^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`;
}

function resolveWorkers(workspace: Workspace, pkgDir: string, cwd: string | null, configs: string[]): Worker[] {
  if (cwd === null) return [];
  const base = joinPath(pkgDir, cwd);
  if (!configs.length) {
    const w = workspace.workers.find((x) => x.root === base);
    return w ? [w] : [];
  }
  return configs.map((c) => workspace.workers.find((w) => w.configPath === joinPath(base, c))).filter((w): w is Worker => w !== undefined);
}

function joinPath(a: string, b: string): string {
  const p = posix.normalize(posix.join(a || '.', b || '.'));
  return p === '.' ? '' : p.replace(/\/$/, '');
}

// ---- a small reading of shell command lines ----

interface Command {
  words: string[];
  /** The operator after the command: &&, ||, ;, &, | or '' at the end. */
  next: string;
}

/** Split a command line into simple commands, honouring quotes; subshell parentheses separate too. */
export function splitCommands(line: string): Command[] {
  const out: Command[] = [];
  let words: string[] = [];
  let word: string | null = null;
  const endWord = () => {
    if (word !== null) words.push(word);
    word = null;
  };
  const endCommand = (op: string) => {
    endWord();
    if (words.length || op) out.push({ words, next: op });
    words = [];
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === "'" || c === '"') {
      const close = line.indexOf(c, i + 1);
      const end = close < 0 ? line.length : close;
      word = (word ?? '') + line.slice(i + 1, end).replace(c === '"' ? /\\(["\\$`])/g : /$^/, '$1');
      i = end;
    } else if (c === '\\' && i + 1 < line.length) {
      word = (word ?? '') + line[++i];
    } else if (/\s/.test(c)) {
      if (c === '\n') endCommand(';');
      else endWord();
    } else if (c === '&' || c === '|') {
      const op = line[i + 1] === c ? c + c : c;
      i += op.length - 1;
      endCommand(op);
    } else if (c === ';' || c === '(' || c === ')') {
      endCommand(c === ';' ? ';' : '&');
    } else {
      word = (word ?? '') + c;
    }
  }
  endCommand('');
  return out.filter((c) => c.words.length);
}

const RUNNERS: Record<string, number> = { npx: 1, bunx: 1, pnpx: 1, uvx: 1 };
const RUNNERS_WITH_VERB = new Set(['pnpm', 'yarn', 'bun', 'npm', 'uv']);
const VERBS = new Set(['exec', 'x', 'dlx', 'run']);
const PARALLEL = new Set(['concurrently', 'npm-run-all', 'run-p', 'run-s']);

interface ParsedRun {
  cwd: string | null;
  configs: string[];
  runner: string[];
  tool: string;
  args: string[];
}

/** The `wrangler dev` runs of a script, with the folder each runs in (relative to the package). */
export function parseScript(line: string, startCwd: string | null, depth = 0): ParsedRun[] {
  const runs: ParsedRun[] = [];
  let cwd = startCwd;
  for (const cmd of splitCommands(line)) {
    const words = [...cmd.words];
    while (words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0])) words.shift();
    if (words[0] === 'cd') {
      const target = words[1];
      cwd = target === undefined || target.startsWith('~') || target.startsWith('$') || cwd === null ? null : target.startsWith('/') ? null : joinPath(cwd, target);
    } else {
      const runner: string[] = [];
      for (;;) {
        const w = words[0];
        if (w === undefined) break;
        if (RUNNERS[w]) {
          runner.push(words.shift()!);
          while (words[0]?.startsWith('-')) runner.push(words.shift()!);
        } else if (RUNNERS_WITH_VERB.has(w) && VERBS.has(words[1] ?? '') && /wrangler$/.test(words[2] ?? '')) {
          runner.push(words.shift()!, words.shift()!);
        } else if ((w === 'pnpm' || w === 'yarn') && /wrangler$/.test(words[1] ?? '')) {
          runner.push(words.shift()!);
        } else if (w === '--') {
          runner.push(words.shift()!);
        } else break;
      }
      const tool = words[0] ?? '';
      if (/(^|\/)(py)?wrangler$/.test(tool) && words[1] === 'dev') {
        runs.push({ cwd, ...readDevArgs(words.slice(2)), runner, tool });
      } else if (PARALLEL.has(tool) && depth < 2) {
        for (const w of words.slice(1)) if (/\s/.test(w)) runs.push(...parseScript(w, cwd, depth + 1));
      }
    }
    // A background or piped command runs in its own shell: its `cd` does not carry over.
    if (cmd.next === '&' || cmd.next === '|') cwd = startCwd;
  }
  return runs;
}

function readDevArgs(args: string[]): { configs: string[]; args: string[] } {
  const configs: string[] = [];
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const eq = /^(?:-c|--config)=(.+)$/.exec(a);
    if (eq) configs.push(eq[1]);
    else if ((a === '-c' || a === '--config') && i + 1 < args.length) configs.push(args[++i]);
    else rest.push(a);
  }
  return { configs, args: rest };
}

/** True when a script is nothing but `wrangler dev` runs (and `cd`s between them). */
function scriptIsOnlyDevRuns(line: string): boolean {
  return splitCommands(line).every((c) => {
    const words = c.words.filter((w) => !/^[A-Za-z_][A-Za-z0-9_]*=/.test(w));
    if (words[0] === 'cd') return true;
    const i = words.findIndex((w) => /(^|\/)(py)?wrangler$/.test(w));
    return i >= 0 && words[i + 1] === 'dev';
  });
}
