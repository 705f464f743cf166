// What one review costs in GitHub API requests, for pull requests of 0, 1, 10 and 100 lintable
// files: at most N + 5 + ceil(N/100) for N files (in practice far fewer: files are read 50 per
// request, and the repository config rides in the first of those requests).
import { afterEach, describe, expect, it } from 'vitest';
import { FakeGitHub } from '../helpers/fake-github.js';
import { deliver, makeProbot, pullRequestPayload } from './helpers.js';

const BASE = 'a'.repeat(40);
const HEAD = 'b'.repeat(40);

const wrangler = `name = "bulk"
main = "src/entry.py"
compatibility_date = "2025-03-10"
compatibility_flags = ["python_workers"]
`;

/** A Worker whose pull request adds `n` modules, each with one finding (and one suggestion). */
function bulkPullRequest(n: number): FakeGitHub {
  const base = new Map([['app/wrangler.toml', wrangler]]);
  const head = new Map(base);
  for (let i = 0; i < n; i++) {
    head.set(`app/src/mod_${String(i).padStart(3, '0')}.py`, `from pyodide.ffi import to_js, to_py\n\nVALUE_${i} = to_js(${i})\n`);
  }
  const fake = new FakeGitHub();
  fake.commits.set(BASE, base);
  fake.pr.baseSha = BASE;
  fake.setHead(HEAD, head, FakeGitHub.diffFiles(base, head));
  return fake;
}

function describeRequests(fake: FakeGitHub): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of fake.requests) {
    const key = r.operation
      ? `POST graphql ${r.operation}`
      : `${r.method} ${r.path.replace(/^\/repos\/[^/]+\/[^/]+/, '/repos/{o}/{r}').replace(/\/\d+(?=\/|$)/g, '/{n}').replace(/\/contents\/.*/, '/contents/{path}')}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

let fake: FakeGitHub | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function review(f: FakeGitHub): Promise<void> {
  const host = await f.listen();
  const probot = await makeProbot({ baseUrl: `http://${host}` });
  await deliver(probot, pullRequestPayload(f, 'opened'));
}

describe('GitHub API requests per review', () => {
  it('1 lintable file: 6 requests (bound 7), the config read with the file', async () => {
    fake = bulkPullRequest(1);
    await review(fake);
    console.log(`1 file: ${fake.requests.length} GitHub API requests (bound 7)`, describeRequests(fake));
    expect(fake.submittedReviews()).toHaveLength(1);
    expect(describeRequests(fake)).toEqual({
      'POST /app/installations/{n}/access_tokens': 1,
      'GET /repos/{o}/{r}/pulls/{n}/files': 1,
      'POST graphql PyworkersFiles': 1,
      'POST graphql PyworkersReviewState': 1,
      'POST /repos/{o}/{r}/pulls/{n}/reviews': 1,
      'POST /repos/{o}/{r}/check-runs': 1,
    });
    expect(fake.requests.length).toBeLessThanOrEqual(7);
  });

  it("1 lintable file with a config in the repository or the owner's .github repository: still 6", async () => {
    for (const where of ['repository', '.github'] as const) {
      fake = bulkPullRequest(1);
      const config = new Map([['.github/pyworkers-review.yml', 'review:\n  request_changes: true\n']]);
      if (where === 'repository') fake.defaultBranch = config;
      else fake.otherRepos.set(`${fake.owner}/.github`, config);
      await review(fake);
      // The config applied: the error makes the review request changes.
      expect(fake.submittedReviews().map((r) => r.state), where).toEqual(['CHANGES_REQUESTED']);
      expect(fake.requests.length, where).toBe(6);
      await fake.close();
    }
  });

  it('no lintable file: 5 requests (bound 5), the config read alone in the files query', async () => {
    fake = bulkPullRequest(0);
    const head = new Map([['README.md', '# Bulk\n']]);
    fake.setHead(HEAD, head, FakeGitHub.diffFiles(new Map(), head));
    await review(fake);
    expect(describeRequests(fake)).toEqual({
      'POST /app/installations/{n}/access_tokens': 1,
      'GET /repos/{o}/{r}/pulls/{n}/files': 1,
      'POST graphql PyworkersFiles': 1,
      'POST graphql PyworkersReviewState': 1,
      'POST /repos/{o}/{r}/check-runs': 1,
    });
    expect(fake.checkRuns.map((r) => r.conclusion)).toEqual(['success']);
  });

  for (const n of [10, 100]) {
    it(`${n} lintable files`, async () => {
      fake = bulkPullRequest(n);
      await review(fake);

      const total = fake.requests.length;
      const bound = n + 5 + Math.ceil(n / 100);
      console.log(`${n} files: ${total} GitHub API requests (bound ${bound})`, describeRequests(fake));
      expect(fake.submittedReviews()).toHaveLength(1);
      expect(fake.checkRuns[0]!.annotations).toHaveLength(n);
      expect(total).toBeLessThanOrEqual(bound);
    });
  }
});
