// What GitHub already holds for a pull request, read in one GraphQL request right before posting:
// its head and state, our reviews, our review threads (fingerprints, replies) and our check run on
// the head commit. Everything the app knows across pushes and replicas comes from here.
import { DEFAULT_TOOL_NAME, parseFingerprints } from '../review/index.js';
import { parseListedFingerprints, parseReviewHead } from '../pipeline/review-pipeline.js';
import { CHECK_NAME, type GitHub } from './types.js';

interface Author {
  __typename: string;
  login: string;
}

interface StateResponse {
  repository: {
    pullRequest: {
      state: 'OPEN' | 'CLOSED' | 'MERGED';
      headRefOid: string;
      reviews: { nodes: ({ databaseId: number | null; state: string; body: string; author: Author | null } | null)[] };
      reviewThreads: {
        pageInfo: { hasNextPage: boolean; endCursor: string | null };
        nodes: ({
          id: string;
          isResolved: boolean;
          comments: { totalCount: number; nodes: ({ body: string; author: Author | null } | null)[] };
        } | null)[];
      };
    } | null;
    object: {
      checkSuites?: {
        nodes: ({ checkRuns: { nodes: ({ databaseId: number | null; status: string; conclusion: string | null; title?: string | null } | null)[] } | null } | null)[];
      };
    } | null;
  } | null;
}

export const STATE_QUERY = `query PyworkersReviewState($owner: String!, $name: String!, $number: Int!, $head: GitObjectID!, $checkName: String!, $after: String) {
  repository(owner: $owner, name: $name) {
    pullRequest(number: $number) {
      state
      headRefOid
      reviews(last: 100) { nodes { databaseId state body author { __typename login } } }
      reviewThreads(first: 100, after: $after) {
        pageInfo { hasNextPage endCursor }
        nodes {
          id
          isResolved
          comments(first: 100) { totalCount nodes { body author { __typename login } } }
        }
      }
    }
    object(oid: $head) {
      ... on Commit {
        checkSuites(first: 50) {
          nodes { checkRuns(first: 10, filterBy: { checkName: $checkName }) { nodes { databaseId status conclusion title } } }
        }
      }
    }
  }
}`;

export interface OurReview {
  id: number | null;
  state: string;
  /** The head SHA the review was made for. */
  head: string;
  /** Fingerprint tokens the review listed without an inline comment. */
  listed: Set<string>;
}

export interface OurThread {
  id: string;
  isResolved: boolean;
  fingerprints: string[];
  /** Someone other than a bot answered: the thread is theirs now, never resolved by the app. */
  repliedByPerson: boolean;
}

export interface ReviewState {
  open: boolean;
  headSha: string;
  reviews: OurReview[];
  threads: OurThread[];
  /** Our check runs on the head commit. */
  checkRuns: { id: number | null; status: string; conclusion: string | null; title: string | null }[];
}

const isBot = (author: Author | null): boolean => author?.__typename === 'Bot';

export async function readReviewState(
  gh: GitHub,
  pr: { owner: string; repo: string; number: number; headSha: string },
  toolName: string = DEFAULT_TOOL_NAME,
): Promise<ReviewState> {
  const state: ReviewState = { open: false, headSha: '', reviews: [], threads: [], checkRuns: [] };
  let after: string | null = null;
  let first = true;
  do {
    const data: StateResponse = await gh.graphql<StateResponse>(STATE_QUERY, {
      owner: pr.owner,
      name: pr.repo,
      number: pr.number,
      head: pr.headSha,
      checkName: CHECK_NAME,
      after,
    });
    const pull = data.repository?.pullRequest;
    if (!pull) throw new Error(`pull request ${pr.owner}/${pr.repo}#${pr.number} not found`);
    if (first) {
      state.open = pull.state === 'OPEN';
      state.headSha = pull.headRefOid;
      for (const r of pull.reviews.nodes) {
        if (!r || !isBot(r.author)) continue;
        const head = parseReviewHead(r.body, toolName);
        if (head === undefined && r.state !== 'PENDING') continue;
        state.reviews.push({ id: r.databaseId, state: r.state, head: head ?? '', listed: parseListedFingerprints(r.body, toolName) });
      }
      for (const suite of data.repository?.object?.checkSuites?.nodes ?? []) {
        for (const run of suite?.checkRuns?.nodes ?? []) {
          if (run) state.checkRuns.push({ id: run.databaseId, status: run.status, conclusion: run.conclusion, title: run.title ?? null });
        }
      }
      first = false;
    }
    for (const t of pull.reviewThreads.nodes) {
      if (!t) continue;
      const [opening, ...replies] = t.comments.nodes;
      if (!opening || !isBot(opening.author)) continue;
      const fingerprints = parseFingerprints(opening.body, toolName);
      if (fingerprints.length === 0) continue;
      const repliedByPerson =
        t.comments.totalCount > t.comments.nodes.length || replies.some((c) => !c || !isBot(c.author));
      state.threads.push({ id: t.id, isResolved: t.isResolved, fingerprints, repliedByPerson });
    }
    after = pull.reviewThreads.pageInfo.hasNextPage ? pull.reviewThreads.pageInfo.endCursor : null;
  } while (after);
  return state;
}

/** Threads resolved per GraphQL request. */
const RESOLVES_PER_REQUEST = 50;

/** Resolves review threads, many per GraphQL request. */
export async function resolveThreads(gh: GitHub, threadIds: readonly string[]): Promise<void> {
  for (let at = 0; at < threadIds.length; at += RESOLVES_PER_REQUEST) {
    const batch = threadIds.slice(at, at + RESOLVES_PER_REQUEST);
    const vars = batch.map((_, i) => `$t${i}: ID!`).join(', ');
    const fields = batch.map((_, i) => `r${i}: resolveReviewThread(input: { threadId: $t${i} }) { thread { id isResolved } }`).join('\n  ');
    const variables: Record<string, string> = {};
    batch.forEach((id, i) => (variables[`t${i}`] = id));
    await gh.graphql(`mutation PyworkersResolveThreads(${vars}) {\n  ${fields}\n}`, variables);
  }
}
