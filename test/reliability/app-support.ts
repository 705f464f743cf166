// Shared by the app reliability tests: GitHub as nock sees it, answered by the fake GitHub, with
// faults (an HTTP status, a lost answer, a connection reset) and delays injected per request; a
// fake that hands out a new installation token each time and keeps check-run titles; a Probot as
// production builds it (retries and throttling on, only their waits shortened).
import { Writable } from 'node:stream';
import Bottleneck from 'bottleneck/light.js';
import nock from 'nock';
import { pino, type Logger } from 'pino';
import { Probot, ProbotOctokit } from 'probot';
import { createApp, type AppOptions } from '../../src/github/index.js';
import { FakeGitHub, type FakeResponse, type RequestRecord } from '../helpers/fake-github.js';
import { BASE_SHA, baseFiles, HEAD_1, head1Files, head2Files } from '../github/fixtures.js';
import { bodyOf } from '../github/nock-github.js';
import { privateKey, TEST_RULES, testOctokit } from '../github/helpers.js';

export const API = 'https://api.github.com';

/** The fake GitHub, plus what these tests look at: tokens handed out, check-run titles, auth headers. */
export class ReliabilityFake extends FakeGitHub {
  /** Installation tokens handed out, in order. */
  readonly tokens: string[] = [];
  /** The authorization header of every request (parallel to `requests`). */
  readonly authorizations: (string | null)[] = [];
  tokenPrefix = 'ghs_reliability_token_';

  override handle(method: string, url: string, body: any): FakeResponse {
    const response = super.handle(method, url, body);
    const path = new URL(url).pathname;
    if (method === 'POST' && /\/app\/installations\/\d+\/access_tokens$/.test(path) && response.status === 201) {
      const token = `${this.tokenPrefix}${this.tokens.length + 1}`;
      this.tokens.push(token);
      return { ...response, body: JSON.stringify({ ...JSON.parse(response.body), token }) };
    }
    const patch = /\/check-runs\/(\d+)$/.exec(path);
    if (method === 'PATCH' && patch && response.status === 200 && body?.output) {
      // The fake keeps only annotations from an update; GitHub replaces the output's texts too.
      const run = this.checkRuns.find((r) => r.id === Number(patch[1]))!;
      for (const key of ['title', 'summary', 'text'] as const) if (body.output[key] !== undefined) run.output[key] = body.output[key];
    }
    return response;
  }

  override stateData(variables: Record<string, any>): unknown {
    const data = super.stateData(variables) as any;
    // GitHub's CheckRun has a title; the base fake leaves it out.
    for (const suite of data?.repository?.object?.checkSuites?.nodes ?? []) {
      for (const node of suite?.checkRuns?.nodes ?? []) node.title = this.checkRuns.find((r) => r.id === node.databaseId)?.output.title ?? null;
    }
    return data;
  }

  /** Submitted reviews (not pending). */
  submitted() {
    return this.submittedReviews();
  }
}

/** The fixture pull request (two Workers, five findings, four inline) at HEAD_1. */
export function fixtureFake(): ReliabilityFake {
  const fake = new ReliabilityFake();
  fake.commits.set(BASE_SHA, baseFiles);
  fake.defaultBranch = new Map(baseFiles);
  fake.pr.baseSha = BASE_SHA;
  moveTo(fake, HEAD_1);
  return fake;
}

/** Moves the fixture pull request to HEAD_1 or HEAD_2 (a push). */
export function moveTo(fake: FakeGitHub, head: string): void {
  const files = head === HEAD_1 ? head1Files : head2Files();
  fake.setHead(head, files, FakeGitHub.diffFiles(baseFiles, files, ['workers/links/src/tables.py']));
}

export interface RequestInfo {
  method: string;
  /** API path, decoded, without query ("/repos/o/r/pulls/7/reviews", "/graphql"). */
  path: string;
  query: URLSearchParams;
  body: any;
  /** GraphQL operation name. */
  operation?: string;
  /** The authorization header sent. */
  authorization: string | null;
}

export type FaultReply =
  | { status: number; body?: unknown; headers?: Record<string, string> }
  /** The connection drops before any answer (ECONNRESET). */
  | 'reset';

export interface Fault {
  /** Which requests fail. */
  match: (r: RequestInfo) => boolean;
  /** How many matching requests fail (default 1; Infinity for all). */
  times?: number;
  /** GitHub did the request, but the answer was lost: the fake applies it before the fault. */
  applied?: boolean;
  reply: FaultReply;
}

/** Routes every api.github.com request through nock to the fake, with faults and delays. */
export class GitHubDouble {
  readonly faults: Fault[] = [];
  /** Awaited before a request is answered (to order racing runs). */
  gate?: (r: RequestInfo) => Promise<void> | void;
  /** Faults that fired, as "METHOD path-or-operation status". */
  readonly fired: string[] = [];

  constructor(readonly fake: ReliabilityFake) {}

  fail(fault: Fault): this {
    this.faults.push(fault);
    return this;
  }

