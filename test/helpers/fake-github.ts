// A fake GitHub for app tests: the REST and GraphQL endpoints the app uses, over one repository and
// one pull request, with the rules GitHub applies to review comments (a line outside the diff or a
// range across hunks is refused with 422). Served over HTTP for the end-to-end test, or called
// directly from nock interceptors.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoopbackServer } from './loopback.js';
import { tmpdir } from 'node:os';
import { join, posix } from 'node:path';
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
  /** Symbolic links of the default branch: path → target (relative to the link's folder, as git stores it). */
  readonly defaultBranchLinks = new Map<string, string>();
  /**
   * Other repositories' files on their default branch (for `_extends` and the owner's `.github`
   * repository), by "owner/name". A repository not here does not exist.
   */
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
  private readonly http = new LoopbackServer((req, res) => this.serve(req, res));

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

  listen(): Promise<string> {
    return this.http.listen();
  }

  close(): Promise<void> {
    return this.http.close();
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
      const tree = this.treeAt(owner!, repo!, url.searchParams.get('ref') ?? 'HEAD');
      const notFound = () => json(404, { message: 'Not Found', documentation_url: 'https://docs.github.com/rest/repos/contents#get-repository-content', status: '404' });
      const entry = tree ? entryAt(tree, file) : undefined;
      if (!entry) return notFound();
      const raw = (text: string): FakeResponse => ({ status: 200, headers: { 'content-type': 'application/vnd.github.raw; charset=utf-8' }, body: text });
      if (entry.kind === 'file') return raw(entry.text);
      if (entry.kind === 'link') {
        // GitHub answers with the target's content when the link points at a file of the repository,
        // otherwise with a description of the link (JSON).
        const target = posix.normalize(posix.join(posix.dirname(file), entry.target));
        const text = tree!.files.get(target);
        if (text !== undefined) return raw(text);
        return json(200, { type: 'symlink', target: entry.target, name: posix.basename(file), path: file });
      }
      // A folder: its listing, as JSON whatever the media type asked for.
      return json(200, entry.entries.map((e) => ({ type: e.type === 'tree' ? 'dir' : e.mode === LINK_MODE ? 'symlink' : 'file', name: e.name, path: file ? `${file}/${e.name}` : e.name })));
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
    if (operation === 'PyworkersFiles') return json(200, this.filesAnswer(query, variables));
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

  /** A repository's files at a revision ("HEAD" is its default branch), or undefined if there is none. */
  treeAt(owner: string, name: string, rev: string): RepoTree | undefined {
    if (owner === this.owner && name === this.repo) {
      if (rev === 'HEAD') return { files: this.defaultBranch, links: this.defaultBranchLinks };
      const files = this.commits.get(rev);
      return files ? { files, links: new Map() } : undefined;
    }
    const files = this.otherRepos.get(`${owner}/${name}`);
    return files && rev === 'HEAD' ? { files, links: new Map() } : undefined;
  }

  /** Whether a repository exists (for GraphQL's `repository(owner, name)`). */
  hasRepository(owner: string, name: string): boolean {
    return (owner === this.owner && name === this.repo) || this.otherRepos.has(`${owner}/${name}`);
  }

  /**
   * The answer to a PyworkersFiles query, field by field as GitHub's GraphQL API gives it: the query
   * is parsed and checked against the part of GitHub's schema it may use (an unknown field, an
   * undeclared or unused variable is refused as GitHub refuses it), then run over the repositories.
   */
  filesAnswer(query: string, variables: Record<string, unknown>): { data?: unknown; errors?: GraphQLError[] } {
    let document: GqlDocument;
    try {
      document = parseGraphQL(query);
    } catch (err) {
      return { errors: [{ message: (err as Error).message }] };
    }
    const problems = validateGraphQL(document, variables);
    if (problems.length > 0) return { errors: problems };
    const errors: GraphQLError[] = [];
    const data = runSelections(document, document.operation.selections, { typename: 'Query', value: this }, variables, [], errors);
    return errors.length ? { data, errors } : { data };
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

// ---- Trees: files, links and folders of one revision ----

/** Git modes as GitHub's TreeEntry.mode gives them. */
const FILE_MODE = 0o100644;
const LINK_MODE = 0o120000;
const FOLDER_MODE = 0o040000;

/** A repository's content at one revision: files by path, symbolic links by path (→ target). */
export interface RepoTree {
  files: ReadonlyMap<string, string>;
  links: ReadonlyMap<string, string>;
}

interface TreeEntryValue {
  name: string;
  mode: number;
  type: 'blob' | 'tree';
  path: string;
}

type TreeItem = { kind: 'file'; text: string } | { kind: 'link'; target: string } | { kind: 'folder'; entries: TreeEntryValue[] };

/** What is at `path` ('' is the root folder): a file, a link, a folder, or nothing. */
function entryAt(tree: RepoTree, path: string): TreeItem | undefined {
  const text = tree.files.get(path);
  if (text !== undefined) return { kind: 'file', text };
  const target = tree.links.get(path);
  if (target !== undefined) return { kind: 'link', target };
  const prefix = path === '' ? '' : `${path}/`;
  const entries = new Map<string, TreeEntryValue>();
  for (const [key, mode] of [...[...tree.files.keys()].map((k) => [k, FILE_MODE] as const), ...[...tree.links.keys()].map((k) => [k, LINK_MODE] as const)]) {
    if (!key.startsWith(prefix)) continue;
    const rest = key.slice(prefix.length);
    const name = rest.split('/')[0]!;
    const folder = rest.includes('/');
    entries.set(name, { name, mode: folder ? FOLDER_MODE : mode, type: folder ? 'tree' : 'blob', path: `${prefix}${name}` });
  }
  if (entries.size === 0) return undefined;
  return { kind: 'folder', entries: [...entries.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)) };
}

// ---- GraphQL: enough of the language, and of GitHub's schema, for the app's files query ----

export interface GraphQLError {
  message: string;
  type?: string;
  path?: (string | number)[];
  locations?: { line: number; column: number }[];
}

type GqlValue = { variable: string } | { literal: unknown };

interface GqlField {
  kind: 'field';
  alias: string;
  name: string;
  args: Map<string, GqlValue>;
  selections?: GqlSelection[];
  line: number;
  column: number;
}

type GqlSelection =
  | GqlField
  | { kind: 'inline'; on?: string; selections: GqlSelection[] }
  | { kind: 'spread'; name: string; line: number; column: number };

interface GqlDocument {
  operation: { kind: string; name: string; variables: Map<string, string>; selections: GqlSelection[] };
  fragments: Map<string, { on: string; selections: GqlSelection[] }>;
}

interface Token {
  kind: 'punct' | 'name' | 'string' | 'number' | 'eof';
  value: string;
  line: number;
  column: number;
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (c === '\n') {
      i++;
      line++;
      lineStart = i;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r' || c === ',' || c === '\uFEFF') {
      i++;
      continue;
    }
    if (c === '#') {
      while (i < source.length && source[i] !== '\n') i++;
      continue;
    }
    const at = { line, column: i - lineStart + 1 };
    if (source.startsWith('...', i)) {
      tokens.push({ kind: 'punct', value: '...', ...at });
      i += 3;
      continue;
    }
    if ('{}()[]:!$=@'.includes(c)) {
      tokens.push({ kind: 'punct', value: c, ...at });
      i++;
      continue;
    }
    const name = /^[_A-Za-z][_0-9A-Za-z]*/.exec(source.slice(i, i + 256));
    if (name) {
      tokens.push({ kind: 'name', value: name[0], ...at });
      i += name[0].length;
      continue;
    }
    const number = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(source.slice(i, i + 64));
    if (number) {
      tokens.push({ kind: 'number', value: number[0], ...at });
      i += number[0].length;
      continue;
    }
    if (c === '"') {
      let end = i + 1;
      while (end < source.length && source[end] !== '"' && source[end] !== '\n') end += source[end] === '\\' ? 2 : 1;
      if (source[end] !== '"') throw new Error(`Parse error on unterminated string (line ${at.line}, column ${at.column})`);
      tokens.push({ kind: 'string', value: JSON.parse(source.slice(i, end + 1)) as string, ...at });
      i = end + 1;
      continue;
    }
    throw new Error(`Parse error on "${c}" (line ${at.line}, column ${at.column})`);
  }
  tokens.push({ kind: 'eof', value: '', line, column: i - lineStart + 1 });
  return tokens;
}

