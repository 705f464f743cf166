// A fake GitHub for app tests: the REST and GraphQL endpoints the app uses, over one repository and
// one pull request, with the rules GitHub applies to review comments (a line outside the diff or a
// range across hunks is refused with 422). Served over HTTP for the end-to-end test, or called
// directly from nock interceptors.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CommentableLines, type FileStatus } from '../../src/review/index.js';

export interface PrFile {
  filename: string;
  status: FileStatus;
  /** Omitted for files whose diff GitHub does not show. */
  patch?: string;
  previous_filename?: string;
}

export interface FakeUser {
  login: string;
  type: 'Bot' | 'User';
}

/** The app as GitHub shows it: REST logins of apps end in "[bot]", GraphQL ones do not. */
export const APP_USER: FakeUser = { login: 'pyworkers-review[bot]', type: 'Bot' };

export interface StoredReview {
  id: number;
  user: FakeUser;
  body: string;
  state: 'COMMENTED' | 'CHANGES_REQUESTED' | 'PENDING';
  commit_id: string;
}

export interface StoredComment {
  id: number;
  review_id: number;
  thread: string;
  path: string;
  line: number;
  start_line?: number;
  side: string;
  body: string;
  user: FakeUser;
  commit_id: string;
}

export interface StoredThread {
  id: string;
  path: string;
  comments: number[];
  isResolved: boolean;
}

export interface StoredCheckRun {
  id: number;
  name: string;
  head_sha: string;
  status: string;
  conclusion?: string;
  output: { title?: string; summary?: string; text?: string };
  annotations: unknown[];
}

export interface RequestRecord {
  method: string;
  /** Path without the API prefix and query, decoded: "/repos/o/r/contents/.github/x.yml". */
  path: string;
  /** The path as requested, with its prefix ("/api/v3/…" or "/api/graphql" on GitHub Enterprise). */
  rawPath: string;
  query: URLSearchParams;
  body: any;
  /** GraphQL operation name, for POST /graphql. */
  operation?: string;
}

export interface FakeResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/** A unified diff of two texts in the form of GitHub's `patch` field (hunks only), via git. */
export function unifiedPatch(before: string | null, after: string | null): string {
  const dir = mkdtempSync(join(tmpdir(), 'pwr-diff-'));
  try {
    const a = join(dir, 'a');
    const b = join(dir, 'b');
    if (before !== null) writeFileSync(a, before);
    if (after !== null) writeFileSync(b, after);
    let out = '';
    try {
      execFileSync('git', ['diff', '--no-index', '--no-color', '-U3', before === null ? '/dev/null' : a, after === null ? '/dev/null' : b], {
        encoding: 'utf8',
      });
    } catch (err) {
      out = String((err as { stdout?: string }).stdout ?? ''); // exit status 1: the files differ
    }
    const at = out.indexOf('\n@@');
    return at === -1 ? '' : out.slice(at + 1).replace(/\n$/, '');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): FakeResponse {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body: body === undefined ? '' : JSON.stringify(body) };
}

function unprocessable(message: string): FakeResponse {
  return json(422, { message: 'Unprocessable Entity', errors: [message], documentation_url: 'https://docs.github.com/rest/pulls/reviews#create-a-review-for-a-pull-request', status: '422' });
}

export interface FakeOptions {
  owner?: string;
  repo?: string;
  number?: number;
  installationId?: number;
}

