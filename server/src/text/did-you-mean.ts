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

/**
 * Edit distance between `s` and `t` (both in lower case): insertions,
 * deletions, substitutions and, with `swaps`, adjacent transpositions
 * (optimal string alignment). Stops as soon as the distance must exceed
 * `limit` and then answers `limit + 1`: most candidates are far off, and a
 * program's unknown names are each compared with every name it has.
 */
function distance(s: string, t: string, limit: number, swaps: boolean): number {
  if (Math.abs(s.length - t.length) > limit) return limit + 1;
  let before: number[] = [];
  let prev = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= t.length; j++) {
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (s[i - 1] === t[j - 1] ? 0 : 1));
      if (swaps && i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) v = Math.min(v, before[j - 2]! + 1);
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    // No row's smallest value is below the one before it, swaps included: past the limit now, past it at the end.
    if (rowMin > limit) return limit + 1;
    before = prev;
    prev = cur;
  }
  return prev[t.length]!;
}

/** The candidate nearest to `name` (the first of equals), if it is `near` enough to be a likely typo. */
export function closest(name: string, candidates: Iterable<string>, near: Nearness): string | undefined {
  const s = name.toLowerCase();
  const limit = near.maxDistance(s.length);
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const c of candidates) {
    const t = c.toLowerCase();
    if (!near.caseVariants && t === s) continue;
    const d = distance(s, t, limit, near.swaps);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}
