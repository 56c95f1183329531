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
  const trimmed = trimBlanksEnd(c.text);
  return { kind: 'line-comment', name: 'Comment', start: c.start, end: c.start + trimmed.length, text: trimmed };
}

/**
 * `text` without its trailing blanks (space, tab, CR, form feed, vertical
 * tab). A loop from the end: `/[ \t]+$/` tries every blank of a long run
 * in the middle of a comment as a start, which is quadratic.
 */
export function trimBlanksEnd(text: string): string {
  let end = text.length;
  while (end > 0 && isBlank(text.charCodeAt(end - 1))) end--;
  return end === text.length ? text : text.slice(0, end);
}

function isBlank(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0c || c === 0x0b;
}
