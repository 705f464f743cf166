// What rules about handlers share: entrypoint classes, their methods, module-level functions,
// parameter lists, and edits that rename or extend them.
import { posix } from 'node:path';
import type { PythonContext } from '../../src/engine/rule.js';
import type { PythonSource, SyntaxNode } from '../../src/engine/python.js';
import { readsTextFirst, tokenBefore } from './python-edits.js';

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

/** What the text says about one word: whether it occurs, and whether it may name a function definition. */
interface WordFacts {
  /** The word occurs (in strings and comments too). */
  present: boolean;
  /** The word occurs right after a `def` keyword, or where the text cannot tell. */
  defined: boolean;
}

const wordFactsCache = new WeakMap<PythonSource, Map<string, WordFacts>>();

/**
 * The words wordFacts knows, in groups read by one scan each: the rules that run on a file ask for
 * a group or two (PW019 `scheduled`/`queue` everywhere, PW002 and PW020 the `on_` names and
 * `handler` from 2025-08-14, PW021 `fetch` in a main module before that).
 */
const WORD_GROUPS: readonly { words: readonly string[]; pattern: RegExp }[] = [
  { words: ['scheduled', 'queue'], pattern: /\b(?:scheduled|queue)\b/g },
  { words: ['on_fetch', 'on_scheduled', 'on_queue', 'handler'], pattern: /\b(?:on_fetch|on_scheduled|on_queue|handler)\b/g },
  { words: ['fetch'], pattern: /\bfetch\b/g },
];

/**
 * What the text says about `words` (words of WORD_GROUPS), read once per file and group: whether
 * each occurs, and whether an occurrence may be the name of a function definition. A function's
 * name is the token right after `def` (tree-sitter skips only blanks, line continuations and
 * comments between them); tokenBefore answers null where a comment may hide the `def`, and such
 * an occurrence counts. When the tree has errors (readsTextFirst is false), every word is present
 * and defined.
 */
export function wordFacts(ctx: PythonContext, words: readonly string[]): Map<string, WordFacts> {
  const source = ctx.source;
  let known = wordFactsCache.get(source);
  if (!known) wordFactsCache.set(source, (known = new Map()));
  for (const word of words) {
    if (known.has(word)) continue;
    const group = WORD_GROUPS.find((g) => g.words.includes(word));
    if (!group) throw new Error(`wordFacts: ${word} is in no word group`);
    const textFirst = readsTextFirst(source);
    for (const w of group.words) known.set(w, { present: !textFirst, defined: !textFirst });
    if (!textFirst) continue;
    const { pattern } = group;
    pattern.lastIndex = 0;
    for (let m = pattern.exec(ctx.text); m; m = pattern.exec(ctx.text)) {
      const facts = known.get(m[0])!;
      facts.present = true;
      if (facts.defined) continue;
      const before = tokenBefore(source, m.index);
      facts.defined = before === 'def' || before === null;
    }
  }
  return known;
}

/** The words among `names` that may name a function definition in this file (wordFacts). */
export function definedNames(ctx: PythonContext, names: readonly string[]): string[] {
  const facts = wordFacts(ctx, names);
  return names.filter((n) => facts.get(n)!.defined);
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