/** Parses an executable GraphQL document: one operation and its fragments. */
export function parseGraphQL(source: string): GqlDocument {
  const tokens = tokenize(source);
  let k = 0;
  const peek = () => tokens[k]!;
  const fail = (t: Token): never => {
    throw new Error(`Parse error on ${t.kind === 'eof' ? 'end of input' : JSON.stringify(t.value)} (line ${t.line}, column ${t.column})`);
  };
  const next = () => tokens[k++]!;
  const expect = (value: string): Token => (peek().value === value && peek().kind !== 'string' ? next() : fail(peek()));
  const name = (): string => (peek().kind === 'name' ? next().value : fail(peek()));
  const type = (): string => {
    let t: string;
    if (peek().value === '[') {
      next();
      t = `[${type()}]`;
      expect(']');
    } else t = name();
    if (peek().value === '!') {
      next();
      t += '!';
    }
    return t;
  };
  const value = (): GqlValue => {
    const t = next();
    if (t.kind === 'punct' && t.value === '$') return { variable: name() };
    if (t.kind === 'string') return { literal: t.value };
    if (t.kind === 'number') return { literal: Number(t.value) };
    if (t.kind === 'name') return { literal: t.value === 'true' ? true : t.value === 'false' ? false : t.value === 'null' ? null : t.value };
    return fail(t);
  };
  const selectionSet = (): GqlSelection[] => {
    expect('{');
    const selections: GqlSelection[] = [];
    while (peek().value !== '}' || peek().kind !== 'punct') {
      if (peek().kind === 'eof') fail(peek());
      if (peek().value === '...' && peek().kind === 'punct') {
        const dots = next();
        if (peek().kind === 'name' && peek().value === 'on') {
          next();
          const on = name();
          selections.push({ kind: 'inline', on, selections: selectionSet() });
        } else if (peek().value === '{') selections.push({ kind: 'inline', selections: selectionSet() });
        else selections.push({ kind: 'spread', name: name(), line: dots.line, column: dots.column });
        continue;
      }
      const first = peek();
      let alias = name();
      let field = alias;
      if (peek().value === ':' && peek().kind === 'punct') {
        next();
        field = name();
      }
      const args = new Map<string, GqlValue>();
      if (peek().value === '(' && peek().kind === 'punct') {
        next();
        while (peek().value !== ')') {
          const arg = name();
          expect(':');
          args.set(arg, value());
        }
        expect(')');
      }
      const selection: GqlField = { kind: 'field', alias, name: field, args, line: first.line, column: first.column };
      if (peek().value === '{' && peek().kind === 'punct') selection.selections = selectionSet();
      selections.push(selection);
    }
    expect('}');
    return selections;
  };

  let operation: GqlDocument['operation'] | undefined;
  const fragments = new Map<string, { on: string; selections: GqlSelection[] }>();
  while (peek().kind !== 'eof') {
    const t = peek();
    if (t.kind === 'name' && t.value === 'fragment') {
      next();
      const fragment = name();
      if (name() !== 'on') fail(tokens[k - 1]!);
      const on = name();
      fragments.set(fragment, { on, selections: selectionSet() });
    } else if (t.kind === 'name' && (t.value === 'query' || t.value === 'mutation')) {
      if (operation) throw new Error('This fake answers documents of one operation');
      next();
      const opName = peek().kind === 'name' ? name() : '(anonymous)';
      const variables = new Map<string, string>();
      if (peek().value === '(') {
        next();
        while (peek().value !== ')') {
          expect('$');
          const v = name();
          expect(':');
          variables.set(v, type());
          if (peek().value === '=') {
            next();
            value();
          }
        }
        expect(')');
      }
      operation = { kind: t.value, name: opName, variables, selections: selectionSet() };
    } else fail(t);
  }
  if (!operation) throw new Error('No operation in the document');
  return { operation, fragments };
}

