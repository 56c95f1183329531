/**
 * Runs rules and turns their offset findings into diagnostics, isolating a
 * rule that throws: it becomes one internal diagnostic and the others run.
 */
import type { LineIndex } from '../text/line-index.js';
import type { Finding } from '../rules/rule.js';
import type { LintDiagnostic, Severity } from './types.js';
import { lineBreakNear, withLineBreaks } from '../text/line-breaks.js';

interface AnyRule<C> {
  id: string;
  defaultSeverity: Severity;
  check(ctx: C): Finding[];
}

/** Diagnostics of every rule on `ctx`; `keep` filters findings (e.g. to this file). */
export function runRules<C>(rules: readonly AnyRule<C>[], ctx: C, index: LineIndex, keep: (f: Finding) => boolean = () => true): LintDiagnostic[] {
  const out: LintDiagnostic[] = [];
  for (const rule of rules) {
    try {
      for (const f of rule.check(ctx)) {
        if (!keep(f)) continue;
        const d: LintDiagnostic = { rule: rule.id, severity: f.severity ?? rule.defaultSeverity, message: f.message, range: index.range(f.start, f.end) };
        if (f.fixes?.length) {
          d.fixes = f.fixes.map((fix) => ({
            title: fix.title,
            edits: fix.edits.map((e) => {
              const range = index.range(e.start, e.end);
              // Rules write `\n`; the editor applies the text as it is, so a CRLF or CR document gets its own breaks here.
              return { range, newText: withLineBreaks(e.newText, lineBreakNear(index, range.start.line)) };
            }),
            ...(fix.manual ? { manual: true } : {}),
          }));
        }
        if (f.related?.length) d.related = f.related.map((r) => ({ range: index.range(r.start, r.end), message: r.message }));
        out.push(d);
      }
    } catch (e) {
      out.push({ rule: 'internal-error', severity: 'error', message: `Rule '${rule.id}' failed: ${(e as Error).message}. Other rules still ran.`, range: index.range(0, 0) });
    }
  }
  return out;
}
