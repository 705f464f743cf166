// A pull request at GitHub's listing limit: 3,000 files listed (30 pages of 100) of 3,500 changed,
// 320 of them files the engine reads, some without a patch, ~700 findings, every rule on. The run
// must stay within GitHub's limits (inline comments ≤ max_comments, review body ≤ 65,536
// characters, ≤ 50 files per GraphQL read, ≤ 50 annotations per request) and read every file once;
// its requests and peak memory are printed (no wall-time assertion).
import { afterAll, describe, expect, it } from 'vitest';
import { FakeGitHub, type PrFile } from '../helpers/fake-github.js';
import { deliver, makeProbot, pullRequestPayload } from '../github/helpers.js';

const BASE = 'a'.repeat(40);
const HEAD = 'b'.repeat(40);
const WORKERS = 10;
const MODULES_PER_WORKER = 30;
const LISTED = 3000;
const CHANGED = 3500;

const wrangler = (name: string) => `name = "${name}"
main = "src/entry.py"
compatibility_date = "2025-03-10"
compatibility_flags = ["python_workers"]
`;

/** A module with two findings (PW004 on the import and on the call) and some ordinary code. */
function module(i: number): string {
  const body = Array.from({ length: 20 }, (_, k) => `def helper_${k}(value):\n    return value + ${k}\n`).join('\n');
  return `from pyodide.ffi import to_py\n\n${body}\n\ndef convert(x):\n    return to_py(x)  # ${i}\n`;
}

/** GitHub's patch for an added file: one hunk of added lines. */
function addedPatch(text: string): string {
  const lines = text.replace(/\n$/, '').split('\n');
  return [`@@ -0,0 +1,${lines.length} @@`, ...lines.map((l) => `+${l}`)].join('\n');
}

function largePullRequest(): { fake: FakeGitHub; lintable: number; withoutPatch: number } {
  const base = new Map<string, string>();
  const head = new Map<string, string>();
  const files: PrFile[] = [];
  let lintable = 0;
  let withoutPatch = 0;
  for (let w = 0; w < WORKERS; w++) {
    const dir = `workers/w${String(w).padStart(2, '0')}`;
    base.set(`${dir}/wrangler.toml`, wrangler(`w${w}`));
    head.set(`${dir}/wrangler.toml`, wrangler(`w${w}`));
    for (let m = 0; m < MODULES_PER_WORKER; m++) {
      const path = `${dir}/src/mod_${String(m).padStart(3, '0')}.py`;
      const text = module(w * 100 + m);
      head.set(path, text);
      // Every tenth module is one GitHub shows no diff for.
      const patch = m % 10 === 9 ? undefined : addedPatch(text);
      if (patch === undefined) withoutPatch++;
      files.push({ filename: path, status: 'added', ...(patch !== undefined ? { patch } : {}) });
      lintable++;
    }
    // Requirements and package.json changes, read by the engine too.
    const requirements = 'httpx\nnumpy\n';
    head.set(`${dir}/requirements.txt`, requirements);
    files.push({ filename: `${dir}/requirements.txt`, status: 'added', patch: addedPatch(requirements) });
    lintable++;
    const pkg = JSON.stringify({ name: `w${w}`, private: true, scripts: { dev: 'wrangler dev' } }, null, 2) + '\n';
    head.set(`${dir}/package.json`, pkg);
    files.push({ filename: `${dir}/package.json`, status: 'added', patch: addedPatch(pkg) });
    lintable++;
  }
  // The rest of the listed files: documentation and front-end code the engine does not read.
  for (let i = 0; files.length < LISTED + 20; i++) {
    const path = i % 2 ? `docs/page_${i}.md` : `web/src/component_${i}.js`;
    const text = `// generated ${i}\n`;
    head.set(path, text);
    files.push({ filename: path, status: 'added', patch: addedPatch(text) });
  }
  const fake = new FakeGitHub();
  fake.commits.set(BASE, base);
  fake.defaultBranch = new Map(base);
  fake.pr.baseSha = BASE;
  fake.setHead(HEAD, head, files);
  return { fake, lintable, withoutPatch };
}

