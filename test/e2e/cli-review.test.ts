// `pyworkers-review review --base REF`: the app's pipeline on a local git repository, printed.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runReviewCommand } from '../../src/cli/review.js';
import { parseFingerprints, parseSuggestionBlock } from '../../src/review/index.js';
import { baseFiles, head1Files } from '../github/fixtures.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const dirs: string[] = [];

function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=Test', '-c', 'user.email=test@example.com', '-c', 'commit.gpgsign=false', ...args], {
    cwd,
    encoding: 'utf8',
  });
}

function writeFiles(root: string, files: Map<string, string>): void {
  for (const [path, text] of files) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
}

/** A repository with `main` at the fixture's base and `feature` checked out at its head. */
function fixtureRepo(): string {
  const root = mkdtempSync(join(tmpdir(), 'pwr-cli-review-'));
  dirs.push(root);
  git(root, 'init', '-q', '-b', 'main');
  writeFiles(root, baseFiles);
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'base');
  git(root, 'checkout', '-q', '-b', 'feature');
  writeFiles(root, head1Files);
  git(root, 'add', '-A');
  git(root, 'commit', '-q', '-m', 'head');
  return root;
}

async function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: any) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: any) => ((stderr += String(chunk)), true));
  try {
    const code = await runReviewCommand(args);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

const PINNED = new Set(['PW001', 'PW002', 'PW004']);

let repo: string;
beforeAll(() => {
  repo = fixtureRepo();
});
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('review --base REF', () => {
  it('prints, as JSON, the comments the app would post for the same change', async () => {
    const { code, stdout, stderr } = await run(['--base', 'main', '--format', 'json', repo]);
    expect(stderr).toBe('');
    expect(code).toBe(1);
    const review = JSON.parse(stdout);
    expect(review).toMatchObject({ version: 1, event: 'COMMENT', commit_id: git(repo, 'rev-parse', 'HEAD').trim() });
    const placed = review.comments
      .filter((c: any) => PINNED.has(c.code))
      .map((c: any) => `${c.path}:${c.start_line !== undefined ? `${c.start_line}-` : ''}${c.line}`);
    // As the app placed them (test/github/app.test.ts); locally the generated file has its diff too.
    expect(placed).toEqual([
      'workers/digest/src/entry.py:1-7',
      'workers/links/src/entry.py:2',
      'workers/links/src/entry.py:7',
      'workers/links/src/tables.py:1',
      'workers/links/wrangler.toml:4',
    ]);
    const importComment = review.comments.find((c: any) => c.path === 'workers/links/src/entry.py' && c.line === 2);
    expect(importComment.suggestion).toEqual({ startLine: 2, endLine: 2, lines: ['from pyodide.ffi import to_js'] });
    expect(parseFingerprints(importComment.body)).toEqual([importComment.fingerprint]);
    expect(review.body).toContain('## pyworkers-review');
    expect(review.findings.every((f: any) => typeof f.docsUrl === 'string' && f.line >= 1)).toBe(true);
  });

  it('prints Markdown: each comment under its location, then the review body', async () => {
    const { code, stdout } = await run(['--base', 'main', repo]);
    expect(code).toBe(1);
    expect(stdout).toContain('### `workers/links/src/entry.py:2`');
    expect(stdout).toContain('### `workers/digest/src/entry.py:1-7`');
    const section = stdout.split('\n---\n').find((s) => s.includes('### `workers/links/src/entry.py:7`'))!;
    expect(parseSuggestionBlock(section)).toEqual(['        data = (await request.json()).to_py()']);
    expect(stdout).toMatch(/## pyworkers-review\n\n\*\*\d+ findings\*\*/);
  });

  it('reviews uncommitted changes to tracked files, limited to PATH', async () => {
    const root = fixtureRepo();
    writeFileSync(join(root, 'workers/links/src/entry.py'), baseFiles.get('workers/links/src/entry.py')!);
    const { stdout } = await run(['--base', 'main', '--format', 'json', join(root, 'workers/links')]);
    const review = JSON.parse(stdout);
    const paths = [...new Set(review.findings.map((f: any) => f.path))];
    expect(paths).not.toContain('workers/links/src/entry.py'); // reverted in the working tree
    expect(paths).not.toContain('workers/digest/src/entry.py'); // outside PATH
    expect(paths).toContain('workers/links/wrangler.toml');
  });

  it('exits 0 with a clean review when nothing is wrong', async () => {
    const { code, stdout } = await run(['--base', 'HEAD', repo]);
    expect(code).toBe(0);
    expect(stdout).toContain('No findings in the changed files.');
  });

  it('reports an invalid repository config and uses the defaults, as the app does', async () => {
    const root = fixtureRepo();
    writeFiles(root, new Map([['.github/pyworkers-review.yml', 'review:\n  filtr: file\n']]));
    const { code, stdout, stderr } = await run(['--base', 'main', '--format', 'json', root]);
    expect(code).toBe(1);
    expect(stderr).toContain('pyworkers-review: .github/pyworkers-review.yml is invalid, using the defaults: unknown key `review.filtr`');
    expect(JSON.parse(stdout).body).toContain('is invalid, so the defaults were used');
  });

  it.each([
    [['--format', 'json'], /--base REF is required/],
    [['--base', 'main', '--format', 'sarif'], /unknown format `sarif`/],
    [['--base', 'no-such-branch'], /unknown ref `no-such-branch`/],
    [['--base', 'main', '--bogus'], /Unknown option '--bogus'/],
  ])('bad usage %j: one line on stderr, exit 2', async (args, message) => {
    const { code, stdout, stderr } = await run([...args, ...(args.includes('--base') ? [repo] : [])]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(message);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr.startsWith('pyworkers-review: ')).toBe(true);
  });

  it('outside a git repository: exit 2', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'pwr-not-git-'));
    dirs.push(outside);
    const { code, stderr } = await run(['--base', 'main', outside]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^pyworkers-review: .* is not inside a git repository\n$/);
  });

  it('is what `pyworkers-review review` runs', () => {
    const result = spawnSync(process.execPath, [join(ROOT, 'bin/pyworkers-review.js'), 'review', '--base', 'main', '--format', 'json'], {
      cwd: repo,
      encoding: 'utf8',
    });
    expect(result.status, result.stderr).toBe(1);
    expect(JSON.parse(result.stdout).version).toBe(1);
  });
});
