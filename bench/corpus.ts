// Deterministic generator of Worker-style Python projects for the benchmarks: WorkerEntrypoint
// classes, D1 queries, queues, KV, fetch calls, aliased imports, dicts, f-strings and
// comprehensions, with the occasional pitfall (about one per few kilobytes, as in real code),
// plus the wrangler configs and pyproject files that make each folder a Worker.
import { Random } from './random.js';

export interface CorpusFile {
  path: string;
  text: string;
}

export interface Corpus {
  /** Python files, 2–20 KB each. */
  python: CorpusFile[];
  /** wrangler.jsonc / wrangler.toml / pyproject.toml of the Workers the Python files live in. */
  configs: CorpusFile[];
  pythonBytes: number;
}

const NOUNS = [
  'order', 'customer', 'invoice', 'feed', 'item', 'user', 'session', 'token', 'event', 'metric',
  'report', 'product', 'cart', 'payment', 'shipment', 'review', 'comment', 'article', 'image', 'job',
  'task', 'webhook', 'tenant', 'coupon', 'subscription', 'digest', 'preview', 'upload', 'note', 'alert',
];
const VERBS = [
  'load', 'store', 'sync', 'build', 'render', 'validate', 'normalize', 'enqueue', 'publish', 'refresh',
  'purge', 'resolve', 'collect', 'merge', 'score', 'summarize', 'archive', 'export', 'index', 'notify',
];
const FIELDS = ['id', 'name', 'email', 'status', 'total', 'created_at', 'updated_at', 'title', 'url', 'count', 'owner', 'kind', 'score', 'region'];
const BINDINGS = { db: ['DB', 'ORDERS_DB', 'ANALYTICS'], kv: ['CACHE', 'SESSIONS', 'FLAGS'], queue: ['JOBS', 'EVENTS', 'OUTBOX'], r2: ['BUCKET', 'ASSETS'] };
const HOSTS = ['api.example.com', 'hooks.slack.com', 'billing.internal', 'search.example.net', 'auth.example.org'];
const DATES = ['2025-03-10', '2025-06-20', '2025-08-20', '2025-09-01', '2025-10-20', '2025-11-20', '2026-01-15', '2026-03-02', '2026-05-01'];

const plural = (noun: string) => (noun.endsWith('y') ? `${noun.slice(0, -1)}ies` : noun.endsWith('s') || noun.endsWith('h') ? `${noun}es` : `${noun}s`);
const camel = (noun: string) => noun[0]!.toUpperCase() + noun.slice(1);

/** Names the module imported, with the local names chosen for them (aliases included). */
interface Vocabulary {
  json: string;
  to_js: string;
  Object: string;
  fetch: string;
  Response: string;
  datetime: string;
  hashlib: string;
  urlparse: string;
  asyncio: string;
  re: string;
  logger: string;
}

interface PitfallImports {
  requests?: string;
  toPy?: boolean;
  js?: boolean;
  random?: string;
  threading?: boolean;
}

/** Everything one module generator needs: randomness, names in scope, and a name counter. */
class ModuleWriter {
  readonly out: string[] = [];
  private used = new Map<string, number>();
  bytes = 0;

  constructor(
    readonly rng: Random,
    readonly v: Vocabulary,
    readonly pitfalls: PitfallImports,
    readonly pitfallRate: number,
  ) {}

  push(block: string): void {
    this.out.push(block);
    this.bytes += block.length + 2;
  }

  /** A fresh function name, e.g. `load_orders` then `load_orders_2`. */
  name(base: string): string {
    const n = (this.used.get(base) ?? 0) + 1;
    this.used.set(base, n);
    return n === 1 ? base : `${base}_${n}`;
  }

  noun(): string {
    return this.rng.pick(NOUNS);
  }

  fields(count: number): string[] {
    return this.rng.sample(FIELDS, count);
  }

  pitfall(): boolean {
    return this.rng.chance(this.pitfallRate);
  }
}

