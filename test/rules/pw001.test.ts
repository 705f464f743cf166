import { rule } from '../../rules/pw001-missing-python-workers-flag.js';
import { ruleTester } from '../helpers/rule-tester.js';

const ENTRY = 'from workers import WorkerEntrypoint, Response\n\nclass Default(WorkerEntrypoint):\n    async def fetch(self, request):\n        return Response("ok")\n';
const WORKFLOW =
  'from workers import WorkerEntrypoint, WorkflowEntrypoint, Response\n\n' +
  'class DigestWorkflow(WorkflowEntrypoint):\n    async def run(self, event, step):\n        return None\n\n' +
  'class Default(WorkerEntrypoint):\n    async def fetch(self, request):\n        return Response("ok")\n';

const jsonc = (text: string, entry = ENTRY) => ({ 'wrangler.jsonc': text, 'src/entry.py': entry });
const toml = (text: string, entry = ENTRY) => ({ 'wrangler.toml': text, 'src/entry.py': entry });

ruleTester(rule, {
  valid: [
    {
      name: 'jsonc with the flag',
      files: jsonc('{\n  "main": "src/entry.py",\n  "compatibility_date": "2025-11-01",\n  "compatibility_flags": ["python_workers"]\n}\n'),
      target: 'wrangler.jsonc',
    },
    {
      name: 'toml with the flag',
      files: toml('main = "src/entry.py"\ncompatibility_date = "2025-11-01"\ncompatibility_flags = ["python_workers"]\n'),
      target: 'wrangler.toml',
    },
    {
      name: 'json with the flag',
      files: { 'wrangler.json': '{\n  "main": "src/entry.py",\n  "compatibility_date": "2025-11-01",\n  "compatibility_flags": ["python_workers"]\n}\n', 'src/entry.py': ENTRY },
      target: 'wrangler.json',
    },
    {
      name: 'a JavaScript Worker needs no Python flag',
      files: { 'wrangler.jsonc': '{\n  "main": "src/index.js",\n  "compatibility_date": "2025-11-01"\n}\n', 'src/index.js': 'export default {}\n' },
      target: 'wrangler.jsonc',
    },
    {
      name: 'an environment without its own flags inherits them',
      files: toml('main = "src/entry.py"\ncompatibility_date = "2025-11-01"\ncompatibility_flags = ["python_workers"]\n\n[env.staging]\nname = "w-staging"\n'),
      target: 'wrangler.toml',
    },
    {
      name: 'Workflow on a date that implies python_workflows',
      files: jsonc(
        '{\n  "main": "src/entry.py",\n  "compatibility_date": "2025-09-20",\n  "compatibility_flags": ["python_workers"],\n  "workflows": [{ "name": "digest", "binding": "DIGEST", "class_name": "DigestWorkflow" }]\n}\n',
        WORKFLOW,
      ),
      target: 'wrangler.jsonc',
    },
    {
      name: 'Workflow before 2025-09-20 with the explicit flag',
      files: toml(
        'main = "src/entry.py"\ncompatibility_date = "2025-06-01"\ncompatibility_flags = ["python_workers", "python_workflows"]\n\n[[workflows]]\nname = "digest"\nbinding = "DIGEST"\nclass_name = "DigestWorkflow"\n',
        WORKFLOW,
      ),
      target: 'wrangler.toml',
    },
    {
      name: 'Workflow binding to a class of another Worker (script_name)',
      files: jsonc(
        '{\n  "name": "front",\n  "main": "src/entry.py",\n  "compatibility_date": "2025-06-01",\n  "compatibility_flags": ["python_workers"],\n  "workflows": [{ "name": "digest", "binding": "DIGEST", "class_name": "DigestWorkflow", "script_name": "digest-worker" }]\n}\n',
      ),
      target: 'wrangler.jsonc',
    },
    {
      name: 'class_name names a class that is not a WorkflowEntrypoint',
      files: jsonc(
        '{\n  "main": "src/entry.py",\n  "compatibility_date": "2025-06-01",\n  "compatibility_flags": ["python_workers"],\n  "workflows": [{ "name": "digest", "binding": "DIGEST", "class_name": "Default" }]\n}\n',
      ),
      target: 'wrangler.jsonc',
    },
  ],
  invalid: [
    {
      name: 'jsonc: flag missing from a one-line list, comments kept',
      files: jsonc(
        '{\n  // a Python Worker\n  "main": "src/entry.py",\n  "compatibility_date": "2025-11-01",\n  "compatibility_flags": ["nodejs_compat"], // node APIs\n}\n',
      ),
      target: 'wrangler.jsonc',
      errors: [{ line: 5, column: 3, endColumn: 24, message: /lack `python_workers`/ }],
      output:
        '{\n  // a Python Worker\n  "main": "src/entry.py",\n  "compatibility_date": "2025-11-01",\n  "compatibility_flags": ["nodejs_compat", "python_workers"], // node APIs\n}\n',
    },
    {
      name: 'toml: no compatibility_flags at all, reported at main',
      files: toml('# link previews\nname = "w"\nmain = "src/entry.py" # entry\ncompatibility_date = "2025-03-10"\n\n[vars]\nA = "1"\n'),
      target: 'wrangler.toml',
      errors: [{ line: 3, column: 1, endColumn: 5 }],
      output: '# link previews\nname = "w"\nmain = "src/entry.py" # entry\ncompatibility_date = "2025-03-10"\ncompatibility_flags = ["python_workers"]\n\n[vars]\nA = "1"\n',
    },
    {
      name: 'json: multi-line list keeps its layout',
      files: {
        'wrangler.json': '{\n  "main": "src/entry.py",\n  "compatibility_date": "2025-11-01",\n  "compatibility_flags": [\n    "nodejs_compat"\n  ]\n}\n',
        'src/entry.py': ENTRY,
      },
      target: 'wrangler.json',
      errors: [{ line: 4, column: 3 }],
      output: '{\n  "main": "src/entry.py",\n  "compatibility_date": "2025-11-01",\n  "compatibility_flags": [\n    "nodejs_compat",\n    "python_workers"\n  ]\n}\n',
    },
    {
      name: 'jsonc: an environment with its own flags',
      files: jsonc(
        '{\n  "main": "src/entry.py",\n  "compatibility_date": "2025-11-01",\n  "compatibility_flags": ["python_workers"],\n  "env": {\n    "staging": {\n      "compatibility_flags": [], // reset\n    },\n  },\n}\n',
      ),
      target: 'wrangler.jsonc',
      errors: [{ line: 7, column: 7, message: /`env.staging` `compatibility_flags` lack/ }],
      output:
        '{\n  "main": "src/entry.py",\n  "compatibility_date": "2025-11-01",\n  "compatibility_flags": ["python_workers"],\n  "env": {\n    "staging": {\n      "compatibility_flags": ["python_workers"], // reset\n    },\n  },\n}\n',
    },
    {
      name: 'toml: [env.production] with its own flags',
      files: toml(
        'main = "src/entry.py"\ncompatibility_date = "2025-11-01"\ncompatibility_flags = ["python_workers"]\n\n[env.production]\ncompatibility_flags = ["nodejs_compat"] # prod only\n',
      ),
      target: 'wrangler.toml',
      errors: [{ line: 6, column: 1 }],
      output:
        'main = "src/entry.py"\ncompatibility_date = "2025-11-01"\ncompatibility_flags = ["python_workers"]\n\n[env.production]\ncompatibility_flags = ["nodejs_compat", "python_workers"] # prod only\n',
    },
    {
      name: 'jsonc: Python Workflow before 2025-09-20',
      files: jsonc(
        '{\n  "main": "src/entry.py",\n  // bumped from 2025-04-02\n  "compatibility_date": "2025-09-01",\n  "compatibility_flags": ["python_workers"],\n  "workflows": [\n    { "name": "digest", "binding": "DIGEST", "class_name": "DigestWorkflow" }\n  ]\n}\n',
        WORKFLOW,
      ),
      target: 'wrangler.jsonc',
      errors: [{ line: 5, column: 3, message: /`DigestWorkflow` is a Python Workflow.*2025-09-01.*python_workflows/ }],
      output:
        '{\n  "main": "src/entry.py",\n  // bumped from 2025-04-02\n  "compatibility_date": "2025-09-01",\n  "compatibility_flags": ["python_workers", "python_workflows"],\n  "workflows": [\n    { "name": "digest", "binding": "DIGEST", "class_name": "DigestWorkflow" }\n  ]\n}\n',
    },
    {
      name: 'toml: [[workflows]] whose class comes from another module through a local base class',
      files: {
        'wrangler.toml':
          'main = "src/entry.py"\ncompatibility_date = "2025-06-01"\ncompatibility_flags = [\n  "python_workers", # required\n]\n\n[[workflows]]\nname = "digest"\nbinding = "DIGEST"\nclass_name = "NightlyDigest"\n',
        'src/entry.py': 'from workers import WorkerEntrypoint\nfrom flows.digest import NightlyDigest\n\nclass Default(WorkerEntrypoint):\n    pass\n',
        'src/flows/digest.py': 'from workers import WorkflowEntrypoint as WE\n\nclass Base(WE):\n    pass\n\nclass NightlyDigest(Base):\n    async def run(self, event, step):\n        pass\n',
      },
      target: 'wrangler.toml',
      errors: [{ line: 3, column: 1, message: /`NightlyDigest`/ }],
      output:
        'main = "src/entry.py"\ncompatibility_date = "2025-06-01"\ncompatibility_flags = [\n  "python_workers", # required\n  "python_workflows",\n]\n\n[[workflows]]\nname = "digest"\nbinding = "DIGEST"\nclass_name = "NightlyDigest"\n',
    },
    {
      name: 'an environment on an older date inherits the top-level flags',
      files: toml(
        'main = "src/entry.py"\ncompatibility_date = "2025-11-01"\ncompatibility_flags = ["python_workers"]\n\n[env.legacy]\ncompatibility_date = "2025-05-01"\n\n[[env.legacy.workflows]]\nname = "digest"\nbinding = "DIGEST"\nclass_name = "DigestWorkflow"\n',
        WORKFLOW,
      ),
      target: 'wrangler.toml',
      errors: [{ line: 3, column: 1, message: /2025-05-01/ }],
      output:
        'main = "src/entry.py"\ncompatibility_date = "2025-11-01"\ncompatibility_flags = ["python_workers", "python_workflows"]\n\n[env.legacy]\ncompatibility_date = "2025-05-01"\n\n[[env.legacy.workflows]]\nname = "digest"\nbinding = "DIGEST"\nclass_name = "DigestWorkflow"\n',
    },
    {
      name: 'Workflows switched off explicitly: unsafe fix removes the opt-out',
      files: jsonc(
        '{\n  "main": "src/entry.py",\n  "compatibility_date": "2025-11-01",\n  "compatibility_flags": ["python_workers", "disable_python_workflows"],\n  "workflows": [{ "name": "digest", "binding": "DIGEST", "class_name": "DigestWorkflow" }]\n}\n',
        WORKFLOW,
      ),
      target: 'wrangler.jsonc',
      errors: [{ line: 4, column: 45, message: /switches Python Workflows off/ }],
      output:
        '{\n  "main": "src/entry.py",\n  "compatibility_date": "2025-11-01",\n  "compatibility_flags": ["python_workers"],\n  "workflows": [{ "name": "digest", "binding": "DIGEST", "class_name": "DigestWorkflow" }]\n}\n',
    },
    {
      name: 'Python files not available (config-only change): a Python Worker\'s class is a Python class',
      files: {
        'wrangler.jsonc':
          '{\n  "main": "src/entry.py",\n  "compatibility_date": "2025-09-01",\n  "compatibility_flags": ["python_workers"],\n  "workflows": [{ "name": "digest", "binding": "DIGEST", "class_name": "DigestWorkflow" }]\n}\n',
      },
      target: 'wrangler.jsonc',
      errors: [{ line: 4, column: 3 }],
      output:
        '{\n  "main": "src/entry.py",\n  "compatibility_date": "2025-09-01",\n  "compatibility_flags": ["python_workers", "python_workflows"],\n  "workflows": [{ "name": "digest", "binding": "DIGEST", "class_name": "DigestWorkflow" }]\n}\n',
    },
    {
      name: 'misspelt python_workers is corrected in place (agrees with PW023)',
      files: toml('main = "src/entry.py"\ncompatibility_date = "2025-11-01"\ncompatibility_flags = ["python_worker"] # typo\n'),
      target: 'wrangler.toml',
      errors: [{ line: 3, column: 24, endColumn: 39, message: /`python_worker` is not a flag/ }],
      output: 'main = "src/entry.py"\ncompatibility_date = "2025-11-01"\ncompatibility_flags = ["python_workers"] # typo\n',
    },
    {
      name: 'misspelt python_workflows on an old date',
      files: jsonc(
        '{\n  "main": "src/entry.py",\n  "compatibility_date": "2025-08-01",\n  "compatibility_flags": ["python_workers", "python_workflow"],\n  "workflows": [{ "name": "digest", "binding": "DIGEST", "class_name": "DigestWorkflow" }]\n}\n',
        WORKFLOW,
      ),
      target: 'wrangler.jsonc',
      errors: [{ line: 4, column: 45, message: /`python_workflow` is not a flag/ }],
      output:
        '{\n  "main": "src/entry.py",\n  "compatibility_date": "2025-08-01",\n  "compatibility_flags": ["python_workers", "python_workflows"],\n  "workflows": [{ "name": "digest", "binding": "DIGEST", "class_name": "DigestWorkflow" }]\n}\n',
    },
    {
      name: 'compatibility_flags written as a string: reported, no fix to offer',
      files: toml('main = "src/entry.py"\ncompatibility_date = "2025-11-01"\ncompatibility_flags = "python_workers"\n'),
      target: 'wrangler.toml',
      errors: [{ line: 3, column: 1, message: /lack `python_workers`/ }],
      output: null,
    },
    {
      name: 'both flags missing: both fixes land, one after the other',
      files: toml('main = "src/entry.py"\ncompatibility_date = "2025-09-01"\n\n[[workflows]]\nname = "digest"\nbinding = "DIGEST"\nclass_name = "DigestWorkflow"\n', WORKFLOW),
      target: 'wrangler.toml',
      errors: [
        { line: 1, column: 1, message: /python_workers/ },
        { line: 2, column: 1, message: /python_workflows/ },
      ],
      output:
        'main = "src/entry.py"\ncompatibility_date = "2025-09-01"\ncompatibility_flags = ["python_workers", "python_workflows"]\n\n[[workflows]]\nname = "digest"\nbinding = "DIGEST"\nclass_name = "DigestWorkflow"\n',
    },
  ],
});
