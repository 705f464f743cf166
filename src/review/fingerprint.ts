// Fingerprints tie a review comment to its finding across pushes: rule code, path, and a hash of the
// flagged source text (whitespace-normalised), never the line number, so moving code keeps them.
import { createHash } from 'node:crypto';
import type { Finding } from '../engine/types.js';
import { SourceText } from './source-text.js';

export const DEFAULT_TOOL_NAME = 'pyworkers-review';

/** The flagged text of a finding; when it is empty or only whitespace, its whole lines stand for it. */
export function flaggedText(finding: Finding, source: SourceText): string {
  const start = source.offsetOf(finding.line, finding.column);
  const end = source.offsetOf(finding.endLine, finding.endColumn);
  const text = source.text.slice(start, Math.max(start, end));
  if (normaliseWhitespace(text) !== '') return text;
  const first = source.line(finding.line);
  const last = source.line(Math.max(finding.line, finding.endLine)) ?? first;
  return first && last ? source.text.slice(first.start, last.contentEnd) : '';
}

export function normaliseWhitespace(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

export function sourceHash(text: string): string {
  return createHash('sha256').update(normaliseWhitespace(text), 'utf8').digest('hex').slice(0, 16);
}

/**
 * `CODE:path:hash16`. Pass the file's head text; without it the message stands in for the flagged
 * text. Identical snippets in one file are told apart by `fingerprintFindings`.
 */
export function fingerprint(finding: Finding, text: string | SourceText | undefined): string {
  const source = typeof text === 'string' ? new SourceText(text) : text;
  const flagged = source ? flaggedText(finding, source) : finding.message;
  return `${finding.code}:${finding.path}:${sourceHash(flagged)}`;
}

/**
 * Fingerprints for a batch of findings, in the order given. When the same code flags the same text
 * twice in a file, the later ones (in line order) get ":2", ":3"… so that each comment keeps its own.
 */
export function fingerprintFindings(
  findings: readonly Finding[],
  textOf: (path: string) => string | undefined,
): string[] {
  const sources = new Map<string, SourceText | undefined>();
  const sourceOf = (path: string): SourceText | undefined => {
    if (!sources.has(path)) {
      const text = textOf(path);
      sources.set(path, text === undefined ? undefined : new SourceText(text));
    }
    return sources.get(path);
  };
  const base = findings.map((f) => fingerprint(f, sourceOf(f.path)));
  const order = findings
    .map((f, i) => i)
    .sort((a, b) => {
      const fa = findings[a]!;
      const fb = findings[b]!;
      return fa.line - fb.line || fa.column - fb.column || a - b;
    });
  const seen = new Map<string, number>();
  const result = [...base];
  for (const i of order) {
    const n = (seen.get(base[i]!) ?? 0) + 1;
    seen.set(base[i]!, n);
    if (n > 1) result[i] = `${base[i]}:${n}`;
  }
  return result;
}

// Percent-encoding keeps "-->" (and any ">") out of the hidden comment whatever the path holds.
function encodeMarkerValue(fp: string): string {
  return encodeURIComponent(fp).replace(/%2F/g, '/').replace(/%3A/g, ':');
}

/** The hidden HTML comment that ends every review comment. */
export function fingerprintMarker(fp: string, toolName: string = DEFAULT_TOOL_NAME): string {
  return `<!-- ${encodeMarkerValue(toolName)} fingerprint=${encodeMarkerValue(fp)} -->`;
}

/** The fingerprints hidden in a comment body (usually one), in order. */
export function parseFingerprints(body: string, toolName: string = DEFAULT_TOOL_NAME): string[] {
  const found: string[] = [];
  const re = /<!-- (\S+) fingerprint=(\S+) -->/g;
  for (const m of body.matchAll(re)) {
    if (m[1] !== encodeMarkerValue(toolName)) continue;
    try {
      found.push(decodeURIComponent(m[2]!));
    } catch {
      // A hand-edited marker that does not decode is not ours to trust.
    }
  }
  return found;
}

export interface ParsedFingerprint {
  code: string;
  path: string;
  hash: string;
  occurrence: number;
}

/** Splits `CODE:path:hash[:n]` (the path may itself hold ':'). */
export function splitFingerprint(fp: string): ParsedFingerprint | undefined {
  const m = /^([^:]+):(.*):([0-9a-f]{16})(?::(\d+))?$/.exec(fp);
  if (!m) return undefined;
  return { code: m[1]!, path: m[2]!, hash: m[3]!, occurrence: m[4] ? Number(m[4]) : 1 };
}
