// The rule runner: files → findings. One pass per file; each node goes to the rules that asked
// for its type; one bad file never stops the others.
import picomatch from 'picomatch';
import { ConfigDocument, ConfigParseError } from './config-doc.js';
import { docsRoot, docsUrlIn } from './docs-url.js';
import { keepNodeShapes } from './shapes.js';
import { noqaCodes } from './noqa.js';
import { importBindings, qualifiedName, readsTextFirst } from './python-text.js';
import { excessiveNesting, firstSyntaxError, MAX_BRACKET_NESTING, PythonSource, type PathLevel, type SyntaxNode } from './python.js';
import { DEFAULT_CONFIG, type RepoConfig } from './repo-config.js';
import { parseRequirements } from './requirements.js';
import type { ConfigContext, PythonContext, PythonVisitors, Report, Rule } from './rule.js';
import { codePointRange, LineIndex } from './text.js';
import type { Applicability, Finding, Language, OffsetEdit, RuntimeProfile, Severity } from './types.js';
import { configFormat, isSkippedPath, languageOf, Workspace, type SourceFile } from './workspace.js';

export interface AnalyzeInput {
  /** Files to lint. */
  files: readonly SourceFile[];
  /** Files read only to build Worker profiles (unchanged configs, pyproject.toml). */
  context?: readonly SourceFile[];
  rules: readonly Rule[];
  config?: RepoConfig;
  /** Only these codes (after config); empty or absent: all. */
  select?: readonly string[];
  ignore?: readonly string[];
  docsBaseUrl?: string;
}

export interface SkippedFile {
  path: string;
  reason: string;
}

export interface AnalyzeResult {
  findings: Finding[];
  skipped: SkippedFile[];
  /** Internal rule failures: a bug in a rule, reported, never fatal. */
  ruleErrors: { path: string; code: string; message: string }[];
  workspace: Workspace;
  /** Python files checked, with the profile they were checked against. */
  profiles: Map<string, RuntimeProfile>;
}

export const PARSE_ERROR = { code: 'PW000', name: 'parse-error', gotcha: 0 } as const;
export const UNUSED_NOQA = { code: 'PW100', name: 'unused-noqa', gotcha: 0 } as const;

const RANK: Record<Applicability, number> = { display: 0, unsafe: 1, safe: 2 };

