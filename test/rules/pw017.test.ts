import { describe, expect, it } from 'vitest';
import { parseScript } from '../../rules/pw017-separate-dev-sessions.js';
import { rule } from '../../rules/pw017-separate-dev-sessions.js';
import { ruleTester } from '../helpers/rule-tester.js';

const JS = (binding = true) =>
  `{\n  "name": "front",\n  "main": "src/index.js",\n  "compatibility_date": "2025-11-18",\n  ${binding ? '"services": [{ "binding": "RENDERER", "service": "renderer" }]' : '"vars": {}'}\n}\n`;
const PY = '{\n  "name": "renderer",\n  "main": "src/entry.py",\n  "compatibility_date": "2025-11-18",\n  "compatibility_flags": ["python_workers"]\n}\n';
const pair = (pkg: string, prefix = '', jsBinds = true): Record<string, string> => ({
  [`${prefix}package.json`]: pkg,
  [`${prefix}js/wrangler.jsonc`]: JS(jsBinds),
  [`${prefix}js/src/index.js`]: 'export default {}\n',
  [`${prefix}py/wrangler.jsonc`]: PY,
  [`${prefix}py/src/entry.py`]: 'from workers import WorkerEntrypoint\n',
});
const pkg = (scripts: Record<string, string>, wrangler = '^4.45.0') =>
  JSON.stringify({ name: 'snippets', private: true, scripts, devDependencies: { wrangler } }, null, 2) + '\n';

