import type { PythonContext, Rule } from '../src/engine/rule.js';
import type { SyntaxNode } from '../src/engine/python.js';
import type { OffsetFix } from '../src/engine/types.js';
import { detectEol } from '../src/engine/text.js';
import { enclosingFunction } from '../src/engine/python.js';
import { charAfter, ensureFromImport, headIs, importedModuleNames, readsTextFirst, tokenBefore } from './lib/python-edits.js';

const VERBS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'];

/** Sync clients that work since the Python 3.13 runtime (cloudflare/python-workers-examples 16-sync-http-clients). */
const BROKEN_ON_312 = new Set([
  ...[...VERBS, 'request', 'Session', 'session'].map((m) => `requests.${m}`),
  ...[...VERBS, 'request'].map((m) => `requests.api.${m}`),
  'requests.sessions.Session',
  ...['request', 'PoolManager', 'ProxyManager', 'HTTPConnectionPool', 'HTTPSConnectionPool', 'connection_from_url', 'proxy_from_url'].map((m) => `urllib3.${m}`),
  'urllib3.poolmanager.PoolManager',
  ...[...VERBS, 'request', 'stream', 'Client'].map((m) => `httpx.${m}`),
]);

/** Standard-library clients that open raw sockets, which only the Python 3.14 runtime provides. */
const NEEDS_SOCKETS = new Set([
  'urllib.request.urlopen',
  'urllib.request.urlretrieve',
  'urllib.request.build_opener',
  'http.client.HTTPConnection',
  'http.client.HTTPSConnection',
]);

/** The last names of everything reported (`get`, `urlopen`…), for the textual pre-check. */
const LAST_NAMES = new Set([...BROKEN_ON_312, ...NEEDS_SOCKETS].map((q) => q.slice(q.lastIndexOf('.') + 1)));

/** Every qualified name the rule reports, on one runtime or another. */
const REPORTED = [...BROKEN_ON_312, ...NEEDS_SOCKETS];

/** Every name a reported one is, or lies inside (`urllib`, `urllib.request`, `urllib.request.urlopen`). */
const REPORTED_PREFIXES = new Set(REPORTED.flatMap((q) => q.split('.').map((_, i, parts) => parts.slice(0, i + 1).join('.'))));

/**
 * Whether `from module import x` can bind a name the runner makes a trigger: one that is, lies
 * inside or leads to a reported name (triggerModules). `from urllib.parse import urlparse`, in
 * most Worker files, cannot.
 */
function fromModuleMatters(module: string): boolean {
  return REPORTED_PREFIXES.has(module) || REPORTED_WITH_DOT.some((q) => module.startsWith(q));
}

const REPORTED_WITH_DOT = REPORTED.map((q) => `${q}.`);

