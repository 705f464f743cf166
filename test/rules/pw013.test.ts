import { rule } from '../../rules/pw013-remote-only-binding.js';
import { ruleTester } from '../helpers/rule-tester.js';

const ENTRY = 'from workers import WorkerEntrypoint\n\nclass Default(WorkerEntrypoint):\n    pass\n';
const HEAD_TOML = 'main = "src/entry.py"\ncompatibility_date = "2025-11-01"\ncompatibility_flags = ["python_workers"]\n';
const HEAD_JSON = '{\n  "main": "src/entry.py",\n  "compatibility_date": "2025-11-01",\n  "compatibility_flags": ["python_workers"],\n';
const toml = (rest: string) => ({ 'wrangler.toml': HEAD_TOML + rest, 'src/entry.py': ENTRY });
const jsonc = (rest: string, name = 'wrangler.jsonc') => ({ [name]: HEAD_JSON + rest + '}\n', 'src/entry.py': ENTRY });

ruleTester(rule, {
  valid: [
    { name: 'jsonc: both remote', files: jsonc('  "ai": { "binding": "AI", "remote": true },\n  "vectorize": [{ "binding": "V", "index_name": "i", "remote": true }]\n'), target: 'wrangler.jsonc' },
    { name: 'toml: both remote', files: toml('\n[ai]\nbinding = "AI"\nremote = true\n\n[[vectorize]]\nbinding = "V"\nindex_name = "i"\nremote = true\n'), target: 'wrangler.toml' },
    { name: 'other bindings are simulated locally', files: toml('\n[[kv_namespaces]]\nbinding = "KV"\nid = "x"\n\n[[d1_databases]]\nbinding = "DB"\ndatabase_id = "y"\n'), target: 'wrangler.toml' },
    {
      name: 'a JavaScript Worker is not this tool\'s business',
      files: { 'wrangler.json': '{\n  "main": "src/index.js",\n  "compatibility_date": "2025-11-01",\n  "ai": { "binding": "AI" }\n}\n' },
      target: 'wrangler.json',
    },
    { name: 'env inline tables with remote', files: toml('\n[env.staging]\nai = { binding = "AI", remote = true }\nvectorize = [{ binding = "V", index_name = "i", remote = true }]\n'), target: 'wrangler.toml' },
  ],
  invalid: [
    {
      name: 'toml: [ai] and [[vectorize]] tables, comments kept',
      files: toml('\n[ai]\nbinding = "AI" # embeddings\n\n[[vectorize]]\nbinding = "SEARCH_INDEX"\nindex_name = "docs-embeddings"\n\n[observability]\nenabled = true\n'),
      target: 'wrangler.toml',
      errors: [
        { line: 5, column: 2, endColumn: 4, severity: 'warning', message: /`ai` binding `AI` has no `remote: true`: Workers AI/ },
        { line: 8, column: 3, endColumn: 12, message: /`vectorize` binding `SEARCH_INDEX`.*Vectorize/ },
      ],
      output:
        HEAD_TOML +
        '\n[ai]\nbinding = "AI" # embeddings\nremote = true\n\n[[vectorize]]\nbinding = "SEARCH_INDEX"\nindex_name = "docs-embeddings"\nremote = true\n\n[observability]\nenabled = true\n',
    },
    {
      name: 'jsonc: ai object and vectorize array, one-line and multi-line',
      files: jsonc(
        '  "ai": { "binding": "AI" }, // model\n  "vectorize": [\n    {\n      "binding": "V",\n      "index_name": "i", // main index\n    },\n    { "binding": "W", "index_name": "j" },\n  ],\n',
      ),
      target: 'wrangler.jsonc',
      errors: [
        { line: 5, column: 3, endColumn: 7 },
        { line: 7, column: 5 },
        { line: 11, column: 5 },
      ],
      output:
        HEAD_JSON +
        '  "ai": { "binding": "AI", "remote": true }, // model\n  "vectorize": [\n    {\n      "binding": "V",\n      "index_name": "i", // main index\n      "remote": true,\n    },\n    { "binding": "W", "index_name": "j", "remote": true },\n  ],\n}\n',
    },
    {
      name: 'json: per-environment bindings (not inherited)',
      files: jsonc(
        '  "ai": { "binding": "AI", "remote": true },\n  "env": {\n    "staging": {\n      "ai": { "binding": "AI" }\n    }\n  }\n',
        'wrangler.json',
      ),
      target: 'wrangler.json',
      errors: [{ line: 8, column: 7, message: /`ai` binding `AI`/ }],
      output:
        HEAD_JSON + '  "ai": { "binding": "AI", "remote": true },\n  "env": {\n    "staging": {\n      "ai": { "binding": "AI", "remote": true }\n    }\n  }\n}\n',
    },
    {
      name: 'toml: environment inline tables and [[env.x.vectorize]]',
      files: toml('\n[env.staging]\nai = { binding = "AI" }\nvectorize = [{ binding = "V", index_name = "i" }]\n\n[[env.prod.vectorize]]\nbinding = "P"\nindex_name = "p"\n'),
      target: 'wrangler.toml',
      errors: [
        { line: 6, column: 1, endColumn: 3 },
        { line: 7, column: 14 },
        { line: 9, column: 3, endColumn: 21 },
      ],
      output:
        HEAD_TOML +
        '\n[env.staging]\nai = { binding = "AI", remote = true }\nvectorize = [{ binding = "V", index_name = "i", remote = true }]\n\n[[env.prod.vectorize]]\nbinding = "P"\nindex_name = "p"\nremote = true\n',
    },
    {
      name: 'explicit remote = false: unsafe fix',
      files: toml('\n[ai]\nbinding = "AI"\nremote = false # costs money\n'),
      target: 'wrangler.toml',
      errors: [{ line: 7, column: 10, endColumn: 15, message: /sets `remote` to `false`/ }],
      output: HEAD_TOML + '\n[ai]\nbinding = "AI"\nremote = true # costs money\n',
    },
  ],
});
