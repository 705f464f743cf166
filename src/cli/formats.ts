// Output formats of `check`: text (like ruff), json (DESIGN.md), sarif 2.1.0, github annotations.
import { createHash } from 'node:crypto';
import type { Rule } from '../engine/rule.js';
import type { Finding } from '../engine/types.js';

export type Format = 'text' | 'json' | 'sarif' | 'github';
export const FORMATS: readonly Format[] = ['text', 'json', 'sarif', 'github'];

export interface Report {
  findings: Finding[];
  notes: string[];
  fixed?: number;
}

const LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;

export function formatJson(findings: readonly Finding[]): string {
  return JSON.stringify({ version: 1, findings: findings.map(orderFinding) }, null, 2) + '\n';
}

/** The wire shape with a stable key order. */
function orderFinding(f: Finding): Finding {
  const out: Finding = {
    code: f.code,
    name: f.name,
    gotcha: f.gotcha,
    severity: f.severity,
    path: f.path,
    line: f.line,
    column: f.column,
    endLine: f.endLine,
    endColumn: f.endColumn,
    message: f.message,
    docsUrl: f.docsUrl,
  };
  if (f.fix) {
    out.fix = {
      applicability: f.fix.applicability,
      description: f.fix.description,
      edits: f.fix.edits.map((e) => ({ line: e.line, column: e.column, endLine: e.endLine, endColumn: e.endColumn, text: e.text })),
    };
  }
  return out;
}

export function formatText(report: Report, color: boolean): string {
  const c = (code: string, s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  const sev = { error: c('31', 'error'), warning: c('33', 'warning'), info: c('36', 'info') };
  const lines: string[] = [];
  for (const f of report.findings) {
    lines.push(`${c('1', `${f.path}:${f.line}:${f.column}`)}: ${c('1;31', f.code)} ${sev[f.severity]} ${f.message}`);
    if (f.fix) {
      const kind = f.fix.applicability === 'safe' ? '[*] fixable with --fix' : f.fix.applicability === 'unsafe' ? 'unsafe fix available (--unsafe-fixes)' : 'hint';
      lines.push(`  ${c('32', 'help')}: ${f.fix.description} (${kind})`);
    }
    lines.push(`  ${c('2', 'docs')}: ${f.docsUrl}`);
  }
  const counts = { error: 0, warning: 0, info: 0 };
  for (const f of report.findings) counts[f.severity]++;
  const fixable = report.findings.filter((f) => f.fix?.applicability === 'safe').length;
  if (report.findings.length === 0) lines.push(report.fixed ? `Fixed ${report.fixed}; no findings remain.` : 'All checks passed.');
  else {
    lines.push(
      `Found ${report.findings.length} finding${report.findings.length === 1 ? '' : 's'} (${counts.error} error, ${counts.warning} warning, ${counts.info} info)` +
        (report.fixed ? `, after fixing ${report.fixed}` : '') +
        '.',
    );
    if (fixable) lines.push(`[*] ${fixable} fixable with the \`--fix\` option.`);
  }
  return lines.join('\n') + '\n';
}

function escapeAnnotation(s: string, property: boolean): string {
  let out = s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
  if (property) out = out.replace(/:/g, '%3A').replace(/,/g, '%2C');
  return out;
}

/** GitHub Actions workflow commands (::error file=…::message). */
export function formatGithub(findings: readonly Finding[]): string {
  const cmd = { error: 'error', warning: 'warning', info: 'notice' };
  return findings
    .map((f) => {
      const props = [
        `file=${escapeAnnotation(f.path, true)}`,
        `line=${f.line}`,
        `col=${f.column}`,
        `endLine=${f.endLine}`,
        ...(f.line === f.endLine ? [`endColumn=${f.endColumn}`] : []),
        `title=${escapeAnnotation(`${f.code} ${f.name}`, true)}`,
      ].join(',');
      return `::${cmd[f.severity]} ${props}::${escapeAnnotation(`${f.message} (${f.docsUrl})`, false)}\n`;
    })
    .join('');
}

/** SARIF 2.1.0 for GitHub code scanning (columns in UTF-16 code units). */
export function formatSarif(findings: readonly Finding[], rules: readonly Rule[], version: string): string {
  const used = rules;
  const index = new Map(used.map((r, i) => [r.meta.code, i]));
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'pyworkers-review',
            version,
            informationUri: 'https://github.com/pyworkers-review/pyworkers-review',
            rules: used.map((r) => ({
              id: r.meta.code,
              name: r.meta.name,
              shortDescription: { text: r.meta.docs.summary },
              fullDescription: { text: r.meta.docs.whatItDoes },
              help: { text: `${r.meta.docs.whyItBreaks}\n\nWhen it holds: ${r.meta.docs.whenItHolds}` },
              helpUri: findings.find((f) => f.code === r.meta.code)?.docsUrl,
              defaultConfiguration: { level: LEVEL[r.meta.severity] },
              properties: { tags: ['cloudflare', 'python-workers', `gotcha-${r.meta.gotcha}`] },
            })),
          },
        },
        columnKind: 'utf16CodeUnits',
        results: findings.map((f) => ({
          ruleId: f.code,
          ruleIndex: index.get(f.code),
          level: LEVEL[f.severity],
          message: { text: f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: encodeURI(f.path), uriBaseId: '%SRCROOT%' },
                region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
              },
            },
          ],
          partialFingerprints: {
            'pyworkersReview/v1': createHash('sha256').update(`${f.code}\0${f.path}\0${f.message}`).digest('hex').slice(0, 32),
          },
          ...(f.fix && f.fix.applicability !== 'display'
            ? {
                fixes: [
                  {
                    description: { text: f.fix.description },
                    artifactChanges: [
                      {
                        artifactLocation: { uri: encodeURI(f.path), uriBaseId: '%SRCROOT%' },
                        replacements: f.fix.edits.map((e) => ({
                          deletedRegion: { startLine: e.line, startColumn: e.column, endLine: e.endLine, endColumn: e.endColumn },
                          insertedContent: { text: e.text },
                        })),
                      },
                    ],
                  },
                ],
              }
            : {}),
        })),
      },
    ],
  };
  return JSON.stringify(sarif, null, 2) + '\n';
}
