import type { PythonVisitors, Rule } from '../src/engine/rule.js';
import type { PythonSource } from '../src/engine/python.js';
import { asPrimary, importBindings, importedModuleNames, importedName, importedNames, qualifiedName, readsTextFirst, removeImportedName } from './lib/python-edits.js';

const TO_PY = new Set(['pyodide.ffi.to_py', 'pyodide.to_py']);
/** Imports through which `to_py` can be named: the function itself or a module it lives in. */
const REACHES_TO_PY = new Set([...TO_PY, 'pyodide', 'pyodide.ffi']);

/**
 * Whether the import statements read from the text (more than the file's, never fewer) can bind a
 * name in REACHES_TO_PY: `import pyodide…`, or `from pyodide import` / `from pyodide.ffi import`
 * with a name that makes one (only those lists are read).
 */
function mayReachToPy(source: PythonSource): boolean {
  const { heads } = importedModuleNames(source);
  if (heads.imported.has('pyodide')) return true;
  if (!heads.from.has('pyodide')) return false;
  for (const module of ['pyodide', 'pyodide.ffi']) {
    for (const b of importBindings(source, module)) if (REACHES_TO_PY.has(qualifiedName(b))) return true;
  }
  return false;
}

/**
 * For a hit at `start`: the name right before `.`+hit on the same line (`ffi` in `ffi.to_py`),
 * '' when no dot precedes the hit, null when the text cannot tell (line break, non-ASCII, brackets).
 */
function nameBeforeDot(text: string, start: number): string | null {
  const back = (at: number) => {
    let i = at - 1;
    while (i >= 0 && (text[i] === ' ' || text[i] === '\t' || text[i] === '\f')) i--;
    return i >= 0 && text[i] !== '\n' && text[i] !== '\r' ? i : -1;
  };
  const dot = back(start);
  if (dot < 0) return null;
  if (text[dot] !== '.') return '';
  const last = back(dot);
  if (last < 0 || text.charCodeAt(last) > 127) return null;
  if (!/[A-Za-z0-9_]/.test(text[last])) return '.';
  let first = last;
  while (first > 0 && /[A-Za-z0-9_]/.test(text[first - 1])) first--;
  if (first > 0 && text.charCodeAt(first - 1) > 127) return null;
  return text.slice(first, last + 1);
}

export const rule: Rule = {
  meta: {
    code: 'PW004',
    name: 'to-py-is-a-method',
    gotcha: 4,
    severity: 'error',
    languages: ['python'],
    fixable: 'safe',
    docs: {
      summary: '`to_py` imported from `pyodide.ffi` or called as a function',
      whatItDoes: 'Reports `from pyodide.ffi import to_py` and calls of that `to_py(x)`.',
      whyItBreaks:
        '`pyodide.ffi` has no `to_py` in any Pyodide release the runtime uses (0.26, 0.28, 314): the import raises `ImportError` and the Worker fails to start. Conversion to Python is a method of the JavaScript proxy: `x.to_py()`.',
      whenItHolds: 'Always, on every runtime.',
      example: 'from pyodide.ffi import to_py\n\nrows = to_py(results.results)',
      useInstead: 'rows = results.results.to_py()',
      fixSafety: 'Safe: the import can only fail, and `to_py(x)` becomes `x.to_py()`, the method the import was meant to reach.',
      references: [
        { title: 'Cloudflare: Python Workers FFI', url: 'https://developers.cloudflare.com/workers/languages/python/ffi/' },
        { title: 'Pyodide: JsProxy.to_py', url: 'https://pyodide.org/en/stable/usage/api/python-api/ffi.html#pyodide.ffi.JsProxy.to_py' },
      ],
    },
  },
  triggers: ['to_py'],
  // An import item is at most 3 above its name (`from m import (to_py as x)`), a call 2 (`ffi.to_py(x)`).
  triggerDepth: 3,
  // `x.to_py()` method calls are most hits: `.to_py` can only name pyodide's function after
  // `pyodide`, `ffi` or a name imported as one of those modules. A `.` after a bracket or quote
  // (`(…).to_py`) is never a name chain.
  triggerHit(ctx, word, start) {
    if (word !== 'to_py') return true;
    const name = nameBeforeDot(ctx.text, start);
    if (name === null || name === '') return true;
    if (name === '.') return false;
    return name === 'ffi' || name === 'pyodide' || ctx.source.imports().some((b) => b.local === name && (b.qualified === 'pyodide' || b.qualified === 'pyodide.ffi'));
  },
  python(ctx): PythonVisitors {
    // `.to_py()` method calls are everywhere in Worker code; only a file that imports something
    // pyodide's to_py is reached through can have a finding, so the others skip the trigger scan.
    // The text answers first for most files (`from pyodide.ffi import to_js` binds nothing that
    // reaches to_py): reading every import of a file (imports()) costs a few percent of its parse.
    if (readsTextFirst(ctx.source) && !mayReachToPy(ctx.source)) return {};
    if (!ctx.source.imports().some((b) => REACHES_TO_PY.has(b.qualified))) return {};
    return {
      import_from_statement(node) {
        const module = node.childForFieldName('module_name')?.text;
        if (module !== 'pyodide.ffi' && module !== 'pyodide') return;
        for (const item of importedNames(node)) {
          if (importedName(item) !== 'to_py') continue;
          ctx.reportNode(item, `\`${module}\` has no \`to_py\`: this import raises ImportError; call the \`.to_py()\` method on the JavaScript value instead`, {
            applicability: 'safe',
            description: 'Remove `to_py` from the import',
            edits: [removeImportedName(ctx.source, node, item)],
          });
        }
      },
      call(node) {
        const fn = node.childForFieldName('function');
        if (!fn || !TO_PY.has(ctx.resolve(fn) ?? '')) return;
        const args = node.childForFieldName('arguments');
        const positional = args?.namedChildren.filter((a) => a.type !== 'comment') ?? [];
        const simple = positional.length === 1 && !['keyword_argument', 'list_splat', 'dictionary_splat'].includes(positional[0].type);
        ctx.reportNode(
          node,
          '`to_py` is a method of JavaScript proxies, not a function: call `x.to_py()`',
          simple
            ? {
                applicability: 'safe',
                description: 'Call the `.to_py()` method',
                edits: [{ start: node.startIndex, end: node.endIndex, text: `${asPrimary(positional[0])}.to_py()` }],
              }
            : undefined,
        );
      },
    };
  },
};
