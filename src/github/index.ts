// The Probot app: routes pull_request events to reviewPullRequest. Everything it needs comes from
// Probot's environment (APP_ID, PRIVATE_KEY, WEBHOOK_SECRET, GHE_HOST…) and from GitHub itself, so
// any number of replicas can serve the same app.
import type { Probot } from 'probot';
import type { Rule } from '../engine/index.js';
import { payloadProblem, REVIEWED_ACTIONS, targetOf, triggerOf } from './events.js';
import { CONFIG_FILE_NAME } from './repo-config.js';
import { reviewPullRequest } from './review-pull-request.js';
import { httpStatus } from './types.js';

export interface AppOptions {
  /** The rules to run; all by default. */
  rules?: readonly Rule[];
  /** How a run waits out a rate limit (tests shorten it). */
  sleep?: (ms: number) => Promise<void>;
}

/**
 * Runs tasks with the same key one after the other, in the order they arrive; other keys run
 * alongside. Keys leave the map when their last task is done.
 */
function turns(): <T>(key: string, task: () => Promise<T>) => Promise<T> {
  const tails = new Map<string, Promise<void>>();
  return (key, task) => {
    const run = (tails.get(key) ?? Promise.resolve()).then(task);
    const tail = run.then(
      () => undefined,
      () => undefined,
    );
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
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
    // while the first delivery runs then finds that run's review instead of posting its own.
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
      await inTurn(key, async () => {
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
      });
    });
  };
}

export default createApp();
