/**
 * A text's tokens and comments without the whitespace between them, for
 * checking that formatting changed nothing but whitespace. Read with the
 * lexer directly, not through the formatter's own item list.
 */
import { lex } from '../../server/src/syntax/lexer.js';

/** `kind text` per token and comment, in source order; line comments lose their trailing blanks. */
export function tokenSequence(text: string): string[] {
  const { tokens, comments } = lex(text);
  const all = [
    ...tokens.map((t) => ({ at: t.startOffset, key: `${t.tokenType.name} ${t.image}` })),
    ...comments.map((c) => ({ at: c.start, key: `comment ${c.style === '/*' ? c.text : c.text.trimEnd()}` })),
  ];
  return all.sort((a, b) => a.at - b.at).map((x) => x.key);
}
