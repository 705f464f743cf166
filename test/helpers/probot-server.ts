// Starting the real server as `npm start` does (`probot run ./dist/src/github/index.js`) on a free
// loopback port, pointed at a fake GitHub Enterprise: shared by the e2e and reliability tests and
// by the server benchmark.
import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { createServer } from 'node:net';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export function testPrivateKey(): string {
  return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
}

export interface ProbotServer {
  child: ChildProcess;
  url: string;
  privateKey: string;
  /** From spawn to the first answer of /ping. */
  startMs: number;
  /** Everything the server wrote to stdout and stderr. */
  output(): string;
  stop(): Promise<void>;
}

export interface ProbotServerOptions {
  /** The package root (where dist/ and node_modules/ are). */
  root: string;
  /** host:port of the fake GitHub, reached over http. */
  gheHost: string;
  secret: string;
  privateKey?: string;
  logLevel?: string;
  /** How often to poll /ping while the server starts. */
  pollMs?: number;
  timeoutMs?: number;
}

export async function startProbotServer(options: ProbotServerOptions): Promise<ProbotServer> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const privateKey = options.privateKey ?? testPrivateKey();
  let output = '';
  const t0 = performance.now();
  // Only what Probot reads: nothing inherited could point it at a real GitHub.
  const env: Record<string, string | undefined> = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      APP_ID: '123',
      PRIVATE_KEY: privateKey,
      WEBHOOK_SECRET: options.secret,
      PORT: String(port),
      HOST: '127.0.0.1',
      GHE_HOST: options.gheHost,
      GHE_PROTOCOL: 'http',
      LOG_LEVEL: options.logLevel ?? 'info',
      LOG_FORMAT: 'json',
  };
  const child: ChildProcess = spawn(process.execPath, ['node_modules/probot/bin/probot.js', 'run', './dist/src/github/index.js'], {
    cwd: options.root,
    env: env as NodeJS.ProcessEnv,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await exited;
  };
  const deadline = t0 + (options.timeoutMs ?? 30_000);
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode}):\n${output}`);
    try {
      if ((await fetch(`${url}/ping`)).ok) break;
    } catch {
      // not listening yet
    }
    if (performance.now() > deadline) {
      await stop();
      throw new Error(`the server did not start in time:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, options.pollMs ?? 100));
  }
  return { child, url, privateKey, startMs: performance.now() - t0, output: () => output, stop };
}
