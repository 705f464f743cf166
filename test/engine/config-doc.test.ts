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
