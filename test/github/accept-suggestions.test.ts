// Accepting every suggestion of a posted review in one batch (as GitHub's "Commit suggestions" does)
// must leave files that parse and where the commented findings are gone.
import { expect, it } from 'vitest';
import { RULES } from '../../rules/index.js';
import { analyze, ConfigDocument, languageOf, parsePython, type SourceFile } from '../../src/engine/index.js';
import { configFormat } from '../../src/engine/workspace.js';
import { firstSyntaxError } from '../../src/engine/python.js';
import { applySuggestions, fingerprintFindings, parseFingerprints, suggestionFromComment, type LineReplacement } from '../../src/review/index.js';
import { Expect, reviewPosts, useNock } from './nock-github.js';
import { head1Files, pullRequestFake } from './fixtures.js';
import { deliver, makeProbot, pullRequestPayload } from './helpers.js';

useNock();

function expectParses(path: string, text: string): void {
  if (languageOf(path) === 'python') {
    expect(firstSyntaxError(parsePython(text).rootNode), path).toBeNull();
  } else {
    expect(() => ConfigDocument.parse(text, configFormat(path)), path).not.toThrow();
  }
}

it('accepting every suggestion yields files that parse and no longer have those findings', async () => {
  const fake = pullRequestFake();
  const probot = await makeProbot();
  new Expect(fake).token().read().review().checkRun();
  await deliver(probot, pullRequestPayload(fake, 'opened'));

  const comments: { path: string; line: number; start_line?: number; body: string }[] = reviewPosts(fake)[0]!.body.comments;
  const byPath = new Map<string, LineReplacement[]>();
  for (const c of comments) {
    const replacement = suggestionFromComment(c);
    if (replacement) byPath.set(c.path, [...(byPath.get(c.path) ?? []), replacement]);
  }
  // Every inline comment of this pull request carries a suggestion.
  expect([...byPath.values()].flat()).toHaveLength(comments.length);

  const fixed = new Map(head1Files);
  for (const [path, replacements] of byPath) {
    const text = applySuggestions(head1Files.get(path)!, replacements);
    expectParses(path, text);
    fixed.set(path, text);
  }

  // Re-run every rule on the fixed pull request: the commented findings are gone.
  const lint: SourceFile[] = [...fake.pr.files]
    .filter((f) => f.status !== 'removed' && languageOf(f.filename))
    .map((f) => ({ path: f.filename, text: fixed.get(f.filename)! }));
  const context: SourceFile[] = [{ path: 'workers/digest/wrangler.jsonc', text: fixed.get('workers/digest/wrangler.jsonc')! }];
  const after = analyze({ files: lint, context, rules: RULES });
  const remaining = new Set(fingerprintFindings(after.findings, (p) => fixed.get(p)));
  const commented = comments.flatMap((c) => parseFingerprints(c.body));
  expect(commented).toHaveLength(4);
  for (const fp of commented) expect(remaining.has(fp), fp).toBe(false);
  // Nor does anything of those rules remain on the lines the suggestions replaced.
  for (const c of comments) {
    const code = parseFingerprints(c.body)[0]!.split(':')[0];
    const start = c.start_line ?? c.line;
    const left = after.findings.filter((f) => f.path === c.path && f.code === code && f.line >= start && f.line <= c.line);
    expect(left, `${c.path}:${start}-${c.line}`).toEqual([]);
  }
});