/** A callee written as a dotted name on one line, then `(`, read from a call's start. */
const CALLEE = /([A-Za-z_][A-Za-z0-9_]*(?:[ \t]*\.[ \t]*[A-Za-z_][A-Za-z0-9_]*)*)[ \t]*\(/y;

/** Keyword arguments that mean the same to `requests.<verb>` and `httpx.AsyncClient.<verb>`. */
const SAME_KEYWORDS = new Set(['params', 'headers', 'json', 'timeout', 'cookies']);

/**
 * Guidance for `resp = requests.get(url, …)` directly in an `async def`: the same request through
 * `httpx.AsyncClient`, closed once the body is read. Shown, never applied: it needs httpx among the
 * Worker's packages, and redirects, timeouts and exceptions differ in detail.
 */
function asyncClientSketch(ctx: PythonContext, call: SyntaxNode, qualified: string): OffsetFix | undefined {
  const verb = qualified.slice('requests.'.length);
  if (!VERBS.includes(verb) || call.startPosition.row !== call.endPosition.row) return undefined;
  const fn = enclosingFunction(call);
  if (fn?.type !== 'function_definition' || !fn.text.startsWith('async')) return undefined;
  const args = call.childForFieldName('arguments')?.namedChildren ?? [];
  if (args.length === 0 || args[0].type === 'keyword_argument') return undefined;
  for (const a of args) {
    if (a.type === 'list_splat' || a.type === 'dictionary_splat' || a.type === 'comment') return undefined;
    if (a.type === 'keyword_argument' && !SAME_KEYWORDS.has(a.childForFieldName('name')?.text ?? '')) return undefined;
  }
  let expr: SyntaxNode = call;
  let target = '';
  if (expr.parent?.type === 'assignment' && expr.parent.childForFieldName('left')?.type === 'identifier') {
    target = `${expr.parent.childForFieldName('left')!.text} = `;
    expr = expr.parent;
  }
  const stmt = expr.parent;
  if (stmt?.type !== 'expression_statement' || stmt.namedChildren.length !== 1) return undefined;

  const client = ['client', 'http_client', 'async_client'].find((n) => ctx.source.findIdentifiers(new Set([n])).length === 0);
  if (!client) return undefined;
  const httpx = ctx.source.binding('httpx', call)?.qualified === 'httpx';
  const ctor = httpx ? 'httpx.AsyncClient' : 'AsyncClient';
  if (!httpx && ctx.source.binding('AsyncClient', call)?.qualified !== 'httpx.AsyncClient' && ctx.source.findIdentifiers(new Set(['AsyncClient'])).length > 0) return undefined;
  const imports = httpx ? [] : ensureFromImport(ctx.source, 'httpx', 'AsyncClient');

  const eol = detectEol(ctx.text);
  const indent = ' '.repeat(stmt.startPosition.column);
  // requests follows redirects except for HEAD; httpx follows none unless asked.
  const options = verb === 'head' ? '' : 'follow_redirects=True';
  const argsText = call.childForFieldName('arguments')!.text;
  const text = `async with ${ctor}(${options}) as ${client}:${eol}${indent}    ${target}await ${client}.${verb}${argsText}`;
  return {
    applicability: 'display',
    description: `Make the request with \`${ctor}\` (add httpx to the Worker's packages)`,
    edits: [{ start: stmt.startIndex, end: stmt.endIndex, text }, ...imports],
  };
}

const WORDS_312 = ['requests', 'urllib3', 'httpx', 'urllib', 'http'];
const WORDS_313 = ['urllib', 'http'];

export const rule: Rule = {
  meta: {
    code: 'PW003',
    name: 'sync-http-client',
    gotcha: 3,
    severity: 'error',
    languages: ['python'],
    fixable: 'display',
    appliesTo: (p) => p.python === '3.12' || p.python === '3.13',
    docs: {
      summary: 'Blocking HTTP clients on runtimes that cannot run them',
      whatItDoes:
        'Reports calls, resolved through imports, that make blocking HTTP requests where the runtime cannot serve them: `requests` (`get`, `post`, …, `request`, `Session`), `urllib3` (`request`, `PoolManager`, connection pools) and `httpx` (`Client` and the module-level `get`, `post`, …, `stream`) on the Python 3.12 runtime; `urllib.request.urlopen`/`urlretrieve`/`build_opener` and `http.client.HTTPConnection`/`HTTPSConnection` on the 3.12 and 3.13 runtimes. Importing a module without calling it is not reported; `httpx.AsyncClient`, `aiohttp` and `js.fetch` never are.',
      whyItBreaks:
        'These clients block until the response arrives. On the Python 3.12 runtime (Pyodide 0.26) there is nothing under them that can make a request synchronously, so the call fails. The 3.13 runtime runs `requests`, `urllib3` and `httpx.Client` over `fetch`, but the standard library\'s `urllib.request` and `http.client` still open raw sockets, which only the 3.14 runtime provides.',
      whenItHolds:
        '`requests`, `urllib3`, `httpx.Client` and module-level `httpx` calls: Python 3.12 runtime only, i.e. compatibility_date before 2025-09-29 without `python_workers_20250116` (or with it switched off). `urllib.request` and `http.client`: Python 3.12 and 3.13 runtimes, i.e. without `python_workers_20260610`. Silent on the 3.14 runtime, and skipped when the runtime profile is unknown.',
      example: 'import requests\n\nclass Default(WorkerEntrypoint):\n    async def fetch(self, request):\n        page = requests.get("https://example.com", timeout=5)\n        return Response(page.text)',
      useInstead:
        'import httpx\n\nclass Default(WorkerEntrypoint):\n    async def fetch(self, request):\n        async with httpx.AsyncClient(follow_redirects=True) as client:\n            page = await client.get("https://example.com", timeout=5)\n        return Response(page.text)\n\n# or raise compatibility_date to 2025-09-29 or later (Python 3.13), where requests works',
      fixSafety:
        'Display only. For `resp = requests.<verb>(url, …)` directly inside an `async def`, with keyword arguments httpx reads the same way (`params`, `headers`, `json`, `timeout`, `cookies`), the finding shows the same request through `httpx.AsyncClient` (following redirects as requests does). It is never applied: httpx must be added to the Worker\'s packages, its default timeout and its exceptions differ from requests\', and code reading the response may need review. Everything else gets guidance in the message: use an async client, or move to a runtime that supports the client.',
      references: [
        { title: 'Cloudflare: Python Workers packages (HTTP client libraries)', url: 'https://developers.cloudflare.com/workers/languages/python/packages/' },
        { title: 'cloudflare/python-workers-examples: 16-sync-http-clients', url: 'https://github.com/cloudflare/python-workers-examples/tree/main/16-sync-http-clients' },
        { title: 'Cloudflare: Python Workers standard library', url: 'https://developers.cloudflare.com/workers/languages/python/stdlib/' },
        { title: 'HTTPX: Async support', url: 'https://www.python-httpx.org/async/' },
      ],
    },
  },
  triggers: ['requests', 'urllib3', 'httpx', 'urllib', 'http'],
  // A reported call is at most 3 above a trigger (`urllib.request.urlopen(…)`).
  triggerDepth: 3,
  // Aliases of what the rule reports only: `urlparse` from urllib.parse is no trigger.
  triggerModules: REPORTED,
  // On 3.13 only the socket clients (urllib.request, http.client) are reported.
  // And only the words an import of the file starts with: a call resolves to a reported name only
  // through an import whose module starts with the word (`import requests`, `from http.client
  // import HTTPConnection`), whatever alias it binds.
  triggersFor(ctx) {
    const words = ctx.profile.python === '3.12' ? WORDS_312 : WORDS_313;
    if (!readsTextFirst(ctx.source)) return words;
    const { fromModules, heads } = importedModuleNames(ctx.source);
    const out: string[] = [];
    for (const w of words) {
      if (heads.imported.has(w)) out.push(w);
      else if (heads.from.has(w)) {
        for (const m of fromModules) {
          if (headIs(m, w) && fromModuleMatters(m)) {
            out.push(w);
            break;
          }
        }
      }
    }
    return out;
  },
  // A reported call has a hit as its callee's head (`requests.get(…)`, `urlopen(…)`): the next
  // token is `.` or `(`. A word right after `import` is never in a call (one after `from` may be:
  // `yield from requests.get(…)`).
  triggerHit(ctx, _word, start, end) {
    if (!readsTextFirst(ctx.source)) return true;
    const next = charAfter(ctx.source, end);
    if (next !== null && next !== '.' && next !== '(') return false;
    return tokenBefore(ctx.source, start) !== 'import';
  },
  python(ctx) {
    const python = ctx.profile.python;
    // On 3.13 the sync clients built on fetch work too.
    const alternatives = python === '3.13' ? '`requests`, `httpx` or `js.fetch`' : '`httpx.AsyncClient`, `aiohttp` or `js.fetch`';
    const text = ctx.text;
    let aliases: Set<string> | null = null;
    return {
      call(node) {
        // A callee written as a dotted name shows in the text: it can resolve to a reported client
        // only if its last name is one (`requests.get`), or it is a name imported as one. Anything
        // the pattern does not read (comments, line breaks) goes to the tree.
        CALLEE.lastIndex = node.startIndex;
        const callee = CALLEE.exec(text);
        if (callee) {
          const segments = callee[1].split('.');
          if (segments.length > 1 && !LAST_NAMES.has(segments[segments.length - 1].trim())) return;
          if (segments.length === 1) {
            aliases ??= new Set(ctx.source.imports().filter((b) => BROKEN_ON_312.has(b.qualified) || NEEDS_SOCKETS.has(b.qualified)).map((b) => b.local));
            if (!aliases.has(segments[0])) return;
          }
        }
        const fn = node.childForFieldName('function');
        const qualified = fn ? ctx.resolve(fn) : null;
        if (!qualified) return;
        if (python === '3.12' && BROKEN_ON_312.has(qualified)) {
          ctx.reportNode(
            node,
            `\`${qualified}\` makes a blocking HTTP request, which fails on the Python 3.12 runtime: use \`httpx.AsyncClient\`, \`aiohttp\` or \`js.fetch\`, or a compatibility_date from 2025-09-29 (Python 3.13)`,
            qualified.startsWith('requests.') ? asyncClientSketch(ctx, node, qualified) : undefined,
          );
        } else if (NEEDS_SOCKETS.has(qualified)) {
          ctx.reportNode(
            node,
            `\`${qualified}\` opens raw sockets, which only the Python 3.14 runtime provides (this Worker runs Python ${python}): use ${alternatives}`,
          );
        }
      },
    };
  },
};