function header(rng: Random, pitfallRate: number): { text: string; v: Vocabulary; pitfalls: PitfallImports } {
  const lines: string[] = [];
  const noun = rng.pick(NOUNS);
  lines.push(`"""${camel(noun)} service: ${rng.pick(VERBS)}s ${plural(noun)} for the ${rng.pick(NOUNS)} API."""`);
  const v: Vocabulary = {
    json: rng.chance(0.15) ? '_json' : 'json',
    to_js: 'to_js',
    Object: 'Object',
    fetch: rng.chance(0.3) ? 'js_fetch' : 'fetch',
    Response: 'Response',
    datetime: rng.chance(0.3) ? 'dt' : 'datetime',
    hashlib: rng.chance(0.2) ? 'hl' : 'hashlib',
    urlparse: rng.chance(0.25) ? 'parse_url' : 'urlparse',
    asyncio: 'asyncio',
    re: 're',
    logger: 'log',
  };
  lines.push(v.json === 'json' ? 'import json' : 'import json as _json');
  lines.push('import asyncio', 'import re');
  lines.push(v.hashlib === 'hashlib' ? 'import hashlib' : 'import hashlib as hl');
  lines.push(v.datetime === 'datetime' ? 'from datetime import datetime, timezone' : 'from datetime import datetime as dt, timezone');
  lines.push(v.urlparse === 'urlparse' ? 'from urllib.parse import urlparse, parse_qs' : 'from urllib.parse import urlparse as parse_url, parse_qs');
  if (rng.chance(0.4)) lines.push('from dataclasses import dataclass, field');
  if (rng.chance(0.3)) lines.push('from typing import Any, Optional');
  lines.push('import logging');
  const pitfalls: PitfallImports = {};
  // Pitfall imports: rare, roughly one module in twenty for each.
  const p = pitfallRate * 2;
  if (rng.chance(p)) {
    pitfalls.requests = rng.pick(['requests', 'r', 'http']);
    lines.push(pitfalls.requests === 'requests' ? 'import requests' : `import requests as ${pitfalls.requests}`);
  }
  if (rng.chance(p)) {
    pitfalls.random = rng.pick(['random', 'rnd']);
    lines.push(pitfalls.random === 'random' ? 'import random' : `import random as ${pitfalls.random}`);
  }
  if (rng.chance(p / 2)) {
    pitfalls.threading = true;
    lines.push('import threading');
  }
  if (rng.chance(p / 2)) {
    pitfalls.js = true;
    lines.push('import js');
  }
  lines.push('');
  lines.push(v.fetch === 'fetch' ? 'from js import Object, fetch' : 'from js import Object, fetch as js_fetch');
  if (rng.chance(p / 2)) {
    pitfalls.toPy = true;
    lines.push('from pyodide.ffi import to_js, to_py');
  } else {
    lines.push('from pyodide.ffi import to_js');
  }
  lines.push('from workers import Response, WorkerEntrypoint');
  if (rng.chance(0.3)) lines.push(`from .${rng.pick(NOUNS)}s import ${rng.pick(VERBS)}_${rng.pick(NOUNS)}`);
  lines.push('', `${v.logger} = logging.getLogger(__name__)`, '');
  return { text: lines.join('\n'), v, pitfalls };
}

function constants(w: ModuleWriter): string {
  const { rng } = w;
  const noun = w.noun();
  const lines = [
    `${noun.toUpperCase()}_TABLE = "${plural(noun)}"`,
    `PAGE_SIZE = ${rng.pick([20, 25, 50, 100])}`,
    `DEFAULT_HEADERS = {`,
    `    "content-type": "application/json",`,
    `    "cache-control": "${rng.pick(['no-store', 'max-age=60', 'private, max-age=0'])}",`,
    `    "x-service": "${noun}-api",`,
    `}`,
    `${noun.toUpperCase()}_ID_RE = ${w.v.re}.compile(r"^${noun.slice(0, 3)}_[0-9a-f]{${rng.pick([8, 12, 16])}}$")`,
  ];
  if (w.pitfalls.random && w.pitfall()) {
    // PW009: seeding or drawing from the PRNG at import time.
    lines.push(`INSTANCE_TAG = f"${noun}-{${w.pitfalls.random}.getrandbits(32):08x}"`);
  }
  return lines.join('\n');
}