export class FakeGitHub {
  readonly owner: string;
  readonly repo: string;
  readonly number: number;
  readonly installationId: number;
  /** Files of each commit. */
  readonly commits = new Map<string, Map<string, string>>();
  /** Files of the default branch (where the repository config is read). */
  defaultBranch = new Map<string, string>();
  /** Other repositories' files (for `_extends` and the owner's `.github` repository). */
  readonly otherRepos = new Map<string, Map<string, string>>();
  pr = { state: 'open' as 'open' | 'closed', draft: false, headSha: '', baseSha: '', files: [] as PrFile[] };
  readonly reviews: StoredReview[] = [];
  readonly comments: StoredComment[] = [];
  readonly threads: StoredThread[] = [];
  readonly checkRuns: StoredCheckRun[] = [];
  readonly requests: RequestRecord[] = [];
  /** Refuses more comments than GitHub's rules do (to test the app's answer to a 422). */
  refuseAlso?: (comment: any) => string | undefined;
  /** Called before a request is answered; may change the state (e.g. move the head). */
  onRequest?: (record: RequestRecord) => void;
  private nextId = 1000;
  private server?: Server;

  constructor(options: FakeOptions = {}) {
    this.owner = options.owner ?? 'pyworkers-demo';
    this.repo = options.repo ?? 'link-preview';
    this.number = options.number ?? 7;
    this.installationId = options.installationId ?? 4242;
  }

  /** Sets the pull request's head: its files at that commit and the diff GitHub lists. */
  setHead(sha: string, files: Map<string, string>, prFiles: PrFile[]): void {
    this.commits.set(sha, files);
    this.pr.headSha = sha;
    this.pr.files = prFiles;
  }

  /** The pull request's changed files, diffed from base to head texts as GitHub would list them. */
  static diffFiles(base: Map<string, string>, head: Map<string, string>, omitPatch: readonly string[] = []): PrFile[] {
    const files: PrFile[] = [];
    for (const path of [...new Set([...base.keys(), ...head.keys()])].sort()) {
      const before = base.get(path) ?? null;
      const after = head.get(path) ?? null;
      if (before === after) continue;
      const status: FileStatus = before === null ? 'added' : after === null ? 'removed' : 'modified';
      files.push({ filename: path, status, ...(omitPatch.includes(path) ? {} : { patch: unifiedPatch(before, after) }) });
    }
    return files;
  }

  /** A person answers in a review thread. */
  reply(threadId: string, user: FakeUser, body: string): void {
    const thread = this.threads.find((t) => t.id === threadId)!;
    const first = this.comments.find((c) => c.id === thread.comments[0])!;
    const id = this.nextId++;
    this.comments.push({ ...first, id, review_id: 0, body, user });
    thread.comments.push(id);
  }

  submittedReviews(): StoredReview[] {
    return this.reviews.filter((r) => r.state !== 'PENDING');
  }

  commentsOf(reviewId: number): StoredComment[] {
    return this.comments.filter((c) => c.review_id === reviewId);
  }

  count(method: string, pathPattern?: RegExp): number {
    return this.requests.filter((r) => r.method === method && (!pathPattern || pathPattern.test(r.path))).length;
  }

  // ---- HTTP ----

