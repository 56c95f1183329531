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
import type { DeclarationPass, Finding } from './rule.js';

/**
 * The findings of rule `rule` in declaration `d`: those kept for it under
 * the same `key` (moved to where `d` now starts), else `compute()`'s,
 * which are kept. `compute` must report findings inside `d` only, and must
 * read nothing outside `d` that `key` does not stand for.
 */
export function declarationFindings(rule: string, d: A.Declaration, key: string, compute: () => Finding[]): Finding[] {
  return keptFindings(d, keptName(rule), key, compute);
}

/** The names rules' findings are kept under, made once per rule: made per declaration, each was a new string to flatten and hash. */
const keptNames = new Map<string, string>();

function keptName(rule: string): string {
  let name = keptNames.get(rule);
  if (name === undefined) keptNames.set(rule, (name = `findings:${rule}`));
  return name;
}

/**
 * A rule's pass (see Rule.byDeclaration) whose findings in each
 * declaration are `compute`'s, kept under `key` as {@link
 * declarationFindings} keeps them, and come after `before` (the rule's
 * findings that are not any one declaration's).
 */
export function keptPass(rule: string, key: string, compute: (d: A.Declaration) => Finding[], before: readonly Finding[] = []): DeclarationPass {
  const name = keptName(rule);
  return {
    declaration: (d) => keptFindings(d, name, key, () => compute(d)),
    end: (found) => (before.length > 0 ? [...before, ...found] : found),
  };
}

/**
 * The findings of a rule's pass over `program` taken declaration by
 * declaration (see Rule.byDeclaration): what its `check` returns, and what
 * the rules' runner gets by handing the declarations to all such rules at
 * once.
 */
export function passFindings(pass: DeclarationPass | undefined, program: A.Program): Finding[] {
  if (!pass) return [];
  const found: Finding[] = [];
  for (const d of program.declarations) for (const f of pass.declaration(d)) found.push(f);
  return pass.end(found);
}
