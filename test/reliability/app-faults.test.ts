// GitHub faults on every endpoint a review calls: server errors, secondary rate limits, a file
// gone between events, a refused review, an expired installation token, a dropped connection. Each
// time: no crash, never two reviews, and what was computed is posted or summarised in the check run
// with the reason; a redelivery then finishes the job. First with retries off (the app's own
// answer), then with Octokit as production has it (retries and throttling on).
import { randomUUID } from 'node:crypto';
import type { Probot } from 'probot';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { HEAD_1, HEAD_2, head1Files } from '../github/fixtures.js';
import { pullRequestPayload } from '../github/helpers.js';
import { FakeGitHub } from '../helpers/fake-github.js';
import { fixtureFake, GitHubDouble, isolateNetwork, makeProbot, moveTo, on, ReliabilityFake, waits, watchCrashes, type Fault, type FaultReply } from './app-support.js';

isolateNetwork({ beforeAll, afterAll, afterEach });

let crashes: ReturnType<typeof watchCrashes>;
beforeEach(() => {
  crashes = watchCrashes();
  waits.length = 0;
});
afterEach(() => {
  crashes.stop();
  expect(crashes.errors).toEqual([]);
});

interface Delivered {
  ok: boolean;
  /** The HTTP status the webhook would be answered with (Probot uses the error's status). */
  status: number;
  error?: string;
}

async function deliver(probot: Probot, payload: unknown, id = randomUUID()): Promise<Delivered> {
  try {
    await probot.receive({ id, name: 'pull_request', payload } as any);
    return { ok: true, status: 200 };
  } catch (err) {
    const inner = ((err as AggregateError).errors?.[0] ?? err) as { status?: number; message?: string };
    return { ok: false, status: inner.status ?? 500, error: inner.message ?? String(inner) };
  }
}

interface Snapshot {
  reviews: string[];
  comments: number;
  pending: number;
  checkRuns: { head: string; title?: string; conclusion?: string; annotations: number }[];
}

function snapshot(fake: FakeGitHub): Snapshot {
  const submitted = fake.submittedReviews();
  return {
    reviews: submitted.map((r) => r.commit_id),
    comments: submitted.reduce((n, r) => n + fake.commentsOf(r.id).length, 0),
    pending: fake.reviews.filter((r) => r.state === 'PENDING').length,
    checkRuns: fake.checkRuns.map((r) => ({ head: r.head_sha, title: r.output.title, conclusion: r.conclusion, annotations: r.annotations.length })),
  };
}

/** The fixture fully reviewed: one review with four comments, one complete check run with five annotations. */
const COMPLETE: Snapshot = {
  reviews: [HEAD_1],
  comments: 4,
  pending: 0,
  checkRuns: [{ head: HEAD_1, title: '5 errors', conclusion: 'failure', annotations: 5 }],
};

const http = (status: number, message = `HTTP ${status}`, headers: Record<string, string> = {}): FaultReply => ({ status, body: { message }, headers });
const SECONDARY = 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.';

type First = 'reviewed' | 'incomplete, nothing computed' | 'incomplete, findings shown' | 'reviewed, check run incomplete' | 'nothing posted';

interface Case {
  name: string;
  faults: Fault[];
  /** What the first delivery leaves on GitHub. */
  first: First;
  /** The reason the incomplete check run gives. */
  reason?: RegExp;
  /** Rate-limit waits the app takes, in seconds. */
  waits?: number[];
}

