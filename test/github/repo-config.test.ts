// The repository config read inside the files query gives what Probot's context.config gives — the
// same config, the same problems, word for word — for every shape of config: each case is loaded
// both ways against the same fake GitHub (context.config through the contents API, and the app's
// query with its fallback), and the query alone must have been enough where it says it was.
import { Context } from 'probot';
import { afterEach, describe, expect, it } from 'vitest';
import { readFilesWith } from '../../src/github/fetch.js';
import { CONFIG_FILE_NAME, configRider, loadQuickConfig, loadRepoConfig, type QuickConfig } from '../../src/github/repo-config.js';
import { FakeGitHub } from '../helpers/fake-github.js';
import { testOctokit } from './helpers.js';

const CONFIG = '.github/pyworkers-review.yml';

interface Case {
  name: string;
  /** The repository's name (default: the fake's). */
  repoName?: string;
  /** Files of the repository's default branch. */
  files?: Record<string, string>;
  /** Symbolic links of the default branch. */
  links?: Record<string, string>;
  /** The owner's `.github` repository: its files, or absent (no such repository). */
  ownerRepo?: Record<string, string>;
  /** Other repositories of the owner (for `_extends`). */
  others?: Record<string, Record<string, string>>;
  /** Whether the files query alone knows the config. */
  exact: boolean;
  /** A check on the result, so that equal results are not equal by accident (both the defaults). */
  expectConfig?: (loaded: Awaited<ReturnType<typeof loadRepoConfig>>) => void;
}

const maxComments = (n: number) => (loaded: Awaited<ReturnType<typeof loadRepoConfig>>) => {
  expect(loaded.notes).toEqual({});
  expect(loaded.config.review.max_comments).toBe(n);
};
const defaults = (loaded: Awaited<ReturnType<typeof loadRepoConfig>>) => {
  expect(loaded.notes).toEqual({});
  expect(loaded.config.review.max_comments).toBe(30);
};
const problem = (pattern: RegExp) => (loaded: Awaited<ReturnType<typeof loadRepoConfig>>) => {
  expect(loaded.notes.config?.problems.join('\n')).toMatch(pattern);
};

