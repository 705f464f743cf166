// `pyworkers-review`: check | review | rules. Exit 0 clean, 1 findings, 2 bad usage or unreadable.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { RULES, ruleKeys } from '../../rules/index.js';
import {
  analyze,
  applyFixes,
  parseRepoConfig,
  REPO_CONFIG_PATH,
  RepoConfigError,
  type Applicability,
  type Finding,
  type RepoConfig,
} from '../engine/index.js';
import { readPackageJson } from '../engine/package-root.js';
import { readDisk, UsageError } from '../local/disk.js';
import { catalogueRules, ENGINE_RULES } from './engine-rules.js';
import { FORMATS, formatGithub, formatJson, formatSarif, formatText, type Format } from './formats.js';

const HELP = `pyworkers-review: find Cloudflare Python Workers pitfalls

Usage:
  pyworkers-review check [PATH...] [--format text|json|sarif|github] [--fix] [--unsafe-fixes]
                         [--select CODES] [--ignore CODES] [--config FILE]
  pyworkers-review review --base REF [--format markdown|json]
  pyworkers-review rules [--format text|json]
  pyworkers-review --version

check     lint files and folders (default: .) and print findings
review    preview the pull-request review the GitHub App would post for the diff against REF
rules     list the rules

Exit status: 0 no error or warning, 1 at least one, 2 bad usage or a file that could not be read.
`;

export function version(): string {
  return readPackageJson<{ version: string }>('package.json').version;
}

function splitCodes(values: string[] | undefined, known: Set<string>): string[] {
  const codes = (values ?? []).flatMap((v) => v.split(',')).map((s) => s.trim().toUpperCase()).filter(Boolean);
  for (const c of codes) {
    if (![...known].some((k) => k.startsWith(c))) throw new UsageError(`unknown rule code \`${c}\` (see \`pyworkers-review rules\`)`);
  }
  return codes;
}

/** The repository config: --config, else .github/pyworkers-review.yml at or above the root. */
function loadConfig(root: string, explicit: string | undefined): RepoConfig | undefined {
  let path: string | undefined;
  if (explicit) {
    path = resolve(explicit);
    if (!existsSync(path)) throw new UsageError(`${explicit}: no such config file`);
  } else {
    for (let dir = resolve(root); ; dir = dirname(dir)) {
      const candidate = join(dir, REPO_CONFIG_PATH);
      if (existsSync(candidate)) {
        path = candidate;
        break;
      }
      if (existsSync(join(dir, '.git')) || dirname(dir) === dir) break;
    }
  }
  if (!path) return undefined;
  try {
    return parseRepoConfig(readFileSync(path, 'utf8'), ruleKeys(), path);
  } catch (err) {
    if (err instanceof RepoConfigError) throw new UsageError(`invalid config ${err.message}`);
    throw err;
  }
}

function commonRoot(paths: string[]): string {
  const cwd = process.cwd();
  const abs = paths.map((p) => resolve(p));
  if (abs.every((p) => p === cwd || p.startsWith(cwd + '/'))) return cwd;
  let root = abs[0];
  while (!abs.every((p) => p === root || p.startsWith(root + '/'))) root = dirname(root);
  return existsSync(root) && !/\.[a-z]+$/i.test(root) ? root : dirname(root);
}