const cases: Case[] = [
  ...[500, 502].flatMap((s): Case[] => [
    // The config rides in the files query; when that query fails, context.config reads it (REST).
    {
      name: `${s} reading the config (the files query, then context.config)`,
      faults: [{ match: on.readFiles, reply: http(s) }, { match: on.config, reply: http(s) }],
      first: 'incomplete, nothing computed',
      reason: new RegExp(`HTTP ${s} while reading the repository configuration`),
    },
    { name: `${s} listing the changed files`, faults: [{ match: on.files, reply: http(s) }], first: 'incomplete, nothing computed', reason: new RegExp(`HTTP ${s} while listing the changed files`) },
    { name: `${s} reading files (GraphQL)`, faults: [{ match: on.readFiles, reply: http(s) }], first: 'reviewed' },
    {
      name: `${s} reading files (GraphQL, then contents)`,
      faults: [{ match: on.readFiles, reply: http(s) }, { match: on.contents, reply: http(s) }],
      first: 'incomplete, nothing computed',
      reason: new RegExp(`HTTP ${s} while reading the changed files`),
    },
    { name: `${s} reading the review state (GraphQL)`, faults: [{ match: on.state, reply: http(s) }], first: 'incomplete, findings shown', reason: new RegExp(`HTTP ${s} while reading the pull request's reviews`) },
    { name: `${s} posting the review, not created`, faults: [{ match: on.review, reply: http(s) }], first: 'reviewed' },
    { name: `${s} posting the review, created but the answer lost`, faults: [{ match: on.review, applied: true, reply: http(s) }], first: 'reviewed' },
    { name: `${s} posting the review, twice`, faults: [{ match: on.review, times: 2, reply: http(s) }], first: 'incomplete, findings shown', reason: new RegExp(`HTTP ${s} while posting the review`) },
    { name: `${s} creating the check run`, faults: [{ match: on.checkCreate, reply: http(s) }], first: 'reviewed, check run incomplete', reason: new RegExp(`HTTP ${s} while creating the check run`) },
  ]),
  // Probot retries no secondary rate limit: the app waits GitHub's retry-after once and runs again.
  { name: '403 secondary rate limit (retry-after 1) posting the review', faults: [{ match: on.review, reply: http(403, SECONDARY, { 'retry-after': '1' }) }], first: 'reviewed', waits: [1] },
  {
    name: '403 secondary rate limit (retry-after 30) reading the config (after a failed files query)',
    faults: [{ match: on.readFiles, reply: http(502) }, { match: on.config, reply: http(403, SECONDARY, { 'retry-after': '30' }) }],
    first: 'reviewed',
    waits: [30],
  },
  {
    name: 'an error answer (200) to the files query: files and config read through REST',
    faults: [{ match: on.readFiles, reply: { status: 200, body: { data: null, errors: [{ message: 'Something went wrong while executing your query.' }] } } }],
    first: 'reviewed',
  },
  { name: '429 (retry-after 2) listing the changed files', faults: [{ match: on.files, reply: http(429, SECONDARY, { 'retry-after': '2' }) }], first: 'reviewed', waits: [2] },
  { name: '429 (retry-after 1) creating the check run', faults: [{ match: on.checkCreate, reply: http(429, SECONDARY, { 'retry-after': '1' }) }], first: 'reviewed', waits: [1] },
  { name: '403 secondary rate limit without retry-after reading the review state', faults: [{ match: on.state, reply: http(403, SECONDARY) }], first: 'reviewed', waits: [60] },
  {
    name: '403 secondary rate limit twice in a row posting the review',
    faults: [{ match: on.review, times: 2, reply: http(403, SECONDARY, { 'retry-after': '5' }) }],
    first: 'incomplete, findings shown',
    reason: /rate limit \(HTTP 403, retry after 5 s\) while posting the review/,
    waits: [5],
  },
  {
    name: '429 asking for an hour (retry-after 3600) listing the changed files',
    faults: [{ match: on.files, reply: http(429, SECONDARY, { 'retry-after': '3600' }) }],
    first: 'incomplete, nothing computed',
    reason: /rate limit \(HTTP 429, retry after 3600 s\) while listing the changed files/,
  },
  {
    name: '403 primary rate limit (quota used up for 40 minutes) reading the config (after a failed files query)',
    faults: [
      { match: on.readFiles, reply: http(502) },
      { match: on.config, reply: http(403, 'API rate limit exceeded for installation ID 4242.', { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 2400) }) },
    ],
    first: 'incomplete, nothing computed',
    reason: /rate limit \(HTTP 403\) while reading the repository configuration/,
  },
  {
    name: '422 on every review POST',
    faults: [{ match: on.review, times: Infinity, reply: { status: 422, body: { message: 'Unprocessable Entity', errors: ['Review body is invalid'] } } }],
    first: 'incomplete, findings shown',
    reason: /HTTP 422 while posting the review/,
  },
  { name: 'connection reset listing the changed files', faults: [{ match: on.files, reply: 'reset' }], first: 'incomplete, nothing computed', reason: /connection to GitHub failed \(socket hang up\) while listing/ },
  { name: 'connection reset reading the review state', faults: [{ match: on.state, reply: 'reset' }], first: 'incomplete, findings shown', reason: /connection to GitHub failed/ },
  { name: 'connection reset posting the review, not created', faults: [{ match: on.review, reply: 'reset' }], first: 'reviewed' },
  { name: 'connection reset posting the review, created', faults: [{ match: on.review, applied: true, reply: 'reset' }], first: 'reviewed' },
  // The first request of a run (listing the changed files) is the one that needs the token.
  { name: '502 creating the installation token', faults: [{ match: on.token, reply: http(502) }], first: 'incomplete, nothing computed', reason: /HTTP 502 while listing the changed files/ },
  { name: '401 creating the installation token (app key revoked)', faults: [{ match: on.token, reply: http(401, 'A JSON web token could not be decoded') }], first: 'nothing posted' },
];

