// What one review costs in GitHub API requests, for pull requests of 10 and 100 lintable files:
// at most N + 5 + ceil(N/100) for N files (in practice far fewer: files are read 50 per request).
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

describe('GitHub API requests per review', () => {
  for (const n of [10, 100]) {
    it(`${n} lintable files`, async () => {
      fake = bulkPullRequest(n);
      const host = await fake.listen();
      const probot = await makeProbot({ baseUrl: `http://${host}` });
      await deliver(probot, pullRequestPayload(fake, 'opened'));

      const total = fake.requests.length;
      const bound = n + 5 + Math.ceil(n / 100);
      console.log(`${n} files: ${total} GitHub API requests (bound ${bound})`, describeRequests(fake));
      expect(fake.submittedReviews()).toHaveLength(1);
      expect(fake.checkRuns[0]!.annotations).toHaveLength(n);
      expect(total).toBeLessThanOrEqual(bound);
    });
  }
});
