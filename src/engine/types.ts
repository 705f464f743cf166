// Shared shapes of the engine: what rules see, what findings look like on the wire.
// Lines and columns are 1-based; columns count UTF-16 code units (as JS strings and SARIF do).

export type Severity = 'error' | 'warning' | 'info';
export type Applicability = 'safe' | 'unsafe' | 'display';
export type Language = 'python' | 'wrangler' | 'pyproject' | 'requirements' | 'package-json';

/** A range in a file, 1-based lines and columns, end exclusive. */
export interface Range {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** Replace the text of `range` by `text` (an insertion when the range is empty). */
export interface TextEdit extends Range {
  text: string;
}

export interface Fix {
  applicability: Applicability;
  description: string;
  edits: TextEdit[];
}

/** A finding as it appears in `--format json` (DESIGN.md "Findings on the wire"). */
export interface Finding extends Range {
  code: string;
  name: string;
  gotcha: number;
  severity: Severity;
  path: string;
  message: string;
  docsUrl: string;
  fix?: Fix;
}

/** Offsets are UTF-16 code unit indexes into the file text; end exclusive. */
export interface OffsetEdit {
  start: number;
  end: number;
  text: string;
}

export interface OffsetFix {
  applicability: Applicability;
  description: string;
  edits: OffsetEdit[];
}

/** The runtime a Worker runs on, derived as ../shared/spec/runtime-facts.md describes. */
export interface RuntimeProfile {
  /** false when the file belongs to no Python wrangler config (or the config could not be read). */
  known: boolean;
  /** Folder of the Worker ('' for the repository root), null when unknown. */
  workerRoot: string | null;
  /** Path of the wrangler config, null when unknown. */
  configPath: string | null;
  /** YYYY-MM-DD, null when absent. */
  compatibilityDate: string | null;
  /** Flags as written in the config. */
  explicitFlags: string[];
  /** Flags in force: explicit plus date-implied, minus those switched off. */
  flags: Set<string>;
  python: '3.12' | '3.13' | '3.14' | null;
  pyodide: '0.26' | '0.28' | '314' | null;
  sdk: 'vendored' | 'built-in' | 'unknown';
  /** Why the profile is what it is, for messages ("date 2025-09-01 implies …"). */
  notes: string[];
}

export interface RuleDocs {
  /** One line: what the rule reports. */
  summary: string;
  whatItDoes: string;
  whyItBreaks: string;
  /** When the pitfall holds (runtime profile conditions), in words. */
  whenItHolds: string;
  /** Code that triggers the rule. */
  example: string;
  /** The corrected code. */
  useInstead: string;
  fixSafety: string;
  references: { title: string; url: string }[];
}

export interface RuleMeta {
  code: string;
  name: string;
  gotcha: number;
  severity: Severity;
  languages: Language[];
  /** The strongest fix kind the rule may emit; the engine rejects fixes the rule did not declare. */
  fixable?: Applicability;
  docs: RuleDocs;
  /** Where the claim holds. Absent: always. Rules may still decide per finding. */
  appliesTo?: (profile: RuntimeProfile) => boolean;
}
