// The rule registry: every rule, by code. Codes are stable forever and never reused.
import type { Rule } from '../src/engine/rule.js';
import { rule as pw001 } from './pw001-missing-python-workers-flag.js';
import { rule as pw002 } from './pw002-legacy-global-handler.js';
import { rule as pw004 } from './pw004-to-py-import.js';
import { rule as pw003 } from './pw003-sync-http-client.js';
import { rule as pw005 } from './pw005-none-bound-to-d1.js';
import { rule as pw006 } from './pw006-js-eval.js';
import { rule as pw007 } from './pw007-to-js-dict-converter.js';
import { rule as pw009 } from './pw009-entropy-at-import-time.js';
import { rule as pw011 } from './pw011-d1-results-to-py.js';
import { rule as pw012 } from './pw012-htmlrewriter-data-urls.js';
import { rule as pw014 } from './pw014-queue-body-to-py.js';
import { rule as pw018 } from './pw018-stdlib-unavailable.js';
import { rule as pw019 } from './pw019-handler-too-few-parameters.js';
import { rule as pw020 } from './pw020-entrypoint-method-on-prefix.js';
import { rule as pw021 } from './pw021-global-handler-without-on-prefix.js';
import { rule as pw008 } from './pw008-dedicated-snapshot-flag.js';
import { rule as pw010 } from './pw010-cpu-limit.js';
import { rule as pw013 } from './pw013-remote-only-binding.js';
import { rule as pw015 } from './pw015-package-not-in-pyodide.js';
import { rule as pw016 } from './pw016-pywrangler-install.js';
import { rule as pw017 } from './pw017-separate-dev-sessions.js';
import { rule as pw022 } from './pw022-sdk-not-vendored.js';
import { rule as pw023 } from './pw023-unknown-python-flag.js';

export const RULES: readonly Rule[] = [
  pw001,
  pw002,
  pw004,
  pw003,
  pw005,
  pw006,
  pw007,
  pw009,
  pw011,
  pw012,
  pw014,
  pw018,
  pw019,
  pw020,
  pw021,
  pw008,
  pw010,
  pw013,
  pw015,
  pw016,
  pw017,
  pw022,
  pw023,
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
