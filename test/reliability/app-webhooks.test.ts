// Webhooks through Probot's real webhook middleware on loopback: signatures, malformed payloads,
// events the app does not review, redeliveries and racing pushes. GitHub is nock (real network
// off): a rejected delivery must not reach it at all.
import { createHmac, randomUUID } from 'node:crypto';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import type { Probot } from 'probot';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HEAD_1, HEAD_2 } from '../github/fixtures.js';
import { pullRequestPayload } from '../github/helpers.js';
import { capturedLog, fixtureFake, GitHubDouble, isolateNetwork, makeProbot, moveTo, on, watchCrashes } from './app-support.js';

const SECRET = 'reliability-webhook-secret';

isolateNetwork({ beforeAll, afterAll, afterEach });

interface Listening {
  url: string;
  probot: Probot;
  close(): Promise<void>;
}

/** Probot's webhook middleware (as its server mounts it) on 127.0.0.1. */
async function listen(probot: Probot): Promise<Listening> {
  const middleware = await probot.getNodeMiddleware();
  const server: Server = createServer((req, res) => {
    void middleware(req, res, () => {
      res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/github/webhooks`,
    probot,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function sign(body: string, secret = SECRET): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

interface Send {
  event?: string;
  body: string;
  delivery?: string;
  /** The signature header; omitted when null; signed with SECRET by default. */
  signature?: string | null;
}

async function send(target: Listening, options: Send): Promise<{ status: number; text: string }> {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'GitHub-Hookshot/reliability',
    'x-github-event': options.event ?? 'pull_request',
    'x-github-delivery': options.delivery ?? randomUUID(),
  };
  const signature = options.signature === undefined ? sign(options.body) : options.signature;
  if (signature !== null) headers['x-hub-signature-256'] = signature;
  return post(target.url, headers, options.body);
}

/** A POST over node:http (nock lets loopback through; its fetch interceptor mishandles passthrough bodies). */
export function post(url: string, headers: Record<string, string>, body: string): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

let target: Listening | undefined;
let crashes: ReturnType<typeof watchCrashes>;
/** Requests that reached nock without an interceptor: any GitHub call the app tried. */
let unmatched: string[];
const onNoMatch = (req: { method?: string; path?: string; href?: string }) => unmatched.push(`${req.method} ${req.href ?? req.path}`);

beforeEach(() => {
  crashes = watchCrashes();
  unmatched = [];
  nock.emitter.on('no match', onNoMatch);
});

afterEach(async () => {
  nock.emitter.off('no match', onNoMatch);
  await target?.close();
  target = undefined;
  crashes.stop();
  expect(crashes.errors).toEqual([]);
});

describe('signatures', () => {
  it('rejects a wrong, missing, tampered or SHA-1-only signature with 4xx and calls no GitHub endpoint', async () => {
    // No interceptors at all: with real network off, any GitHub call would show up in `unmatched`.
    target = await listen(await makeProbot({ secret: SECRET }));
    const fake = fixtureFake();
    const body = JSON.stringify(pullRequestPayload(fake, 'opened'));
    const tampered = body.replace(`"${HEAD_1}"`, `"${HEAD_2}"`);
    const outcomes = {
      wrong: await send(target, { body, signature: sign(body, 'not-the-secret') }),
      garbage: await send(target, { body, signature: 'sha256=zz' }),
      missing: await send(target, { body, signature: null }),
      tampered: await send(target, { body: tampered, signature: sign(body) }),
      empty: await send(target, { body, signature: '' }),
    };
    const sha1Only = await post(
      target.url,
      {
        'content-type': 'application/json',
        'x-github-event': 'pull_request',
        'x-github-delivery': randomUUID(),
        'x-hub-signature': `sha1=${createHmac('sha1', SECRET).update(body).digest('hex')}`,
      },
      body,
    );
    for (const [name, r] of Object.entries(outcomes)) {
      expect(r.status, name).toBeGreaterThanOrEqual(400);
      expect(r.status, name).toBeLessThan(500);
    }
    expect(sha1Only.status).toBe(400);
    expect(unmatched).toEqual([]);
    expect(fake.requests).toEqual([]);

    // The same body, correctly signed, does reach GitHub: the rejections above were the signature's.
    const double = new GitHubDouble(fake).install();
    expect((await send(target, { body })).status).toBe(200);
    expect(double.fake.submittedReviews()).toHaveLength(1);
  });
});

describe('malformed payloads', () => {
  it('answers truncated or non-JSON bodies and payloads of the wrong shape with 4xx (a null body: 500, from @octokit/webhooks), calls nothing, and keeps serving', async () => {
    target = await listen(await makeProbot({ secret: SECRET }));
    const fake = fixtureFake();
    const full = JSON.stringify(pullRequestPayload(fake, 'opened'));
    const bodies: Record<string, string> = {
      truncated: full.slice(0, Math.floor(full.length / 2)),
      'cut at the last brace': full.slice(0, -1),
      'not JSON': 'action=opened&number=7',
      empty: '',
      'JSON null': 'null',
      'JSON array': '[1,2,3]',
      'no pull_request': JSON.stringify({ action: 'opened', number: 7, installation: { id: fake.installationId } }),
      'pull_request null': JSON.stringify({ action: 'synchronize', pull_request: null, installation: { id: fake.installationId } }),
      'no head': JSON.stringify({ ...JSON.parse(full), pull_request: { ...JSON.parse(full).pull_request, head: undefined } }),
      'number is a string': JSON.stringify({ ...JSON.parse(full), pull_request: { ...JSON.parse(full).pull_request, number: '7; DROP' } }),
      'no repository': JSON.stringify({ ...JSON.parse(full), repository: undefined }),
    };
    const statuses: Record<string, number> = {};
    for (const [name, body] of Object.entries(bodies)) statuses[name] = (await send(target, { body })).status;
    console.log('malformed payloads, HTTP status answered:', statuses);
    for (const [name, status] of Object.entries(statuses)) {
      if (name === 'JSON null') {
        // @octokit/webhooks itself throws on a null payload, before any app handler: Probot answers
        // 500. Nothing is called and the server keeps serving (checked below).
        expect(status, name).toBe(500);
      } else if (name === 'JSON array') {
        // An array has no `action`: no pull_request.* handler matches, so it is ignored.
        expect(status, name).toBe(200);
      } else {
        expect(status, name).toBeGreaterThanOrEqual(400);
        expect(status, name).toBeLessThan(500);
      }
    }
    expect(unmatched).toEqual([]);
    expect(fake.requests).toEqual([]);

    // Still serving: a good delivery is reviewed.
    new GitHubDouble(fake).install();
    expect((await send(target, { body: full })).status).toBe(200);
    expect(fake.submittedReviews()).toHaveLength(1);
  });
});

describe('events the app does not review', () => {
  it('ignores other events and other pull_request actions with 2xx and no GitHub call', async () => {
    target = await listen(await makeProbot({ secret: SECRET }));
    const fake = fixtureFake();
    const deliveries: { event: string; payload: unknown }[] = [
      { event: 'issues', payload: { action: 'opened', issue: { number: 1 }, repository: pullRequestPayload(fake, 'opened').repository, installation: { id: fake.installationId } } },
      { event: 'push', payload: { ref: 'refs/heads/main', after: HEAD_2, repository: pullRequestPayload(fake, 'opened').repository, installation: { id: fake.installationId } } },
      { event: 'ping', payload: { zen: 'Keep it logically awesome.', hook_id: 1 } },
      { event: 'a_future_event', payload: { action: 'happened' } },
      { event: 'pull_request_review', payload: { ...pullRequestPayload(fake, 'opened'), action: 'submitted', review: { id: 1, body: 'ok' } } },
    ];
    for (const action of ['labeled', 'unlabeled', 'assigned', 'review_requested', 'converted_to_draft', 'locked', 'auto_merge_enabled', 'a_future_action'] as const) {
      deliveries.push({ event: 'pull_request', payload: { ...pullRequestPayload(fake, 'labeled'), action } });
    }
    deliveries.push({ event: 'pull_request', payload: pullRequestPayload(fake, 'closed', { state: 'closed' }) });
    deliveries.push({ event: 'pull_request', payload: pullRequestPayload(fake, 'edited', { titleChanged: true }) });
    // Reviewed actions on a pull request that is already closed.
    deliveries.push({ event: 'pull_request', payload: pullRequestPayload(fake, 'synchronize', { state: 'closed' }) });

    for (const d of deliveries) {
      const r = await send(target, { event: d.event, body: JSON.stringify(d.payload) });
      expect(r.status, `${d.event} ${(d.payload as { action?: string }).action ?? ''}`).toBe(200);
    }
    expect(unmatched).toEqual([]);
    expect(fake.requests).toEqual([]);
  });
});

describe('redeliveries', () => {
  it('posts one review for the same delivery sent again, one after the other', async () => {
    target = await listen(await makeProbot({ secret: SECRET }));
    const fake = fixtureFake();
    new GitHubDouble(fake).install();
    const body = JSON.stringify(pullRequestPayload(fake, 'opened'));
    const delivery = randomUUID();
    for (let i = 0; i < 3; i++) expect((await send(target, { body, delivery })).status).toBe(200);
    expect(fake.submittedReviews().map((r) => r.commit_id)).toEqual([HEAD_1]);
    expect(fake.checkRuns.map((r) => r.head_sha)).toEqual([HEAD_1]);
  });

  it('posts one review when the same delivery arrives several times at once', async () => {
    target = await listen(await makeProbot({ secret: SECRET }));
    const fake = fixtureFake();
    new GitHubDouble(fake).install();
    const body = JSON.stringify(pullRequestPayload(fake, 'opened'));
    const delivery = randomUUID();
    const results = await Promise.all(Array.from({ length: 4 }, () => send(target!, { body, delivery })));
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(fake.submittedReviews().map((r) => r.commit_id)).toEqual([HEAD_1]);
    expect(fake.checkRuns.map((r) => r.head_sha)).toEqual([HEAD_1]);
  });
});

describe('racing pushes', () => {
  /** Resolves when `release()` is called. */
  function latch(): { promise: Promise<void>; release: () => void } {
    let release!: () => void;
    const promise = new Promise<void>((r) => (release = r));
    return { promise, release };
  }

  it('two replicas: the older synchronize finishing last is dropped; one review, of the newest head', async () => {
    const fake = fixtureFake();
    const double = new GitHubDouble(fake).install();
    const newerDone = latch();
    const olderAtState = latch();
    // The run for HEAD_1 reaches its state read only after the run for HEAD_2 has finished.
    double.gate = async (r) => {
      if (on.state(r) && r.body.variables.head === HEAD_1) {
        olderAtState.release();
        await newerDone.promise;
      }
    };
    const replicaA = await listen(await makeProbot({ secret: SECRET }));
    const replicaB = await listen(await makeProbot({ secret: SECRET }));
    try {
      const older = send(replicaA, { body: JSON.stringify(pullRequestPayload(fake, 'synchronize', { headSha: HEAD_1 })) });
      await olderAtState.promise;
      moveTo(fake, HEAD_2);
      const newer = await send(replicaB, { body: JSON.stringify(pullRequestPayload(fake, 'synchronize', { headSha: HEAD_2 })) });
      newerDone.release();
      expect(newer.status).toBe(200);
      expect((await older).status).toBe(200);
    } finally {
      await replicaA.close();
      await replicaB.close();
    }
    expect(fake.submittedReviews().map((r) => r.commit_id)).toEqual([HEAD_2]);
    expect(fake.checkRuns.map((r) => r.head_sha)).toEqual([HEAD_2]);
  });

  it('one replica, both orders of arrival: one review, of the newest head', async () => {
    for (const order of ['older first', 'newer first'] as const) {
      const fake = fixtureFake();
      const double = new GitHubDouble(fake).install();
      target = await listen(await makeProbot({ secret: SECRET }));
      const pushed = latch();
      // The older run's file reads wait for the push, so it always sees a moved head at the end.
      double.gate = async (r) => {
        if (on.readFiles(r) && String(r.body.variables.p0).startsWith(HEAD_1)) await pushed.promise;
      };
      const olderBody = JSON.stringify(pullRequestPayload(fake, 'synchronize', { headSha: HEAD_1 }));
      const newerBody = JSON.stringify(pullRequestPayload(fake, 'synchronize', { headSha: HEAD_2 }));
      let statuses: number[];
      if (order === 'older first') {
        const older = send(target, { body: olderBody });
        moveTo(fake, HEAD_2);
        const newer = send(target, { body: newerBody });
        pushed.release();
        statuses = [(await older).status, (await newer).status];
      } else {
        moveTo(fake, HEAD_2);
        pushed.release();
        const newer = await send(target, { body: newerBody });
        const older = await send(target, { body: olderBody });
        statuses = [newer.status, older.status];
      }
      expect(statuses, order).toEqual([200, 200]);
      expect(fake.submittedReviews().map((r) => r.commit_id), order).toEqual([HEAD_2]);
      expect(fake.checkRuns.map((r) => r.head_sha), order).toEqual([HEAD_2]);
      await target.close();
      target = undefined;
      nock.cleanAll();
    }
  });
});

describe('deliveries queued for one pull request', () => {
  it('skips those a later queued delivery covers (a newer push, the same head again), never a new base or a non-draft review', async () => {
    const fake = fixtureFake();
    const double = new GitHubDouble(fake).install();
    const { log, lines } = capturedLog('info');
    const probot = await makeProbot({ log });
    const HEAD_3 = '5'.repeat(40);
    // The pushes happened: GitHub's head is HEAD_3 (with HEAD_2's files).
    fake.commits.set(HEAD_2, fake.commits.get(HEAD_1)!);
    fake.setHead(HEAD_3, fake.commits.get(HEAD_1)!, fake.pr.files);
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let arrived!: () => void;
    const atGate = new Promise<void>((r) => (arrived = r));
    // The first delivery's run holds at its file read while the others queue behind it.
    double.gate = async (r) => {
      if (on.readFiles(r) && String(r.body.variables.p0).startsWith(HEAD_1)) {
        arrived();
        await held;
      }
    };
    const push = (head: string, before: string, draft = false) => ({ ...pullRequestPayload(fake, 'synchronize', { headSha: head, draft }), before, after: head });
    const queue: [string, any][] = [
      ['opened A', pullRequestPayload(fake, 'opened', { headSha: HEAD_1 })],
      ['synchronize B', push(HEAD_2, HEAD_1)],
      ['synchronize C', push(HEAD_3, HEAD_2)],
      ['ready_for_review C', pullRequestPayload(fake, 'ready_for_review', { headSha: HEAD_3 })],
      ['edited C, new base', pullRequestPayload(fake, 'edited', { headSha: HEAD_3, baseChanged: true })],
      ['reopened C', pullRequestPayload(fake, 'reopened', { headSha: HEAD_3 })],
      ['synchronize C as a draft', push(HEAD_3, HEAD_2, true)],
    ];
    const receive = (payload: unknown) => probot.receive({ id: randomUUID(), name: 'pull_request', payload } as any);
    const first = receive(queue[0]![1]);
    await atGate; // the first run is under way
    const runs = [first, ...queue.slice(1).map(([, payload]) => receive(payload))];
    await new Promise((r) => setTimeout(r, 500)); // all queued behind the held run
    release();
    await Promise.all(runs);

    const skipped = lines
      .map((l) => JSON.parse(l))
      .filter((l) => l.msg === 'a later delivery queued for this pull request covers this one; skipping it')
      .map((l) => `${l.trigger} ${l.head.slice(0, 1)}`);
    // B: C was pushed on top of it. synchronize C: ready_for_review C does all it would. ready_for_review
    // C: the new base's run does all it would. The new base is not covered by the reopen after it,
    // nor the reopen by a later delivery that sees a draft.
    expect(skipped).toEqual(['synchronize 3', 'synchronize 5', 'ready_for_review 5']);
    const stateReads = fake.requests.filter((r) => r.operation === 'PyworkersReviewState').map((r) => r.body.variables.head.slice(0, 1));
    expect(stateReads).toEqual(['2', '5', '5']); // opened A (dropped: head moved), new base C, reopened C
    expect(fake.submittedReviews().map((r) => r.commit_id)).toEqual([HEAD_3]);
    expect(fake.checkRuns.map((r) => r.head_sha)).toEqual([HEAD_3]);
  });
});
