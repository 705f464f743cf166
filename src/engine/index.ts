// The engine's public surface: everything the CLI, the review builder and the app use.
export * from './types.js';
export { analyze, analyzeAsync, PARSE_ERROR, type AnalyzeInput, type AnalyzeResult, type SkippedFile } from './runner.js';
export type { Rule, Report, PythonContext, ConfigContext, PythonVisitors } from './rule.js';
export { Workspace, languageOf, isSkippedPath, WRANGLER_NAMES, type SourceFile, type Worker, type RuntimeOverrides } from './workspace.js';
export { deriveProfile, describeProfile, unknownProfile, DATE_IMPLIED_FLAGS, KNOWN_PYTHON_FLAGS } from './profile.js';
export { ConfigDocument, ConfigParseError, type ConfigNode, type ConfigPath } from './config-doc.js';
export { PythonSource, parsePython, enclosingFunction, type SyntaxNode } from './python.js';
export { LineIndex, applyTextEdits, applyOffsetEdits, detectEol, indentationAt } from './text.js';
export { noqaCodes } from './noqa.js';
export { editDistance, nearest } from './spelling.js';
export { docsUrlFor } from './docs-url.js';
export { applyFixes } from './fix.js';
export {
  DEFAULT_CONFIG,
  REPO_CONFIG_PATH,
  RepoConfigError,
  parseRepoConfig,
  resolveRepoConfig,

  type RepoConfig,
} from './repo-config.js';
