// What rules about handlers share: entrypoint classes, their methods, module-level functions,
// parameter lists, and edits that rename or extend them.
import { posix } from 'node:path';
import type { PythonContext } from '../../src/engine/rule.js';
import type { PythonSource, SyntaxNode } from '../../src/engine/python.js';
import { isNameChar, nextTokenAt, readsTextFirst, tokenBefore, wholeWord } from './python-edits.js';

export type EntrypointKind = 'WorkerEntrypoint' | 'DurableObject' | 'WorkflowEntrypoint';

const KINDS: readonly EntrypointKind[] = ['WorkerEntrypoint', 'DurableObject', 'WorkflowEntrypoint'];
/** Modules the SDK classes are importable from (the old `cloudflare.workers` path included). */
const SDK_MODULES = ['workers', 'workers.entrypoints', 'cloudflare.workers'];

/** The SDK base class a class definition derives from directly, or null. */
export function entrypointKind(ctx: PythonContext, cls: SyntaxNode): EntrypointKind | null {
  const bases = cls.childForFieldName('superclasses')?.namedChildren ?? [];
  for (const base of bases) {
    if (base.type !== 'identifier' && base.type !== 'attribute') continue;
    // `class Default(WorkerEntrypoint)` where only `from workers import WorkerEntrypoint` (or no
    // import) binds the name: resolving can give the SDK's name or null, and both mean the SDK
    // class unless the module defines a class of that name. Resolving would look for rebindings
    // of the name, which reads every statement of the module: not needed here.
    if (base.type === 'identifier') {
      const kind = onlySdkBinds(ctx, base.text);
      if (kind && !definesClass(ctx, kind)) return kind;
    }
    const resolved = ctx.resolve(base);
    for (const kind of KINDS) {
      if (resolved) {
        if (SDK_MODULES.some((m) => resolved === `${m}.${kind}`)) return kind;
      } else if (base.type === 'identifier' && base.text === kind && !definesClass(ctx, kind)) {
        // `from workers import *` leaves the name unresolved; a bare SDK name still counts.
        return kind;
      }
    }
  }
  return null;
}

/** `name` when it is an SDK class name and every import binding of that local name is the SDK's class of that name. */
function onlySdkBinds(ctx: PythonContext, name: string): EntrypointKind | null {
  const kind = KINDS.find((k) => k === name);
  if (!kind) return null;
  const foreign = ctx.source.imports().some((b) => b.local === kind && !SDK_MODULES.some((m) => b.qualified === `${m}.${kind}`));
  return foreign ? null : kind;
}

/** Per file, the names of its module-level classes (read once: rules ask per method). */
const moduleClasses = new WeakMap<object, Set<string>>();
/** Per file, the SDK class names no `class` keyword is followed by anywhere (so no class of the file has that name). */
const noClassNamed = new WeakMap<object, Set<string>>();

function definesClass(ctx: PythonContext, name: EntrypointKind): boolean {
  // A class's name is the token after `class`: when no occurrence of the name follows one, no
  // class has it, and the module's statements need not be read (costly in a large module).
  if (readsTextFirst(ctx.source)) {
    let none = noClassNamed.get(ctx.source);
    if (!none) {
      none = new Set(KINDS);
      for (const m of ctx.text.matchAll(/\b(?:WorkerEntrypoint|DurableObject|WorkflowEntrypoint)\b/g)) {
        const before = tokenBefore(ctx.source, m.index!);
        if (before === 'class' || before === null) none.delete(m[0]);
      }
      noClassNamed.set(ctx.source, none);
    }
    if (none.has(name)) return false;
  }
  let names = moduleClasses.get(ctx.source);
  if (!names) {
    names = new Set(ctx.source.root.namedChildren.filter((s) => s.type === 'class_definition').map((s) => s.childForFieldName('name')?.text ?? ''));
    moduleClasses.set(ctx.source, names);
  }
  return names.has(name);
}

/** The statement a function definition occupies in its block (the decorated_definition when decorated). */
export function definitionStatement(def: SyntaxNode): SyntaxNode {
  return def.parent?.type === 'decorated_definition' ? def.parent : def;
}

