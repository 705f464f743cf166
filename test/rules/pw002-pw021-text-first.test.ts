// PW002, PW003, PW004, PW006, PW007, PW009, PW011, PW012, PW014, PW018, PW019, PW020 and PW021 read
// the text before asking the tree (which words can matter in a file, which trigger hits can lead
// to a finding, which module-level statements to make). Those shortcuts must never change a finding: here every rule runs both ways
// over sources made to sit on the edges of the text readers (comments, line continuations, line
// breaks tree-sitter skips, tabs, CRLF, a BOM, syntax errors…) and over the benchmark corpus, and
// the findings must be identical.
import { afterEach, describe, expect, it } from 'vitest';
import { generateCorpus } from '../../bench/corpus.js';
import { rule as pw002 } from '../../rules/pw002-legacy-global-handler.js';
import { rule as pw003 } from '../../rules/pw003-sync-http-client.js';
import { rule as pw004 } from '../../rules/pw004-to-py-import.js';
import { rule as pw018 } from '../../rules/pw018-stdlib-unavailable.js';
import { rule as pw019 } from '../../rules/pw019-handler-too-few-parameters.js';
import { rule as pw020 } from '../../rules/pw020-entrypoint-method-on-prefix.js';
import { rule as pw021 } from '../../rules/pw021-global-handler-without-on-prefix.js';
import { rule as pw011 } from '../../rules/pw011-d1-results-to-py.js';
import { rule as pw014 } from '../../rules/pw014-queue-body-to-py.js';
import { rule as pw006 } from '../../rules/pw006-js-eval.js';
import { rule as pw007 } from '../../rules/pw007-to-js-dict-converter.js';
import { rule as pw009 } from '../../rules/pw009-entropy-at-import-time.js';
import { rule as pw012 } from '../../rules/pw012-htmlrewriter-data-urls.js';
import { definedNames, mentions } from '../../rules/lib/entrypoints.js';
import { importBindings, importedModuleNames, nextTokenAt, qualifiedName, textShortcuts, tokenBefore } from '../../rules/lib/python-edits.js';
import { analyze, PythonSource, type Finding, type Rule, type SourceFile } from '../../src/engine/index.js';
import type { PythonContext } from '../../src/engine/rule.js';
import { workerFiles, type Profile } from '../helpers/rule-tester.js';

// PW011 and PW014 read D1 values and queue bodies from the text first (rules/lib/d1.ts) too, and
// PW006, PW007, PW009 and PW012 drop trigger hits the text shows no call can follow (mayContinueToCall).
const RULES = [pw002, pw003, pw004, pw006, pw007, pw009, pw011, pw012, pw014, pw018, pw019, pw020, pw021];

/** Findings with every shortcut on, and with none: no text shortcut and a full walk instead of triggers. */
function bothWays(rule: Rule, files: SourceFile[]): { fast: Finding[]; tree: Finding[] } {
  textShortcuts.enabled = true;
  const fast = analyze({ files, rules: [rule] });
  textShortcuts.enabled = false;
  const tree = analyze({ files, rules: [{ ...rule, triggers: undefined }] });
  textShortcuts.enabled = true;
  expect(fast.ruleErrors).toEqual([]);
  expect(tree.ruleErrors).toEqual([]);
  return { fast: fast.findings, tree: tree.findings };
}

afterEach(() => {
  textShortcuts.enabled = true;
});

const PROFILES: Record<string, Profile> = {
  'legacy handlers, Python 3.12': { date: '2025-03-10' },
  'class handlers, Python 3.13': { date: '2025-11-01' },
  'Python 3.14': { date: '2026-07-01', flags: ['python_workers_20260610'], sdk: 'vendored' },
};

const ENTRY = 'from workers import WorkerEntrypoint, Response, handler\n';

