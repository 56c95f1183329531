/**
 * The parser of plainly valid declarations: a recursive descent over the
 * tokens of one chunk (see lex-chunks.ts) that builds the AST directly,
 * with no concrete syntax tree in between. It gives up (returns undefined)
 * at the first token that is not what a valid declaration has there, and
 * at every construct it leaves to the full parser (VCL 3's statements,
 * quoted header names, method calls on an expression, a `.` standing alone
 * in an expression, unterminated tokens, `unused`): the chevrotain parser
 * (grammar.ts, cst-to-ast.ts) then parses the chunk as before, with its
 * error recovery and messages.
 *
 * Why: most declarations have no error, and for them chevrotain's
 * general machinery (lookahead functions, recovery bookkeeping, a CST of
 * dictionaries, then the walk from CST to AST) was most of a cold CLI
 * run's analysis. What is accepted here must come out exactly as the full
 * parser makes it, node for node and field for field: the expressions are
 * put together by the same code (assembleExpression), and
 * test/unit/valid-parse.test.ts compares the two on every fixture, the
 * corpus and generated text.
 */
import type { IToken, TokenType } from 'chevrotain';
import type * as A from './ast.js';
import * as T from './tokens.js';
import { assembleExpression, inlineC, nameOf, numberLiteral, stringLiteral, tokEnd, tokSpan, type ExpressionItem, type ShapeError } from './cst-to-ast.js';

/** Thrown to give the chunk to the full parser (a plain object: no stack to capture). */
const GIVE_UP = { giveUp: true };

/** What a token type is to this parser, by its number (tokenTypeIdx). */
const KEYWORD = 1;
const STRING = 2;
const OPERATOR = 4;
/** Unterminated strings, inline C and BLOBs: lexical errors, so never a valid chunk. */
const UNTERMINATED = 8;
const kinds = T.byTokenType([
  [KEYWORD, T.allTokens.filter((t) => (t.CATEGORIES ?? []).includes(T.Keyword))],
  // Terminated strings only: an unterminated one is a lexical error, left to the full parser.
  [STRING, [T.QuotedString, T.LongString, T.TripleString]],
  [OPERATOR, [T.OrOr, T.AndAnd, T.EqEq, T.NotEq, T.Less, T.LessEq, T.Greater, T.GreaterEq, T.Tilde, T.NoMatch, T.Plus, T.Minus, T.Star, T.Slash, T.Percent]],
  [UNTERMINATED, [T.UnterminatedString, T.UnterminatedLongString, T.UnterminatedTripleString, T.UnterminatedInlineC, T.UnterminatedBlob]],
]);

/** The assignment operators of `set`. */
const ASSIGN: ReadonlySet<TokenType> = new Set([T.Equals, T.PlusEq, T.MinusEq, T.StarEq, T.SlashEq]);

/**
 * The declarations of a chunk's tokens when every one of them is plainly
 * valid, made as the full parser makes them; undefined when the chunk is
 * the full parser's (see the file's comment).
 */
export function parseValidDeclarations(tokens: readonly IToken[]): A.Declaration[] | undefined {
  if (!mayBeValid(tokens)) return undefined;
  const p = new ValidParser(tokens);
  try {
    const out: A.Declaration[] = [];
    while (p.at < tokens.length) out.push(p.declaration());
    return p.errors.length === 0 ? out : undefined;
  } catch (e) {
    if (e === GIVE_UP) return undefined;
    throw e;
  }
}

/**
 * Whether a chunk may be valid at all, from one look at each token: no
 * unterminated token, brackets that close in order, and a last token that
 * can end a declaration. Most broken chunks (a declaration cut short, as
 * while typing) fail here; giving up inside the descent costs an exception
 * thrown through its frames, several times this look.
 */
