/**
 * Where a cursor stands in VCL text, read from the tokens before it: which
 * declaration (sub, backend, probe, ACL, or the top level), the tokens of
 * the statement written so far, and the word being typed. Editor features
 * that run while the text is half-written (completion, signature help) use
 * this instead of the syntax tree, which a typo can reshape.
 */
import type { IToken } from 'chevrotain';
import { lex } from '../syntax/lexer.js';

/** The kind of block the cursor is in. `probe` is also an inline `.probe = { }`. */
export type BlockKind = 'top' | 'sub' | 'backend' | 'probe' | 'acl' | 'other';

/** What the tokens before a cursor say about its place. */
export interface CursorContext {
  /** The cursor is inside a comment or a string: no VCL is expected there. */
  inert: boolean;
  block: BlockKind;
  /** Name of the enclosing sub, backend, probe or ACL, as written. */
  declaration?: string;
  /** Tokens of the current statement before the word (since the last `;`, `{` or `}`). */
  statement: IToken[];
  /** The word being typed (letters, digits, `_`, `-`, `.`), ending at the cursor. */
  word: { start: number; end: number; text: string };
  /** True when a lone `.` stands right before the word (a backend or probe field). */
  fieldDot: boolean;
}

const WORD_CHAR = /[A-Za-z0-9_.-]/;

/** The context of the cursor at `offset` in `text`. Never throws. */
export function cursorContext(text: string, offset: number): CursorContext {
  const end = Math.max(0, Math.min(offset, text.length));
  let start = end;
  while (start > 0 && WORD_CHAR.test(text[start - 1]!)) start--;
  // A word starts with a letter; leading dots and digits belong to what is before it.
  while (start < end && !/[A-Za-z]/.test(text[start]!)) start++;
  const word = { start, end, text: text.slice(start, end) };
  const lexed = lex(text.slice(0, start));
  const inert = endsInert(lexed.tokens, lexed.comments, start);
  const stack: Array<{ kind: BlockKind; name?: string }> = [];
  let statement: IToken[] = [];
  let pending: { kind: BlockKind; name?: string } | undefined;
  for (let i = 0; i < lexed.tokens.length; i++) {
    const t = lexed.tokens[i]!;
    const type = t.tokenType.name;
    if (type === 'LCurly') {
      const kind = stack.length === 0 ? pending?.kind ?? 'other' : isInlineProbe(statement) ? 'probe' : stack[stack.length - 1]!.kind === 'sub' ? 'sub' : 'other';
      stack.push({ kind, name: stack.length === 0 ? pending?.name : stack[stack.length - 1]?.name });
      pending = undefined;
      statement = [];
    } else if (type === 'RCurly') {
      stack.pop();
      statement = [];
    } else if (type === 'Semi') {
      statement = [];
    } else {
      if (stack.length === 0 && statement.length === 0) {
        const kind = ({ Sub: 'sub', Backend: 'backend', Probe: 'probe', Acl: 'acl' } as Record<string, BlockKind>)[type];
        if (kind) pending = { kind, name: lexed.tokens[i + 1]?.tokenType.name === 'Ident' ? lexed.tokens[i + 1]!.image : undefined };
      }
      statement.push(t);
    }
  }
  const top = stack[stack.length - 1];
  const before = text[start - 1];
  const fieldDot = before === '.' && (statement.length === 0 || statement[statement.length - 1]!.tokenType.name === 'Dot');
  if (fieldDot && statement[statement.length - 1]?.tokenType.name === 'Dot') statement = statement.slice(0, -1);
  return { inert, block: top?.kind ?? 'top', declaration: top?.name, statement, word, fieldDot };
}

/** `.probe =` just before a `{`: the block is an inline probe. */
function isInlineProbe(statement: IToken[]): boolean {
  const n = statement.length;
  return n >= 2 && statement[n - 1]!.tokenType.name === 'Equals' && statement[n - 2]!.image === 'probe';
}

/** True when the text before `end` finishes inside a comment or an unterminated string. */
function endsInert(tokens: IToken[], comments: ReadonlyArray<{ start: number; end: number; style: string; text: string }>, end: number): boolean {
  const last = tokens[tokens.length - 1];
  if (last && last.startOffset + last.image.length === end && /^Unterminated/.test(last.tokenType.name) && last.tokenType.name !== 'UnterminatedBlob') return true;
  const c = comments[comments.length - 1];
  if (!c || c.end !== end) return false;
  // A line comment runs to the end of the line; a block comment only while it is open.
  return c.style !== '/*' || !c.text.endsWith('*/') || c.text.length < 4;
}

/** The index of the innermost `(` still open at the end of `tokens`, or -1. */
export function openParen(tokens: readonly IToken[]): number {
  let depth = 0;
  for (let i = tokens.length - 1; i >= 0; i--) {
    const type = tokens[i]!.tokenType.name;
    if (type === 'RParen') depth++;
    else if (type === 'LParen') {
      if (depth === 0) return i;
      depth--;
    }
  }
  return -1;
}
