import { ConfigDocument } from '../src/engine/config-doc.js';
import type { Rule } from '../src/engine/rule.js';
import { correctionOf, fixIfPossible, flagListAnchor, flagLists, pythonWorkerConfig, sectionDate, sectionProfile } from './lib/config-helpers.js';

const FLAG = 'python_dedicated_snapshot';
const OFF = 'disable_python_dedicated_snapshot';
const SINCE = '2025-10-16';

export const rule: Rule = {
  meta: {
    code: 'PW008',
    name: 'dedicated-snapshot-flag',
    gotcha: 8,
    severity: 'info',
    languages: ['wrangler'],
    fixable: 'safe',
    docs: {
      summary: '`python_dedicated_snapshot` missing where the date does not imply it, or set explicitly where the date already does',
      whatItDoes:
        'Reports, as advice, a Python Worker whose compatibility date and flags leave the dedicated memory snapshot off (no `python_dedicated_snapshot` in `compatibility_flags`, not implied by the date), at the `compatibility_flags` key. ' +
        'Also reports an explicit `python_dedicated_snapshot` that every section using that flag list would get from its date anyway. Each `env.<name>` is judged with the date and flags it runs with.',
      whyItBreaks:
        'Python Workers start from a memory snapshot. Without a dedicated one, every cold start imports the Worker\'s modules and packages again: seconds for FastAPI or Pydantic instead of about one. A dedicated snapshot is taken at deploy, after the top-level code ran. ' +
        'Once the date implies it, the explicit flag is noise that suggests it still matters.',
      whenItHolds:
        'Missing: compatibility date before 2025-10-16, or a later date on the Python 3.12 runtime (`no_python_workers_20250116`), since the date implies the flag only together with `python_workers_20250116`. Silent when `disable_python_dedicated_snapshot` is set (a deliberate choice) and when the date is unknown. ' +
        'Redundant: compatibility date 2025-10-16 or later on the 3.13 runtime or newer, for every section that uses the flag list.',
      example: '# wrangler.toml\nmain = "src/entry.py"\ncompatibility_date = "2025-03-10"\ncompatibility_flags = ["python_workers"]',
      useInstead: 'main = "src/entry.py"\ncompatibility_date = "2025-03-10"\ncompatibility_flags = ["python_workers", "python_dedicated_snapshot"]',
      fixSafety:
        'Safe: adds the flag to (or removes it from) the `compatibility_flags` list the section runs with, keeping comments and formatting; a misspelt form of the flag is corrected instead of adding a second one. With the snapshot, module-level code runs once at deploy and its state is reused, so import-time randomness (PW009) matters at deploy.',
      references: [
        { title: 'Cloudflare blog: Python Workers redux (dedicated memory snapshots)', url: 'https://blog.cloudflare.com/python-workers-advancements/' },
        { title: 'Cloudflare: compatibility flags', url: 'https://developers.cloudflare.com/workers/configuration/compatibility-flags/' },
        { title: 'workerd: compatibility-date.capnp (pythonDedicatedSnapshot)', url: 'https://github.com/cloudflare/workerd/blob/main/src/workerd/io/compatibility-date.capnp' },
      ],
    },
  },
  config(ctx) {
    const target = pythonWorkerConfig(ctx);
    if (!target) return;
    const { worker, doc } = target;
    for (const list of flagLists(doc)) {
      if (list.flags.includes(OFF)) continue;
      const profiles = list.users.map((section) => ({ section, profile: sectionProfile(doc, section, list.flags, worker) }));
      const known = profiles.filter((p) => p.profile.known);
      const missing = known.filter((p) => !p.profile.flags.has(FLAG));
      if (missing.length) {
        const { section, profile } = missing[0];
        const date = sectionDate(doc, section).value!;
        const why =
          date < SINCE
            ? `compatibility_date ${date} is before ${SINCE}`
            : `the Python ${profile.python} runtime does not get it from compatibility_date ${date}`;
        const misspelt = list.node?.children.find((c) => c.kind === 'string' && correctionOf(c.value as string) === FLAG);
        if (misspelt) {
          ctx.report({
            ...ConfigDocument.keyOrValue(misspelt),
            message: `\`${String(misspelt.value)}\` is not a flag, so the dedicated memory snapshot is off (${why}): slower cold starts`,
            fix: {
              applicability: 'safe',
              description: `Spell it \`${FLAG}\``,
              edits: doc.replaceValue([...list.path, list.node!.children.indexOf(misspelt)], FLAG),
            },
          });
          continue;
        }
        ctx.report({
          ...flagListAnchor(doc, list, section),
          message: `No dedicated memory snapshot: ${why} and \`compatibility_flags\` lack \`${FLAG}\`, so cold starts re-import the Worker's modules`,
          fix: fixIfPossible('safe', `Add \`${FLAG}\` to \`compatibility_flags\``, () => doc.appendToArray(list.path, FLAG)),
        });
        continue;
      }
      const explicit = list.node?.children.findIndex((c) => c.value === FLAG) ?? -1;
      if (explicit < 0 || known.length !== profiles.length || !known.length) continue;
      const without = list.flags.filter((f) => f !== FLAG);
      const impliedEverywhere = list.users.every((section) => sectionProfile(doc, section, without, worker).flags.has(FLAG));
      if (!impliedEverywhere) continue;
      const date = sectionDate(doc, list.users[0]).value!;
      ctx.report({
        ...ConfigDocument.keyOrValue(list.node!.children[explicit]),
        message: `\`${FLAG}\` is redundant: compatibility_date ${date} (${SINCE} or later, Python 3.13 runtime or newer) already turns the dedicated snapshot on`,
        fix: { applicability: 'safe', description: `Remove \`${FLAG}\``, edits: doc.removeArrayItem([...list.path, explicit]) },
      });
    }
  },
};