function dataclassBlock(w: ModuleWriter): string {
  const noun = w.noun();
  const fields = w.fields(w.rng.int(3, 6));
  const name = w.name(camel(noun));
  const lines = [`class ${name}:`, `    """A ${noun} as the API returns it."""`, '', `    def __init__(self, ${fields.join(', ')}):`];
  for (const f of fields) lines.push(`        self.${f} = ${f}`);
  lines.push('', '    def to_dict(self):', `        return {${fields.map((f) => `"${f}": self.${f}`).join(', ')}}`);
  lines.push('', '    @classmethod', '    def from_row(cls, row):', `        return cls(${fields.map((f) => `row["${f}"]`).join(', ')})`);
  if (w.rng.chance(0.5)) {
    lines.push('', '    def __repr__(self):', `        return f"<${name} ${fields.slice(0, 2).map((f) => `${f}={self.${f}!r}`).join(' ')}>"`);
  }
  return lines.join('\n');
}

function syncHelper(w: ModuleWriter): string {
  const { rng, v } = w;
  const noun = w.noun();
  const fields = w.fields(rng.int(2, 5));
  const kind = rng.int(0, 4);
  if (kind === 0) {
    const fn = w.name(`validate_${noun}`);
    return [
      `def ${fn}(payload):`,
      `    errors = []`,
      ...fields.map((f) => `    if not payload.get("${f}"):\n        errors.append("${f} is required")`),
      `    if "email" in payload and "@" not in str(payload["email"]):`,
      `        errors.append(f"invalid email: {payload['email']!r}")`,
      `    return errors`,
    ].join('\n');
  }
  if (kind === 1) {
    const fn = w.name(`normalize_${plural(noun)}`);
    return [
      `def ${fn}(rows, *, keep=None):`,
      `    keep = set(keep or (${fields.map((f) => `"${f}"`).join(', ')},))`,
      `    cleaned = [`,
      `        {k: (v.strip() if isinstance(v, str) else v) for k, v in row.items() if k in keep}`,
      `        for row in rows`,
      `        if row.get("status") != "deleted"`,
      `    ]`,
      `    by_id = {row["id"]: row for row in cleaned if "id" in row}`,
      `    return sorted(by_id.values(), key=lambda r: r.get("${rng.pick(fields)}") or "")`,
    ].join('\n');
  }
  if (kind === 2) {
    const fn = w.name(`${noun}_cache_key`);
    return [
      `def ${fn}(tenant, ${fields[0]}, version=${rng.int(1, 4)}):`,
      `    raw = f"{tenant}:${noun}:{${fields[0]}}:v{version}"`,
      `    return ${v.hashlib}.sha256(raw.encode()).hexdigest()[:${rng.pick([16, 24, 32])}]`,
    ].join('\n');
  }
  if (kind === 3) {
    const fn = w.name(`parse_${noun}_query`);
    return [
      `def ${fn}(url):`,
      `    parts = ${v.urlparse}(url)`,
      `    params = parse_qs(parts.query)`,
      `    page = int(params.get("page", ["1"])[0])`,
      `    size = min(int(params.get("size", [str(PAGE_SIZE)])[0]), ${rng.pick([100, 200, 500])})`,
      `    filters = {key: values[0] for key, values in params.items() if key not in ("page", "size")}`,
      `    return {"path": parts.path.rstrip("/"), "page": max(page, 1), "size": size, "filters": filters}`,
    ].join('\n');
  }
  const fn = w.name(`summarize_${plural(noun)}`);
  const f = rng.pick(fields);
  return [
    `def ${fn}(items):`,
    `    totals = {}`,
    `    for item in items:`,
    `        key = item.get("${f}", "unknown")`,
    `        totals[key] = totals.get(key, 0) + item.get("total", 0)`,
    `    top = sorted(totals.items(), key=lambda kv: kv[1], reverse=True)[:${rng.int(3, 10)}]`,
    `    stamp = ${v.datetime}.now(timezone.utc).isoformat()`,
    `    return {"generated_at": stamp, "top": [{"${f}": k, "total": t} for k, t in top], "count": len(items)}`,
  ].join('\n');
}

