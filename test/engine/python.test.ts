import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PythonSource } from '../../src/engine/index.js';
import { importBindings, qualifiedName, readsTextFirst } from '../../src/engine/python-text.js';
import { bracketsBeyond, excessiveNesting, PathWalker, type PathLevel } from '../../src/engine/python.js';

const CORPUS = join(import.meta.dirname, '../corpus/good');

function resolveAt(code: string, needle: string): string | null {
  const src = new PythonSource('a.py', code);
  const at = code.lastIndexOf(needle);
  let node = src.root.descendantForIndex(at, at + needle.length);
  while (node.parent && node.endIndex - node.startIndex < needle.length) node = node.parent;
  return src.resolve(node);
}

describe('import resolution', () => {
  it.each([
    ['import requests\nrequests.get(u)\n', 'requests.get', 'requests.get'],
    ['import requests as r\nr.get(u)\n', 'r.get', 'requests.get'],
    ['from requests import get\nget(u)\n', 'get', 'requests.get'],
    ['from requests import get as fetch_sync\nfetch_sync(u)\n', 'fetch_sync', 'requests.get'],
    ['import urllib.request\nurllib.request.urlopen(u)\n', 'urllib.request.urlopen', 'urllib.request.urlopen'],
    ['import urllib.request as ur\nur.urlopen(u)\n', 'ur.urlopen', 'urllib.request.urlopen'],
    ['from pyodide import ffi\nffi.to_js(x)\n', 'ffi.to_js', 'pyodide.ffi.to_js'],
    ['def f():\n    import js\n    js.eval("1")\n', 'js.eval', 'js.eval'],
  ])('%j: %s → %s', (code, needle, expected) => {
    expect(resolveAt(code, needle)).toBe(expected);
  });

  it.each([
    ['requests.get(u)\n', 'requests.get', 'not imported'],
    ['import requests\ndef f(requests):\n    requests.get(u)\n', 'requests.get', 'parameter shadows the import'],
    ['import random\ndef f():\n    random = Dice()\n    random.choice(x)\n', 'random.choice', 'local assignment shadows'],
    ['import random\nrandom = Dice()\nrandom.choice(x)\n', 'random.choice', 'module-level reassignment'],
    ['def f():\n    import js\njs.eval("1")\n', 'js.eval', 'import local to another function'],
    ['import js\nclass A:\n    def m(self):\n        for js in items:\n            js.eval(1)\n', 'js.eval', 'loop variable shadows'],
  ])('%j: %s is not resolved (%s)', (code, needle) => {
    expect(resolveAt(code, needle)).toBeNull();
  });

  it('finds identifiers, not words in strings or comments', () => {
    const src = new PythonSource('a.py', 'x = "to_py"  # to_py\ny = to_py\nz = a.to_py()\n');
    const hits = src.findIdentifiers(new Set(['to_py']));
    expect(hits.map((h) => h.startPosition.row)).toEqual([1, 2]);
  });
});

describe('node start offsets', () => {
  // PythonSource reads a node's start from the node itself instead of asking the native side; every
  // node of real files, with non-ASCII text, CRLF and lone CR, must agree with the tree cursor.
  const texts = [
    ...(readdirSync(CORPUS, { recursive: true }) as string[]).filter((f) => f.endsWith('.py')).map((f) => readFileSync(join(CORPUS, f), 'utf8')),
    'x = "é😀"\r\ny = 1\rz = [\n  "\\u00e9",  # ü\n]\n',
    'def f(:\n  )) é\n',
  ];
  it.each(texts.map((t, i) => [i, t]))('file %i: node.startIndex is the native offset for every node', (_i, text) => {
    const src = new PythonSource('a.py', text as string);
    const cursor = src.root.walk();
    let nodes = 0;
    for (;;) {
      expect(cursor.currentNode.startIndex).toBe(cursor.startIndex);
      nodes++;
      if (cursor.gotoFirstChild()) continue;
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) {
          expect(nodes).toBeGreaterThan(3);
          return;
        }
      }
    }
  });
});