function requestKinds(fake: FakeGitHub): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of fake.requests) {
    const key = r.operation
      ? `POST graphql ${r.operation}`
      : `${r.method} ${r.path.replace(/^\/repos\/[^/]+\/[^/]+/, '{repo}').replace(/\/\d+(?=\/|$)/g, '/{n}').replace(/\/contents\/.*/, '/contents/{path}')}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

const MB = 1024 * 1024;
let fake: FakeGitHub | undefined;
afterAll(async () => {
  await fake?.close();
});

describe('a pull request at the listing limit', () => {
  it('3,000 of 3,500 files, 320 reviewed: within GitHub limits, each file read once, memory bounded', async () => {
    const built = largePullRequest();
    fake = built.fake;
    // GitHub counts 3,500 changed files; it lists 3,000 (and so does the fake: 20 beyond are never asked for).
    const host = await fake.listen();
    const probot = await makeProbot({ baseUrl: `http://${host}`, app: {} }); // every rule
    const payload = pullRequestPayload(fake, 'opened') as any;
    payload.pull_request.changed_files = CHANGED;

    (globalThis as { gc?: () => void }).gc?.();
    const rssBefore = process.memoryUsage().rss;
    let peakRss = rssBefore;
    let peakHeap = process.memoryUsage().heapUsed;
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      peakRss = Math.max(peakRss, m.rss);
      peakHeap = Math.max(peakHeap, m.heapUsed);
    }, 5);
    const started = performance.now();
    await deliver(probot, payload);
    const elapsed = performance.now() - started;
    clearInterval(sampler);
    const m = process.memoryUsage();
    peakRss = Math.max(peakRss, m.rss);
    peakHeap = Math.max(peakHeap, m.heapUsed);
    const maxRss = process.resourceUsage().maxRSS * 1024; // KB → bytes, whole process life

    // Listing: 30 pages of 100, never the 31st.
    const pages = fake.requests.filter((r) => r.method === 'GET' && r.path.endsWith(`/pulls/${fake!.number}/files`));
    expect(pages).toHaveLength(30);
    expect(pages.every((p) => p.query.get('per_page') === '100')).toBe(true);

    // Reading: ≤ 50 files per GraphQL request, each path once, all at the head commit.
    const reads = fake.requests.filter((r) => r.operation === 'PyworkersFiles');
    const paths = reads.flatMap((r) => Object.entries(r.body.variables).filter(([k]) => /^p\d+$/.test(k)).map(([, v]) => String(v)));
    expect(reads.every((r) => Object.keys(r.body.variables).filter((k) => /^p\d+$/.test(k)).length <= 50)).toBe(true);
    expect(new Set(paths).size).toBe(paths.length);
    expect(paths.every((p) => p.startsWith(`${HEAD}:`))).toBe(true);
    // The changed files the engine reads, plus the Worker configs above them (context).
    expect(paths.filter((p) => !/(wrangler\.(toml|json|jsonc)|pyproject\.toml)$/.test(p))).toHaveLength(built.lintable);
    expect(paths.some((p) => p.endsWith('.md') || p.endsWith('.js'))).toBe(false);

    // One review: ≤ 30 inline comments, body within 65,536 characters, the truncation said.
    const reviews = fake.submittedReviews();
    expect(reviews).toHaveLength(1);
    const review = reviews[0]!;
    const comments = fake.commentsOf(review.id);
    expect(comments.length).toBeLessThanOrEqual(30);
    expect(comments.length).toBe(30);
    expect(review.body.length).toBeLessThanOrEqual(65_536);
    expect(review.body).toContain(`Only the first ${LISTED} of ${CHANGED} changed files were reviewed`);
    expect(review.body).toContain('GitHub shows no diff for this file');
    expect(review.body).toContain('<!-- pyworkers-review review head=');
    for (const c of comments) expect(c.body.length).toBeLessThanOrEqual(65_536);

    // One check run: every finding annotated, 50 per request; summary and text within 65,535.
    const [run] = fake.checkRuns;
    expect(fake.checkRuns).toHaveLength(1);
    const creates = fake.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/check-runs'));
    const updates = fake.requests.filter((r) => r.method === 'PATCH' && /\/check-runs\/\d+$/.test(r.path));
    for (const r of [...creates, ...updates]) expect(r.body.output.annotations.length).toBeLessThanOrEqual(50);
    const findings = Number(/^(\d+) findings/.exec(run!.output.summary!)?.[1]);
    expect(findings).toBeGreaterThanOrEqual(2 * WORKERS * MODULES_PER_WORKER);
    expect(run!.annotations).toHaveLength(findings);
    expect(updates).toHaveLength(Math.ceil(findings / 50) - 1);
    expect(run!.output.summary!.length).toBeLessThanOrEqual(65_535);
    expect(run!.output.text!.length).toBeLessThanOrEqual(65_535);

    // Memory: the run itself must not hold hundreds of MB for ~3 MB of listing and ~1 MB of files.
    expect(peakRss - rssBefore).toBeLessThan(400 * MB);

    const total = fake.requests.length;
    console.log(
      [
        `3,000-file pull request (${CHANGED} changed, ${LISTED} listed, ${built.lintable} reviewed, ${built.withoutPatch} without a patch, ${findings} findings):`,
        `  ${total} GitHub API requests: ${JSON.stringify(requestKinds(fake))}`,
        `  review: ${comments.length} inline comments, body ${review.body.length} characters; check run: ${run!.annotations.length} annotations in ${creates.length + updates.length} requests`,
        `  memory: RSS ${(rssBefore / MB).toFixed(0)} MB before, peak ${(peakRss / MB).toFixed(0)} MB during the run (+${((peakRss - rssBefore) / MB).toFixed(0)} MB), ` +
          `peak heap used ${(peakHeap / MB).toFixed(0)} MB, process maxRSS ${(maxRss / MB).toFixed(0)} MB`,
        `  (took ${(elapsed / 1000).toFixed(1)} s here; not asserted)`,
      ].join('\n'),
    );
  }, 120_000);
});
