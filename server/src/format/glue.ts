/**
 * Whether two tokens that were apart in the source may be written with
 * nothing between them: `!` and `~` joined would be `!~`, `a` and `-b`
 * would be the single name `a-b`. Asked only for tokens the author
 * separated, so it runs rarely.
 */
import { lex } from '../syntax/lexer.js';
import type { Item } from './items.js';

/** True when `left` followed directly by `right` still reads as those two tokens. */
export function joinsSafely(left: Item, right: Item): boolean {
  const lexed = lex(left.text + right.text);
  const [a, b] = lexed.tokens;
  return (
    lexed.tokens.length === 2 &&
    lexed.comments.length === 0 &&
    a!.image === left.text &&
    b!.image === right.text &&
    a!.tokenType.name === left.name &&
    b!.tokenType.name === right.name
  );
}
