// What the app lets in, and what it lets out: the permissions it asks for, code from the pull
// request (never run), the repository config (read from the default branch only), secrets (never
// in the logs, at trace level, in-process and in the real server), and Markdown built from file
// names and messages of the pull request (no way out of a code span, no markup).
import { createHmac, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BASE_SHA, baseFiles, HEAD_1, head1Files } from '../github/fixtures.js';
import { privateKey, pullRequestPayload } from '../github/helpers.js';
import { FakeGitHub } from '../helpers/fake-github.js';
import { capturedLog, fixtureFake, GitHubDouble, isolateNetwork, makeProbot, moveTo, on, ReliabilityFake } from './app-support.js';
import { FakeGitHubHost, ROOT, sendWebhook, startServer } from './app-server.js';

isolateNetwork({ beforeAll, afterAll, afterEach });

// ---- Markdown: what renders as code, and what is left ----

interface Markdown {
  /** Contents of code spans, as GitHub shows them. */
  spans: string[];
  /** Contents of fenced code blocks. */
  blocks: string[];
  /** Everything else: text GitHub renders as Markdown and HTML. */
  rest: string;
}

/** Splits Markdown as CommonMark does for code: fenced blocks, code spans, and the app's hidden comments. */
function splitMarkdown(md: string): Markdown {
  const blocks: string[] = [];
  const lines = md.split('\n');
  const outside: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^ {0,3}(`{3,}|~{3,})/.exec(lines[i]!);
    if (!open) {
      outside.push(lines[i]!);
      continue;
    }
    const fence = open[1]!;
    const content: string[] = [];
    let j = i + 1;
    for (; j < lines.length; j++) {
      const close = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(lines[j]!);
      if (close && close[1]![0] === fence[0] && close[1]!.length >= fence.length) break;
      content.push(lines[j]!);
    }
    blocks.push(content.join('\n'));
    i = j;
  }
  // The app's own hidden markers (percent-encoded values, so they hold no "-->").
  const text = outside.join('\n').replace(/<!-- pyworkers-review [^>]*? -->/g, '');
  // Code spans never cross blocks: each table cell (GFM splits rows at unescaped "|", even inside
  // code), list item, heading, or paragraph of consecutive lines is read on its own.
  const contexts: string[] = [];
  let paragraph: string[] = [];
  const flush = () => {
    if (paragraph.length) contexts.push(paragraph.join('\n'));
    paragraph = [];
  };
  for (const line of text.split('\n')) {
    if (/^\s*\|/.test(line)) {
      flush();
      contexts.push(...line.split(/(?<!\\)\|/).map((cell) => cell.replace(/\\\|/g, '|')));
    } else if (/^\s*$/.test(line)) flush();
    else if (/^\s*([-*+]|\d+\.)\s|^\s*#/.test(line)) {
      flush();
      paragraph.push(line);
    } else paragraph.push(line);
  }
  flush();
  const spans: string[] = [];
  let rest = '';
  for (const context of contexts) {
    const inline = readInline(context);
    spans.push(...inline.spans);
    rest += `${inline.rest}\n`;
  }
  return { spans, blocks, rest };
}

/** Code spans of one inline context, as CommonMark pairs backtick runs, and the text outside them. */
function readInline(text: string): { spans: string[]; rest: string } {
  const spans: string[] = [];
  let rest = '';
  for (let i = 0; i < text.length; ) {
    const c = text[i]!;
    if (c === '\\' && i + 1 < text.length && /[!-/:-@[-`{-~]/.test(text[i + 1]!)) {
      rest += text.slice(i, i + 2);
      i += 2;
      continue;
    }
    if (c !== '`') {
      rest += c;
      i++;
      continue;
    }
    let n = 1;
    while (text[i + n] === '`') n++;
    let close = -1;
    for (let j = i + n; j < text.length; ) {
      if (text[j] !== '`') {
        j++;
        continue;
      }
      let m = 1;
      while (text[j + m] === '`') m++;
      if (m === n) {
        close = j;
        break;
      }
      j += m;
    }
    if (close === -1) {
      rest += '`'.repeat(n);
      i += n;
      continue;
    }
    let content = text.slice(i + n, close).replace(/\n/g, ' ');
    if (content.startsWith(' ') && content.endsWith(' ') && content.trim() !== '') content = content.slice(1, -1);
    spans.push(content);
    i = close + n;
  }
  return { spans, rest };
}

