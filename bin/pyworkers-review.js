#!/usr/bin/env node
// The `pyworkers-review` command. The TypeScript sources are compiled to dist/ by `npm install`
// (the `prepare` script) or `npm run build`.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/src/cli/main.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('pyworkers-review: not built yet; run `npm install` or `npm run build` first\n');
  process.exit(2);
}
const { main } = await import(entry.href);
try {
  process.exitCode = await main(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`pyworkers-review: internal error: ${err && err.message ? err.message : err} (please report it)\n`);
  process.exitCode = 2;
}
