/** `syntax`: the text is not valid VCL syntax (lexer or parser). */
import type { Rule } from './rule.js';
import { errorsIn } from '../syntax/parse-result.js';
import { newStatementProblems } from './new-syntax.js';
import type { Finding } from './rule.js';

export const syntaxRule: Rule = {
  id: 'syntax',
  defaultSeverity: 'error',
  description: 'The text is not valid VCL syntax; varnishd would refuse to compile it.',
  check(ctx) {
    // After an error the parser resynchronises, and what it says later on the same line is
    // almost always about the same mistake (`return error 405, "x";` gave two errors, `purge;` four):
    // one error per line, the first.
    const out: Finding[] = [];
    // Errors in offset order; the line is counted on from the previous error, so the text is scanned once.
    let line = 0;
    let at = 0;
    let lastLine = -1;
    // An error of a later release's rules (number limits from 7.0) is none for an older one.
    const errors: Array<Pick<Finding, 'start' | 'end' | 'message' | 'fixes'>> = [...errorsIn(ctx.parse.errors, ctx.varnishVersion), ...newStatementProblems(ctx)];
    for (const e of errors.sort((a, b) => a.start - b.start)) {
      // Lines end at \n, \r\n or a lone \r, as everywhere else.
      for (; at < e.start; at++) {
        const c = ctx.text.charCodeAt(at);
        if (c === 10 || (c === 13 && ctx.text.charCodeAt(at + 1) !== 10)) line++;
      }
      if (line === lastLine) continue;
      lastLine = line;
      out.push(e.fixes ? { start: e.start, end: e.end, message: e.message, fixes: e.fixes } : { start: e.start, end: e.end, message: e.message });
    }
    return out;
  },
};