/** Raw HTML GitHub would render: a tag, comment, or declaration start outside code. */
function rawHtml(md: string): string[] {
  return [...splitMarkdown(md).rest.matchAll(/<[A-Za-z!/?][^\n]{0,40}/g)].map((m) => m[0]);
}

// ---- the pull request everything below reviews ----

const HOSTILE_INLINE = 'workers/links/src/a`b<img src=x onerror=alert(1)>.py';
const HOSTILE_LISTED = 'workers/links/src/``x``|y<script>alert(1)</script>.py';
const HOSTILE_COMMENT = 'workers/links/src/--><b>end</b><!--.py';
const HOSTILE_FLAGS = ['python_workers_<img src=x onerror=alert(2)>', 'python_`<svg onload=alert(3)>`'];
const MARKER_DIR = mkdtempSync(join(tmpdir(), 'pwr-never-run-'));
const MARKER = join(MARKER_DIR, 'executed');

/** Files that would write MARKER if anything ran them: npm scripts, a wrangler build, Python at import. */
function hostileHead(): Map<string, string> {
  const head = new Map(head1Files);
  const touch = `node -e "require('fs').writeFileSync('${MARKER}', 'ran')"`;
  head.set(
    'workers/links/wrangler.toml',
    `name = "link-preview"\nmain = "src/entry.py"\ncompatibility_date = "2025-03-10"\ncompatibility_flags = ["python_workers", ${HOSTILE_FLAGS.map((f) => JSON.stringify(f)).join(', ')}]\n\n[build]\ncommand = ${JSON.stringify(touch)}\n`,
  );
  head.set(
    'workers/links/package.json',
    JSON.stringify({ name: 'links', private: true, scripts: { preinstall: touch, postinstall: touch, prepare: touch, dev: `${touch} && wrangler dev` } }, null, 2) + '\n',
  );
  head.set('workers/links/pyproject.toml', `[project]\nname = "links"\nversion = "0.1.0"\n\n[build-system]\nrequires = ["setuptools"]\nbuild-backend = "setuptools.build_meta"\n`);
  head.set('workers/links/setup.py', `open(${JSON.stringify(MARKER)}, "w").write("ran")\n`);
  head.set('workers/links/requirements.txt', `-e file://${MARKER_DIR}\n--index-url http://127.0.0.1:9/simple\nhttpx\n`);
  head.set(
    HOSTILE_INLINE,
    `import os\nfrom pyodide.ffi import to_py  # \`\`\` </details><img src=x onerror=alert(4)>\n\nopen(${JSON.stringify(MARKER)}, "w").write(os.getcwd())\nDATA = to_py({})\n`,
  );
  head.set(HOSTILE_LISTED, 'from pyodide.ffi import to_py\n');
  head.set(HOSTILE_COMMENT, 'from pyodide.ffi import to_py\n');
  // The pull request also changes the repository config: only the default branch's counts.
  head.set('.github/pyworkers-review.yml', 'rules:\n  PW004: off\nreview:\n  max_comments: 1\n');
  return head;
}

function hostileFake<T extends FakeGitHub>(fake: T): T {
  fake.commits.set(BASE_SHA, baseFiles);
  fake.defaultBranch = new Map(baseFiles);
  fake.pr.baseSha = BASE_SHA;
  const head = hostileHead();
  fake.setHead(HEAD_1, head, FakeGitHub.diffFiles(baseFiles, head, ['workers/links/src/tables.py', HOSTILE_LISTED]));
  return fake;
}

afterAll(() => rmSync(MARKER_DIR, { recursive: true, force: true }));

// ---- tests ----

