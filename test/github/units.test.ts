// The app's plain functions one by one: event routing, reading files, markers, check-run verdicts.
import nock from 'nock';
import { describe, expect, it } from 'vitest';
import { conclusionOf, checkTitle } from '../../src/github/check-run.js';
import { triggerOf, type PullRequestPayload } from '../../src/github/events.js';
import { listChangedFiles, MAX_LISTED_FILES, readFiles, readFilesWith } from '../../src/github/fetch.js';
import { configRider } from '../../src/github/repo-config.js';
import { misplacedComments } from '../../src/github/post-review.js';
import { contextCandidates } from '../../src/pipeline/context-files.js';
import {
  composeReviewBody,
  configToken,
  firstSentences,
  parseListedFingerprints,
  parseReviewHead,
  shortFingerprint,
} from '../../src/pipeline/review-pipeline.js';
import { DEFAULT_CONFIG, type Finding } from '../../src/engine/index.js';
import type { ReviewComment } from '../../src/review/index.js';
import { FakeGitHub, unifiedPatch } from '../helpers/fake-github.js';
import { bodyOf, Expect, useNock } from './nock-github.js';
import { pullRequestPayload, testOctokit } from './helpers.js';

const API = 'https://api.github.com';

function finding(severity: Finding['severity'], path = 'src/entry.py', line = 1): Finding {
  return { code: 'PW004', name: 'to-py-is-a-method', gotcha: 4, severity, path, line, column: 1, endLine: line, endColumn: 2, message: 'm', docsUrl: 'https://example.com/PW004.md' };
}

function octokit() {
  return new testOctokit({ auth: { token: 'test-token' } } as any);
}

useNock();

describe('triggerOf', () => {
  const fake = new FakeGitHub();
  fake.pr.headSha = 'f'.repeat(40);

  it.each([
    ['opened', 'opened'],
    ['reopened', 'reopened'],
    ['synchronize', 'synchronize'],
    ['ready_for_review', 'ready_for_review'],
    ['labeled', null],
    ['assigned', null],
  ] as const)('%s → %s', (action, expected) => {
    expect(triggerOf(pullRequestPayload(fake, action) as PullRequestPayload)).toBe(expected);
  });

  it('reviews an edit only when the base branch changed', () => {
    expect(triggerOf(pullRequestPayload(fake, 'edited', { baseChanged: true }) as PullRequestPayload)).toBe('base-changed');
    expect(triggerOf(pullRequestPayload(fake, 'edited', { titleChanged: true }) as PullRequestPayload)).toBeNull();
  });

  it('ignores closed pull requests, whatever the action', () => {
    expect(triggerOf(pullRequestPayload(fake, 'closed', { state: 'closed' }) as PullRequestPayload)).toBeNull();
    expect(triggerOf(pullRequestPayload(fake, 'edited', { state: 'closed', baseChanged: true }) as PullRequestPayload)).toBeNull();
  });
});

describe('listChangedFiles', () => {
  it('pages through 100 files at a time and stops at GitHub’s 3,000', async () => {
    const fake = new FakeGitHub();
    fake.pr.files = Array.from({ length: 3050 }, (_, i) => ({ filename: `f${i}.py`, status: 'added' as const, patch: '@@ -0,0 +1 @@\n+x' }));
    new Expect(fake).call('GET', `/repos/${fake.owner}/${fake.repo}/pulls/${fake.number}/files`, { query: true, times: 30 });
    const files = await listChangedFiles(octokit(), fake);
    expect(files).toHaveLength(MAX_LISTED_FILES);
    expect(fake.requests.map((r) => r.query.get('page') ?? '1')).toEqual(Array.from({ length: 30 }, (_, i) => String(i + 1)));
    expect(fake.requests.every((r) => r.query.get('per_page') === '100')).toBe(true);
  });
});

