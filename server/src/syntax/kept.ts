/**
 * Memory kept per declaration by the analyses that a declaration alone (or
 * with a key they name) decides: the parser hands an unchanged declaration
 * back as the same object after an edit, so what was worked out for it
 * holds, and a keystroke works out only the edited declaration again.
 *
 * One weak entry per declaration, holding every analysis's part: weak
 * entries are costly for the collector (a program of 20,000 small
 * backends took three times as long with one per rule and declaration).
 * And only for declarations of some size: a small one is worked out again
 * faster than its entry costs.
 */
import type * as A from './ast.js';

/** Declarations shorter than this (in characters) keep nothing. */
export const KEEP_FROM_CHARS = 64;

const store = new WeakMap<A.Declaration, Map<string, unknown>>();

/** What is kept for `d`, by the name of what keeps it; undefined for a declaration too small to keep anything. */
export function keptFor(d: A.Declaration): Map<string, unknown> | undefined {
  if (d.end - d.start < KEEP_FROM_CHARS) return undefined;
  let kept = store.get(d);
  if (!kept) store.set(d, (kept = new Map()));
  return kept;
}

/**
 * What `compute` works out for `d`, kept under `name` when `d` keeps
 * anything (see {@link keptFor}); for a small declaration, worked out anew.
 * Only for what depends on the declaration alone.
 */
export function keptValue<T>(d: A.Declaration, name: string, compute: () => T): T {
  const kept = keptFor(d);
  if (!kept) return compute();
  let value = kept.get(name) as T | undefined;
  if (value === undefined) kept.set(name, (value = compute()));
  return value;
}
