#!/usr/bin/env node
// Measures which standard-library modules import and work in each Pyodide release the
// Workers runtimes use, by loading the npm builds (devDependencies pyodide-0.26,
// pyodide-0.28, pyodide-314) offline in Node, and writes rules/data/stdlib-pyodide.json.
//
// Usage: node scripts/verify-pyodide-stdlib.mjs [--check]
//   --check  do not write; exit 1 when the committed file differs from a fresh run.
//
// Every Pyodide version runs in its own child process. Checks run one at a time and the
// parent kills the child when a check takes longer than CHECK_TIMEOUT_MS, records that
// check as a time-out and starts a fresh child for the remaining checks, so nothing hangs.
//
// What this measures is Pyodide itself under Node. The Workers runtime differs in places
// (sockets above all: runtime-facts.md says they work only on the 3.14 runtime); the
// rules combine this file with the runtime facts, they do not read it alone.

import { spawn } from 'node:child_process';
import http from 'node:http';
import net from 'node:net';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { stableJson } from './generate-pyodide-packages.mjs';

const SELF = fileURLToPath(import.meta.url);
const ROOT = join(dirname(SELF), '..');
const OUT = join(ROOT, 'rules', 'data', 'stdlib-pyodide.json');
const CHECK_TIMEOUT_MS = 20_000;
const LOAD_TIMEOUT_MS = 120_000;

const VERSIONS = [
  { key: '0.26', npmFolder: 'pyodide-0.26' },
  { key: '0.28', npmFolder: 'pyodide-0.28' },
  { key: '314', npmFolder: 'pyodide-314' },
];

// Network checks talk only to servers this script starts on 127.0.0.1 (see startServers):
// {ECHO_PORT} echoes bytes back, {HTTP_PORT} answers every GET with "ok", {CLOSED_PORT}
// had a listener that was closed again. The snippets keep these placeholders in the JSON.

/**
 * Modules to check. `use` holds small Python snippets that exercise the module the way
 * application code typically would; a snippet passes when it finishes without raising
 * (top-level `await` is allowed). Modules without `use` get "use": "not-tested".
 */
const MODULES = {
  // gotcha 18: "cannot import" group and the modules they depend on
  pty: { use: ['import pty\npty.openpty()'] },
  tty: {},
  termios: { use: ['import termios\ntermios.tcgetattr(0)'] },
  // gotcha 18: "excluded entirely"
  curses: {},
  dbm: {},
  ensurepip: {},
  fcntl: {},
  grp: {},
  idlelib: {},
  lib2to3: {},
  msvcrt: {},
  pwd: {},
  resource: {},
  syslog: {},
  tkinter: {},
  turtle: {},
  venv: {},
  winreg: {},
  winsound: {},
  readline: {},
  // gotcha 18: "not functional"
  threading: {
    use: [
      'import threading\nt = threading.Thread(target=lambda: None)\nt.start()\nt.join(2)\nassert not t.is_alive(), "thread did not finish"',
    ],
  },
  multiprocessing: {
    use: [
      'import multiprocessing\nwith multiprocessing.Pool(1) as p:\n    p.map(abs, [1])',
      'import multiprocessing\np = multiprocessing.Process(target=abs, args=(1,))\np.start()\np.join(2)',
    ],
  },
  'concurrent.futures': {
    use: ['import concurrent.futures\nwith concurrent.futures.ThreadPoolExecutor(1) as ex:\n    ex.submit(abs, 1).result(2)'],
  },
  subprocess: { use: ['import subprocess\nsubprocess.run(["true"], timeout=2)'] },
  socket: {
    use: [
      // a real round trip through a TCP server
      'import socket\nwith socket.create_connection(("127.0.0.1", {ECHO_PORT}), timeout=2) as s:\n    s.sendall(b"ping")\n    got = s.recv(4)\nassert got == b"ping", f"echo server answered {got!r}"',
      // a port nobody listens on must be refused; a "successful" connect means the socket layer is emulated
      'import socket\ns = socket.socket(socket.AF_INET, socket.SOCK_STREAM)\ns.settimeout(2)\ntry:\n    s.connect(("127.0.0.1", {CLOSED_PORT}))\nexcept ConnectionRefusedError:\n    pass\nelse:\n    raise AssertionError("connect() to a closed port reported success")\nfinally:\n    s.close()',
    ],
  },
  select: {},
  'urllib.request': {
    use: ['import urllib.request\nbody = urllib.request.urlopen("http://127.0.0.1:{HTTP_PORT}/", timeout=2).read()\nassert body == b"ok", body'],
  },
  'http.client': {
    use: [
      'import http.client\nc = http.client.HTTPConnection("127.0.0.1", {HTTP_PORT}, timeout=2)\nc.request("GET", "/")\nbody = c.getresponse().read()\nassert body == b"ok", body',
    ],
  },
  // gotcha 18: "limited"
  decimal: {
    use: ['import decimal\nassert decimal.Decimal("1.1") + decimal.Decimal("2.2") == decimal.Decimal("3.3")'],
  },
  _decimal: {},
  _pydecimal: {},
  webbrowser: { use: ['import webbrowser\nassert webbrowser.open("http://127.0.0.1:9/") is True, "webbrowser.open returned False"'] },
  // split off ("unvendored") into separate packages in some Pyodide lines
  sqlite3: { use: ['import sqlite3\nassert sqlite3.connect(":memory:").execute("select 1").fetchone() == (1,)'] },
  ssl: { use: ['import ssl\nssl.create_default_context()'] },
  lzma: { use: ['import lzma\nassert lzma.decompress(lzma.compress(b"x")) == b"x"'] },
  hashlib: { use: ['import hashlib\nhashlib.sha256(b"x").hexdigest()\nhashlib.md5(b"x").hexdigest()'] },
  pydoc_data: {},
  // often used from Workers code; expected to work
  // awaited on Pyodide's own event loop, as a Worker handler would; asyncio.run() is not
  // how Workers code runs and fails under Node for reasons unrelated to Workers
  asyncio: { use: ['import asyncio\nawait asyncio.sleep(0)\nassert asyncio.get_running_loop() is not None'] },
  zoneinfo: { use: ['import zoneinfo\nzoneinfo.ZoneInfo("Europe/Paris")'] },
  ctypes: {},
};

