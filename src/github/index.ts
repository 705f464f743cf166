// The Probot app: routes pull_request events to reviewPullRequest. Everything it needs comes from
// Probot's environment (APP_ID, PRIVATE_KEY, WEBHOOK_SECRET, GHE_HOST…) and from GitHub itself, so
// any number of replicas can serve the same app.
import type { Probot } from 'probot';
import type { Rule } from '../engine/index.js';
import { REVIEWED_ACTIONS, targetOf, triggerOf } from './events.js';
import { CONFIG_FILE_NAME } from './repo-config.js';
import { reviewPullRequest } from './review-pull-request.js';

export interface AppOptions {
  /** The rules to run; all by default. */
  rules?: readonly Rule[];
}

/** The app function, with options for tests. */
export function createApp(options: AppOptions = {}): (app: Probot) => void {
  return (app) => {
    app.on([...REVIEWED_ACTIONS], async (context) => {
      const trigger = triggerOf(context.payload);
      if (!trigger) return;
      await reviewPullRequest(
        {
          gh: context.octokit,
          log: context.log,
          loadConfig: () => context.config(CONFIG_FILE_NAME),
          ...(options.rules ? { rules: options.rules } : {}),
        },
        targetOf(context.payload, trigger),
      );
    });
  };
}

export default createApp();