export function analyze(input: AnalyzeInput): AnalyzeResult {
  const steps = analysis(input, false);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * analyze, returning to the event loop after every `yieldEveryBytes` of linted text, for long runs
 * in a server. node-tree-sitter frees a parsed tree only in a finalizer that runs on the event loop,
 * and does not tell V8 about the tree's native memory: one synchronous analysis of many files keeps
 * every tree it parsed (about 45 bytes per character) until it returns.
 */
export async function analyzeAsync(input: AnalyzeInput, yieldEveryBytes = 256_000): Promise<AnalyzeResult> {
  const steps = analysis(input, true);
  let sinceYield = 0;
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    sinceYield += step.value;
    if (sinceYield >= yieldEveryBytes) {
      sinceYield = 0;
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
}

/**
 * How far ahead Python files are parsed (see parseAhead): at most this many files, and text. Each
 * switch between parsing and linting costs both sides their CPU caches (tree-sitter's tables and
 * fresh trees, the rules' code and data): all rules over 1 MB of 2–20 KB files, the rules' time
 * beyond the parse went from about 45 ms with 4 files / 32 KB to about 32 ms with 32 files / 256 KB,
 * no better with more. A synchronous analysis keeps every tree until it returns anyway (see
 * analyzeAsync), so it takes the large batches. analyzeAsync, which frees trees as it goes, takes
 * small ones: in five-run samples of the 1000-file review (npm run bench, pipeline), 16 files /
 * 128 KB peaked at 288–304 MB and 32 / 256 KB at 263–315 MB, against 254–268 MB. That was with a
 * native-memory hint of the trees' own size (see HINT_BYTES_PER_CHAR), under which the peak spread
 * widely anyway (223–323 MB over 28 runs); not measured again since the hint was doubled.
 */
const PARSE_AHEAD = { files: 32, bytes: 256_000 };
const PARSE_AHEAD_ASYNC = { files: 4, bytes: 32_000 };

/** Native memory of a tree-sitter Python tree per character of source, measured on the bench corpus. */
const TREE_BYTES_PER_CHAR = 45;
/**
 * What analyzeAsync tells V8 a tree holds, per character: twice its size. V8 starts a full GC once
 * external memory has grown by about 64 MB since the last one, and a tree is freed only after the
 * GC that finds it dead. At the trees' own size that came every 1.4 MB of text or so, and the
 * 1,000-file review's peak RSS ranged from 223 to 323 MB over 28 runs of `npm run bench`'s
 * pipeline (over 300 MB in 3); at twice, 202–222 MB over 18 runs, for about 0.35 s more CPU
 * (3.4–3.7 s against 3.0–3.2).
 */
const HINT_BYTES_PER_CHAR = 2 * TREE_BYTES_PER_CHAR;
const NATIVE_MEMORY_HINT = Symbol('nativeMemoryHint');

/** The analysis, one file per step; a step yields the length of the text it linted. */
function* analysis(input: AnalyzeInput, async: boolean): Generator<number, AnalyzeResult, void> {
  keepNodeShapes();
  const config = input.config ?? DEFAULT_CONFIG;
  const lintPaths = new Set(input.files.map((f) => f.path));
  const all = [...input.files, ...(input.context ?? []).filter((f) => !lintPaths.has(f.path))];
  const workspace = new Workspace(all, config.runtime);
  const result: AnalyzeResult = { findings: [], skipped: [], ruleErrors: [], workspace, profiles: new Map() };
  const rules = activeRules(input.rules, config, input.select, input.ignore);
  const include = config.paths.include.length ? picomatch(config.paths.include, { dot: true }) : () => true;
  const exclude = config.paths.exclude.length ? picomatch(config.paths.exclude, { dot: true }) : () => false;
  // Read once: the environment is a system call per read, and every finding links its page.
  const docsBase = docsRoot(input.docsBaseUrl ?? config.docs_base_url);

  const max = config.limits.max_file_bytes;
  /** What to do with a file: nothing (not ours), skip it with a reason, or lint it as `language`. */
  const planOf = (file: SourceFile): { language: Language } | { skip: string } | null => {
    const language = languageOf(file.path);
    if (!language || isSkippedPath(file.path)) return null;
    if (!include(file.path) || exclude(file.path)) return { skip: 'excluded by paths in the repository config' };
    // Counting UTF-8 bytes reads the whole text: a UTF-16 unit is at least one UTF-8 byte and at
    // most three, so the count is needed only between those bounds.
    if (file.text.length > max || (file.text.length * 3 > max && Buffer.byteLength(file.text, 'utf8') > max)) {
      return { skip: `larger than limits.max_file_bytes (${max})` };
    }
    return { language };
  };
  const plans: ReturnType<typeof planOf>[] = [];
  const planAt = (i: number) => (i in plans ? plans[i]! : (plans[i] = planOf(input.files[i]!)));
  // Python files are parsed in batches, ahead of their rules (see PARSE_AHEAD).
  const batch = async ? PARSE_AHEAD_ASYNC : PARSE_AHEAD;
  // Each Python file gets its Worker profile here (null: not Worker code, nothing to lint) and,
  // with one, its parsed source (or the error parsing threw, reported when its turn comes).
  const ahead = new Map<SourceFile, { profile: RuntimeProfile; source: PythonSource } | Error | null>();
  const parseAhead = (from: number) => {
    let parsedFiles = 0;
    let bytes = 0;
    for (let j = from; j < input.files.length && parsedFiles < batch.files && bytes < batch.bytes; j++) {
      const plan = planAt(j);
      if (!plan || !('language' in plan) || plan.language !== 'python') continue;
      const next = input.files[j]!;
      const profile = workspace.pythonProfile(next.path, next.text);
      if (!profile) {
        ahead.set(next, null);
        continue;
      }
      try {
        ahead.set(next, { profile, source: parseFile(next, async) });
      } catch (err) {
        ahead.set(next, err as Error);
      }
      parsedFiles++;
      bytes += next.text.length;
    }
  };

  for (let i = 0; i < input.files.length; i++) {
    const file = input.files[i]!;
    const plan = planAt(i);
    if (!plan) continue;
    if ('skip' in plan) {
      result.skipped.push({ path: file.path, reason: plan.skip });
      continue;
    }
    const { language } = plan;
    const sink = new FindingSink(file, config, docsBase);
    try {
      if (language === 'python') {
        if (!ahead.has(file)) parseAhead(i);
        const prepared = ahead.get(file)!;
        ahead.delete(file);
        if (prepared instanceof Error) throw prepared;
        if (prepared) lintPython(file, rules, workspace, sink, result, prepared.profile, prepared.source);
      } else lintConfig(file, language, rules, workspace, sink, result);
    } catch (err) {
      result.ruleErrors.push({ path: file.path, code: sink.currentRule ?? '(engine)', message: (err as Error).message });
    }
    if (language !== 'package-json' && language !== 'requirements') sink.reportUnusedNoqa();
    sink.flushInto(result.findings);
    yield file.text.length;
  }
  // Engine findings follow --select/--ignore too; a parse error shows unless ignored by name.
  const matches = (code: string, list?: readonly string[]) => !!list?.some((s) => code.startsWith(s));
  result.findings = result.findings.filter((f) => {
    if (f.code !== UNUSED_NOQA.code && f.code !== PARSE_ERROR.code) return true;
    if (matches(f.code, input.ignore)) return false;
    return f.code === PARSE_ERROR.code || !input.select?.length || matches(f.code, input.select);
  });
  result.findings.sort(
    (a, b) => cmp(a.path, b.path) || a.line - b.line || a.column - b.column || cmp(a.code, b.code) || cmp(a.message, b.message),
  );
  return result;
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function activeRules(rules: readonly Rule[], config: RepoConfig, select?: readonly string[], ignore?: readonly string[]): Rule[] {
  return rules.filter((r) => {
    if (config.rules[r.meta.code] === 'off') return false;
    if (select && select.length && !select.some((s) => r.meta.code.startsWith(s))) return false;
    if (ignore && ignore.some((s) => r.meta.code.startsWith(s))) return false;
    return true;
  });
}

/** Turns rule reports into findings: positions, severity from config, noqa, fix checks. */
class FindingSink {
  currentRule: string | null = null;
  private index: LineIndex | null = null;
  private hasNoqa: boolean | undefined;
  private pending: Finding[] = [];
  hasSyntaxError = false;
  /** Codes of the rules that ran on this file, and the `line:code` noqa entries that silenced something. */
  readonly ran = new Set<string>();
  private readonly usedNoqa = new Set<string>();
  private readonly noqaByLine = new Map<number, Set<string>>();

  constructor(
    private readonly file: SourceFile,
    private readonly config: RepoConfig,
    /** Where the rule pages are, no trailing slash. */
    private readonly docsBase: string,
  ) {}

  /** False for a file without the word `noqa` (it has no noqa comment: no line to read); searched once. */
  private mayHaveNoqa(): boolean {
    return (this.hasNoqa ??= this.file.text.includes('noqa'));
  }

  lines(): LineIndex {
    return (this.index ??= new LineIndex(this.file.text));
  }

  add(rule: Pick<Rule['meta'], 'code' | 'name' | 'gotcha' | 'severity' | 'fixable'>, report: Report): void {
    const lines = this.lines();
    const range = lines.range(report.start, report.end);
    if (this.mayHaveNoqa()) {
      let noqa = this.noqaByLine.get(range.line);
      // Once per line: many findings on one long line would otherwise rescan it each time.
      if (!noqa) this.noqaByLine.set(range.line, (noqa = noqaCodes(lines.lineText(range.line))));
      if (noqa.has(rule.code)) {
        this.usedNoqa.add(`${range.line}:${rule.code}`);
        return;
      }
    }
    const configured = this.config.rules[rule.code];
    const severity: Severity = configured && configured !== 'off' ? configured : (report.severity ?? rule.severity);
    const finding: Finding = {
      code: rule.code,
      name: rule.name,
      gotcha: rule.gotcha,
      severity,
      path: this.file.path,
      ...range,
      message: report.message,
      docsUrl: docsUrlIn(this.docsBase, rule.code),
    };
    if (report.fix) {
      if (!rule.fixable) throw new Error(`rule ${rule.code} reported a fix but its meta declares none`);
      if (RANK[report.fix.applicability] > RANK[rule.fixable]) {
        throw new Error(`rule ${rule.code} reported a ${report.fix.applicability} fix but declares only ${rule.fixable}`);
      }
      finding.fix = {
        // A file that does not parse cannot prove a fix keeps it valid.
        applicability: this.hasSyntaxError ? 'display' : report.fix.applicability,
        description: report.fix.description,
        edits: report.fix.edits.map((e) => lines.toTextEdit(e)),
      };
    }
    this.pending.push(finding);
  }

  /** `# noqa: CODE` naming a rule that ran here and silenced nothing on that line (like ruff's RUF100). */
  reportUnusedNoqa(): void {
    if (!this.mayHaveNoqa() || this.config.rules[UNUSED_NOQA.code] === 'off') return;
    const lines = this.lines();
    for (const m of this.file.text.matchAll(/(#|\/\/)[ \t]*noqa[ \t]*:[ \t]*([A-Za-z]+[0-9]+(?:[ \t]*,[ \t]*[A-Za-z]+[0-9]+|[ \t]+[A-Za-z]+[0-9]+)*)/gi)) {
      const listStart = m.index! + m[0].length - m[2].length;
      const { line } = lines.position(m.index!);
      const items = [...m[2].matchAll(/(?<![A-Za-z])[A-Za-z]+[0-9]+/g)].map((c) => ({ code: c[0].toUpperCase(), start: listStart + c.index!, end: listStart + c.index! + c[0].length }));
      const unused = items.filter((c) => this.ran.has(c.code) && !this.usedNoqa.has(`${line}:${c.code}`));
      if (unused.length === 0) continue;
      const text = this.file.text;
      const afterList = m.index! + m[0].length;
      const restOfLine = text.slice(afterList, lines.lineEnd(line));
      const report = (start: number, end: number, codes: string[], edit: OffsetEdit | null) =>
        this.add(
          { ...UNUSED_NOQA, severity: 'info', fixable: 'safe' },
          {
            start,
            end,
            message: `Unused \`noqa\`: ${codes.join(', ')} report${codes.length === 1 ? 's' : ''} nothing on this line`,
            fix: edit ? { applicability: 'safe', description: 'Remove the unused code from the `noqa` comment', edits: [edit] } : undefined,
          },
        );
      if (unused.length === items.length) {
        // The whole comment goes, with the blanks before it, unless words follow the codes.
        let from = m.index!;
        while (from > 0 && (text[from - 1] === ' ' || text[from - 1] === '\t')) from--;
        const edit = restOfLine.trim() === '' ? { start: from, end: afterList, text: '' } : null;
        report(unused[0].start, unused[unused.length - 1].end, unused.map((c) => c.code), edit);
        continue;
      }
      for (const c of unused) {
        const i = items.indexOf(c);
        const edit = i > 0 ? { start: items[i - 1].end, end: c.end, text: '' } : { start: c.start, end: items[i + 1].start, text: '' };
        report(c.start, c.end, [c.code], edit);
      }
    }
  }

  flushInto(findings: Finding[]): void {
    findings.push(...this.pending);
    this.pending = [];
  }
}

function parseErrorFinding(sink: FindingSink, text: string, start: number, end: number, message: string): void {
  // At least one character, and never half of a surrogate pair.
  const range = codePointRange(text, start, Math.max(end, start + 1));
  sink.add({ ...PARSE_ERROR, severity: 'error', fixable: undefined }, { ...range, message });
}

/** What a rule sees of one Python file (a class: one is made per rule and file). */
class RuleContext implements PythonContext {
  readonly path: string;
  readonly text: string;

  constructor(
    file: SourceFile,
    readonly workspace: Workspace,
    readonly source: PythonSource,
    readonly profile: RuntimeProfile,
    readonly worker: PythonContext['worker'],
    private readonly meta: Rule['meta'],
    private readonly sink: FindingSink,
  ) {
    this.path = file.path;
    this.text = file.text;
  }

  resolve(node: SyntaxNode): string | null {
    return this.source.resolve(node);
  }

  report(r: Report): void {
    this.sink.add(this.meta, r);
  }

  reportNode(node: SyntaxNode, message: string, fix?: Report['fix'], severity?: Severity): void {
    this.sink.add(this.meta, { start: node.startIndex, end: node.endIndex, message, fix, severity });
  }
}

function parseFile(file: SourceFile, hintNativeMemory: boolean): PythonSource {
  const source = new PythonSource(file.path, file.text);
  if (hintNativeMemory) {
    // An untouched allocation, tied to the tree, of twice its native size (HINT_BYTES_PER_CHAR): V8
    // counts it as external memory and collects often enough for the event loop to free finished trees.
    Object.defineProperty(source.tree, NATIVE_MEMORY_HINT, { value: Buffer.allocUnsafeSlow(file.text.length * HINT_BYTES_PER_CHAR) });
  }
  return source;
}

function lintPython(
  file: SourceFile,
  rules: readonly Rule[],
  workspace: Workspace,
  sink: FindingSink,
  result: AnalyzeResult,
  profile: RuntimeProfile,
  source: PythonSource,
): void {
  result.profiles.set(file.path, profile);
  const syntax = firstSyntaxError(source.root, source.hasError);
  if (syntax) {
    sink.hasSyntaxError = true;
    parseErrorFinding(sink, file.text, syntax.node.startIndex, syntax.node.endIndex, `Python syntax error: ${syntax.message}`);
  }
  const deep = excessiveNesting(file.text, source.root);
  if (deep >= 0) {
    // Python refuses the file, and rules doing a little work per level of nesting would add up to
    // time quadratic in its depth: the syntax error is all that is reported.
    if (!syntax) parseErrorFinding(sink, file.text, deep, deep + 1, `Python syntax error: too many nested parentheses (more than ${MAX_BRACKET_NESTING} levels)`);
    result.skipped.push({ path: file.path, reason: `brackets nested deeper than ${MAX_BRACKET_NESTING} levels (Python refuses it): rules not run` });
    return;
  }
  const worker = workspace.workerOf(file.path);
  const pythonWorker = worker?.python ? worker : null;
  // A rule that throws is reported and the others go on: one failing in setup or in triggerHit is
  // left out of the rest of the file, and the `noqa` comments of one that failed are not judged
  // (PW100 would call them unused).
  const failed = (rule: Rule, err: unknown) => {
    result.ruleErrors.push({ path: file.path, code: rule.meta.code, message: (err as Error).message });
    sink.ran.delete(rule.meta.code);
  };
  // words: the triggers that matter in this file, when the rule narrowed them (triggersFor).
  const running: { rule: Rule; ctx: PythonContext; visitors: PythonVisitors; visits: boolean; words?: string[]; failed?: true }[] = [];
  for (const rule of rules) {
    if (!rule.python || !rule.meta.languages.includes('python')) continue;
    if (rule.meta.appliesTo && (!profile.known || !rule.meta.appliesTo(profile))) continue;
    const ctx = new RuleContext(file, workspace, source, profile, pythonWorker, rule.meta, sink);
    sink.currentRule = rule.meta.code;
    try {
      const visitors = rule.python(ctx);
      // A rule with nothing to visit below the module in this file (it returned {}) needs no trigger words.
      let visits = false;
      for (const type in visitors) if (type !== 'module' && visitors[type]) visits = true;
      const words = visits && rule.triggers?.length && rule.triggersFor ? rule.triggersFor(ctx).filter((w) => rule.triggers!.includes(w)) : undefined;
      running.push({ rule, ctx, visitors, visits, words });
      sink.ran.add(rule.meta.code);
    } catch (err) {
      failed(rule, err);
    }
  }

  const call = (rule: Rule, visitor: (n: SyntaxNode) => void, node: SyntaxNode) => {
    sink.currentRule = rule.meta.code;
    try {
      visitor(node);
    } catch (err) {
      failed(rule, err);
    }
  };
  /** Whether rule `i` wants the hit (false from then on once its triggerHit threw). */
  const wants = (i: number, word: string, start: number, end: number): boolean => {
    const r = running[i]!;
    if (r.failed) return false;
    if (!r.rule.triggerHit) return true;
    sink.currentRule = r.rule.meta.code;
    try {
      return r.rule.triggerHit(r.ctx, word, start, end);
    } catch (err) {
      r.failed = true;
      failed(r.rule, err);
      return false;
    }
  };

  // Whole-module visitors.
  for (const { rule, visitors } of running) if (visitors.module) call(rule, visitors.module, source.root);

  // Rules with triggers: find trigger identifiers once, visit their ancestors up to the statement.
  const byWord = new Map<string, number[]>();
  const untriggered: number[] = [];
  const addWord = (word: string, i: number) => {
    const list = byWord.get(word);
    if (!list) byWord.set(word, [i]);
    else if (!list.includes(i)) list.push(i);
  };
  running.forEach(({ rule, visits, words }, i) => {
    if (!rule.triggers?.length) untriggered.push(i);
    else if (visits) for (const w of words ?? rule.triggers) addWord(w, i);
  });
  if (byWord.size > 0) {
    // Import aliases of a trigger count too (`import requests as r` makes `r` a trigger), in one pass.
    // A rule with triggerModules takes only aliases of (or leading to) those qualified names. In a
    // tree without errors they are the bindings the text spells out, read once per file for the
    // rules too (more than the file's, never fewer: a name an `import` in a string binds becomes a
    // trigger, which costs a descent and finds nothing). Otherwise, the tree's imports (which rules
    // read anyway in such a file: PW004 does).
    // Aliases are found against the words as they were before any was added, then added.
    const aliasWords: string[] = [];
    const aliasRules: number[] = [];
    const within = (q: string, m: string) => q === m || (q.length > m.length ? q.startsWith(m + '.') : m.startsWith(q + '.'));
    const aliasesOf = (local: string, qualified: string) => {
      for (const segment of qualified.split('.')) {
        const list = byWord.get(segment);
        if (!list) continue;
        for (const i of list) {
          const modules = running[i]!.rule.triggerModules;
          if (!modules || modules.some((m) => within(qualified, m))) {
            aliasWords.push(local);
            aliasRules.push(i);
          }
        }
      }
    };
    if (readsTextFirst(source)) for (const b of importBindings(source)) aliasesOf(b.local, qualifiedName(b));
    else for (const b of source.imports()) aliasesOf(b.local, b.qualified);
    for (let k = 0; k < aliasWords.length; k++) addWord(aliasWords[k]!, aliasRules[k]!);
  }
  if (byWord.size > 0) {
    // Per rule, the nodes climbed through. A rule stops climbing at a node it has climbed through
    // before: the hit that got there first went on to the statement, so the rest is done. Without
    // that, a chain of n hits one inside the other (`a + a + … + a`) costs n² steps. The walker
    // keeps one level object per node while the walk is inside it: the sets hold those.
    // (Each rule's set is made when it first climbs: most rules climb in few files.)
    const climbed: (Set<PathLevel> | undefined)[] = [];
    // Types and ranges come from a cursor; a node is made only for a visitor that wants it.
    // The rules' text tests (triggerHit) run before the tree is asked anything: a hit no rule
    // wants costs no descent.
    const tested = new Set<string>();
    for (const [word, list] of byWord) if (list.some((i) => running[i].rule.triggerHit)) tested.add(word);
    const admit = (word: string, start: number, end: number): number[] | null => {
      const list = byWord.get(word)!;
      if (!tested.has(word)) return list;
      let wanted: number[] | null = null;
      for (let k = 0; k < list.length; k++) {
        if (wants(list[k]!, word, start, end)) wanted?.push(list[k]!);
        else wanted ??= list.slice(0, k);
      }
      return wanted === null ? list : wanted.length > 0 ? wanted : null;
    };
    // The rules still climbing from the current hit (reused: a visit never starts another).
    const live: number[] = [];
    source.forEachIdentifierPath(
      byWord,
      (_word, levelAt, nodeAt, admitted) => {
        let count = admitted.length;
        for (let k = 0; k < count; k++) live[k] = admitted[k]!;
        for (let level = 0; count > 0; level++) {
          const at = levelAt(level);
          if (!at) break;
          // A rule with a triggerDepth climbs a bounded way from every hit (another hit may have
          // stopped lower on the same path) and is visited once per node.
          let kept = 0;
          for (let k = 0; k < count; k++) {
            const i = live[k]!;
            const depth = running[i]!.rule.triggerDepth;
            if (depth === undefined ? !climbed[i]?.has(at) : level <= depth) live[kept++] = i;
          }
          count = kept;
          let node: SyntaxNode | null = null;
          for (let k = 0; k < count; k++) {
            const i = live[k]!;
            const rulesClimbed = (climbed[i] ??= new Set());
            if (rulesClimbed.has(at)) continue;
            rulesClimbed.add(at);
            const visitor = running[i]!.visitors[at.type];
            if (!visitor || at.type === 'module') continue;
            call(running[i]!.rule, visitor, (node ??= nodeAt(level)));
          }
        }
      },
      admit,
    );
  }

  // Rules without triggers: every node of the types they asked for, in one native traversal.
  if (untriggered.length > 0) {
    const types = new Set<string>();
    for (const i of untriggered) for (const t of Object.keys(running[i].visitors)) if (t !== 'module') types.add(t);
    if (types.size > 0) {
      for (const node of source.root.descendantsOfType([...types])) {
        for (const i of untriggered) {
          const visitor = running[i].visitors[node.type];
          if (visitor) call(running[i].rule, visitor, node);
        }
      }
    }
  }
  sink.currentRule = null;
  if (file.text.length <= SHAPE_KEEPER_MAX_CHARS) shapeKeeper = { source, sink, running };
}

/**
 * The objects of the last small Python file linted (its source with its spare PathWalkers, sink,
 * rule contexts and the rules' per-file state), kept until the next one replaces them. V8 holds
 * the shapes of class instances weakly: once every instance of a shape is dead, a full GC drops
 * the shape and deoptimizes all code built for it ("weak objects" in --trace-deopt), which
 * happened between every two analyses and at every major GC with no file in progress; the next
 * files then ran slower while V8 recompiled (measured: all rules over 1 MB, CPU ratio to parse
 * 1.37 without this, 1.25 with). Node objects are kept by shapes.ts.
 * What stays reachable until then: that file's tree (at most 16 KB of text, about 45 bytes a
 * character) and, through the rule contexts, the Workspace of its analysis with the texts of the
 * files it was given. The findings do not (the sink hands them over and keeps none).
 */
const SHAPE_KEEPER_MAX_CHARS = 16_000;
let shapeKeeper: object | null = null;

function lintConfig(
  file: SourceFile,
  language: Exclude<Language, 'python'>,
  rules: readonly Rule[],
  workspace: Workspace,
  sink: FindingSink,
  result: AnalyzeResult,
): void {
  let doc: ConfigDocument | null = null;
  let worker = workspace.workerOf(file.path);
  if (language === 'wrangler') {
    const defined = workspace.workerDefinedBy(file.path);
    worker = defined ?? null;
    doc = defined?.config ?? null;
  } else if (language === 'pyproject' && worker?.pyprojectPath === file.path) {
    // The Workspace parsed it already to derive the Worker's SDK.
    doc = worker.pyproject;
  }
  if (language !== 'requirements' && !doc) {
    try {
      doc = ConfigDocument.parse(file.text, language === 'wrangler' || language === 'pyproject' ? configFormat(file.path) : 'jsonc');
    } catch (err) {
      // ConfigDocument.parse throws only ConfigParseError; anything else is a parse failure too.
      const e = err instanceof ConfigParseError ? err : new ConfigParseError(`cannot be read: ${String(err)}`, 0);
      parseErrorFinding(sink, file.text, e.offset, e.offset + 1, `${file.path} does not parse: ${e.message}`);
      return;
    }
  }
  const requirements = language === 'requirements' ? parseRequirements(file.text) : [];
  for (const rule of rules) {
    if (!rule.config || !rule.meta.languages.includes(language)) continue;
    const ctx: ConfigContext = {
      path: file.path,
      text: file.text,
      workspace,
      language,
      worker,
      doc,
      requirements,
      report: (r) => sink.add(rule.meta, r),
    };
    sink.currentRule = rule.meta.code;
    sink.ran.add(rule.meta.code);
    try {
      rule.config(ctx);
    } catch (err) {
      result.ruleErrors.push({ path: file.path, code: rule.meta.code, message: (err as Error).message });
    }
  }
  sink.currentRule = null;
}
