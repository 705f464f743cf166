import { describe, expect, it } from 'vitest';
import { ruleKeys } from '../../rules/index.js';
import { parseRepoConfig, RepoConfigError, resolveRepoConfig, DEFAULT_CONFIG } from '../../src/engine/index.js';

function problems(yaml: string): string[] {
  try {
    parseRepoConfig(yaml, ruleKeys());
  } catch (err) {
    if (err instanceof RepoConfigError) return err.problems;
    throw err;
  }
  return [];
}

describe('repository config', () => {
  it('merges over the defaults, accepting rule codes and names', () => {
    const c = parseRepoConfig('rules:\n  PW004: off\n  legacy-global-handler: warning\nreview:\n  max_comments: 5\n', ruleKeys());
    expect(c.rules).toEqual({ PW004: 'off', PW002: 'warning' });
    expect(c.review).toEqual({ ...DEFAULT_CONFIG.review, max_comments: 5 });
    expect(c.limits.max_file_bytes).toBe(1_000_000);
  });

  it('an empty file is the defaults', () => {
    expect(parseRepoConfig('', ruleKeys())).toEqual(DEFAULT_CONFIG);
    expect(resolveRepoConfig(null, ruleKeys())).toEqual(DEFAULT_CONFIG);
  });

  it.each([
    ['reveiw:\n  drafts: true\n', 'unknown key `reveiw` (did you mean `review`?)'],
    ['review:\n  max_coments: 3\n', 'unknown key `review.max_coments` (did you mean `review.max_comments`?)'],
    ['review:\n  filter: everything\n', '`review.filter` must be one of "added", "diff_context", "file"'],
    ['rules:\n  PW004: disabled\n', '`rules.PW004` must be one of "off", "info", "warning", "error"'],
    ['rules:\n  PW04: off\n', 'unknown rule `rules.PW04` (did you mean `PW004`?)'],
    ['runtime:\n  compatibility_date: "next week"\n', '`runtime.compatibility_date` must match pattern "^\\d{4}-\\d{2}-\\d{2}$"'],
    ['review:\n  max_comments: "many"\n', '`review.max_comments` must be integer'],
    ['paths: [a]\n', '`paths` must be object'],
  ])('%j → %s', (yaml, message) => {
    expect(problems(yaml)).toContain(message);
  });

  it('YAML syntax errors name the line', () => {
    expect(problems('rules:\n  PW004: off\n bad: [\n')[0]).toMatch(/^invalid YAML at line \d+/);
  });
});
