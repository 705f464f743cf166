// The `pyworkers-review` check run: a conclusion, a summary, and one annotation per finding (GitHub
// takes 50 per request: the first batch with the creation, the rest as updates).
import type { Finding, Severity } from '../engine/index.js';
import { renderNotes, type ReviewNotes } from '../pipeline/review-pipeline.js';
import { ANNOTATIONS_PER_REQUEST, checkRunAnnotations, codeSpan, escapeText } from '../review/index.js';
import { CHECK_NAME, describeFailure, type GitHub, type Logger } from './types.js';

/**
 * The title of a check run whose review could not finish. It carries no annotations, and the next
 * run for the same head completes it (an update, not a second check run).
 */
export const INCOMPLETE_TITLE = 'Review incomplete';

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
  /** An incomplete check run of this head to complete, instead of creating a new one. */
  replace?: number;
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

/**
 * Creates the completed check run with its annotations (or completes an incomplete one); returns its
 * id. An annotation batch GitHub refuses does not undo the check run: the rest are left out and the
 * summary says so.
 */
export async function publishCheckRun(gh: GitHub, input: CheckRunInput, log?: Logger): Promise<number> {
  const batches = checkRunAnnotations(input.findings);
  const title = checkTitle(input.findings);
  const summary = checkSummary(input);
  const text = clip(table(input.findings));
  const completed = { status: 'completed' as const, conclusion: conclusionOf(input.findings), completed_at: new Date().toISOString() };
  const output = { title, summary, ...(text ? { text } : {}), annotations: batches[0] ?? [] };
  let id: number;
  if (input.replace !== undefined) {
    await gh.rest.checks.update({ owner: input.owner, repo: input.repo, check_run_id: input.replace, ...completed, output });
    id = input.replace;
  } else {
    const { data } = await gh.rest.checks.create({ owner: input.owner, repo: input.repo, name: CHECK_NAME, head_sha: input.headSha, ...completed, output });
    id = data.id;
  }
  for (let i = 1; i < batches.length; i++) {
    try {
      await gh.rest.checks.update({ owner: input.owner, repo: input.repo, check_run_id: id, output: { title, summary, annotations: batches[i]! } });
    } catch (err) {
      const total = input.findings.length;
      const note = `Annotations ${i * ANNOTATIONS_PER_REQUEST + 1}–${total} of ${total} could not be added: ${describeFailure(err)}. The details below list the findings.`;
      log?.warn({ checkRunId: id, reason: describeFailure(err) }, 'adding check run annotations failed; the rest are left out');
      try {
        await gh.rest.checks.update({ owner: input.owner, repo: input.repo, check_run_id: id, output: { title, summary: clip(`${summary}\n\n${note}`) } });
      } catch (noteErr) {
        log?.warn({ checkRunId: id, reason: describeFailure(noteErr) }, 'could not note the missing annotations either');
      }
      break;
    }
  }
  return id;
}

export interface IncompleteCheckRun {
  owner: string;
  repo: string;
  headSha: string;
  /** What went wrong, and what it means for this commit (Markdown, already escaped). */
  explanation: string;
  /** What the run computed before it stopped, when it got that far. */
  computed?: Pick<CheckRunInput, 'findings' | 'notes' | 'fileCount'>;
  /** An incomplete check run of this head to update instead of creating another. */
  replace?: number;
}

/** The check run of a review that could not finish: why, and whatever it had found by then. */
export async function publishIncompleteCheckRun(gh: GitHub, input: IncompleteCheckRun): Promise<number> {
  const computed = input.computed;
  const summary = clip([input.explanation, computed ? checkSummary(computed) : ''].filter(Boolean).join('\n\n'));
  const text = computed ? clip(table(computed.findings)) : '';
  const completed = {
    status: 'completed' as const,
    // Findings that were computed are real: an error still fails the check.
    conclusion: computed ? conclusionOf(computed.findings) : ('neutral' as const),
    completed_at: new Date().toISOString(),
  };
  const output = { title: INCOMPLETE_TITLE, summary, ...(text ? { text } : {}) };
  if (input.replace !== undefined) {
    await gh.rest.checks.update({ owner: input.owner, repo: input.repo, check_run_id: input.replace, ...completed, output });
    return input.replace;
  }
  const { data } = await gh.rest.checks.create({ owner: input.owner, repo: input.repo, name: CHECK_NAME, head_sha: input.headSha, ...completed, output });
  return data.id;
}
