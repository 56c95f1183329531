/**
 * Did-you-mean: the candidate nearest to a name that is not known, when it
 * is near enough to be a likely typo. One implementation for VCL names and
 * parameter words; each kind of name says how near is near enough.
 */

/** How near a candidate must be to be offered, for one kind of name. */
export interface Nearness {
  /** The largest number of edits still taken for a typo of a name `length` characters long. */
  maxDistance(length: number): number;
  /** Whether an adjacent swap (`hsot` for `host`) counts as one edit rather than two. */
  swaps: boolean;
  /** Whether a candidate that differs from the name only in case is offered. */
  caseVariants: boolean;
}

/**
 * VCL names (symbols, subroutines): up to a third of the name may be wrong.
 * VCC looks names up without regard to case, so a candidate that differs
 * only in case is the same name, not a correction.
 */
export const VCL_NAMES: Nearness = {
  maxDistance: (length) => Math.max(1, Math.floor(length / 3)),
  swaps: false,
  caseVariants: false,
};

/**
 * varnishd parameter names and the words of their values (booleans, bit
 * names): up to a quarter of the word, at most three edits. A word that
 * differs only in case is offered, as its accepted spelling.
 */
export const PARAM_WORDS: Nearness = {
  maxDistance: (length) => Math.max(1, Math.min(3, Math.floor(length / 4))),
  swaps: true,
  caseVariants: true,
};

/** Rows of the distance table, reused from call to call (names are short; they grow when one is not). */
let rowBefore = new Int32Array(64);
let rowPrev = new Int32Array(64);
let rowCur = new Int32Array(64);

/**
 * Edit distance between `s` and `t` (both in lower case): insertions,
 * deletions, substitutions and, with `swaps`, adjacent transpositions
 * (optimal string alignment). Stops as soon as the distance must exceed
 * `limit` and then answers `limit + 1`: most candidates are far off, and a
 * program's unknown names are each compared with every name it has. The
 * three rows are kept between calls: a name compared with the few hundred
 * names a program knows would otherwise allocate a row per character.
 */
function distance(s: string, t: string, limit: number, swaps: boolean): number {
  if (Math.abs(s.length - t.length) > limit) return limit + 1;
  const n = t.length + 1;
  if (rowPrev.length < n) {
    rowBefore = new Int32Array(2 * n);
    rowPrev = new Int32Array(2 * n);
    rowCur = new Int32Array(2 * n);
  }
  let before = rowBefore;
  let prev = rowPrev;
  let cur = rowCur;
  for (let j = 0; j < n; j++) prev[j] = j;
  for (let i = 1; i <= s.length; i++) {
    const si = s.charCodeAt(i - 1);
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j < n; j++) {
      const tj = t.charCodeAt(j - 1);
      let v = prev[j - 1]! + (si === tj ? 0 : 1);
      if (prev[j]! + 1 < v) v = prev[j]! + 1;
      if (cur[j - 1]! + 1 < v) v = cur[j - 1]! + 1;
      if (swaps && i > 1 && j > 1 && si === t.charCodeAt(j - 2) && s.charCodeAt(i - 2) === tj && before[j - 2]! + 1 < v) v = before[j - 2]! + 1;
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    // No row's smallest value is below the one before it, swaps included: past the limit now, past it at the end.
    if (rowMin > limit) return limit + 1;
    const spare = before;
    before = prev;
    prev = cur;
    cur = spare;
  }
  return prev[t.length]!;
}

/** The candidate nearest to `name` (the first of equals), if it is `near` enough to be a likely typo. */
export function closest(name: string, candidates: Iterable<string>, near: Nearness): string | undefined {
  const s = name.toLowerCase();
  let best: string | undefined;
  // Once a candidate is found, only a nearer one can replace it: the search limit shrinks with it.
  let bestDistance = near.maxDistance(s.length) + 1;
  for (const c of candidates) {
    // Too long or too short to come nearer (distance's own first test, before the candidate is lowered).
    if (Math.abs(c.length - s.length) >= bestDistance) continue;
    const t = c.toLowerCase();
    if (!near.caseVariants && t === s) continue;
    const d = distance(s, t, bestDistance - 1, near.swaps);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
      if (d === 0) return best;
    }
  }
  return best;
}