function mayBeValid(tokens: readonly IToken[]): boolean {
  const n = tokens.length;
  if (n === 0) return false;
  const last = tokens[n - 1]!.tokenType;
  if (last !== T.Semi && last !== T.RCurly && last !== T.InlineC) return false;
  let parens = 0;
  let curlies = 0;
  for (let i = 0; i < n; i++) {
    const t = tokens[i]!;
    const type = t.tokenType;
    if (type === T.LParen) parens++;
    else if (type === T.RParen) {
      if (--parens < 0) return false;
    } else if (type === T.LCurly) curlies++;
    else if (type === T.RCurly) {
      if (--curlies < 0) return false;
    } else if ((kinds[t.tokenTypeIdx]! & UNTERMINATED) !== 0) return false;
  }
  return parens === 0 && curlies === 0;
}

class ValidParser {
  at = 0;
  /** What the shared expression code would report: any of it gives the chunk to the full parser. */
  readonly errors: ShapeError[] = [];

  constructor(private readonly tokens: readonly IToken[]) {}

  // ---- tokens --------------------------------------------------------------

  private peek(k = 0): IToken | undefined {
    return this.tokens[this.at + k];
  }

  private is(type: TokenType, k = 0): boolean {
    return this.tokens[this.at + k]?.tokenType === type;
  }

  /** The next token, which must be of `type`. */
  private take(type: TokenType): IToken {
    const t = this.tokens[this.at];
    if (t === undefined || t.tokenType !== type) throw GIVE_UP;
    this.at++;
    return t;
  }

  private previousEnd(): number {
    return tokEnd(this.tokens[this.at - 1]!);
  }

  private kindOf(k = 0): number {
    const t = this.tokens[this.at + k];
    return t === undefined ? 0 : (kinds[t.tokenTypeIdx] ?? 0);
  }

  private isNameToken(k = 0): boolean {
    return this.is(T.Ident, k) || (this.kindOf(k) & KEYWORD) !== 0;
  }

  /** `anyName`: an identifier, or a keyword where a declaration's name stands. */
  private anyName(): A.Name {
    if (!this.isNameToken()) throw GIVE_UP;
    return nameOf(this.tokens[this.at++]!);
  }

  /** `name`: a symbol. The scanner joins `a.b.c` into one token; a `.` apart (`req . url`, `req.http."X"`) is the full parser's. */
  private name(): A.Name {
    const t = this.take(T.Ident);
    if (this.is(T.Dot)) throw GIVE_UP;
    return nameOf(t);
  }

  private string(): A.StringLiteral {
    const t = this.peek();
    if (t === undefined || (kinds[t.tokenTypeIdx]! & STRING) === 0) throw GIVE_UP;
    this.at++;
    return stringLiteral(t);
  }

  // ---- declarations --------------------------------------------------------

  declaration(): A.Declaration {
    const t = this.peek()!;
    switch (t.tokenType) {
      case T.InlineC:
        this.at++;
        return inlineC(t);
      case T.Vcl: {
        this.at++;
        const version = numberLiteral(this.take(T.NumberLit));
        this.take(T.Semi);
        return { kind: 'VersionDecl', start: t.startOffset, end: this.previousEnd(), version };
      }
      case T.Import:
        return this.importDecl();
      case T.Include:
        return this.includeDecl();
      case T.Backend:
        return this.backendDecl();
      case T.Probe: {
        this.at++;
        const name = this.anyName();
        const attributes = this.attributeBlock();
        return { kind: 'ProbeDecl', start: t.startOffset, end: this.previousEnd(), name, attributes };
      }
      case T.Acl:
        return this.aclDecl();
      case T.Sub: {
        this.at++;
        const name = this.anyName();
        const body = this.block();
        return { kind: 'SubDecl', start: t.startOffset, end: body.end, name, body };
      }
      default:
        // `director` (VCL 3), `unused` (9.0) and anything that starts no declaration.
        throw GIVE_UP;
    }
  }

  private importDecl(): A.ImportDecl {
    const start = this.take(T.Import).startOffset;
    const name = this.anyName();
    let alias: A.Name | undefined;
    if (this.is(T.As)) {
      this.at++;
      alias = this.anyName();
    }
    let from: A.StringLiteral | undefined;
    if (this.is(T.From)) {
      this.at++;
      from = this.string();
    }
    this.take(T.Semi);
    return { kind: 'ImportDecl', start, end: this.previousEnd(), name, alias, from };
  }

