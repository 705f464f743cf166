// The server as `npm start` runs it: time from process start to accepting webhooks, and from a
// signed pull_request webhook to the posted review, against the test suite's fake GitHub served on
// 127.0.0.1 as a GitHub Enterprise host (no other network).
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac, generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:net';
import { FakeGitHub } from '../test/helpers/fake-github.js';
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

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
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

interface Started {
  child: ChildProcess;
  url: string;
  ms: number;
  output: () => string;
}

async function startServer(root: string, gheHost: string, privateKey: string): Promise<Started> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let output = '';
  const t0 = performance.now();
  // Only what Probot reads: nothing inherited could point it at a real GitHub.
  const child = spawn(process.execPath, ['node_modules/probot/bin/probot.js', 'run', './dist/src/github/index.js'], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      APP_ID: '123',
      PRIVATE_KEY: privateKey,
      WEBHOOK_SECRET: SECRET,
      PORT: String(port),
      HOST: '127.0.0.1',
      GHE_HOST: gheHost,
      GHE_PROTOCOL: 'http',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const deadline = t0 + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}):\n${output}`);
    try {
      const res = await fetch(`${url}/ping`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (performance.now() > deadline) throw new Error(`the server did not start in 30 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 5));
  }
  return { child, url, ms: performance.now() - t0, output: () => output };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
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
  const privateKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  try {
    const startupRuns: number[] = [];
    for (let i = 0; i < options.starts - 1; i++) {
      const s = await startServer(root, gheHost, privateKey);
      startupRuns.push(s.ms);
      await stop(s.child);
    }
    const server = await startServer(root, gheHost, privateKey);
    startupRuns.push(server.ms);
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
      await stop(server.child);
    }
  } finally {
    await fake.close();
  }
}
