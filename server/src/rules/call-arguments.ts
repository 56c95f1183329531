/**
 * `call-arguments`: a vmod function, method or object constructor that does
 * not exist, or is called with missing, extra, unknown or repeated
 * arguments, or with an enum value it does not know. Signatures come from
 * the vmods' own interface descriptions.
 */
import type { Rule } from './rule.js';
import { typeCheck } from '../analysis/typecheck.js';

export const callArgumentsRule: Rule = {
  id: 'call-arguments',
  defaultSeverity: 'error',
  description: 'A vmod call that does not match the vmod: unknown function or method, wrong number or names of arguments, bad enum value.',
  check: (ctx) => typeCheck(ctx.semantic(), ctx.resolveVmod).filter((f) => f.rule === 'call-arguments'),
};
