/**
 * Findings kept per declaration, for rules whose findings in a declaration
 * depend only on that declaration and on a few facts the rule names (its
 * key: the Varnish release, the built-in subroutines that reach a sub).
 *
 * Why: a keystroke changes one declaration, and the parser keeps every
 * other declaration as the same object (moved in place to its new offsets,
 * see syntax/parse.ts). A rule that walked the whole program on every
 * keystroke (a fifth of an edit in a 20,000-line document, for a handful of
 * such rules) now walks the edited declaration only, and moves the findings
 * of the others by the distance their declaration moved.
 *
 * Correct only when the key holds everything outside the declaration that
 * the findings read: a declaration object always has the same text (the
 * parser shares declarations by their text), so its own syntax cannot
 * change under a kept entry.
 */
import type * as A from '../syntax/ast.js';
import { keptFindings } from '../syntax/kept.js';
import type { Finding } from './rule.js';

/**
 * The findings of rule `rule` in declaration `d`: those kept for it under
 * the same `key` (moved to where `d` now starts), else `compute()`'s,
 * which are kept. `compute` must report findings inside `d` only, and must
 * read nothing outside `d` that `key` does not stand for.
 */
export function declarationFindings(rule: string, d: A.Declaration, key: string, compute: () => Finding[]): Finding[] {
  return keptFindings(d, `findings:${rule}`, key, compute);
}

/**
 * The findings of rule `rule` in every declaration of `program`, in order,
 * each kept under `key` as {@link declarationFindings} keeps them.
 */
export function programFindingsByDeclaration(rule: string, program: A.Program, key: string, compute: (d: A.Declaration) => Finding[]): Finding[] {
  const out: Finding[] = [];
  for (const d of program.declarations) for (const f of declarationFindings(rule, d, key, () => compute(d))) out.push(f);
  return out;
}
