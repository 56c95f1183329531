/** The registry of every rule, in reporting order. */
import type { Rule } from './rule.js';
import { syntaxRule } from './syntax.js';
import { vclVersionRule } from './vcl-version.js';
import { vcl3ConstructRule } from './vcl3-construct.js';

export const rules: readonly Rule[] = [syntaxRule, vclVersionRule, vcl3ConstructRule];

export type { Rule, RuleContext, Finding, FindingFix, OffsetEdit } from './rule.js';