/** One row per case for the fault table in docs/reliability.md. */
const matrix: string[] = [];

describe('fault matrix (retries off: the app on its own)', () => {
  for (const c of cases) {
    it(c.name, async () => {
      const fake = fixtureFake();
      const double = new GitHubDouble(fake).install();
      for (const f of c.faults) double.fail({ ...f });
      const probot = await makeProbot();
      const payload = pullRequestPayload(fake, 'opened');

      const first = await deliver(probot, payload);
      const after = snapshot(fake);
      expect(waits.map((ms) => ms / 1000), 'rate-limit waits').toEqual(c.waits ?? []);
      expect(after.reviews.length, 'never two reviews').toBeLessThanOrEqual(1);
      expect(after.pending, 'no pending review left').toBe(0);
      expect(double.fired.length, 'the fault happened').toBeGreaterThan(0);

      const [run] = fake.checkRuns;
      const firstSummary = run?.output.summary ?? '';
      switch (c.first) {
        case 'reviewed':
          expect(first.ok, first.error).toBe(true);
          expect(after).toEqual(COMPLETE);
          break;
        case 'incomplete, nothing computed':
        case 'incomplete, findings shown':
          expect(first.ok).toBe(false);
          expect(after.reviews).toEqual([]);
          expect(after.checkRuns).toHaveLength(1);
          expect(run!.output.title).toBe('Review incomplete');
          expect(run!.output.summary).toMatch(c.reason!);
          expect(run!.annotations).toEqual([]);
          if (c.first === 'incomplete, findings shown') {
            expect(run!.conclusion).toBe('failure');
            expect(run!.output.summary).toContain('5 findings (5 errors) in 4 changed files reviewed.');
            expect(run!.output.text).toContain('| error | PW004 | `workers/links/src/entry.py:7` |');
          } else {
            expect(run!.conclusion).toBe('neutral');
            expect(run!.output.summary).toContain('Nothing was reviewed yet.');
          }
          // A rate limit or a server error is never blamed on the repository config.
          expect(run!.output.summary).not.toContain('is invalid');
          break;
        case 'reviewed, check run incomplete':
          expect(first.ok).toBe(false);
          expect(after.reviews).toEqual([HEAD_1]);
          expect(after.comments).toBe(4);
          expect(run!.output.title).toBe('Review incomplete');
          expect(run!.output.summary).toMatch(c.reason!);
          expect(run!.output.summary).toContain('The review itself is done');
          break;
        case 'nothing posted':
          expect(first.ok).toBe(false);
          expect(after.reviews).toEqual([]);
          expect(after.checkRuns).toEqual([]);
          break;
      }

      // GitHub recovers; the same delivery is sent again and finishes the job, posting nothing twice.
      double.faults.length = 0;
      const again = await deliver(probot, payload);
      expect(again.ok, again.error).toBe(true);
      expect(snapshot(fake)).toEqual(COMPLETE);

      const reason = first.ok ? '' : (/\*\*The review of this commit could not finish:\*\* (.*?) while /.exec(firstSummary)?.[1] ?? '');
      const waited = c.waits?.length ? ` after waiting ${c.waits.join(', ')} s` : '';
      matrix.push(
        `| ${c.name} | ${first.ok ? '200' : `failed (${first.status})`} | ${c.first}${waited}${reason ? `: ${reason}` : ''} | ${after.reviews.length} | ` +
          `${snapshot(fake).reviews.length} review, ${snapshot(fake).checkRuns.length} check run |`,
      );
    });
  }

  afterAll(() => {
    console.log(
      ['| fault (retries off) | delivery | first run leaves | reviews | after redelivery |', '| --- | --- | --- | --- | --- |', ...matrix].join('\n'),
    );
  });
});

