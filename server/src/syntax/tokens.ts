/**
 * Chevrotain token types for VCL, modelled on the lexer of Varnish 7.1's VCC.
 *
 * Order matters: chevrotain tries patterns in array order and takes the first
 * that matches, so longer operators come before their prefixes and the
 * delimited literals (`C{`, `{"`, `"""`) before the tokens they start with.
 */
import { createToken, Lexer, type TokenType } from 'chevrotain';

/** Every keyword; lets the parser accept a keyword where any name may stand. */
export const Keyword = createToken({ name: 'Keyword', pattern: Lexer.NA, label: 'name' });
/** `"..."`, `{"..."}` and `"""..."""`, terminated or not. */
export const AnyString = createToken({ name: 'AnyString', pattern: Lexer.NA, label: 'string constant' });

// Identifiers: VCC's ident is a letter followed by letters, digits, `_` and
// `-`; symbol components are joined by `.` (which may also stand alone, as
// VCC accepts `req . url`).
export const Ident = createToken({
  name: 'Ident',
  pattern: /[A-Za-z][A-Za-z0-9_-]*(?:\.[A-Za-z][A-Za-z0-9_-]*)*/,
  label: 'name',
});

function keyword(word: string, extra: TokenType[] = []): TokenType {
  return createToken({
    name: word[0]!.toUpperCase() + word.slice(1),
    pattern: new RegExp(word),
    longer_alt: Ident,
    categories: [Keyword, ...extra],
    label: `'${word}'`,
  });
}

export const Vcl = keyword('vcl');
export const Import = keyword('import');
export const From = keyword('from');
export const As = keyword('as');
export const Include = keyword('include');
export const Backend = keyword('backend');
export const Probe = keyword('probe');
export const Acl = keyword('acl');
export const Sub = keyword('sub');
export const Set = keyword('set');
export const Unset = keyword('unset');
export const Call = keyword('call');
export const Return = keyword('return');
export const If = keyword('if');
export const Elsif = keyword('elsif');
export const Elseif = keyword('elseif');
export const Elif = keyword('elif');
export const Else = keyword('else');
export const New = keyword('new');
/** VCL 3 statements, parsed so that they can be reported and fixed. */
export const ErrorKw = keyword('error');
export const RemoveKw = keyword('remove');
export const DirectorKw = keyword('director');

