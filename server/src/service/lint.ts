/**
 * The language service's lint entry point: text in, diagnostics out.
 * A rule that throws becomes one internal diagnostic; the others still run.
 */
import { parse } from '../syntax/parse.js';
import { rules, type RuleContext } from '../rules/index.js';
import { LineIndex } from '../analysis/line-index.js';
import { buildSemanticModel, type SemanticModel } from '../analysis/semantic-model.js';
import type { LintDiagnostic, LintOptions } from './types.js';

/** Lints one VCL document. Never throws. */
export function lintText(text: string, options: LintOptions = {}): LintDiagnostic[] {
  const index = new LineIndex(text);
  const parsed = parse(text);
  let model: SemanticModel | undefined;
  const ctx: RuleContext = {
    text,
    parse: parsed,
    isIncluded: options.isIncluded === true,
    errUnref: options.errUnref !== false,
    semantic: () => (model ??= buildSemanticModel(parsed.ast)),
  };
  const out: LintDiagnostic[] = [];
  for (const rule of rules) {
    try {
      for (const f of rule.check(ctx)) {
        const d: LintDiagnostic = { rule: rule.id, severity: f.severity ?? rule.defaultSeverity, message: f.message, range: index.range(f.start, f.end) };
        if (f.fixes?.length) {
          d.fixes = f.fixes.map((fix) => ({ title: fix.title, edits: fix.edits.map((e) => ({ range: index.range(e.start, e.end), newText: e.newText })) }));
        }
        out.push(d);
      }
    } catch (e) {
      out.push({
        rule: 'internal-error',
        severity: 'error',
        message: `Rule '${rule.id}' failed: ${(e as Error).message}. Other rules still ran.`,
        range: index.range(0, 0),
      });
    }
  }
  return out;
}
