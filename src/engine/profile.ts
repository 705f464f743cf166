// The runtime profile of a Worker, as ../shared/spec/runtime-facts.md describes it.
import type { RuntimeProfile } from './types.js';

/** Flags a compatibility date turns on, with the flag names that switch them off (workerd compatibility-date.capnp). */
export const DATE_IMPLIED_FLAGS: readonly { flag: string; since: string; off: string[]; note: string }[] = [
  { flag: 'allow_eval_during_startup', since: '2025-06-01', off: ['disallow_eval_during_startup'], note: 'js.eval allowed at module level' },
  { flag: 'python_no_global_handlers', since: '2025-08-14', off: ['disable_python_no_global_handlers'], note: 'module-level handlers ignored' },
  { flag: 'python_workflows', since: '2025-09-20', off: ['disable_python_workflows'], note: 'Python Workflows' },
  { flag: 'python_workers_20250116', since: '2025-09-29', off: ['no_python_workers_20250116'], note: 'Python 3.13, Pyodide 0.28' },
  { flag: 'python_dedicated_snapshot', since: '2025-10-16', off: ['disable_python_dedicated_snapshot'], note: 'dedicated memory snapshot' },
  { flag: 'python_check_rng_state', since: '2025-12-16', off: ['disable_python_check_rng_state'], note: 'RNG state checked after the snapshot' },
  { flag: 'enable_python_external_sdk', since: '2026-04-21', off: ['disable_python_external_sdk'], note: 'workers SDK no longer built in' },
];

/**
 * Every Python-related flag the runtime knows, explicit opt-ins and opt-outs included. Read from
 * workerd `src/workerd/io/compatibility-date.capnp` (the `$compatEnableFlag`/`$compatDisableFlag`
 * names of the Python fields, obsolete ones too, since the runtime still accepts them) and from
 * the Cloudflare compatibility-flags docs for flags newer than the capnp copy we read
 * (`python_process_pth_files`, 2026-05-26; `python_workers_20260610`). Rules that judge flag
 * names (PW023) treat anything else that looks like a Python flag as unknown.
 */
export const KNOWN_PYTHON_FLAGS: readonly string[] = [
  'python_workers',
  'python_workers_20250116',
  'no_python_workers_20250116',
  'python_workers_20260610',
  'python_no_global_handlers',
  'disable_python_no_global_handlers',
  'python_workflows',
  'disable_python_workflows',
  'python_workflows_implicit_dependencies',
  'no_python_workflows_implicit_dependencies',
  'python_dedicated_snapshot',
  'disable_python_dedicated_snapshot',
  'python_check_rng_state',
  'disable_python_check_rng_state',
  'enable_python_external_sdk',
  'disable_python_external_sdk',
  'python_workers_force_new_vendor_path',
  'python_request_headers_preserve_commas',
  'disable_python_request_headers_preserve_commas',
  'python_process_pth_files',
  'disable_python_process_pth_files',
  'python_workers_development',
  'python_workers_durable_objects',
  'python_external_packages',
  'python_external_bundle',
  'allow_eval_during_startup',
  'disallow_eval_during_startup',
];

export const SDK_DISTRIBUTIONS = ['workers-py', 'workers-runtime-sdk'];

export interface ProfileInput {
  compatibilityDate: string | null;
  flags: string[];
  /** Distribution names (normalised) listed anywhere in the Worker's pyproject.toml. */
  pyprojectDependencies: string[] | null;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function deriveProfile(input: ProfileInput, where: { workerRoot: string; configPath: string }): RuntimeProfile {
  const notes: string[] = [];
  const explicit = [...input.flags];
  const flags = new Set(explicit);
  const date = input.compatibilityDate && DATE.test(input.compatibilityDate) ? input.compatibilityDate : null;
  if (date) {
    for (const implied of DATE_IMPLIED_FLAGS) {
      if (date < implied.since) continue;
      if (implied.off.some((f) => flags.has(f))) {
        notes.push(`${implied.flag} switched off by ${implied.off.find((f) => flags.has(f))}`);
        continue;
      }
      if (implied.flag === 'python_dedicated_snapshot' && !(flags.has('python_workers_20250116') || flags.has('python_workers_20260610'))) continue;
      if (!flags.has(implied.flag)) notes.push(`${implied.flag} implied by compatibility_date ${date}`);
      flags.add(implied.flag);
    }
  }
  for (const implied of DATE_IMPLIED_FLAGS) if (implied.off.some((f) => flags.has(f))) flags.delete(implied.flag);

  let python: RuntimeProfile['python'] = '3.12';
  let pyodide: RuntimeProfile['pyodide'] = '0.26';
  if (flags.has('python_workers_20260610')) {
    python = '3.14';
    pyodide = '314';
  } else if (flags.has('python_workers_20250116')) {
    python = '3.13';
    pyodide = '0.28';
  }

  const vendoredByPyproject = (input.pyprojectDependencies ?? []).some((d) => SDK_DISTRIBUTIONS.includes(d));
  const sdk = vendoredByPyproject || flags.has('enable_python_external_sdk') ? 'vendored' : 'built-in';
  if (vendoredByPyproject) notes.push('workers SDK vendored through pyproject.toml');

  return {
    known: date !== null,
    workerRoot: where.workerRoot,
    configPath: where.configPath,
    compatibilityDate: date,
    explicitFlags: explicit,
    flags,
    python,
    pyodide,
    sdk,
    notes: date ? notes : [...notes, 'no valid compatibility_date: runtime unknown'],
  };
}

export function unknownProfile(note: string, root: string | null = null, configPath: string | null = null): RuntimeProfile {
  return {
    known: false,
    workerRoot: root,
    configPath,
    compatibilityDate: null,
    explicitFlags: [],
    flags: new Set(),
    python: null,
    pyodide: null,
    sdk: 'unknown',
    notes: [note],
  };
}

/** A short description for messages: "compatibility_date 2025-09-01, Python 3.12, built-in SDK". */
export function describeProfile(p: RuntimeProfile): string {
  if (!p.known) return 'runtime unknown';
  return `compatibility_date ${p.compatibilityDate}, Python ${p.python} (Pyodide ${p.pyodide}), ${p.sdk} SDK`;
}
