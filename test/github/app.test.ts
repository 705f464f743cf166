// The app end to end against nock: real webhook payload shapes, real network off, every request
// the app makes declared (none left pending), every body it posts checked against GitHub's schema.
import nock from 'nock';
import { beforeEach, describe, expect, it } from 'vitest';
import type { Probot } from 'probot';
import { parseFingerprints, parseSuggestionBlock } from '../../src/review/index.js';
import { FakeGitHub } from '../helpers/fake-github.js';
import { API, bodyOf, checkPosts, Expect, graphqlCalls, placements, reviewPosts, useNock } from './nock-github.js';
import { HEAD_1, HEAD_2, head1Files, head2Files, moveHead, pullRequestFake } from './fixtures.js';
import { deliver, expectValidBody, makeProbot, pullRequestPayload } from './helpers.js';

let probot: Probot;
let fake: FakeGitHub;
let expectCalls: Expect;

useNock();

beforeEach(async () => {
  fake = pullRequestFake();
  expectCalls = new Expect(fake);
  probot = await makeProbot();
});


/** Push 1 reviewed as on `opened`. */
async function reviewPush1(): Promise<void> {
  expectCalls.token().read().review().checkRun();
  await deliver(probot, pullRequestPayload(fake, 'opened'));
}

describe('opened', () => {
  it('posts one review with inline suggestions and the findings table, and a check run with annotations', async () => {
    await reviewPush1();

    const [review] = reviewPosts(fake);
    expect(reviewPosts(fake)).toHaveLength(1);
    expectValidBody('pulls-create-review', review!.body);
    expect(review!.body.commit_id).toBe(HEAD_1);
    expect(review!.body.event).toBe('COMMENT');
    expect(placements(review!.body)).toEqual([
      'workers/digest/src/entry.py:1-7',
      'workers/links/src/entry.py:2',
      'workers/links/src/entry.py:7',
      'workers/links/wrangler.toml:4',
    ]);
    for (const c of review!.body.comments) {
      expect(c.side).toBe('RIGHT');
      expect(c.start_side).toBe(c.start_line === undefined ? undefined : 'RIGHT');
      expect(parseFingerprints(c.body)).toHaveLength(1);
      expect(c.body).toContain('[rule docs](');
      expect(c.body).toContain('**Why it breaks:**');
    }
    const [digest, importLine, callLine, wrangler] = review!.body.comments;
    expect(parseSuggestionBlock(importLine.body)).toEqual(['from pyodide.ffi import to_js']);
    expect(parseSuggestionBlock(callLine.body)).toEqual(['        data = (await request.json()).to_py()']);
    expect(parseSuggestionBlock(wrangler.body)).toEqual(['compatibility_flags = ["nodejs_compat", "python_workers"]']);
    expect(digest.body).toMatch(/may change behaviour/); // PW002's fix is unsafe and says so
    expect(parseSuggestionBlock(digest.body)?.[0]).toBe('from workers import Response, handler, WorkerEntrypoint');

    // The body: a table of all five findings; the file without a diff is listed with the reason.
    const body: string = review!.body.body;
    expect(body).toContain('**5 findings**: 5 errors, 0 warnings, 0 info. 4 inline comments, 1 not shown inline');
    expect(body).toContain('| error | PW004 | `workers/links/src/tables.py:1` |');
    expect(body).toContain('- `workers/links/src/tables.py:1` PW004: GitHub shows no diff for this file (too large or binary)');
    expect(body).toContain(`<!-- pyworkers-review review head=${HEAD_1} -->`);

    const [check] = checkPosts(fake);
    expectValidBody('checks-create', check!.body);
    expect(check!.body).toMatchObject({
      name: 'pyworkers-review',
      head_sha: HEAD_1,
      status: 'completed',
      conclusion: 'failure',
      output: { title: '5 errors', summary: '5 findings (5 errors) in 4 changed files reviewed.' },
    });
    expect(check!.body.output.annotations.map((a: any) => `${a.path}:${a.start_line}:${a.annotation_level}`)).toEqual([
      'workers/digest/src/entry.py:5:failure',
      'workers/links/src/entry.py:2:failure',
      'workers/links/src/entry.py:7:failure',
      'workers/links/src/tables.py:1:failure',
      'workers/links/wrangler.toml:4:failure',
    ]);
  });

  it('reads the config with the files, in one query, and every file at most once, including the unchanged Worker config', async () => {
    await reviewPush1();
    // The config rides in the files query (default branch: HEAD), not in requests of its own.
    expect(fake.requests.filter((r) => r.path.includes('/contents/'))).toEqual([]);
    const [query] = graphqlCalls(fake, 'PyworkersFiles');
    expect(Object.values(query!.body.variables)).toContain('HEAD:.github/pyworkers-review.yml');

    const reads = [
      ...graphqlCalls(fake, 'PyworkersFiles').flatMap((r) =>
        Object.entries(r.body.variables).filter(([k]) => /^p\d+$/.test(k)).map(([, v]) => v as string),
      ),
      ...fake.requests.filter((r) => r.method === 'GET' && r.query.get('ref')).map((r) => `${r.query.get('ref')}:${r.path.replace(/^.*\/contents\//, '')}`),
    ];
    expect(new Set(reads).size).toBe(reads.length);
    expect(reads.every((r) => r.startsWith(`${HEAD_1}:`))).toBe(true);
    const paths = reads.map((r) => r.slice(41));
    // The changed lintable files, and the configs their Workers may need (unchanged ones included).
    expect(paths).toEqual(expect.arrayContaining([
      'workers/digest/src/entry.py',
      'workers/links/src/entry.py',
      'workers/links/src/tables.py',
      'workers/links/wrangler.toml',
      'workers/digest/wrangler.jsonc',
    ]));
    expect(paths).not.toContain('README.md');
    expect(graphqlCalls(fake, 'PyworkersFiles')).toHaveLength(1);
  });
});

