/**
 * `regex-invalid`: a regular expression PCRE2 cannot compile (unterminated
 * `[`, unbalanced parentheses, a quantifier with nothing to repeat, a
 * trailing backslash). varnishd compiles every regex when it loads the VCL
 * and refuses the whole file ("Regexp compilation error").
 */
import type { Finding, Rule } from './rule.js';
import type * as A from '../syntax/ast.js';
import { walk } from '../syntax/walk.js';
import { checkRegex } from '../analysis/regex-check.js';

const REGEX_ARG: Record<string, number> = { regsub: 1, regsuball: 1 };

export const regexInvalidRule: Rule = {
  id: 'regex-invalid',
  defaultSeverity: 'error',
  description: 'A regular expression that PCRE2 cannot compile; varnishd refuses the VCL.',
  check(ctx) {
    const out: Finding[] = [];
    const check = (e: A.Expression | undefined) => {
      const parts = e?.kind === 'StringLiteral' ? [e] : e?.kind === 'StringConcat' ? e.parts : undefined;
      if (!e || !parts) return;
      const problem = checkRegex(parts.map((p) => p.value).join(''));
      if (problem) out.push({ start: e.start, end: e.end, message: `Regexp compilation error: ${problem.message} (at character ${problem.index + 1} of the pattern)` });
    };
    walk(ctx.parse.ast, (n) => {
      if (n.kind === 'MatchExpr') check(n.pattern);
      if (n.kind === 'CallExpr' && !n.receiver) {
        const at = REGEX_ARG[n.callee.text];
        if (at !== undefined) check(n.args[at]?.value);
      }
      return undefined;
    });
    return out;
  },
};
