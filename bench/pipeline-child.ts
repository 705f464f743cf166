// One pull-request review through the real app (Probot, createApp, every rule) against the test
// suite's fake GitHub, called in-process with a fixed simulated latency per request. Run in a fresh
// process per size so that peak RSS belongs to that size:
//   node --expose-gc dist/bench/pipeline-child.js <files> [latencyMs]
// Prints one JSON line.
import { generateKeyPairSync } from 'node:crypto';
import { Probot, ProbotOctokit } from 'probot';
import { createApp } from '../src/github/index.js';
import { FakeGitHub, type RequestRecord } from '../test/helpers/fake-github.js';
import { collectGarbage, peakRssMb } from './measure.js';
import { generatePullRequest } from './pull-request.js';

const files = Number(process.argv[2] ?? 10);
const latencyMs = Number(process.argv[3] ?? 50);
const HEAD = 'b'.repeat(40);
const BASE = 'a'.repeat(40);

function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** GitHub as an in-process function: a fixed latency, then the fake's answer. */
class LatentGitHub {
  /** Wall time during which at least one simulated request was waiting. */
  waitedMs = 0;
  /** CPU time the fake spent answering (GitHub's work, not the app's). */
  fakeCpuMs = 0;
  private inFlight = 0;
  private since = 0;

  constructor(
    readonly fake: FakeGitHub,
    private readonly latency: number,
  ) {}

  private async wait(): Promise<void> {
    if (this.inFlight++ === 0) this.since = performance.now();
    await new Promise((resolve) => setTimeout(resolve, this.latency));
    if (--this.inFlight === 0) this.waitedMs += performance.now() - this.since;
  }

  readonly fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const method = (init?.method ?? 'GET').toUpperCase();
    await this.wait();
    const t0 = cpuMs();
    const raw = typeof init?.body === 'string' ? init.body : undefined;
    const answer = this.fake.handle(method, url, raw ? JSON.parse(raw) : undefined);
    const response = new Response(answer.status === 204 || answer.body === '' ? null : answer.body, { status: answer.status, headers: answer.headers });
    this.fakeCpuMs += cpuMs() - t0;
    return response;
  };
}

function payload(fake: FakeGitHub, changedFiles: number): unknown {
  const owner = { login: fake.owner, id: 1, type: 'Organization' };
  return {
    action: 'opened',
    number: fake.number,
    installation: { id: fake.installationId, node_id: 'MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNDI0Mg==' },
    repository: { id: 2, name: fake.repo, full_name: `${fake.owner}/${fake.repo}`, owner, default_branch: 'main', private: false },
    sender: { login: 'octocat', id: 3, type: 'User' },
    pull_request: {
      number: fake.number,
      state: 'open',
      draft: false,
      changed_files: changedFiles,
      head: { sha: HEAD, ref: 'feature', repo: { name: fake.repo, owner } },
      base: { sha: BASE, ref: 'main', repo: { name: fake.repo, owner } },
      user: { login: 'octocat', id: 3, type: 'User' },
    },
  };
}

function describeRequests(requests: readonly RequestRecord[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of requests) {
    const key = r.operation
      ? `POST graphql ${r.operation}`
      : `${r.method} ${r.path.replace(/^\/repos\/[^/]+\/[^/]+/, '/repos/{o}/{r}').replace(/\/\d+(?=\/|$)/g, '/{n}').replace(/\/contents\/.*/, '/contents/{path}')}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

async function main(): Promise<void> {
  const pr = generatePullRequest(files, 1000 + files);
  const fake = new FakeGitHub();
  fake.commits.set(BASE, new Map());
  fake.pr.baseSha = BASE;
  fake.setHead(HEAD, pr.head, pr.files);
  const github = new LatentGitHub(fake, latencyMs);

  const privateKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  // Retries and throttling off: the throttle's pause between writes would measure nothing of ours.
  const Octokit = ProbotOctokit.defaults((options: any) => ({
    ...options,
    retry: { enabled: false },
    throttle: { ...options?.throttle, enabled: false },
    request: { ...options?.request, fetch: github.fetch },
  }));
  const probot = new Probot({ appId: 123, privateKey, logLevel: 'fatal', Octokit });
  await probot.load(createApp());

  collectGarbage();
  const rssBefore = process.memoryUsage().rss;
  const cpu0 = cpuMs();
  const t0 = performance.now();
  await probot.receive({ id: `bench-${files}`, name: 'pull_request', payload: payload(fake, pr.files.length) } as any);
  const wallMs = performance.now() - t0;
  const cpuTotal = cpuMs() - cpu0;

  const reviews = fake.submittedReviews();
  const result = {
    files,
    pythonMb: pr.pythonBytes / 1_000_000,
    requests: fake.requests.length,
    bound: files + 5 + Math.ceil(files / 100),
    // Octokit's throttling spaces these at least 1 s apart (writes, and every GraphQL request).
    throttledRequests: fake.requests.filter((r) => r.operation || (r.method !== 'GET' && !r.path.endsWith('/access_tokens'))).length,
    requestKinds: describeRequests(fake.requests),
    latencyMs,
    wallMs,
    wallMsWithoutLatency: wallMs - github.waitedMs,
    cpuSeconds: (cpuTotal - github.fakeCpuMs) / 1000,
    cpuSecondsWithFake: cpuTotal / 1000,
    rssBeforeMb: rssBefore / 1024 / 1024,
    peakRssMb: peakRssMb(),
    reviews: reviews.length,
    inlineComments: reviews.reduce((n, r) => n + fake.commentsOf(r.id).length, 0),
    annotations: fake.checkRuns.reduce((n, r) => n + r.annotations.length, 0),
  };
  process.stdout.write(JSON.stringify(result) + '\n');
}

await main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
