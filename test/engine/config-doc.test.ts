import { describe, expect, it } from 'vitest';
import { ConfigDocument, type ConfigPath } from '../../src/engine/config-doc.js';
import { applyOffsetEdits } from '../../src/engine/text.js';
import type { OffsetEdit } from '../../src/engine/types.js';

type Format = 'jsonc' | 'toml';

/** Apply edits made from a document and check the result still parses. */
function edit(text: string, format: Format, make: (doc: ConfigDocument) => OffsetEdit[]): string {
  const out = applyOffsetEdits(text, make(ConfigDocument.parse(text, format)));
  ConfigDocument.parse(out, format);
  return out;
}

describe('ConfigDocument.get: values and ranges in both formats', () => {
  const toml = [
    'main = "src/entry.py"',
    '[limits]',
    'cpu_ms = 900000',
    '[ai]',
    'binding = "AI"',
    '[[vectorize]]',
    'binding = "V"',
    '[[vectorize]]',
    'binding = "W"',
    '[env.staging]',
    'ai = { binding = "AI" }',
    'vars.A = "1"',
    '[env.prod.ai]',
    'binding = "AI"',
    '',
  ].join('\n');
  const doc = ConfigDocument.parse(toml, 'toml');
  const keyText = (path: ConfigPath) => {
    const n = doc.get(path)!;
    return toml.slice(n.keyStart, n.keyEnd);
  };

  it('finds [tables], [[arrays of tables]], inline tables and dotted keys', () => {
    expect(doc.get(['limits', 'cpu_ms'])?.value).toBe(900000);
    expect(doc.get(['ai'])?.style).toBe('table');
    expect(doc.get(['vectorize'])?.kind).toBe('array');
    expect(doc.get(['vectorize', 1, 'binding'])?.value).toBe('W');
    expect(doc.get(['env', 'staging', 'ai'])?.style).toBe('inline');
    expect(doc.get(['env', 'staging', 'vars', 'A'])?.value).toBe('1');
    expect(doc.get(['env', 'prod'])?.style).toBe('implicit');
  });

  it('points keys at what names them', () => {
    expect(keyText(['ai'])).toBe('ai');
    expect(keyText(['vectorize', 1])).toBe('vectorize');
    expect(keyText(['env', 'prod', 'ai'])).toBe('env.prod.ai');
    expect(toml.slice(doc.get(['limits', 'cpu_ms'])!.start, doc.get(['limits', 'cpu_ms'])!.end)).toBe('900000');
  });

  it('gives JSONC values their key ranges', () => {
    const text = '{\n  // c\n  "ai": { "binding": "AI" },\n}\n';
    const j = ConfigDocument.parse(text, 'jsonc');
    const ai = j.get(['ai'])!;
    expect(text.slice(ai.keyStart, ai.keyEnd)).toBe('"ai"');
    expect(ConfigDocument.keyOrValue(j.get(['ai', 'binding'])!)).toEqual({ start: text.indexOf('"binding"'), end: text.indexOf('"binding"') + 9 });
  });
});