const cases: Case[] = [
  { name: 'no config, no .github repository', exact: true, expectConfig: defaults },
  { name: 'no config, a .github repository without one', ownerRepo: { 'README.md': '# org\n' }, exact: true, expectConfig: defaults },
  { name: 'a .github folder without the config', files: { '.github/workflows/ci.yml': 'on: push\n' }, exact: true, expectConfig: defaults },
  { name: 'config in the repository', files: { [CONFIG]: 'review:\n  max_comments: 3\nrules:\n  PW004: warning\n' }, exact: true, expectConfig: maxComments(3) },
  { name: "config in the owner's .github repository", ownerRepo: { [CONFIG]: 'review:\n  max_comments: 4\n' }, exact: true, expectConfig: maxComments(4) },
  {
    name: 'config in both: the repository wins',
    files: { [CONFIG]: 'review:\n  max_comments: 5\n' },
    ownerRepo: { [CONFIG]: 'review:\n  max_comments: 6\n  drafts: true\n' },
    exact: true,
    expectConfig: (loaded) => {
      maxComments(5)(loaded);
      expect(loaded.config.review.drafts).toBe(false);
    },
  },
  { name: 'an empty file', files: { [CONFIG]: '' }, ownerRepo: { [CONFIG]: 'review:\n  max_comments: 6\n' }, exact: true, expectConfig: defaults },
  { name: 'only a comment', files: { [CONFIG]: '# nothing yet\n' }, exact: true, expectConfig: defaults },
  { name: 'false', files: { [CONFIG]: 'false\n' }, exact: true, expectConfig: defaults },
  { name: 'a byte order mark', files: { [CONFIG]: '\uFEFFreview:\n  max_comments: 7\n' }, exact: true, expectConfig: maxComments(7) },
  {
    name: 'non-ASCII text',
    files: { [CONFIG]: 'paths:\n  exclude: ["docs/é/**", "中文/**"]\n' },
    exact: true,
    expectConfig: (loaded) => expect(loaded.config.paths.exclude).toEqual(['docs/é/**', '中文/**']),
  },
  { name: 'anchors and aliases', files: { [CONFIG]: 'x-common: &c\n  max_comments: 8\nreview: *c\n' }, exact: true, expectConfig: problem(/x-common/) },
  { name: 'a schema problem', files: { [CONFIG]: 'review:\n  max_coments: 1\n' }, exact: true, expectConfig: problem(/review\.max_coments/) },
  { name: 'a schema problem in the .github repository', ownerRepo: { [CONFIG]: 'rulez: {}\n' }, exact: true, expectConfig: problem(/rulez/) },
  // Left to context.config: the query says it cannot know, and the result is still the same.
  { name: 'invalid YAML', files: { [CONFIG]: 'review: [unclosed\n' }, exact: false, expectConfig: problem(/could not be parsed .*invalid YAML/) },
  { name: 'invalid YAML in the .github repository', ownerRepo: { [CONFIG]: 'a: b: c\n' }, exact: false, expectConfig: problem(/\.github\/contents.*invalid YAML/) },
  { name: 'duplicate keys', files: { [CONFIG]: 'review: {}\nreview: {}\n' }, exact: false, expectConfig: problem(/invalid YAML/) },
  { name: 'a string', files: { [CONFIG]: '"just text"\n' }, exact: false, expectConfig: problem(/YAML is not an object/) },
  { name: 'a number (context.config makes it {})', files: { [CONFIG]: '42\n' }, exact: false, expectConfig: defaults },
  { name: 'a list', files: { [CONFIG]: '- a\n- b\n' }, exact: false, expectConfig: problem(/./) },
  { name: 'a key context.config drops (constructor)', files: { [CONFIG]: 'constructor: 1\nreview:\n  max_comments: 9\n' }, exact: false, expectConfig: maxComments(9) },
  { name: 'a nested key context.config drops (toString)', files: { [CONFIG]: 'rules:\n  toString: off\n  PW004: off\n' }, exact: false },
  {
    name: '_extends another repository',
    files: { [CONFIG]: '_extends: shared\nreview:\n  max_comments: 2\n' },
    others: { shared: { [CONFIG]: 'review:\n  request_changes: true\n' } },
    exact: false,
    expectConfig: (loaded) => {
      maxComments(2)(loaded);
      expect(loaded.config.review.request_changes).toBe(true);
    },
  },
  {
    name: '_extends from the .github repository',
    ownerRepo: { [CONFIG]: '_extends: shared:configs/review.yml\n' },
    others: { shared: { 'configs/review.yml': 'review:\n  max_comments: 11\n' } },
    exact: false,
    expectConfig: maxComments(11),
  },
  { name: '_extends that does not exist', files: { [CONFIG]: '_extends: nowhere\nreview:\n  max_comments: 2\n' }, exact: false, expectConfig: maxComments(2) },
  { name: 'an empty _extends (not followed)', files: { [CONFIG]: '_extends: ""\nreview:\n  max_comments: 2\n' }, exact: false, expectConfig: maxComments(2) },
  { name: 'a link to another file', links: { [CONFIG]: '../configs/review.yml' }, files: { 'configs/review.yml': 'review:\n  max_comments: 12\n' }, exact: false, expectConfig: maxComments(12) },
  { name: 'a folder where the file should be', files: { [`${CONFIG}/x.yml`]: 'a: 1\n' }, exact: false, expectConfig: problem(/directory or a submodule/) },
  { name: '.github is a link', links: { '.github': 'config' }, files: { 'config/pyworkers-review.yml': 'review:\n  max_comments: 13\n' }, exact: false },
  { name: 'the .github repository itself: no fallback', repoName: '.github', ownerRepo: { [CONFIG]: 'unused: 1\n' }, exact: true, expectConfig: defaults },
  { name: 'the .github repository itself, with a config', repoName: '.github', files: { [CONFIG]: 'review:\n  max_comments: 14\n' }, exact: true, expectConfig: maxComments(14) },
];

let fake: FakeGitHub | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

function fakeFor(c: Case): FakeGitHub {
  const f = new FakeGitHub(c.repoName ? { repo: c.repoName } : {});
  f.defaultBranch = new Map(Object.entries(c.files ?? {}));
  for (const [path, target] of Object.entries(c.links ?? {})) f.defaultBranchLinks.set(path, target);
  // The repository itself, when it is the owner's `.github` one, is not another repository.
  if (c.ownerRepo && f.repo !== '.github') f.otherRepos.set(`${f.owner}/.github`, new Map(Object.entries(c.ownerRepo)));
  for (const [name, files] of Object.entries(c.others ?? {})) f.otherRepos.set(`${f.owner}/${name}`, new Map(Object.entries(files)));
  f.commits.set('c'.repeat(40), new Map());
  return f;
}