function d1Helper(w: ModuleWriter): string {
  const { rng } = w;
  const noun = w.noun();
  const fields = w.fields(rng.int(2, 5));
  const db = rng.pick(BINDINGS.db);
  const table = plural(noun);
  if (rng.chance(0.5)) {
    const fn = w.name(`load_${table}`);
    const loop =
      w.pitfall()
        ? // PW011: iterating the JsProxy result directly.
          [`    out = []`, `    for row in result.results:`, `        out.append({"id": row["id"], "${fields[0]}": row["${fields[0]}"]})`, `    return out`]
        : [`    return [dict(row) for row in result.results.to_py()]`];
    return [
      `async def ${fn}(env, ${fields[0]}, limit=PAGE_SIZE):`,
      `    result = await env.${db}.prepare(`,
      `        "SELECT ${['id', ...fields].join(', ')} FROM ${table} WHERE ${fields[0]} = ? ORDER BY id DESC LIMIT ?"`,
      `    ).bind(${fields[0]}, limit).all()`,
      ...loop,
    ].join('\n');
  }
  const fn = w.name(`store_${noun}`);
  const values = fields.map((f) => `${noun}.get("${f}")`);
  if (w.pitfall()) values[values.length - 1] = 'None'; // PW005: None becomes undefined in D1.
  return [
    `async def ${fn}(env, ${noun}):`,
    `    stmt = env.${db}.prepare(`,
    `        "INSERT INTO ${table} (${fields.join(', ')}) VALUES (${fields.map(() => '?').join(', ')}) "`,
    `        "ON CONFLICT(id) DO UPDATE SET updated_at = CURRENT_TIMESTAMP"`,
    `    )`,
    `    await stmt.bind(${values.join(', ')}).run()`,
    `    ${w.v.logger}.info("stored ${noun} %s", ${noun}.get("id"))`,
  ].join('\n');
}

function fetchHelper(w: ModuleWriter): string {
  const { rng, v } = w;
  const noun = w.noun();
  const host = rng.pick(HOSTS);
  const fn = w.name(`${rng.pick(['sync', 'publish', 'notify', 'refresh'])}_${noun}_upstream`);
  if (w.pitfalls.requests && w.pitfall()) {
    // PW003: a blocking HTTP client on the Workers runtime.
    return [
      `def ${fn}(${noun}_id, token):`,
      `    resp = ${w.pitfalls.requests}.get(f"https://${host}/v1/${plural(noun)}/{${noun}_id}", headers={"authorization": f"Bearer {token}"}, timeout=10)`,
      `    resp.raise_for_status()`,
      `    return resp.json()`,
    ].join('\n');
  }
  return [
    `async def ${fn}(env, ${noun}, retries=${rng.int(2, 5)}):`,
    `    url = f"https://${host}/v1/${plural(noun)}/{${noun}['id']}"`,
    `    body = ${v.json}.dumps({"${noun}": ${noun}, "source": "worker"})`,
    `    for attempt in range(retries):`,
    `        resp = await ${v.fetch}(url, method="${rng.pick(['POST', 'PUT', 'PATCH'])}", headers={"authorization": f"Bearer {env.API_TOKEN}", **DEFAULT_HEADERS}, body=body)`,
    `        if resp.ok:`,
    `            return (await resp.json()).to_py()`,
    `        if resp.status < 500:`,
    `            break`,
    `        await ${v.asyncio}.sleep(0.2 * (2 ** attempt))`,
    `    ${v.logger}.warning("upstream %s failed with %s", url, resp.status)`,
    `    return None`,
  ].join('\n');
}