describe('faults that need more than one push or many findings', () => {
  it('404 for a file deleted between events: the others are reviewed, the file is listed as not reviewed', async () => {
    const fake = fixtureFake();
    // GitHub still lists the file, but it is gone from the head commit: GraphQL gives null, REST 404.
    const head = new Map(head1Files);
    head.delete('workers/digest/src/entry.py');
    fake.commits.set(HEAD_1, head);
    const double = new GitHubDouble(fake).install();
    const probot = await makeProbot();
    const result = await deliver(probot, pullRequestPayload(fake, 'opened'));
    expect(result.ok, result.error).toBe(true);
    const contents404 = fake.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/contents/workers/digest/src/entry.py'));
    expect(contents404).toHaveLength(1);
    expect(double.fired).toEqual([]);
    const [review] = fake.submittedReviews();
    expect(fake.submittedReviews()).toHaveLength(1);
    expect(fake.commentsOf(review!.id).map((c) => c.path)).not.toContain('workers/digest/src/entry.py');
    expect(review!.body).toContain('- `workers/digest/src/entry.py`: not found at the head commit');
    expect(fake.checkRuns[0]!.output.summary).toContain('- `workers/digest/src/entry.py`: not found at the head commit');
    expect(fake.checkRuns[0]!.output.title).toBe('4 errors');
  });

  it('a refused annotation batch keeps the check run and says which annotations are missing', async () => {
    const base = new Map([['app/wrangler.toml', 'name = "bulk"\nmain = "src/entry.py"\ncompatibility_date = "2025-03-10"\ncompatibility_flags = ["python_workers"]\n']]);
    const head = new Map(base);
    for (let i = 0; i < 120; i++) head.set(`app/src/m${String(i).padStart(3, '0')}.py`, 'from pyodide.ffi import to_py\n');
    const fake = new ReliabilityFake();
    fake.commits.set('e'.repeat(40), base);
    fake.setHead(HEAD_1, head, FakeGitHub.diffFiles(base, head));
    const double = new GitHubDouble(fake).install();
    // The second batch (annotations 51–100) fails; the note about it is accepted.
    double.fail({ match: (r) => on.checkUpdate(r) && Boolean(r.body?.output?.annotations), reply: http(502) });
    const result = await deliver(await makeProbot(), pullRequestPayload(fake, 'opened'));
    expect(result.ok, result.error).toBe(true);
    const [run] = fake.checkRuns;
    expect(fake.checkRuns).toHaveLength(1);
    expect(run!.annotations).toHaveLength(50);
    expect(run!.conclusion).toBe('failure');
    expect(run!.output.summary).toContain('Annotations 51–120 of 120 could not be added: GitHub answered HTTP 502.');
    expect(fake.submittedReviews()).toHaveLength(1);
  });

  it('resolving threads failing does not cost the review of the new push', async () => {
    const fake = fixtureFake();
    const double = new GitHubDouble(fake).install();
    const probot = await makeProbot();
    expect((await deliver(probot, pullRequestPayload(fake, 'opened'))).ok).toBe(true);
    moveTo(fake, HEAD_2);
    double.fail({ match: on.resolve, reply: http(502) });
    const result = await deliver(probot, pullRequestPayload(fake, 'synchronize'));
    expect(result.ok, result.error).toBe(true);
    expect(double.fired).toEqual(['POST PyworkersResolveThreads 502']);
    expect(fake.submittedReviews().map((r) => r.commit_id)).toEqual([HEAD_1, HEAD_2]);
    expect(fake.threads.filter((t) => t.isResolved)).toEqual([]);
    expect(fake.checkRuns.map((r) => [r.head_sha, r.output.title])).toEqual([
      [HEAD_1, '5 errors'],
      [HEAD_2, '5 errors'],
    ]);
    // The next push resolves what is still gone.
    const HEAD_3 = '5'.repeat(40);
    fake.setHead(HEAD_3, fake.commits.get(HEAD_2)!, fake.pr.files);
    expect((await deliver(probot, pullRequestPayload(fake, 'synchronize'))).ok).toBe(true);
    expect(fake.threads.filter((t) => t.isResolved)).toHaveLength(1);
  });

  it('a check run GitHub created though it answered 502: the incomplete one after it is completed by the redelivery', async () => {
    const fake = fixtureFake();
    const double = new GitHubDouble(fake).install();
    double.fail({ match: on.checkCreate, applied: true, reply: http(502) });
    const probot = await makeProbot();
    const payload = pullRequestPayload(fake, 'opened');
    expect((await deliver(probot, payload)).ok).toBe(false);
    // The lost one (complete) and the incomplete report after it, which GitHub shows (the newest).
    expect(fake.checkRuns.map((r) => r.output.title)).toEqual(['5 errors', 'Review incomplete']);
    expect((await deliver(probot, payload)).ok).toBe(true);
    // The newest is completed in place: GitHub shows a complete check run; one review throughout.
    expect(fake.checkRuns.map((r) => [r.output.title, r.annotations.length])).toEqual([
      ['5 errors', 5],
      ['5 errors', 5],
    ]);
    expect(fake.submittedReviews()).toHaveLength(1);
  });

  for (const from of ['the first request', 'the review POST'] as const) {
    it(`an installation token GitHub no longer accepts (401 from ${from}): a new token, the review posted once`, async () => {
      vi.useFakeTimers({ toFake: ['Date'] });
      try {
        const fake = fixtureFake();
        const double = new GitHubDouble(fake).install();
        const probot = await makeProbot();
        expect((await deliver(probot, pullRequestPayload(fake, 'opened'))).ok).toBe(true);
        expect(fake.tokens).toEqual(['ghs_reliability_token_1']);

        // Half an hour later (Probot still caches the token, for 59 minutes), GitHub refuses it:
        // from the first request on, or only from the review POST (it expired during the run).
        vi.setSystemTime(Date.now() + 30 * 60_000);
        const oldToken = (r: { authorization: string | null }) => r.authorization === 'token ghs_reliability_token_1';
        double.fail({ match: from === 'the review POST' ? (r) => on.review(r) && oldToken(r) : oldToken, times: Infinity, reply: http(401, 'Bad credentials') });
        moveTo(fake, HEAD_2);
        const result = await deliver(probot, pullRequestPayload(fake, 'synchronize'));
        expect(result.ok, result.error).toBe(true);
        expect(fake.tokens).toEqual(['ghs_reliability_token_1', 'ghs_reliability_token_2']);
        expect(double.fired).toHaveLength(1);
        expect(fake.submittedReviews().map((r) => r.commit_id)).toEqual([HEAD_1, HEAD_2]);
        // No incomplete check run on the way: a refused token is not reported, the new one finishes.
        expect(fake.checkRuns.map((r) => [r.head_sha, r.output.title])).toEqual([
          [HEAD_1, '5 errors'],
          [HEAD_2, '5 errors'],
        ]);
        // Everything after the refusal went with the new token.
        const last = fake.authorizations.slice(-3);
        expect(last.every((a) => a === 'token ghs_reliability_token_2')).toBe(true);
      } finally {
        vi.useRealTimers();
      }
    });
  }
});