describe('readFiles', () => {
  const at = { owner: 'o', repo: 'r', sha: 'a'.repeat(40) };

  it('falls back to the contents API for a truncated blob or a failed batch, and reports binaries', async () => {
    nock(API)
      .post('/graphql', (b) => /^query PyworkersFiles/.test(b.query))
      .reply(200, {
        data: {
          repository: {
            f0: { byteSize: 12, isBinary: false, isTruncated: false, text: '\uFEFFprint(1)\n' },
            f1: { byteSize: 9_000_000, isBinary: false, isTruncated: true, text: 'cut' },
            f2: { byteSize: 10, isBinary: true, isTruncated: false, text: null },
            f3: null,
            f4: null,
          },
        },
      });
    nock(API).get(`/repos/o/r/contents/big.py`).query({ ref: at.sha }).reply(200, 'x = 1\n' as any, { 'content-type': 'text/plain' });
    nock(API).get(`/repos/o/r/contents/gone.py`).query({ ref: at.sha }).reply(404, { message: 'Not Found' });
    const reads = await readFiles(octokit(), at, { required: ['a.py', 'big.py', 'blob.py', 'gone.py'], optional: ['wrangler.toml'] });
    expect(Object.fromEntries(reads)).toEqual({
      'a.py': { kind: 'text', text: 'print(1)\n' },
      'big.py': { kind: 'text', text: 'x = 1\n' },
      'blob.py': { kind: 'unreadable', reason: 'binary file' },
      'gone.py': { kind: 'missing' },
      'wrangler.toml': { kind: 'missing' },
    });
  });

  it('reads through REST when GraphQL fails, and keeps partial data', async () => {
    nock(API)
      .post('/graphql')
      .reply(200, { data: { repository: { f0: { byteSize: 3, isBinary: false, isTruncated: false, text: 'ok\n' }, f1: null } }, errors: [{ message: 'timeout' }] });
    nock(API).get('/repos/o/r/contents/b.py').query(true).reply(200, 'b\n' as any, { 'content-type': 'text/plain' });
    const reads = await readFiles(octokit(), at, { required: ['a.py', 'b.py'], optional: [] });
    expect(reads.get('a.py')).toEqual({ kind: 'text', text: 'ok\n' });
    expect(reads.get('b.py')).toEqual({ kind: 'text', text: 'b\n' });
  });

  it('takes a rider in the first query only; errors under its aliases alone are no failure', async () => {
    const fake = new FakeGitHub({ owner: 'o', repo: 'r' });
    fake.commits.set(at.sha, new Map([...Array.from({ length: 60 }, (_, i) => [`m${i}.py`, `X = ${i}\n`] as [string, string])]));
    fake.defaultBranch.set('.github/pyworkers-review.yml', 'review:\n  max_comments: 2\n');
    new Expect(fake).graphql('PyworkersFiles', 2);
    const warnings: unknown[] = [];
    const log = { warn: (...args: unknown[]) => warnings.push(args), debug: () => undefined } as any;
    const paths = { required: Array.from({ length: 60 }, (_, i) => `m${i}.py`), optional: [] };
    const { reads, rider } = await readFilesWith(octokit(), at, paths, configRider(at), log);
    expect(rider).toEqual({ exact: true, data: { review: { max_comments: 2 } } });
    expect(reads.get('m59.py')).toEqual({ kind: 'text', text: 'X = 59\n' });
    // The owner has no `.github` repository: GitHub said NOT_FOUND for it, which is nothing to warn of.
    expect(warnings).toEqual([]);
    const queries = fake.requests.map((r) => r.body.query as string);
    expect(queries.map((q) => q.includes('ownerConfigRepo: repository(owner: $owner, name: ".github")'))).toEqual([true, false]);
  });

  it('makes the rider its query when there is no file to read', async () => {
    const fake = new FakeGitHub({ owner: 'o', repo: '.github' });
    fake.defaultBranch.set('.github/pyworkers-review.yml', '_extends: elsewhere\n');
    new Expect(fake).graphql('PyworkersFiles');
    const { reads, rider } = await readFilesWith(octokit(), { ...at, repo: '.github' }, { required: [], optional: [] }, configRider({ owner: 'o', repo: '.github' }));
    expect(reads.size).toBe(0);
    expect(rider).toEqual({ exact: false, reason: 'the repository: _extends' });
    // The `.github` repository itself has no fallback to ask for.
    expect(fake.requests[0]!.body.query).not.toContain('ownerConfigRepo');
  });

  it('warns and falls back when a file, not the rider, has an error', async () => {
    nock(API)
      .post('/graphql')
      .reply(200, {
        data: { repository: { f0: null, config: null, configFolder: null }, ownerConfigRepo: null },
        errors: [
          { type: 'NOT_FOUND', path: ['ownerConfigRepo'], message: 'no .github' },
          { type: 'SERVICE_UNAVAILABLE', path: ['repository', 'f0'], message: 'timeout' },
        ],
      });
    nock(API).get('/repos/o/r/contents/a.py').query(true).reply(200, 'a\n' as any, { 'content-type': 'text/plain' });
    const warnings: unknown[] = [];
    const log = { warn: (...args: unknown[]) => warnings.push(args) } as any;
    const { reads, rider } = await readFilesWith(octokit(), at, { required: ['a.py'], optional: [] }, configRider(at), log);
    expect(reads.get('a.py')).toEqual({ kind: 'text', text: 'a\n' });
    expect(rider).toEqual({ exact: true, data: null });
    expect(warnings).toHaveLength(1);
  });

  it('asks for at most 50 files per GraphQL request', async () => {
    const sizes: number[] = [];
    nock(API)
      .post('/graphql')
      .times(3)
      .reply(async (request: Request) => {
        const body = (await bodyOf(request)) as { variables: Record<string, string> };
        const keys = Object.keys(body.variables).filter((k) => /^p\d+$/.test(k));
        sizes.push(keys.length);
        return [200, { data: { repository: Object.fromEntries(keys.map((k) => [`f${k.slice(1)}`, null])) } }];
      });
    const optional = Array.from({ length: 120 }, (_, i) => `d${i}/wrangler.toml`);
    await readFiles(octokit(), at, { required: [], optional });
    expect(sizes).toEqual([50, 50, 20]);
  });
});