function queueHelper(w: ModuleWriter): string {
  const { rng, v } = w;
  const noun = w.noun();
  const queue = rng.pick(BINDINGS.queue);
  const fn = w.name(`enqueue_${noun}`);
  const fields = w.fields(rng.int(2, 4));
  const payload = `{"type": "${noun}.${rng.pick(['created', 'updated', 'deleted'])}", ${fields.map((f) => `"${f}": ${noun}.get("${f}")`).join(', ')}}`;
  const conversion = w.pitfall()
    ? `${v.to_js}(${payload})` // PW007: a dict becomes a Map without dict_converter.
    : `${v.to_js}(${payload}, dict_converter=${v.Object}.fromEntries)`;
  return [`async def ${fn}(env, ${noun}):`, `    await env.${queue}.send(${conversion})`].join('\n');
}

function kvHelper(w: ModuleWriter): string {
  const { rng, v } = w;
  const noun = w.noun();
  const kv = rng.pick(BINDINGS.kv);
  const fn = w.name(`cached_${noun}`);
  return [
    `async def ${fn}(env, key, loader, ttl=${rng.pick([60, 300, 3600])}):`,
    `    hit = await env.${kv}.get(key)`,
    `    if hit is not None:`,
    `        return ${v.json}.loads(hit)`,
    `    value = await loader()`,
    `    await env.${kv}.put(key, ${v.json}.dumps(value), ${v.to_js}({"expirationTtl": ttl}, dict_converter=${v.Object}.fromEntries))`,
    `    return value`,
  ].join('\n');
}

function miscPitfall(w: ModuleWriter): string | null {
  const { rng } = w;
  const options: (() => string)[] = [];
  if (w.pitfalls.toPy) {
    options.push(() => [`def rows_of(result):`, `    return to_py(result.results)`].join('\n')); // PW004
  }
  if (w.pitfalls.js) {
    options.push(() => [`def js_json(text):`, `    return js.JSON.parse(text)`, '', `def js_now():`, `    return js.eval("Date.now()")`].join('\n')); // PW006
  }
  if (w.pitfalls.threading) {
    options.push(() => [`def fire_and_forget(job, *args):`, `    worker = threading.Thread(target=job, args=args, daemon=True)`, `    worker.start()`].join('\n')); // PW018
  }
  if (!options.length) return null;
  return rng.pick(options)();
}

function routeBody(w: ModuleWriter, noun: string, indent: string): string[] {
  const { rng, v } = w;
  const db = rng.pick(BINDINGS.db);
  const fields = w.fields(3);
  return [
    `${indent}rows = await self.env.${db}.prepare(`,
    `${indent}    "SELECT ${fields.join(', ')} FROM ${plural(noun)} WHERE tenant = ? LIMIT ?"`,
    `${indent}).bind(tenant, PAGE_SIZE).all()`,
    `${indent}items = [{k: row[k] for k in (${fields.map((f) => `"${f}"`).join(', ')})} for row in rows.results.to_py()]`,
    `${indent}return ${v.Response}(${v.json}.dumps({"${plural(noun)}": items, "tenant": tenant}), headers=DEFAULT_HEADERS)`,
  ];
}

