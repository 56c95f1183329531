/**
 * `type-mismatch`: a value of the wrong type — arithmetic or a comparison
 * between types VCC cannot combine, a condition that is not BOOL, a `set`
 * whose value does not fit the variable, a regular expression that is not a
 * literal. varnishd refuses all of these when compiling.
 */
import type { Rule } from './rule.js';
import { typeCheck } from '../analysis/typecheck.js';

export const typeMismatchRule: Rule = {
  id: 'type-mismatch',
  defaultSeverity: 'error',
  description: 'A value of the wrong type for where it is used; varnishd refuses the VCL.',
  check: (ctx) => typeCheck(ctx.semantic(), ctx.resolveVmod).filter((f) => f.rule === 'type-mismatch'),
};