/** Python helper installed once per child: runs a snippet and describes the outcome. */
const PY_HELPER = `
def _pwr_describe(exc):
    cls = type(exc)
    name = cls.__qualname__ if cls.__module__ == "builtins" else f"{cls.__module__}.{cls.__qualname__}"
    # KeyError subclasses (e.g. ZoneInfoNotFoundError) quote their text in str(); use the raw text
    text = exc.args[0] if isinstance(exc, KeyError) and exc.args and isinstance(exc.args[0], str) else str(exc)
    msg = text.strip().splitlines()
    msg = msg[0].strip() if msg else ""
    if len(msg) > 300:
        msg = msg[:297] + "..."
    return {"type": name, "message": msg}

async def _pwr_run(code):
    import ast, inspect, json
    try:
        compiled = compile(code, "<check>", "exec", flags=ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
        result = eval(compiled, {"__name__": "__pwr_check__"})
        if inspect.iscoroutine(result):
            await result
        return json.dumps({"ok": True})
    except BaseException as exc:
        return json.dumps({"ok": False, **_pwr_describe(exc)})
`;

// ---------------------------------------------------------------- child process

async function child(versionKey, checkIds, ports) {
  const version = VERSIONS.find((v) => v.key === versionKey);
  const folder = join(ROOT, 'node_modules', version.npmFolder);
  const { loadPyodide } = await import(pathToFileURL(join(folder, 'pyodide.mjs')).href);
  const noise = [];
  const py = await loadPyodide({
    indexURL: folder + '/',
    stdout: (line) => noise.push(line),
    stderr: (line) => noise.push(line),
  });
  py.runPython(PY_HELPER);
  const meta = {
    pyodide: py.version,
    python: py.runPython('import sys; ".".join(map(str, sys.version_info[:3]))'),
  };
  process.stdout.write(`META ${JSON.stringify(meta)}\n`);
  for (const id of checkIds) {
    const check = checkById(id);
    const code = check.code.replace(/\{(ECHO|HTTP|CLOSED)_PORT\}/g, (_, k) => String(ports[k]));
    process.stdout.write(`START ${JSON.stringify(id)}\n`);
    const text = await py.runPythonAsync(`await _pwr_run(${JSON.stringify(code)})`);
    const result = JSON.parse(text);
    // keep the output independent of the ports picked for this run
    if (result.message) {
      for (const [k, port] of Object.entries(ports)) result.message = result.message.split(String(port)).join(`{${k}_PORT}`);
    }
    process.stdout.write(`RESULT ${JSON.stringify({ id, ...result })}\n`);
  }
}