describe('contextCandidates', () => {
  it('lists every wrangler config and pyproject.toml above the changed files, except changed ones', () => {
    expect(contextCandidates(['app/src/entry.py', 'app/wrangler.toml', 'node_modules/x/y.py'])).toEqual([
      'app/pyproject.toml',
      'app/src/pyproject.toml',
      'app/src/wrangler.json',
      'app/src/wrangler.jsonc',
      'app/src/wrangler.toml',
      'app/wrangler.json',
      'app/wrangler.jsonc',
      'pyproject.toml',
      'wrangler.json',
      'wrangler.jsonc',
      'wrangler.toml',
    ]);
  });
});

describe('hidden markers and the review body', () => {
  it('round-trips the head SHA and the fingerprints listed without a comment', () => {
    const f = finding('error', 'src/a.py', 3);
    const body = composeReviewBody({
      findings: [f],
      comments: [],
      bodyFindings: [{ finding: f, reason: 'no-patch', fingerprint: 'PW004:src/a.py:0123456789abcdef' }],
      config: structuredClone(DEFAULT_CONFIG),
      headSha: 'c'.repeat(40),
      notes: { config: { source: '.github/pyworkers-review.yml', problems: ['unknown key `x`'] } },
    });
    expect(parseReviewHead(body)).toBe('c'.repeat(40));
    expect(parseListedFingerprints(body)).toEqual(
      new Set([shortFingerprint('PW004:src/a.py:0123456789abcdef'), configToken({ source: '.github/pyworkers-review.yml', problems: ['unknown key `x`'] })]),
    );
    expect(parseReviewHead(body, 'another-tool')).toBeUndefined();
    expect(body).toContain('- unknown key `x`');
  });

  it('keeps the why to two sentences, never splitting inside code', () => {
    expect(firstSentences('Use `a.b()`. Then this. And not this.', 2)).toBe('Use `a.b()`. Then this.');
    expect(firstSentences('Versions 0.26, 0.28. Next one! Third?', 2)).toBe('Versions 0.26, 0.28. Next one!');
    expect(firstSentences('No full stop', 2)).toBe('No full stop');
  });
});

describe('misplacedComments', () => {
  it('catches a line outside the hunks, a range across two hunks, and a file without a diff', () => {
    const before = Array.from({ length: 30 }, (_, i) => `line ${i + 1}`).join('\n') + '\n';
    const after = before.replace('line 3\n', 'line 3 changed\n').replace('line 25\n', 'line 25 changed\n');
    const patch = unifiedPatch(before, after);
    const files = new Map([
      ['a.py', { path: 'a.py', text: after, patch, status: 'modified' as const }],
      ['b.py', { path: 'b.py', text: after, patch: null, status: 'modified' as const }],
    ]);
    const comment = (path: string, line: number, start?: number) =>
      ({ path, line, side: 'RIGHT', ...(start ? { start_line: start, start_side: 'RIGHT' } : {}), body: 'x', fingerprint: 'f', finding: finding('error', path, line) }) as ReviewComment;
    const ok = comment('a.py', 3);
    const outside = comment('a.py', 15);
    const across = comment('a.py', 25, 3);
    const noPatch = comment('b.py', 3);
    expect(misplacedComments([ok, outside, across, noPatch], files)).toEqual([outside, across, noPatch]);
  });
});

describe('check run verdict', () => {
  it('fails on errors, is neutral on warnings, succeeds on info or nothing', () => {
    expect(conclusionOf([finding('info'), finding('error')])).toBe('failure');
    expect(conclusionOf([finding('info'), finding('warning')])).toBe('neutral');
    expect(conclusionOf([finding('info')])).toBe('success');
    expect(conclusionOf([])).toBe('success');
    expect(checkTitle([finding('error'), finding('error'), finding('warning')])).toBe('2 errors, 1 warning');
    expect(checkTitle([])).toBe('No findings');
  });
});