interface ValueOf {
  typename: string;
  value: any;
}

/** A field error that nulls the field, as GitHub reports a repository it cannot find. */
class FieldError extends Error {
  constructor(
    message: string,
    readonly type: string,
  ) {
    super(message);
  }
}

interface FieldDef {
  type: string;
  list?: boolean;
  args?: Record<string, string>;
  resolve: (parent: any, args: Record<string, unknown>) => unknown;
}

/** The scalars of the schema part below. */
const SCALARS = new Set(['String', 'Int', 'Boolean', 'GitObjectID']);

/** The part of GitHub's GraphQL schema the files query may use. */
const SCHEMA: Record<string, { fields: Record<string, FieldDef>; possible?: string[] }> = {
  Query: {
    fields: {
      repository: {
        type: 'Repository',
        args: { owner: 'String!', name: 'String!', followRenames: 'Boolean' },
        resolve: (fake: FakeGitHub, a) => {
          if (!fake.hasRepository(String(a.owner), String(a.name))) {
            throw new FieldError(`Could not resolve to a Repository with the name '${a.owner}/${a.name}'.`, 'NOT_FOUND');
          }
          return { typename: 'Repository', value: { fake, owner: a.owner, name: a.name } };
        },
      },
    },
  },
  Repository: {
    fields: {
      nameWithOwner: { type: 'String', resolve: (r) => `${r.owner}/${r.name}` },
      object: {
        type: 'GitObject',
        args: { expression: 'String', oid: 'GitObjectID' },
        resolve: (r, a) => {
          const expression = String(a.expression ?? '');
          const colon = expression.indexOf(':');
          if (colon === -1) return null;
          const tree = (r.fake as FakeGitHub).treeAt(r.owner, r.name, expression.slice(0, colon));
          const item = tree ? entryAt(tree, expression.slice(colon + 1)) : undefined;
          if (!item) return null;
          if (item.kind === 'file') return { typename: 'Blob', value: { text: item.text } };
          if (item.kind === 'link') return { typename: 'Blob', value: { text: item.target } };
          return { typename: 'Tree', value: { entries: item.entries } };
        },
      },
    },
  },
  GitObject: { fields: { oid: { type: 'GitObjectID', resolve: () => '0'.repeat(40) } }, possible: ['Blob', 'Tree'] },
  Blob: {
    fields: {
      oid: { type: 'GitObjectID', resolve: () => '0'.repeat(40) },
      byteSize: { type: 'Int', resolve: (b) => Buffer.byteLength(b.text) },
      isBinary: { type: 'Boolean', resolve: () => false },
      isTruncated: { type: 'Boolean', resolve: () => false },
      text: { type: 'String', resolve: (b) => b.text },
    },
  },
  Tree: {
    fields: {
      oid: { type: 'GitObjectID', resolve: () => '0'.repeat(40) },
      entries: { type: 'TreeEntry', list: true, resolve: (t) => t.entries.map((e: TreeEntryValue) => ({ typename: 'TreeEntry', value: e })) },
    },
  },
  TreeEntry: {
    fields: {
      name: { type: 'String', resolve: (e) => e.name },
      mode: { type: 'Int', resolve: (e) => e.mode },
      type: { type: 'String', resolve: (e) => e.type },
      path: { type: 'String', resolve: (e) => e.path },
    },
  },
};

