import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateCorpus } from '../../bench/corpus.js';
import { PythonSource } from '../../src/engine/python.js';
import { keepNodeShapes, SHAPES_MODULE } from '../../src/engine/shapes.js';

/** Every node type in a tree, named or not. */
function nodeTypes(source: PythonSource): Set<string> {
  const types = new Set<string>();
  const cursor = source.root.walk();
  for (let done = false; !done; ) {
    types.add(cursor.nodeType);
    if (cursor.gotoFirstChild()) continue;
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent()) {
        done = true;
        break;
      }
    }
  }
  return types;
}

describe('the module whose nodes keep V8 shapes alive', () => {
  it('parses without an error, and keeping its nodes does not throw (called again too)', () => {
    expect(new PythonSource('shapes.py', SHAPES_MODULE).hasError).toBe(false);
    expect(() => {
      keepNodeShapes();
      keepNodeShapes();
    }).not.toThrow();
  });

  it('has every node type of the good corpus, the examples and the bench corpus', () => {
    const roots = [join(import.meta.dirname, '../corpus/good'), join(import.meta.dirname, '../../examples')];
    const files = roots.flatMap((root) => (readdirSync(root, { recursive: true }) as string[]).filter((f) => f.endsWith('.py')).map((f) => join(root, f)));
    expect(files.length).toBeGreaterThan(5);
    const texts = [...files.map((f) => readFileSync(f, 'utf8')), ...generateCorpus(200_000, 4).python.map((f) => f.text)];
    const have = nodeTypes(new PythonSource('shapes.py', SHAPES_MODULE));
    const missing = new Set<string>();
    for (const text of texts) for (const t of nodeTypes(new PythonSource('a.py', text))) if (!have.has(t)) missing.add(t);
    expect([...missing].sort()).toEqual([]);
  });
});
