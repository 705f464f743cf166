// `# noqa: PW003, PW004` (Python, TOML) and `// noqa: PW013` (JSONC) on a finding's first line.
// A bare `# noqa` silences nothing here; codes of other tools are ignored, as ruff does.

const NOQA = /(?:#|\/\/)\s*noqa\s*:\s*([A-Za-z]+[0-9]+(?:\s*,\s*[A-Za-z]+[0-9]+|\s+[A-Za-z]+[0-9]+)*)/gi;

/** Codes a line's noqa comments name (upper-cased). */
export function noqaCodes(line: string): Set<string> {
  const codes = new Set<string>();
  if (!line.includes('noqa')) return codes;
  for (const m of line.matchAll(NOQA)) {
    for (const code of m[1].split(/[\s,]+/)) if (code) codes.add(code.toUpperCase());
  }
  return codes;
}