function entrypoint(w: ModuleWriter): string {
  const { rng, v } = w;
  const routes = rng.sample(NOUNS, rng.int(2, 6));
  const cls = rng.chance(0.7) ? 'Default' : w.name(`${camel(routes[0]!)}Service`);
  const lines = [`class ${cls}(WorkerEntrypoint):`, `    async def fetch(self, request):`, `        url = ${v.urlparse}(request.url)`, `        tenant = request.headers.get("x-tenant") or "public"`];
  routes.forEach((noun, i) => {
    lines.push(`        ${i === 0 ? 'if' : 'elif'} url.path.startswith("/${plural(noun)}"):`);
    if (rng.chance(0.5)) {
      lines.push(`            if request.method == "POST":`);
      lines.push(`                payload = (await request.json()).to_py()`);
      lines.push(`                await self.env.${rng.pick(BINDINGS.queue)}.send(${v.to_js}({"${noun}": payload, "tenant": tenant}, dict_converter=${v.Object}.fromEntries))`);
      lines.push(`                return ${v.Response}.json({"accepted": True}, status=202)`);
    }
    lines.push(...routeBody(w, noun, '            '));
  });
  lines.push(`        return ${v.Response}(${v.json}.dumps({"error": f"no route for {url.path}"}), status=404, headers=DEFAULT_HEADERS)`);
  if (rng.chance(0.6)) {
    const queueMsg = w.pitfall() ? 'message.body["id"]' : 'message.body.to_py()["id"]'; // PW014
    lines.push(
      '',
      `    async def queue(self, batch, env, ctx):`,
      `        for message in batch.messages:`,
      `            try:`,
      `                item_id = ${queueMsg}`,
      `                await self.env.${rng.pick(BINDINGS.db)}.prepare("UPDATE jobs SET done = 1 WHERE id = ?").bind(item_id).run()`,
      `                message.ack()`,
      `            except Exception as exc:`,
      `                ${v.logger}.exception("message %s failed: %s", message.id, exc)`,
      `                message.retry()`,
    );
  }
  if (rng.chance(0.4)) {
    lines.push(
      '',
      `    async def scheduled(self, controller, env, ctx):`,
      `        cutoff = ${v.datetime}.now(timezone.utc).timestamp() - ${rng.pick([3600, 86400, 604800])}`,
      `        await self.env.${rng.pick(BINDINGS.db)}.prepare("DELETE FROM sessions WHERE seen_at < ?").bind(cutoff).run()`,
    );
  }
  return lines.join('\n');
}

function legacyHandler(w: ModuleWriter): string {
  // PW002 / PW021: the pre-2025-08 module-level handler style.
  const { v } = w;
  return [
    'from workers import handler',
    '',
    '@handler',
    'async def on_fetch(request, env):',
    `    data = ${v.json}.dumps({"status": "ok", "path": request.url})`,
    `    return ${v.Response}(data, headers=DEFAULT_HEADERS)`,
  ].join('\n');
}

const BLOCKS: [number, (w: ModuleWriter) => string | null][] = [
  [3, syncHelper],
  [3, d1Helper],
  [2, fetchHelper],
  [1.5, queueHelper],
  [1, kvHelper],
  [1, dataclassBlock],
  [0.3, constants],
];
const BLOCK_WEIGHT = BLOCKS.reduce((s, [w]) => s + w, 0);

/**
 * One Python module of about `targetBytes`. `entry` adds a WorkerEntrypoint class (or, rarely, a
 * legacy module-level handler); `pitfallRate` is the chance that a block carries a pitfall.
 */
export function pythonModule(rng: Random, targetBytes: number, opts: { entry: boolean; pitfallRate?: number }): string {
  const pitfallRate = opts.pitfallRate ?? 0.03;
  const head = header(rng, pitfallRate);
  const w = new ModuleWriter(rng, head.v, head.pitfalls, pitfallRate);
  w.push(head.text);
  w.push(constants(w));
  const tail = opts.entry ? (rng.chance(0.05) ? legacyHandler(w) : entrypoint(w)) : null;
  const budget = targetBytes - (tail?.length ?? 0);
  while (w.bytes < budget) {
    let pick = rng.next() * BLOCK_WEIGHT;
    let block: string | null = null;
    for (const [weight, make] of BLOCKS) {
      pick -= weight;
      if (pick < 0) {
        block = make(w);
        break;
      }
    }
    if (rng.chance(0.02)) block = miscPitfall(w) ?? block;
    if (block) w.push(block);
  }
  if (tail) w.push(tail);
  return w.out.join('\n\n\n') + '\n';
}

