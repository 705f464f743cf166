// `pyworkers-review review --base REF [--format markdown|json] [PATH]`: the review the GitHub App
// would post for the local changes against REF, printed instead of posted.
import { parseArgs } from 'node:util';
import { RULES, ruleKeys } from '../../rules/index.js';
import { parseRepoConfig, RepoConfigError, type Finding, type RepoConfig } from '../engine/index.js';
import { GitError, readLocalChanges } from '../local/git.js';
import { composeReviewBody, notesFrom, runReviewPipeline, type ReviewNotes } from '../pipeline/review-pipeline.js';
import { renderReviewMarkdown, suggestionFromComment, type ReviewPlan } from '../review/index.js';

const USAGE = 'usage: pyworkers-review review --base REF [--format markdown|json] [PATH]';
const FORMATS = ['markdown', 'json'] as const;
type ReviewFormat = (typeof FORMATS)[number];

class UsageProblem extends Error {}

interface ReviewArgs {
  base: string;
  format: ReviewFormat;
  path: string;
}

function parse(args: string[]): ReviewArgs | 'help' {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      allowPositionals: true,
      options: {
        base: { type: 'string' },
        format: { type: 'string', default: 'markdown' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    throw new UsageProblem(`${(err as Error).message.split('\n')[0]} (${USAGE})`);
  }
  const { values, positionals } = parsed;
  if (values.help) return 'help';
  if (!values.base) throw new UsageProblem(`--base REF is required (${USAGE})`);
  const format = values.format as ReviewFormat;
  if (!FORMATS.includes(format)) throw new UsageProblem(`unknown format \`${values.format}\` (markdown, json)`);
  if (positionals.length > 1) throw new UsageProblem(`at most one PATH (${USAGE})`);
  return { base: values.base, format, path: positionals[0] ?? '.' };
}

/** The repository config as the app would use it: defaults (and the problems) when it is invalid. */
function repoConfig(file: { path: string; text: string } | undefined): { config?: RepoConfig; notes: ReviewNotes } {
  if (!file) return { notes: {} };
  try {
    return { config: parseRepoConfig(file.text, ruleKeys()), notes: {} };
  } catch (err) {
    if (!(err instanceof RepoConfigError)) throw err;
    return { notes: { config: { source: file.path, problems: err.problems } } };
  }
}

function wireFinding(f: Finding): Finding {
  const { code, name, gotcha, severity, path, line, column, endLine, endColumn, message, docsUrl, fix } = f;
  return { code, name, gotcha, severity, path, line, column, endLine, endColumn, message, docsUrl, ...(fix ? { fix } : {}) };
}

function toJson(plan: ReviewPlan, findings: readonly Finding[], meta: { base: string; head: string | undefined }): string {
  return JSON.stringify(
    {
      version: 1,
      base: meta.base,
      head: meta.head ?? null,
      event: plan.event,
      commit_id: plan.commit_id,
      body: plan.body,
      comments: plan.comments.map((c) => {
        const suggestion = suggestionFromComment(c);
        return {
          path: c.path,
          ...(c.start_line !== undefined ? { start_line: c.start_line, start_side: c.start_side } : {}),
          line: c.line,
          side: c.side,
          code: c.finding.code,
          fingerprint: c.fingerprint,
          body: c.body,
          ...(suggestion ? { suggestion } : {}),
        };
      }),
      notShownInline: plan.bodyFindings.map((b) => ({ ...wireFinding(b.finding), reason: b.reason, fingerprint: b.fingerprint })),
      findings: findings.map(wireFinding),
    },
    null,
    2,
  );
}

/** Runs the `review` command; returns the exit status (0 clean, 1 errors or warnings, 2 bad usage). */
export async function runReviewCommand(args: string[]): Promise<number> {
  try {
    const parsed = parse(args);
    if (parsed === 'help') {
      process.stdout.write(
        `${USAGE}\n\nPrints the review the GitHub App would post for the changes of the working tree against the\n` +
          'merge base of REF and HEAD (tracked files; `git add -N FILE` adds a new one), limited to PATH.\n',
      );
      return 0;
    }
    const local = readLocalChanges(parsed.base, parsed.path);
    const { config, notes: configNotes } = repoConfig(local.repoConfig);
    if (configNotes.config) {
      process.stderr.write(`pyworkers-review: ${local.repoConfig!.path} is invalid, using the defaults: ${configNotes.config.problems.join('; ')}\n`);
    }
    const headSha = local.head ?? '0'.repeat(40);
    const { analysis, plan, config: used } = await runReviewPipeline({ files: local.files, context: local.context, config, headSha, rules: RULES });
    const notes = notesFrom(analysis, { ...configNotes, skipped: local.unreadable });
    const body = composeReviewBody({
      findings: analysis.findings,
      comments: plan.comments,
      bodyFindings: plan.bodyFindings,
      config: used,
      headSha,
      notes,
    });
    const review: ReviewPlan = { ...plan, body };
    process.stdout.write(
      parsed.format === 'json'
        ? `${toJson(review, analysis.findings, { base: local.base, head: local.head })}\n`
        : renderReviewMarkdown(review),
    );
    return analysis.findings.some((f) => f.severity === 'error' || f.severity === 'warning') ? 1 : 0;
  } catch (err) {
    if (err instanceof UsageProblem || err instanceof GitError) {
      process.stderr.write(`pyworkers-review: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}