describe('many findings', () => {
  it('caps inline comments at max_comments and sends annotations 50 at a time', async () => {
    const base = new Map([['app/wrangler.toml', 'name = "bulk"\nmain = "src/entry.py"\ncompatibility_date = "2025-03-10"\ncompatibility_flags = ["python_workers"]\n']]);
    const head = new Map(base);
    for (let i = 0; i < 60; i++) head.set(`app/src/m${String(i).padStart(2, '0')}.py`, `from pyodide.ffi import to_py\n`);
    fake.commits.set('e'.repeat(40), base);
    fake.setHead(HEAD_1, head, FakeGitHub.diffFiles(base, head));
    expectCalls.token().files().graphql('PyworkersFiles', 2).graphql('PyworkersReviewState').review().checkRun().checkRunUpdate();
    await deliver(probot, pullRequestPayload(fake, 'opened'));

    const [review] = reviewPosts(fake);
    expectValidBody('pulls-create-review', review!.body);
    expect(review!.body.comments).toHaveLength(30);
    expect(review!.body.body).toContain('30 inline comments, 30 not shown inline');
    expect(review!.body.body).toContain('over the limit of 30 inline comments');

    const [create] = checkPosts(fake);
    expectValidBody('checks-create', create!.body);
    expect(create!.body.output.annotations).toHaveLength(50);
    const [update] = fake.requests.filter((r) => r.method === 'PATCH');
    expectValidBody('checks-update', update!.body);
    expect(update!.body.output.annotations).toHaveLength(10);
    expect(update!.body.output.title).toBe(create!.body.output.title);
    expect(fake.checkRuns[0]!.annotations).toHaveLength(60);
  });
});

