import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RULES } from '../rules/index.js';
import { renderCatalogue } from '../src/cli/catalogue.js';
import { catalogueRules } from '../src/cli/engine-rules.js';

describe('rule catalogue in docs/rules', () => {
  const files = renderCatalogue(catalogueRules(RULES));
  it('is up to date with the rules\' meta (run `npm run docs` when this fails)', () => {
    for (const [path, text] of files) {
      expect(existsSync(path), `${path} missing`).toBe(true);
      expect(readFileSync(path, 'utf8'), `${path} is stale`).toBe(text);
    }
    const extra = readdirSync('docs/rules').filter((n) => !files.has(`docs/rules/${n}`));
    expect(extra, 'files of rules that no longer exist').toEqual([]);
  });
  it('gives every rule a stable, unique code and name, and complete docs', () => {
    const all = catalogueRules(RULES);
    expect(new Set(all.map((r) => r.meta.code)).size).toBe(all.length);
    expect(new Set(all.map((r) => r.meta.name)).size).toBe(all.length);
    for (const r of all) {
      expect(r.meta.code).toMatch(/^PW\d{3}$/);
      expect(r.meta.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      for (const k of ['summary', 'whatItDoes', 'whyItBreaks', 'whenItHolds', 'example', 'useInstead', 'fixSafety'] as const) {
        expect(r.meta.docs[k].length, `${r.meta.code} docs.${k}`).toBeGreaterThan(5);
      }
      expect(r.meta.docs.references.length, `${r.meta.code} references`).toBeGreaterThan(0);
    }
  });
});
