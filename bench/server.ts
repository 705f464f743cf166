// The server as `npm start` runs it: time from process start to accepting webhooks, and from a
// signed pull_request webhook to the posted review, against the test suite's fake GitHub served on
// 127.0.0.1 as a GitHub Enterprise host (no other network).
import { createHmac } from 'node:crypto';
import { FakeGitHub } from '../test/helpers/fake-github.js';
import { startProbotServer, testPrivateKey } from '../test/helpers/probot-server.js';
import { median, round } from './measure.js';
import { generatePullRequest } from './pull-request.js';

const SECRET = 'bench-webhook-secret';
const BASE = 'a'.repeat(40);

export interface ServerBench {
  /** Process start to the first answer on /ping, median over starts. */
  startupMs: number;
  startupRuns: number[];
  /** Signed webhook sent to review posted (Probot answers after the handler), first delivery. */
  firstWebhookToReviewMs: number;
  /** Median over further deliveries, each a new head of the same 10-file pull request. */
  webhookToReviewMs: number;
  webhookRuns: number[];
  /** Webhook sent to the first write request (the review or the check run), median over later deliveries. */
  webhookToFirstWriteMs: number;
  files: number;
  requestsPerReview: number;
  /** Requests per review that Octokit's throttling spaces at least 1 s apart: writes and GraphQL queries. */
  throttledPerReview: number;
}

function sha(n: number): string {
  return n.toString(16).padStart(40, 'c');
}

function payload(fake: FakeGitHub, action: 'opened' | 'synchronize', headSha: string): unknown {
  const owner = { login: fake.owner, id: 1, type: 'Organization' };
  return {
    action,
    number: fake.number,
    installation: { id: fake.installationId, node_id: 'MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNDI0Mg==' },
    repository: { id: 2, name: fake.repo, full_name: `${fake.owner}/${fake.repo}`, owner, default_branch: 'main', private: false },
    sender: { login: 'octocat', id: 3, type: 'User' },
    pull_request: {
      number: fake.number,
      state: 'open',
      draft: false,
      changed_files: fake.pr.files.length,
      head: { sha: headSha, ref: 'feature', repo: { name: fake.repo, owner } },
      base: { sha: BASE, ref: 'main', repo: { name: fake.repo, owner } },
      user: { login: 'octocat', id: 3, type: 'User' },
    },
  };
}

function startServer(root: string, gheHost: string, privateKey: string) {
  return startProbotServer({ root, gheHost, secret: SECRET, privateKey, logLevel: 'warn', pollMs: 5 });
}

async function deliver(url: string, body: string, delivery: string): Promise<Response> {
  const signature = `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`;
  return fetch(`${url}/api/github/webhooks`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'user-agent': 'GitHub-Hookshot/bench',
      'x-github-event': 'pull_request',
      'x-github-delivery': delivery,
      'x-hub-signature-256': signature,
    },
    body,
  });
}

export async function benchServer(root: string, options: { starts: number; deliveries: number; files: number }): Promise<ServerBench> {
  const pr = generatePullRequest(options.files, 77);
  const fake = new FakeGitHub();
  fake.commits.set(BASE, new Map());
  fake.pr.baseSha = BASE;
  fake.setHead(sha(0), pr.head, pr.files);
  const gheHost = await fake.listen();
  const privateKey = testPrivateKey();
  try {
    const startupRuns: number[] = [];
    for (let i = 0; i < options.starts - 1; i++) {
      const s = await startServer(root, gheHost, privateKey);
      startupRuns.push(s.startMs);
      await s.stop();
    }
    const server = await startServer(root, gheHost, privateKey);
    startupRuns.push(server.startMs);
    try {
      const latencies: number[] = [];
      const firstWrites: number[] = [];
      let requestsPerReview = 0;
      let throttledPerReview = 0;
      let firstWriteAt: number | null = null;
      fake.onRequest = (r) => {
        if (firstWriteAt === null && r.method !== 'GET' && !r.operation && !r.path.includes('/access_tokens')) firstWriteAt = performance.now();
      };
      for (let i = 0; i < options.deliveries; i++) {
        // Each delivery is a new head: a full review, as after a push.
        const head = sha(i);
        fake.setHead(head, pr.head, pr.files);
        const reviewsBefore = fake.submittedReviews().length;
        const requestsBefore = fake.requests.length;
        const body = JSON.stringify(payload(fake, i === 0 ? 'opened' : 'synchronize', head));
        firstWriteAt = null;
        const t0 = performance.now();
        const res = await deliver(server.url, body, `bench-${i}`);
        await res.text();
        // Probot answers once the handler finished; wait for the review anyway in case it did not.
        while (fake.submittedReviews().length === reviewsBefore && fake.checkRuns.filter((r) => r.head_sha === head).length === 0) {
          if (performance.now() - t0 > 30_000) throw new Error(`no review after 30 s (HTTP ${res.status}):\n${server.output()}`);
          await new Promise((r) => setTimeout(r, 2));
        }
        latencies.push(performance.now() - t0);
        firstWrites.push((firstWriteAt ?? performance.now()) - t0);
        const made = fake.requests.slice(requestsBefore);
        requestsPerReview = made.length;
        throttledPerReview = made.filter((r) => r.method !== 'GET' && !r.path.includes('/access_tokens')).length;
        if (res.status !== 200) throw new Error(`webhook answered ${res.status}:\n${server.output()}`);
      }
      const warm = latencies.slice(1);
      return {
        startupMs: round(median(startupRuns), 0),
        startupRuns: startupRuns.map((ms) => round(ms, 0)),
        firstWebhookToReviewMs: round(latencies[0]!, 0),
        webhookToReviewMs: round(median(warm.length ? warm : latencies), 0),
        webhookRuns: latencies.map((ms) => round(ms, 0)),
        webhookToFirstWriteMs: round(median(firstWrites.slice(1).length ? firstWrites.slice(1) : firstWrites), 0),
        files: options.files,
        requestsPerReview,
        throttledPerReview,
      };
    } finally {
      await server.stop();
    }
  } finally {
    await fake.close();
  }
}
