// Generated pull requests for the pipeline benchmark: N changed Python files spread over Workers
// whose configs the pull request does not touch, each file with the hunks GitHub would list.
import { pythonModule, workerConfigs, type CorpusFile } from './corpus.js';
import { Random } from './random.js';

export interface ChangedFile {
  filename: string;
  status: 'added' | 'modified';
  patch: string;
}

export interface GeneratedPullRequest {
  /** Every file at the head commit: the changed files and the unchanged configs. */
  head: Map<string, string>;
  files: ChangedFile[];
  pythonBytes: number;
}

/** Lines `[start, end)` of `lines` (0-based) that the pull request added. */
type AddedRange = [number, number];

const CONTEXT = 3;

/**
 * GitHub's `patch` for a head text whose `added` line ranges are new (hunks only, 3 lines of context,
 * hunks merged where their context meets).
 */
export function patchFor(lines: readonly string[], added: readonly AddedRange[]): string {
  const isAdded = new Uint8Array(lines.length);
  for (const [s, e] of added) isAdded.fill(1, s, e);
  const windows: [number, number][] = [];
  for (const [s, e] of [...added].sort((a, b) => a[0] - b[0])) {
    const from = Math.max(0, s - CONTEXT);
    const to = Math.min(lines.length, e + CONTEXT);
    const last = windows[windows.length - 1];
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else windows.push([from, to]);
  }
  const out: string[] = [];
  let addedBefore = 0;
  let cursor = 0;
  for (const [from, to] of windows) {
    for (; cursor < from; cursor++) addedBefore += isAdded[cursor]!;
    let newCount = 0;
    let oldCount = 0;
    const body: string[] = [];
    for (let i = from; i < to; i++) {
      newCount++;
      if (isAdded[i]) body.push(`+${lines[i]}`);
      else {
        oldCount++;
        body.push(` ${lines[i]}`);
      }
    }
    const oldStart = oldCount === 0 ? from - addedBefore : from - addedBefore + 1;
    const span = (start: number, count: number) => (count === 1 ? `${start}` : `${start},${count}`);
    out.push(`@@ -${span(oldStart, oldCount)} +${span(from + 1, newCount)} @@`, ...body);
    for (; cursor < to; cursor++) addedBefore += isAdded[cursor]!;
  }
  return out.join('\n');
}

/** A pull request changing `count` Python files (2–20 KB each) across Workers of up to 25 files. */
export function generatePullRequest(count: number, seed = 1): GeneratedPullRequest {
  const rng = new Random(seed);
  const head = new Map<string, string>();
  const files: ChangedFile[] = [];
  let pythonBytes = 0;
  let root = '';
  for (let i = 0; i < count; i++) {
    if (i % 25 === 0) {
      root = `services/worker-${i / 25}`;
      for (const f of workerConfigs(rng, root, `worker-${i / 25}`) as CorpusFile[]) head.set(f.path, f.text);
    }
    const path = i % 25 === 0 ? `${root}/src/entry.py` : `${root}/src/module_${i % 25}.py`;
    // The first file is new and has pitfalls, so that every review has something to say.
    const text = pythonModule(rng, rng.logInt(2_000, 20_000), { entry: i % 25 === 0, ...(i === 0 ? { pitfallRate: 0.5 } : {}) });
    head.set(path, text);
    pythonBytes += text.length;
    const lines = text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    if (i === 0 || rng.chance(0.25)) {
      files.push({ filename: path, status: 'added', patch: patchFor(lines, [[0, lines.length]]) });
      continue;
    }
    const hunks: AddedRange[] = [];
    const wanted = rng.int(1, 3);
    for (let h = 0; h < wanted; h++) {
      const start = rng.int(0, Math.max(0, lines.length - 2));
      const end = Math.min(lines.length, start + rng.int(2, 12));
      if (hunks.some(([s, e]) => start < e + 1 && end > s - 1)) continue;
      hunks.push([start, end]);
    }
    files.push({ filename: path, status: 'modified', patch: patchFor(lines, hunks) });
  }
  return { head, files, pythonBytes };
}