describe('appendToArray keeps the array layout', () => {
  it('one-line JSONC array stays on one line, trailing comment kept', () => {
    const text = '{\n  "compatibility_flags": ["python_workers"], // flags\n}\n';
    expect(edit(text, 'jsonc', (d) => d.appendToArray(['compatibility_flags'], 'nodejs_compat'))).toBe(
      '{\n  "compatibility_flags": ["python_workers", "nodejs_compat"], // flags\n}\n',
    );
  });

  it('multi-line JSONC array with trailing commas gets a new line with one', () => {
    const text = '{\n  "flags": [\n    "a", // first\n    "b",\n  ],\n}\n';
    expect(edit(text, 'jsonc', (d) => d.appendToArray(['flags'], 'c'))).toBe('{\n  "flags": [\n    "a", // first\n    "b",\n    "c",\n  ],\n}\n');
  });

  it('multi-line array without trailing comma: comma after the last element, comment stays', () => {
    const text = '{\n\t"flags": [\n\t\t"a" // first\n\t]\n}\n';
    expect(edit(text, 'jsonc', (d) => d.appendToArray(['flags'], 'b'))).toBe('{\n\t"flags": [\n\t\t"a", // first\n\t\t"b"\n\t]\n}\n');
  });

  it('empty arrays, one-line and multi-line', () => {
    expect(edit('{ "f": [] }', 'jsonc', (d) => d.appendToArray(['f'], 'a'))).toBe('{ "f": ["a"] }');
    expect(edit('{\n  "f": [\n  ]\n}', 'jsonc', (d) => d.appendToArray(['f'], 'a'))).toBe('{\n  "f": [\n    "a"\n  ]\n}');
    expect(edit('f = []\n', 'toml', (d) => d.appendToArray(['f'], 'a'))).toBe('f = ["a"]\n');
  });

  it('creates a missing array as a new key in the object it belongs to', () => {
    const text = '{\n  "main": "src/entry.py", // entry\n}\n';
    expect(edit(text, 'jsonc', (d) => d.appendToArray(['compatibility_flags'], 'python_workers'))).toBe(
      '{\n  "main": "src/entry.py", // entry\n  "compatibility_flags": ["python_workers"],\n}\n',
    );
    const toml = 'main = "src/entry.py" # entry\n\n[vars]\nA = "1"\n';
    expect(edit(toml, 'toml', (d) => d.appendToArray(['compatibility_flags'], 'python_workers'))).toBe(
      'main = "src/entry.py" # entry\ncompatibility_flags = ["python_workers"]\n\n[vars]\nA = "1"\n',
    );
  });

  it('TOML multi-line array with comments', () => {
    const text = 'flags = [\n  "a", # first\n  "b"\n]\n';
    expect(edit(text, 'toml', (d) => d.appendToArray(['flags'], 'c'))).toBe('flags = [\n  "a", # first\n  "b",\n  "c"\n]\n');
  });

  it('TOML environment tables: explicit, implicit through a sub-table, and dotted keys', () => {
    const text = '[env.staging]\nname = "s" # staging\n\n[env.prod.ai]\nbinding = "AI"\n\n[other]\nenv2.x.y = 1\n';
    expect(edit(text, 'toml', (d) => d.appendToArray(['env', 'staging', 'compatibility_flags'], 'python_workers'))).toBe(
      '[env.staging]\nname = "s" # staging\ncompatibility_flags = ["python_workers"]\n\n[env.prod.ai]\nbinding = "AI"\n\n[other]\nenv2.x.y = 1\n',
    );
    // [env.prod] exists only through [env.prod.ai]: a key written under that header would land in ai.
    expect(edit(text, 'toml', (d) => d.appendToArray(['env', 'prod', 'compatibility_flags'], 'python_workers'))).toBe(
      '[env.staging]\nname = "s" # staging\n\n[env.prod]\ncompatibility_flags = ["python_workers"]\n\n[env.prod.ai]\nbinding = "AI"\n\n[other]\nenv2.x.y = 1\n',
    );
    expect(edit(text, 'toml', (d) => d.setProperty(['other', 'env2', 'x'], 'z', 2))).toBe(
      '[env.staging]\nname = "s" # staging\n\n[env.prod.ai]\nbinding = "AI"\n\n[other]\nenv2.x.y = 1\nenv2.x.z = 2\n',
    );
  });

  it('refuses to append to an array of tables', () => {
    const doc = ConfigDocument.parse('[[vectorize]]\nbinding = "V"\n', 'toml');
    expect(() => doc.appendToArray(['vectorize'], 'x')).toThrow(/not an inline array/);
  });
});

