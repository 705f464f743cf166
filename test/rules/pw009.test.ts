import { rule } from '../../rules/pw009-entropy-at-import-time.js';
import { ruleTester, type Profile } from '../helpers/rule-tester.js';

const PY312: Profile = { date: '2025-03-10' };
const PY313: Profile = { date: '2025-11-01' };
const PY314: Profile = { date: '2025-11-01', flags: ['python_workers_20260610'] };

ruleTester(rule, {
  valid: [
    {
      name: 'inside the handler',
      profile: PY313,
      code: 'import random\nimport secrets\nimport uuid\nfrom workers import WorkerEntrypoint\n\nclass Default(WorkerEntrypoint):\n    async def fetch(self, request):\n        random.seed(42)\n        token = secrets.token_hex(16)\n        return uuid.uuid4()\n',
    },
    { name: 'a module-level lambda runs later', profile: PY312, code: 'import random\n\npick = lambda items: random.choice(items)\n' },
    {
      name: 'seeded generators, SystemRandom construction, deterministic uuids, compare_digest',
      profile: PY313,
      code: 'import random\nimport secrets\nimport uuid\n\nRNG = random.Random(42)\nSYS = random.SystemRandom()\nNS = uuid.uuid5(uuid.NAMESPACE_URL, "https://example.com")\nSAME = secrets.compare_digest("a", "b")\nFIXED = uuid.uuid1(node=1, clock_seq=2)\n',
    },
    { name: 'names in strings and comments', profile: PY313, code: '# random.random() at import time fails\nHELP = "do not call uuid.uuid4() or os.urandom(8) here"\n' },
    { name: 'a local name that is not the random module', profile: PY313, code: 'from myapp import dice as random\n\nROLL = random.roll()\n' },
    { name: 'script entry point never runs in a Worker', profile: PY313, code: 'import uuid\n\nif __name__ == "__main__":\n    print(uuid.uuid4())\n' },
    { name: 'os functions without randomness', profile: PY313, code: 'import os\n\nMODE = os.environ.get("MODE", "dev")\nHERE = os.path.dirname(__file__)\n' },
    { name: 'plain Python outside any Worker is not checked', profile: { noWorker: true }, code: 'import uuid\n\nID = uuid.uuid4()\n' },
  ],
  invalid: [
    {
      name: 'callee split over lines inside brackets, and names that are not called',
      profile: PY313,
      code: 'import random\nimport os as system\n\nVALUE = (random\n    .random())\nmodules = [random, system]\nKEY = (system.\n    urandom(8))\n',
      errors: [{ line: 4, column: 10, endLine: 5, endColumn: 14 }, { line: 7, column: 8, endLine: 8, endColumn: 15, message: /`os\.urandom\(\)` reads OS randomness/ }],
      output: null,
    },
    {
      name: 'aliased from-import at module level (Python 3.12)',
      profile: PY312,
      code: 'from random import choice as pick\n\nCOLOR = pick(["red", "blue"])\n',
      errors: [{ line: 3, column: 9, endColumn: 30, message: /`random\.choice\(\)` uses the random generator at import time/ }],
      output: null,
    },
    {
      name: 'class body and default argument value (Python 3.13)',
      profile: PY313,
      code: 'import os\nimport secrets\n\nclass Default:\n    SALT = os.urandom(8).hex()\n\n    def make_id(self, prefix, entropy=secrets.token_hex(4)):\n        return prefix + entropy\n',
      errors: [
        { line: 5, column: 12, endColumn: 25, message: /`os\.urandom\(\)` reads OS randomness/ },
        { line: 7, column: 39, message: /`secrets\.token_hex\(\)`/ },
      ],
      output: null,
    },
    {
      name: 'decorator argument and f-string at module level (Python 3.14)',
      profile: PY314,
      code: 'import random\nimport uuid\n\nTAG = f"w-{uuid.uuid4().hex[:8]}"\n\n@cache(ttl=random.randint(60, 120))\ndef lookup(key):\n    return key\n',
      errors: [{ line: 4, column: 12 }, { line: 6, column: 12 }],
      output: null,
    },
    {
      name: 'unseeded Random, uuid1 and a SystemRandom method',
      profile: PY313,
      code: 'import random\nimport uuid\n\nRNG = random.Random()\nNODE_ID = uuid.uuid1()\nKEY = random.SystemRandom().getrandbits(64)\n',
      errors: [
        { line: 4, column: 7, message: /seeds itself from the OS/ },
        { line: 5, column: 11, message: /draws a random clock sequence/ },
        { line: 6, column: 7, message: /`random\.SystemRandom\(\)\.getrandbits\(\)` reads OS randomness/ },
      ],
      output: null,
    },
    {
      name: 'unknown runtime: still an error (holds everywhere)',
      profile: { noWorker: true },
      code: 'import js\nimport secrets\n\nTOKEN = secrets.token_urlsafe()\n',
      errors: [{ line: 4, column: 9, severity: 'error' }],
      output: null,
    },
    {
      name: 'numpy.random through an alias, unseeded default_rng',
      profile: PY313,
      code: 'import numpy as np\n\nNOISE = np.random.rand(4)\nGEN = np.random.default_rng()\nOK = np.random.default_rng(7)\n',
      errors: [{ line: 3, column: 9 }, { line: 4, column: 7, message: /seeds itself/ }],
      output: null,
    },
  ],
});
