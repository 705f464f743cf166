// A local checkout as the review pipeline sees a pull request: the diff of the working tree against
// the merge base of a ref (what GitHub shows for a branch, plus uncommitted changes to tracked
// files), file contents from the working tree, and the configs their Workers need from disk.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { isSkippedPath, languageOf, REPO_CONFIG_PATH, type SourceFile } from '../engine/index.js';
import { contextCandidates } from '../pipeline/context-files.js';
import { parseGitDiff, reviewFilesFromDiff, type FileDiff, type ReviewFile } from '../review/index.js';

/** A problem with the repository or the arguments, worded for a one-line error. */
export class GitError extends Error {}

function git(cwd: string, args: readonly string[]): string {
  try {
    return execFileSync('git', args, {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 512 * 1024 * 1024,
      // Diffs are parsed, so no pager, colour or locale-dependent output.
      env: { ...process.env, GIT_PAGER: 'cat', LC_ALL: 'C' },
    });
  } catch (err) {
    const e = err as NodeJS.ErrnoException & { stderr?: string | Buffer };
    if (e.code === 'ENOENT') throw new GitError('git is not installed or not on PATH');
    const stderr = String(e.stderr ?? '').trim().split('\n')[0] ?? '';
    throw new GitError(stderr.replace(/^(fatal|error): /, '') || `git ${args[0]} failed`);
  }
}

function toPosix(p: string): string {
  return p.split(sep).join('/');
}

/** The top folder of the work tree holding `dir`. */
export function workTreeRoot(dir: string): string {
  if (!existsSync(dir)) throw new GitError(`${dir}: no such directory`);
  const start = statSync(dir).isDirectory() ? dir : resolve(dir, '..');
  try {
    return git(start, ['rev-parse', '--show-toplevel']).trim();
  } catch (err) {
    if (err instanceof GitError && /not a git repository/i.test(err.message)) {
      throw new GitError(`${dir} is not inside a git repository`);
    }
    throw err;
  }
}

/** The commit a ref names, or a GitError "unknown ref". */
export function resolveCommit(root: string, ref: string): string {
  if (ref.startsWith('-')) throw new GitError(`unknown ref \`${ref}\``);
  try {
    return git(root, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`]).trim();
  } catch {
    throw new GitError(`unknown ref \`${ref}\` (not a commit, branch or tag in this repository)`);
  }
}

/** The commit HEAD points to, or undefined in a repository without commits. */
export function headCommit(root: string): string | undefined {
  try {
    return git(root, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']).trim();
  } catch {
    return undefined;
  }
}

/**
 * Where the changes start, as for a pull request: the merge base of `base` and HEAD. When they share
 * no history the ref itself.
 */
export function mergeBase(root: string, base: string): string {
  try {
    return git(root, ['merge-base', base, 'HEAD']).trim() || base;
  } catch {
    return base;
  }
}

/**
 * The diff of the working tree against `from`, renames detected, limited to `pathspec` (relative to
 * the root). Untracked files are not part of it (`git add -N FILE` includes one).
 */
export function diffWorkingTree(root: string, from: string, pathspec?: string): FileDiff[] {
  const args = [
    '-c',
    'core.quotePath=true',
    'diff',
    '--no-color',
    '--no-ext-diff',
    '--no-textconv',
    '--no-relative',
    '-M',
    '--src-prefix=a/',
    '--dst-prefix=b/',
    from,
    '--',
  ];
  if (pathspec && pathspec !== '.') args.push(pathspec);
  return parseGitDiff(git(root, args));
}

/** A file of the work tree as text (invalid UTF-8 replaced, a BOM dropped), undefined when unreadable. */
export function readWorkTreeFile(root: string, path: string): string | undefined {
  try {
    const text = new TextDecoder('utf-8', { fatal: false }).decode(readFileSync(join(root, path)));
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  } catch {
    return undefined;
  }
}

export interface LocalChanges {
  root: string;
  /** The merge base the diff starts from. */
  base: string;
  head: string | undefined;
  /** Changed lintable files (removed ones too) in the shape planReview takes. */
  files: Map<string, ReviewFile>;
  /** Unchanged configs their Workers need. */
  context: SourceFile[];
  /** Changed lintable files that could not be read. */
  unreadable: { path: string; reason: string }[];
  /** The repository config's text and path, if the file exists. */
  repoConfig?: { path: string; text: string };
}

/** Everything `review --base REF [PATH]` needs from a local checkout. */
export function readLocalChanges(ref: string, path = '.'): LocalChanges {
  const target = resolve(path);
  const root = workTreeRoot(target);
  resolveCommit(root, ref);
  const base = mergeBase(root, ref);
  const head = headCommit(root);
  const pathspec = toPosix(relative(root, target)) || '.';
  if (pathspec.startsWith('..')) throw new GitError(`${path} is outside the repository at ${root}`);

  const diffs = diffWorkingTree(root, base, pathspec).filter((d) => languageOf(d.path) && !isSkippedPath(d.path));
  const unreadable: LocalChanges['unreadable'] = [];
  const texts = new Map<string, string>();
  for (const d of diffs) {
    if (d.status === 'removed') continue;
    if (d.binary) {
      unreadable.push({ path: d.path, reason: 'binary file' });
      continue;
    }
    const text = readWorkTreeFile(root, d.path);
    if (text === undefined) unreadable.push({ path: d.path, reason: 'could not be read from the working tree' });
    else texts.set(d.path, text);
  }
  const readable = diffs.filter((d) => d.status === 'removed' || texts.has(d.path));
  const files = reviewFilesFromDiff(readable, (p) => texts.get(p));

  const context: SourceFile[] = [];
  for (const candidate of contextCandidates(files.keys())) {
    const text = readWorkTreeFile(root, candidate);
    if (text !== undefined) context.push({ path: candidate, text });
  }
  const configText = readWorkTreeFile(root, REPO_CONFIG_PATH);
  return {
    root,
    base,
    head,
    files,
    context,
    unreadable,
    ...(configText !== undefined ? { repoConfig: { path: REPO_CONFIG_PATH, text: configText } } : {}),
  };
}
