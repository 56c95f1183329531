/**
 * Runs one rule on VCL text, outside the registry: builds the RuleContext
 * as the language service does (parse + semantic model on first use) so a
 * rule can be tested before, or without, being registered.
 */
import { parse } from '../../server/src/syntax/parse.js';
import { buildSemanticModel, type SemanticModel } from '../../server/src/analysis/semantic-model.js';
import type { Finding, Rule, RuleContext } from '../../server/src/rules/rule.js';

export interface RunOptions {
  isIncluded?: boolean;
  /** vcc_err_unref (default on). */
  errUnref?: boolean;
  /** vcc_allow_inline_c (default off). */
  allowInlineC?: boolean;
}

/** A finding with its 1-based line and column, for assertions and messages. */
export interface LocatedFinding extends Finding {
  line: number;
  column: number;
}

/** The context the service would give the rules for this text. */
export function ruleContext(text: string, options: RunOptions = {}): RuleContext {
  const parsed = parse(text);
  let model: SemanticModel | undefined;
  const ctx: RuleContext & { allowInlineC: boolean } = {
    text,
    parse: parsed,
    isIncluded: options.isIncluded === true,
    errUnref: options.errUnref !== false,
    allowInlineC: options.allowInlineC === true,
    semantic: () => (model ??= buildSemanticModel(parsed.ast)),
  };
  return ctx;
}

/** Runs the rules on text; findings in source order with their line and column. */
export function runRules(rules: readonly Rule[], text: string, options: RunOptions = {}): Array<LocatedFinding & { rule: string }> {
  const ctx = ruleContext(text, options);
  const out: Array<LocatedFinding & { rule: string }> = [];
  for (const rule of rules) {
    for (const f of rule.check(ctx)) out.push({ ...f, ...locate(text, f.start), rule: rule.id });
  }
  return out.sort((a, b) => a.start - b.start);
}

/** Runs one rule on text. */
export function runRule(rule: Rule, text: string, options: RunOptions = {}): LocatedFinding[] {
  return runRules([rule], text, options);
}

function locate(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - (before.lastIndexOf('\n') + 1) + 1 };
}