/** Sources on the edges of the text readers; each holds something at least one rule reports. */
const SOURCES: Record<string, string> = {
  'handlers at module level': `${ENTRY}\n@handler\nasync def on_fetch(request, env):\n    return Response("ok")\n\nasync def scheduled(controller, env, ctx):\n    pass\n\nasync def queue(batch, env):\n    pass\n`,
  'handler names in a class, an if, a nested def, a string and a comment': `${ENTRY}\nclass Default(WorkerEntrypoint):\n    async def on_fetch(self, request):\n        def on_queue(batch, env):\n            pass\n        return on_queue\n\n    async def queue(self, batch):\n        pass\n\nif True:\n    async def on_fetch(request, env):\n        pass\n    async def fetch(request, env):\n        pass\n\nDOC = "async def on_scheduled(controller, env, ctx)"\n# def scheduled(controller, env, ctx)\n`,
  'decorators on several lines': `${ENTRY}import workers\nfrom workers import handler as h\n\n@h\n\n@staticmethod\nasync def cron(controller, env, ctx):\n    pass\n\n@workers.handler\n@other(\n    1,\n)\nasync def scheduled(controller, env, ctx):\n    pass\n\n@ workers . \\\n    handler\ndef queue(batch, env):\n    pass\n\n@handler()\ndef task(event):\n    pass\n`,
  'a comment between def and the name (tree-sitter skips it)': `${ENTRY}\nclass Default(WorkerEntrypoint):\n    async def # the queue handler\n    queue(self, batch):\n        pass\n\n    def # old name\n        on_scheduled(self, controller):\n        pass\n\nasync def # legacy\non_fetch(request, env):\n    pass\n`,
  'line continuations and line breaks after def': `${ENTRY}\nclass Default(WorkerEntrypoint):\n    async def \\\n        scheduled(self, controller):\n        pass\n\nasync def\nfetch(request, env):\n    pass\n\ndef \\\n  on_queue(batch, env):\n    pass\n`,
  'tabs': `${ENTRY}\nclass Default(WorkerEntrypoint):\n\tasync def\tqueue(self, batch):\n\t\tpass\n\n\tasync def on_fetch(self, request):\n\t\treturn Response("x")\n\n@handler\nasync def\tscheduled(controller, env, ctx):\n\tpass\n`,
  'a module-level def indented after another statement (tree-sitter reads it at module level)': `${ENTRY}x = 1\n  async def fetch(request, env):\n    pass\n\n  def on_scheduled(controller, env, ctx):\n    pass\n`,
  'base classes bound every way': 'from workers import WorkerEntrypoint\nfrom workers import *\nimport workers as w\n\nclass A(WorkerEntrypoint):\n    async def queue(self, batch):\n        pass\n\nWorkerEntrypoint = object\n\nclass B(WorkerEntrypoint):\n    async def scheduled(self, controller):\n        pass\n\nclass C(w.WorkerEntrypoint, DurableObject):\n    async def on_queue(self, batch, env, ctx):\n        pass\n\nif True:\n    class WorkerEntrypoint:\n        pass\n\n@decorate\nclass DurableObject:\n    pass\n\nclass D(DurableObject, WorkerEntrypoint):\n    async def queue(self, batch):\n        pass\n',
  'imports of unavailable modules, spelled every way': 'import os, \\\n    tkinter.font\nfrom\\\n  curses import wrapper\nimport json, idlelib\nimport os, venv as v\nfrom  # where\n  dbm import whichdb\nimport  # where\n  lib2to3\nimport threading as t\nfrom concurrent import futures\nfrom multiprocessing.pool import ThreadPool as TP\nimport socket\n\nresource = 1\nprint(socket, resource)\nworker = t.Thread(target=print)\nfutures.ThreadPoolExecutor(2)\nx = (t\n    .Timer(1, print))\nTP(2)\ns = socket.create_connection(("h", 1))\nNOTE = "import tkinter; threading.Thread()"\n',
  'sync HTTP clients': 'import requests as http\nimport urllib.parse\nfrom urllib.request import urlopen as get_url\nfrom http.client import HTTPConnection\nfrom urllib.parse import urlparse\nimport httpx, urllib3\n\nasync def f(u):\n    r = http.get(u)\n    urllib.request.urlopen(u)\n    get_url(u)\n    HTTPConnection("h")\n    urlparse(u)\n    c = httpx.Client()\n    p = (urllib3\n        .PoolManager())\n    return http .\\\n        post(u)\n\ndef g(u):\n    yield from requests.get(u)\n',
  'imports after comments that end in from or in an import list': '# what we fetch comes from\nimport requests\n# see import a,\nimport tkinter\n# from m\nimport http.client\nrequests.get("u")\nhttp.client.HTTPConnection("h")\n',
  'to_py imported and called': 'from pyodide.ffi import (to_js,\n    to_py)\nimport pyodide\nimport pyodide.ffi as f\nfrom pyodide import ffi\nfrom\\\n  pyodide.ffi import to_py as tp\n\nrows = to_py(results)\nrows = pyodide.ffi.to_py(results)\nrows = f.to_py(results)\nrows = ffi.to_py(results)\nrows = tp(results)\nrows = results.to_py()\n',
  'a syntax error': `${ENTRY}import tkinter\nfrom pyodide.ffi import to_py\nimport requests\n\n@handler\nasync def on_fetch(request, env:\n    return requests.get(to_py(request))\n\nclass Default(WorkerEntrypoint):\n    async def queue(self, batch):\n        pass\n\nasync def scheduled(controller, env, ctx):\n    pass\n`,
};