describe('setProperty keeps the object layout', () => {
  it('JSONC one-line object, multi-line object with trailing comma and comments', () => {
    expect(edit('{ "ai": { "binding": "AI" } }', 'jsonc', (d) => d.setProperty(['ai'], 'remote', true))).toBe(
      '{ "ai": { "binding": "AI", "remote": true } }',
    );
    const text = '{\n  "ai": {\n    "binding": "AI", // the model\n  },\n}\n';
    expect(edit(text, 'jsonc', (d) => d.setProperty(['ai'], 'remote', true))).toBe(
      '{\n  "ai": {\n    "binding": "AI", // the model\n    "remote": true,\n  },\n}\n',
    );
  });

  it('JSONC array element objects', () => {
    const text = '{\n  "vectorize": [\n    { "binding": "V", "index_name": "x" }, // one\n  ],\n}\n';
    expect(edit(text, 'jsonc', (d) => d.setProperty(['vectorize', 0], 'remote', true))).toBe(
      '{\n  "vectorize": [\n    { "binding": "V", "index_name": "x", "remote": true }, // one\n  ],\n}\n',
    );
  });

  it('replaces an existing value in place', () => {
    expect(edit('{ "ai": { "remote": false } } // x', 'jsonc', (d) => d.setProperty(['ai'], 'remote', true))).toBe('{ "ai": { "remote": true } } // x');
    expect(edit('[ai]\nremote = false # no\n', 'toml', (d) => d.setProperty(['ai'], 'remote', true))).toBe('[ai]\nremote = true # no\n');
  });

  it('TOML [table], [[array of tables]] element and inline table', () => {
    const text = '[ai]\nbinding = "AI" # model\n\n[[vectorize]]\nbinding = "V"\n\n[[vectorize]]\nbinding = "W"\n\n[env.s]\nai = { binding = "AI" }\nvectorize = [{ binding = "V" }]\n';
    expect(edit(text, 'toml', (d) => d.setProperty(['ai'], 'remote', true))).toContain('binding = "AI" # model\nremote = true\n\n[[vectorize]]');
    expect(edit(text, 'toml', (d) => d.setProperty(['vectorize', 1], 'remote', true))).toContain('binding = "W"\nremote = true\n');
    expect(edit(text, 'toml', (d) => d.setProperty(['env', 's', 'ai'], 'remote', true))).toContain('ai = { binding = "AI", remote = true }');
    expect(edit(text, 'toml', (d) => d.setProperty(['env', 's', 'vectorize', 0], 'remote', true))).toContain('vectorize = [{ binding = "V", remote = true }]');
  });

  it('an empty inline table and an empty JSONC object', () => {
    expect(edit('ai = {}\n', 'toml', (d) => d.setProperty(['ai'], 'remote', true))).toBe('ai = { remote = true }\n');
    expect(edit('{ "ai": {} }', 'jsonc', (d) => d.setProperty(['ai'], 'remote', true))).toBe('{ "ai": { "remote": true } }');
  });
});

describe('removeArrayItem keeps the other elements and their comments', () => {
  const multi = '{\n  "flags": [\n    "a", // keep me\n    "b" // drop me\n  ]\n}\n';

  it('last element on its own line: its line goes, and the separator before it', () => {
    expect(edit(multi, 'jsonc', (d) => d.removeArrayItem(['flags', 1]))).toBe('{\n  "flags": [\n    "a" // keep me\n  ]\n}\n');
  });

  it('first element on its own line', () => {
    expect(edit(multi, 'jsonc', (d) => d.removeArrayItem(['flags', 0]))).toBe('{\n  "flags": [\n    "b" // drop me\n  ]\n}\n');
  });

  it('one-line arrays in both formats', () => {
    expect(edit('{ "f": ["a", "b", "c"] }', 'jsonc', (d) => d.removeArrayItem(['f', 1]))).toBe('{ "f": ["a", "c"] }');
    expect(edit('{ "f": ["a", "b"] }', 'jsonc', (d) => d.removeArrayItem(['f', 1]))).toBe('{ "f": ["a"] }');
    expect(edit('{ "f": ["a",] }', 'jsonc', (d) => d.removeArrayItem(['f', 0]))).toBe('{ "f": [] }');
    expect(edit('f = ["a", "b"] # c\n', 'toml', (d) => d.removeArrayItem(['f', 0]))).toBe('f = ["b"] # c\n');
  });

  it('TOML multi-line array with trailing comma', () => {
    const text = 'f = [\n  "a", # a\n  "b", # b\n]\n';
    expect(edit(text, 'toml', (d) => d.removeArrayItem(['f', 1]))).toBe('f = [\n  "a", # a\n]\n');
  });
});