describe('import bindings, from the text and from the tree', () => {
  const files = (readdirSync(CORPUS, { recursive: true }) as string[]).filter((f) => f.endsWith('.py')).map((f) => readFileSync(join(CORPUS, f), 'utf8'));
  const examples = join(import.meta.dirname, '../../examples');
  const exampleFiles = (readdirSync(examples, { recursive: true }) as string[]).filter((f) => f.endsWith('.py')).map((f) => readFileSync(join(examples, f), 'utf8'));
  const snippets = [
    'import requests as r, os\nfrom pyodide.ffi import (\n    to_js as js_of,\n    create_proxy,\n)\n',
    'from urllib import \\\n    request as ur\n',
    'x = 1; import requests as r\n',
    'if True: import os as o\n',
    'from pyodide.ffi import (to_js,  # converts\n    create_proxy)\n',
    '"""\nimport requests as r\n"""\nimport json\n',
    'def f():\n    from random import choice as pick\n    return pick([1])\n',
    'from .import requests\n',
    'from . import to_js\r\nimport os\r\n',
    'import café, requests.adapters as ra\n',
    'import a.b.c, d.e as f\nfrom g import *\nfrom h import (i as j,\n    k)  # note\n',
    'from \\\n  x.y import z as w\nimport m as n; import o\n',
    'class C:\n    def f(self):\n        import requests as r\n        return r\n',
    'try:\n    import ujson as json\nexcept ImportError:\n    import json\n',
    'from .. import (a)\nfrom .x.y import b as c\n',
    // Non-ASCII names send imports() to the statement's nodes.
    'import a .\\\n b as café\nfrom . a import (b .\n c as d, é)\nfrom .. x . y import (zé as w)\n',
  ];
  // The runner takes aliases of trigger words from the text's bindings in trees without errors:
  // they must hold every binding the tree's reading finds (more is allowed: words of strings).
  it.each([...files, ...exampleFiles, ...snippets].map((t, i) => [i, t]))('text %i: the bindings read from the text hold every import binding', (_i, text) => {
    const source = new PythonSource('a.py', text as string);
    expect(readsTextFirst(source)).toBe(true);
    const read = new Set(importBindings(source).map((b) => `${b.local}=${qualifiedName(b)}`));
    const missing = source.imports().map((b) => `${b.local}=${b.qualified}`).filter((pair) => !read.has(pair));
    expect(missing).toEqual([]);
  });
  it('reads a dotted name from its nodes without the blanks, continuations and comments inside it', () => {
    const pairs = (text: string) => new PythonSource('a.py', text).imports().map((b) => `${b.local}=${b.qualified}`);
    expect(pairs('import a .\\\n b as café\n')).toEqual(['café=a.b']);
    expect(pairs('from .. x . y import (zé as w)\n')).toEqual(['w=..x.y.zé']);
    expect(pairs('from . \\\n a import (é)\n')).toEqual(['é=.a.é']);
  });
});

describe('excessiveNesting (brackets deeper than Python accepts)', () => {
  /** The same question answered the slow way: every character, skipping string contents and comments. */
  function reference(text: string, limit: number): number {
    const root = new PythonSource('x.py', text).root;
    const skipped = new Uint8Array(text.length);
    for (const n of root.descendantsOfType(['string_content', 'comment'])) skipped.fill(1, n.startIndex, n.endIndex);
    let depth = 0;
    for (let i = 0; i < text.length; i++) {
      if (skipped[i]) continue;
      const c = text[i];
      if ('([{'.includes(c)) {
        if (++depth > limit) return i;
      } else if (')]}'.includes(c) && depth > 0) depth--;
    }
    return -1;
  }

  const cases: [string, string][] = [
    ['flat', 'x = (1, [2], {3: 4})\n'],
    ['at the limit', `x = ${'('.repeat(3)}1${')'.repeat(3)}\n`],
    ['one over', `x = ${'('.repeat(4)}1${')'.repeat(4)}\n`],
    ['over, brackets in a string', `x = "((((((" + (((1)))\n`],
    ['over only because of a string', `x = (((f"(((({y}"))) + 1\n`],
    ['brackets in comments', `x = ((  # ((((((\n  1))\n`],
    ['a string and a comment touching', `x = ("((((("# ((((\n)\n`],
    ['closing brackets in a string, not deep', `x = (")))" + (1))\n`],
    ['deep after a docstring', `"""((((((\n"""\nx = ((((((1))))))\n`],
    ['closing brackets first', `)))]]]}}}\nx = ((((1))))\n`],
    ['empty strings', `x = ("" + '' + (((""))))\n`],
    ['closing brackets in strings hide nothing', `x = (")" + (")" + (")" + (")" + 1))))\n`],
    ['closing brackets in a comment hide nothing', `x = (((  # )))\n  (1))))\n`],
    ['escaped quotes', `x = ("\\")" + (('\\')' + (1))))\n`],
    ['prefixed strings', `x = (r")" + (b')' + (rb")" + (1))))\n`],
    ['f-string fields count, their text does not', `x = f"){(((1)))}"\n`],
    ['f-string escaped braces', `x = (f"{{)))}}" + ((1)))\n`],
    ['nested f-strings', `x = f"{f'{(((1)))}'}"\n`],
    ['format spec with a field', `x = f"{y:>{(((w)))}}"\n`],
    ['triple-quoted f-string', `x = f"""\n)))\n{((((1))))}\n"""\n`],
    ['unterminated string ends at its line', `x = ")))\ny = ((((1))))\n`],
    ['a lone CR ends a comment', `x = (  # )))\r(((1))))\n`],
  ];
  it.each(cases)('%s', (_, text) => {
    const root = new PythonSource('x.py', text).root;
    expect(excessiveNesting(text, root, 3)).toBe(reference(text, 3));
    expect(bracketsBeyond(text, 3)).toBe(reference(text, 3));
  });

  // Strings and comments hold closing brackets too: they must not hide real nesting.
  it('agrees with the slow way on random bracket soup', () => {
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const pieces = ['(', ')', '[', ']', '{', '}', '"((("', '")))"', "'{{'", "'}]'", '# ((\n', '# ))\n', 'x', ' + ', '\n', 'f"{(a)}"', 'f")){(b)}"', '"""\n((\n"""', '""")\n)"""', 'r"\\)"'];
    for (let k = 0; k < 500; k++) {
      let text = 'x = ';
      for (let i = 0; i < 30; i++) text += pieces[Math.floor(next() * pieces.length)];
      const root = new PythonSource('x.py', text).root;
      const expected = reference(text, 2);
      expect(excessiveNesting(text, root, 2), text).toBe(expected);
      // The lexer alone reads strings and comments as the tree does: it finds the same bracket.
      expect(bracketsBeyond(text, 2), text).toBe(expected);
    }
  });
});

