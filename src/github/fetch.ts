// Reading a pull request: its changed files (REST, 100 per page, GitHub's 3,000 at most) and the
// text of files at the head commit, many per GraphQL request, each file once per event.
import type { FileStatus } from '../review/index.js';
import { httpStatus, type GitHub, type Logger } from './types.js';

/** GitHub lists at most this many files of a pull request. */
export const MAX_LISTED_FILES = 3000;
/** Files read per GraphQL request: few requests, responses of a sensible size. */
export const FILES_PER_QUERY = 50;

export interface ChangedFile {
  filename: string;
  status: FileStatus;
  /** The file's hunks; absent when GitHub omits them (large or binary). */
  patch?: string;
  previous_filename?: string;
}

export interface RepoAt {
  owner: string;
  repo: string;
  /** The commit files are read at. */
  sha: string;
}

export async function listChangedFiles(
  gh: GitHub,
  pr: { owner: string; repo: string; number: number },
): Promise<ChangedFile[]> {
  const files: ChangedFile[] = [];
  for await (const page of gh.paginate.iterator(gh.rest.pulls.listFiles, {
    owner: pr.owner,
    repo: pr.repo,
    pull_number: pr.number,
    per_page: 100,
  })) {
    for (const f of page.data) {
      files.push({
        filename: f.filename,
        status: f.status,
        ...(typeof f.patch === 'string' ? { patch: f.patch } : {}),
        ...(f.previous_filename ? { previous_filename: f.previous_filename } : {}),
      });
    }
    if (files.length >= MAX_LISTED_FILES) break;
  }
  return files.slice(0, MAX_LISTED_FILES);
}

/** What reading one path gave. */
export type FileRead =
  | { kind: 'text'; text: string }
  /** No such file at that commit (normal for most config candidates). */
  | { kind: 'missing' }
  | { kind: 'unreadable'; reason: string };

interface BlobNode {
  byteSize?: number;
  isBinary?: boolean;
  isTruncated?: boolean;
  text?: string | null;
}

function filesQuery(count: number): string {
  const vars = Array.from({ length: count }, (_, i) => `$p${i}: String!`).join(', ');
  const fields = Array.from({ length: count }, (_, i) => `f${i}: object(expression: $p${i}) { ...PyworkersBlob }`).join('\n    ');
  return `query PyworkersFiles($owner: String!, $name: String!, ${vars}) {
  repository(owner: $owner, name: $name) {
    ${fields}
  }
}
fragment PyworkersBlob on Blob { byteSize isBinary isTruncated text }`;
}

function decode(text: string): string {
  // The engine sees files as an editor does: without a byte order mark.
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** One file through the contents API, raw: for what GraphQL could not give whole. */
async function readOne(gh: GitHub, at: RepoAt, path: string): Promise<FileRead> {
  try {
    const response = await gh.rest.repos.getContent({ owner: at.owner, repo: at.repo, path, ref: at.sha, mediaType: { format: 'raw' } });
    const data: unknown = response.data;
    if (typeof data === 'string') return { kind: 'text', text: decode(data) };
    return { kind: 'unreadable', reason: 'not a regular file' };
  } catch (err) {
    if (httpStatus(err) === 404) return { kind: 'missing' };
    throw err;
  }
}

/**
 * Reads `paths` at `at.sha`: GraphQL batches of FILES_PER_QUERY, falling back to the contents API
 * for a file GraphQL truncates or a batch that fails. `required` paths (the changed files) that
 * GraphQL does not find are looked up once more through REST; missing `optional` ones are not.
 */
export async function readFiles(
  gh: GitHub,
  at: RepoAt,
  paths: { required: readonly string[]; optional: readonly string[] },
  log?: Logger,
): Promise<Map<string, FileRead>> {
  const result = new Map<string, FileRead>();
  const required = new Set(paths.required);
  const all = [...new Set([...paths.required, ...paths.optional])];
  const fallback: string[] = [];
  for (let i = 0; i < all.length; i += FILES_PER_QUERY) {
    const batch = all.slice(i, i + FILES_PER_QUERY);
    const variables: Record<string, string> = { owner: at.owner, name: at.repo };
    batch.forEach((p, k) => (variables[`p${k}`] = `${at.sha}:${p}`));
    let repository: Record<string, BlobNode | null> | undefined;
    try {
      const data = await gh.graphql<{ repository: Record<string, BlobNode | null> | null }>(filesQuery(batch.length), variables);
      repository = data.repository ?? undefined;
    } catch (err) {
      // Partial data still counts; what is missing from it is read through REST.
      repository = (err as { data?: { repository?: Record<string, BlobNode | null> } }).data?.repository ?? undefined;
      log?.warn({ err: (err as Error).message }, 'reading files through GraphQL failed; falling back to the contents API');
    }
    batch.forEach((path, k) => {
      const node = repository ? repository[`f${k}`] : undefined;
      if (node === undefined) fallback.push(path);
      else if (node === null) {
        if (required.has(path)) fallback.push(path);
        else result.set(path, { kind: 'missing' });
      } else if (node.isBinary) result.set(path, { kind: 'unreadable', reason: 'binary file' });
      else if (typeof node.text === 'string' && !node.isTruncated) result.set(path, { kind: 'text', text: decode(node.text) });
      else if (node.byteSize === undefined) result.set(path, { kind: 'missing' }); // a folder, not a file
      else fallback.push(path);
    });
  }
  for (const path of fallback) result.set(path, await readOne(gh, at, path));
  return result;
}