  private includeDecl(): A.IncludeDecl {
    const start = this.take(T.Include).startOffset;
    let flag: A.Name | undefined;
    if (this.is(T.Plus)) {
      this.at++;
      flag = this.anyName();
    }
    const path = this.string();
    this.take(T.Semi);
    return { kind: 'IncludeDecl', start, end: this.previousEnd(), flag, path };
  }

  private backendDecl(): A.BackendDecl {
    const start = this.take(T.Backend).startOffset;
    const name = this.anyName();
    if (this.is(T.LCurly)) {
      const attributes = this.attributeBlock();
      return { kind: 'BackendDecl', start, end: this.previousEnd(), name, none: false, hasBody: true, attributes };
    }
    // `backend name none;` (VCC compares `none` without regard to case; anything else is an error).
    const none = this.anyName();
    if (none.text.toLowerCase() !== 'none') throw GIVE_UP;
    this.take(T.Semi);
    return { kind: 'BackendDecl', start, end: this.previousEnd(), name, none: true, hasBody: false, attributes: [] };
  }

  private attributeBlock(): A.Attribute[] {
    this.take(T.LCurly);
    const out: A.Attribute[] = [];
    while (!this.is(T.RCurly)) out.push(this.attribute());
    this.at++;
    return out;
  }

  private attribute(): A.Attribute {
    const start = this.take(T.Dot).startOffset;
    const name = this.anyName();
    this.take(T.Equals);
    if (this.is(T.LCurly)) {
      const open = this.peek()!.startOffset;
      const block = this.attributeBlock();
      const end = this.previousEnd();
      return { kind: 'Attribute', start, end, name, value: undefined, moreStrings: [], block, blockSpan: { start: open, end } };
    }
    const value = this.expression();
    const moreStrings: A.StringLiteral[] = [];
    while ((this.kindOf() & STRING) !== 0) moreStrings.push(this.string());
    this.take(T.Semi);
    return { kind: 'Attribute', start, end: this.previousEnd(), name, value, moreStrings, block: undefined, blockSpan: undefined };
  }

  private aclDecl(): A.AclDecl {
    const start = this.take(T.Acl).startOffset;
    const name = this.anyName();
    const flags: A.AclFlag[] = [];
    while (this.is(T.Plus) || this.is(T.Minus)) {
      const sign = this.peek()!;
      this.at++;
      const flag = this.anyName();
      flags.push({ kind: 'AclFlag', start: sign.startOffset, end: flag.end, sign: sign.image === '-' ? '-' : '+', name: flag });
    }
    this.take(T.LCurly);
    const entries: A.AclEntry[] = [];
    while (!this.is(T.RCurly)) entries.push(this.aclEntry());
    this.at++;
    return { kind: 'AclDecl', start, end: this.previousEnd(), name, flags, entries };
  }

  private aclEntry(): A.AclEntry {
    const first = this.peek();
    if (first === undefined) throw GIVE_UP;
    let negated = false;
    if (this.is(T.Bang)) {
      this.at++;
      negated = true;
    }
    let optional = false;
    if (this.is(T.LParen)) {
      this.at++;
      optional = true;
      // `(!"addr")`: the full parser keeps the first `!` only; both are rare enough to leave to it.
      if (this.is(T.Bang)) throw GIVE_UP;
    }
    const address = this.string();
    let mask: A.NumberLiteral | undefined;
    if (this.is(T.Slash)) {
      this.at++;
      mask = numberLiteral(this.take(T.NumberLit));
    }
    if (optional) this.take(T.RParen);
    this.take(T.Semi);
    return { kind: 'AclEntry', start: first.startOffset, end: this.previousEnd(), negated, optional, address, mask };
  }

  // ---- statements ----------------------------------------------------------

