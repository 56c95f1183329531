/**
 * VCL's tokens, scanned by hand. The token types of tokens.ts, and their
 * patterns, stay the specification: a test (test/unit/scanner.test.ts)
 * holds this scanner to what chevrotain's lexer makes of the same patterns
 * on every fixture, the corpus and generated text, token for token, comment
 * for comment, error for error.
 *
 * Why not chevrotain's lexer, which the parser is built on: building it
 * analyses every pattern, about 5 ms of every CLI start (a tenth of what a
 * small file's run spends beyond node's own start), and it tries the
 * patterns of a character one regular expression after the other, where a
 * switch on the character decides at once. Everything else about a token
 * (its type, its category, how the parser matches it) is chevrotain's.
 */
import type { IToken, TokenType } from 'chevrotain';
import * as T from './tokens.js';

/** What {@link scan} finds: the tokens for the parser, the comments apart, and the runs of characters that start no token. */
export interface ScanResult {
  tokens: IToken[];
  comments: IToken[];
  errors: Array<{ offset: number; length: number }>;
  /** Where a scan that stops at the next declaration stopped: that declaration's first token (see {@link scan}). */
  next?: IToken;
}

/** Keywords by their text: an identifier spelt exactly so is the keyword (chevrotain's `longer_alt`: a longer name stays a name). */
const keywords = new Map<string, TokenType>(
  [T.Vcl, T.Import, T.From, T.As, T.Include, T.Backend, T.Probe, T.Acl, T.Sub, T.Set, T.Unset, T.Call, T.Return, T.If, T.Elsif, T.Elseif, T.Elif, T.Else, T.New, T.ErrorKw, T.RemoveKw, T.DirectorKw].map((t) => [
    String(t.LABEL).slice(1, -1),
    t,
  ]),
);

/** The one-character tokens, and the two-character ones by their first character (tried first, as tokens.ts orders them). */
const single = new Map<number, TokenType>(
  [T.LCurly, T.RCurly, T.LParen, T.RParen, T.Star, T.Plus, T.Minus, T.Slash, T.Percent, T.Greater, T.Less, T.Equals, T.Semi, T.Bang, T.Amp, T.Dot, T.Pipe, T.Tilde, T.Comma].map((t) => [
    String(t.LABEL).charCodeAt(1),
    t,
  ]),
);
const pairs = new Map<number, Map<number, TokenType>>();
for (const t of [T.PlusPlus, T.MinusMinus, T.AndAnd, T.OrOr, T.LessEq, T.EqEq, T.NotEq, T.GreaterEq, T.ShiftRight, T.ShiftLeft, T.PlusEq, T.MinusEq, T.StarEq, T.SlashEq, T.NoMatch]) {
  const text = String(t.LABEL).slice(1, -1);
  let second = pairs.get(text.charCodeAt(0));
  if (!second) pairs.set(text.charCodeAt(0), (second = new Map()));
  second.set(text.charCodeAt(1), t);
}

const SPACE = 32;
const TAB = 9;
const LF = 10;
const VT = 11;
const FF = 12;
const CR = 13;
const QUOTE = 34;
const HASH = 35;
const STAR = 42;
const SLASH = 47;
const COLON = 58;
const LCURLY = 123;
const UPPER_C = 67;
const DOT = 46;

/**
 * Character classes of the ASCII characters, as bits: the loops below test
 * a class with one table lookup, not a function call per character (which
 * is what a cold process, running the scanner in V8's interpreter, pays
 * for most).
 */
const SPACE_BIT = 1;
const LETTER_BIT = 2;
const DIGIT_BIT = 4;
/** What may follow an identifier's first letter: letters, digits, `_` and `-`. */
const NAME_BIT = 8;
/** A BLOB's characters between its colons (base64). */
const BLOB_BIT = 16;
/** Characters some token starts with: every other character is a lexical error. */
const START_BIT = 32;
const classes = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const letter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
  const digit = c >= 48 && c <= 57;
  const space = c === SPACE || c === TAB || c === LF || c === CR || c === FF || c === VT;
  let bits = 0;
  if (space) bits |= SPACE_BIT;
  if (letter) bits |= LETTER_BIT;
  if (digit) bits |= DIGIT_BIT;
  if (letter || digit || c === 95 || c === 45) bits |= NAME_BIT;
  if (letter || digit || c === 43 || c === 47 || c === 61) bits |= BLOB_BIT;
  if (space || letter || digit || c === QUOTE || c === HASH || c === COLON || single.has(c)) bits |= START_BIT;
  classes[c] = bits;
}

/** The class bits of a character code (none beyond ASCII, nor for NaN past the end of the text). */
function classOf(c: number): number {
  return c < 128 ? classes[c]! : 0;
}

/** The first offset from `from` whose character lacks `bit`. */
function skip(text: string, from: number, bit: number): number {
  const n = text.length;
  let at = from;
  while (at < n) {
    const c = text.charCodeAt(at);
    if (c >= 128 || (classes[c]! & bit) === 0) break;
    at++;
  }
  return at;
}

/**
 * Splits VCL text into tokens as chevrotain's lexer does with tokens.ts;
 * never throws. From `from` (a place between tokens), to the end; or, with
 * `oneDeclaration`, up to where the next top-level declaration starts: a
 * keyword that starts one (or inline C) outside any braces or parentheses,
 * after at least one token. The scan then stops before that token and says
 * which token it is (`next`), and a scan from there goes on as the whole scan
 * would have: the scanner keeps no state from one token to the next.
 */
