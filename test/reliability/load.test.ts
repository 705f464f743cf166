// A burst of 50 webhook deliveries across 10 pull requests against the real server (`probot run`,
// as `npm start`), GitHub Enterprise faked on 127.0.0.1. Each pull request was pushed three times
// before the burst; its deliveries (opened, two synchronize, a redelivery, a title edit) arrive
// 40 ms apart, the ten pull requests' together. Every delivery must be answered 2xx, every pull
// request end with exactly one review — of its newest head — and one check run, and each pull
// request's deliveries be handled in the order they arrived, none lost. Throughput is printed.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeGitHub, type PrFile } from '../helpers/fake-github.js';
import { baseFiles, BASE_SHA, head1Files, head2Files } from '../github/fixtures.js';
import { pullRequestPayload } from '../github/helpers.js';
import { FakeGitHubHost, processMemory, sendWebhook, startServer, type HttpResult, type RunningServer } from './app-server.js';

const PRS = 10;
/** Gap between one pull request's deliveries (ms): they arrive in order, as a burst. */
const SPACING = 40;

const head3Files = (): Map<string, string> => {
  const files = head2Files();
  files.set('README.md', '# Workers\n\nTwo Python Workers, reviewed under load.\n');
  return files;
};

const sha = (pr: number, push: number) => `${(pr + 1).toString(16).padStart(2, '0')}${push}`.padEnd(40, 'f');

/** `part` appears in `whole` in the same order (not necessarily contiguous). */
function isSubsequence<T>(part: readonly T[], whole: readonly T[]): boolean {
  let i = 0;
  for (const x of whole) if (i < part.length && part[i] === x) i++;
  return i === part.length;
}

let host: FakeGitHubHost;
let server: RunningServer;
let fakes: FakeGitHub[];

beforeAll(async () => {
  // The three pushes' file lists, computed once (git diff) and shared by the ten repositories.
  const heads = [head1Files, head2Files(), head3Files()];
  const lists: PrFile[][] = heads.map((h) => FakeGitHub.diffFiles(baseFiles, h, ['workers/links/src/tables.py']));
  fakes = Array.from({ length: PRS }, (_, i) => {
    // Ten repositories of ten installations: Probot paces writes and GraphQL requests (one a second)
    // per installation, so one installation's burst is bounded by that pacing, not by the app.
    const fake = new FakeGitHub({ repo: `service-${i}`, number: 100 + i, installationId: 5000 + i });
    fake.commits.set(BASE_SHA, baseFiles);
    fake.defaultBranch = new Map(baseFiles);
    fake.pr.baseSha = BASE_SHA;
    heads.forEach((files, k) => fake.setHead(sha(i, k), files, lists[k]!));
    return fake;
  });
  host = new FakeGitHubHost(fakes);
  server = await startServer({ gheHost: await host.listen(), secret: `load-${randomUUID()}` });
}, 60_000);

afterAll(async () => {
  await server?.stop();
  await host?.close();
});

interface Delivery {
  pr: number;
  wave: number;
  event: string;
  delivery: string;
  payload: unknown;
  /** The head a reviewed delivery names; undefined for one the app ignores. */
  head?: string;
}

function plan(): Delivery[] {
  const out: Delivery[] = [];
  fakes.forEach((fake, pr) => {
    const sync3 = randomUUID();
    const push = (k: number) => ({ ...pullRequestPayload(fake, 'synchronize', { headSha: sha(pr, k) }), before: sha(pr, k - 1), after: sha(pr, k) });
    const list: Omit<Delivery, 'pr' | 'wave'>[] = [
      { event: 'pull_request', delivery: randomUUID(), payload: pullRequestPayload(fake, 'opened', { headSha: sha(pr, 0) }), head: sha(pr, 0) },
      { event: 'pull_request', delivery: randomUUID(), payload: push(1), head: sha(pr, 1) },
      { event: 'pull_request', delivery: sync3, payload: push(2), head: sha(pr, 2) },
      // GitHub redelivers the last push (same delivery id).
      { event: 'pull_request', delivery: sync3, payload: push(2), head: sha(pr, 2) },
      // A title edit: answered, not reviewed.
      { event: 'pull_request', delivery: randomUUID(), payload: pullRequestPayload(fake, 'edited', { headSha: sha(pr, 2), titleChanged: true }) },
    ];
    list.forEach((d, wave) => out.push({ ...d, pr, wave }));
  });
  return out;
}