/** Check ids: "import:<module>" and "use:<module>:<index>". */
function allCheckIds() {
  const ids = [];
  for (const [mod, spec] of Object.entries(MODULES)) {
    ids.push(`import:${mod}`);
    (spec.use ?? []).forEach((_, i) => ids.push(`use:${mod}:${i}`));
  }
  return ids;
}

function checkById(id) {
  const [kind, mod, index] = id.split(':');
  if (kind === 'import') return { kind, mod, code: `import ${mod}` };
  return { kind, mod, code: MODULES[mod].use[Number(index)] };
}

// ---------------------------------------------------------------- parent process

/** Runs the given checks in one child; resolves with what it managed before finishing or timing out. */
function runChild(versionKey, checkIds, ports) {
  return new Promise((resolve) => {
    const proc = spawn(process.execPath, [SELF, '--child', versionKey, JSON.stringify(checkIds), JSON.stringify(ports)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const results = new Map();
    let meta = null;
    let current = null;
    let timedOut = null;
    let buffer = '';
    let stderr = '';
    let timer = null;
    const arm = (ms) => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        timedOut = current ?? '<load>';
        proc.kill('SIGKILL');
      }, ms);
    };
    arm(LOAD_TIMEOUT_MS);
    proc.stdout.on('data', (chunk) => {
      buffer += chunk;
      let nl;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        if (line.startsWith('META ')) meta = JSON.parse(line.slice(5));
        else if (line.startsWith('START ')) {
          current = JSON.parse(line.slice(6));
          arm(CHECK_TIMEOUT_MS);
        } else if (line.startsWith('RESULT ')) {
          const r = JSON.parse(line.slice(7));
          results.set(r.id, r);
          current = null;
        }
      }
    });
    proc.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    proc.on('close', (code) => {
      clearTimeout(timer);
      resolve({ meta, results, timedOut, code, stderr });
    });
  });
}

async function measureVersion(versionKey, ports) {
  let pending = allCheckIds();
  const results = new Map();
  let meta = null;
  while (pending.length > 0) {
    const run = await runChild(versionKey, pending, ports);
    if (!run.meta) {
      const why = run.timedOut ? `timed out after ${LOAD_TIMEOUT_MS} ms while loading` : run.stderr.trim().split('\n').slice(-3).join(' | ');
      return { loadError: why || `child exited with code ${run.code}` };
    }
    meta = run.meta;
    for (const [id, r] of run.results) results.set(id, r);
    if (run.timedOut) {
      results.set(run.timedOut, { id: run.timedOut, ok: false, type: 'Timeout', message: `no answer within ${CHECK_TIMEOUT_MS / 1000} s; the process was killed` });
    } else if (run.code !== 0 && results.size < pending.length) {
      const stuck = pending.find((id) => !results.has(id));
      results.set(stuck, { id: stuck, ok: false, type: 'Crash', message: `Node process exited with code ${run.code}: ${run.stderr.trim().split('\n').pop() ?? ''}` });
    }
    pending = pending.filter((id) => !results.has(id));
  }
  return { meta, results };
}

function summarise(results) {
  const modules = {};
  for (const [mod, spec] of Object.entries(MODULES)) {
    const imp = results.get(`import:${mod}`);
    const entry = { import: imp.ok ? 'ok' : 'fails' };
    if (!imp.ok) entry.importError = `${imp.type}: ${imp.message}`;
    const uses = spec.use ?? [];
    if (uses.length === 0) {
      entry.use = 'not-tested';
    } else {
      entry.useChecks = uses.map((code, i) => {
        const r = results.get(`use:${mod}:${i}`);
        return r.ok ? { code, result: 'ok' } : { code, result: 'fails', error: `${r.type}: ${r.message}` };
      });
      const failed = entry.useChecks.find((c) => c.result === 'fails');
      entry.use = failed ? 'fails' : 'ok';
      if (failed) entry.useError = failed.error;
    }
    modules[mod] = entry;
  }
  return modules;
}