describe('later pushes', () => {
  it('does not repeat a standing finding, resolves the thread of a gone one, and comments only on the new one', async () => {
    await reviewPush1();
    const callThread = fake.threads.find((t) => fake.comments.find((c) => c.id === t.comments[0])!.line === 7 && t.path.endsWith('entry.py') && !t.path.includes('digest'))!;

    moveHead(fake, HEAD_2, head2Files());
    expectCalls.read().graphql('PyworkersResolveThreads').review().checkRun();
    await deliver(probot, pullRequestPayload(fake, 'synchronize'));

    const [resolve] = graphqlCalls(fake, 'PyworkersResolveThreads');
    expect(resolve!.body.variables).toEqual({ t0: callThread.id });
    expect(fake.threads.filter((t) => t.isResolved).map((t) => t.id)).toEqual([callThread.id]);

    const second = reviewPosts(fake)[1]!;
    expectValidBody('pulls-create-review', second.body);
    expect(second.body.commit_id).toBe(HEAD_2);
    expect(placements(second.body)).toEqual(['workers/links/src/entry.py:8']);
    expect(second.body.body).toContain('3 findings already have their inline comments from an earlier push; they are not repeated.');
    // The file without a diff was listed in the first review: listed again in the table, not new.
    expect(second.body.body).toContain('`workers/links/src/tables.py:1`');

    const check = checkPosts(fake)[1]!;
    expectValidBody('checks-create', check.body);
    expect(check.body.head_sha).toBe(HEAD_2);
  });

  it('never resolves a thread a person answered', async () => {
    await reviewPush1();
    const callThread = fake.threads.find((t) => fake.comments.find((c) => c.id === t.comments[0])!.line === 7 && !t.path.includes('digest'))!;
    fake.reply(callThread.id, { login: 'alice', type: 'User' }, 'We convert it on purpose; keeping this.');

    moveHead(fake, HEAD_2, head2Files());
    expectCalls.read().review().checkRun();
    await deliver(probot, pullRequestPayload(fake, 'synchronize'));
    expect(graphqlCalls(fake, 'PyworkersResolveThreads')).toEqual([]);
    expect(fake.threads.every((t) => !t.isResolved)).toBe(true);
  });

  it('leaves the threads of a file it did not lint this time alone', async () => {
    await reviewPush1();
    fake.defaultBranch.set('.github/pyworkers-review.yml', 'paths:\n  exclude: ["workers/links/src/entry.py"]\n');
    moveHead(fake, HEAD_2, head2Files());
    expectCalls.read().checkRun();
    await deliver(probot, pullRequestPayload(fake, 'synchronize'));
    expect(graphqlCalls(fake, 'PyworkersResolveThreads')).toEqual([]);
    expect(reviewPosts(fake)).toHaveLength(1);
    expect(checkPosts(fake)[1]!.body.output.summary).toContain('`workers/links/src/entry.py`: excluded by paths in the repository config');
  });

  it('posts nothing for a push that changes no finding', async () => {
    await reviewPush1();
    const same = new Map(head1Files);
    same.set('README.md', '# Workers\n\nThree Python Workers, soon.\n');
    moveHead(fake, HEAD_2, same);
    expectCalls.read().checkRun();
    await deliver(probot, pullRequestPayload(fake, 'synchronize'));
    expect(reviewPosts(fake)).toHaveLength(1);
    expect(checkPosts(fake).map((c) => c.body.head_sha)).toEqual([HEAD_1, HEAD_2]);
  });

  it('changes nothing when GitHub redelivers a webhook', async () => {
    await reviewPush1();
    const before = { reviews: fake.reviews.length, comments: fake.comments.length, checks: fake.checkRuns.length };
    expectCalls.read();
    await deliver(probot, pullRequestPayload(fake, 'opened'), 'redelivered');
    expect({ reviews: fake.reviews.length, comments: fake.comments.length, checks: fake.checkRuns.length }).toEqual(before);
    expect(reviewPosts(fake)).toHaveLength(1);
    expect(checkPosts(fake)).toHaveLength(1);
    expect(graphqlCalls(fake, 'PyworkersResolveThreads')).toEqual([]);
  });
});

describe('what is not reviewed', () => {
  it('drops the run when the head moved meanwhile', async () => {
    // GitHub already has a newer head than the webhook named: the newer event will review it.
    moveHead(fake, HEAD_2, head2Files());
    fake.commits.set(HEAD_1, head1Files);
    expectCalls.token().read();
    await deliver(probot, pullRequestPayload(fake, 'synchronize', { headSha: HEAD_1 }));
    expect(reviewPosts(fake)).toEqual([]);
    expect(checkPosts(fake)).toEqual([]);
  });

  it('skips drafts unless the repository config asks for them', async () => {
    expectCalls.token().config(false);
    await deliver(probot, pullRequestPayload(fake, 'opened', { draft: true }));
    expect(reviewPosts(fake)).toEqual([]);

    fake.defaultBranch.set('.github/pyworkers-review.yml', 'review:\n  drafts: true\n');
    expectCalls.read({ config: true }).review().checkRun();
    await deliver(probot, pullRequestPayload(fake, 'opened', { draft: true }));
    expect(reviewPosts(fake)).toHaveLength(1);
  });

  it('ignores closed pull requests and edits that keep the base', async () => {
    await deliver(probot, pullRequestPayload(fake, 'closed', { state: 'closed' }));
    await deliver(probot, pullRequestPayload(fake, 'edited', { titleChanged: true }));
    await deliver(probot, pullRequestPayload(fake, 'labeled'));
    expect(fake.requests).toEqual([]);
  });

  it('reviews again when the base branch changes, although this head has a review', async () => {
    await reviewPush1();
    // Same head, new base: the diff differs. Here it is the same, so there is nothing new to say,
    // but the check run is redone for the new base.
    expectCalls.read().checkRun();
    await deliver(probot, pullRequestPayload(fake, 'edited', { baseChanged: true }));
    expect(checkPosts(fake)).toHaveLength(2);
  });
});

