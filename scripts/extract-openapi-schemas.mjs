#!/usr/bin/env node
// Extracts the JSON request-body schemas of the three GitHub REST operations the app
// calls from an installed @octokit/openapi package, inlines every $ref, strips keys that
// are not JSON Schema (OpenAPI `example`, vendor `x-*` extensions) and writes them as test
// fixtures. Each fixture is compiled with Ajv 8 in strict mode before it is written.
//
// The package is large (~385 MB unpacked): install it outside the project, e.g.
//   mkdir -p /tmp/openapi && cd /tmp/openapi && npm init -y && npm install @octokit/openapi
// then, from the project root:
//   node scripts/extract-openapi-schemas.mjs /tmp/openapi/node_modules/@octokit/openapi [--out test/fixtures/openapi]

import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Ajv from 'ajv';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

const OPERATIONS = [
  { operationId: 'pulls/create-review', method: 'post', path: '/repos/{owner}/{repo}/pulls/{pull_number}/reviews', file: 'pulls-create-review.request.json' },
  { operationId: 'checks/create', method: 'post', path: '/repos/{owner}/{repo}/check-runs', file: 'checks-create.request.json' },
  { operationId: 'checks/update', method: 'patch', path: '/repos/{owner}/{repo}/check-runs/{check_run_id}', file: 'checks-update.request.json' },
];

/** Keys dropped everywhere in a schema: OpenAPI-only annotations and vendor extensions. */
function isDroppedKey(key) {
  return key === 'example' || key.startsWith('x-');
}

function usage(message) {
  if (message) console.error(`error: ${message}`);
  console.error('usage: node scripts/extract-openapi-schemas.mjs <path to @octokit/openapi> [--out <dir>]');
  process.exit(2);
}

function parseArgs(argv) {
  let pkg = null;
  let out = join(ROOT, 'test', 'fixtures', 'openapi');
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out') out = resolve(argv[++i] ?? usage('--out needs a folder'));
    else if (argv[i] === '--help' || argv[i] === '-h') usage();
    else if (!pkg) pkg = resolve(argv[i]);
    else usage(`unexpected argument ${argv[i]}`);
  }
  if (!pkg) usage('missing the package path');
  return { pkg, out };
}

/** Finds the plain (not pre-dereferenced) api.github.com spec inside the package. */
function findSpec(pkg) {
  const generated = join(pkg, 'generated');
  const preferred = join(generated, 'api.github.com.json');
  if (existsSync(preferred)) return preferred;
  if (!existsSync(generated)) throw new Error(`${generated} does not exist; is ${pkg} the @octokit/openapi package?`);
  const candidates = readdirSync(generated).filter((f) => /^api\.github\.com.*\.json$/.test(f) && !f.includes('deref'));
  if (candidates.length !== 1) throw new Error(`cannot pick the api.github.com spec among: ${candidates.join(', ') || '(none)'}`);
  return join(generated, candidates[0]);
}

/** Resolves a local JSON pointer such as "#/components/schemas/foo". */
function resolvePointer(doc, ref) {
  if (!ref.startsWith('#/')) throw new Error(`only local $refs are supported, got ${ref}`);
  let node = doc;
  for (const raw of ref.slice(2).split('/')) {
    const key = decodeURIComponent(raw).replace(/~1/g, '/').replace(/~0/g, '~');
    if (node === null || typeof node !== 'object' || !(key in node)) throw new Error(`dangling $ref ${ref}`);
    node = node[key];
  }
  return node;
}

/**
 * Returns a copy of `node` with every $ref replaced by (a cleaned copy of) its target.
 * Keys that sit beside a $ref are kept and win over the target's keys. A $ref cycle
 * cannot be inlined and is reported as an error. Keys directly under "properties"
 * are property names, so they are never dropped as annotations.
 */
function inline(doc, node, stack = [], underProperties = false) {
  if (Array.isArray(node)) return node.map((x) => inline(doc, x, stack));
  if (node === null || typeof node !== 'object') return node;
  if (typeof node.$ref === 'string') {
    if (stack.includes(node.$ref)) throw new Error(`$ref cycle: ${[...stack, node.$ref].join(' -> ')}`);
    const target = inline(doc, resolvePointer(doc, node.$ref), [...stack, node.$ref]);
    const { $ref, ...siblings } = node;
    return { ...target, ...inline(doc, siblings, stack) };
  }
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (!underProperties && isDroppedKey(key)) continue;
    out[key] = inline(doc, value, stack, key === 'properties' && !underProperties);
  }
  return out;
}

function findOperation(spec, op) {
  const item = spec.paths?.[op.path]?.[op.method];
  if (!item) throw new Error(`${op.method.toUpperCase()} ${op.path} not found in the spec`);
  if (item.operationId !== op.operationId) {
    throw new Error(`${op.method.toUpperCase()} ${op.path} has operationId ${item.operationId}, expected ${op.operationId}`);
  }
  const body = item.requestBody?.$ref ? resolvePointer(spec, item.requestBody.$ref) : item.requestBody;
  const schema = body?.content?.['application/json']?.schema;
  if (!schema) throw new Error(`${op.operationId} has no application/json request body`);
  return schema;
}

/** Compiles under Ajv strict mode (minus strictTypes/strictRequired); date-time gets a real RFC 3339 check instead of a plugin. */
function assertCompiles(schema, label) {
  // strictRequired is off: an anyOf branch that only lists "required" names is a valid idiom (checks/update uses it)
  const ajv = new Ajv({ strict: true, allErrors: true, strictTypes: false, strictRequired: false });
  ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/);
  try {
    ajv.compile(schema);
  } catch (err) {
    throw new Error(`${label} does not compile with Ajv strict mode: ${err.message}`);
  }
}

function main() {
  const { pkg, out } = parseArgs(process.argv.slice(2));
  const pkgJson = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8'));
  if (pkgJson.name !== '@octokit/openapi') throw new Error(`${pkg} holds ${pkgJson.name}, not @octokit/openapi`);
  const specPath = findSpec(pkg);
  const spec = JSON.parse(readFileSync(specPath, 'utf8'));
  const specFile = relative(pkg, specPath);
  mkdirSync(out, { recursive: true });

  for (const op of OPERATIONS) {
    const schema = inline(spec, findOperation(spec, op));
    const fixture = {
      $comment:
        `Request body schema of ${op.method.toUpperCase()} ${op.path} (operationId ${op.operationId}) from ` +
        `@octokit/openapi@${pkgJson.version} ${specFile} (OpenAPI ${spec.openapi}). ` +
        `$refs inlined, "example" and "x-*" keys removed by scripts/extract-openapi-schemas.mjs.`,
      ...schema,
    };
    assertCompiles(fixture, op.file);
    const target = join(out, op.file);
    writeFileSync(target, JSON.stringify(fixture, null, 2) + '\n');
    console.log(`wrote ${relative(ROOT, target)} (${op.operationId})`);
  }
}

try {
  main();
} catch (err) {
  console.error(`error: ${err.message}`);
  process.exit(1);
}
