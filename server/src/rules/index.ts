/** The registry of every rule, in reporting order. */
import type { Rule } from './rule.js';
import { syntaxRule } from './syntax.js';

export const rules: readonly Rule[] = [syntaxRule];

export type { Rule, RuleContext, Finding } from './rule.js';
