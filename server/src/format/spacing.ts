/**
 * Spacing between two tokens of the same line: none or one blank. Follows
 * the style of Varnish's own documentation: blanks around binary operators
 * and after commas, none inside parentheses, `f(x)` for calls but
 * `if (x)` and `return (x)` for keywords, `!x` and `-1` for unary operators,
 * `"10.0.0.0"/8` in ACLs and `name=value` for named arguments.
 */
import type { Item } from './items.js';

/** What the layout knows about the place where two tokens meet. */
export interface SpacingContext {
  /** The token before `left`, to tell a unary operator from a binary one. */
  beforeLeft: Item | undefined;
  /** Open parentheses at `left` (after it, when it is one). */
  parens: number;
  /** Inside the body of an `acl`. */
  inAcl: boolean;
  /** In an `acl name +flag -flag {` header, before its body. */
  inAclHeader: boolean;
  /** Whether the original text had whitespace between the two tokens. */
  hadSpace: boolean;
}

/** Tokens that end an operand: after one, `-` and `+` are binary. */
const OPERAND_ENDS = new Set([
  'Ident', 'Number', 'RParen', 'Blob', 'UnterminatedBlob',
  'QuotedString', 'LongString', 'TripleString', 'UnterminatedString', 'UnterminatedLongString', 'UnterminatedTripleString',
]);

/** True for `-`/`+` standing for a sign (or an ACL flag prefix) rather than an operation. */
function isPrefixSign(left: Item, ctx: SpacingContext): boolean {
  if (left.name !== 'Minus' && left.name !== 'Plus') return false;
  if (ctx.inAclHeader) return true;
  return !ctx.beforeLeft || !OPERAND_ENDS.has(ctx.beforeLeft.name);
}

/** 'none' or 'space' between `left` and `right` on one line. */
export function inlineSpacing(left: Item, right: Item, ctx: SpacingContext): 'none' | 'space' {
  const l = left.name;
  const r = right.name;
  if (r === 'Semi' || r === 'Comma' || r === 'RParen') return 'none';
  if (l === 'LParen') return 'none';
  if (l === 'Bang') return 'none';
  if (isPrefixSign(left, ctx)) return 'none';
  // `req . url` is accepted by varnishd but `req.url` is another token: keep what was written.
  if (l === 'Dot' || r === 'Dot') return ctx.hadSpace ? 'space' : 'none';
  // A number and its unit (`10s`, `100KB`): keep what was written.
  if (l === 'Number' && r === 'Ident') return ctx.hadSpace ? 'space' : 'none';
  // A call is `f(x)`; a keyword (`if`, `elsif`, `return`) keeps its blank.
  if (r === 'LParen') return l === 'Ident' ? 'none' : 'space';
  if (ctx.inAcl && (l === 'Slash' || r === 'Slash')) return 'none';
  if (ctx.parens > 0 && (l === 'Equals' || r === 'Equals')) return 'none';
  return 'space';
}
