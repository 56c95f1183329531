/**
 * Which built-in methods a sub runs from, and whether a variable can be
 * read, set or unset there: a built-in sub is its own method; a custom sub
 * runs wherever the built-in subs that call it (directly or through other
 * subs) run, and may use a variable only where all of them may.
 */
import type { SemanticModel } from '../analysis/semantic-model.js';
import type { VariableFact } from '../facts/index.js';

/** The built-in methods `sub` runs from, in alphabetical order; undefined when nothing calls it yet (anything goes). */
export function methodsFor(model: SemanticModel, sub: string): string[] | undefined {
  if (model.facts.builtinSubroutine(sub)) return [sub.toLowerCase()];
  const reaching = [...model.methodsReaching(sub)].sort();
  return reaching.length ? reaching : undefined;
}

/** True when `fact` allows `access` in every one of `methods` (in some built-in sub when methods is undefined). */
export function availableIn(fact: VariableFact, access: 'readable' | 'writable' | 'unsettable', methods: readonly string[] | undefined): boolean {
  const where = fact[access];
  if (!methods) return where.length > 0;
  return methods.every((m) => where.includes(m));
}
