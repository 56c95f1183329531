/**
 * Tokenises VCL and reports the lexical errors VCC reports: unterminated
 * strings, comments and inline C, `/*` inside a comment, over-long numbers,
 * unterminated BLOB literals and characters that start no token.
 */
import type { IToken, TokenType } from 'chevrotain';
import { scan } from './scanner.js';
import * as T from './tokens.js';
import type { Comment } from './ast.js';
import type { SyntaxError } from './parse-result.js';

export interface LexResult {
  tokens: IToken[];
  comments: Comment[];
  errors: SyntaxError[];
  /** Where a lex of one declaration stopped: the next one's first token (see {@link scan}). */
  next?: IToken;
}

/** The messages of the unterminated token types, by type (looked up once per token). */
const unterminated = new Map<TokenType, string>([
  [T.UnterminatedString, 'Unterminated string'],
  [T.UnterminatedLongString, 'Unterminated long-string'],
  [T.UnterminatedTripleString, 'Unterminated long-string'],
  [T.UnterminatedInlineC, 'Unterminated inline C source'],
  [T.UnterminatedBlob, 'Missing colon at end of BLOB'],
]);

/**
 * Splits text into tokens and comments; never throws. From `from`, and with
 * `oneDeclaration` up to the next top-level declaration, as {@link scan} does.
 */
export function lex(text: string, from = 0, oneDeclaration = false): LexResult {
  const result = scan(text, from, oneDeclaration);
  const errors: SyntaxError[] = [];
  for (const e of result.errors) {
    const ch = text.slice(e.offset, e.offset + e.length);
    errors.push({ message: `Syntax error at '${ch.length > 20 ? `${ch.slice(0, 20)}...` : ch}'`, start: e.offset, end: e.offset + e.length });
  }
  const tokens = result.tokens;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const type = t.tokenType;
    if (type === T.NumberLit) checkNumber(t, errors);
    else {
      const msg = unterminated.get(type);
      if (msg) errors.push({ message: `${msg}, starting here`, start: t.startOffset, end: t.startOffset + Math.min(t.image.length, 3) });
    }
  }
  const comments: Comment[] = [];
  for (const t of result.comments) {
    const start = t.startOffset;
    const style = t.image.startsWith('#') ? '#' : t.image.startsWith('//') ? '//' : '/*';
    comments.push({ kind: 'Comment', start, end: start + t.image.length, style, text: t.image });
    if (t.tokenType === T.UnterminatedBlockComment) {
      errors.push({ message: 'Unterminated /* ... */ comment, starting here', start, end: start + 2 });
    } else if (style === '/*') {
      const inner = t.image.indexOf('/*', 2);
      // VCC points at the comment's start, not at the nested opener.
      if (inner >= 0) errors.push({ message: '/* ... */ comment contains /*', start, end: start + 2 });
    }
  }
  return { tokens: result.tokens, comments, errors, next: result.next };
}

/**
 * VCC's limits from 7.0 (numbers as RFC 8941 has them): 15 digits for an
 * integer; 12 before and 3 after a real's point. Varnish 6 took longer ones.
 */
function checkNumber(t: IToken, errors: SyntaxError[]): void {
  const dot = t.image.indexOf('.');
  const span = { start: t.startOffset, end: t.startOffset + t.image.length, since: '7.0' };
  if (dot < 0) {
    if (t.image.length > 15) errors.push({ message: 'Too many digits for integer', ...span });
  } else if (dot > 12 || t.image.length - dot - 1 > 3) {
    errors.push({ message: 'Too many digits for real', ...span });
  }
}
