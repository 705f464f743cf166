// The review layer's public API: diffs, placement, suggestions, fingerprints and Markdown.
export {
  CommentableLines,
  parseGitDiff,
  parsePatch,
  reviewFilesFromDiff,
  type CommentableKind,
  type DiffLine,
  type DiffLineKind,
  type FileDiff,
  type FileDiffStatus,
  type GitDiffOptions,
  type Hunk,
  type HunkSpan,
} from './diff.js';
export { DEFAULT_MAX_COMMENTS, planReview } from './placement.js';
export {
  applyEdits,
  applySuggestions,
  fenceFor,
  lastFlaggedLine,
  parseSuggestionBlock,
  renderFix,
  suggestionBlock,
  suggestionFromComment,
  type CodeBlockReason,
  type FixRendering,
  type LineReplacement,
  type RenderFixOptions,
} from './suggestion.js';
export {
  DEFAULT_TOOL_NAME,
  fingerprint,
  fingerprintFindings,
  fingerprintMarker,
  parseFingerprints,
  splitFingerprint,
  type ParsedFingerprint,
} from './fingerprint.js';
export {
  ANNOTATIONS_PER_REQUEST,
  GITHUB_BODY_LIMIT,
  checkRunAnnotations,
  codeSpan,
  escapeText,
  renderCommentBody,
  renderReviewBody,
  renderReviewMarkdown,
  type CheckRunAnnotation,
  type CommentBodyInput,
  type ReviewBodyInput,
} from './markdown.js';
export { SourceText } from './source-text.js';
export type * from './types.js';
