#!/usr/bin/env node
// Builds rules/data/pyodide-packages.json from the pyodide-lock.json files shipped
// in the three npm aliases installed as devDependencies (pyodide-0.26, pyodide-0.28,
// pyodide-314), and checks rules/data/native-packages.json against those locks.
//
// Usage: node scripts/generate-pyodide-packages.mjs [--check]
//   --check  do not write; exit 1 when the committed file differs from a fresh build.
//
// The output is deterministic: object keys sorted, 2-space indent, trailing newline.

import { readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, 'rules', 'data', 'pyodide-packages.json');
const NATIVE = join(ROOT, 'rules', 'data', 'native-packages.json');

/**
 * One entry per runtime line. `runtimePyodide` is the Pyodide build that the
 * Workers runtime embeds for that line (workerd build/python_metadata.bzl, see
 * shared/spec/runtime-facts.md); `npmFolder` is the alias holding the lock we read.
 */
const LINES = [
  {
    key: '0.26',
    npmFolder: 'pyodide-0.26',
    runtimePyodide: '0.26.0a2',
    workersPython: '3.12',
    note:
      'The 3.12 Workers runtime embeds Pyodide 0.26.0a2, which was never published to npm. ' +
      'npm pyodide@0.26.4 is the nearest published release of the 0.26 line and is used instead, ' +
      'so a few package versions differ from the runtime (e.g. lxml, cryptography patch levels); ' +
      'the set of package names is the useful part.',
  },
  {
    key: '0.28',
    npmFolder: 'pyodide-0.28',
    runtimePyodide: '0.28.2',
    workersPython: '3.13',
    note:
      'Same release as the 3.13 Workers runtime. The lock inside npm pyodide@0.28.2 reports ' +
      'info.version "0.28.0.dev0"; the npm package version is the authoritative one.',
  },
  {
    key: '314',
    npmFolder: 'pyodide-314',
    runtimePyodide: '314.0.4',
    workersPython: '3.14',
    note: 'Same release as the 3.14 Workers runtime (python_workers_20260610). The lock info carries no version field.',
  },
];