describe('the config in the files query is what context.config reads', () => {
  for (const c of cases) {
    it(c.name, async () => {
      fake = fakeFor(c);
      const gh = new testOctokit({ auth: { token: 'test-token' }, baseUrl: `http://${await fake.listen()}` } as any);
      const context = new Context({ id: 'delivery', name: 'pull_request', payload: { repository: { owner: { login: fake.owner }, name: fake.repo } } } as any, gh as any, console as any);
      const load = () => context.config(CONFIG_FILE_NAME);

      const viaProbot = await loadRepoConfig(load);
      expect(fake.requests.every((r) => r.method === 'GET' && r.path.includes('/contents/'))).toBe(true);
      c.expectConfig?.(viaProbot);

      fake.requests.length = 0;
      const target = { owner: fake.owner, repo: fake.repo };
      const { rider } = await readFilesWith(gh as any, { ...target, sha: 'c'.repeat(40) }, { required: [], optional: [] }, configRider(target));
      expect(fake.requests.map((r) => r.operation ?? r.path)).toEqual(['PyworkersFiles']);
      expect((rider as QuickConfig).exact, (rider as { reason?: string }).reason).toBe(c.exact);

      const viaQuery = await loadQuickConfig(rider, load);
      expect(viaQuery).toEqual(viaProbot);
      // Where the query knew, it was the only request.
      if (c.exact) expect(fake.requests).toHaveLength(1);
      else expect(fake.requests.length).toBeGreaterThan(1);
    });
  }
});

describe('configRider: what it leaves to context.config', () => {
  const rider = configRider({ owner: 'o', repo: 'r' });
  const folder = { entries: [{ name: 'pyworkers-review.yml', mode: 0o100644 }] };
  const blob = (text: string, byteSize = Buffer.byteLength(text)) => ({ byteSize, isBinary: false, isTruncated: false, text });
  const missingOwnerRepo = { type: 'NOT_FOUND', path: ['ownerConfigRepo'], message: "Could not resolve to a Repository with the name 'o/.github'." };

  it('reads a config GraphQL gives whole', () => {
    expect(rider.read({ data: { repository: { config: blob('review:\n  drafts: true\n'), configFolder: folder }, ownerConfigRepo: null }, errors: [missingOwnerRepo] })).toEqual({
      exact: true,
      data: { review: { drafts: true } },
    });
  });

  it('no answer, a truncated, binary or re-encoded text, an error on the config or another error on the .github repository', () => {
    const cases: Parameters<typeof rider.read>[0][] = [
      undefined,
      { data: { repository: null }, errors: [{ type: 'NOT_FOUND', path: ['repository'] }] },
      { data: { repository: { config: { ...blob('a: 1\n'), isTruncated: true }, configFolder: folder } }, errors: [] },
      { data: { repository: { config: { byteSize: 10, isBinary: true, isTruncated: false, text: null }, configFolder: folder } }, errors: [] },
      // Latin-1 bytes GitHub turned into UTF-8 text: the contents API would give other characters.
      { data: { repository: { config: blob('a: é\n', 5), configFolder: folder } }, errors: [] },
      { data: { repository: { config: null, configFolder: null } }, errors: [{ type: 'SERVICE_UNAVAILABLE', path: ['repository', 'config'] }] },
      { data: { repository: { config: null, configFolder: null }, ownerConfigRepo: null }, errors: [{ type: 'FORBIDDEN', path: ['ownerConfigRepo'] }] },
      { data: { repository: { config: null, configFolder: null }, ownerConfigRepo: null }, errors: [] },
    ];
    for (const answer of cases) expect(rider.read(answer).exact, JSON.stringify(answer)).toBe(false);
  });

  it('an error on a changed file is not the config’s', () => {
    const answer = { data: { repository: { f0: null, config: null, configFolder: null }, ownerConfigRepo: null }, errors: [{ type: 'SERVICE_UNAVAILABLE', path: ['repository', 'f0'] }, missingOwnerRepo] };
    expect(rider.read(answer)).toEqual({ exact: true, data: null });
  });
});