describe('literals', () => {
  it('replaceValue renders in the document syntax', () => {
    expect(edit('{ "f": ["x"] }', 'jsonc', (d) => d.replaceValue(['f', 0], 'y'))).toBe('{ "f": ["y"] }');
    expect(edit('f = ["x"]\n', 'toml', (d) => d.replaceValue(['f', 0], 'y'))).toBe('f = ["y"]\n');
  });

  it('keeps CRLF line ends when it adds lines', () => {
    const text = '{\r\n  "a": 1\r\n}\r\n';
    expect(edit(text, 'jsonc', (d) => d.setProperty([], 'b', 2))).toBe('{\r\n  "a": 1,\r\n  "b": 2\r\n}\r\n');
  });
});

describe('the tree read from the parsers', () => {
  type Node = ReturnType<ConfigDocument['get']> & object;
  const all = (n: Node): Node[] => [n, ...n.children.flatMap(all)];

  it('JSONC with comments, nested objects and arrays: paths, kinds, values, value and key ranges', () => {
    const text = [
      '// top comment',
      '{',
      '  "name": "w", /* inline */ "n": 1.5e2,',
      '  "flags": [ "a", /* c */ [true, null], { "k": "v" } ], // trailing',
      '  "env": { "staging": { "vars": { "A": "1" } } },',
      '}',
      '',
    ].join('\n');
    const doc = ConfigDocument.parse(text, 'jsonc');
    expect(doc.data).toEqual({ name: 'w', n: 150, flags: ['a', [true, null], { k: 'v' }], env: { staging: { vars: { A: '1' } } } });
    const literal = (path: ConfigPath) => {
      const n = doc.get(path)!;
      return text.slice(n.start, n.end);
    };
    expect(literal(['name'])).toBe('"w"');
    expect(literal(['n'])).toBe('1.5e2');
    expect(literal(['flags'])).toBe('[ "a", /* c */ [true, null], { "k": "v" } ]');
    expect(literal(['flags', 1])).toBe('[true, null]');
    expect(literal(['flags', 1, 1])).toBe('null');
    expect(literal(['flags', 2, 'k'])).toBe('"v"');
    expect(literal(['env', 'staging'])).toBe('{ "vars": { "A": "1" } }');
    expect(literal([])).toBe(text.slice(text.indexOf('{'), text.lastIndexOf('}') + 1));
    for (const n of all(doc.root)) {
      // Every node is where its path says, its value is its children's, and keys name it.
      expect(doc.get(n.path)).toBe(n);
      if (n.kind === 'array') expect(n.value).toEqual(n.children.map((c) => c.value));
      if (n.kind === 'object') expect(n.value).toEqual(Object.fromEntries(n.children.map((c) => [c.path[c.path.length - 1], c.value])));
      const parent = n.path.length ? doc.get(n.path.slice(0, -1))! : undefined;
      if (parent?.kind === 'object') expect(text.slice(n.keyStart, n.keyEnd)).toBe(JSON.stringify(n.path[n.path.length - 1]));
      else expect(n.keyStart).toBeUndefined();
    }
    expect(doc.get(['flags', 1, 0])?.kind).toBe('boolean');
    expect(doc.get(['flags', 1, 1])?.kind).toBe('null');
    expect(doc.get(['n'])?.kind).toBe('number');
  });

  it('edits made from a JSONC tree with comments land where they should', () => {
    const text = '{\n  // flags\n  "compatibility_flags": [\n    "a", // first\n    /* b */ "b"\n  ],\n  "ai": { /* model */ "binding": "AI" }\n}\n';
    expect(edit(text, 'jsonc', (d) => d.appendToArray(['compatibility_flags'], 'c'))).toBe(
      '{\n  // flags\n  "compatibility_flags": [\n    "a", // first\n    /* b */ "b",\n    "c"\n  ],\n  "ai": { /* model */ "binding": "AI" }\n}\n',
    );
    expect(edit(text, 'jsonc', (d) => d.replaceValue(['compatibility_flags', 1], 'x'))).toContain('/* b */ "x"');
    expect(edit(text, 'jsonc', (d) => d.setProperty(['ai'], 'remote', true))).toContain('"ai": { /* model */ "binding": "AI", "remote": true }');
    expect(edit(text, 'jsonc', (d) => d.removeArrayItem(['compatibility_flags', 0]))).toContain('"compatibility_flags": [\n    /* b */ "b"\n  ],');
  });

  it('a duplicate JSONC key: the value is the last one, get finds the first, as before', () => {
    const text = '{ "a": 1, "b": 2, "a": 3 }';
    const doc = ConfigDocument.parse(text, 'jsonc');
    expect(doc.data).toEqual({ a: 3, b: 2 });
    expect(doc.get(['a'])?.start).toBe(text.indexOf('1'));
    expect(doc.root.children.map((c) => c.path)).toEqual([['a'], ['b'], ['a']]);
  });

  it('looks keys up the same way in small and large objects', () => {
    const keys = Array.from({ length: 40 }, (_, i) => `k${i % 30}`);
    const text = `{ ${keys.map((k, i) => `"${k}": ${i}`).join(', ')} }`;
    const doc = ConfigDocument.parse(text, 'jsonc');
    for (let i = 0; i < 30; i++) expect(doc.get([`k${i}`])?.start, `k${i}`).toBe(text.indexOf(`"k${i}": ${i}`) + `"k${i}": `.length);
    expect(doc.get(['k40'])).toBeUndefined();
    const tables = ConfigDocument.parse(Array.from({ length: 40 }, (_, i) => `[t${i}]\nv = ${i}\n[t${i}.sub]\nw = ${i}\n`).join(''), 'toml');
    expect(tables.get(['t33', 'sub', 'w'])?.value).toBe(33);
    expect(tables.get(['t33'])?.children.map((c) => c.path.join('.'))).toEqual(['t33.v', 't33.sub']);
  });

  it('TOML with env sections: ranges of keys, values and tables', () => {
    const text = 'main = "src/entry.py"\n\n[env.staging] # staging\ncompatibility_flags = ["python_workers"]\nvars.A = "1"\n\n[[env.staging.vectorize]]\nbinding = "V"\n';
    const doc = ConfigDocument.parse(text, 'toml');
    const flags = doc.get(['env', 'staging', 'compatibility_flags'])!;
    expect(text.slice(flags.start, flags.end)).toBe('["python_workers"]');
    expect(text.slice(flags.keyStart, flags.keyEnd)).toBe('compatibility_flags');
    expect(text.slice(doc.get(['env', 'staging', 'vars', 'A'])!.keyStart, doc.get(['env', 'staging', 'vars', 'A'])!.keyEnd)).toBe('vars.A');
    expect(doc.get(['env', 'staging'])?.style).toBe('table');
    expect(doc.get(['env'])?.style).toBe('implicit');
    expect(doc.get(['env', 'staging', 'vectorize', 0, 'binding'])?.value).toBe('V');
    for (const n of all(doc.root)) expect(doc.get(n.path)).toBe(n);
    expect(edit(text, 'toml', (d) => d.appendToArray(['env', 'staging', 'compatibility_flags'], 'python_workflows'))).toContain(
      'compatibility_flags = ["python_workers", "python_workflows"]\nvars.A',
    );
  });

  it('reports the first JSONC error, and nesting deeper than the limit before it', () => {
    const error = (text: string) => {
      try {
        ConfigDocument.parse(text, 'jsonc');
        return null;
      } catch (err) {
        return { message: (err as Error).message, offset: (err as { offset: number }).offset };
      }
    };
    expect(error('{ "a": 1 "b": 2 }')).toEqual({ message: 'comma expected', offset: 9 });
    expect(error('{ "a": }')).toEqual({ message: 'value expected', offset: 7 });
    expect(error('{ "a": 1 } 2')).toEqual({ message: 'end of file expected', offset: 11 });
    expect(error('{ "a": 1 } x')).toEqual({ message: 'invalid symbol', offset: 11 });
    expect(error('')).toEqual({ message: 'value expected', offset: 0 });
    expect(error(`${'['.repeat(300)}${']'.repeat(300)}`)).toEqual({ message: 'nested deeper than 256 levels', offset: 256 });
    expect(error(`x ${'['.repeat(300)}`)).toEqual({ message: 'nested deeper than 256 levels', offset: 258 });
    // Many brackets, none deep: parsed.
    expect(error(`[${Array.from({ length: 300 }, () => '[]').join(', ')}]`)).toBeNull();
    expect(() => ConfigDocument.parse(`a = [${Array.from({ length: 300 }, () => '[]').join(', ')}]\n`, 'toml')).not.toThrow();
  });
});
