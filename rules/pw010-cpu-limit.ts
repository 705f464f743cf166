import { posix } from 'node:path';
import type { ConfigDocument } from '../src/engine/config-doc.js';
import { readPackageJson } from '../src/engine/package-root.js';
import type { ConfigContext, Rule } from '../src/engine/rule.js';
import type { Worker } from '../src/engine/workspace.js';
import { dirOf, projectDependencies, pythonWorkerConfig, requirementEntries, sections } from './lib/config-helpers.js';

interface Limits {
  cpuMs: { plan: string; default: number; maximum: number; heavyParsingPackages: { names: string[] } };
}

let limits: Limits | null = null;
const cpu = () => (limits ??= readPackageJson<Limits>('rules/data/limits.json')).cpuMs;

const fmt = (n: number) => n.toLocaleString('en-US');

export const rule: Rule = {
  meta: {
    code: 'PW010',
    name: 'cpu-limit',
    gotcha: 10,
    severity: 'error',
    languages: ['wrangler', 'pyproject', 'requirements'],
    fixable: 'unsafe',
    docs: {
      summary: '`limits.cpu_ms` that is not a positive integer or above the plan maximum; advice on heavy parsing libraries under the default CPU limit',
      whatItDoes:
        'Reports `limits.cpu_ms` in a Python Worker\'s wrangler config (top level or an `env.<name>` section) when it is not a positive integer or exceeds the Workers Paid maximum of 300,000 ms. ' +
        'As advice (info), reports CPU-heavy parsing libraries (feedparser, bleach, lxml, beautifulsoup4, pandas) in `[project] dependencies` or `requirements.txt` of a Worker that keeps the default CPU limit.',
      whyItBreaks:
        'Wrangler and the API reject a CPU limit outside the plan\'s range, so the deploy fails. CPU time counts computation only, not waiting on I/O, and Python parsing on WebAssembly is slow: a large feed or HTML page parsed under the default 30 s limit can end the request with "exceeded CPU time".',
      whenItHolds:
        'Always: the limit does not depend on the compatibility date. The maximum and the default are data in `rules/data/limits.json` (Workers Paid: default 30,000 ms, maximum 300,000 ms since 2025-03-25). The original gotcha list says 15 minutes; that figure is out of date. The advice appears only when no section of the config sets `limits.cpu_ms`.',
      example: '# wrangler.toml\n[limits]\ncpu_ms = 900000',
      useInstead: '[limits]\ncpu_ms = 300000',
      fixSafety:
        'Unsafe: lowering a limit above the maximum to the maximum changes how long requests may compute; review it. Values that are not integers get no fix. The advice has no fix.',
      references: [
        { title: 'Cloudflare: Workers limits, CPU time', url: 'https://developers.cloudflare.com/workers/platform/limits/#cpu-time' },
        { title: 'Cloudflare changelog 2025-03-25: up to 5 minutes of CPU time', url: 'https://developers.cloudflare.com/changelog/2025-03-25-higher-cpu-limits/' },
        { title: 'Cloudflare: wrangler configuration, limits', url: 'https://developers.cloudflare.com/workers/wrangler/configuration/#limits' },
      ],
    },
  },
  config(ctx) {
    if (ctx.language === 'wrangler') checkLimits(ctx);
    else adviseHeavyParsers(ctx);
  },
};

function checkLimits(ctx: ConfigContext): void {
  const target = pythonWorkerConfig(ctx);
  if (!target) return;
  const { doc } = target;
  const { maximum, plan } = cpu();
  for (const section of sections(doc)) {
    const node = doc.get([...section.path, 'limits', 'cpu_ms']);
    if (!node) continue;
    const written = ctx.text.slice(node.start, node.end);
    const value = node.value;
    // A TOML float (`30000.0`) is a float even when its value is whole.
    const tomlFloat = doc.format === 'toml' && /[.eEn]/.test(written);
    const integer = node.kind === 'number' && Number.isSafeInteger(value) && !tomlFloat;
    if (!integer || (value as number) <= 0) {
      ctx.report({ start: node.start, end: node.end, message: `\`limits.cpu_ms\` must be a positive whole number of milliseconds, not \`${written}\`: the deploy is rejected` });
      continue;
    }
    if ((value as number) > maximum) {
      ctx.report({
        start: node.start,
        end: node.end,
        message: `\`limits.cpu_ms\` ${fmt(value as number)} is above the ${plan} maximum of ${fmt(maximum)} ms (5 minutes): the deploy is rejected`,
        fix: { applicability: 'unsafe', description: `Set \`cpu_ms\` to the maximum, ${maximum}`, edits: doc.replaceValue([...section.path, 'limits', 'cpu_ms'], maximum) },
      });
    }
  }
}

/** Advice on a Worker's dependency list: heavy parsers under the default CPU limit. */
function adviseHeavyParsers(ctx: ConfigContext): void {
  const worker = ctx.worker;
  if (!worker || !worker.python || !worker.config || !worker.main?.endsWith('.py')) return;
  if (setsCpuLimit(worker.config)) return;
  let entries;
  if (ctx.language === 'pyproject' && ctx.doc && worker.pyprojectPath === ctx.path) entries = projectDependencies(ctx.doc);
  else if (ctx.language === 'requirements' && posix.basename(ctx.path) === 'requirements.txt' && dirOf(ctx.path) === worker.root) entries = requirementEntries(ctx);
  else return;
  const { names } = cpu().heavyParsingPackages;
  for (const entry of entries) {
    if (!names.includes(entry.name)) continue;
    ctx.report({
      start: entry.start,
      end: entry.end,
      severity: 'info',
      message: `\`${entry.rawName}\` parses in Python on WebAssembly and can use seconds of CPU on large inputs; ${describeWorker(worker)} keeps the default CPU limit of ${fmt(cpu().default)} ms. If requests end with "exceeded CPU time", raise \`limits.cpu_ms\` (up to ${fmt(cpu().maximum)})`,
    });
  }
}

function setsCpuLimit(doc: ConfigDocument): boolean {
  return sections(doc).some((s) => doc.get([...s.path, 'limits', 'cpu_ms']) !== undefined);
}

function describeWorker(worker: Worker): string {
  return `the Worker (${worker.configPath})`;
}