/** Sources where nothing is to be reported, though the words the rules look for are there. */
const SILENT: Record<string, string> = {
  'the SDK name rebound by a class whose name follows a comment': 'from workers import WorkerEntrypoint\n\nclass # the local base\nWorkerEntrypoint:\n    pass\n\nclass E(WorkerEntrypoint):\n    async def queue(self, batch):\n        pass\n',
  'base classes that are not the SDK\'s': 'from mylib import WorkerEntrypoint\n\nclass A(WorkerEntrypoint):\n    async def queue(self, batch):\n        pass\n\nclass DurableObject:\n    pass\n\nclass B(DurableObject):\n    async def on_queue(self, batch):\n        pass\n\nfrom workers import WorkflowEntrypoint\nclass WorkflowEntrypoint:\n    pass\n\nclass C(WorkflowEntrypoint):\n    async def on_fetch(self, request):\n        pass\n',
  'names of Object.prototype': `${ENTRY}\ndef constructor(request, env):\n    pass\n\ndef toString(request, env):\n    pass\n\nclass Default(WorkerEntrypoint):\n    def constructor(self, batch):\n        pass\n\n    def hasOwnProperty(self, request):\n        pass\n`,
  'guarded and relative imports': 'try:\n    import curses\nexcept ImportError:\n    curses = None\nfrom .tkinter import thing\nfrom . import threading\nthreading.Thread(target=print)\n',
  'HTTP names that lead nowhere': 'from urllib.parse import urlparse, quote\nimport json\n\nhttp = "http://example.com"\nrequests = [http]\nurllib = {"requests": requests}\nprint(urllib, requests.count(http))\n',
  'to_py only as a method': 'from pyodide.ffi import to_js  # to_py is a method\nrows = results.results.to_py()\nrows = (await request.json()).  to_py()\n',
};

/** The same sources with CRLF line ends, lone CR line ends and a byte order mark. */
function variants(text: string): Record<string, string> {
  return { LF: text, CRLF: text.replace(/\n/g, '\r\n'), CR: text.replace(/\n/g, '\r'), BOM: `\ufeff${text}` };
}

