import { describe, expect, it } from 'vitest';
import {
  fingerprint,
  fingerprintFindings,
  fingerprintMarker,
  parseFingerprints,
  planReview,
  splitFingerprint,
  type ReviewFile,
} from '../../src/review/index.js';
import { fileFromDiff, makeFinding } from './helpers.js';

const before = ['import requests', '', 'def f():', '    return requests.get(URL)', ''].join('\n');
const flagged = (text: string, path = 'src/entry.py') => {
  const lines = text.split('\n');
  const line = lines.findIndex((l) => l.includes('requests.get')) + 1;
  const column = lines[line - 1]!.indexOf('requests.get') + 1;
  return makeFinding({ path, line, column, endColumn: column + 'requests.get(URL)'.length });
};

describe('fingerprint', () => {
  it('has the form CODE:path:16 hex digits', () => {
    expect(fingerprint(flagged(before), before)).toMatch(/^PW003:src\/entry\.py:[0-9a-f]{16}$/);
  });

  it.each([
    { name: 'lines inserted above', after: ['import requests', '', 'X = 1', 'Y = 2', '', 'def f():', '    return requests.get(URL)', ''] },
    { name: 're-indented', after: ['import requests', '', 'class C:', '    def f(self):', '        return requests.get(URL)', ''] },
  ])('is stable when the code moves: $name', ({ after }) => {
    const text = after.join('\n');
    const moved = flagged(text);
    expect(moved.line).not.toBe(flagged(before).line);
    expect(fingerprint(moved, text)).toBe(fingerprint(flagged(before), before));
  });

  it.each([
    { name: 'the flagged text changes', text: before.replace('URL', 'OTHER_URL'), path: 'src/entry.py', code: 'PW003' },
    { name: 'the path changes', text: before, path: 'src/other.py', code: 'PW003' },
    { name: 'the rule changes', text: before, path: 'src/entry.py', code: 'PW004' },
  ])('changes when $name', ({ text, path, code }) => {
    const f = { ...flagged(text, path), code };
    if (text !== before) f.endColumn += 'OTHER_'.length;
    expect(fingerprint(f, text)).not.toBe(fingerprint(flagged(before), before));
  });

  it('hashes the whole line of a zero-width finding', () => {
    const f = { ...flagged(before), endColumn: flagged(before).column };
    const g = { ...flagged(before), column: 1, endColumn: 1 };
    expect(fingerprint(f, before)).toBe(fingerprint(g, before));
  });

  it('hashes the lines of a finding that flags only whitespace', () => {
    const text = 'a = 1\n\tb = 2   \n';
    const ws = makeFinding({ path: 'x.py', line: 2, column: 7, endColumn: 10 });
    expect(fingerprint(ws, text)).toBe(fingerprint(makeFinding({ path: 'x.py', line: 2, column: 1, endColumn: 7 }), text));
    expect(fingerprint(ws, text)).not.toBe(fingerprint(makeFinding({ path: 'x.py', line: 1, column: 6, endColumn: 6 }), text));
  });

  it('is the same in reviews of two pushes where the code moved', () => {
    const v1 = fileFromDiff('src/entry.py', [' def f():', '+    return requests.get(URL)']);
    const v2 = fileFromDiff('src/entry.py', ['+import js', '+', ' def f():', '+    return requests.get(URL)']);
    const review = (file: ReviewFile, line: number) =>
      planReview({
        findings: [makeFinding({ path: file.path, line, column: 12, endColumn: 29 })],
        files: new Map([[file.path, file]]),
        options: { filter: 'added', requestChanges: false, headSha: 'x' },
      }).comments[0]!;
    const [first, second] = [review(v1, 2), review(v2, 4)];
    expect(second.line).toBe(4);
    expect(parseFingerprints(second.body)).toEqual(parseFingerprints(first.body));
  });

  it('tells identical snippets in one file apart, in line order', () => {
    const text = 'a = requests.get(URL)\nb = requests.get(URL)\n';
    const first = makeFinding({ path: 'x.py', line: 1, column: 5, endColumn: 22 });
    const second = makeFinding({ path: 'x.py', line: 2, column: 5, endColumn: 22 });
    const [fpSecond, fpFirst] = fingerprintFindings([second, first], () => text);
    expect(fpSecond).toBe(`${fpFirst}:2`);
    expect(splitFingerprint(fpSecond!)).toMatchObject({ code: 'PW003', path: 'x.py', occurrence: 2 });
  });
});

describe('fingerprint markers', () => {
  it('renders the hidden comment shown in the design', () => {
    expect(fingerprintMarker('PW003:src/entry.py:ab12cd34ef567890')).toBe(
      '<!-- pyworkers-review fingerprint=PW003:src/entry.py:ab12cd34ef567890 -->',
    );
  });

  it.each([
    'PW003:src/entry.py:ab12cd34ef567890',
    'PW007:dir with space/x.py:0123456789abcdef',
    'PW010:weird-->name <b>.py:0123456789abcdef:3',
    'PW001:src/café 😀.py:fedcba9876543210',
  ])('reads back %s from a comment body', (fp) => {
    const marker = fingerprintMarker(fp);
    expect(marker).not.toMatch(/-->.*-->/);
    expect(marker.slice(4, -4)).not.toMatch(/[<>]/); // so nothing inside can close the comment
    const body = `**PW003** (error): message\n\n\`\`\`suggestion\nx\n\`\`\`\n\n${marker}`;
    expect(parseFingerprints(body)).toEqual([fp]);
    expect(splitFingerprint(fp)).toBeDefined();
  });

  it("ignores other tools' markers and text that only looks like one", () => {
    const body = [
      '<!-- other-bot fingerprint=PW003:a.py:0123456789abcdef -->',
      'fingerprint=PW003:b.py:0123456789abcdef',
      fingerprintMarker('PW003:c.py:0123456789abcdef'),
    ].join('\n');
    expect(parseFingerprints(body)).toEqual(['PW003:c.py:0123456789abcdef']);
    expect(parseFingerprints(body, 'other-bot')).toEqual(['PW003:a.py:0123456789abcdef']);
  });
});