  install(): this {
    for (const method of ['GET', 'POST', 'PATCH', 'PUT', 'DELETE']) {
      nock(API)
        .persist()
        .intercept(() => true, method)
        .reply(async (request: Request) => {
          const body = await bodyOf(request);
          const url = new URL(request.url);
          const info: RequestInfo = {
            method,
            path: decodeURIComponent(url.pathname),
            query: url.searchParams,
            body,
            authorization: request.headers.get('authorization'),
            ...(url.pathname === '/graphql' ? { operation: /(?:query|mutation)\s+(\w+)/.exec(body?.query ?? '')?.[1] ?? '(anonymous)' } : {}),
          };
          await this.gate?.(info);
          const fault = this.faults.find((f) => (f.times ?? 1) > 0 && f.match(info));
          if (fault) {
            fault.times = (fault.times ?? 1) - 1;
            if (fault.applied) this.answer(request, method, body);
            this.fired.push(`${method} ${info.operation ?? info.path} ${fault.reply === 'reset' ? 'reset' : fault.reply.status}`);
            if (fault.reply === 'reset') throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
            return [fault.reply.status, fault.reply.body ?? { message: `HTTP ${fault.reply.status}` }, fault.reply.headers ?? {}];
          }
          const response = this.answer(request, method, body);
          return [response.status, response.body, response.headers];
        });
    }
    return this;
  }

  private answer(request: Request, method: string, body: unknown): FakeResponse {
    this.fake.authorizations.push(request.headers.get('authorization'));
    return this.fake.handle(method, request.url, body);
  }
}

/** Matchers for the requests a review makes. */
export const on = {
  token: (r: RequestInfo) => r.method === 'POST' && /\/access_tokens$/.test(r.path),
  config: (r: RequestInfo) => r.method === 'GET' && r.path.endsWith('/contents/.github/pyworkers-review.yml'),
  files: (r: RequestInfo) => r.method === 'GET' && /\/pulls\/\d+\/files$/.test(r.path),
  contents: (r: RequestInfo) => r.method === 'GET' && /\/contents\//.test(r.path) && r.query.has('ref'),
  readFiles: (r: RequestInfo) => r.operation === 'PyworkersFiles',
  state: (r: RequestInfo) => r.operation === 'PyworkersReviewState',
  resolve: (r: RequestInfo) => r.operation === 'PyworkersResolveThreads',
  /** The review POST (not the pending probes of a 422). */
  review: (r: RequestInfo) => r.method === 'POST' && /\/pulls\/\d+\/reviews$/.test(r.path) && Boolean(r.body?.event),
  listReviews: (r: RequestInfo) => r.method === 'GET' && /\/pulls\/\d+\/reviews$/.test(r.path),
  checkCreate: (r: RequestInfo) => r.method === 'POST' && /\/check-runs$/.test(r.path),
  checkUpdate: (r: RequestInfo) => r.method === 'PATCH' && /\/check-runs\/\d+$/.test(r.path),
};

/** Real network off for the file, except loopback; every interceptor dropped after each test. */
export function isolateNetwork(hooks: { beforeAll: (fn: () => void) => void; afterAll: (fn: () => void) => void; afterEach: (fn: () => void) => void }): void {
  hooks.beforeAll(() => {
    nock.disableNetConnect();
    nock.enableNetConnect(/^(127\.0\.0\.1|localhost)(:\d+)?$/);
  });
  hooks.afterEach(() => nock.cleanAll());
  hooks.afterAll(() => nock.enableNetConnect());
}

/** Octokit's pacing (a write or GraphQL request per second, a review every 3 s), at 10 ms. */
const fastWrites = new Bottleneck.Group({ maxConcurrent: 1, minTime: 10 });
const fastNotifications = new Bottleneck.Group({ maxConcurrent: 1, minTime: 10 });

/**
 * Octokit as production has it — Probot's retry plugin (3 retries on 5xx and 429, never 403/422) and
 * its throttling with the handlers Probot installs — with every wait scaled down from seconds to ms.
 */
export const productionOctokit = ProbotOctokit.defaults((options: any) => ({
  ...options,
  retry: { ...options?.retry, retryAfterBaseValue: 5 },
  throttle: { ...options?.throttle, retryAfterBaseValue: 5, write: fastWrites, notifications: fastNotifications },
}));

export interface ProbotOptions {
  /** The app's options; TEST_RULES by default, `{}` for every rule. */
  app?: AppOptions;
  /** Octokit as in production (retries and throttling on) instead of both off. */
  production?: boolean;
  secret?: string;
  log?: Logger;
  baseUrl?: string;
}

/** Rate-limit waits the app asked for (ms), across the test file; the tests' sleep returns at once. */
export const waits: number[] = [];
const recordWait = async (ms: number): Promise<void> => {
  waits.push(ms);
};

export async function makeProbot(options: ProbotOptions = {}): Promise<Probot> {
  const probot = new Probot({
    appId: 123,
    privateKey: privateKey(),
    ...(options.secret ? { secret: options.secret } : {}),
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
    ...(options.log ? { log: options.log } : { logLevel: 'fatal' }),
    Octokit: options.production ? productionOctokit : testOctokit,
  });
  // The pinned test rules unless the test brings its own options ({} for every rule).
  await probot.load(createApp({ sleep: recordWait, ...(options.app ?? { rules: TEST_RULES }) }));
  return probot;
}

/** A pino logger at `level` whose JSON lines are kept in memory. */
export function capturedLog(level: pino.LevelWithSilent = 'trace'): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { log: pino({ level }, stream), lines };
}

export function requestsOf(fake: FakeGitHub, match: (r: RequestRecord) => boolean): RequestRecord[] {
  return fake.requests.filter(match);
}

/** Watches for unhandled rejections and uncaught exceptions while a test runs. */
export function watchCrashes(): { errors: unknown[]; stop: () => void } {
  const errors: unknown[] = [];
  const onError = (err: unknown) => errors.push(err);
  process.on('unhandledRejection', onError);
  process.on('uncaughtException', onError);
  return {
    errors,
    stop: () => {
      process.off('unhandledRejection', onError);
      process.off('uncaughtException', onError);
    },
  };
}