describe('with Octokit as production has it (retries and throttling on)', () => {
  it('a 502 on every endpoint once, the review POST among them (created, answer lost): one review, complete check run', async () => {
    const fake = fixtureFake();
    const double = new GitHubDouble(fake).install();
    for (const match of [on.token, on.files, on.readFiles, on.state, on.checkCreate]) double.fail({ match, reply: http(502) });
    double.fail({ match: on.review, applied: true, reply: http(502) });
    const probot = await makeProbot({ production: true });
    const result = await deliver(probot, pullRequestPayload(fake, 'opened'));
    expect(result.ok, result.error).toBe(true);
    expect(double.fired).toHaveLength(6);
    // The retried files query brought the config: no request of its own.
    expect(fake.requests.filter((r) => r.path.includes('/contents/'))).toEqual([]);
    expect(snapshot(fake)).toEqual(COMPLETE);
    // The review POST itself was not repeated blindly: the app looked for its review first.
    expect(fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/reviews'))).toHaveLength(1);
    expect(fake.requests.filter((r) => r.method === 'GET' && r.path.endsWith('/reviews'))).toHaveLength(1);
  });

  it('a review POST whose answer is lost three times in a row still makes one review', async () => {
    const fake = fixtureFake();
    const double = new GitHubDouble(fake).install();
    double.fail({ match: on.review, applied: true, times: 3, reply: http(502) });
    const result = await deliver(await makeProbot({ production: true }), pullRequestPayload(fake, 'opened'));
    expect(result.ok, result.error).toBe(true);
    expect(snapshot(fake)).toEqual(COMPLETE);
  });

  it('secondary rate limits: 429 retried by Probot, 403 waited out by the app (retry-after): one review, one check run', async () => {
    const fake = fixtureFake();
    const double = new GitHubDouble(fake).install();
    double.fail({ match: on.review, reply: http(403, SECONDARY, { 'retry-after': '1' }) });
    double.fail({ match: on.files, reply: http(429, SECONDARY, { 'retry-after': '1' }) });
    double.fail({ match: on.checkCreate, reply: http(429, SECONDARY, { 'retry-after': '1' }) });
    const result = await deliver(await makeProbot({ production: true }), pullRequestPayload(fake, 'opened'));
    expect(result.ok, result.error).toBe(true);
    expect(double.fired).toEqual([
      `GET /repos/${fake.owner}/${fake.repo}/pulls/${fake.number}/files 429`,
      `POST /repos/${fake.owner}/${fake.repo}/pulls/${fake.number}/reviews 403`,
      `POST /repos/${fake.owner}/${fake.repo}/check-runs 429`,
    ]);
    // Probot's retry plugin takes 429 (not in its do-not-retry list); its throttling plugin, as Probot
    // configures it, retries no secondary limit, so the 403 is the app's: one wait of retry-after.
    expect(waits).toEqual([1000]);
    expect(snapshot(fake)).toEqual(COMPLETE);
  });

  it('connection resets are retried; GitHub failing for good leaves an incomplete check run and no review', async () => {
    const fake = fixtureFake();
    const double = new GitHubDouble(fake).install();
    double.fail({ match: on.files, reply: 'reset' });
    double.fail({ match: on.state, times: Infinity, reply: http(502) });
    const result = await deliver(await makeProbot({ production: true }), pullRequestPayload(fake, 'opened'));
    expect(result.ok).toBe(false);
    expect(result.status).toBe(502);
    const after = snapshot(fake);
    expect(after.reviews).toEqual([]);
    expect(after.checkRuns).toEqual([{ head: HEAD_1, title: 'Review incomplete', conclusion: 'failure', annotations: 0 }]);
    // Probot's retry plugin: the first try and three retries.
    expect(fake.requests.filter((r) => r.operation === 'PyworkersReviewState')).toHaveLength(0);
    expect(double.fired.filter((f) => f.includes('PyworkersReviewState'))).toHaveLength(4);
  });
});
