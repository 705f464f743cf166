// `requirements*.txt`: one requirement a line, with the ranges rules point at.

export interface Requirement {
  /** PEP 503 normalised distribution name. */
  name: string;
  /** The name as written. */
  rawName: string;
  /** Version specifier as written (`==1.2`, `>=2,<3`), '' when none. */
  specifier: string;
  /** Offsets of the whole requirement (without comment) and of its name. */
  start: number;
  end: number;
  nameStart: number;
  nameEnd: number;
  line: number;
}

export function normalizeDistName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, '-');
}

const REQUIREMENT = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*([^;#]*)/;

/** Parse a requirements file; options (`-r`, `--index-url`), URLs and blank lines are skipped. */
export function parseRequirements(text: string): Requirement[] {
  const out: Requirement[] = [];
  let offset = 0;
  const lines = text.split(/(\r\n|\n|\r)/);
  let lineNo = 0;
  for (let i = 0; i < lines.length; i += 2) {
    const raw = lines[i];
    lineNo++;
    const lineStart = offset;
    offset += raw.length + (lines[i + 1]?.length ?? 0);
    const lead = raw.length - raw.trimStart().length;
    const body = raw.slice(lead);
    if (!body || body.startsWith('#') || body.startsWith('-')) continue;
    const m = REQUIREMENT.exec(body);
    if (!m) continue;
    const rawName = m[1];
    const specifier = m[3].trim();
    if (/^[a-z]+:\/\//i.test(body) || specifier.startsWith('@')) continue;
    const nameStart = lineStart + lead;
    // A comment starts at whitespace + `#` (found without /\s+#.*$/, quadratic on long blank runs).
    const hash = body.search(/\s#/);
    const withoutComment = (hash >= 0 ? body.slice(0, hash) : body).trimEnd();
    out.push({
      name: normalizeDistName(rawName),
      rawName,
      specifier,
      start: nameStart,
      end: nameStart + withoutComment.length,
      nameStart,
      nameEnd: nameStart + rawName.length,
      line: lineNo,
    });
  }
  return out;
}

/** Parse a PEP 508 string as found in pyproject.toml (`"pg8000>=1.30"`). */
export function parseRequirementString(s: string): { name: string; rawName: string; specifier: string } | null {
  const m = REQUIREMENT.exec(s.trim());
  if (!m) return null;
  return { name: normalizeDistName(m[1]), rawName: m[1], specifier: m[3].trim() };
}