async function check(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      format: { type: 'string', default: 'text' },
      fix: { type: 'boolean', default: false },
      'unsafe-fixes': { type: 'boolean', default: false },
      select: { type: 'string', multiple: true },
      ignore: { type: 'string', multiple: true },
      config: { type: 'string' },
      'no-color': { type: 'boolean', default: false },
    },
  });
  const format = values.format as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`unknown format \`${values.format}\` (text, json, sarif, github)`);
  const known = new Set([...RULES, ...ENGINE_RULES].map((r) => r.meta.code));
  const select = splitCodes(values.select, known);
  const ignore = splitCodes(values.ignore, known);
  const paths = positionals.length ? positionals : ['.'];
  const root = commonRoot(paths);
  const config = loadConfig(root, values.config);
  const disk = readDisk(paths, root);
  const notes: string[] = [];
  for (const u of disk.unreadable) notes.push(`${u.path}: could not be read (${u.reason})`);

  const run = () => analyze({ files: disk.files, context: disk.context, rules: RULES, config, select, ignore });
  let result = run();
  let fixed = 0;
  if (values.fix) {
    const allowed: Applicability[] = values['unsafe-fixes'] ? ['safe', 'unsafe'] : ['safe'];
    // Apply, re-lint, repeat: fixes that overlapped wait for the next pass (at most 10).
    for (let pass = 0; pass < 10; pass++) {
      const byPath = groupByPath(result.findings.filter((f) => f.fix && allowed.includes(f.fix.applicability)));
      if (byPath.size === 0) break;
      for (const [path, findings] of byPath) {
        const file = disk.files.find((f) => f.path === path)!;
        const { text, applied } = applyFixes(file.text, findings, allowed);
        if (applied.length === 0) continue;
        writeFileSync(join(disk.root, path), text);
        file.text = text;
        fixed += applied.length;
      }
      result = run();
    }
  }
  for (const s of result.skipped) notes.push(`${s.path}: skipped, ${s.reason}`);
  for (const e of result.ruleErrors) notes.push(`${e.path}: internal error in ${e.code}: ${e.message} (please report it)`);

  const out =
    format === 'json'
      ? formatJson(result.findings)
      : format === 'sarif'
        ? formatSarif(result.findings, catalogueRules(RULES), version())
        : format === 'github'
          ? formatGithub(result.findings)
          : formatText({ findings: result.findings, notes, fixed }, !values['no-color'] && !!process.stdout.isTTY && !process.env.NO_COLOR);
  process.stdout.write(out);
  for (const n of notes) process.stderr.write(`pyworkers-review: ${n}\n`);
  if (disk.unreadable.length > 0) return 2;
  return result.findings.some((f) => f.severity === 'error' || f.severity === 'warning') ? 1 : 0;
}

function groupByPath(findings: Finding[]): Map<string, Finding[]> {
  const m = new Map<string, Finding[]>();
  for (const f of findings) m.set(f.path, [...(m.get(f.path) ?? []), f]);
  return m;
}

function listRules(argv: string[]): number {
  const { values } = parseArgs({ args: argv, options: { format: { type: 'string', default: 'text' } } });
  const all = catalogueRules(RULES);
  if (values.format === 'json') {
    const rows = all.map((r) => ({
      code: r.meta.code,
      name: r.meta.name,
      gotcha: r.meta.gotcha,
      severity: r.meta.severity,
      languages: r.meta.languages,
      fixable: r.meta.fixable ?? null,
      summary: r.meta.docs.summary,
      whenItHolds: r.meta.docs.whenItHolds,
    }));
    process.stdout.write(JSON.stringify(rows, null, 2) + '\n');
    return 0;
  }
  if (values.format !== 'text') throw new UsageError(`unknown format \`${values.format}\` (text, json)`);
  for (const r of all) {
    process.stdout.write(`${r.meta.code}  ${r.meta.name.padEnd(34)} ${r.meta.severity.padEnd(7)} ${(r.meta.fixable ?? '-').padEnd(7)} ${r.meta.docs.summary}\n`);
  }
  return 0;
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'check':
        return await check(rest);
      case 'review': {
        // Loaded on demand: `check` should not pay for the review pipeline's imports.
        const reviewModule = './review.js';
        const { runReviewCommand } = (await import(reviewModule)) as { runReviewCommand(args: string[]): Promise<number> };
        return await runReviewCommand(rest);
      }
      case 'rules':
        return listRules(rest);
      case '--version':
      case '-V':
        process.stdout.write(`${version()}\n`);
        return 0;
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(HELP);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command \`${command}\` (check, review, rules)`);
    }
  } catch (err) {
    const e = err as Error & { code?: string };
    if (err instanceof UsageError || e.code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`pyworkers-review: ${e.message}\n`);
      return 2;
    }
    throw err;
  }
}
