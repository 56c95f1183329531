/**
 * `regex-invalid`: a regular expression PCRE2 cannot compile (unterminated
 * `[`, unbalanced parentheses, a quantifier with nothing to repeat, a
 * trailing backslash). varnishd compiles every regex when it loads the VCL
 * and refuses the whole file ("Regexp compilation error").
 */
import type { DeclarationPass, Finding, Rule, RuleContext } from './rule.js';
import type * as A from '../syntax/ast.js';
import { nodeKinds, walkKinds } from '../syntax/walk.js';
import { checkRegex } from '../analysis/regex-check.js';
import { atLeast } from '../facts/versions.js';
import { keptPass, passFindings } from './per-declaration.js';
import { own } from '../text/own.js';

const REGEX_ARG: Record<string, number> = { regsub: 1, regsuball: 1 };

/** Length of a string literal's opening delimiter. */
const OPENER: Record<A.StringLiteral['style'], number> = { '"': 1, '{"': 2, '"""': 3 };

export const regexInvalidRule: Rule = {
  id: 'regex-invalid',
  defaultSeverity: 'error',
  description: 'A regular expression that PCRE2 cannot compile; varnishd refuses the VCL.',
  byDeclaration,
  check: (ctx) => passFindings(byDeclaration(ctx), ctx.parse.ast),
};

function byDeclaration(ctx: RuleContext): DeclarationPass {
  // PCRE2 from 7.0; Varnish 6 linked the first PCRE, which took unknown escapes as the letter.
  const pcre2 = atLeast(ctx.varnishVersion, '7.0');
  return keptPass('regex-invalid', pcre2 ? 'pcre2' : 'pcre', (d) => regexFindings(d, ctx.parse.ast, pcre2));
}

/** Where regular expressions stand: after `~` and `!~`, and in the arguments of regsub and regsuball. */
const REGEX_PLACES = nodeKinds('MatchExpr', 'CallExpr');

/** The findings of one declaration's regular expressions. */
function regexFindings(d: A.Declaration, program: A.Program, pcre2: boolean): Finding[] {
  const out: Finding[] = [];
  const check = (e: A.Expression | undefined) => {
    const parts = e?.kind === 'StringLiteral' ? [e] : e?.kind === 'StringConcat' ? e.parts : undefined;
    if (!e || !parts) return;
    const problem = checkRegex(parts.map((p) => p.value).join(''), pcre2);
    if (!problem) return;
    const finding: Finding = { start: e.start, end: e.end, message: `Regexp compilation error: ${problem.message} (at character ${problem.index + 1} of the pattern)` };
    if (problem.unknownEscape && parts.length === 1) {
      // VCL strings have no escapes: pattern offsets are text offsets after the opening delimiter.
      const lit = parts[0]!;
      const at = lit.start + OPENER[lit.style] + problem.index;
      const letter = lit.value[problem.index + 1];
      finding.message += `; PCRE before Varnish 7.0 read it as '${letter}'`;
      finding.fixes = [{ title: `Write '${letter}' (what the backslash meant before Varnish 7.0)`, edits: [{ start: at, end: at + 1, newText: '' }] }];
    }
    out.push(finding);
  };
  walkKinds(
    d,
    REGEX_PLACES,
    (n) => {
      if (n.kind === 'MatchExpr') check(n.pattern);
      else if (!n.receiver) {
        const at = own(REGEX_ARG, n.callee.text);
        if (at !== undefined) check(n.args[at]?.value);
      }
    },
    program,
  );
  return out;
}
