// Edit distance and "did you mean" for config keys, rule codes and flag names.

/** Closest candidate within edit distance 2 (for "did you mean"). */
export function nearest(word: string, candidates: readonly string[]): string | null {
  const w = word.toLowerCase();
  let best: string | null = null;
  let bestD = 3;
  for (const c of candidates) {
    const lc = c.toLowerCase();
    // The distance is at least the difference in length: a candidate that far off cannot be nearer.
    if (Math.abs(lc.length - w.length) >= bestD) continue;
    const d = editDistance(w, lc);
    if (d < bestD) {
      best = c;
      bestD = d;
    }
  }
  return best;
}

/** Levenshtein distance (insertions, deletions and substitutions of UTF-16 code units). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  const n = b.length;
  const row: number[] = new Array(n + 1);
  for (let j = 0; j <= n; j++) row[j] = j;
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    const ca = a.charCodeAt(i - 1);
    for (let j = 1; j <= n; j++) {
      const tmp = row[j];
      const substitute = prev + (ca === b.charCodeAt(j - 1) ? 0 : 1);
      const insertOrDelete = (tmp < row[j - 1] ? tmp : row[j - 1]) + 1;
      row[j] = substitute < insertOrDelete ? substitute : insertOrDelete;
      prev = tmp;
    }
  }
  return row[n];
}
