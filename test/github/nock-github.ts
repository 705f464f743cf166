// nock interceptors answered by the fake GitHub: each request the app is expected to make is
// declared (so nock.pendingMocks() shows what it did not do), and the fake keeps GitHub's state.
import nock from 'nock';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import type { FakeGitHub, RequestRecord } from '../helpers/fake-github.js';

export const API = 'https://api.github.com';

/** nock 15 hands reply functions the fetch Request. */
export async function bodyOf(request: Request): Promise<unknown> {
  const text = await request.text();
  return text ? JSON.parse(text) : undefined;
}

/** Declares the requests the app is expected to make; each is answered by the fake GitHub. */
export class Expect {
  constructor(private readonly fake: FakeGitHub) {}

  private get repoPath(): string {
    return `/repos/${this.fake.owner}/${this.fake.repo}`;
  }

  private get pullPath(): string {
    return `${this.repoPath}/pulls/${this.fake.number}`;
  }

  call(method: string, path: string, options: { query?: boolean; body?: (body: any) => boolean; times?: number } = {}): this {
    let interceptor = nock(API).intercept(path, method, options.body as any);
    if (options.query) interceptor = interceptor.query(true);
    interceptor.times(options.times ?? 1).reply(async (request: Request) => {
      const response = this.fake.handle(method, request.url, await bodyOf(request));
      return [response.status, response.body, response.headers];
    });
    return this;
  }

  token(): this {
    return this.call('POST', `/app/installations/${this.fake.installationId}/access_tokens`);
  }

  /**
   * The repository config through Probot's context.config (REST): for a draft, and where the files
   * query cannot read it exactly (`_extends`, bad YAML…). Without one in the repository, Probot also
   * looks in the owner's `.github` repository.
   */
  config(present: boolean): this {
    this.call('GET', `${this.repoPath}/contents/.github%2Fpyworkers-review.yml`);
    if (!present) this.call('GET', `/repos/${this.fake.owner}/.github/contents/.github%2Fpyworkers-review.yml`);
    return this;
  }

  files(): this {
    return this.call('GET', `${this.pullPath}/files`, { query: true });
  }

  graphql(operation: string, times = 1): this {
    return this.call('POST', '/graphql', { body: (b) => new RegExp(`^(query|mutation) ${operation}\\b`).test(b?.query ?? ''), times });
  }

  /**
   * Everything a run does before it decides what to post. The config rides in the files query; with
   * `config`, it is (also) read through context.config, present in the repository or not.
   */
  read(options: { config?: boolean } = {}): this {
    if (options.config !== undefined) this.config(options.config);
    return this.files().graphql('PyworkersFiles').graphql('PyworkersReviewState');
  }

  review(times = 1): this {
    return this.call('POST', `${this.pullPath}/reviews`, { times });
  }

  listReviews(times = 1): this {
    return this.call('GET', `${this.pullPath}/reviews`, { query: true, times });
  }

  deleteReview(times = 1): this {
    return this.call('DELETE', new RegExp(`${this.pullPath}/reviews/\\d+$`) as unknown as string, { times });
  }

  checkRun(): this {
    return this.call('POST', `${this.repoPath}/check-runs`);
  }

  checkRunUpdate(times = 1): this {
    return this.call('PATCH', new RegExp(`${this.repoPath}/check-runs/\\d+$`) as unknown as string, { times });
  }
}

export function posted(fake: FakeGitHub, method: string, suffix: string): RequestRecord[] {
  return fake.requests.filter((r) => r.method === method && r.path.endsWith(suffix));
}

export function reviewPosts(fake: FakeGitHub): RequestRecord[] {
  return posted(fake, 'POST', `/pulls/${fake.number}/reviews`);
}

export function checkPosts(fake: FakeGitHub): RequestRecord[] {
  return posted(fake, 'POST', '/check-runs');
}

export function graphqlCalls(fake: FakeGitHub, operation: string): RequestRecord[] {
  return fake.requests.filter((r) => r.operation === operation);
}

/** Which lines each posted comment covers: "path:line" or "path:start-line". */
export function placements(body: any): string[] {
  return (body.comments ?? []).map((c: any) => `${c.path}:${c.start_line !== undefined ? `${c.start_line}-` : ''}${c.line}`);
}

/** Real network off for the file; after each test, no declared request may be left unmade. */
export function useNock(): void {
  beforeAll(() => nock.disableNetConnect());
  afterAll(() => nock.enableNetConnect());
  afterEach(() => {
    const pending = nock.pendingMocks();
    nock.cleanAll();
    expect(pending).toEqual([]);
  });
}