// Comments stay in a group of their own: out of the parser's way, kept for
// the formatter and for suppression comments.
export const HashComment = createToken({ name: 'HashComment', pattern: /#[^\n]*/, group: 'comments' });
export const LineComment = createToken({ name: 'LineComment', pattern: /\/\/[^\n]*/, group: 'comments' });
export const BlockComment = createToken({ name: 'BlockComment', pattern: /\/\*[\s\S]*?\*\//, group: 'comments', line_breaks: true });
export const UnterminatedBlockComment = createToken({ name: 'UnterminatedBlockComment', pattern: /\/\*[\s\S]*/, group: 'comments', line_breaks: true });

export const InlineC = createToken({ name: 'InlineC', pattern: /C\{[\s\S]*?\}C/, line_breaks: true, label: 'C{ }C' });
export const UnterminatedInlineC = createToken({ name: 'UnterminatedInlineC', pattern: /C\{[\s\S]*/, line_breaks: true, categories: [InlineC] });

export const TripleString = createToken({ name: 'TripleString', pattern: /"""[\s\S]*?"""/, line_breaks: true, categories: [AnyString], label: 'string' });
export const UnterminatedTripleString = createToken({ name: 'UnterminatedTripleString', pattern: /"""[\s\S]*/, line_breaks: true, categories: [AnyString] });
export const LongString = createToken({ name: 'LongString', pattern: /\{"[\s\S]*?"\}/, line_breaks: true, categories: [AnyString], label: 'string' });
export const UnterminatedLongString = createToken({ name: 'UnterminatedLongString', pattern: /\{"[\s\S]*/, line_breaks: true, categories: [AnyString] });
export const QuotedString = createToken({ name: 'QuotedString', pattern: /"[^"\n]*"/, categories: [AnyString], label: 'string' });
export const UnterminatedString = createToken({ name: 'UnterminatedString', pattern: /"[^"\n]*/, categories: [AnyString] });

/** BLOB literal `:base64:` (VCC 7.x). */
export const Blob = createToken({ name: 'Blob', pattern: /:[A-Za-z0-9+/=]*:/, label: 'BLOB' });
export const UnterminatedBlob = createToken({ name: 'UnterminatedBlob', pattern: /:[A-Za-z0-9+/=]*/, categories: [Blob] });

/** Integers and reals; a unit (`10s`, `1.5m`, `100KB`) is a separate identifier. */
export const NumberLit = createToken({ name: 'Number', pattern: /\d+(?:\.\d*)?/, label: 'number' });

function punct(name: string, text: string): TokenType {
  const escaped = text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  return createToken({ name, pattern: new RegExp(escaped), label: `'${text}'` });
}

export const PlusPlus = punct('PlusPlus', '++');
export const MinusMinus = punct('MinusMinus', '--');
export const AndAnd = punct('AndAnd', '&&');
export const OrOr = punct('OrOr', '||');
export const LessEq = punct('LessEq', '<=');
export const EqEq = punct('EqEq', '==');
export const NotEq = punct('NotEq', '!=');
export const GreaterEq = punct('GreaterEq', '>=');
export const ShiftRight = punct('ShiftRight', '>>');
export const ShiftLeft = punct('ShiftLeft', '<<');
export const PlusEq = punct('PlusEq', '+=');
export const MinusEq = punct('MinusEq', '-=');
export const StarEq = punct('StarEq', '*=');
export const SlashEq = punct('SlashEq', '/=');
export const NoMatch = punct('NoMatch', '!~');
export const LCurly = punct('LCurly', '{');
export const RCurly = punct('RCurly', '}');
export const LParen = punct('LParen', '(');
export const RParen = punct('RParen', ')');
export const Star = punct('Star', '*');
export const Plus = punct('Plus', '+');
export const Minus = punct('Minus', '-');
export const Slash = punct('Slash', '/');
export const Percent = punct('Percent', '%');
export const Greater = punct('Greater', '>');
export const Less = punct('Less', '<');
export const Equals = punct('Equals', '=');
export const Semi = punct('Semi', ';');
export const Bang = punct('Bang', '!');
export const Amp = punct('Amp', '&');
export const Dot = punct('Dot', '.');
export const Pipe = punct('Pipe', '|');
export const Tilde = punct('Tilde', '~');
export const Comma = punct('Comma', ',');

export const WhiteSpace = createToken({ name: 'WhiteSpace', pattern: /[ \t\r\n\f\v]+/, group: Lexer.SKIPPED, line_breaks: true });

/**
 * A table of small numbers by token type number (tokenTypeIdx): each entry
 * ORs its value into the slots of its types. Code that looks at every token
 * reads what a type is to it with one array lookup.
 */
export function byTokenType(entries: ReadonlyArray<readonly [number, readonly TokenType[]]>): Uint8Array {
  const table = new Uint8Array(Math.max(...allTokens.map((t) => t.tokenTypeIdx!)) + 1);
  for (const [value, types] of entries) for (const t of types) table[t.tokenTypeIdx!]! |= value;
  return table;
}

/** All token types in matching order. */
export const allTokens: TokenType[] = [
  WhiteSpace,
  HashComment, LineComment, BlockComment, UnterminatedBlockComment,
  InlineC, UnterminatedInlineC,
  TripleString, UnterminatedTripleString, LongString, UnterminatedLongString,
  QuotedString, UnterminatedString,
  Blob, UnterminatedBlob,
  NumberLit,
  Vcl, Import, From, As, Include, Backend, Probe, Acl, Sub, Set, Unset, Call, Return,
  If, Elsif, Elseif, Elif, Else, New, ErrorKw, RemoveKw, DirectorKw,
  Ident,
  PlusPlus, MinusMinus, AndAnd, OrOr, LessEq, EqEq, NotEq, GreaterEq, ShiftRight, ShiftLeft,
  PlusEq, MinusEq, StarEq, SlashEq, NoMatch,
  LCurly, RCurly, LParen, RParen, Star, Plus, Minus, Slash, Percent, Greater, Less, Equals,
  Semi, Bang, Amp, Dot, Pipe, Tilde, Comma,
  Keyword, AnyString,
];

/** What a token does to the split of a text into top-level declarations (see {@link declarationSplit}). */
export const OPENS = 1;
export const CLOSES = 2;
export const STARTS_DECLARATION = 4;
/**
 * How the lexer cuts a text into declarations, by token type number: a
 * declaration starts at one of these keywords (or inline C) outside any
 * braces or parentheses. The one definition that the scanner's stop and
 * the lexer's split of an edited span both read.
 */
export const declarationSplit = byTokenType([
  [OPENS, [LCurly, LParen]],
  [CLOSES, [RCurly, RParen]],
  [STARTS_DECLARATION, [Vcl, Import, Include, Backend, Probe, Acl, Sub, InlineC, DirectorKw]],
]);

/** Statements of VCL 2 and 3 that are one word: `purge;`, `esi;`, and the actions before `return (...)`. */
// (globalThis's Set: `Set` here is the token of `set`.)
export const LEGACY_BARE_WORDS: ReadonlySet<string> = new globalThis.Set(['purge', 'esi', 'pass', 'lookup', 'deliver', 'pipe', 'fetch', 'restart', 'hash', 'discard', 'hit_for_pass']);
