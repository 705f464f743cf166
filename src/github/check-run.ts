// The `pyworkers-review` check run: a conclusion, a summary, and one annotation per finding (GitHub
// takes 50 per request: the first batch with the creation, the rest as updates).
import type { Finding, Severity } from '../engine/index.js';
import { renderNotes, type ReviewNotes } from '../pipeline/review-pipeline.js';
import { checkRunAnnotations, codeSpan, escapeText } from '../review/index.js';
import { CHECK_NAME, type GitHub } from './types.js';

export type CheckConclusion = 'failure' | 'neutral' | 'success';

/**
 * `failure` when a finding is an error (it breaks deploy or run), `neutral` when the worst is a
 * warning (likely a bug: visible, not blocking), `success` for info only or nothing.
 */
export function conclusionOf(findings: readonly Finding[]): CheckConclusion {
  if (findings.some((f) => f.severity === 'error')) return 'failure';
  if (findings.some((f) => f.severity === 'warning')) return 'neutral';
  return 'success';
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function checkTitle(findings: readonly Finding[]): string {
  if (findings.length === 0) return 'No findings';
  const count = (s: Severity) => findings.filter((f) => f.severity === s).length;
  const parts = [plural(count('error'), 'error'), plural(count('warning'), 'warning'), `${count('info')} info`];
  return parts.filter((p) => !p.startsWith('0 ')).join(', ');
}

/** GitHub's limit for the summary and the text of a check run. */
const OUTPUT_LIMIT = 65_535;
const TABLE_ROWS = 200;

function table(findings: readonly Finding[]): string {
  if (findings.length === 0) return '';
  const cell = (s: string) => s.replace(/\r?\n/g, ' ').replace(/\|/g, '\\|');
  const rows = findings
    .slice(0, TABLE_ROWS)
    .map((f) => `| ${f.severity} | ${cell(escapeText(f.code))} | ${cell(codeSpan(`${f.path}:${f.line}`))} | ${cell(escapeText(f.message))} |`);
  const more = findings.length > TABLE_ROWS ? `\n\n…and ${findings.length - TABLE_ROWS} more (see the annotations).` : '';
  return ['| Severity | Code | Location | Message |', '| --- | --- | --- | --- |', ...rows].join('\n') + more;
}

function clip(text: string): string {
  return text.length <= OUTPUT_LIMIT ? text : `${text.slice(0, OUTPUT_LIMIT - 1)}…`;
}

export interface CheckRunInput {
  owner: string;
  repo: string;
  headSha: string;
  findings: readonly Finding[];
  notes: ReviewNotes;
  /** Files reviewed (linted). */
  fileCount: number;
}

export function checkSummary(input: Pick<CheckRunInput, 'findings' | 'notes' | 'fileCount'>): string {
  const { findings } = input;
  const head =
    input.fileCount === 0
      ? 'No file this app reviews changed (Python files, wrangler configs, pyproject.toml, requirements*.txt, package.json).'
      : findings.length === 0
      ? `No findings in ${plural(input.fileCount, 'changed file')} reviewed.`
      : `${plural(findings.length, 'finding')} (${checkTitle(findings)}) in ${plural(input.fileCount, 'changed file')} reviewed.`;
  return clip([head, renderNotes(input.notes)].filter(Boolean).join('\n\n'));
}

/** Creates the completed check run with its annotations; returns its id. */
export async function publishCheckRun(gh: GitHub, input: CheckRunInput): Promise<number> {
  const batches = checkRunAnnotations(input.findings);
  const title = checkTitle(input.findings);
  const summary = checkSummary(input);
  const text = clip(table(input.findings));
  const { data } = await gh.rest.checks.create({
    owner: input.owner,
    repo: input.repo,
    name: CHECK_NAME,
    head_sha: input.headSha,
    status: 'completed',
    conclusion: conclusionOf(input.findings),
    completed_at: new Date().toISOString(),
    output: { title, summary, ...(text ? { text } : {}), annotations: batches[0] ?? [] },
  });
  for (const annotations of batches.slice(1)) {
    await gh.rest.checks.update({
      owner: input.owner,
      repo: input.repo,
      check_run_id: data.id,
      output: { title, summary, annotations },
    });
  }
  return data.id;
}
