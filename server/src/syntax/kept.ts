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

/** What can be kept per declaration and moved with it: a span, with the spans of its edits and related places. */
export interface MovableFinding {
  start: number;
  end: number;
  fixes?: ReadonlyArray<{ edits: ReadonlyArray<{ start: number; end: number }> }>;
  related?: ReadonlyArray<{ start: number; end: number }>;
}

/** `finding` moved by `delta` characters (a new object; kept findings are never changed). */
function movedFinding<T extends MovableFinding>(finding: T, delta: number): T {
  const out: T = { ...finding, start: finding.start + delta, end: finding.end + delta };
  if (finding.fixes) out.fixes = finding.fixes.map((fix) => ({ ...fix, edits: fix.edits.map((e) => ({ ...e, start: e.start + delta, end: e.end + delta })) }));
  if (finding.related) out.related = finding.related.map((r) => ({ ...r, start: r.start + delta, end: r.end + delta }));
  return out;
}

interface KeptFindings<T> {
  key: string;
  /** The declaration's start when `findings` were made or last moved. */
  base: number;
  findings: T[];
}

/**
 * The findings `compute` makes for `d`, kept under `name` and `key` (see
 * {@link keptFor}): when kept under the same key, moved to where `d` now
 * starts (the parser moves an unchanged declaration when text before it
 * changes). `compute` must report findings inside `d` only, and must read
 * nothing outside `d` that `key` does not stand for.
 *
 * Most declarations have no finding of a rule: for them the key alone is
 * kept (an entry and an empty list for each rule and declaration were a
 * twentieth of what an analysis keeps), and each call gets a list of its own.
 */
export function keptFindings<T extends MovableFinding>(d: A.Declaration, name: string, key: string, compute: () => T[]): T[] {
  const kept = keptFor(d);
  if (!kept) return compute();
  const entry = kept.get(name) as KeptFindings<T> | string | undefined;
  if (entry === key) return [];
  if (typeof entry === 'object' && entry.key === key) {
    const delta = d.start - entry.base;
    if (delta !== 0) {
      entry.findings = entry.findings.map((f) => movedFinding(f, delta));
      entry.base = d.start;
    }
    return entry.findings;
  }
  const findings = compute();
  kept.set(name, findings.length === 0 ? key : ({ key, base: d.start, findings } satisfies KeptFindings<T>));
  return findings;
}
