// The shape of a rule (in the spirit of ESLint's {meta, create}) and what the runner hands it.
import type { ConfigDocument } from './config-doc.js';
import type { PythonSource, SyntaxNode } from './python.js';
import type { Requirement } from './requirements.js';
import type { Language, OffsetFix, RuleMeta, RuntimeProfile, Severity } from './types.js';
import type { Worker, Workspace } from './workspace.js';

export interface Report {
  start: number;
  end: number;
  message: string;
  fix?: OffsetFix;
  /** Overrides the rule's default severity for this finding (e.g. info for advice). */
  severity?: Severity;
}

interface BaseContext {
  path: string;
  text: string;
  workspace: Workspace;
  report(report: Report): void;
}

export interface PythonContext extends BaseContext {
  source: PythonSource;
  profile: RuntimeProfile;
  worker: Worker | null;
  /** Qualified name of an identifier or attribute chain through imports (`r.get` → `requests.get`). */
  resolve(node: SyntaxNode): string | null;
  /** Report a node's range. */
  reportNode(node: SyntaxNode, message: string, fix?: OffsetFix, severity?: Severity): void;
}

export interface ConfigContext extends BaseContext {
  language: Exclude<Language, 'python'>;
  /** The Worker the file belongs to (for a wrangler config: the Worker it defines), or null. */
  worker: Worker | null;
  /** Parsed document for JSON/JSONC/TOML files; null for requirements files. */
  doc: ConfigDocument | null;
  /** Parsed requirements for requirements*.txt; empty otherwise. */
  requirements: Requirement[];
}

export type PythonVisitor = (node: SyntaxNode) => void;

/**
 * Visitors keyed by tree-sitter node type. The runner calls a visitor for each node of that type
 * that encloses one of the rule's trigger words (up to the enclosing statement), or for every node
 * of that type when the rule has no triggers. `module` is called once with the root.
 */
export type PythonVisitors = Record<string, PythonVisitor>;

export interface Rule {
  meta: RuleMeta;
  /**
   * Identifiers without which the rule cannot match. Import aliases of names containing one of
   * them count too (`import requests as r` makes `r` a trigger for `requests`).
   */
  triggers?: string[];
  /**
   * Optional, with `triggers`: the qualified names (modules, functions) the rule looks for. When
   * given, an import alias becomes a trigger only if its qualified name is one of these, lies inside
   * one (`x.y.z` for `x.y`) or leads to one (`x` for `x.y`), instead of every alias whose qualified
   * name has a trigger word as a segment (`from urllib.parse import urlparse` no longer makes
   * `urlparse` a trigger for a rule about `urllib.request.urlopen`).
   */
  triggerModules?: string[];
  /**
   * Optional, with `triggers`: called after `python(ctx)`, the triggers that can matter in this
   * file (a subset of `triggers`; words not in `triggers` are ignored), e.g. by runtime profile.
   */
  triggersFor?(ctx: PythonContext): string[];
  /**
   * Optional, with `triggers`: a cheap test of one trigger hit (the word at [start, end) of
   * `ctx.text`) before the tree is consulted for it. It sees every text occurrence of the word, also
   * those inside strings and comments (the runner drops those afterwards): it must read the text or
   * ask `ctx.source` questions that hold for any offset. Returning false drops the hit for this
   * rule; only do so when every node the rule must see above it holds another hit that passes (e.g.
   * a rule about `x.first()` calls can drop `first` not preceded by a dot). A hit every rule drops
   * costs no descent into the tree.
   */
  triggerHit?(ctx: PythonContext, word: string, start: number, end: number): boolean;
  /**
   * Optional, with `triggers`: how far above a hit the rule's visitors are called (0: the
   * identifier, 1: its parent, …), when every node the rule checks sits that close to a hit (a call
   * `a.b.to_js(…)` is 2 above `to_js`). Without it, every node up to the statement is visited.
   */
  triggerDepth?: number;
  python?(ctx: PythonContext): PythonVisitors;
  config?(ctx: ConfigContext): void;
}