/** Whether an object of type `actual` matches a fragment on `on`. */
function fragmentApplies(on: string, actual: string): boolean {
  return on === actual || Boolean(SCHEMA[on]?.possible?.includes(actual));
}

/** GitHub's validation of a query before running it, in its words; [] when it is valid. */
function validateGraphQL(document: GqlDocument, variables: Record<string, unknown>): GraphQLError[] {
  const op = document.operation;
  const problems: GraphQLError[] = [];
  const used = new Set<string>();
  const usedFragments = new Set<string>();
  const walk = (selections: readonly GqlSelection[], typeName: string): void => {
    const type = SCHEMA[typeName]!;
    for (const s of selections) {
      if (s.kind === 'inline' || s.kind === 'spread') {
        const fragment = s.kind === 'spread' ? document.fragments.get(s.name) : undefined;
        if (s.kind === 'spread' && !fragment) {
          problems.push({ message: `Fragment ${s.name} was used, but not defined` });
          continue;
        }
        const on = s.kind === 'spread' ? fragment!.on : s.on ?? typeName;
        if (!SCHEMA[on]) problems.push({ message: `No such type ${on}, so it can't be a fragment condition` });
        else if (on !== typeName && !type.possible?.includes(on) && !SCHEMA[on]!.possible?.includes(typeName)) {
          problems.push({ message: `Fragment on ${on} can't be spread inside ${typeName}` });
        } else if (s.kind === 'spread') {
          if (!usedFragments.has(s.name)) {
            usedFragments.add(s.name);
            walk(fragment!.selections, on);
          }
        } else walk(s.selections, on);
        continue;
      }
      if (s.name === '__typename') continue;
      const def = type.fields[s.name];
      if (!def) {
        problems.push({ message: `Field '${s.name}' doesn't exist on type '${typeName}'`, locations: [{ line: s.line, column: s.column }] });
        continue;
      }
      for (const [arg, v] of s.args) {
        if (!def.args?.[arg]) problems.push({ message: `Field '${s.name}' doesn't accept argument '${arg}'` });
        if ('variable' in v) {
          used.add(v.variable);
          if (!op.variables.has(v.variable)) problems.push({ message: `Variable $${v.variable} is used by ${op.name} but not declared` });
        }
      }
      const missing = Object.entries(def.args ?? {}).filter(([arg, t]) => t.endsWith('!') && !s.args.has(arg)).map(([arg]) => arg);
      if (missing.length) problems.push({ message: `Field '${s.name}' is missing required arguments: ${missing.join(', ')}` });
      if (SCALARS.has(def.type)) {
        if (s.selections) problems.push({ message: `Selections can't be made on scalars (field '${s.name}' returns ${def.type} but has selections)` });
      } else if (!s.selections) {
        problems.push({ message: `Field must have selections (field '${s.name}' returns ${def.type} but has no selections. Did you mean '${s.name} { ... }'?)` });
      } else walk(s.selections, def.type);
    }
  };
  walk(op.selections, op.kind === 'query' ? 'Query' : 'Mutation');
  for (const v of op.variables.keys()) if (!used.has(v)) problems.push({ message: `Variable $${v} is declared by ${op.name} but not used` });
  for (const f of document.fragments.keys()) if (!usedFragments.has(f)) problems.push({ message: `Fragment ${f} was defined, but not used` });
  for (const [v, t] of op.variables) {
    const given = variables[v];
    if ((given === undefined || given === null) && t.endsWith('!')) problems.push({ message: `Variable $${v} of type ${t} was provided invalid value` });
    else if (given !== undefined && given !== null && t.replace(/!$/, '') === 'String' && typeof given !== 'string') {
      problems.push({ message: `Variable $${v} of type ${t} was provided invalid value` });
    }
  }
  return problems;
}

