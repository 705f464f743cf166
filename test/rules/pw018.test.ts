import { describe, expect, it } from 'vitest';
import { rule } from '../../rules/pw018-stdlib-unavailable.js';
import { readPackageJson } from '../../src/engine/package-root.js';
import { ruleTester } from '../helpers/rule-tester.js';

const P312 = { date: '2025-06-01' };
const P314 = { date: '2026-07-01', flags: ['python_workers_20260610'], sdk: 'vendored' as const };

ruleTester(rule, {
  valid: [
    { name: 'bare imports of modules that import fine', code: 'import threading\nimport multiprocessing\nimport socket\nimport subprocess\n' },
    { name: 'threading primitives that start nothing', code: 'import threading\n\nLOCK = threading.Lock()\nlocal = threading.local()\n' },
    { name: 'pty/tty/termios/fcntl on the 3.14 runtime', profile: P314, code: 'import pty\nimport tty\nimport termios\nimport fcntl\n' },
    { name: 'sockets on the 3.14 runtime', profile: P314, code: 'import socket\n\nasync def ping(host):\n    return socket.create_connection((host, 80))\n' },
    { name: 'guarded import with a fallback', code: 'try:\n    import curses\nexcept ImportError:\n    curses = None\n' },
    { name: 'TYPE_CHECKING import', code: 'from typing import TYPE_CHECKING\n\nif TYPE_CHECKING:\n    import tkinter\n' },
    { name: 'modules Pyodide 0.28 ships as lock packages', code: 'import ssl\nimport sqlite3\nimport lzma\n' },
    { name: 'names in strings and comments', code: '# import tkinter\nNOTE = "threading.Thread(target=f).start()"\n' },
    { name: 'a user function named Thread', code: 'def Thread(target):\n    return target\n\nThread(print)\n' },
    { name: 'sockets with an unknown runtime: not claimed', profile: { noWorker: true }, code: 'import js\nimport socket\n\ns = socket.socket()\n' },
    { name: 'pty with an unknown runtime: depends on the version', profile: { noWorker: true }, code: 'import js\nimport pty\n' },
    { name: 'outside any Worker, not Worker code', profile: { noWorker: true }, code: 'import tkinter\nimport threading\nthreading.Thread(target=print).start()\n' },
    // Text-first edges: only words an import starts with are scanned, and only hits in an import or heading a callee.
    { name: 'module names as plain variables', code: 'resource = 1\nprint(socket, resource)\npwd = "x"\nthreading = None\n' },
  ],
  invalid: [
    {
      name: 'tkinter submodule and a thread (3.13, built-in): the d1-queue-worker example',
      code: 'import threading\nimport tkinter.font\n\n\ndef later(job):\n    sender = threading.Thread(target=job, daemon=True)\n    sender.start()\n',
      errors: [
        { line: 2, column: 8, endColumn: 20, message: "`tkinter` is not in Pyodide's standard library: importing it raises ModuleNotFoundError: No module named 'tkinter' on every Python Workers runtime", severity: 'error' },
        { line: 6, column: 14, endColumn: 55, message: /^`threading.Thread` cannot run on Python 3.13 \(Pyodide 0.28\), although `threading` imports: WebAssembly has no threads \(RuntimeError: can't start new thread\)$/, severity: 'warning' },
      ],
      output: null,
    },
    {
      name: 'pty, tty and termios before 3.14 (3.12)',
      profile: P312,
      code: 'import pty\nfrom tty import setraw\nimport termios as t\n',
      errors: [
        { line: 1, column: 8, message: /^`pty` cannot be imported on Python 3.12 \(Pyodide 0.26\): ModuleNotFoundError: No module named 'termios'; it imports on Python 3.14 \(Pyodide 314\)$/ },
        { line: 2, column: 6 },
        { line: 3, column: 8, endColumn: 15 },
      ],
      output: null,
    },
    {
      name: 'process pools and subprocess under aliases (3.14, vendored)',
      profile: P314,
      code: 'from multiprocessing import Pool as P\nimport subprocess as sp\nfrom concurrent.futures import ThreadPoolExecutor\n\ndef work():\n    with P(2) as pool, ThreadPoolExecutor(2) as ex:\n        return sp.run(["ls"])\n',
      errors: [
        { line: 6, column: 10, message: /`multiprocessing.Pool` .*Python 3.14 \(Pyodide 314\).*_multiprocessing/, severity: 'warning' },
        { line: 6, column: 24, message: /ThreadPoolExecutor/ },
        { line: 7, column: 16, message: /emscripten does not support processes/ },
      ],
      output: null,
    },
    {
      name: 'raw sockets on 3.13',
      code: 'from socket import create_connection\nimport socket\n\nasync def ping(host):\n    s = socket.socket()\n    return create_connection((host, 80))\n',
      errors: [
        { line: 5, column: 9, message: /^`socket.socket` needs raw sockets, .* only on Python 3.14 .*this Worker runs Python 3.13/, severity: 'warning' },
        { line: 6, column: 12, message: /socket.create_connection/ },
      ],
      output: null,
    },
    {
      name: 'excluded everywhere, so reported for an unknown runtime too',
      profile: { noWorker: true },
      code: 'from workers import WorkerEntrypoint\nimport venv, dbm.gnu\nimport threading\n\nthreading.Thread(target=print).start()\n',
      errors: [
        { line: 2, column: 8, message: /`venv`.*every Python Workers runtime/ },
        { line: 2, column: 14, message: /`dbm`/ },
        { line: 5, column: 1, message: /cannot run on every Python Workers runtime, although/, severity: 'warning' },
      ],
      output: null,
    },
    {
      name: 'thread started at module level (3.12)',
      profile: P312,
      code: 'from threading import Timer\n\nTimer(60, print).start()\n',
      errors: [{ line: 3, column: 1, endColumn: 17, message: /^`threading.Timer` cannot run on Python 3.12 \(Pyodide 0.26\)/, severity: 'warning' }],
      output: null,
    },
    {
      name: 'import inside a function still fails (fcntl on 3.13)',
      profile: { date: '2025-10-01' },
      code: 'def lock(fd):\n    import fcntl\n    fcntl.flock(fd, fcntl.LOCK_EX)\n',
      errors: [{ line: 2, column: 12, message: /`fcntl` cannot be imported on Python 3.13/ }],
      output: null,
    },
    {
      name: 'imports after a comma, after a comment and a line break, across a line continuation',
      code: 'import json, idlelib\nfrom  # the terminal\n  curses import wrapper\nimport os, \\\n    tkinter\n',
      errors: [
        { line: 1, column: 14, endColumn: 21, message: /`idlelib` is not in Pyodide's standard library/ },
        { line: 3, column: 3, endColumn: 9, message: /`curses`/ },
        { line: 5, column: 5, endColumn: 12, message: /`tkinter`/ },
      ],
      output: null,
    },
    {
      name: 'CRLF line ends',
      code: 'import tkinter\r\nimport threading\r\nthreading.Thread(target=print).start()\r\n',
      errors: [{ line: 1, column: 8, endColumn: 15 }, { line: 3, column: 1, endColumn: 31, severity: 'warning' }],
      output: null,
    },
    {
      name: 'a callee split over lines, in a file with a syntax error',
      code: 'import threading\n\nworker = (threading\n    .Thread(target=print))\n\nprint(1 +)\n',
      errors: [{ line: 3, column: 11, endLine: 4, severity: 'warning' }],
      output: null,
    },
  ],
});

describe('PW018 stays in step with the measured Pyodide data', () => {
  const data = readPackageJson<{ versions: Record<string, { modules: Record<string, { import: string; use: string; lockPackage?: string }> }> }>(
    'rules/data/stdlib-pyodide.json',
  );
  it('has every gotcha-18 module the rule claims about, for every version', () => {
    for (const v of ['0.26', '0.28', '314']) {
      for (const m of ['curses', 'dbm', 'tkinter', 'venv', 'ensurepip', 'idlelib', 'lib2to3', 'pty', 'tty', 'termios', 'threading', 'multiprocessing', 'socket']) {
        expect(data.versions[v].modules[m], `${m} on ${v}`).toBeDefined();
      }
    }
  });
  it('triggers on every module that fails to import somewhere', () => {
    const triggers = new Set(rule.triggers);
    for (const version of Object.values(data.versions)) {
      for (const [m, r] of Object.entries(version.modules)) if (r.import === 'fails' && !r.lockPackage) expect(triggers.has(m.split('.')[0]), m).toBe(true);
    }
  });
});