describe('text shortcuts find what the tree finds', () => {
  const cases = [...Object.entries(SOURCES).map(([name, code]) => ({ name, code, silent: false })), ...Object.entries(SILENT).map(([name, code]) => ({ name, code, silent: true }))];
  for (const { name, code, silent } of cases) {
    it(name, () => {
      let found = 0;
      for (const [kind, text] of Object.entries(variants(code))) {
        for (const [label, profile] of Object.entries(PROFILES)) {
          const files = Object.entries(workerFiles(profile, 'src/entry.py', text)).map(([path, t]) => ({ path, text: t }));
          for (const rule of RULES) {
            const { fast, tree } = bothWays(rule, files);
            expect(fast, `${rule.meta.code}, ${kind}, ${label}`).toEqual(tree);
            found += fast.filter((f) => f.code === rule.meta.code).length;
          }
        }
      }
      // A source is there for findings on its edges, or for silence.
      if (silent) expect(found).toBe(0);
      else expect(found).toBeGreaterThan(0);
    });
  }

  it('the benchmark corpus, with handlers and imports added to entry modules', () => {
    const corpus = generateCorpus(300_000, 3);
    const python = corpus.python.map((f) =>
      f.path.endsWith('/entry.py') ? { ...f, text: f.text.replace('class Default(WorkerEntrypoint):', `${SOURCES['sync HTTP clients']}\n${SOURCES['handlers at module level']}\nclass Default(WorkerEntrypoint):`) } : f,
    );
    const found: Record<string, number> = {};
    for (const rule of RULES) {
      const { fast, tree } = bothWays(rule, [...python, ...corpus.configs]);
      expect(fast, rule.meta.code).toEqual(tree);
      found[rule.meta.code] = fast.filter((f) => f.code === rule.meta.code).length;
    }
    // The corpus has D1 reads for PW011's text paths to decide (the other rules' edges are above).
    expect(found.PW011).toBeGreaterThan(10);
  });
});