/** Runs a validated selection set on one object; field errors null their field and are collected. */
function runSelections(
  document: GqlDocument,
  selections: readonly GqlSelection[],
  parent: ValueOf,
  variables: Record<string, unknown>,
  path: (string | number)[],
  errors: GraphQLError[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const s of selections) {
    if (s.kind !== 'field') {
      const on = s.kind === 'spread' ? document.fragments.get(s.name)!.on : s.on;
      const inner = s.kind === 'spread' ? document.fragments.get(s.name)!.selections : s.selections;
      if (!on || fragmentApplies(on, parent.typename)) Object.assign(out, runSelections(document, inner, parent, variables, path, errors));
      continue;
    }
    if (s.name === '__typename') {
      out[s.alias] = parent.typename;
      continue;
    }
    const def = SCHEMA[parent.typename]!.fields[s.name]!;
    const args: Record<string, unknown> = {};
    for (const [arg, v] of s.args) args[arg] = 'variable' in v ? variables[v.variable] : v.literal;
    let result: unknown;
    try {
      result = def.resolve(parent.value, args);
    } catch (err) {
      if (!(err instanceof FieldError)) throw err;
      errors.push({ type: err.type, path: [...path, s.alias], locations: [{ line: s.line, column: s.column }], message: err.message });
      out[s.alias] = null;
      continue;
    }
    const complete = (value: unknown, at: (string | number)[]): unknown =>
      value === null || value === undefined || SCALARS.has(def.type) ? (value ?? null) : runSelections(document, s.selections!, value as ValueOf, variables, at, errors);
    out[s.alias] = def.list && Array.isArray(result) ? result.map((v, i) => complete(v, [...path, s.alias, i])) : complete(result, [...path, s.alias]);
  }
  return out;
}