export function scan(text: string, from = 0, oneDeclaration = false): ScanResult {
  const tokens: IToken[] = [];
  const comments: IToken[] = [];
  const errors: ScanResult['errors'] = [];
  const n = text.length;
  let at = from;
  // For oneDeclaration: the bracket depth over the tokens looked at so far (`counted` of them).
  let depth = 0;
  let counted = 0;
  // endOffset too (the parser's node locations come from it; chevrotain's offset-only tracking leaves it out): set
  // here, every token has one shape, where adding it afterwards moved each token to a second one.
  const token = (type: TokenType, end: number): IToken =>
    ({ image: text.slice(at, end), startOffset: at, endOffset: end - 1, tokenTypeIdx: type.tokenTypeIdx!, tokenType: type }) as IToken;
  /** The end of a delimited token: after `close` when found from `from`, else the end of the text (its unterminated type). */
  const delimited = (from: number, close: string, closed: TokenType, open: TokenType, into: IToken[]): number => {
    const found = text.indexOf(close, from);
    const end = found < 0 ? n : found + close.length;
    into.push(token(found < 0 ? open : closed, end));
    return end;
  };
  /** The end of a comment that runs to the end of its line (the line break not included). */
  const lineComment = (type: TokenType): number => {
    const found = text.indexOf('\n', at);
    const end = found < 0 ? n : found;
    comments.push(token(type, end));
    return end;
  };
  /** Looks at the latest token (oneDeclaration): true when it starts the next declaration. */
  const startsNext = (): boolean => {
    counted = tokens.length;
    const role = T.declarationSplit[tokens[counted - 1]!.tokenTypeIdx] ?? 0;
    if (role & T.OPENS) depth++;
    else if (role & T.CLOSES) depth = Math.max(0, depth - 1);
    else if (role & T.STARTS_DECLARATION && depth === 0 && counted > 1) return true;
    return false;
  };
  while (at < n) {
    // Each step adds at most one token: the latest is looked at before the next step.
    if (oneDeclaration && tokens.length > counted && startsNext()) return { tokens, comments, errors, next: tokens.pop()! };
    const c = text.charCodeAt(at);
    const bits = classOf(c);
    if (bits & SPACE_BIT) {
      at = skip(text, at + 1, SPACE_BIT);
      continue;
    }
    if (bits & LETTER_BIT) {
      if (c === UPPER_C && text.charCodeAt(at + 1) === LCURLY) {
        at = delimited(at + 2, '}C', T.InlineC, T.UnterminatedInlineC, tokens);
        continue;
      }
      let end = skip(text, at + 1, NAME_BIT);
      // `.name` continues a dotted name; a dot before anything else is a token of its own.
      while (text.charCodeAt(end) === DOT && classOf(text.charCodeAt(end + 1)) & LETTER_BIT) end = skip(text, end + 2, NAME_BIT);
      const t = token(T.Ident, end);
      // Keywords are 2 to 8 letters long: longer names need no lookup.
      const keyword = end - at <= 8 ? keywords.get(t.image) : undefined;
      if (keyword) {
        t.tokenType = keyword;
        t.tokenTypeIdx = keyword.tokenTypeIdx!;
      }
      tokens.push(t);
      at = end;
      continue;
    }
    if (bits & DIGIT_BIT) {
      let end = skip(text, at + 1, DIGIT_BIT);
      if (text.charCodeAt(end) === DOT) end = skip(text, end + 1, DIGIT_BIT);
      tokens.push(token(T.NumberLit, end));
      at = end;
      continue;
    }
    switch (c) {
      case QUOTE: {
        if (text.charCodeAt(at + 1) === QUOTE && text.charCodeAt(at + 2) === QUOTE) {
          at = delimited(at + 3, '"""', T.TripleString, T.UnterminatedTripleString, tokens);
          continue;
        }
        let end = at + 1;
        let k = text.charCodeAt(end);
        while (end < n && k !== QUOTE && k !== LF) k = text.charCodeAt(++end);
        const closed = end < n && k === QUOTE;
        tokens.push(token(closed ? T.QuotedString : T.UnterminatedString, closed ? end + 1 : end));
        at = closed ? end + 1 : end;
        continue;
      }
      case HASH:
        at = lineComment(T.HashComment);
        continue;
      case SLASH: {
        const next = text.charCodeAt(at + 1);
        if (next === SLASH) {
          at = lineComment(T.LineComment);
          continue;
        }
        if (next === STAR) {
          at = delimited(at + 2, '*/', T.BlockComment, T.UnterminatedBlockComment, comments);
          continue;
        }
        break;
      }
      case LCURLY:
        if (text.charCodeAt(at + 1) === QUOTE) {
          at = delimited(at + 2, '"}', T.LongString, T.UnterminatedLongString, tokens);
          continue;
        }
        break;
      case COLON: {
        const end = skip(text, at + 1, BLOB_BIT);
        const closed = text.charCodeAt(end) === COLON;
        tokens.push(token(closed ? T.Blob : T.UnterminatedBlob, closed ? end + 1 : end));
        at = closed ? end + 1 : end;
        continue;
      }
      default:
        break;
    }
    const pair = pairs.get(c)?.get(text.charCodeAt(at + 1));
    if (pair) {
      tokens.push(token(pair, at + 2));
      at += 2;
      continue;
    }
    const one = single.get(c);
    if (one) {
      tokens.push(token(one, at + 1));
      at += 1;
      continue;
    }
    // Characters that start no token: one error for the whole run of them.
    let end = at + 1;
    while (end < n && (classOf(text.charCodeAt(end)) & START_BIT) === 0) end++;
    errors.push({ offset: at, length: end - at });
    at = end;
  }
  // The text's last token may start a declaration of its own too.
  if (oneDeclaration && tokens.length > counted && startsNext()) return { tokens, comments, errors, next: tokens.pop()! };
  return { tokens, comments, errors };
}
