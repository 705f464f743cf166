// The rule registry: every rule, by code. Codes are stable forever and never reused.
import type { Rule } from '../src/engine/rule.js';
import { rule as pw001 } from './pw001-missing-python-workers-flag.js';
import { rule as pw002 } from './pw002-legacy-global-handler.js';
import { rule as pw004 } from './pw004-to-py-import.js';

export const RULES: readonly Rule[] = [
  pw001,
  pw002,
  pw004,
].sort((a, b) => (a.meta.code < b.meta.code ? -1 : 1));

/** Codes and names → code, for config keys and --select. */
export function ruleKeys(rules: readonly Rule[] = RULES): Map<string, string> {
  const m = new Map<string, string>();
  for (const r of rules) {
    m.set(r.meta.code, r.meta.code);
    m.set(r.meta.name, r.meta.code);
  }
  return m;
}
