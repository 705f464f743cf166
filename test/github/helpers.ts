// Shared pieces of the app tests: a private key, webhook payloads in GitHub's real shape, a Probot
// with retries and throttling off, and request bodies checked against GitHub's OpenAPI schemas.
import { generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import examples, { type WebhookDefinition } from '@octokit/webhooks-examples';
import type { PullRequestEvent } from '@octokit/webhooks-types';
import { Probot, ProbotOctokit } from 'probot';
import { expect } from 'vitest';
import { createApp, type AppOptions } from '../../src/github/index.js';
import { RULES } from '../../rules/index.js';
import type { FakeGitHub } from '../helpers/fake-github.js';

let key: string | undefined;

/** An RSA key for the app's JWTs (generated once per test file). */
export function privateKey(): string {
  key ??= generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  return key;
}

/** The rules the app tests pin, so that new rules do not change their expectations. */
export const TEST_RULES = RULES.filter((r) => ['PW001', 'PW002', 'PW004'].includes(r.meta.code));

/**
 * Octokit with retries and throttling off. A function, not an object: Probot hands every installation
 * Octokit its own `throttle` options, which would replace `{ throttle: { enabled: false } }` and
 * leave the one-second pause between writes on.
 */
export const testOctokit = ProbotOctokit.defaults((options: any) => ({
  ...options,
  retry: { enabled: false },
  throttle: { ...options?.throttle, enabled: false },
}));

export async function makeProbot(options: { baseUrl?: string; app?: AppOptions } = {}): Promise<Probot> {
  const probot = new Probot({
    appId: 123,
    privateKey: privateKey(),
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
    logLevel: 'fatal',
    Octokit: testOctokit,
  });
  await probot.load(createApp(options.app ?? { rules: TEST_RULES }));
  return probot;
}

type PullRequestAction = PullRequestEvent['action'];

function example(action: PullRequestAction): PullRequestEvent {
  // A JSON package: TypeScript sees its declared default export one level down.
  const definitions = ((examples as unknown as { default?: WebhookDefinition[] }).default ?? examples) as unknown as WebhookDefinition[];
  const definition = definitions.find((e) => e.name === 'pull_request')!;
  const found = (definition.examples as PullRequestEvent[]).find((e) => e.action === action);
  // GitHub's examples have no "edited"; it is "opened" with the changes GitHub adds.
  return structuredClone(found ?? (definition.examples as PullRequestEvent[]).find((e) => e.action === 'opened')!);
}

/** A pull_request webhook payload (GitHub's example, pointed at the fake's repository and head). */
export function pullRequestPayload(
  fake: FakeGitHub,
  action: PullRequestAction,
  overrides: { draft?: boolean; state?: 'open' | 'closed'; headSha?: string; baseChanged?: boolean; titleChanged?: boolean } = {},
): PullRequestEvent {
  const payload = example(action) as any;
  payload.action = action;
  payload.number = fake.number;
  payload.installation = { id: fake.installationId, node_id: 'MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uNDI0Mg==' };
  payload.repository.name = fake.repo;
  payload.repository.full_name = `${fake.owner}/${fake.repo}`;
  payload.repository.owner.login = fake.owner;
  const pr = payload.pull_request;
  pr.number = fake.number;
  pr.state = overrides.state ?? 'open';
  pr.draft = overrides.draft ?? false;
  pr.head.sha = overrides.headSha ?? fake.pr.headSha;
  pr.base.sha = fake.pr.baseSha || 'b'.repeat(40);
  pr.changed_files = fake.pr.files.length;
  if (action === 'edited') {
    payload.changes = overrides.baseChanged
      ? { base: { ref: { from: 'develop' }, sha: { from: 'c'.repeat(40) } } }
      : { title: { from: 'An older title' } };
  }
  return payload as PullRequestEvent;
}

export async function deliver(probot: Probot, payload: PullRequestEvent, id = `delivery-${Math.random().toString(16).slice(2)}`): Promise<void> {
  await probot.receive({ id, name: 'pull_request', payload } as any);
}

const ajv = new Ajv({ allErrors: true, strict: false });
ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/);
const validators = new Map<string, ValidateFunction>();
const schemas = new Map<string, any>();

export type OpenApiRequest = 'pulls-create-review' | 'checks-create' | 'checks-update';

function schemaOf(name: OpenApiRequest): any {
  if (!schemas.has(name)) {
    schemas.set(name, JSON.parse(readFileSync(new URL(`../fixtures/openapi/${name}.request.json`, import.meta.url), 'utf8')));
  }
  return schemas.get(name);
}

/** Keys of `value` that its schema does not declare, as dotted paths (GitHub ignores them; we should not send them). */
function undeclaredKeys(schema: any, value: any, at = ''): string[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => undeclaredKeys(schema?.items, v, `${at}[${i}]`));
  if (!value || typeof value !== 'object' || !schema?.properties) return [];
  return Object.keys(value).flatMap((k) =>
    k in schema.properties ? undeclaredKeys(schema.properties[k], value[k], at ? `${at}.${k}` : k) : [at ? `${at}.${k}` : k],
  );
}

/** Asserts that a request body is valid for GitHub's schema and sends no field the schema lacks. */
export function expectValidBody(name: OpenApiRequest, body: unknown): void {
  let validate = validators.get(name);
  if (!validate) validators.set(name, (validate = ajv.compile(schemaOf(name))));
  const ok = validate(body);
  expect(ok ? [] : validate.errors).toEqual([]);
  // The path params travel in the URL, never in the body.
  expect(undeclaredKeys(schemaOf(name), body)).toEqual([]);
}
