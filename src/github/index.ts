// The Probot app: routes pull_request events to reviewPullRequest. Everything it needs comes from
// Probot's environment (APP_ID, PRIVATE_KEY, WEBHOOK_SECRET, GHE_HOST…) and from GitHub itself, so
// any number of replicas can serve the same app.
import type { Probot } from 'probot';
import type { Rule } from '../engine/index.js';
import { payloadProblem, REVIEWED_ACTIONS, targetOf, triggerOf } from './events.js';
import { CONFIG_FILE_NAME } from './repo-config.js';
import { reviewPullRequest } from './review-pull-request.js';
import { httpStatus, type ReviewTrigger } from './types.js';

export interface AppOptions {
  /** The rules to run; all by default. */
  rules?: readonly Rule[];
  /** How a run waits out a rate limit (tests shorten it). */
  sleep?: (ms: number) => Promise<void>;
}

/** A delivery waiting for (or having) its turn: the head it reviews, and for a push the head before. */
interface Turn {
  head: string;
  before?: string;
  trigger: ReviewTrigger;
  draft: boolean;
}

/** Whether `later`, queued behind `turn`, makes `turn`'s run pointless. */
function makesRedundant(later: Turn, turn: Turn): boolean {
  // A later push replaced this head: GitHub's head has moved on, the run would read and drop itself.
  if (later.before === turn.head && later.head !== turn.head) return true;
  // The same head again (a redelivery, opened and ready_for_review together…): the later run does all
  // this one would, reading GitHub afresh — unless only this one forces a review (a new base) or
  // would review a pull request the later one sees as a draft.
  return later.head === turn.head && (turn.trigger !== 'base-changed' || later.trigger === 'base-changed') && (!later.draft || turn.draft);
}

/**
 * Runs the deliveries of one key (a pull request) one after the other, in the order they arrive;
 * other keys run alongside. A delivery whose turn comes while a later one queued behind it makes it
 * redundant is skipped (see makesRedundant): a burst costs one full run, not one per delivery.
 * Keys leave the map when their last delivery is done.
 */
function turns(): <T>(key: string, turn: Turn, task: () => Promise<T>, superseded: () => T) => Promise<T> {
  const tails = new Map<string, Promise<void>>();
  const queued = new Map<string, Turn[]>();
  return (key, turn, task, superseded) => {
    const line = queued.get(key) ?? [];
    line.push(turn);
    queued.set(key, line);
    const start = () => {
      const later = line.slice(line.indexOf(turn) + 1);
      return later.some((t) => makesRedundant(t, turn)) ? superseded() : task();
    };
    const run = (tails.get(key) ?? Promise.resolve()).then(start);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    tails.set(key, tail);
    void tail.then(() => {
      line.splice(line.indexOf(turn), 1);
      if (tails.get(key) === tail) {
        tails.delete(key);
        queued.delete(key);
      }
    });
    return run;
  };
}

/** A 401 on anything but the token request itself: the cached installation token was refused. */
function tokenRefused(err: unknown): boolean {
  const url = (err as { request?: { url?: unknown } } | null)?.request?.url;
  return httpStatus(err) === 401 && !(typeof url === 'string' && /\/app\/installations\/\d+\/access_tokens$/.test(url));
}

/** The app function, with options for tests. */
export function createApp(options: AppOptions = {}): (app: Probot) => void {
  return (app) => {
    // Deliveries for one pull request are reviewed in turn within a process: a redelivery arriving
    // while the first delivery runs then finds that run's review instead of posting its own, and a
    // burst of deliveries costs one full run, not one per delivery.
    const inTurn = turns();
    app.on([...REVIEWED_ACTIONS], async (context) => {
      const problem = payloadProblem(context.payload);
      if (problem) {
        // Signed but not of GitHub's shape: refuse it (4xx), touch nothing.
        throw Object.assign(new Error(`malformed pull_request payload: ${problem}`), { status: 400 });
      }
      const trigger = triggerOf(context.payload);
      if (!trigger) return;
      const target = targetOf(context.payload, trigger);
      const review = () =>
        reviewPullRequest(
          {
            gh: context.octokit,
            log: context.log,
            loadConfig: () => context.config(CONFIG_FILE_NAME),
            ...(options.rules ? { rules: options.rules } : {}),
            ...(options.sleep ? { sleep: options.sleep } : {}),
          },
          target,
        );
      const key = `${target.owner}/${target.repo}#${target.number}`.toLowerCase();
      const before = (context.payload as { before?: unknown }).before;
      const turn: Turn = { head: target.headSha, trigger, draft: target.draft, ...(typeof before === 'string' ? { before } : {}) };
      const superseded = () =>
        context.log.info({ pullRequest: key, head: target.headSha, trigger }, 'a later delivery queued for this pull request covers this one; skipping it');
      await inTurn(key, turn, async () => {
        try {
          await review();
        } catch (err) {
          if (!tokenRefused(err)) throw err;
          // Probot caches installation tokens for an hour; one GitHub revoked or expired early is
          // refused with 401. Get a new one and run again (a run posts nothing twice).
          context.log.warn('GitHub refused the installation token; getting a new one and reviewing again');
          await context.octokit.auth({ type: 'installation', refresh: true });
          await review();
        }
      }, superseded);
    });
  };
}

export default createApp();
