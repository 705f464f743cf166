import type { PythonContext, Rule } from '../src/engine/rule.js';
import type { SyntaxNode } from '../src/engine/python.js';
import { mayContinueToCall } from './lib/d1.js';
import { executionTime } from './lib/js-values.js';

/** Positional and keyword arguments of a call, comments left out. */
function argumentsOf(call: SyntaxNode): SyntaxNode[] {
  return (call.childForFieldName('arguments')?.namedChildren ?? []).filter((a) => a.type !== 'comment');
}

/** True when a call passes something other than nothing/None as its seed (first argument or `seed=`/`x=`). */
function seeded(call: SyntaxNode, keyword: string): boolean {
  const args = argumentsOf(call);
  const seed = args.find((a) => a.type !== 'keyword_argument') ?? args.find((a) => a.childForFieldName('name')?.text === keyword)?.childForFieldName('value');
  return seed != null && seed.type !== 'none';
}

function hasKeyword(call: SyntaxNode, name: string): boolean {
  return argumentsOf(call).some((a) => a.type === 'keyword_argument' && a.childForFieldName('name')?.text === name);
}

/**
 * Why a call draws entropy while the Worker starts, or null when it does not. Based on the runtime's
 * startup patches (workerd `topLevelEntropy`): `os.urandom` raises, every `random` function except
 * the `Random` and `SystemRandom` constructors raises, and so does `numpy.random` except `default_rng`.
 */
function entropyUse(qualified: string, call: SyntaxNode): string | null {
  const [module, ...rest] = qualified.split('.');
  const member = rest.join('.');
  switch (module) {
    case 'random':
      if (member === 'Random') return seeded(call, 'x') ? null : 'seeds itself from the OS';
      if (member === 'SystemRandom') return null; // constructing one is allowed; its methods are not
      return member ? 'uses the random generator' : null;
    case 'secrets':
      return member && member !== 'compare_digest' && member !== 'SystemRandom' ? 'reads OS randomness' : null;
    case 'os':
      return member === 'urandom' || member === 'getrandom' ? 'reads OS randomness' : null;
    case 'uuid':
      if (member === 'uuid4') return 'reads OS randomness';
      // uuid1 draws a random clock sequence (and, without a MAC address, a random node) unless both are given.
      if (member === 'uuid1') return argumentsOf(call).length >= 2 || (hasKeyword(call, 'node') && hasKeyword(call, 'clock_seq')) ? null : 'draws a random clock sequence';
      return null;
    case 'numpy':
      if (!member.startsWith('random.')) return null;
      if (member === 'random.default_rng') return seeded(call, 'seed') ? null : 'seeds itself from the OS';
      return 'uses the random generator';
    default:
      return null;
  }
}

/** What a call is and why it draws entropy, seeing through `random.SystemRandom().choice(...)`; null when it does not. */
function entropyCall(ctx: PythonContext, call: SyntaxNode): { name: string; why: string } | null {
  const fn = call.childForFieldName('function');
  if (!fn) return null;
  const qualified = ctx.resolve(fn);
  if (qualified) {
    const why = entropyUse(qualified, call);
    return why ? { name: qualified, why } : null;
  }
  // Building a SystemRandom is allowed at startup; calling its methods is not. (An unseeded
  // random.Random() is reported at its own call.)
  if (fn.type !== 'attribute') return null;
  const inner = fn.childForFieldName('object');
  const method = fn.childForFieldName('attribute')?.text;
  const ctor = inner?.type === 'call' ? inner.childForFieldName('function') : null;
  const ctorName = ctor ? ctx.resolve(ctor) : null;
  if (!inner || !method || !ctorName) return null;
  return ctorName === 'random.SystemRandom' || ctorName === 'secrets.SystemRandom' ? { name: `${ctorName}().${method}`, why: 'reads OS randomness' } : null;
}

export const rule: Rule = {
  meta: {
    code: 'PW009',
    name: 'entropy-at-import-time',
    gotcha: 9,
    severity: 'error',
    languages: ['python'],
    docs: {
      summary: 'Randomness (`random`, `secrets`, `uuid.uuid4`, `os.urandom`) used while the Worker starts',
      whatItDoes:
        'Reports calls that draw randomness — `random.*` functions, `secrets.*` (but `compare_digest`), `uuid.uuid4()`, `uuid.uuid1()` without both `node` and `clock_seq`, `os.urandom()`, `random.Random()` without a seed, methods of a `SystemRandom()` built in the same expression, and `numpy.random.*` — when they run at import time: at module level, in class bodies, in default argument values and in decorator arguments. Names are resolved through imports (`from random import choice as pick`). Code inside function and lambda bodies, and under `if __name__ == "__main__":`, is left alone.',
      whyItBreaks:
        'The Python runtime loads the Worker once and snapshots its memory; anything random computed then would be the same in every instance. So while the Worker starts, `os.urandom` raises `OSError` ("Randomness is not allowed while a Worker is starting") and calls into `random` raise `RuntimeError` ("Cannot use random.… outside of request context"): the deploy or the start fails.',
      whenItHolds:
        'Always, on every runtime and compatibility date. A seeded `random.Random(42)` or `numpy.random.default_rng(42)`, and constructing `random.SystemRandom()`, are allowed at startup and are not reported; `uuid.uuid3`/`uuid5` are deterministic. Calls inside functions that module-level code happens to call are not followed.',
      example:
        'import secrets\nimport uuid\n\nBUILD_ID = uuid.uuid4().hex[:8]\n\ndef make_order_id(prefix, entropy=secrets.token_hex(4)):\n    return f"{prefix}_{entropy}"',
      useInstead:
        'import secrets\nimport uuid\n\ndef build_id():\n    return uuid.uuid4().hex[:8]  # called while handling a request\n\ndef make_order_id(prefix, entropy=None):\n    if entropy is None:\n        entropy = secrets.token_hex(4)\n    return f"{prefix}_{entropy}"',
      fixSafety:
        'No automatic fix: moving the call into the handler changes when, and how often, the value is made (once per process becomes once per request or per call), which only the author can decide.',
      references: [
        { title: 'Cloudflare: How Python Workers work (memory snapshots)', url: 'https://developers.cloudflare.com/workers/languages/python/how-python-workers-work/' },
        { title: 'workerd: startup entropy patches for Python Workers', url: 'https://github.com/cloudflare/workerd/tree/main/src/pyodide/internal/topLevelEntropy' },
      ],
    },
  },
  triggers: ['random', 'secrets', 'uuid', 'os', 'numpy'],
  // A call the rule reports has a callee that resolves through an import, so its callee holds a
  // hit followed by `.` or `(` (`random.choice(`, `np.random.rand(`, `pick(`); other hits
  // (`import random as rnd`, `f(os, x)`) can be dropped.
  triggerHit: (ctx, _word, _start, end) => mayContinueToCall(ctx.text, end),
  python(ctx) {
    return {
      call(node) {
        const use = entropyCall(ctx, node);
        if (!use || executionTime(node) !== 'import') return;
        ctx.reportNode(
          node,
          `\`${use.name}()\` ${use.why} at import time, which every runtime refuses while the Worker starts (deploy fails): call it inside the handler`,
        );
      },
    };
  },
};