  async listen(): Promise<string> {
    this.server = createServer((req, res) => void this.serve(req, res));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = raw;
    }
    const origin = `http://${req.headers.host}`;
    const response = this.handle(req.method ?? 'GET', `${origin}${req.url}`, body);
    res.writeHead(response.status, response.headers);
    res.end(response.body);
  }

  /** Answers one request; `url` is absolute (its origin is used for pagination links). */
  handle(method: string, url: string, body: any): FakeResponse {
    const parsed = new URL(url);
    const apiPrefix = parsed.pathname.startsWith('/api/v3/') ? '/api/v3' : '';
    const path = parsed.pathname.slice(apiPrefix.length);
    const record: RequestRecord = {
      method,
      path: decodeURIComponent(path),
      rawPath: parsed.pathname,
      query: parsed.searchParams,
      body,
      ...(path.endsWith('/graphql') ? { operation: /(?:query|mutation)\s+(\w+)/.exec(body?.query ?? '')?.[1] ?? '(anonymous)' } : {}),
    };
    this.requests.push(record);
    this.onRequest?.(record);
    if (method === 'POST' && (parsed.pathname === '/api/graphql' || parsed.pathname === '/graphql')) return this.graphql(body);
    return this.rest(method, path, parsed, body, `${parsed.origin}${apiPrefix}`);
  }

  private rest(method: string, path: string, url: URL, body: any, base: string): FakeResponse {
    const repoPath = `/repos/${this.owner}/${this.repo}`;
    const pull = `${repoPath}/pulls/${this.number}`;
    let m: RegExpExecArray | null;
    if (method === 'POST' && (m = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(path))) {
      return json(201, {
        token: `ghs_fake_${m[1]}`,
        expires_at: new Date(Date.now() + 3600_000).toISOString(),
        permissions: { contents: 'read', pull_requests: 'write', checks: 'write', metadata: 'read' },
        repository_selection: 'all',
      });
    }
    if (method === 'GET' && (m = /^\/repos\/([^/]+)\/([^/]+)\/contents\/(.+)$/.exec(path))) {
      const [, owner, repo, encoded] = m;
      const file = decodeURIComponent(encoded!);
      const ref = url.searchParams.get('ref');
      let files: Map<string, string> | undefined;
      if (owner === this.owner && repo === this.repo) files = ref ? this.commits.get(ref) : this.defaultBranch;
      else files = this.otherRepos.get(`${owner}/${repo}`);
      const text = files?.get(file);
      if (text === undefined) return json(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest/repos/contents#get-repository-content', status: '404' });
      return { status: 200, headers: { 'content-type': 'application/vnd.github.raw; charset=utf-8' }, body: text };
    }
    if (method === 'GET' && path === `${pull}/files`) {
      const perPage = Number(url.searchParams.get('per_page') ?? 30);
      const page = Number(url.searchParams.get('page') ?? 1);
      const slice = this.pr.files.slice((page - 1) * perPage, page * perPage);
      const last = Math.max(1, Math.ceil(this.pr.files.length / perPage));
      const link = (p: number) => `<${base}${pull}/files?per_page=${perPage}&page=${p}>`;
      const headers: Record<string, string> = {};
      if (page < last) headers.link = `${link(page + 1)}; rel="next", ${link(last)}; rel="last"`;
      return json(
        200,
        slice.map((f, i) => ({
          sha: `${(page * 1000 + i).toString(16).padStart(40, '0')}`,
          filename: f.filename,
          status: f.status,
          additions: 0,
          deletions: 0,
          changes: 0,
          blob_url: `${base}/blob`,
          raw_url: `${base}/raw`,
          contents_url: `${base}/contents`,
          ...(f.patch !== undefined ? { patch: f.patch } : {}),
          ...(f.previous_filename ? { previous_filename: f.previous_filename } : {}),
        })),
        headers,
      );
    }
    if (method === 'GET' && path === pull) {
      return json(200, { number: this.number, state: this.pr.state, draft: this.pr.draft, head: { sha: this.pr.headSha }, base: { sha: this.pr.baseSha } });
    }
    if (method === 'GET' && path === `${pull}/reviews`) {
      return json(200, this.reviews.map((r) => this.restReview(r)));
    }
    if (method === 'POST' && path === `${pull}/reviews`) return this.createReview(body);
    if (method === 'DELETE' && (m = new RegExp(`^${pull}/reviews/(\\d+)$`).exec(path))) {
      const i = this.reviews.findIndex((r) => r.id === Number(m![1]));
      if (i === -1) return json(404, { message: 'Not Found' });
      if (this.reviews[i]!.state !== 'PENDING') return unprocessable('Can not delete a non-pending pull request review');
      const [review] = this.reviews.splice(i, 1);
      for (const c of this.comments.filter((x) => x.review_id === review!.id)) {
        this.comments.splice(this.comments.indexOf(c), 1);
        const t = this.threads.findIndex((x) => x.id === c.thread);
        if (t !== -1) this.threads.splice(t, 1);
      }
      return json(200, this.restReview(review!));
    }
    if (method === 'POST' && path === `${repoPath}/check-runs`) {
      if (!body?.name || !body?.head_sha) return unprocessable('name and head_sha are required');
      if ((body.output?.annotations?.length ?? 0) > 50) return unprocessable('Only 50 annotations are allowed per request');
      const run: StoredCheckRun = {
        id: this.nextId++,
        name: body.name,
        head_sha: body.head_sha,
        status: body.status ?? 'queued',
        conclusion: body.conclusion,
        output: { title: body.output?.title, summary: body.output?.summary, text: body.output?.text },
        annotations: [...(body.output?.annotations ?? [])],
      };
      this.checkRuns.push(run);
      return json(201, { id: run.id, name: run.name, head_sha: run.head_sha, status: run.status, conclusion: run.conclusion ?? null });
    }
    if (method === 'PATCH' && (m = new RegExp(`^${repoPath}/check-runs/(\\d+)$`).exec(path))) {
      const run = this.checkRuns.find((r) => r.id === Number(m![1]));
      if (!run) return json(404, { message: 'Not Found' });
      if ((body.output?.annotations?.length ?? 0) > 50) return unprocessable('Only 50 annotations are allowed per request');
      run.annotations.push(...(body.output?.annotations ?? []));
      if (body.status) run.status = body.status;
      if (body.conclusion) run.conclusion = body.conclusion;
      return json(200, { id: run.id, name: run.name, head_sha: run.head_sha, status: run.status, conclusion: run.conclusion ?? null });
    }
    return json(404, { message: `Not Found (fake GitHub has no ${method} ${path})` });
  }

  private restReview(r: StoredReview): unknown {
    return { id: r.id, node_id: `PRR_${r.id}`, user: { login: r.user.login, type: r.user.type }, body: r.body, state: r.state, commit_id: r.commit_id };
  }

  /** GitHub's checks on review comments: every line a RIGHT-side line of one hunk of that file. */
  refusal(comment: any): string | undefined {
    const file = this.pr.files.find((f) => f.filename === comment?.path);
    if (!file) return 'Path could not be resolved';
    if (typeof comment.body !== 'string' || comment.body === '') return 'Body is required';
    if (comment.position !== undefined) return 'position is not used by this app';
    if (comment.side !== undefined && comment.side !== 'RIGHT' && comment.side !== 'LEFT') return 'side must be RIGHT or LEFT';
    if (file.patch === undefined) return 'Pull request review thread diff hunk can not be blank';
    const lines = CommentableLines.fromPatch(file.patch);
    const start = comment.start_line ?? comment.line;
    if (!Number.isInteger(comment.line) || lines.kind(comment.line) === undefined) return 'Pull request review thread line must be part of the diff';
    if (start > comment.line) return 'start_line must precede line';
    if (!lines.inOneHunk(start, comment.line)) return 'Pull request review thread start line must be part of the same hunk as the line';
    return this.refuseAlso?.(comment);
  }

  private createReview(body: any): FakeResponse {
    if (this.pr.state !== 'open') return unprocessable('Pull request is closed');
    if (body?.commit_id && !this.commits.has(body.commit_id)) return unprocessable('commit_id is not part of the pull request');
    if (body?.event && body.event !== 'APPROVE' && !body.body) return unprocessable('Body is required for this event');
    const comments: any[] = body?.comments ?? [];
    for (const c of comments) {
      const problem = this.refusal(c);
      if (problem) return unprocessable(problem);
    }
    if (!body?.event && this.reviews.some((r) => r.state === 'PENDING')) {
      return unprocessable('User can only have one pending review per pull request');
    }
    const id = this.nextId++;
    const state: StoredReview['state'] = !body?.event ? 'PENDING' : body.event === 'REQUEST_CHANGES' ? 'CHANGES_REQUESTED' : 'COMMENTED';
    const review: StoredReview = { id, user: APP_USER, body: body?.body ?? '', state, commit_id: body?.commit_id ?? this.pr.headSha };
    this.reviews.push(review);
    for (const c of comments) {
      const commentId = this.nextId++;
      const thread = `PRRT_${commentId}`;
      this.threads.push({ id: thread, path: c.path, comments: [commentId], isResolved: false });
      this.comments.push({
        id: commentId,
        review_id: id,
        thread,
        path: c.path,
        line: c.line,
        ...(c.start_line !== undefined ? { start_line: c.start_line } : {}),
        side: c.side ?? 'RIGHT',
        body: c.body,
        user: APP_USER,
        commit_id: review.commit_id,
      });
    }
    return json(200, this.restReview(review));
  }

  // ---- GraphQL ----

  private graphql(body: any): FakeResponse {
    const query: string = body?.query ?? '';
    const variables: Record<string, any> = body?.variables ?? {};
    const operation = /(?:query|mutation)\s+(\w+)/.exec(query)?.[1];
    if (operation === 'PyworkersFiles') return json(200, { data: this.filesData(variables) });
    if (operation === 'PyworkersReviewState') return json(200, { data: this.stateData(variables) });
    if (operation === 'PyworkersResolveThreads') {
      const data: Record<string, unknown> = {};
      for (const [key, id] of Object.entries(variables)) {
        const thread = this.threads.find((t) => t.id === id);
        if (!thread) return json(200, { data: null, errors: [{ message: `Could not resolve to a node with the global id of '${id}'` }] });
        thread.isResolved = true;
        data[`r${key.slice(1)}`] = { thread: { id: thread.id, isResolved: true } };
      }
      return json(200, { data });
    }
    return json(200, { data: null, errors: [{ message: `fake GitHub does not know the operation ${operation ?? '(anonymous)'}` }] });
  }

  /** The answer to a PyworkersFiles query: one blob (or null) per `$pN` expression "sha:path". */
  filesData(variables: Record<string, any>): unknown {
    const repository: Record<string, unknown> = {};
    for (const [key, expression] of Object.entries(variables)) {
      if (!/^p\d+$/.test(key)) continue;
      const colon = String(expression).indexOf(':');
      const sha = String(expression).slice(0, colon);
      const path = String(expression).slice(colon + 1);
      const text = this.commits.get(sha)?.get(path);
      repository[`f${key.slice(1)}`] =
        text === undefined ? null : { byteSize: Buffer.byteLength(text), isBinary: false, isTruncated: false, text };
    }
    return { repository };
  }

  /** The answer to a PyworkersReviewState query. */
  stateData(variables: Record<string, any>): unknown {
    const graphUser = (u: FakeUser) => ({ __typename: u.type, login: u.login.replace(/\[bot\]$/, '') });
    const commentNode = (id: number) => {
      const c = this.comments.find((x) => x.id === id)!;
      return { body: c.body, author: graphUser(c.user) };
    };
    const runs = this.checkRuns.filter((r) => r.head_sha === variables.head && r.name === variables.checkName);
    return {
      repository: {
        pullRequest: {
          state: this.pr.state === 'open' ? 'OPEN' : 'CLOSED',
          headRefOid: this.pr.headSha,
          reviews: {
            nodes: this.reviews.slice(-100).map((r) => ({ databaseId: r.id, state: r.state, body: r.body, author: graphUser(r.user) })),
          },
          reviewThreads: {
            pageInfo: { hasNextPage: false, endCursor: null },
            nodes: this.threads.map((t) => ({
              id: t.id,
              isResolved: t.isResolved,
              comments: { totalCount: t.comments.length, nodes: t.comments.map(commentNode) },
            })),
          },
        },
        object: this.commits.has(variables.head)
          ? {
              checkSuites: {
                nodes: [
                  {
                    checkRuns: {
                      nodes: runs.map((r) => ({ databaseId: r.id, status: r.status.toUpperCase(), conclusion: r.conclusion?.toUpperCase() ?? null })),
                    },
                  },
                ],
              },
            }
          : null,
      },
    };
  }
}
