// The shapes placement takes and returns; REST field names (start_line, side…) where GitHub reads them.
import type { Finding } from '../engine/types.js';

/** GitHub's file status in "list pull request files". */
export type FileStatus = 'added' | 'modified' | 'renamed' | 'copied' | 'changed' | 'removed' | 'unchanged';

export interface ReviewFile {
  /** Path at head (the new name of a renamed file). */
  path: string;
  /** File content at head. */
  text: string;
  /** The file's hunks; null or undefined when GitHub omitted them (large or binary file). */
  patch: string | null | undefined;
  status: FileStatus;
}

/**
 * Which findings become inline comments: `added` when the first flagged line is an added line,
 * `diff_context` when it is any RIGHT-side line of a hunk, `file` for any line of a changed file
 * (still inline only on hunk lines; the rest are listed as file-level).
 */
export type FilterMode = 'added' | 'diff_context' | 'file';

export interface PlanOptions {
  filter: FilterMode;
  /** Inline comments at most; the rest go to the review body. Default 30. */
  maxComments?: number;
  /** Ask for changes when at least one finding is an error. */
  requestChanges: boolean;
  headSha: string;
  /** Names the review and its hidden markers. Default "pyworkers-review". */
  toolName?: string;
}

export interface RuleReference {
  title: string;
  url: string;
}

/** The rule's short "why it breaks" and its further reading. */
export interface RuleExplanation {
  why: string;
  references: RuleReference[];
}

export interface PlanInput {
  findings: readonly Finding[];
  /** Changed files by head path. */
  files: ReadonlyMap<string, ReviewFile>;
  options: PlanOptions;
  explain?: (code: string) => RuleExplanation | undefined;
}

export interface ReviewComment {
  path: string;
  line: number;
  side: 'RIGHT';
  start_line?: number;
  start_side?: 'RIGHT';
  body: string;
  fingerprint: string;
  finding: Finding;
}

/**
 * Why a finding is listed in the review body instead of inline:
 * `outside-diff` not on a line the filter accepts (or in a file the pull request does not change),
 * `no-patch` GitHub gave no diff for the file, `cap` over `maxComments`,
 * `file-level` about the whole file, or (filter `file`) on a line outside the hunks.
 */
export type BodyReason = 'outside-diff' | 'no-patch' | 'cap' | 'file-level';

export interface BodyFinding {
  finding: Finding;
  reason: BodyReason;
  fingerprint: string;
}

export interface ReviewPlan {
  event: 'COMMENT' | 'REQUEST_CHANGES';
  /** The review's commit: the head SHA the findings were computed on. */
  commit_id: string;
  body: string;
  comments: ReviewComment[];
  bodyFindings: BodyFinding[];
}
