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

/** A blob as the files query asks for it (`{}` when the object is no blob: a folder, a submodule). */
export interface BlobNode {
  byteSize?: number;
  isBinary?: boolean;
  isTruncated?: boolean;
  text?: string | null;
}

/** The fields of a blob every files query asks for. */
export const BLOB_FRAGMENT = 'fragment PyworkersBlob on Blob { byteSize isBinary isTruncated text }';

/** An error of a GraphQL answer, as GitHub reports it. */
export interface GraphQLErrorLike {
  type?: string;
  path?: readonly (string | number)[];
  message?: string;
}

/**
 * Fields a caller adds to the first files query, so that what it needs costs no request of its own
 * (the repository config rides along this way). Errors under its own aliases are its business: they
 * neither make the files fall back to the contents API nor count as a failed query.
 */
export interface QueryRider<T> {
  /** Variables by name (without `$`): GraphQL type and value. */
  variables: Record<string, { type: string; value: string }>;
  /** Selections inside `repository(owner: $owner, name: $name)`, under the aliases `repositoryKeys`. */
  repositoryFields: string;
  repositoryKeys: readonly string[];
  /** Selections beside `repository`, under the aliases `rootKeys`. */
  rootFields: string;
  rootKeys: readonly string[];
  /** Fragment definitions its fields use besides PyworkersBlob. */
  fragments: string;
  /**
   * What the answer means. `answer` is undefined when the query gave no data at all (an HTTP error, a
   * dropped connection); otherwise its data as far as GitHub gave it, and every error of the answer.
   */
  read(answer: { data: Record<string, unknown>; errors: readonly GraphQLErrorLike[] } | undefined): T;
}

function filesQuery(count: number, rider?: QueryRider<unknown>): string {
  const vars = [
    '$owner: String!',
    '$name: String!',
    ...Object.entries(rider?.variables ?? {}).map(([name, v]) => `$${name}: ${v.type}`),
    ...Array.from({ length: count }, (_, i) => `$p${i}: String!`),
  ].join(', ');
  const fields = [
    ...Array.from({ length: count }, (_, i) => `f${i}: object(expression: $p${i}) { ...PyworkersBlob }`),
    ...(rider?.repositoryFields ? [rider.repositoryFields] : []),
  ].join('\n    ');
  return `query PyworkersFiles(${vars}) {
  repository(owner: $owner, name: $name) {
    ${fields}
  }${rider?.rootFields ? `\n  ${rider.rootFields}` : ''}
}
${[BLOB_FRAGMENT, ...(rider?.fragments ? [rider.fragments] : [])].join('\n')}`;
}

/** The text of a file as the engine sees it, as an editor does: without a byte order mark. */
export function decode(text: string): string {
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

/** Whether an error of the answer lies under one of the rider's aliases. */
function ridersError(rider: QueryRider<unknown> | undefined, error: GraphQLErrorLike): boolean {
  const path = error.path ?? [];
  if (!rider || path.length === 0) return false;
  if (rider.rootKeys.includes(String(path[0]))) return true;
  return path[0] === 'repository' && path.length > 1 && rider.repositoryKeys.includes(String(path[1]));
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
  return (await readFilesWith(gh, at, paths, undefined, log)).reads;
}

/**
 * readFiles, with `rider`'s fields in the first query (which is made even when there is no file to
 * read): what the rider needs costs no request of its own. `rider` is what its `read` made of the
 * answer.
 */
export async function readFilesWith<T>(
  gh: GitHub,
  at: RepoAt,
  paths: { required: readonly string[]; optional: readonly string[] },
  rider: QueryRider<T> | undefined,
  log?: Logger,
): Promise<{ reads: Map<string, FileRead>; rider: T | undefined }> {
  const result = new Map<string, FileRead>();
  const required = new Set(paths.required);
  const all = [...new Set([...paths.required, ...paths.optional])];
  const fallback: string[] = [];
  let riderResult: T | undefined;
  for (let i = 0; i < all.length || (i === 0 && rider); i += FILES_PER_QUERY) {
    const batch = all.slice(i, i + FILES_PER_QUERY);
    // The rider goes with the first query only.
    const withRider = i === 0 ? rider : undefined;
    const variables: Record<string, string> = { owner: at.owner, name: at.repo };
    for (const [name, v] of Object.entries(withRider?.variables ?? {})) variables[name] = v.value;
    batch.forEach((p, k) => (variables[`p${k}`] = `${at.sha}:${p}`));
    let data: Record<string, unknown> | undefined;
    let errors: readonly GraphQLErrorLike[] = [];
    try {
      data = (await gh.graphql<Record<string, unknown> | null>(filesQuery(batch.length, withRider), variables)) ?? undefined;
    } catch (err) {
      // Partial data still counts; what is missing from it is read through REST.
      const partial = err as { data?: Record<string, unknown> | null; errors?: unknown };
      data = partial.data ?? undefined;
      errors = Array.isArray(partial.errors) ? (partial.errors as GraphQLErrorLike[]) : [];
      // Errors under the rider's aliases alone (say, an owner without a `.github` repository) leave
      // the files whole: no failure.
      if (!data || errors.length === 0 || !errors.every((e) => ridersError(withRider, e))) {
        log?.warn({ err: (err as Error).message }, 'reading files through GraphQL failed; falling back to the contents API');
      }
    }
    if (withRider) riderResult = withRider.read(data ? { data, errors } : undefined);
    const repository = (data?.repository ?? undefined) as Record<string, BlobNode | null> | undefined;
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
  return { reads: result, rider: riderResult };
}