export function wranglerJsonc(rng: Random, name: string, main = 'src/entry.py'): string {
  const flags = rng.chance(0.05) ? ['nodejs_compat'] : rng.chance(0.3) ? ['python_workers', 'python_dedicated_snapshot'] : ['python_workers'];
  const db = rng.pick(BINDINGS.db);
  const lines = [
    '{',
    '  "$schema": "node_modules/wrangler/config-schema.json",',
    `  "name": "${name}",`,
    `  "main": "${main}",`,
    `  "compatibility_date": "${rng.pick(DATES)}",`,
    `  "compatibility_flags": [${flags.map((f) => `"${f}"`).join(', ')}],`,
    '  // D1 holds the durable state; KV only caches.',
    `  "d1_databases": [{ "binding": "${db}", "database_name": "${name}-db", "database_id": "${hex(rng, 8)}-${hex(rng, 4)}-${hex(rng, 4)}-${hex(rng, 4)}-${hex(rng, 12)}" }],`,
    `  "kv_namespaces": [{ "binding": "${rng.pick(BINDINGS.kv)}", "id": "${hex(rng, 32)}" }],`,
  ];
  if (rng.chance(0.6)) {
    const q = rng.pick(BINDINGS.queue);
    lines.push(`  "queues": {`, `    "producers": [{ "binding": "${q}", "queue": "${name}-${q.toLowerCase()}" }],`, `    "consumers": [{ "queue": "${name}-${q.toLowerCase()}", "max_batch_size": ${rng.pick([10, 25, 100])} }]`, '  },');
  }
  if (rng.chance(0.4)) lines.push(`  "triggers": { "crons": ["${rng.int(0, 59)} ${rng.int(0, 23)} * * *"] },`);
  lines.push(`  "vars": { "API_BASE": "https://${rng.pick(HOSTS)}", "LOG_LEVEL": "${rng.pick(['info', 'debug', 'warning'])}" },`);
  lines.push('}');
  return lines.join('\n') + '\n';
}

export function wranglerToml(rng: Random, name: string, main = 'src/entry.py'): string {
  const flags = rng.chance(0.05) ? ['nodejs_compat'] : ['python_workers'];
  const lines = [
    `name = "${name}"`,
    `main = "${main}"`,
    `compatibility_date = "${rng.pick(DATES)}"`,
    `compatibility_flags = [${flags.map((f) => `"${f}"`).join(', ')}]`,
    '',
    '# Durable state lives in D1.',
    '[[d1_databases]]',
    `binding = "${rng.pick(BINDINGS.db)}"`,
    `database_name = "${name}-db"`,
    `database_id = "${hex(rng, 8)}-${hex(rng, 4)}-${hex(rng, 4)}-${hex(rng, 4)}-${hex(rng, 12)}"`,
    '',
    '[[kv_namespaces]]',
    `binding = "${rng.pick(BINDINGS.kv)}"`,
    `id = "${hex(rng, 32)}"`,
    '',
    '[vars]',
    `API_BASE = "https://${rng.pick(HOSTS)}"`,
  ];
  if (rng.chance(0.4)) lines.push('', '[triggers]', `crons = ["${rng.int(0, 59)} ${rng.int(0, 23)} * * *"]`);
  return lines.join('\n') + '\n';
}

