/**
 * Tokenises VCL and reports the lexical errors VCC reports: unterminated
 * strings, comments and inline C, `/*` inside a comment, over-long numbers,
 * unterminated BLOB literals and characters that start no token.
 */
import { Lexer, type IToken, type TokenType } from 'chevrotain';
import { allTokens } from './tokens.js';
import type { Comment } from './ast.js';
import type { SyntaxError } from './parse-result.js';
import { grammarTables } from './grammar-tables.js';

let lexer: Lexer | undefined;

/** positionTracking 'onlyOffset' is enough: lines are computed once per document by a line index, which keeps lexing fast. */
const lexerOptions = { positionTracking: 'onlyOffset', ensureOptimizations: false, skipValidations: true } as const;

function vclLexer(): Lexer {
  if (lexer === undefined) {
    // Each token's first characters come from grammar-tables.json: chevrotain
    // otherwise works them out by parsing every token's regular expression,
    // a third of building the lexer in a cold process.
    const startChars = grammarTables.startChars;
    for (const t of allTokens) {
      const hint = startChars[t.name];
      if (hint) t.START_CHARS_HINT = hint;
    }
    lexer = new Lexer(allTokens, lexerOptions);
  }
  return lexer;
}

export interface LexResult {
  tokens: IToken[];
  comments: Comment[];
  errors: SyntaxError[];
}

const unterminated: Record<string, string> = {
  UnterminatedString: 'Unterminated string',
  UnterminatedLongString: 'Unterminated long-string',
  UnterminatedTripleString: 'Unterminated long-string',
  UnterminatedInlineC: 'Unterminated inline C source',
  UnterminatedBlob: 'Missing colon at end of BLOB',
};

/** Splits text into tokens and comments; never throws. */
export function lex(text: string): LexResult {
  const result = vclLexer().tokenize(text);
  const errors: SyntaxError[] = [];
  for (const e of result.errors) {
    const ch = text.slice(e.offset, e.offset + e.length);
    errors.push({ message: `Syntax error at '${ch.length > 20 ? `${ch.slice(0, 20)}...` : ch}'`, start: e.offset, end: e.offset + e.length });
  }
  for (const t of result.tokens) {
    // 'onlyOffset' tracking leaves endOffset unset; the parser's node
    // locations are computed from it.
    t.endOffset = t.startOffset + t.image.length - 1;
    const name = t.tokenType.name;
    const msg = unterminated[name];
    if (msg) errors.push({ message: `${msg}, starting here`, start: t.startOffset, end: t.startOffset + Math.min(t.image.length, 3) });
    else if (name === 'Number') checkNumber(t, errors);
  }
  const comments: Comment[] = [];
  for (const t of result.groups['comments'] ?? []) {
    const start = t.startOffset;
    const style = t.image.startsWith('#') ? '#' : t.image.startsWith('//') ? '//' : '/*';
    comments.push({ kind: 'Comment', start, end: start + t.image.length, style, text: t.image });
    if (t.tokenType.name === 'UnterminatedBlockComment') {
      errors.push({ message: 'Unterminated /* ... */ comment, starting here', start, end: start + 2 });
    } else if (style === '/*') {
      const inner = t.image.indexOf('/*', 2);
      // VCC points at the comment's start, not at the nested opener.
      if (inner >= 0) errors.push({ message: '/* ... */ comment contains /*', start, end: start + 2 });
    }
  }
  return { tokens: result.tokens, comments, errors };
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

/**
 * Each token type's first characters as chevrotain's lexer works them out
 * from the patterns (its first-character table, which it keeps by character
 * code below 256, the only codes VCL's tokens start with; a token that could
 * start with a later one is refused), for grammar-tables.json.
 */
export function recordStartChars(): Record<string, number[]> {
  const kept = allTokens.map((t) => t.START_CHARS_HINT);
  for (const t of allTokens) delete t.START_CHARS_HINT;
  try {
    const live = new Lexer(allTokens, lexerOptions) as unknown as { charCodeToPatternIdxToConfig: { defaultMode: ({ tokenType: TokenType }[] | undefined)[] } };
    const table = live.charCodeToPatternIdxToConfig.defaultMode;
    const out: Record<string, number[]> = {};
    table.forEach((configs, code) => {
      if (code >= 256) throw new Error(`a token may start with character ${code}: the start-character tables cannot say so`);
      for (const { tokenType } of configs ?? []) (out[tokenType.name] ??= []).push(code);
    });
    return out;
  } finally {
    allTokens.forEach((t, i) => {
      if (kept[i]) t.START_CHARS_HINT = kept[i];
    });
  }
}
