/**
 * `inline-c`: `C{ ... }C` blocks. varnishd refuses them ("Inline-C not
 * allowed") unless it runs with `-p vcc_allow_inline_c=on`, which is off by
 * default. The setting comes from the context's `allowInlineC`.
 */
import { lineEndAt } from '../text/line-breaks.js';
import type { DeclarationPass, Finding, Rule, RuleContext } from './rule.js';
import { nodeKinds, walkKinds } from '../syntax/walk.js';
import type * as A from '../syntax/ast.js';
import { keptPass, passFindings } from './per-declaration.js';

export const inlineCRule: Rule = {
  id: 'inline-c',
  defaultSeverity: 'error',
  description: 'Inline C (C{ }C), which varnishd refuses unless the parameter vcc_allow_inline_c is on.',
  byDeclaration,
  check: (ctx) => passFindings(byDeclaration(ctx), ctx.parse.ast),
};

function byDeclaration(ctx: RuleContext): DeclarationPass | undefined {
  return ctx.allowInlineC ? undefined : keptPass('inline-c', '', (d) => inlineCFindings(d, ctx.parse.ast, ctx.text));
}

const INLINE_C = nodeKinds('InlineC');

/** The inline C of one declaration (a declaration itself, or statements in a sub). */
function inlineCFindings(d: A.Declaration, program: A.Program, text: string): Finding[] {
  const out: Finding[] = [];
  walkKinds(
    d,
    INLINE_C,
    (n) => {
      const end = Math.min(lineEndAt(text, n.start), n.end);
      out.push({
        start: n.start,
        end,
        message: 'Inline C is not allowed: varnishd refuses C{ }C unless it runs with -p vcc_allow_inline_c=on (off by default). Rewrite it in VCL or a vmod, or turn the parameter on where varnishd starts.',
      });
    },
    program,
  );
  return out;
}