export function pyprojectToml(rng: Random, name: string): string {
  const deps = rng.sample(['httpx', 'pydantic', 'jinja2', 'python-dateutil', 'beautifulsoup4', 'pyyaml', 'itsdangerous'], rng.int(0, 3));
  if (rng.chance(0.03)) deps.push('psycopg2-binary'); // a native package: a pitfall
  return [
    '[project]',
    `name = "${name}"`,
    `version = "${rng.int(0, 3)}.${rng.int(0, 20)}.${rng.int(0, 9)}"`,
    `description = "${camel(rng.pick(NOUNS))} Worker"`,
    'requires-python = ">=3.12"',
    `dependencies = [${deps.map((d) => `"${d}"`).join(', ')}]`,
    '',
    '[dependency-groups]',
    `dev = [${rng.chance(0.7) ? '"workers-py>=1.9", "workers-runtime-sdk"' : '"workers-py>=1.6"'}]`,
  ].join('\n') + '\n';
}

function hex(rng: Random, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += '0123456789abcdef'[rng.int(0, 15)];
  return s;
}

/** The config files of one Worker folder. */
export function workerConfigs(rng: Random, root: string, name: string): CorpusFile[] {
  const files: CorpusFile[] = [];
  const toml = rng.chance(0.35);
  files.push({ path: `${root}/wrangler.${toml ? 'toml' : 'jsonc'}`, text: toml ? wranglerToml(rng, name) : wranglerJsonc(rng, name) });
  if (rng.chance(0.6)) files.push({ path: `${root}/pyproject.toml`, text: pyprojectToml(rng, name) });
  return files;
}

/**
 * Worker projects whose Python adds up to `totalBytes`: each Worker has a config, maybe a
 * pyproject.toml, an `src/entry.py` with the entrypoint class and helper modules of 2–20 KB.
 */
export function generateCorpus(totalBytes: number, seed = 1): Corpus {
  const rng = new Random(seed);
  const python: CorpusFile[] = [];
  const configs: CorpusFile[] = [];
  let bytes = 0;
  for (let wi = 0; bytes < totalBytes; wi++) {
    const name = `${rng.pick(NOUNS)}-${rng.pick(VERBS)}-${wi}`;
    const root = `services/${name}`;
    configs.push(...workerConfigs(rng, root, name));
    const modules = rng.int(3, 25);
    for (let mi = 0; mi < modules && bytes < totalBytes; mi++) {
      const size = Math.min(rng.logInt(2_000, 20_000), Math.max(2_000, totalBytes - bytes));
      const text = pythonModule(rng, size, { entry: mi === 0 });
      const path = mi === 0 ? `${root}/src/entry.py` : `${root}/src/${rng.pick(NOUNS)}_${rng.pick(VERBS)}_${mi}.py`;
      python.push({ path, text });
      bytes += text.length;
    }
  }
  return { python, configs, pythonBytes: bytes };
}

/** One large module of about `totalBytes` with a Worker config beside it. */
export function generateBigFile(totalBytes: number, seed = 1): Corpus {
  const rng = new Random(seed);
  const text = pythonModule(rng, totalBytes, { entry: true });
  return {
    python: [{ path: 'big/src/entry.py', text }],
    configs: [{ path: 'big/wrangler.jsonc', text: wranglerJsonc(rng, 'big') }],
    pythonBytes: text.length,
  };
}

/** `count` small config files, each in its own Worker folder: wrangler.jsonc, wrangler.toml, pyproject.toml. */
export function generateConfigs(count: number, seed = 1): CorpusFile[] {
  const rng = new Random(seed);
  const out: CorpusFile[] = [];
  for (let i = 0; i < count; i++) {
    const name = `${rng.pick(NOUNS)}-${i}`;
    const kind = i % 3;
    if (kind === 0) out.push({ path: `w${i}/wrangler.jsonc`, text: wranglerJsonc(rng, name) });
    else if (kind === 1) out.push({ path: `w${i}/wrangler.toml`, text: wranglerToml(rng, name) });
    else out.push({ path: `w${i}/pyproject.toml`, text: pyprojectToml(rng, name) });
  }
  return out;
}
