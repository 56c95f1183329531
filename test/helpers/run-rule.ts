/**
 * Runs one rule on VCL text, outside the registry: builds the RuleContext
 * as the language service does (parse + semantic model on first use) so a
 * rule can be tested before, or without, being registered. With `files`,
 * the text is analysed with its include tree, or, with `root`, as a file
 * that the root includes; as in the service, findings that belong to
 * another file of the tree are left out.
 */
import type { IncludeHost } from '../../server/src/analysis/include-tree.js';
import type { Finding, Rule, RuleContext } from '../../server/src/rules/rule.js';
import { ruleContextFor } from '../../server/src/service/lint.js';

export interface RunOptions {
  isIncluded?: boolean;
  /** vcc_err_unref (default on). */
  errUnref?: boolean;
  /** vcc_allow_inline_c (default off). */
  allowInlineC?: boolean;
  /** Other files by absolute path, for includes; the text itself is `path`. */
  files?: Record<string, string>;
  /** Path of the text (default /vcl/main.vcl). */
  path?: string;
  /** A file of `files` that includes the text: the program is analysed from it. */
  root?: string;
}

/** A finding with its 1-based line and column, for assertions and messages. */
export interface LocatedFinding extends Finding {
  line: number;
  column: number;
}

/** The service's own context, with `files` served from memory as the include host. */
function build(text: string, options: RunOptions): { ctx: RuleContext; selfId: string } {
  const base = { isIncluded: options.isIncluded, errUnref: options.errUnref, allowInlineC: options.allowInlineC };
  if (!options.files) return ruleContextFor(text, base);
  const path = options.path ?? '/vcl/main.vcl';
  const files: Record<string, string> = { ...options.files, [path]: text };
  const includeHost: IncludeHost = {
    readFile: (p) => files[p],
    searchPath: ['/vcl'],
    includersOf: (p) => (p === path && options.root ? [options.root] : []),
  };
  return ruleContextFor(text, { ...base, path, includeHost });
}

/** The context the service would give the rules for this text. */
export function ruleContext(text: string, options: RunOptions = {}): RuleContext {
  return build(text, options).ctx;
}

/** Runs the rules on text; the document's findings in source order with their line and column. */
export function runRules(rules: readonly Rule[], text: string, options: RunOptions = {}): Array<LocatedFinding & { rule: string }> {
  const { ctx, selfId } = build(text, options);
  const out: Array<LocatedFinding & { rule: string }> = [];
  for (const rule of rules) {
    for (const f of rule.check(ctx)) {
      if (f.file !== undefined && f.file !== selfId) continue;
      out.push({ ...f, ...locate(text, f.start), rule: rule.id });
    }
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