/** PEP 503 normalisation: lowercase, every run of "-", "_" or "." becomes one "-". */
export function normalizeName(name) {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

/**
 * Splits a wheel file name into its tags. Returns null for anything that is not a wheel.
 * Layout: {distribution}-{version}(-{build})?-{python tag}-{abi tag}-{platform tag}.whl
 */
function wheelTags(fileName) {
  if (!fileName.endsWith('.whl')) return null;
  const parts = fileName.slice(0, -'.whl'.length).split('-');
  if (parts.length < 5) throw new Error(`unexpected wheel file name: ${fileName}`);
  const [python, abi, platform] = parts.slice(-3);
  return { python, abi, platform };
}

/**
 * JSON text with every object's keys in sorted (code unit) order and the same layout as
 * JSON.stringify(value, null, 2). A hand-written walk is needed because JS objects always
 * list integer-like keys such as "314" first, whatever order they were inserted in.
 */
export function stableJson(value) {
  const walk = (v, indent) => {
    if (v === null || typeof v !== 'object') {
      const text = JSON.stringify(v);
      if (text === undefined) throw new Error(`cannot serialise ${typeof v}`);
      return text;
    }
    const inner = indent + '  ';
    if (Array.isArray(v)) {
      if (v.length === 0) return '[]';
      return '[\n' + v.map((x) => inner + walk(x, inner)).join(',\n') + '\n' + indent + ']';
    }
    const keys = Object.keys(v)
      .filter((k) => v[k] !== undefined)
      .sort();
    if (keys.length === 0) return '{}';
    return '{\n' + keys.map((k) => `${inner}${JSON.stringify(k)}: ${walk(v[k], inner)}`).join(',\n') + '\n' + indent + '}';
  };
  return walk(value, '') + '\n';
}

function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

function buildLine(line) {
  const folder = join(ROOT, 'node_modules', line.npmFolder);
  const lockPath = join(folder, 'pyodide-lock.json');
  if (!existsSync(lockPath)) {
    throw new Error(`missing ${relative(ROOT, lockPath)}: run npm ci in the project first`);
  }
  const npmVersion = readJson(join(folder, 'package.json')).version;
  const lock = readJson(lockPath);
  const info = lock.info ?? {};

  const packages = {};
  const sharedLibraries = {};
  const unvendoredStdlib = {};
  let testArchives = 0;

  for (const [lockKey, pkg] of Object.entries(lock.packages)) {
    const name = normalizeName(pkg.name ?? lockKey);
    const type = pkg.package_type ?? 'package';

    if (type === 'shared_library') {
      // Native libraries (openssl, openblas, geos, ...) that wheels link against.
      // They are not installable distributions, so they stay out of `packages`.
      sharedLibraries[name] = pkg.version;
      continue;
    }
    if (type === 'cpython_module') {
      // Parts of the standard library that Pyodide ships separately (ssl, sqlite3, lzma ...).
      unvendoredStdlib[name] = [...(pkg.imports ?? [])].sort();
      continue;
    }
    if (type !== 'package') throw new Error(`${line.key}: unknown package_type ${type} for ${lockKey}`);

    const tags = wheelTags(pkg.file_name);
    if (!tags) {
      // "<name>-tests" archives hold test suites split off a wheel; not a distribution.
      if (/-tests(\.tar)?$/.test(pkg.file_name) || /-tests$/.test(name)) {
        testArchives += 1;
        continue;
      }
      throw new Error(`${line.key}: ${lockKey} has a non-wheel file ${pkg.file_name}`);
    }
    if (packages[name]) throw new Error(`${line.key}: two lock entries normalise to ${name}`);
    packages[name] = {
      version: pkg.version,
      native: tags.platform !== 'any',
      imports: [...(pkg.imports ?? [])].sort(),
    };
  }

  const values = Object.values(packages);
  return {
    pyodide: npmVersion,
    runtimePyodide: line.runtimePyodide,
    workersPython: line.workersPython,
    source: `npm pyodide@${npmVersion} pyodide-lock.json`,
    python: info.python ?? null,
    lockInfo: {
      abiVersion: info.abi_version ?? null,
      platform: info.platform ?? null,
      version: info.version ?? null,
    },
    note: line.note,
    counts: {
      packages: values.length,
      native: values.filter((p) => p.native).length,
      pure: values.filter((p) => !p.native).length,
      sharedLibraries: Object.keys(sharedLibraries).length,
      unvendoredStdlib: Object.keys(unvendoredStdlib).length,
      skippedTestArchives: testArchives,
    },
    sharedLibraries,
    unvendoredStdlib,
    packages,
  };
}

/** Fails loudly when a curated "not in Pyodide" distribution shows up in any lock. */
function checkNativeList(versions) {
  if (!existsSync(NATIVE)) {
    console.warn(`warning: ${relative(ROOT, NATIVE)} not found; skipping its check`);
    return;
  }
  const curated = readJson(NATIVE);
  const problems = [];
  for (const [name, entry] of Object.entries(curated.packages ?? {})) {
    if (normalizeName(name) !== name) problems.push(`${name}: key is not PEP 503 normalised`);
    for (const field of ['alternative', 'reason', 'source']) {
      if (typeof entry[field] !== 'string' || entry[field].length === 0) problems.push(`${name}: missing ${field}`);
    }
    for (const [key, data] of Object.entries(versions)) {
      if (data.packages[name]) {
        problems.push(`${name} is listed as absent from Pyodide but the ${key} lock has ${name} ${data.packages[name].version}`);
      }
      if (data.sharedLibraries[name] || data.unvendoredStdlib[name]) {
        problems.push(`${name} is listed as absent from Pyodide but the ${key} lock has an entry with that name`);
      }
    }
  }
  if (problems.length > 0) {
    throw new Error(`native-packages.json disagrees with the locks:\n  ${problems.join('\n  ')}`);
  }
  console.log(`native-packages.json: ${Object.keys(curated.packages).length} entries, none present in any lock`);
}

function main() {
  const check = process.argv.includes('--check');
  const versions = {};
  for (const line of LINES) versions[line.key] = buildLine(line);
  checkNativeList(versions);

  const doc = {
    generatedBy: 'scripts/generate-pyodide-packages.mjs',
    $comment:
      'Generated file, do not edit by hand. Package names are PEP 503 normalised. native=true when the ' +
      'wheel has a platform tag (compiled for wasm32/emscripten), false for "any" wheels. Shared libraries ' +
      'and unvendored stdlib modules are listed apart from packages; "-tests" archives are skipped.',
    versions,
  };
  const text = stableJson(doc);

  for (const { key } of LINES) {
    const data = versions[key];
    const c = data.counts;
    console.log(
      `${key}: npm pyodide@${data.pyodide}, python ${data.python}: ${c.packages} packages ` +
        `(${c.native} native, ${c.pure} pure), ${c.sharedLibraries} shared libs, ` +
        `${c.unvendoredStdlib} unvendored stdlib modules, ${c.skippedTestArchives} test archives skipped`,
    );
  }

  if (check) {
    const current = existsSync(OUT) ? readFileSync(OUT, 'utf8') : '';
    if (current !== text) {
      console.error(`${relative(ROOT, OUT)} is out of date; run node scripts/generate-pyodide-packages.mjs`);
      process.exit(1);
    }
    console.log(`${relative(ROOT, OUT)} is up to date`);
    return;
  }
  writeFileSync(OUT, text);
  console.log(`wrote ${relative(ROOT, OUT)} (${text.length} bytes)`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    main();
  } catch (err) {
    console.error(`error: ${err.message}`);
    process.exit(1);
  }
}
