/**
 * Whether a file holds a whole VCL program, so that "not defined" and
 * "never used" can be judged from it alone. A file that is included by
 * another, or that includes others, shares its symbols with them; those
 * checks wait for the include tree to be analysed as one program.
 */
import type { RuleContext } from './rule.js';

export function completeProgram(ctx: RuleContext): boolean {
  return !ctx.isIncluded && ctx.semantic().includes.length === 0;
}