describe('repository configuration', () => {
  /** The review of push 1 with the config as it stands; the requests are those of `read()` unless given. */
  async function reviewWithConfig(expectRead: () => Expect = () => expectCalls.read()): Promise<any> {
    expectRead().review().checkRun();
    expectCalls.token();
    await deliver(probot, pullRequestPayload(fake, 'opened'));
    const [review] = reviewPosts(fake);
    expectValidBody('pulls-create-review', review!.body);
    return review!.body;
  }

  it("applies the repository's config, read from its default branch in the files query", async () => {
    fake.defaultBranch.set('.github/pyworkers-review.yml', 'review:\n  max_comments: 1\nrules:\n  PW002: off\n');
    const review = await reviewWithConfig();
    expect(placements(review)).toEqual(['workers/links/src/entry.py:2']);
    expect(review.body).not.toContain('PW002');
    expect(review.body).toContain('over the limit of 1 inline comments');
    expect(fake.requests.filter((r) => r.path.includes('/contents/'))).toEqual([]);
  });

  it("falls back to the owner's .github repository when the repository has no config", async () => {
    fake.otherRepos.set(`${fake.owner}/.github`, new Map([['.github/pyworkers-review.yml', 'review:\n  max_comments: 2\n']]));
    const review = await reviewWithConfig();
    expect(placements(review)).toHaveLength(2);
    expect(review.body).toContain('over the limit of 2 inline comments');
    expect(fake.requests.filter((r) => r.path.includes('/contents/'))).toEqual([]);
  });

  it("ignores the owner's .github config when the repository has its own", async () => {
    fake.defaultBranch.set('.github/pyworkers-review.yml', 'review:\n  max_comments: 3\n');
    fake.otherRepos.set(`${fake.owner}/.github`, new Map([['.github/pyworkers-review.yml', 'review:\n  max_comments: 1\n']]));
    const review = await reviewWithConfig();
    expect(placements(review)).toHaveLength(3);
  });

  it('uses the defaults when there is no config anywhere, whether or not the owner has a .github repository', async () => {
    // No `.github` repository: GitHub answers the query with NOT_FOUND for it, and data for the rest.
    const first = await reviewWithConfig();
    expect(placements(first)).toHaveLength(4);
    expect(first.body).not.toContain('repository configuration');
    const [query] = graphqlCalls(fake, 'PyworkersFiles');
    const answer = fake.filesAnswer(query!.body.query, query!.body.variables) as { errors?: { type?: string; path?: unknown[] }[] };
    expect(answer.errors?.map((e) => [e.type, ...(e.path ?? [])])).toEqual([['NOT_FOUND', 'ownerConfigRepo']]);

    // A `.github` repository without the file.
    fake = pullRequestFake();
    expectCalls = new Expect(fake);
    probot = await makeProbot();
    fake.otherRepos.set(`${fake.owner}/.github`, new Map([['profile/README.md', '# Hello\n']]));
    const second = await reviewWithConfig();
    expect(placements(second)).toHaveLength(4);
    expect(fake.requests.filter((r) => r.path.includes('/contents/'))).toEqual([]);
  });

  it('reports invalid YAML as context.config words it, and uses the defaults', async () => {
    fake.defaultBranch.set('.github/pyworkers-review.yml', 'review:\n  max_comments: [1\n');
    // The query cannot say what context.config would: it reads the file itself (and stops there).
    const review = await reviewWithConfig(() => expectCalls.call('GET', `/repos/${fake.owner}/${fake.repo}/contents/.github%2Fpyworkers-review.yml`).read());
    expect(placements(review)).toHaveLength(4);
    expect(review.body).toContain('**The repository configuration `.github/pyworkers-review.yml` is invalid, so the defaults were used:**');
    expect(review.body).toContain(
      `- Configuration could not be parsed from ${API}/repos/${fake.owner}/${fake.repo}/contents/.github%2Fpyworkers-review.yml (invalid YAML): `,
    );
    const [check] = checkPosts(fake);
    expect(check!.body.output.summary).toContain('(invalid YAML)');
  });

  it('reports an invalid config in the review and the check run, and uses the defaults', async () => {
    fake.defaultBranch.set('.github/pyworkers-review.yml', 'review:\n  max_coments: 1\nrules:\n  PW004: off\n');
    expectCalls.token().read().review().checkRun();
    await deliver(probot, pullRequestPayload(fake, 'opened'));

    const [review] = reviewPosts(fake);
    expectValidBody('pulls-create-review', review!.body);
    // Defaults: PW004 stays on and more than one comment is posted.
    expect(placements(review!.body)).toHaveLength(4);
    const body: string = review!.body.body;
    expect(body).toContain('**The repository configuration `.github/pyworkers-review.yml` is invalid, so the defaults were used:**');
    expect(body).toContain('- unknown key `review.max_coments` (did you mean `review.max_comments`?)');

    const [check] = checkPosts(fake);
    expectValidBody('checks-create', check!.body);
    expect(check!.body.output.summary).toContain('is invalid, so the defaults were used');
    expect(check!.body.output.summary).toContain('`review.max_coments`');
  });

  it("follows _extends from the owner's .github repository", async () => {
    fake.otherRepos.set(`${fake.owner}/.github`, new Map([['.github/pyworkers-review.yml', '_extends: shared-config\n']]));
    fake.otherRepos.set(`${fake.owner}/shared-config`, new Map([['.github/pyworkers-review.yml', 'review:\n  max_comments: 1\n']]));
    const review = await reviewWithConfig(() =>
      // context.config: the repository (none), the `.github` repository, what that extends.
      expectCalls.call('GET', `/repos/${fake.owner}/shared-config/contents/.github%2Fpyworkers-review.yml`).read({ config: false }),
    );
    expect(placements(review)).toHaveLength(1);
  });

  it('follows _extends and applies the merged config', async () => {
    fake.defaultBranch.set('.github/pyworkers-review.yml', '_extends: shared-config\nreview:\n  max_comments: 1\n');
    fake.otherRepos.set(`${fake.owner}/shared-config`, new Map([['.github/pyworkers-review.yml', 'rules:\n  PW002: off\n']]));
    expectCalls
      .token()
      .call('GET', `/repos/${fake.owner}/shared-config/contents/.github%2Fpyworkers-review.yml`)
      .read({ config: true })
      .review()
      .checkRun();
    await deliver(probot, pullRequestPayload(fake, 'opened'));
    const [review] = reviewPosts(fake);
    expect(placements(review!.body)).toEqual(['workers/links/src/entry.py:2']);
    expect(review!.body.body).not.toContain('PW002');
    expect(review!.body.body).toContain('over the limit of 1 inline comments');
  });
});

