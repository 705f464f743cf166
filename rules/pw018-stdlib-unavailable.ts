import type { PythonContext, Rule } from '../src/engine/rule.js';
import type { SyntaxNode } from '../src/engine/python.js';
import type { RuntimeProfile } from '../src/engine/types.js';
import { readPackageJson } from '../src/engine/package-root.js';
import { charAfter, importedModuleNames, readsTextFirst, tokenBefore } from './lib/python-edits.js';

type Version = '0.26' | '0.28' | '314';
const VERSIONS: readonly Version[] = ['0.26', '0.28', '314'];
const PYTHON_OF: Record<Version, string> = { '0.26': '3.12', '0.28': '3.13', '314': '3.14' };

interface ModuleResult {
  import: 'ok' | 'fails';
  importError?: string;
  use: 'ok' | 'fails' | 'not-tested';
  useError?: string;
  lockPackage?: string;
}

interface StdlibData {
  versions: Record<Version, { modules: Record<string, ModuleResult> }>;
}

let data: StdlibData | null = null;
/** What each Pyodide build did with each module, measured offline (rules/data/stdlib-pyodide.json). */
function stdlib(): StdlibData {
  return (data ??= readPackageJson<StdlibData>('rules/data/stdlib-pyodide.json'));
}

function result(version: Version, module: string): ModuleResult | undefined {
  return stdlib().versions[version]?.modules[module];
}

/**
 * An import that fails for lack of the module. Modules the lock offers as a separate package
 * (ssl, sqlite3, lzma on 0.26/0.28) failed in Node only because that package was not loaded.
 */
function importFails(version: Version, module: string): boolean {
  const r = result(version, module);
  return r?.import === 'fails' && !r.lockPackage;
}

/** Calls that need what Pyodide lacks (threads, processes, a browser), by the module measured. */
const USE_CALLS: Record<string, string> = {
  'threading.Thread': 'threading',
  'threading.Timer': 'threading',
  'concurrent.futures.ThreadPoolExecutor': 'concurrent.futures',
  'concurrent.futures.ProcessPoolExecutor': 'concurrent.futures',
  'multiprocessing.Pool': 'multiprocessing',
  'multiprocessing.Process': 'multiprocessing',
  'multiprocessing.pool.Pool': 'multiprocessing',
  'multiprocessing.pool.ThreadPool': 'multiprocessing',
  'subprocess.run': 'subprocess',
  'subprocess.Popen': 'subprocess',
  'subprocess.call': 'subprocess',
  'subprocess.check_call': 'subprocess',
  'subprocess.check_output': 'subprocess',
  'subprocess.getoutput': 'subprocess',
  'subprocess.getstatusoutput': 'subprocess',
  'webbrowser.open': 'webbrowser',
  'webbrowser.open_new': 'webbrowser',
  'webbrowser.open_new_tab': 'webbrowser',
};

/** What WebAssembly in the Workers runtime does not offer, per module measured. */
const LACKS: Record<string, string> = {
  threading: 'WebAssembly has no threads',
  'concurrent.futures': 'WebAssembly has no threads or processes',
  multiprocessing: 'WebAssembly has no processes',
  subprocess: 'WebAssembly has no processes',
  webbrowser: 'there is no browser window',
};

/** Raw TCP: Pyodide in Node is no guide here; the runtime provides sockets only on 3.14. */
const SOCKET_CALLS = new Set(['socket.socket', 'socket.create_connection', 'socket.create_server']);

let triggers: string[] | null = null;
/** Module names whose presence in a file can matter, for the trigger index. */
function triggerWords(): string[] {
  if (triggers) return triggers;
  const words = new Set<string>(['socket']);
  for (const call of Object.keys(USE_CALLS)) words.add(call.split('.')[0]);
  for (const v of VERSIONS) {
    for (const module of Object.keys(stdlib().versions[v].modules)) if (importFails(v, module)) words.add(module.split('.')[0]);
  }
  return (triggers = [...words].sort());
}

let triggerWordSet: Set<string> | null = null;
function triggerSet(): Set<string> {
  return (triggerWordSet ??= new Set(triggerWords()));
}

/** The versions a claim must hold for: the profile's, or all of them when the runtime is unknown. */
function versionsFor(profile: RuntimeProfile): readonly Version[] {
  return profile.known && profile.pyodide ? [profile.pyodide] : VERSIONS;
}

function runtimeName(v: Version): string {
  return `Python ${PYTHON_OF[v]} (Pyodide ${v})`;
}

