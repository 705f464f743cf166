// The real server as `npm start` runs it (probot run ./dist/src/github/index.js in a child process),
// configured only through Probot's environment variables and pointed, as GitHub Enterprise Server,
// at a fake GitHub on 127.0.0.1 that refuses comments outside the diff as GitHub does.
import { execFileSync } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeGitHub } from '../helpers/fake-github.js';
import { startProbotServer, type ProbotServer } from '../helpers/probot-server.js';
import { HEAD_1, HEAD_2, head2Files, moveHead, pullRequestFake } from '../github/fixtures.js';
import { pullRequestPayload } from '../github/helpers.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SECRET = 'e2e-webhook-secret';

let fake: FakeGitHub;
let server: ProbotServer | undefined;
let appUrl: string;
const output = () => server?.output() ?? '';

/** Sends a webhook as GitHub does: JSON body signed with the secret (HMAC SHA-256). */
async function sendWebhook(name: string, payload: unknown, delivery: string): Promise<Response> {
  const body = JSON.stringify(payload);
  const signature = `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
  return fetch(`${appUrl}/api/github/webhooks`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'user-agent': 'GitHub-Hookshot/e2e',
      'x-github-event': name,
      'x-github-delivery': delivery,
      'x-hub-signature-256': signature,
    },
    body,
  });
}

beforeAll(async () => {
  if (!existsSync(`${ROOT}/dist/src/github/index.js`)) {
    try {
      execFileSync(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.json'], { cwd: ROOT, stdio: 'pipe' });
    } catch {
      // Type errors elsewhere still emit JavaScript; the check below is what matters.
    }
    if (!existsSync(`${ROOT}/dist/src/github/index.js`)) throw new Error('npm run build did not produce dist/src/github/index.js');
  }
  fake = pullRequestFake();
  const gheHost = await fake.listen();
  server = await startProbotServer({ root: ROOT, gheHost, secret: SECRET });
  appUrl = server.url;
}, 90_000);

afterAll(async () => {
  await server?.stop();
  await fake?.close();
});

describe('the server as npm start runs it', () => {
  it('reviews an opened pull request through the GitHub Enterprise API', async () => {
    const res = await sendWebhook('pull_request', pullRequestPayload(fake, 'opened'), 'delivery-opened');
    expect(res.status, output()).toBe(200);

    // Everything went to the fake GitHub Enterprise host: REST under /api/v3, GraphQL at /api/graphql.
    expect(fake.requests.length).toBeGreaterThan(0);
    for (const r of fake.requests) expect(r.rawPath).toMatch(r.operation ? /^\/api\/graphql$/ : /^\/api\/v3\//);
    const reviews = fake.submittedReviews();
    expect(reviews, output()).toHaveLength(1);
    expect(reviews[0]!.commit_id).toBe(HEAD_1);
    expect(reviews[0]!.body).toContain('## pyworkers-review');
    // The fake refuses comments outside the diff with 422; these were all accepted.
    expect(fake.commentsOf(reviews[0]!.id).length).toBeGreaterThanOrEqual(4);
    expect(fake.checkRuns).toHaveLength(1);
    expect(fake.checkRuns[0]).toMatchObject({ head_sha: HEAD_1, status: 'completed', conclusion: 'failure' });
  });

  it('changes nothing on a redelivery', async () => {
    const before = { reviews: fake.reviews.length, comments: fake.comments.length, checks: fake.checkRuns.length };
    const res = await sendWebhook('pull_request', pullRequestPayload(fake, 'opened'), 'delivery-opened');
    expect(res.status, output()).toBe(200);
    expect({ reviews: fake.reviews.length, comments: fake.comments.length, checks: fake.checkRuns.length }).toEqual(before);
  });

  it('on synchronize, comments only on what is new and resolves what is gone', async () => {
    const commentsBefore = fake.comments.length;
    moveHead(fake, HEAD_2, head2Files());
    const res = await sendWebhook('pull_request', pullRequestPayload(fake, 'synchronize'), randomUUID());
    expect(res.status, output()).toBe(200);
    const reviews = fake.submittedReviews();
    expect(reviews.map((r) => r.commit_id)).toEqual([HEAD_1, HEAD_2]);
    const added = fake.comments.slice(commentsBefore);
    expect(added.map((c) => `${c.path}:${c.line}`)).toEqual(['workers/links/src/entry.py:8']);
    expect(fake.threads.filter((t) => t.isResolved)).toHaveLength(1);
    expect(fake.checkRuns.map((r) => r.head_sha)).toEqual([HEAD_1, HEAD_2]);
  });

  it('rejects a webhook with a wrong signature', async () => {
    const requests = fake.requests.length;
    const body = JSON.stringify(pullRequestPayload(fake, 'opened'));
    const res = await fetch(`${appUrl}/api/github/webhooks`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-github-event': 'pull_request',
        'x-github-delivery': randomUUID(),
        'x-hub-signature-256': `sha256=${'0'.repeat(64)}`,
      },
      body,
    });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(fake.requests.length).toBe(requests);
  });
});
