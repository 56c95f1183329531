/**
 * Whether the semantic model holds a whole VCL program, so that "not
 * defined" and "never used" can be judged. A file included by another
 * shares its names with it; a file with includes that could not be
 * followed has names we cannot see.
 */
import type { RuleContext } from './rule.js';

export function completeProgram(ctx: RuleContext): boolean {
  return ctx.wholeProgram && ctx.semantic().includes.length === 0;
}