/** True inside `try:` with an `except` that catches ImportError, or under `if TYPE_CHECKING:`. */
function isGuarded(stmt: SyntaxNode): boolean {
  for (let n: SyntaxNode | null = stmt; n && n.type !== 'function_definition' && n.type !== 'module'; n = n.parent) {
    const parent = n.parent;
    if (n.type === 'block' && parent?.type === 'try_statement' && parent.childForFieldName('body')?.startIndex === n.startIndex) {
      const handlers = parent.namedChildren.filter((c) => c.type === 'except_clause' || c.type === 'except_group_clause');
      if (handlers.some((h) => !h.namedChildren.some((c) => c.type !== 'block') || /\b(ImportError|ModuleNotFoundError|Exception|BaseException)\b/.test(h.namedChildren.find((c) => c.type !== 'block')?.text ?? ''))) {
        return true;
      }
    }
    if (n.type === 'if_statement' && /\bTYPE_CHECKING\b/.test(n.childForFieldName('condition')?.text ?? '')) return true;
  }
  return false;
}

/** The modules an import statement loads, with the node naming each. */
function importedModules(stmt: SyntaxNode): { module: string; node: SyntaxNode }[] {
  if (stmt.type === 'import_from_statement') {
    const m = stmt.childForFieldName('module_name');
    return m && m.type === 'dotted_name' ? [{ module: m.text, node: m }] : [];
  }
  const out: { module: string; node: SyntaxNode }[] = [];
  for (const item of stmt.namedChildren) {
    const name = item.type === 'aliased_import' ? item.childForFieldName('name') : item.type === 'dotted_name' ? item : null;
    if (name) out.push({ module: name.text, node: name });
  }
  return out;
}

function checkImport(ctx: PythonContext, stmt: SyntaxNode): void {
  if (isGuarded(stmt)) return;
  const versions = versionsFor(ctx.profile);
  for (const { module, node } of importedModules(stmt)) {
    const parts = module.split('.');
    // The shortest failing prefix is the one the error names (`tkinter` for `tkinter.font`).
    const failing = parts.map((_, i) => parts.slice(0, i + 1).join('.')).find((m) => versions.every((v) => importFails(v, m)));
    if (!failing) continue;
    const everywhere = VERSIONS.every((v) => importFails(v, failing));
    const error = result(versions[0], failing)?.importError ?? 'ModuleNotFoundError';
    if (everywhere) {
      ctx.reportNode(node, `\`${failing}\` is not in Pyodide's standard library: importing it raises ${error} on every Python Workers runtime`);
    } else {
      const works = VERSIONS.filter((v) => result(v, failing)?.import === 'ok').map(runtimeName);
      ctx.reportNode(
        node,
        `\`${failing}\` cannot be imported on ${runtimeName(versions[0])}: ${error}${works.length ? `; it imports on ${works.join(', ')}` : ''}`,
      );
    }
  }
}

function checkCall(ctx: PythonContext, call: SyntaxNode): void {
  const fn = call.childForFieldName('function');
  const qualified = fn ? ctx.resolve(fn) : null;
  if (!qualified) return;
  const module = USE_CALLS[qualified];
  if (module) {
    const versions = versionsFor(ctx.profile);
    if (!versions.every((v) => result(v, module)?.use === 'fails')) return;
    const error = result(versions[0], module)?.useError ?? 'an error';
    const where = versions.length === VERSIONS.length ? 'every Python Workers runtime' : runtimeName(versions[0]);
    ctx.reportNode(
      call,
      `\`${qualified}\` cannot run on ${where}, although \`${module}\` imports: ${LACKS[module] ?? 'Pyodide lacks what it needs'} (${error})`,
      undefined,
      'warning',
    );
    return;
  }
  const python = ctx.profile.known ? ctx.profile.python : null;
  if (SOCKET_CALLS.has(qualified) && (python === '3.12' || python === '3.13')) {
    ctx.reportNode(
      call,
      `\`${qualified}\` needs raw sockets, which the Workers runtime provides only on Python 3.14 (python_workers_20260610); this Worker runs Python ${python}: use fetch or a binding`,
      undefined,
      'warning',
    );
  }
}

