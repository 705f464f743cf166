// A repository with two Python Workers and a pull request that introduces pitfalls in both.
import { FakeGitHub, type PrFile } from '../helpers/fake-github.js';

export const BASE_SHA = '1'.repeat(40);
export const HEAD_1 = '2'.repeat(40);
export const HEAD_2 = '3'.repeat(40);
export const HEAD_3 = '4'.repeat(40);

const linksWranglerBase = `name = "link-preview"
main = "src/entry.py"
compatibility_date = "2025-03-10"
compatibility_flags = ["python_workers"]
`;

// The flag list was rewritten by hand and lost python_workers (PW001).
const linksWranglerHead = `name = "link-preview"
main = "src/entry.py"
compatibility_date = "2025-03-10"
compatibility_flags = ["nodejs_compat"]
`;

const linksEntryBase = `from workers import Response, WorkerEntrypoint


class Default(WorkerEntrypoint):
    async def fetch(self, request):
        return Response("ok")
`;

// PW004 twice: the import (line 2) and the call (line 7).
export const linksEntryHead = `from workers import Response, WorkerEntrypoint
from pyodide.ffi import to_js, to_py


class Default(WorkerEntrypoint):
    async def fetch(self, request):
        data = to_py(await request.json())
        return Response(to_js(data))
`;

// A large generated file: GitHub shows no diff for it, so its finding goes to the review body.
const linksTables = `from pyodide.ffi import to_py

TABLE = ${JSON.stringify(Array.from({ length: 20 }, (_, i) => `row-${i}`))}
`;

const digestWrangler = `{
  // Weekly digest
  "name": "weekly-digest",
  "main": "src/entry.py",
  "compatibility_date": "2025-09-01",
  "compatibility_flags": ["python_workers"]
}
`;

// A new Worker module in the old handler style, on a date where the runtime ignores it (PW002).
const digestEntry = `from workers import Response, handler


@handler
async def on_fetch(request, env):
    name = env.GREETING
    return Response(f"Hello {name}")
`;

export const baseFiles = new Map<string, string>([
  ['README.md', '# Workers\n'],
  ['workers/links/wrangler.toml', linksWranglerBase],
  ['workers/links/src/entry.py', linksEntryBase],
  ['workers/digest/wrangler.jsonc', digestWrangler],
]);

export const head1Files = new Map<string, string>([
  ['README.md', '# Workers\n\nTwo Python Workers.\n'],
  ['workers/links/wrangler.toml', linksWranglerHead],
  ['workers/links/src/entry.py', linksEntryHead],
  ['workers/links/src/tables.py', linksTables],
  ['workers/digest/wrangler.jsonc', digestWrangler],
  ['workers/digest/src/entry.py', digestEntry],
]);

/** Push 2: the call is fixed (its finding is gone), the import stays, a new to_py call appears. */
export const linksEntryHead2 = `from workers import Response, WorkerEntrypoint
from pyodide.ffi import to_js, to_py


class Default(WorkerEntrypoint):
    async def fetch(self, request):
        data = (await request.json()).to_py()
        extra = to_py(request.headers)
        return Response(to_js([data, extra]))
`;

export function head2Files(): Map<string, string> {
  const files = new Map(head1Files);
  files.set('workers/links/src/entry.py', linksEntryHead2);
  return files;
}

/** The fake GitHub with the pull request at `head` (default: push 1). */
export function pullRequestFake(head: { sha: string; files: Map<string, string> } = { sha: HEAD_1, files: head1Files }): FakeGitHub {
  const fake = new FakeGitHub();
  fake.commits.set(BASE_SHA, baseFiles);
  fake.defaultBranch = new Map(baseFiles);
  fake.pr.baseSha = BASE_SHA;
  moveHead(fake, head.sha, head.files);
  return fake;
}

export function moveHead(fake: FakeGitHub, sha: string, files: Map<string, string>): PrFile[] {
  const prFiles = FakeGitHub.diffFiles(baseFiles, files, ['workers/links/src/tables.py']);
  fake.setHead(sha, files, prFiles);
  return prFiles;
}
