/**
 * Runs rules and turns their offset findings into diagnostics, isolating a
 * rule that throws: it becomes one internal diagnostic and the others run.
 */
import type { LineIndex } from '../text/line-index.js';
import type { DeclarationPass, Finding } from '../rules/rule.js';
import type * as A from '../syntax/ast.js';
import type { LintDiagnostic, Severity } from './types.js';
import { lineBreakNear, withLineBreaks } from '../text/line-breaks.js';

interface AnyRule<C> {
  id: string;
  defaultSeverity: Severity;
  check(ctx: C): Finding[];
  byDeclaration?(ctx: C): DeclarationPass | undefined;
}

/** What a rule's pass gave: its findings, or what it threw. */
type PassResult = { findings: Finding[] } | { failed: unknown };

/**
 * Diagnostics of every rule on `ctx`, rule by rule in the order given;
 * `keep` filters findings (e.g. to this file). Given the program's
 * `declarations`, the rules that have a pass over them (Rule.byDeclaration)
 * run together first, a declaration at a time (see {@link passResults});
 * their findings still take their rule's place in the output.
 */
export function runRules<C>(rules: readonly AnyRule<C>[], ctx: C, index: LineIndex, keep: (f: Finding) => boolean = () => true, declarations?: readonly A.Declaration[]): LintDiagnostic[] {
  const out: LintDiagnostic[] = [];
  const passed = declarations ? passResults(rules, ctx, declarations) : undefined;
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]!;
    try {
      const result = passed?.[i];
      if (result && 'failed' in result) throw result.failed;
      for (const f of result ? result.findings : rule.check(ctx)) {
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

/**
 * The findings of the rules that have a pass over the declarations, by
 * rule index (undefined for the others): every declaration handed to each
 * pass in turn before the next declaration, so that the declaration's nodes
 * are still in the processor's cache for every rule that reads them. A pass
 * that throws is stopped there; its rule gets one internal error, as a
 * throwing check does, and the other passes go on.
 */
function passResults<C>(rules: readonly AnyRule<C>[], ctx: C, declarations: readonly A.Declaration[]): Array<PassResult | undefined> {
  const results: Array<PassResult | undefined> = new Array(rules.length);
  const running: Array<{ rule: number; pass: DeclarationPass; found: Finding[] }> = [];
  for (let r = 0; r < rules.length; r++) {
    const rule = rules[r]!;
    if (!rule.byDeclaration) continue;
    try {
      const pass = rule.byDeclaration(ctx);
      if (pass) running.push({ rule: r, pass, found: [] });
      else results[r] = { findings: [] };
    } catch (e) {
      results[r] = { failed: e };
    }
  }
  // Index loops: the iterators here made 32 bytes of garbage a line of a 10,000-line program.
  for (let i = 0; i < declarations.length; i++) {
    const d = declarations[i]!;
    for (let r = 0; r < running.length; r++) {
      const p = running[r]!;
      if (results[p.rule]) continue;
      try {
        const found = p.pass.declaration(d);
        for (let k = 0; k < found.length; k++) p.found.push(found[k]!);
      } catch (e) {
        results[p.rule] = { failed: e };
      }
    }
  }
  for (const p of running) {
    if (results[p.rule]) continue;
    try {
      results[p.rule] = { findings: p.pass.end(p.found) };
    } catch (e) {
      results[p.rule] = { failed: e };
    }
  }
  return results;
}