describe('a burst of webhook deliveries against the real server', () => {
  it('50 deliveries across 10 pull requests: all answered 2xx, one review of the newest head each, order kept, none lost', async () => {
    const deliveries = plan();
    expect(deliveries).toHaveLength(50);
    const t0 = performance.now();
    const answered: { d: Delivery; result: HttpResult; at: number }[] = [];
    await Promise.all(
      deliveries.map(async (d) => {
        await new Promise((r) => setTimeout(r, d.wave * SPACING));
        const result = await sendWebhook(server, d.event, d.payload, d.delivery);
        answered.push({ d, result, at: performance.now() });
      }),
    );
    const lastAnswer = Math.max(...answered.map((a) => a.at));

    // Every delivery answered 2xx (200, or 202 if one took longer than Probot's 9 s).
    expect(answered.map((a) => a.result.status).filter((s) => s < 200 || s > 299), server.output()).toEqual([]);

    // A 202 (Probot answers so after 9 s) means the run goes on: wait, bounded, until every pull
    // request has its check run and GitHub has heard nothing for a second.
    const deadline = Date.now() + 120_000;
    const quiet = () => host.log.length > 0 && performance.now() - host.log.at(-1)!.at > 1000;
    while ((fakes.some((f) => f.checkRuns.length === 0) || !quiet()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));

    // The deliveries the server skipped because a later one of their pull request, queued behind
    // them, covered them (a newer push, or the same head again).
    const skips = server
      .output()
      .split('\n')
      .filter((l) => l.includes('a later delivery queued for this pull request covers this one'))
      .map((l) => JSON.parse(l) as { pullRequest: string; head: string });
    let ranTotal = 0;
    let skippedTotal = 0;
    const reviewPosts = host.log.filter((r) => r.method === 'POST' && /\/pulls\/\d+\/reviews$/.test(r.path));
    const lastReview = Math.max(...reviewPosts.map((r) => r.at));
    const lastRequest = host.log.at(-1)!.at;

    for (const [pr, fake] of fakes.entries()) {
      const newest = sha(pr, 2);
      // Exactly one review, of the newest head, with its comments; one complete check run.
      expect(fake.submittedReviews().map((r) => r.commit_id), `PR ${pr}`).toEqual([newest]);
      expect(fake.commentsOf(fake.submittedReviews()[0]!.id).length, `PR ${pr}`).toBeGreaterThanOrEqual(4);
      expect(fake.checkRuns.map((r) => [r.head_sha, r.status, r.conclusion]), `PR ${pr}`).toEqual([[newest, 'completed', 'failure']]);

      // Each reviewed delivery was handled, in the order it arrived: it reached the point of comparing
      // with GitHub (older heads then found the head moved and dropped their run), or, when its turn
      // came with a later delivery of this pull request queued behind it that covers it, it was skipped.
      const mine = host.log.filter((r) => r.repo === fake.repo);
      const stateReads = mine.filter((r) => r.operation === 'PyworkersReviewState').map((r) => r.head!);
      const sent = deliveries.filter((d) => d.pr === pr && d.head).map((d) => d.head!);
      const skipped = skips.filter((s) => s.pullRequest.endsWith(`/${fake.repo}#${fake.number}`)).map((s) => s.head);
      expect(stateReads.length + skipped.length, `PR ${pr}: none lost`).toBe(sent.length);
      expect(isSubsequence(stateReads, sent), `PR ${pr}: order kept (${stateReads.join(' ')})`).toBe(true);
      // The last delivery of the newest head always runs; what was skipped had a later delivery.
      expect(stateReads.at(-1), `PR ${pr}`).toBe(newest);
      ranTotal += stateReads.length;
      skippedTotal += skipped.length;

      // …and one after the other: a run's first request (listing the changed files) never falls inside another run.
      const marks = mine
        .filter((r) => r.operation === 'PyworkersReviewState' || (r.method === 'GET' && /\/pulls\/\d+\/files$/.test(r.path)))
        .map((r) => (r.operation ? 'S' : 'C'))
        .join('');
      expect(marks, `PR ${pr}`).toBe('CS'.repeat(stateReads.length));
    }

    const memory = processMemory(server.pid);
    const seconds = (lastAnswer - t0) / 1000;
    console.log(
      [
        `load: ${deliveries.length} deliveries across ${PRS} pull requests (sent over ${((deliveries.at(-1)!.wave * SPACING) / 1000).toFixed(2)} s)`,
        `  all answered in ${seconds.toFixed(2)} s (${(deliveries.length / seconds).toFixed(1)} deliveries/s answered); ` +
          `last review posted ${((lastReview - t0) / 1000).toFixed(2)} s, all work done ${((lastRequest - t0) / 1000).toFixed(2)} s after the first delivery ` +
          `(${(deliveries.length / ((lastRequest - t0) / 1000)).toFixed(2)} deliveries/s handled)`,
        `  answers: ${JSON.stringify(answered.reduce<Record<number, number>>((m, a) => ({ ...m, [a.result.status]: (m[a.result.status] ?? 0) + 1 }), {}))}; ` +
          `${host.log.length} GitHub API requests (${(host.log.length / PRS).toFixed(0)} per pull request); ` +
          `${ranTotal} runs, ${skippedTotal} deliveries skipped as covered by a later one, ${PRS} ignored (title edits)`,
        memory ? `  server memory: peak RSS ${memory.peakMb} MB, now ${memory.nowMb} MB` : '',
      ]
        .filter(Boolean)
        .join('\n'),
    );
  }, 180_000);
});