describe('permissions', () => {
  it('app.yml asks for exactly contents:read, pull_requests:write, checks:write, metadata:read and the pull_request event; private', () => {
    const manifest = parseYaml(readFileSync(join(ROOT, 'app.yml'), 'utf8'));
    expect(manifest.default_permissions).toEqual({ contents: 'read', pull_requests: 'write', checks: 'write', metadata: 'read' });
    expect(manifest.default_events).toEqual(['pull_request']);
    expect(manifest.public).toBe(false);
    // Nothing else that widens access: no organisation permissions, no other events, no hook overrides.
    expect(Object.keys(manifest).sort()).toEqual(['default_events', 'default_permissions', 'description', 'name', 'public', 'url']);
  });

  it('a review, a 422, a push and a failure use only endpoints those permissions cover, and write only reviews and check runs', async () => {
    const fake = fixtureFake();
    const double = new GitHubDouble(fake).install();
    const probot = await makeProbot();
    fake.refuseAlso = (c) => (c.path === 'workers/links/wrangler.toml' ? 'Line could not be resolved' : undefined);
    await probot.receive({ id: randomUUID(), name: 'pull_request', payload: pullRequestPayload(fake, 'opened') } as any);
    fake.refuseAlso = undefined;
    moveTo(fake, '3'.repeat(40));
    double.fail({ match: on.checkCreate, reply: { status: 502 } });
    await probot.receive({ id: randomUUID(), name: 'pull_request', payload: pullRequestPayload(fake, 'synchronize') } as any).catch(() => undefined);

    const repo = `/repos/${fake.owner}/${fake.repo}`;
    const allowed: [string, RegExp, string][] = [
      ['POST', /^\/app\/installations\/\d+\/access_tokens$/, 'app (JWT)'],
      ['GET', new RegExp(`^/repos/${fake.owner}/[^/]+/contents/`), 'contents: read'],
      ['GET', new RegExp(`^${repo}/pulls/\\d+/files$`), 'pull_requests: read'],
      ['GET', new RegExp(`^${repo}/pulls/\\d+/reviews$`), 'pull_requests: read'],
      ['POST', new RegExp(`^${repo}/pulls/\\d+/reviews$`), 'pull_requests: write'],
      ['DELETE', new RegExp(`^${repo}/pulls/\\d+/reviews/\\d+$`), 'pull_requests: write (own pending reviews)'],
      ['POST', new RegExp(`^${repo}/check-runs$`), 'checks: write'],
      ['PATCH', new RegExp(`^${repo}/check-runs/\\d+$`), 'checks: write'],
      ['POST', /^\/graphql$/, 'GraphQL'],
    ];
    const used = new Set<string>();
    for (const r of fake.requests) {
      const rule = allowed.find(([method, path]) => method === r.method && path.test(r.path));
      expect(rule, `${r.method} ${r.path}`).toBeDefined();
      used.add(rule![2]);
    }
    // GraphQL: reads of blobs, the pull request, its reviews and threads, the commit's check runs;
    // the one mutation resolves review threads (pull_requests: write).
    const operations = new Set(fake.requests.filter((r) => r.operation).map((r) => r.operation));
    expect([...operations].sort()).toEqual(['PyworkersFiles', 'PyworkersResolveThreads', 'PyworkersReviewState']);
    for (const r of fake.requests.filter((x) => x.operation)) {
      const mutations = [...String(r.body.query).matchAll(/\b(\w+)\(input:/g)].map((m) => m[1]);
      expect(mutations.every((m) => m === 'resolveReviewThread'), r.operation).toBe(true);
    }
    // Blobs read through GraphQL (the changed files, the repository config) are contents: read too.
    const contentsRead = used.has('contents: read') || operations.has('PyworkersFiles');
    expect(contentsRead && used.has('checks: write') && used.has('pull_requests: write')).toBe(true);
  });
});

describe('code from the pull request', () => {
  it('is never run: npm scripts, a wrangler build command, setup.py and Python with side effects leave no trace', async () => {
    const fake = hostileFake(new ReliabilityFake());
    new GitHubDouble(fake).install();
    const probot = await makeProbot({ app: {} }); // every rule, as in production
    await probot.receive({ id: randomUUID(), name: 'pull_request', payload: pullRequestPayload(fake, 'opened') } as any);
    expect(fake.submittedReviews()).toHaveLength(1);
    expect(existsSync(MARKER)).toBe(false);
    expect(readdirSync(MARKER_DIR)).toEqual([]);
  });

  it('src/ imports no process, VM or eval facility outside src/local and src/cli (nor do the rules)', () => {
    const offenders: string[] = [];
    const walk = (dir: string): string[] =>
      readdirSync(dir).flatMap((name) => {
        const path = join(dir, name);
        return statSync(path).isDirectory() ? walk(path) : path.endsWith('.ts') ? [path] : [];
      });
    const files = [...walk(join(ROOT, 'src')), ...walk(join(ROOT, 'rules'))];
    expect(files.length).toBeGreaterThan(20);
    for (const file of files) {
      const rel = relative(ROOT, file);
      if (rel.startsWith('src/local/') || rel.startsWith('src/cli/')) continue;
      // Comments and strings may mention these words; code may not use them.
      const code = readFileSync(file, 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
      const patterns: [string, RegExp][] = [
        ['child_process', /from\s+['"](node:)?child_process['"]|require\(\s*['"](node:)?child_process['"]\s*\)/],
        ['vm', /from\s+['"](node:)?vm['"]|require\(\s*['"](node:)?vm['"]\s*\)/],
        ['worker_threads', /from\s+['"](node:)?worker_threads['"]/],
        ['eval', /(^|[^.\w$])eval\s*\(/m],
        ['new Function', /new\s+Function\s*\(/],
        ['dynamic import', /(^|[^.\w$])import\s*\(/m],
        ['process.binding', /process\.(binding|dlopen)\s*\(/],
      ];
      for (const [name, re] of patterns) if (re.test(code)) offenders.push(`${rel}: ${name}`);
    }
    expect(offenders).toEqual([]);
  });
});

describe('repository configuration', () => {
  // The head's config turns PW004 off and caps comments at 1; the default branch's caps them at 2.
  const DEFAULT_BRANCH_CONFIG = 'review:\n  max_comments: 2\n  drafts: true\n';

  it('is read from the default branch only (HEAD in the files query), and the pull request changing it has no effect', async () => {
    const fake = hostileFake(new ReliabilityFake());
    fake.defaultBranch.set('.github/pyworkers-review.yml', DEFAULT_BRANCH_CONFIG);
    new GitHubDouble(fake).install();
    await (await makeProbot({ app: {} })).receive({ id: randomUUID(), name: 'pull_request', payload: pullRequestPayload(fake, 'opened') } as any);
    const expressions = fake.requests.filter((r) => r.operation === 'PyworkersFiles').flatMap((r) => Object.values(r.body.variables).map(String));
    expect(expressions).toContain('HEAD:.github/pyworkers-review.yml');
    // Never at a commit of the pull request, neither as config nor as a file of the pull request.
    expect(expressions.filter((v) => v.endsWith(':.github/pyworkers-review.yml'))).toEqual(['HEAD:.github/pyworkers-review.yml']);
    expect(fake.requests.filter((r) => r.path.endsWith('/contents/.github/pyworkers-review.yml'))).toEqual([]);
    // The head's config turned PW004 off and capped comments at 1: neither applies; the default branch's cap does.
    const [review] = fake.submittedReviews();
    expect(review!.body).toContain('PW004');
    expect(fake.commentsOf(review!.id)).toHaveLength(2);
  });

  it('of a draft is read through context.config, from the default branch too (no ref)', async () => {
    const fake = hostileFake(new ReliabilityFake());
    fake.defaultBranch.set('.github/pyworkers-review.yml', DEFAULT_BRANCH_CONFIG);
    new GitHubDouble(fake).install();
    await (await makeProbot({ app: {} })).receive({ id: randomUUID(), name: 'pull_request', payload: pullRequestPayload(fake, 'opened', { draft: true }) } as any);
    const configReads = fake.requests.filter((r) => r.path.endsWith('/contents/.github/pyworkers-review.yml'));
    expect(configReads).toHaveLength(1);
    expect(configReads[0]!.query.get('ref')).toBeNull();
    const reads = fake.requests.filter((r) => r.operation === 'PyworkersFiles').flatMap((r) => Object.values(r.body.variables).map(String));
    expect(reads.some((v) => v.endsWith(':.github/pyworkers-review.yml'))).toBe(false);
    // Reviewed because the default branch asks for drafts; capped at its 2 comments.
    const [review] = fake.submittedReviews();
    expect(review!.body).toContain('PW004');
    expect(fake.commentsOf(review!.id)).toHaveLength(2);
  });
});

describe('secrets', () => {
  it('never appear in Probot logs at trace level: a signed and a forged webhook through the middleware, a review, a failed one', async () => {
    const secret = `whsec-${randomUUID()}`;
    const { log, lines } = capturedLog('trace');
    const fake = fixtureFake();
    const double = new GitHubDouble(fake).install();
    const probot = await makeProbot({ secret, log });
    const middleware = await probot.getNodeMiddleware();
    const server: Server = createServer((req, res) => void middleware(req, res, () => res.writeHead(404).end()));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/github/webhooks`;
    const post = (body: string, signature: string) =>
      new Promise<number>((resolve, reject) => {
        const req = request(
          url,
          { method: 'POST', headers: { 'content-type': 'application/json', 'x-github-event': 'pull_request', 'x-github-delivery': randomUUID(), 'x-hub-signature-256': signature } },
          (res) => {
            res.resume();
            res.on('end', () => resolve(res.statusCode ?? 0));
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    try {
      const body = JSON.stringify(pullRequestPayload(fake, 'opened'));
      const sign = (b: string) => `sha256=${createHmac('sha256', secret).update(b).digest('hex')}`;
      expect(await post(body, sign(body))).toBe(200);
      expect(await post(body, `sha256=${'0'.repeat(64)}`)).toBe(400);
      // GitHub refuses the review POST and then the check run: errors with their requests are logged.
        moveTo(fake, '3'.repeat(40));
      double.fail({ match: on.review, times: 2, reply: { status: 502, body: { message: 'Bad Gateway' } } });
      const next = JSON.stringify(pullRequestPayload(fake, 'synchronize'));
      expect(await post(next, sign(next))).toBe(502);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    const output = lines.join('');
    expect(lines.length).toBeGreaterThan(20);
    // Probot writes nothing at trace itself; debug (every GitHub request, with its body) is the most.
    expect(output).toContain('"level":20');
    expect(output).toContain('creating the review failed');
    const jwts = fake.authorizations.filter((a): a is string => Boolean(a?.startsWith('bearer '))).map((a) => a.slice(7));
    expect(jwts.length).toBeGreaterThan(0);
    const secrets = [secret, ...fake.tokens, ...jwts, ...privateKeyChunks()];
    for (const s of secrets) expect(output.includes(s), `a secret (${s.slice(0, 12)}…) in the log`).toBe(false);
    expect(output).not.toMatch(/BEGIN (RSA )?PRIVATE KEY/);
  });

  it('never appear in the real server output at LOG_LEVEL=trace, across a review and a refused delivery', async () => {
    const fake = hostileFake(new FakeGitHub());
    const host = new FakeGitHubHost([fake]);
    const server = await startServer({ gheHost: await host.listen(), secret: `whsec-${randomUUID()}`, logLevel: 'trace' });
    try {
      expect((await sendWebhook(server, 'pull_request', pullRequestPayload(fake, 'opened'), randomUUID())).status).toBe(200);
      const forged = { ...server, secret: 'not-the-secret' };
      expect((await sendWebhook(forged, 'pull_request', pullRequestPayload(fake, 'opened'), randomUUID())).status).toBe(400);
    } finally {
      await server.stop();
      await host.close();
    }
    expect(fake.submittedReviews()).toHaveLength(1);
    expect(existsSync(MARKER)).toBe(false);
    const output = server.output();
    expect(output).toContain('"level":20');
    const jwts = host.authorizations.filter((a) => a.startsWith('bearer ')).map((a) => a.slice(7));
    const tokens = host.authorizations.filter((a) => a.startsWith('token ')).map((a) => a.slice(6));
    expect(jwts.length).toBeGreaterThan(0);
    expect(tokens.length).toBeGreaterThan(0);
    for (const s of [server.secret, ...new Set([...jwts, ...tokens]), ...privateKeyChunks(server.privateKey)]) {
      expect(output.includes(s), `a secret (${s.slice(0, 12)}…) in the server output`).toBe(false);
    }
  }, 60_000);
});

/** Pieces of the private key long enough to identify it (the PEM body in 48-character slices). */
function privateKeyChunks(pem?: string): string[] {
  const key = pem ?? privateKey();
  const body = key.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  const chunks: string[] = [];
  for (let i = 0; i + 48 <= body.length; i += 48) chunks.push(body.slice(i, i + 48));
  return chunks;
}

describe('Markdown from file names and messages', () => {
  it('(self-check) the Markdown reader tells code from markup as GitHub does', () => {
    expect(rawHtml('a <img src=x onerror=alert(1)>')).toHaveLength(1);
    expect(rawHtml('`<img src=x>` and ``a`<b>`` and &lt;b&gt;')).toEqual([]);
    expect(rawHtml('`a`b<img src=x>`')).toHaveLength(1); // a path that closed its span early
    expect(rawHtml('| `a\\|b` | <b>x</b> |')).toEqual(['<b>x</b> ']);
    expect(rawHtml('| ``a`` | x |\n- ``b<i>``')).toEqual([]);
    expect(rawHtml('```py\n<img src=x>\n```\ntext')).toEqual([]);
    expect(rawHtml('<!-- pyworkers-review fingerprint=a%3Eb -->')).toEqual([]);
    expect(rawHtml('<!-- pyworkers-review fingerprint=a --><b> -->')).toHaveLength(1);
    expect(splitMarkdown('| ``a`b\\|c`` |').spans).toEqual(['a`b|c']);
  });

  it('keeps hostile paths and flag names inside code spans and lets no HTML through, end to end', async () => {
    const fake = hostileFake(new ReliabilityFake());
    new GitHubDouble(fake).install();
    await (await makeProbot({ app: {} })).receive({ id: randomUUID(), name: 'pull_request', payload: pullRequestPayload(fake, 'opened') } as any);
    const [review] = fake.submittedReviews();
    const comments = fake.commentsOf(review!.id);
    const [run] = fake.checkRuns;
    const documents: [string, string][] = [
      ['review body', review!.body],
      ...comments.map((c): [string, string] => [`comment on ${c.path}:${c.line}`, c.body]),
      ['check run summary', run!.output.summary ?? ''],
      ['check run text', run!.output.text ?? ''],
    ];
    for (const [name, md] of documents) expect(rawHtml(md), name).toEqual([]);

    // Each hostile path is shown whole, as code, in the review body and the check run details.
    const spans = (md: string) => splitMarkdown(md).spans;
    for (const path of [HOSTILE_INLINE, HOSTILE_LISTED, HOSTILE_COMMENT]) {
      expect(spans(review!.body).some((s) => s.startsWith(`${path}:`)), path).toBe(true);
      expect(spans(run!.output.text ?? '').some((s) => s.startsWith(`${path}:`)), path).toBe(true);
    }
    // The inline comment on the hostile file: posted on its path, its suggestion in a fence the
    // file's own ``` cannot close.
    const inline = comments.find((c) => c.path === HOSTILE_INLINE);
    expect(inline).toBeDefined();
    const blocks = splitMarkdown(inline!.body).blocks;
    expect(blocks.some((b) => b.includes('``` </details><img src=x onerror=alert(4)>'))).toBe(true);
    // The messages naming the hostile flags (PW023) are there; the HTML in them is code or escaped.
    expect(review!.body.match(/\| PW023 \|/g)).toHaveLength(HOSTILE_FLAGS.length);
    expect(review!.body).toContain('&lt;svg onload=alert(3)&gt;');
    // The hidden markers still parse: the review's head marker is intact.
    expect(review!.body).toContain(`<!-- pyworkers-review review head=${HEAD_1} -->`);
  });
});
