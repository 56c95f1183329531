/**
 * The formatter's view of a VCL text: tokens and comments in source order,
 * each an unbreakable piece whose text is kept exactly. Everything between
 * two items is whitespace, and whitespace is all the formatter rewrites.
 */
import { lex } from '../syntax/lexer.js';
import type { Comment } from '../syntax/ast.js';

/** What an item is, as far as layout cares. */
export type ItemKind = 'token' | 'line-comment' | 'block-comment';

/** A token or comment at source offsets (end exclusive). */
export interface Item {
  kind: ItemKind;
  /** The chevrotain token type name (`Ident`, `LCurly`, ...); `Comment` for comments. */
  name: string;
  start: number;
  end: number;
  text: string;
}

/** Tokens and comments of `text`, sorted by offset, plus the lexer's error count. */
export interface Items {
  items: Item[];
  lexErrors: number;
}

/**
 * Splits a text into items. A `#` or `//` comment runs to the end of its
 * line, blanks included; those trailing blanks are whitespace to the
 * formatter (they go with the following gap), the comment's text is not.
 */
export function readItems(text: string): Items {
  const lexed = lex(text);
  const items: Item[] = [];
  const { tokens, comments } = lexed;
  // Both lists are in source order already: merge them.
  let c = 0;
  for (let t = 0; t <= tokens.length; t++) {
    const token = tokens[t];
    while (c < comments.length && (!token || comments[c]!.start < token.startOffset)) items.push(commentItem(comments[c++]!));
    if (token) items.push({ kind: 'token', name: token.tokenType.name, start: token.startOffset, end: token.startOffset + token.image.length, text: token.image });
  }
  return { items, lexErrors: lexed.errors.length };
}

function commentItem(c: Comment): Item {
  if (c.style === '/*') return { kind: 'block-comment', name: 'Comment', start: c.start, end: c.end, text: c.text };
  const trimmed = c.text.replace(/[ \t\r\f\v]+$/, '');
  return { kind: 'line-comment', name: 'Comment', start: c.start, end: c.start + trimmed.length, text: trimmed };
}