describe('text readers', () => {
  const source = (text: string) => new PythonSource('src/entry.py', text);
  const ctxOf = (text: string) => ({ source: source(text), text }) as unknown as PythonContext;

  it('tokenBefore: the token before an offset, or null where a comment may hide it', () => {
    const at = (text: string, word: string) => tokenBefore(source(text), text.indexOf(word));
    expect(at('def fetch(): pass\n', 'fetch')).toBe('def');
    expect(at('def \\\n  fetch(): pass\n', 'fetch')).toBe('def');
    expect(at('def\r\n fetch(): pass\r\n', 'fetch')).toBe('def');
    expect(at('x = 1  # a comment\nfetch()\n', 'fetch')).toBeNull();
    expect(at('await fetch(u)\n', 'fetch')).toBe('await');
    expect(at('f(a, fetch)\n', 'fetch')).toBe(',');
    expect(at('fetch()\n', 'fetch')).toBe('');
    expect(at('é = 1\nfetch()\n', 'fetch')).toBe('1');
    expect(at('xé fetch\n', 'fetch')).toBeNull();
  });

  it('nextTokenAt skips blanks, continuations and comments', () => {
    const text = 'a \\\n  # c\n  .b';
    expect(text[nextTokenAt(source(text), 1)]).toBe('.');
  });

  it('definedNames: a name counts where it follows def', () => {
    expect(definedNames(ctxOf('fetch(u)\nx.queue()\n"def scheduled"\n'), ['fetch', 'queue', 'scheduled'])).toEqual(['scheduled']);
    expect(definedNames(ctxOf('await fetch(u)\nqueue = []\n'), ['fetch', 'queue'])).toEqual([]);
    // The name after `def` is read forwards, past blanks, continuations and comments.
    expect(definedNames(ctxOf('x = 1  # note\nqueue = []\n'), ['queue'])).toEqual([]);
    expect(definedNames(ctxOf('def # note\n  queue(): pass\nasync def \\\n fetch(): pass\n'), ['queue', 'fetch'])).toEqual(['queue', 'fetch']);
    expect(definedNames(ctxOf('define(queue)\nundef = fetch\nx._def = scheduled\n'), ['queue', 'fetch', 'scheduled'])).toEqual([]);
    expect(definedNames(ctxOf('def queueé(): pass\n'), ['queue'])).toEqual([]);
    // A file with a syntax error: every name counts.
    expect(definedNames(ctxOf('def f(:\n    pass\n'), ['fetch'])).toEqual(['fetch']);
    // A name it does not read is a mistake of the rule's, with or without syntax errors.
    expect(() => definedNames(ctxOf('def f(): pass\n'), ['f'])).toThrow();
    expect(() => definedNames(ctxOf('def f(:\n'), ['f'])).toThrow();
  });

  it('mentions: a whole word, searched from a part of it', () => {
    expect(mentions(ctxOf('x = error_handler\nhandlers = 1\n'), 'handler', 3)).toBe(false);
    expect(mentions(ctxOf('x = error_handler\n@handler\ndef f(): pass\n'), 'handler', 3)).toBe(true);
    expect(mentions(ctxOf('"handler"\n'), 'handler')).toBe(true);
    expect(mentions(ctxOf('dler = 1\n'), 'handler', 3)).toBe(false);
  });

  it('importedModuleNames reads the modules of import statements', () => {
    const file = source('import a.b as c, d\nfrom e.f import (g, h)\nfrom . import i\nfrom\\\n  j import k\nimport l, \\\n  m\ns = "import n, import o"\n');
    const names = importedModuleNames(file);
    // More than the modules (words of a string), never fewer.
    expect(names.imported).toEqual(['a.b', 'd', 'l', 'm', 'n', 'o']);
    expect(names.fromModules).toEqual(['e.f', 'j']);
    expect([...names.heads.imported]).toEqual(['a', 'd', 'l', 'm', 'n', 'o']);
    expect([...names.heads.from]).toEqual(['e', 'j']);
    expect(importBindings(file, 'e.f').map((b) => `${b.local}=${qualifiedName(b)}`)).toEqual(['g=e.f.g', 'h=e.f.h']);
    expect(importBindings(file).map((b) => ({ local: b.local, qualified: qualifiedName(b) }))).toEqual([
      { local: 'c', qualified: 'a.b' },
      { local: 'd', qualified: 'd' },
      { local: 'g', qualified: 'e.f.g' },
      { local: 'h', qualified: 'e.f.h' },
      { local: 'i', qualified: '..i' },
      { local: 'k', qualified: 'j.k' },
      { local: 'l', qualified: 'l' },
      { local: 'm', qualified: 'm' },
      { local: 'n', qualified: 'n' },
      { local: 'o', qualified: 'o' },
    ]);
  });

  it('importedModuleNames: a comment before an import is read forwards, and never hides the import after it', () => {
    const read = (text: string) => {
      const file = source(text);
      const names = importedModuleNames(file);
      return { imported: names.imported, from: names.fromModules, bindings: importBindings(file).map((b) => `${b.local}=${qualifiedName(b)}`) };
    };
    // A comment ending in `from` or in `import a,` before an import line (read forwards, the names
    // after such words once hid the import on the next line).
    expect(read('# data comes from\nimport requests\n')).toEqual({ imported: ['requests'], from: [], bindings: ['requests=requests'] });
    expect(read('# see import a,\nimport requests\n').imported).toEqual(['a', 'requests']);
    expect(read('# from m\nimport requests\n').imported).toEqual(['requests']);
    // A comment inside a statement: the `from` words are read forwards.
    expect(read('from a  # note\n  .b import c\nimport d\n')).toEqual({ imported: ['d'], from: ['a.b'], bindings: ['c=a.b.c', 'd=d'] });
    // `from m` ending a statement on the line before an import: the names are read both ways.
    expect(read('def g():\n    yield from m\nimport requests as r, json\n')).toEqual({
      imported: ['requests', 'json'],
      from: ['m'],
      bindings: ['r=m.requests', 'json=m.json', 'r=requests', 'json=json'],
    });
    expect(read('from .base import (\n    WorkerEntrypoint as W,  # the base\n    x,\n)\nfrom .. import y\n').bindings).toEqual(['W=.base.WorkerEntrypoint', 'x=.base.x', 'y=...y']);
  });

  it('most files ask for no trigger scan', () => {
    const text = generateCorpus(20_000, 5).python[1]!.text;
    const files = Object.entries(workerFiles({ date: '2025-11-01' }, 'src/entry.py', text)).map(([path, t]) => ({ path, text: t }));
    for (const rule of [pw003, pw018, pw019, pw020]) {
      let asked: string[] | undefined;
      analyze({ files, rules: [{ ...rule, triggersFor: (ctx) => (asked = rule.triggersFor!(ctx)) }] });
      expect(asked, rule.meta.code).toEqual([]);
    }
  });
});
