/** `syntax`: the text is not valid VCL syntax (lexer or parser). */
import type { Rule } from './rule.js';

export const syntaxRule: Rule = {
  id: 'syntax',
  defaultSeverity: 'error',
  description: 'The text is not valid VCL syntax; varnishd would refuse to compile it.',
  check: (ctx) => ctx.parse.errors.map((e) => ({ start: e.start, end: e.end, message: e.message })),
};