ruleTester(rule, {
  valid: [
    { name: 'one session with both configs', files: pair(pkg({ dev: 'wrangler dev -c js/wrangler.jsonc -c py/wrangler.jsonc' })), target: 'package.json' },
    {
      name: 'separate sessions without a binding between the Workers',
      files: pair(pkg({ 'dev:js': 'wrangler dev -c js/wrangler.jsonc', 'dev:py': 'wrangler dev -c py/wrangler.jsonc' }), '', false),
      target: 'package.json',
    },
    {
      name: 'single-Worker scripts beside a combined one',
      files: pair(pkg({ dev: 'npx wrangler dev -c js/wrangler.jsonc -c py/wrangler.jsonc', 'dev:js': 'cd js && wrangler dev', 'dev:py': 'cd py && wrangler dev' })),
      target: 'package.json',
    },
    { name: 'deploy scripts are not dev sessions', files: pair(pkg({ deploy: 'wrangler deploy -c py/wrangler.jsonc && wrangler deploy -c js/wrangler.jsonc' })), target: 'package.json' },
    { name: 'configs that are not in the repository', files: pair(pkg({ dev: 'wrangler dev -c a/wrangler.jsonc & wrangler dev -c b/wrangler.jsonc' })), target: 'package.json' },
    {
      name: 'two JavaScript Workers: not a Python RPC pair',
      files: {
        'package.json': pkg({ dev: 'wrangler dev -c a/wrangler.jsonc & wrangler dev -c b/wrangler.jsonc' }),
        'a/wrangler.jsonc': '{ "name": "a", "main": "index.js", "services": [{ "binding": "B", "service": "b" }] }',
        'b/wrangler.jsonc': '{ "name": "b", "main": "index.js" }',
      },
      target: 'package.json',
    },
  ],
  invalid: [
    {
      name: 'one script, two backgrounded sessions: unsafe fix, caller first, its options kept',
      files: pair(pkg({ dev: 'wrangler dev --config py/wrangler.jsonc --port 8788 & wrangler dev --config js/wrangler.jsonc --port 8787', deploy: 'wrangler deploy' })),
      target: 'package.json',
      errors: [
        {
          line: 5,
          column: 12,
          severity: 'warning',
          message: /`dev` starts js\/wrangler\.jsonc and py\/wrangler\.jsonc in two `wrangler dev` sessions, but js\/wrangler\.jsonc calls py\/wrangler\.jsonc \(a Python Worker\)/,
        },
      ],
      output: pkg({ dev: 'wrangler dev -c js/wrangler.jsonc -c py/wrangler.jsonc --port 8787', deploy: 'wrangler deploy' }),
    },
    {
      name: 'two scripts that cd into the Worker folders: display fix only',
      files: pair(pkg({ 'dev:js': 'cd js && npx wrangler dev', 'dev:py': 'cd py && npx wrangler dev --port 8788' })),
      target: 'package.json',
      errors: [{ line: 5, column: 15, message: /Scripts `dev:js` and `dev:py` start js\/wrangler\.jsonc and py\/wrangler\.jsonc/ }],
      output: null,
    },
    {
      name: 'concurrently with quoted commands: display fix',
      files: pair(pkg({ dev: 'concurrently "wrangler dev -c js/wrangler.jsonc" "pnpm exec wrangler dev -c py/wrangler.jsonc"' })),
      target: 'package.json',
      errors: [{ line: 5, column: 12, message: /`wrangler dev -c js\/wrangler\.jsonc -c py\/wrangler\.jsonc`/ }],
      output: null,
    },
    {
      name: 'a wrangler newer than the last release known to fail: advice only',
      files: pair(pkg({ dev: 'wrangler dev -c py/wrangler.jsonc & wrangler dev -c js/wrangler.jsonc' }, '^4.90.0')),
      target: 'package.json',
      errors: [{ line: 5, column: 12, severity: 'info', message: /wrangler \^4\.90\.0 may route that across sessions/ }],
      output: pkg({ dev: 'wrangler dev -c js/wrangler.jsonc -c py/wrangler.jsonc' }, '^4.90.0'),
    },
    {
      name: 'wrangler.toml and wrangler.json Workers started by folder',
      files: {
        'package.json': pkg({ 'dev:front': 'cd front && wrangler dev', 'dev:render': 'cd render && wrangler dev' }),
        'front/wrangler.json': '{\n  "name": "front",\n  "main": "src/index.js",\n  "services": [{ "binding": "R", "service": "render" }]\n}\n',
        'front/src/index.js': 'export default {}\n',
        'render/wrangler.toml': 'name = "render"\nmain = "src/entry.py"\ncompatibility_flags = ["python_workers"]\n',
        'render/src/entry.py': 'from workers import WorkerEntrypoint\n',
      },
      target: 'package.json',
      errors: [{ line: 5, column: 18, message: /front\/wrangler\.json calls render\/wrangler\.toml \(a Python Worker\).*`wrangler dev -c front\/wrangler\.json -c render\/wrangler\.toml`/ }],
      output: null,
    },
    {
      name: 'package.json in a subfolder; Python calls JavaScript through a Durable Object',
      files: {
        'app/package.json': pkg({ start: 'cd py; pywrangler dev & cd js && wrangler dev' }),
        'app/py/wrangler.jsonc':
          '{\n  "name": "renderer",\n  "main": "src/entry.py",\n  "compatibility_flags": ["python_workers"],\n  "durable_objects": { "bindings": [{ "name": "ROOMS", "class_name": "Room", "script_name": "front" }] }\n}\n',
        'app/py/src/entry.py': 'from workers import WorkerEntrypoint\n',
        'app/js/wrangler.jsonc': JS(false),
        'app/js/src/index.js': 'export default {}\n',
      },
      target: 'app/package.json',
      errors: [{ line: 5, column: 14, message: /app\/py\/wrangler\.jsonc calls app\/js\/wrangler\.jsonc \(from a Python Worker\).*`npx wrangler dev -c py\/wrangler\.jsonc -c js\/wrangler\.jsonc`/ }],
      output: null,
    },
  ],
});

describe('reading scripts', () => {
  it('tracks cd through && and ;, not through & or |', () => {
    const runs = parseScript('cd a && wrangler dev; wrangler dev -c x.toml & wrangler dev', '');
    expect(runs.map((r) => [r.cwd, r.configs])).toEqual([
      ['a', []],
      ['a', ['x.toml']],
      ['', []],
    ]);
  });

  it('knows runners and --config forms', () => {
    const runs = parseScript('FOO=1 npx --yes wrangler dev --config=a.jsonc -c b.jsonc --port 1 && pnpm wrangler dev', '');
    expect(runs[0]).toMatchObject({ runner: ['npx', '--yes'], tool: 'wrangler', configs: ['a.jsonc', 'b.jsonc'], args: ['--port', '1'] });
    expect(runs[1]).toMatchObject({ runner: ['pnpm'], tool: 'wrangler' });
  });
});