export const rule: Rule = {
  meta: {
    code: 'PW018',
    name: 'stdlib-unavailable',
    gotcha: 18,
    severity: 'error',
    languages: ['python'],
    docs: {
      summary: 'Standard-library modules that cannot be imported, or used, in the Worker\'s Pyodide',
      whatItDoes:
        'Reports imports of standard-library modules that Pyodide does not ship (`tkinter`, `curses`, `dbm`, `venv`, `ensurepip`, `idlelib`, `lib2to3`, `readline`, `pwd`, `grp`, `resource`, `syslog`, ...) and of modules missing on the Worker\'s Pyodide version (`pty`, `tty`, `termios`, `fcntl` before Python 3.14). As warnings, it reports calls that import fine but fail when run: starting threads (`threading.Thread`, `ThreadPoolExecutor`), processes (`multiprocessing.Pool`/`Process`, `subprocess.run`), `webbrowser.open`, and raw sockets (`socket.socket`, `socket.create_connection`) on runtimes without them. A bare `import threading` or `import socket` is not reported, nor an import guarded by `try: ... except ImportError`.',
      whyItBreaks:
        'Python Workers run CPython compiled to WebAssembly (Pyodide). Its standard library leaves out modules that need a terminal, a GUI, a package installer or OS services; importing one raises ModuleNotFoundError and the Worker fails to start. `termios` (and with it `pty` and `tty`) arrives only with Pyodide 314. WebAssembly has no threads or child processes, so `Thread.start()` raises RuntimeError and `Pool()` fails, although the modules import. Raw sockets are available to Python only on the 3.14 runtime.',
      whenItHolds:
        'Per module and runtime, from `rules/data/stdlib-pyodide.json` (each Pyodide build run offline in Node: 0.26 for Python 3.12, 0.28 for 3.13, 314 for 3.14). Modules no build can import are reported on every runtime, an unknown one included; version-specific imports and uses only when the Worker\'s profile is known. Sockets follow the runtime, not Node: reported on Python 3.12 and 3.13, silent on 3.14 (`python_workers_20260610`). `ssl`, `sqlite3` and `lzma`, which Pyodide 0.26/0.28 ship as separate packages, are not reported.',
      example: 'import threading\nimport tkinter.font\n\nsender = threading.Thread(target=post_summary)\nsender.start()',
      useInstead: '# no GUI toolkit in a Worker; for work after the response, hand a coroutine to waitUntil:\nself.ctx.waitUntil(self.post_summary())',
      fixSafety: 'No automatic fix: a missing module needs another approach (a binding, `fetch`, `ctx.waitUntil` for background work), not a mechanical edit.',
      references: [
        { title: 'Cloudflare: Python Workers standard library', url: 'https://developers.cloudflare.com/workers/languages/python/stdlib/' },
        { title: 'Pyodide: Python compatibility (removed and unvendored modules)', url: 'https://pyodide.org/en/stable/usage/wasm-constraints.html' },
        { title: 'Measured data: rules/data/stdlib-pyodide.json and rules/data/README.md', url: 'https://github.com/pyworkers-review/pyworkers-review/blob/main/rules/data/README.md' },
      ],
    },
  },
  get triggers() {
    return triggerWords();
  },
  // Every finding comes from an import whose module starts with a trigger word: the import itself,
  // or a call through a name it binds (`threading.Thread`, `Thread` from `from threading import
  // Thread`). Words no import of the file starts with are left out: most files need no scan.
  triggersFor(ctx) {
    const words = triggerWords();
    if (!readsTextFirst(ctx.source)) return words;
    // The few heads of the file looked up among the many words, in the words' (sorted) order.
    const { heads } = importedModuleNames(ctx.source);
    const set = triggerSet();
    const out: string[] = [];
    for (const h of heads.imported) if (set.has(h)) out.push(h);
    for (const h of heads.from) if (set.has(h) && !heads.imported.has(h)) out.push(h);
    return out.length > 1 ? out.sort() : out;
  },
  // A hit matters as the module of an import (right after `import`, `from` or a `,` of an import
  // list) or as the head of a callee (`threading.Thread(…)`, `Thread(…)`): the next token is `.`
  // or `(`. Other uses of a common word (`resource = …`, `f(socket)`) lead to nothing.
  triggerHit(ctx, _word, start, end) {
    if (!readsTextFirst(ctx.source)) return true;
    const next = charAfter(ctx.source, end);
    if (next === null || next === '.' || next === '(') return true;
    const before = tokenBefore(ctx.source, start);
    return before === null || before === 'import' || before === 'from' || before === ',';
  },
  python(ctx) {
    return {
      import_statement: (node) => checkImport(ctx, node),
      import_from_statement: (node) => checkImport(ctx, node),
      call: (node) => checkCall(ctx, node),
    };
  },
};