describe('a review GitHub refuses (422)', () => {
  it('finds the offending comment with pending reviews, posts the rest once, and lists the offender in the body', async () => {
    fake.refuseAlso = (c) => (c.path === 'workers/links/wrangler.toml' ? 'Line could not be resolved' : undefined);
    // 1 refused review, 4 probes (2 accepted then deleted), 1 final review.
    expectCalls.token().read().review(6).listReviews(2).deleteReview(2).checkRun();
    await deliver(probot, pullRequestPayload(fake, 'opened'));

    const attempts = reviewPosts(fake);
    for (const a of attempts) expectValidBody('pulls-create-review', a.body);
    expect(attempts.map((a) => `${a.body.event ?? 'PENDING'} ${placements(a.body).join(' ')}`)).toEqual([
      'COMMENT workers/digest/src/entry.py:1-7 workers/links/src/entry.py:2 workers/links/src/entry.py:7 workers/links/wrangler.toml:4',
      'PENDING workers/digest/src/entry.py:1-7 workers/links/src/entry.py:2',
      'PENDING workers/links/src/entry.py:7 workers/links/wrangler.toml:4',
      'PENDING workers/links/src/entry.py:7',
      'PENDING workers/links/wrangler.toml:4',
      'COMMENT workers/digest/src/entry.py:1-7 workers/links/src/entry.py:2 workers/links/src/entry.py:7',
    ]);
    // Exactly one review exists, with three comments; no pending review is left behind.
    expect(fake.reviews.map((r) => r.state)).toEqual(['COMMENTED']);
    expect(fake.commentsOf(fake.reviews[0]!.id)).toHaveLength(3);
    const body: string = attempts[5]!.body.body;
    expect(body).toContain('- `workers/links/wrangler.toml:4` PW001: not on a line this pull request adds');
    expect(body).toContain('1 comment could not be placed on the diff; it is listed under "Not shown inline".');
    expect(body).toContain('3 inline comments, 2 not shown inline');
  });

  it('never posts twice when a failed POST did create the review', async () => {
    // GitHub created the review but the answer was lost (502): the app looks before trying again.
    expectCalls.token().read();
    nock(API)
      .post(`/repos/${fake.owner}/${fake.repo}/pulls/${fake.number}/reviews`)
      .reply(async (request: Request) => {
        fake.handle('POST', request.url, await bodyOf(request));
        return [502, { message: 'Bad Gateway' }];
      });
    expectCalls.listReviews().checkRun();
    await deliver(probot, pullRequestPayload(fake, 'opened'));
    expect(fake.reviews).toHaveLength(1);
    expect(reviewPosts(fake)).toHaveLength(1);
  });
});