  private block(): A.Block {
    const start = this.take(T.LCurly).startOffset;
    const statements: A.Statement[] = [];
    while (!this.is(T.RCurly)) {
      if (this.at >= this.tokens.length) throw GIVE_UP;
      statements.push(this.statement());
    }
    this.at++;
    return { kind: 'Block', start, end: this.previousEnd(), statements: statements.slice() };
  }

  private statement(): A.Statement {
    const t = this.peek()!;
    const start = t.startOffset;
    switch (t.tokenType) {
      case T.Set: {
        this.at++;
        const target = this.name();
        const op = this.peek();
        if (op === undefined || !ASSIGN.has(op.tokenType)) throw GIVE_UP;
        this.at++;
        const value = this.expression();
        this.take(T.Semi);
        return { kind: 'SetStmt', start, end: this.previousEnd(), target, operator: op.image as A.AssignOperator, operatorSpan: tokSpan(op), value };
      }
      case T.Unset: {
        this.at++;
        const target = this.name();
        this.take(T.Semi);
        return { kind: 'UnsetStmt', start, end: this.previousEnd(), target };
      }
      case T.Call: {
        this.at++;
        const target = this.name();
        const args = this.is(T.LParen) ? this.argumentList(true).args : undefined;
        this.take(T.Semi);
        return { kind: 'CallStmt', start, end: this.previousEnd(), target, args };
      }
      case T.Return:
        return this.returnStmt();
      case T.If:
        return this.ifStmt();
      case T.New: {
        this.at++;
        const name = this.anyName();
        this.take(T.Equals);
        const value = this.expression();
        this.take(T.Semi);
        return { kind: 'NewStmt', start, end: this.previousEnd(), name, value };
      }
      case T.Ident: {
        // VCL 2 and 3's `synthetic "...";` and bare actions (`pass;`) are the full parser's, as are its gates.
        if (t.image === 'synthetic' && !this.is(T.LParen, 1)) throw GIVE_UP;
        if (T.LEGACY_BARE_WORDS.has(t.image) && this.is(T.Semi, 1)) throw GIVE_UP;
        const callee = this.name();
        const { args, span: argsSpan } = this.argumentList(true);
        this.take(T.Semi);
        const expression: A.CallExpr = { kind: 'CallExpr', start: callee.start, end: argsSpan.end, callee, args, argsSpan };
        return { kind: 'ExpressionStmt', start, end: this.previousEnd(), expression };
      }
      case T.Include:
        return this.includeDecl();
      case T.InlineC:
        this.at++;
        return inlineC(t);
      case T.LCurly:
        return this.block();
      default:
        // `error` and `remove` of VCL 3, and anything that starts no statement.
        throw GIVE_UP;
    }
  }

  private returnStmt(): A.ReturnStmt {
    const keyword = this.take(T.Return);
    let action: A.Name | undefined;
    let args: A.Argument[] | undefined;
    let argsSpan: A.Span | undefined;
    if (this.is(T.LParen)) {
      this.at++;
      action = this.anyName();
      if (this.is(T.LParen)) {
        // No trailing comma in a return action: one is an error, the full parser's.
        const list = this.argumentList(false);
        args = list.args;
        argsSpan = { start: list.span.start, end: list.span.end };
      }
      this.take(T.RParen);
    }
    this.take(T.Semi);
    return { kind: 'ReturnStmt', start: keyword.startOffset, end: this.previousEnd(), keyword: tokSpan(keyword), action, args, argsSpan };
  }

  private ifStmt(): A.IfStmt {
    const ifKw = this.take(T.If);
    const start = ifKw.startOffset;
    const condition = this.condition();
    const body = this.block();
    const branches: A.IfBranch[] = [{ kind: 'IfBranch', start, end: body.end, keyword: ifKw.image, condition, body }];
    let elseBody: A.Block | undefined;
    for (;;) {
      const t = this.peek();
      if (t === undefined) break;
      let keyword: string;
      if (t.tokenType === T.Elsif || t.tokenType === T.Elseif || t.tokenType === T.Elif) {
        this.at++;
        keyword = t.image;
      } else if (t.tokenType === T.Else && this.is(T.If, 1)) {
        keyword = `${t.image} ${this.peek(1)!.image}`;
        this.at += 2;
      } else {
        break;
      }
      const c = this.condition();
      const b = this.block();
      branches.push({ kind: 'IfBranch', start: t.startOffset, end: b.end, keyword, condition: c, body: b });
    }
    if (this.is(T.Else)) {
      this.at++;
      elseBody = this.block();
    }
    return { kind: 'IfStmt', start, end: this.previousEnd(), branches: branches.slice(), elseBody };
  }