export function decoratorsOf(def: SyntaxNode): SyntaxNode[] {
  const stmt = definitionStatement(def);
  return stmt === def ? [] : stmt.namedChildren.filter((c) => c.type === 'decorator');
}

/** The class a function is a method of (defined directly in the class body), or null. */
export function methodClass(def: SyntaxNode): SyntaxNode | null {
  const block = definitionStatement(def).parent;
  return block?.type === 'block' && block.parent?.type === 'class_definition' ? block.parent : null;
}

/** True for a function defined at module level. */
export function isModuleLevel(def: SyntaxNode): boolean {
  return definitionStatement(def).parent?.type === 'module';
}

/** Function definitions directly in a block (class body or module), decorated ones included. */
export function functionsIn(container: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (const stmt of container.namedChildren) {
    if (stmt.type === 'function_definition') out.push(stmt);
    else if (stmt.type === 'decorated_definition') {
      const def = stmt.childForFieldName('definition');
      if (def?.type === 'function_definition') out.push(def);
    }
  }
  return out;
}

export function methodsOf(cls: SyntaxNode): SyntaxNode[] {
  const body = cls.childForFieldName('body');
  return body ? functionsIn(body) : [];
}

export function functionName(def: SyntaxNode): string {
  return def.childForFieldName('name')?.text ?? '';
}

/** True when a decorator is `@staticmethod` or `@classmethod` (no `self` to skip). */
export function isStaticOrClassMethod(def: SyntaxNode): boolean {
  return decoratorsOf(def).some((d) => ['staticmethod', 'classmethod'].includes(d.firstNamedChild?.text ?? ''));
}

/** `@handler` from the workers SDK (a bare, unresolved `handler` counts: `from workers import *`). */
export function hasWorkersHandlerDecorator(ctx: PythonContext, def: SyntaxNode): boolean {
  return decoratorsOf(def).some((d) => {
    const expr = d.firstNamedChild;
    const target = expr?.type === 'call' ? expr.childForFieldName('function') : expr;
    if (!target) return false;
    const resolved = ctx.resolve(target);
    return resolved ? SDK_MODULES.some((m) => resolved === `${m}.handler`) : target.text === 'handler';
  });
}

const POSITIONAL = new Set(['identifier', 'typed_parameter', 'default_parameter', 'typed_default_parameter']);

export interface ParameterShape {
  /** Parameters that can take a positional argument, in order (before `*`, `*args` or `**kwargs`). */
  positional: SyntaxNode[];
  /** `*args` present: any number of positional arguments is accepted. */
  varPositional: boolean;
  /** All parameter names. */
  names: Set<string>;
}

export function parameterName(p: SyntaxNode): string {
  if (p.type === 'identifier') return p.text;
  const named = p.childForFieldName('name');
  if (named) return named.text;
  return p.namedChildren.find((c) => c.type === 'identifier')?.text ?? '';
}

export function parameterShape(def: SyntaxNode): ParameterShape {
  const params = def.childForFieldName('parameters')?.namedChildren ?? [];
  const shape: ParameterShape = { positional: [], varPositional: false, names: new Set() };
  let keywordOnly = false;
  for (const p of params) {
    if (p.type === 'comment') continue;
    const name = parameterName(p);
    if (name) shape.names.add(name);
    if (p.type === 'list_splat_pattern') {
      shape.varPositional = true;
      keywordOnly = true;
    } else if (p.type === 'keyword_separator' || p.type === 'dictionary_splat_pattern') {
      keywordOnly = true;
    } else if (!keywordOnly && POSITIONAL.has(p.type)) {
      shape.positional.push(p);
    }
  }
  return shape;
}

/**
 * Identifiers named `name` in `scope` that refer to a variable (not an attribute after a dot and
 * not a keyword-argument name), excluding `except`.
 */
export function nameReferences(scope: SyntaxNode, name: string, except?: SyntaxNode): SyntaxNode[] {
  return scope.descendantsOfType('identifier').filter((id) => {
    if (id.text !== name) return false;
    if (except && id.startIndex === except.startIndex) return false;
    const parent = id.parent;
    if (parent?.type === 'attribute' && parent.childForFieldName('attribute')?.startIndex === id.startIndex) return false;
    if (parent?.type === 'keyword_argument' && parent.childForFieldName('name')?.startIndex === id.startIndex) return false;
    return true;
  });
}

