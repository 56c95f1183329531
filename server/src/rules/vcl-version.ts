/**
 * `vcl-version`: varnishd 7.1 compiles a top-level file only when it starts
 * with `vcl 4.0;` or `vcl 4.1;`. Included files need no version line.
 */
import { lineEndAt } from '../text/line-breaks.js';
import type { Rule, Finding } from './rule.js';
import { vclFacts } from '../facts/index.js';

const supported = new Set(['4.0', '4.1']);

export const vclVersionRule: Rule = {
  id: 'vcl-version',
  defaultSeverity: 'error',
  description: "The file must start with 'vcl 4.0;' or 'vcl 4.1;' (Varnish 7.1 knows no other version).",
  check(ctx) {
    const findings: Finding[] = [];
    const decls = ctx.parse.ast.declarations;
    const first = decls[0];
    for (const d of decls) {
      if (d.kind === 'VersionDecl' && d.version && !supported.has(d.version.text)) {
        findings.push({
          ...span(d.version),
          message: `VCL version ${d.version.text} is not supported by Varnish 7.1; use 4.0 or 4.1`,
          fixes: [{ title: "Change to 'vcl 4.1'", edits: [{ ...span(d.version), newText: '4.1' }] }],
        });
      }
    }
    if (!ctx.isIncluded && first?.kind !== 'VersionDecl' && decls.length > 0) {
      // VCL 3 had no version line: its presence is the first thing to fix.
      // A file with neither backends nor built-in subs is likely a fragment
      // included from elsewhere, so only a warning there.
      const looksTopLevel = decls.some((d) => d.kind === 'BackendDecl' || (d.kind === 'SubDecl' && d.name && vclFacts(ctx.varnishVersion).builtinSubroutine(d.name.text)));
      findings.push({
        severity: looksTopLevel ? 'error' : 'warning',
        start: first ? first.start : 0,
        end: first ? Math.min(first.end, first.start + firstLineLength(ctx.text, first.start)) : 0,
        message: "Missing VCL version: a top-level VCL file must start with 'vcl 4.1;' (or 'vcl 4.0;'). Files that are only included need none.",
        fixes: [{ title: "Add 'vcl 4.1;' at the top", edits: [{ start: 0, end: 0, newText: 'vcl 4.1;\n\n' }] }],
      });
    }
    return findings;
  },
};

function span(n: { start: number; end: number }): { start: number; end: number } {
  return { start: n.start, end: n.end };
}

function firstLineLength(text: string, from: number): number {
  return lineEndAt(text, from) - from;
}
