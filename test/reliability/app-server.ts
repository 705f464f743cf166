// The real server as `npm start` runs it (`probot run ./dist/src/github/index.js` in a child
// process), pointed as GitHub Enterprise at fake GitHubs on 127.0.0.1: one fake per repository,
// behind one HTTP server that routes each request to its repository's fake. Loopback only.
import { createHmac } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { request, type IncomingMessage, type ServerResponse } from 'node:http';
import { LoopbackServer } from '../helpers/loopback.js';
import { fileURLToPath } from 'node:url';
import type { FakeGitHub } from '../helpers/fake-github.js';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Many fakes (one repository each) behind one loopback host, as one GitHub Enterprise. */
export class FakeGitHubHost {
  private readonly http = new LoopbackServer((req, res) => this.serve(req, res));
  /** Authorization headers seen (tokens and app JWTs: the secrets a log must not show). */
  readonly authorizations: string[] = [];
  /** Every request answered, with the time it arrived (ms, performance.now()). */
  readonly log: { at: number; repo: string; method: string; path: string; operation?: string; head?: string }[] = [];

  constructor(readonly fakes: readonly FakeGitHub[]) {}

  listen(): Promise<string> {
    return this.http.listen();
  }

  close(): Promise<void> {
    return this.http.close();
  }

  /** The fake a request belongs to: by the repository in the path or the GraphQL variables. */
  private route(path: string, body: any): FakeGitHub {
    const repo = /^\/api\/v3\/repos\/([^/]+)\/([^/]+)\//.exec(path);
    if (repo) return this.fakes.find((f) => f.owner === repo[1] && f.repo === repo[2]) ?? this.fakes[0]!;
    const name = body?.variables?.name;
    if (typeof name === 'string') return this.fakes.find((f) => f.repo === name) ?? this.fakes[0]!;
    // Resolving threads names no repository: the fake that holds the thread.
    const thread = Object.values(body?.variables ?? {}).find((v) => typeof v === 'string' && v.startsWith('PRRT_'));
    if (thread) return this.fakes.find((f) => f.threads.some((t) => t.id === thread)) ?? this.fakes[0]!;
    return this.fakes[0]!;
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = performance.now();
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: any;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = raw;
    }
    if (req.headers.authorization) this.authorizations.push(req.headers.authorization);
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    const fake = this.route(url.pathname, body);
    const operation = url.pathname === '/api/graphql' ? /(?:query|mutation)\s+(\w+)/.exec(body?.query ?? '')?.[1] : undefined;
    this.log.push({
      at,
      repo: fake.repo,
      method: req.method ?? 'GET',
      path: url.pathname,
      ...(operation ? { operation } : {}),
      ...(typeof body?.variables?.head === 'string' ? { head: body.variables.head } : {}),
    });
    const response = fake.handle(req.method ?? 'GET', url.toString(), body);
    res.writeHead(response.status, response.headers);
    res.end(response.body);
  }
}

import { startProbotServer } from '../helpers/probot-server.js';

export { freePort } from '../helpers/probot-server.js';

export interface RunningServer {
  url: string;
  pid: number;
  secret: string;
  privateKey: string;
  /** Everything the server wrote to stdout and stderr. */
  output(): string;
  stop(): Promise<void>;
}

/** Starts `probot run` on a free loopback port; only Probot's variables in its environment. */
export async function startServer(options: { gheHost: string; secret: string; logLevel?: string }): Promise<RunningServer> {
  if (!existsSync(`${ROOT}/dist/src/github/index.js`)) throw new Error('dist/src/github/index.js is missing: the global setup compiles it');
  const server = await startProbotServer({ root: ROOT, ...options });
  return { url: server.url, pid: server.child.pid!, secret: options.secret, privateKey: server.privateKey, output: server.output, stop: server.stop };
}

export interface HttpResult {
  status: number;
  text: string;
}

/** Sends a webhook as GitHub does: JSON signed with the secret (HMAC SHA-256). */
export function sendWebhook(server: RunningServer, name: string, payload: unknown, delivery: string): Promise<HttpResult> {
  const body = JSON.stringify(payload);
  const headers = {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(body)),
    'user-agent': 'GitHub-Hookshot/reliability',
    'x-github-event': name,
    'x-github-delivery': delivery,
    'x-hub-signature-256': `sha256=${createHmac('sha256', server.secret).update(body).digest('hex')}`,
  };
  return new Promise((resolve, reject) => {
    const req = request(`${server.url}/api/github/webhooks`, { method: 'POST', headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Peak and current resident memory of a process (Linux /proc), in MB; undefined elsewhere. */
export function processMemory(pid: number): { peakMb: number; nowMb: number } | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
    return { peakMb: Math.round(kb('VmHWM') / 1024), nowMb: Math.round(kb('VmRSS') / 1024) };
  } catch {
    return undefined;
  }
}