/** True when the file is the `main` module of its Worker. */
export function isWorkerMain(ctx: PythonContext): boolean {
  const w = ctx.worker;
  if (!w || !w.main) return false;
  const main = posix.normalize(w.root ? `${w.root}/${w.main}` : w.main).replace(/^\.\//, '');
  return main === ctx.path;
}

const definedCache = new WeakMap<PythonSource, Set<string>>();

/** The names definedNames knows: handler names the rules look for by their definition. */
const DEF_WORDS: readonly string[] = ['fetch', 'scheduled', 'queue', 'on_fetch', 'on_scheduled', 'on_queue'];
/** Their first letters (most names start with none of them: nothing to compare). */
const DEF_INITIALS = new Set(DEF_WORDS.map((w) => w.charCodeAt(0)));

/** The legacy `on_`-prefixed handler names, with the entrypoint method each became. */
export const ON_PREFIX_RENAMES: Readonly<Record<string, string>> = { on_fetch: 'fetch', on_scheduled: 'scheduled', on_queue: 'queue' };

/**
 * The words of DEF_WORDS that follow a `def` word in the text (in strings and comments too: more
 * than the file's function names, never fewer), read once per file. A function's name is the
 * token right after `def`; nextTokenAt skips what tree-sitter skips between them (blanks, line
 * continuations, comments), so the reading is exact where the `def` is code.
 */
function wordsAfterDef(source: PythonSource): Set<string> {
  let words = definedCache.get(source);
  if (words) return words;
  words = new Set();
  const text = source.text;
  for (let at = text.indexOf('def'); at >= 0; at = text.indexOf('def', at + 3)) {
    // A whole word (as `\bdef\b` finds it): `define`, `undef` and `_def` are names.
    if (!wholeWord(text, at, at + 3)) continue;
    const start = nextTokenAt(source, at + 3);
    if (!DEF_INITIALS.has(text.charCodeAt(start))) continue;
    for (const word of DEF_WORDS) {
      if (text.startsWith(word, start) && !isNameChar(text.charCodeAt(start + word.length))) words.add(word);
    }
  }
  definedCache.set(source, words);
  return words;
}

/**
 * The words among `names` that may name a function definition in this file: those that follow a
 * `def` (wordsAfterDef). When the tree has errors (readsTextFirst is false), all of them.
 */
export function definedNames(ctx: PythonContext, names: readonly string[]): string[] {
  for (const n of names) if (!DEF_WORDS.includes(n)) throw new Error(`definedNames: ${n} is not among the words read`);
  if (!readsTextFirst(ctx.source)) return [...names];
  const defined = wordsAfterDef(ctx.source);
  const out: string[] = [];
  for (const n of names) if (defined.has(n)) out.push(n);
  return out;
}

/**
 * Whether `word` occurs in the text as a whole word (in strings and comments too); true when the
 * tree has errors. The search looks for the part of the word from `anchor` on: one that starts
 * with a rarer letter scans faster (`dler` of `handler`).
 */
export function mentions(ctx: PythonContext, word: string, anchor = 0): boolean {
  if (!readsTextFirst(ctx.source)) return true;
  const text = ctx.text;
  const part = word.slice(anchor);
  for (let at = text.indexOf(part, anchor); at >= 0; at = text.indexOf(part, at + 1)) {
    if (text.startsWith(word, at - anchor) && wholeWord(text, at - anchor, at - anchor + word.length)) return true;
  }
  return false;
}

/**
 * For a rule's triggerHit: false when the identifier at `start` is certainly not the name of a
 * function definition (the token before it is not `def`). Only rules whose visitors look at
 * function definitions by their name can drop the other hits.
 */
export function mayNameDefinition(ctx: PythonContext, start: number): boolean {
  if (!readsTextFirst(ctx.source)) return true;
  const before = tokenBefore(ctx.source, start);
  return before === 'def' || before === null;
}
