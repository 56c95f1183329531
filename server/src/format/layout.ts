/**
 * Lays out VCL items: decides, for every gap between two items, which
 * whitespace it gets. Only gaps change; the items themselves (tokens,
 * comments, strings, inline C) are kept as they are.
 *
 * The rules:
 * - one statement per line; a block's body one level deeper than its
 *   opening line; `}` on a line of its own, except `} else {` /
 *   `} elsif (...) {` and `{` joined to the line that opens it;
 * - a line break the author put inside a statement is kept (long
 *   conditions, probe requests), the next line indented one level deeper
 *   than the statement, or by the number of open parentheses when deeper;
 * - blank lines between statements and declarations are kept, at most one
 *   in a row, none right after `{` or before `}`;
 * - a comment stays on the line where it was: after code (one blank
 *   before it) or on a line of its own, indented as the code around it;
 * - no whitespace at the start of the file or at line ends; one final
 *   line break.
 */
import type { Item } from './items.js';
import { inlineSpacing } from './spacing.js';
import { joinsSafely } from './glue.js';

/** How to indent and end lines. */
export interface LayoutOptions {
  /** One level of indentation: spaces or a tab. */
  indent: string;
  /** The line break to write: the text's own (`\n` or `\r\n`). */
  eol: string;
}

/** The new whitespace before every item, and after the last one. */
export interface Layout {
  /** `gaps[i]` replaces the text between item i-1 (or the start) and item i; the last entry is the text after the last item. */
  gaps: string[];
}

const ELSE_FAMILY = new Set(['Else', 'Elsif', 'Elseif', 'Elif']);

/** Most blank lines kept in a row. */
export const MAX_BLANK_LINES = 1;

type Break = { kind: 'none' } | { kind: 'space' } | { kind: 'newline' };
const NONE: Break = { kind: 'none' };
const SPACE: Break = { kind: 'space' };
const NEWLINE: Break = { kind: 'newline' };

/** Computes the new gaps for the items of `text`. */
export function layout(text: string, items: readonly Item[], options: LayoutOptions): Layout {
  const gaps: string[] = [];
  let depth = 0;
  let parens = 0;
  /** For each open block, whether it is an ACL body. */
  const aclBlocks: boolean[] = [];
  /** The first token of the current statement. */
  let statementHead: Item | undefined;
  let last: Item | undefined; // last token
  let beforeLast: Item | undefined; // the token before it
  let prev: Item | undefined; // last item (token or comment)

  const atStatementStart = (): boolean =>
    !last || last.name === 'LCurly' || last.name === 'RCurly' || last.name === 'InlineC' || last.name === 'UnterminatedInlineC' || (last.name === 'Semi' && parens === 0);

  for (const item of items) {
    const from = prev ? prev.end : 0;
    if (!prev) {
      gaps.push('');
    } else {
      const brk = decide(prev, last, beforeLast, item, from);
      if (brk.kind === 'none') gaps.push('');
      else if (brk.kind === 'space') gaps.push(' ');
      else {
        const startOfStatement = atStatementStart();
        const closing = item.kind === 'token' && item.name === 'RCurly';
        let level: number;
        if (closing) level = depth - 1;
        else if (startOfStatement) level = depth;
        else level = depth + Math.max(1, parens - (item.name === 'RParen' ? 1 : 0));
        const blank = startOfStatement && !closing && !(prev.kind === 'token' && prev.name === 'LCurly') && newlinesIn(text, from, item.start) >= 2;
        gaps.push(options.eol.repeat(blank ? 1 + MAX_BLANK_LINES : 1) + options.indent.repeat(Math.max(0, level)));
      }
    }
    prev = item;
    if (item.kind !== 'token') continue;

    if (atStatementStart()) statementHead = item;
    switch (item.name) {
      case 'LCurly':
        depth++;
        aclBlocks.push(statementHead?.name === 'Acl' && depth === 1);
        break;
      case 'RCurly':
        depth = Math.max(0, depth - 1);
        aclBlocks.pop();
        break;
      case 'LParen':
        parens++;
        break;
      case 'RParen':
        parens = Math.max(0, parens - 1);
        break;
      default:
        break;
    }
    beforeLast = last;
    last = item;
  }
  gaps.push(items.length ? options.eol : '');
  return { gaps };

  /** The break before `next`, given the last item, the last token and the original whitespace. */
  function decide(prevItem: Item, lastToken: Item | undefined, tokenBefore: Item | undefined, next: Item, from: number): Break {
    const hadNewline = newlinesIn(text, from, next.start) > 0;
    const hadSpace = next.start > from;
    if (prevItem.kind === 'line-comment') return NEWLINE;
    if (next.kind !== 'token') return hadNewline ? NEWLINE : SPACE;
    const structural = structuralBreak(lastToken, next);
    if (structural) return structural;
    // From here on `next` continues the statement `lastToken` belongs to.
    if (prevItem !== lastToken) return hadNewline ? NEWLINE : SPACE; // after a /* */ comment
    const spacing = inlineSpacing(lastToken!, next, {
      beforeLeft: tokenBefore,
      parens,
      inAcl: aclBlocks[aclBlocks.length - 1] === true,
      inAclHeader: statementHead?.name === 'Acl' && depth === 0,
      hadSpace,
    });
    if (hadNewline && (spacing === 'space' || lastToken!.name === 'LParen')) return NEWLINE;
    if (spacing === 'space') return SPACE;
    return !hadSpace || joinsSafely(lastToken!, next) ? NONE : SPACE;
  }

  /** Breaks decided by the structure alone: statement ends, blocks, `} else {`. */
  function structuralBreak(lastToken: Item | undefined, next: Item): Break | undefined {
    if (!lastToken) return NEWLINE;
    const l = lastToken.name;
    const n = next.name;
    if (n === 'RCurly') return NEWLINE;
    if (l === 'LCurly') return NEWLINE;
    if (l === 'RCurly') {
      if (ELSE_FAMILY.has(n)) return SPACE;
      if (n === 'Semi') return NONE;
      return NEWLINE;
    }
    if (l === 'Semi' && parens === 0) return NEWLINE;
    if (l === 'InlineC' || l === 'UnterminatedInlineC' || n === 'InlineC' || n === 'UnterminatedInlineC') return NEWLINE;
    if (n === 'LCurly') return SPACE;
    return undefined;
  }
}

/** Line breaks (`\r\n`, `\n` or a lone `\r`, as LSP counts them) in `text[from, to)`, up to two (all the layout needs to know). */
function newlinesIn(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = from; i < to && n < 2; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) n++;
  }
  return n;
}