  private condition(): A.Expression {
    this.take(T.LParen);
    const e = this.expression();
    this.take(T.RParen);
    return e;
  }

  /** `(args)`; `trailingComma`: whether a comma may end the list (function calls; not return actions). */
  private argumentList(trailingComma: boolean): { args: A.Argument[]; span: A.Span } {
    const open = this.take(T.LParen).startOffset;
    const args: A.Argument[] = [];
    if (!this.is(T.RParen)) {
      args.push(this.argument());
      while (this.is(T.Comma)) {
        if (this.is(T.RParen, 1)) {
          if (!trailingComma) throw GIVE_UP;
          this.at++;
          break;
        }
        this.at++;
        args.push(this.argument());
      }
    }
    this.take(T.RParen);
    return { args: args.slice(), span: { start: open, end: this.previousEnd() } };
  }

  private argument(): A.Argument {
    const first = this.peek();
    if (first === undefined) throw GIVE_UP;
    let name: A.Name | undefined;
    if (this.isNameToken() && this.is(T.Equals, 1)) {
      name = this.anyName();
      this.at++;
    }
    const value = this.expression();
    return { kind: 'Argument', start: first.startOffset, end: this.previousEnd(), name, value };
  }

  // ---- expressions ---------------------------------------------------------

  private expression(): A.Expression {
    const items: ExpressionItem[] = [this.operand(undefined)];
    while ((this.kindOf() & OPERATOR) !== 0) {
      const op = this.peek()!;
      this.at++;
      items.push(this.operand(op));
    }
    const e = assembleExpression(items, this.errors);
    if (e === undefined || this.errors.length > 0) throw GIVE_UP;
    return e;
  }

  private operand(op: IToken | undefined): ExpressionItem {
    let prefixes: IToken[] | undefined;
    while (this.is(T.Bang) || this.is(T.Minus)) {
      (prefixes ??= []).push(this.peek()!);
      this.at++;
    }
    const core = this.primary();
    // Method calls on an expression (`(x).lower()`) and a `.` standing alone are the full parser's.
    if (this.is(T.Dot)) throw GIVE_UP;
    return op === undefined ? { prefixes, core } : { prefixes, core, op };
  }

  private primary(): A.Expression {
    const t = this.peek();
    if (t === undefined) throw GIVE_UP;
    const type = t.tokenType;
    if (type === T.LParen) {
      this.at++;
      const expression = this.expression();
      const close = this.take(T.RParen);
      return { kind: 'ParenExpr', start: t.startOffset, end: close.startOffset + 1, expression };
    }
    if (type === T.NumberLit) {
      this.at++;
      const unit = this.is(T.Ident) ? this.tokens[this.at++] : undefined;
      return numberLiteral(t, unit);
    }
    const kind = kinds[t.tokenTypeIdx] ?? 0;
    if ((kind & STRING) !== 0) {
      this.at++;
      return stringLiteral(t);
    }
    if (type === T.Blob) {
      this.at++;
      return { kind: 'BlobLiteral', start: t.startOffset, end: tokEnd(t), text: t.image };
    }
    let name: A.Name;
    if ((kind & KEYWORD) !== 0) {
      this.at++;
      name = nameOf(t);
    } else {
      name = this.name();
      if (this.is(T.LParen)) {
        const { args, span: argsSpan } = this.argumentList(true);
        return { kind: 'CallExpr', start: name.start, end: argsSpan.end, callee: name, args, argsSpan };
      }
    }
    return { kind: 'Identifier', start: name.start, end: name.end, name };
  }
}
