/**
 * `vcl-feature-version`: VCL 4.1 features in a program that declares
 * `vcl 4.0;`. Checked against varnishd 7.1.1:
 * - quoted header names, `req.http."X-Foo"` ("Quoted headers are available
 *   for VCL >= 4.1.");
 * - UNIX socket backends, `.path = "..."` ("Unix socket backends only
 *   supported in VCL4.1 and higher.").
 * The version that counts is the first `vcl` line of the top-level file: a
 * later, lower `vcl 4.0;` line and the version lines of included files do
 * not change it (varnishd accepts `vcl 4.1; vcl 4.0;` followed by quoted
 * headers). An included file is judged only when the file that includes
 * it is known.
 */
import type * as A from '../syntax/ast.js';
import type { Finding, Rule, RuleContext } from './rule.js';
import { walk } from '../syntax/walk.js';

export const vclFeatureVersionRule: Rule = {
  id: 'vcl-feature-version',
  defaultSeverity: 'error',
  description: "A VCL 4.1 feature (quoted header names, UNIX socket backends) in a program that declares 'vcl 4.0;'.",
  check(ctx) {
    const top = topProgram(ctx);
    if (!top) return [];
    const version = top.declarations.find((d) => d.kind === 'VersionDecl');
    if (version?.kind !== 'VersionDecl' || version.version?.text !== '4.0') return [];
    const out: Finding[] = [];
    const upgrade = "or change the first line to 'vcl 4.1;'";
    walk(ctx.parse.ast, (n) => {
      if (n.kind === 'Name' && n.text.includes('"')) {
        const m = /^(.*?)\."([^"]*)"(.*)$/.exec(n.text);
        const plain = m && /^[A-Za-z][A-Za-z0-9_-]*$/.test(m[2]!) ? `${m[1]}.${m[2]}${m[3]}` : undefined;
        const finding: Finding = {
          start: n.start,
          end: n.end,
          message: `Quoted header names such as '${n.text}' need VCL 4.1, and this program declares 'vcl 4.0;'. ${plain ? `Write '${plain}'` : 'Use a header name without quotes'}, ${upgrade}.`,
        };
        if (plain) finding.fixes = [{ title: `Write '${plain}'`, edits: [{ start: n.start, end: n.end, newText: plain }] }];
        out.push(finding);
      }
      if (n.kind === 'BackendDecl') {
        const path = n.attributes.find((a) => a.name?.text === 'path');
        if (path?.value) {
          out.push({
            start: path.value.start,
            end: path.value.end,
            message: `Backend '${n.name?.text ?? '?'}' uses a UNIX socket (.path), which needs VCL 4.1, and this program declares 'vcl 4.0;'. Connect over TCP with .host/.port, ${upgrade}.`,
          });
        }
        return false;
      }
      return undefined;
    });
    return out;
  },
};

/** The program's top file, whose first `vcl` line sets the version; undefined when unknown. */
function topProgram(ctx: RuleContext): A.Program | undefined {
  const root = ctx.semantic().files[0]?.program;
  // The model is rooted at this document: it is the top file unless something includes it.
  if (!root || root === ctx.parse.ast) return ctx.isIncluded ? undefined : ctx.parse.ast;
  return root;
}
