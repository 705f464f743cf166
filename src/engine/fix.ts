// Applying fixes to a file's text, as `--fix` and the rule tests do.
import { LineIndex, applyOffsetEdits } from './text.js';
import type { Applicability, Finding, OffsetEdit } from './types.js';

/**
 * Apply the fixes of `findings` (one file) whose applicability is allowed. Fixes that overlap an
 * already chosen fix are left for the next pass, as ruff does; returns the new text and the
 * findings whose fix was applied.
 */
export function applyFixes(
  text: string,
  findings: readonly Finding[],
  allowed: readonly Applicability[] = ['safe'],
): { text: string; applied: Finding[] } {
  const index = new LineIndex(text);
  const chosen: OffsetEdit[] = [];
  const applied: Finding[] = [];
  for (const f of findings) {
    if (!f.fix || !allowed.includes(f.fix.applicability)) continue;
    const edits = f.fix.edits.map((e) => index.toOffsetEdit(e));
    const overlaps = edits.some((e) => chosen.some((c) => e.start < c.end && c.start < e.end || (e.start === e.end && e.start === c.start && c.start === c.end)));
    if (overlaps) continue;
    chosen.push(...edits);
    applied.push(f);
  }
  return { text: applyOffsetEdits(text, chosen), applied };
}
