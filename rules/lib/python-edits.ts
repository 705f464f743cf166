// What rules share for Python: the text readers of src/engine/python-text.ts, and edits for
// fixes (imports added or removed without disturbing the rest).
import { detectEol } from '../../src/engine/text.js';
import type { PythonSource, SyntaxNode } from '../../src/engine/python.js';
import type { OffsetEdit } from '../../src/engine/types.js';

export {
  charAfter,
  headIs,
  importBindings,
  importedModuleNames,
  isNameChar,
  nextTokenAt,
  qualifiedName,
  readsTextFirst,
  textShortcuts,
  tokenBefore,
  wholeWord,
} from '../../src/engine/python-text.js';

/** The imported-name nodes of an import_from_statement (dotted_name or aliased_import). */
export function importedNames(stmt: SyntaxNode): SyntaxNode[] {
  const module = stmt.childForFieldName('module_name');
  return stmt.namedChildren.filter(
    (c) => (c.type === 'dotted_name' || c.type === 'aliased_import') && (!module || c.startIndex !== module.startIndex),
  );
}

/** The name an imported-name node imports (`to_py` for `to_py as tp`). */
export function importedName(item: SyntaxNode): string {
  return item.type === 'aliased_import' ? (item.childForFieldName('name')?.text ?? '') : item.text;
}

/** Whole lines of a statement, with its line break, for deletion. */
export function statementLineSpan(source: PythonSource, stmt: SyntaxNode): { start: number; end: number } {
  const text = source.text;
  let start = stmt.startIndex;
  while (start > 0 && (text[start - 1] === ' ' || text[start - 1] === '\t')) start--;
  let end = stmt.endIndex;
  while (end < text.length && (text[end] === ' ' || text[end] === '\t')) end++;
  if (text[end] === '\r' && text[end + 1] === '\n') end += 2;
  else if (text[end] === '\n' || text[end] === '\r') end += 1;
  return { start, end };
}

/** Remove one imported name from `from m import a, b`; the whole statement when it is the only one. */
export function removeImportedName(source: PythonSource, stmt: SyntaxNode, item: SyntaxNode): OffsetEdit {
  const names = importedNames(stmt);
  if (names.length <= 1) return { ...statementLineSpan(source, stmt), text: '' };
  const i = names.findIndex((n) => n.startIndex === item.startIndex);
  if (i < names.length - 1) return { start: item.startIndex, end: names[i + 1].startIndex, text: '' };
  return { start: names[i - 1].endIndex, end: item.endIndex, text: '' };
}

/**
 * Make `name` importable from `module` as `name`: nothing when already imported; else append it to
 * an existing module-level `from module import …`, or add a new import line after the last
 * module-level import (or at the top, after a docstring and __future__ imports).
 */
export function ensureFromImport(source: PythonSource, module: string, name: string): OffsetEdit[] {
  // The same for every finding of a file that needs the import: found once (reading the module's
  // statements per finding is quadratic in a large file).
  let known = fromImports.get(source);
  if (!known) fromImports.set(source, (known = new Map()));
  const key = `${module}\0${name}`;
  let edits = known.get(key);
  if (!edits) known.set(key, (edits = findFromImport(source, module, name)));
  return edits.map((e) => ({ ...e }));
}

const fromImports = new WeakMap<PythonSource, Map<string, OffsetEdit[]>>();

function findFromImport(source: PythonSource, module: string, name: string): OffsetEdit[] {
  const existing = source.imports().find((b) => !b.scope && b.local === name && b.qualified === `${module}.${name}`);
  if (existing) return [];
  const eol = detectEol(source.text);
  const top = source.root.namedChildren;
  const fromStmt = top.find(
    (s) =>
      s.type === 'import_from_statement' &&
      s.childForFieldName('module_name')?.text === module &&
      !s.namedChildren.some((c) => c.type === 'wildcard_import'),
  );
  if (fromStmt) {
    const names = importedNames(fromStmt);
    const last = names[names.length - 1];
    if (last) return [{ start: last.endIndex, end: last.endIndex, text: `, ${name}` }];
  }
  const imports = top.filter((s) => s.type === 'import_statement' || s.type === 'import_from_statement' || s.type === 'future_import_statement');
  const lastImport = imports[imports.length - 1];
  if (lastImport) {
    const { end } = statementLineSpan(source, lastImport);
    const needsBreak = end === lastImport.endIndex;
    return [{ start: end, end, text: `${needsBreak ? eol : ''}from ${module} import ${name}${eol}` }];
  }
  const first = top[0];
  if (first && first.type === 'expression_statement' && first.firstNamedChild?.type === 'string') {
    const { end } = statementLineSpan(source, first);
    const needsBreak = end === first.endIndex;
    return [{ start: end, end, text: `${needsBreak ? eol : ''}from ${module} import ${name}${eol}` }];
  }
  return [{ start: 0, end: 0, text: `from ${module} import ${name}${eol}` }];
}

/** Wrap an expression in parentheses when a trailing `.method()` would bind to part of it. */
export function asPrimary(node: SyntaxNode): string {
  const primary = new Set([
    'identifier',
    'attribute',
    'call',
    'subscript',
    'parenthesized_expression',
    'list',
    'dictionary',
    'set',
    'tuple',
    'string',
    'integer',
    'float',
    'true',
    'false',
    'none',
    'list_comprehension',
    'dictionary_comprehension',
    'set_comprehension',
  ]);
  return primary.has(node.type) ? node.text : `(${node.text})`;
}