describe('PathWalker', () => {
  const files = readdirSync(CORPUS, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.py'));

  it('gives the path of every identifier, one level object per node, and the right node at any depth', () => {
    let seed = 3;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    let checked = 0;
    for (const file of files) {
      const text = readFileSync(join(CORPUS, file), 'utf8');
      const source = new PythonSource(file, text);
      const walker = new PathWalker(source.root);
      // Every level object seen, by node: a second object for the same node would break callers
      // that key sets by level (the runner's climbing).
      const seen = new Map<string, PathLevel>();
      for (const m of text.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)) {
        const start = m.index!;
        const end = start + m[0].length;
        const depth = walker.descend(start, end);
        // The expected path, from node objects.
        const expected: SyntaxNodeLike[] = [];
        for (let n: SyntaxNodeLike | null = source.root.descendantForIndex(start, end); n; n = n.parent) expected.unshift(n);
        const path = walker.path.slice(0, depth + 1).map((l) => `${l.type} ${l.start}-${l.end}`);
        expect(path, `${file} at ${start}`).toEqual(expected.map((n) => `${n.type} ${n.startIndex}-${n.endIndex}`));
        for (const level of walker.path.slice(0, depth + 1)) {
          const key = `${level.type} ${level.start}-${level.end}`;
          const before = seen.get(key);
          if (before) expect(before, key).toBe(level);
          else seen.set(key, level);
        }
        // Nodes asked for in any order, shallower then deeper, come back right.
        for (let k = 0; k < 3; k++) {
          const d = Math.floor(next() * (depth + 1));
          const node = walker.nodeAt(d);
          expect(`${node.type} ${node.startIndex}-${node.endIndex}`).toBe(path[d]);
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(500);
  });

  it('a walker handed back is reused from the root, and walks may overlap', () => {
    for (const file of files.slice(0, 5)) {
      const text = readFileSync(join(CORPUS, file), 'utf8');
      const source = new PythonSource(file, text);
      const words = [...text.matchAll(/[A-Za-z_][A-Za-z0-9_]*/g)].map((m) => [m.index!, m.index! + m[0].length] as const);
      const pathsOf = (walker: PathWalker, from: number) =>
        words.slice(from).map(([start, end]) => walker.path.slice(0, walker.descend(start, end) + 1).map((l) => `${l.type} ${l.start}-${l.end}`).join('/'));
      const fresh = pathsOf(new PathWalker(source.root), 0);
      const first = source.walker();
      // Half-way through one walk, another starts (a rule's walk inside the runner's).
      const firstHalf = pathsOf(first, words.length >> 1);
      const second = source.walker();
      expect(pathsOf(second, 0)).toEqual(fresh);
      source.releaseWalker(second);
      expect(firstHalf).toEqual(fresh.slice(words.length >> 1));
      source.releaseWalker(first);
      // Both cursors are back at the root: any later walk sees the whole paths again.
      const third = source.walker();
      const fourth = source.walker();
      expect(pathsOf(third, 0)).toEqual(fresh);
      expect(pathsOf(fourth, 0)).toEqual(fresh);
    }
  });
});

interface SyntaxNodeLike {
  type: string;
  startIndex: number;
  endIndex: number;
  parent: SyntaxNodeLike | null;
}

describe('forEachIdentifierPath', () => {
  it('finds every hit once when a visit starts another search for the same words', () => {
    const text = 'a = to_py(x)\nb = "to_py"  # to_py\nc = y.to_py()\nd = to_py\n';
    const source = new PythonSource('a.py', text);
    const words = new Set(['to_py']);
    const outer: number[] = [];
    let inner = 0;
    source.forEachIdentifierPath(words, (_word, levelAt) => {
      outer.push(levelAt(0)!.start);
      if (outer.length > 100) throw new Error('the outer search started over');
      // The same words, so the same shared pattern: it must not move the outer search.
      source.forEachIdentifierPath(words, () => inner++);
    });
    const expected = [...text.matchAll(/to_py/g)].map((m) => m.index!).filter((i) => i !== text.indexOf('"to_py"') + 1 && i !== text.indexOf('# to_py') + 2);
    expect(outer).toEqual(expected);
    expect(inner).toBe(expected.length * expected.length);
  });
});