/** Marks modules that the lock lists as separately shipped stdlib parts (cpython_module). */
function unvendoredByImport(npmFolder) {
  const lock = JSON.parse(readFileSync(join(ROOT, 'node_modules', npmFolder, 'pyodide-lock.json'), 'utf8'));
  const map = {};
  for (const pkg of Object.values(lock.packages)) {
    if (pkg.package_type !== 'cpython_module') continue;
    for (const imp of pkg.imports ?? []) map[imp] = pkg.name;
  }
  return map;
}

/** Loopback TCP echo server, HTTP server and a freed port for the network checks. */
async function startServers() {
  const listen = (server) =>
    new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve(server.address().port));
    });
  const echo = net.createServer((sock) => {
    sock.on('error', () => {});
    sock.pipe(sock);
  });
  const web = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '2' });
    res.end('ok');
  });
  const spare = net.createServer();
  const ports = { ECHO: await listen(echo), HTTP: await listen(web), CLOSED: await listen(spare) };
  await new Promise((resolve) => spare.close(resolve));
  const stop = () => {
    echo.close();
    web.close();
    web.closeAllConnections?.();
  };
  return { ports, stop };
}

async function main() {
  const check = process.argv.includes('--check');
  const { ports, stop } = await startServers();
  try {
    await measureAll(check);
  } finally {
    stop();
  }

  async function measureAll(check) {
  const versions = {};
  for (const v of VERSIONS) {
    const folder = join(ROOT, 'node_modules', v.npmFolder);
    const npmVersion = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')).version;
    const verifiedWith = `node ${process.version} + npm pyodide@${npmVersion}`;
    process.stderr.write(`${v.key}: ${verifiedWith} ... `);
    const measured = await measureVersion(v.key, ports);
    if (measured.loadError) {
      process.stderr.write(`did not load: ${measured.loadError}\n`);
      versions[v.key] = { verifiedWith, loads: false, loadError: measured.loadError, modules: {} };
      continue;
    }
    const modules = summarise(measured.results);
    const unvendored = unvendoredByImport(v.npmFolder);
    for (const [mod, entry] of Object.entries(modules)) {
      if (unvendored[mod]) entry.lockPackage = unvendored[mod];
    }
    versions[v.key] = {
      verifiedWith,
      loads: true,
      pyodide: measured.meta.pyodide,
      python: measured.meta.python,
      modules,
    };
    const failing = Object.entries(modules)
      .filter(([, e]) => e.import === 'fails')
      .map(([m]) => m);
    process.stderr.write(`python ${measured.meta.python}; import fails: ${failing.join(', ')}\n`);
  }

  const doc = {
    generatedBy: 'scripts/verify-pyodide-stdlib.mjs',
    $comment:
      'Measured by running each npm Pyodide build offline in Node. "import" is the result of a plain ' +
      '`import X`; "use" summarises useChecks (small snippets; {ECHO_PORT}, {HTTP_PORT} and {CLOSED_PORT} ' +
      'stand for a TCP echo server, an HTTP server answering "ok" and a closed port, all on 127.0.0.1 and ' +
      'started by the script). lockPackage names ' +
      'the separately shipped package (package_type cpython_module) that the lock offers for a module. ' +
      'Pyodide under Node is not the Workers runtime: see rules/data/README.md before relying on "use", ' +
      'especially for socket, urllib.request and http.client.',
    versions,
  };
  const text = stableJson(doc);
  if (check) {
    const current = existsSync(OUT) ? readFileSync(OUT, 'utf8') : '';
    if (current !== text) {
      console.error(`${relative(ROOT, OUT)} differs from a fresh measurement`);
      process.exit(1);
    }
    console.log(`${relative(ROOT, OUT)} is up to date`);
    return;
  }
  writeFileSync(OUT, text);
  console.log(`wrote ${relative(ROOT, OUT)} (${text.length} bytes)`);
  }
}

if (process.argv[2] === '--child') {
  child(process.argv[3], JSON.parse(process.argv[4]), JSON.parse(process.argv[5])).then(
    () => process.exit(0),
    (err) => {
      process.stderr.write(`${err?.stack ?? err}\n`);
      process.exit(2);
    },
  );
} else {
  main().catch((err) => {
    console.error(`error: ${err?.stack ?? err}`);
    process.exit(1);
  });
}
