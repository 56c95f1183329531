/**
 * Builds the AST from chevrotain's CST. Recovered (partial) CST nodes are the
 * normal case while typing, so every child lookup here may come back empty.
 */
import type { CstNode, IToken } from 'chevrotain';
import type * as A from './ast.js';

/** A problem found while shaping the tree (reported as `syntax`). */
export interface ShapeError {
  message: string;
  start: number;
  end: number;
}

type Child = CstNode | IToken;

function isToken(c: Child): c is IToken {
  return (c as IToken).tokenType !== undefined;
}

function node(n: CstNode, key: string, i = 0): CstNode | undefined {
  const c = n.children[key]?.[i];
  return c && !isToken(c) ? c : undefined;
}

const NONE: readonly CstNode[] = [];

/**
 * The nodes under `key`. A subrule's key holds nodes only, so the array is
 * returned as it is (not copied: the AST of a big file is built from
 * hundreds of thousands of these lookups); it is filtered only when a label
 * mixes in tokens.
 */
function nodes(n: CstNode, key: string): readonly CstNode[] {
  const all = n.children[key];
  if (!all) return NONE;
  for (const c of all) if (isToken(c)) return all.filter((x): x is CstNode => !isToken(x));
  return all as CstNode[];
}

/** The key of a node's first child: which alternative of a rule was taken. */
function firstKey(n: CstNode): string | undefined {
  for (const k in n.children) return k;
  return undefined;
}

function token(n: CstNode, key: string, i = 0): IToken | undefined {
  const c = n.children[key]?.[i];
  return c && isToken(c) && !c.isInsertedInRecovery ? c : undefined;
}

/**
 * Tokens under several keys, in source order (CST groups children by type;
 * under one key they are already in source order, so only tokens gathered
 * from two keys or more are sorted). Indexed loops: this runs for every
 * expression, and a cold CLI run spends its first thousands of calls in
 * V8's interpreter, where an iterator costs several times a loop.
 */
function tokensOf(n: CstNode, keys: readonly string[]): IToken[] {
  if (keys.length === 1) return tokensAt(n, keys[0]!);
  const out: IToken[] = [];
  let from = 0;
  for (let k = 0; k < keys.length; k++) {
    const children = n.children[keys[k]!];
    if (!children) continue;
    from++;
    for (let i = 0; i < children.length; i++) {
      const c = children[i]!;
      if (isToken(c) && !c.isInsertedInRecovery) out.push(c);
    }
  }
  return from > 1 ? out.sort((a, b) => a.startOffset - b.startOffset) : out;
}

const NO_TOKENS: IToken[] = [];

/**
 * The tokens under one key, in source order: the CST's own array when it
 * holds real tokens only (the common case; callers only read it), else a
 * filtered copy.
 */
function tokensAt(n: CstNode, key: string): IToken[] {
  const children = n.children[key];
  if (!children) return NO_TOKENS;
  for (let i = 0; i < children.length; i++) {
    const c = children[i]!;
    if (!isToken(c) || c.isInsertedInRecovery) return children.filter((x): x is IToken => isToken(x) && !x.isInsertedInRecovery);
  }
  return children as IToken[];
}

/**
 * Where a token ends. AST nodes take `start` and `end` as plain fields: an
 * object spread inside a literal (`{ kind, ...span }`) costs V8 about four
 * times as much, and a big file's AST is built from hundreds of thousands.
 */
export function tokEnd(t: IToken): number {
  return t.startOffset + t.image.length;
}

/** The span a token covers. */
export function tokSpan(t: IToken): A.Span {
  return { start: t.startOffset, end: tokEnd(t) };
}

/** Span of a CST node from chevrotain's offset tracking; empty when recovered from nothing. */
function cstSpan(n: CstNode, fallback: number): A.Span {
  const loc = n.location;
  if (!loc || Number.isNaN(loc.startOffset)) return { start: fallback, end: fallback };
  const end = loc.endOffset === undefined || Number.isNaN(loc.endOffset) ? loc.startOffset : loc.endOffset + 1;
  // chevrotain's locations start as NaN, so V8 stores their offsets as boxed doubles; `| 0` makes them
  // small integers again. Copied as they were, they gave most AST nodes a boxed number of their own
  // (181,000 of them, 16 bytes each, with 200 documents open).
  return { start: loc.startOffset | 0, end: Math.max(end, loc.startOffset) | 0 };
}

const COMPARISON = 4;

/** Binding strength of binary operators (higher binds tighter). */
const precedence: Record<string, number> = {
  '||': 1,
  '&&': 2,
  '==': COMPARISON, '!=': COMPARISON, '<': COMPARISON, '<=': COMPARISON, '>': COMPARISON, '>=': COMPARISON, '~': COMPARISON, '!~': COMPARISON,
  '+': 5, '-': 5,
  '*': 6, '/': 6, '%': 6,
};

function leftmostOf(e: A.Expression): A.Expression {
  return e.kind === 'BinaryExpr' ? leftmostOf(e.left) : e;
}

function describe(e: A.Expression): string {
  switch (e.kind) {
    case 'Identifier': return e.name.text;
    case 'CallExpr': return e.callee.text;
    case 'NumberLiteral': return e.text;
    default: return e.kind === 'ParenExpr' ? '(' : '...';
  }
}

/** Converts one parse's CST into AST nodes, collecting shape errors. */
export class AstBuilder {
  readonly errors: ShapeError[] = [];
  /** Where a node that recovery left without any token is placed: the end of the declaration or statement being built. */
  private anchor = 0;

  program(cst: CstNode, textLength: number, comments: A.Comment[]): A.Program {
    const declarations: A.Declaration[] = [];
    for (const d of nodes(cst, 'declaration')) {
      this.anchor = cstSpan(d, this.anchor).end;
      const decl = this.declaration(d);
      if (decl) declarations.push(decl);
    }
    return { kind: 'Program', start: 0, end: textLength, declarations, comments };
  }

  private declaration(n: CstNode): A.Declaration | undefined {
    const c = token(n, 'InlineC');
    if (c) return inlineC(c);
    const key = firstKey(n);
    const sub = key === undefined ? undefined : n.children[key]![0];
    if (!key || !sub || isToken(sub)) return undefined;
    switch (key) {
      case 'versionDecl': return this.versionDecl(sub);
      case 'importDecl': return this.importDecl(sub);
      case 'includeDecl': return this.includeDecl(sub);
      case 'backendDecl': return this.backendDecl(sub);
      case 'probeDecl': return this.probeDecl(sub);
      case 'aclDecl': return this.aclDecl(sub);
      case 'subDecl': return this.subDecl(sub);
      case 'unusedDecl': {
        const kw = token(sub, 'keyword');
        const span = cstSpan(sub, this.anchor);
        return { kind: 'UnusedDecl', start: span.start, end: span.end, keyword: kw ? tokSpan(kw) : span, name: this.anyName(node(sub, 'anyName')) };
      }
      case 'legacyDirectorDecl': {
        const kw = token(sub, 'Director');
        const span = cstSpan(sub, this.anchor);
        return { kind: 'LegacyDirectorDecl', start: span.start, end: span.end, keyword: kw ? tokSpan(kw) : span, name: this.anyName(node(sub, 'anyName')), directorType: this.anyName(node(sub, 'type')) };
      }
      default: return undefined;
    }
  }

  private versionDecl(n: CstNode): A.VersionDecl {
    const num = token(n, 'Number');
    return { kind: 'VersionDecl', ...cstSpan(n, this.anchor), version: num ? numberLiteral(num) : undefined };
  }

  private importDecl(n: CstNode): A.ImportDecl {
    const from = token(n, 'AnyString');
    return {
      kind: 'ImportDecl',
      ...cstSpan(n, this.anchor),
      name: this.anyName(node(n, 'anyName')),
      alias: this.anyName(node(n, 'alias')),
      from: from ? stringLiteral(from) : undefined,
    };
  }

  private includeDecl(n: CstNode): A.IncludeDecl {
    const path = token(n, 'AnyString');
    return {
      kind: 'IncludeDecl',
      ...cstSpan(n, this.anchor),
      flag: this.anyName(node(n, 'anyName')),
      path: path ? stringLiteral(path) : undefined,
    };
  }

  private backendDecl(n: CstNode): A.BackendDecl {
    const span = cstSpan(n, this.anchor);
    const block = node(n, 'attributeBlock');
    const noneName = this.anyName(node(n, 'none'));
    // VCC compares `none` without regard to case.
    const isNone = noneName?.text.toLowerCase() === 'none';
    if (noneName && !isNone) {
      this.errors.push({ message: `Expected '{' or 'none' got '${noneName.text}'`, start: noneName.start, end: noneName.end });
    }
    return {
      kind: 'BackendDecl',
      start: span.start, end: span.end,
      name: this.anyName(node(n, 'anyName')),
      none: isNone,
      hasBody: block !== undefined,
      attributes: block ? this.attributes(block) : [],
    };
  }

  private probeDecl(n: CstNode): A.ProbeDecl {
    const block = node(n, 'attributeBlock');
    return { kind: 'ProbeDecl', ...cstSpan(n, this.anchor), name: this.anyName(node(n, 'anyName')), attributes: block ? this.attributes(block) : [] };
  }

  private attributes(block: CstNode): A.Attribute[] {
    return nodes(block, 'attribute').map((a) => this.attribute(a));
  }

  private attribute(n: CstNode): A.Attribute {
    const span = cstSpan(n, this.anchor);
    const inner = node(n, 'attributeBlock');
    const expr = node(n, 'expression');
    return {
      kind: 'Attribute',
      start: span.start, end: span.end,
      name: this.anyName(node(n, 'anyName')),
      value: expr ? this.expression(expr) : undefined,
      moreStrings: tokensOf(n, ['AnyString']).map((t) => stringLiteral(t)),
      block: inner ? this.attributes(inner) : undefined,
      blockSpan: inner ? cstSpan(inner, span.start) : undefined,
    };
  }

  private aclDecl(n: CstNode): A.AclDecl {
    return {
      kind: 'AclDecl',
      ...cstSpan(n, this.anchor),
      name: this.anyName(node(n, 'anyName')),
      flags: nodes(n, 'aclFlag').map((f) => {
        const sign = tokensOf(f, ['Plus', 'Minus'])[0];
        return { kind: 'AclFlag', ...cstSpan(f, this.anchor), sign: sign?.image === '-' ? '-' : '+', name: this.anyName(node(f, 'anyName')) } satisfies A.AclFlag;
      }),
      entries: nodes(n, 'aclEntry').map((e) => this.aclEntry(e)),
    };
  }

  private aclEntry(n: CstNode): A.AclEntry {
    const addr = node(n, 'aclAddress');
    const str = addr && token(addr, 'AnyString');
    const mask = addr && token(addr, 'Number');
    return {
      kind: 'AclEntry',
      ...cstSpan(n, this.anchor),
      negated: token(n, 'Bang') !== undefined,
      optional: token(n, 'LParen') !== undefined,
      address: str ? stringLiteral(str) : undefined,
      mask: mask ? numberLiteral(mask) : undefined,
    };
  }

  private subDecl(n: CstNode): A.SubDecl {
    const body = node(n, 'block');
    const span = cstSpan(n, this.anchor);
    return { kind: 'SubDecl', start: span.start, end: span.end, name: this.anyName(node(n, 'anyName')), body: body ? this.block(body, span.end) : undefined };
  }

  /** `fallback`: where a block recovered without any token is placed (empty, at the end of what holds it). */
  private block(n: CstNode, fallback: number): A.Block {
    const statements: A.Statement[] = [];
    for (const s of nodes(n, 'statement')) {
      const stmt = this.statement(s);
      if (stmt) statements.push(stmt);
    }
    const span = cstSpan(n, fallback);
    return { kind: 'Block', start: span.start, end: span.end, statements };
  }

  private statement(n: CstNode): A.Statement | undefined {
    const c = token(n, 'InlineC');
    if (c) return inlineC(c);
    const key = firstKey(n);
    const s = key === undefined ? undefined : n.children[key]![0];
    if (!key || !s || isToken(s)) return undefined;
    const span = cstSpan(s, this.anchor);
    const outer = this.anchor;
    this.anchor = span.end;
    try {
      return this.statementOf(key, s, span);
    } finally {
      this.anchor = outer;
    }
  }

  private statementOf(key: string, s: CstNode, span: A.Span): A.Statement | undefined {
    switch (key) {
      case 'setStmt': {
        const op = tokensOf(s, ['Equals', 'PlusEq', 'MinusEq', 'StarEq', 'SlashEq'])[0];
        const value = node(s, 'expression');
        return {
          kind: 'SetStmt',
          start: span.start, end: span.end,
          target: this.name(node(s, 'name')),
          operator: op?.image as A.AssignOperator | undefined,
          operatorSpan: op ? tokSpan(op) : undefined,
          value: value ? this.expression(value) : undefined,
        };
      }
      case 'unsetStmt':
        return { kind: 'UnsetStmt', start: span.start, end: span.end, target: this.name(node(s, 'name')) };
      case 'legacyRemoveStmt': {
        const kw = token(s, 'Remove');
        return { kind: 'LegacyRemoveStmt', start: span.start, end: span.end, keyword: kw ? tokSpan(kw) : span, target: this.name(node(s, 'name')) };
      }
      case 'legacyBareStmt': {
        const kw = token(s, 'Ident');
        const word = kw ? tokSpan(kw) : span;
        return { kind: 'LegacyBareStmt', start: span.start, end: span.end, word: { kind: 'Name', start: word.start, end: word.end, text: kw?.image ?? '' } as A.Name };
      }
      case 'legacySyntheticStmt': {
        const kw = token(s, 'Ident');
        const value = node(s, 'expression');
        return { kind: 'LegacySyntheticStmt', start: span.start, end: span.end, keyword: kw ? tokSpan(kw) : span, value: value ? this.expression(value) : undefined };
      }
      case 'legacyErrorStmt': {
        const kw = token(s, 'Error');
        return { kind: 'LegacyErrorStmt', start: span.start, end: span.end, keyword: kw ? tokSpan(kw) : span, args: nodes(s, 'expression').map((e) => this.expression(e)) };
      }
      case 'callStmt': {
        const list = node(s, 'argumentList');
        return { kind: 'CallStmt', start: span.start, end: span.end, target: this.name(node(s, 'name')), args: list ? this.argumentList(list).args : undefined };
      }
      case 'returnStmt': {
        const kw = token(s, 'Return');
        const list = node(s, 'argumentList');
        const parsed = list ? this.argumentList(list, span.start) : undefined;
        // Unlike function calls, return actions take no trailing comma.
        if (parsed?.trailingComma) this.errors.push({ message: "Expected an expression got ')' (no trailing comma in a return action)", ...parsed.trailingComma });
        return {
          kind: 'ReturnStmt',
          start: span.start, end: span.end,
          keyword: kw ? tokSpan(kw) : span,
          action: this.anyName(node(s, 'anyName')),
          args: parsed?.args,
          argsSpan: parsed ? { start: parsed.span.start, end: parsed.span.end } : undefined,
        };
      }
      case 'ifStmt':
        return this.ifStmt(s);
      case 'newStmt': {
        const value = node(s, 'expression');
        return { kind: 'NewStmt', start: span.start, end: span.end, name: this.anyName(node(s, 'anyName')), value: value ? this.expression(value) : undefined };
      }
      case 'callExprStmt': {
        const callee = this.name(node(s, 'name'));
        const list = node(s, 'argumentList');
        if (!callee || !list) return undefined;
        const { args, span: argsSpan } = this.argumentList(list, callee.end);
        const call: A.CallExpr = { kind: 'CallExpr', start: callee.start, end: argsSpan.end, callee, args, argsSpan };
        return { kind: 'ExpressionStmt', start: span.start, end: span.end, expression: call };
      }
      case 'includeDecl':
        return this.includeDecl(s);
      case 'block':
        return this.block(s, cstSpan(s, this.anchor).start);
      default:
        return undefined;
    }
  }

  private ifStmt(n: CstNode): A.IfStmt {
    const span = cstSpan(n, this.anchor);
    const ifKw = token(n, 'If');
    const cond = node(n, 'condition');
    const body = node(n, 'block', 0);
    const first: A.IfBranch = {
      kind: 'IfBranch',
      start: span.start,
      end: body ? cstSpan(body, span.start).end : span.end,
      keyword: ifKw?.image ?? 'if',
      condition: cond ? this.condition(cond) : undefined,
      body: body ? this.block(body, span.end) : undefined,
    };
    const branches = [first];
    for (const e of nodes(n, 'elseIfClause')) {
      const kws = tokensOf(e, ['Elsif', 'Elseif', 'Elif', 'Else', 'If']);
      const c = node(e, 'condition');
      const b = node(e, 'block');
      const branchSpan = cstSpan(e, span.start);
      branches.push({
        kind: 'IfBranch',
        start: branchSpan.start, end: branchSpan.end,
        keyword: kws.map((k) => k.image).join(' ') || 'elsif',
        condition: c ? this.condition(c) : undefined,
        body: b ? this.block(b, branchSpan.end) : undefined,
      });
    }
    const elseBlock = node(n, 'block', 1);
    return { kind: 'IfStmt', start: span.start, end: span.end, branches, elseBody: elseBlock ? this.block(elseBlock, span.end) : undefined };
  }

  private condition(n: CstNode): A.Expression | undefined {
    const e = node(n, 'expression');
    return e ? this.expression(e) : undefined;
  }

  /** `after`: where the list would start, for a list that recovery left empty. */
  private argumentList(n: CstNode, after = 0): { args: A.Argument[]; span: A.Span; trailingComma?: A.Span } {
    const span = cstSpan(n, after);
    const comma = token(n, 'trailingComma');
    const args = nodes(n, 'argument').map((a): A.Argument => {
      const value = node(a, 'expression');
      const at = cstSpan(a, span.start);
      return {
        kind: 'Argument',
        start: at.start,
        end: at.end,
        name: this.anyName(node(a, 'anyName')),
        value: value ? this.expression(value) : undefined,
      };
    });
    return { args, span, trailingComma: comma ? tokSpan(comma) : undefined };
  }

  // ---- expressions -------------------------------------------------------

  /** An expression from its flat operand/operator sequence (see {@link assembleExpression}). */
  expression(n: CstNode): A.Expression {
    const operands = nodes(n, 'operand');
    if (operands.length === 0) return this.missing(n);
    const ops = tokensOf(n, ['op']);
    const items: ExpressionItem[] = operands.map((operand, i) => ({
      // Most operands have no prefix operator.
      prefixes: operand.children['prefix'] === undefined ? undefined : tokensOf(operand, ['prefix']),
      core: this.postfix(operand),
      op: ops[i - 1],
    }));
    return assembleExpression(items, this.errors) ?? this.missing(n);
  }

  /** Missing-expression stand-in for a node that recovery left empty. */
  private missing(n: CstNode): A.Identifier {
    const s = cstSpan(n, this.anchor);
    return { kind: 'Identifier', start: s.start, end: s.end, name: { kind: 'Name', start: s.start, end: s.end, text: '' } };
  }

  private postfix(n: CstNode): A.Expression | undefined {
    let expr = this.primary(n);
    const names = nodes(n, 'method');
    const lists = nodes(n, 'methodArgs');
    for (let i = 0; expr && i < names.length; i++) {
      const callee = this.anyName(names[i]);
      const list = lists[i];
      if (!callee || !list) break;
      const { args, span: argsSpan } = this.argumentList(list, callee.end);
      expr = { kind: 'CallExpr', start: expr.start, end: argsSpan.end, receiver: expr, callee, args, argsSpan };
    }
    return expr;
  }

  private primary(n: CstNode): A.Expression | undefined {
    const open = token(n, 'LParen');
    if (open) {
      const inner = node(n, 'expression');
      const close = token(n, 'RParen');
      const end = close ? close.startOffset + 1 : inner ? cstSpan(inner, open.startOffset).end : open.startOffset + 1;
      return { kind: 'ParenExpr', start: open.startOffset, end, expression: inner ? this.expression(inner) : undefined };
    }
    const num = token(n, 'Number');
    if (num) return numberLiteral(num, token(n, 'unit'));
    const str = token(n, 'AnyString');
    if (str) return stringLiteral(str);
    const blob = token(n, 'Blob');
    if (blob) return { kind: 'BlobLiteral', start: blob.startOffset, end: tokEnd(blob), text: blob.image };
    const kw = token(n, 'Keyword');
    const name = kw ? nameOf(kw) : this.name(node(n, 'name'));
    if (!name) return undefined;
    const list = node(n, 'argumentList');
    if (list) {
      const { args, span: argsSpan } = this.argumentList(list, name.end);
      return { kind: 'CallExpr', start: name.start, end: argsSpan.end, callee: name, args, argsSpan };
    }
    return { kind: 'Identifier', start: name.start, end: name.end, name };
  }

  // ---- leaves --------------------------------------------------------------

  /** A dotted name; the dots may be separate tokens (`req . url`). */
  private name(n: CstNode | undefined): A.Name | undefined {
    if (!n) return undefined;
    const first = token(n, 'Ident');
    if (!first) return undefined;
    let text = first.image;
    let end = tokEnd(first);
    const named = nodes(n, 'anyName');
    // Most names are one word, or two (`req.url`): no quoted part to place among the others.
    if (n.children['AnyString'] === undefined) {
      for (const part of named) {
        const p = this.anyName(part);
        if (!p) continue;
        text += `.${p.text}`;
        end = p.end;
      }
      return { kind: 'Name', start: first.startOffset, end, text };
    }
    // Components are names or quoted header names, in source order.
    const parts: Array<{ start: number; end: number; text: string; quoted: boolean }> = [];
    for (const part of named) {
      const p = this.anyName(part);
      if (p) parts.push({ ...p, quoted: false });
    }
    // Quoted header names are kept in one spelling, "name", whatever the string form.
    for (const t of tokensOf(n, ['AnyString'])) parts.push({ ...tokSpan(t), text: `"${stringLiteral(t).value}"`, quoted: true });
    parts.sort((a, b) => a.start - b.start);
    for (const p of parts) {
      // VCC takes token characters only in a quoted header name.
      const bad = p.quoted ? /[^!#$%&'*+\-.^_`|~0-9A-Za-z]/.exec(p.text.slice(1, -1)) : null;
      if (bad) this.errors.push({ message: `Invalid character '${bad[0] === '\n' ? '\\n' : bad[0]}' in header name`, start: p.start, end: p.end });
      if (p.quoted && !/(^|\.)http$/.test(text)) {
        this.errors.push({ message: `Quoted names are only allowed for headers (after 'http.'), not after '${text}'`, start: p.start, end: p.end });
      }
      text += `.${p.text}`;
      end = p.end;
    }
    return { kind: 'Name', start: first.startOffset, end, text };
  }

  private anyName(n: CstNode | undefined): A.Name | undefined {
    if (!n) return undefined;
    const t = token(n, 'Ident') ?? token(n, 'Keyword');
    return t ? nameOf(t) : undefined;
  }

}

/** The string literal a string token stands for (of any of VCL's three forms, terminated or not). */
export function stringLiteral(t: IToken): A.StringLiteral {
  const img = t.image;
  const span = tokSpan(t);
  if (img.startsWith('"""')) return { kind: 'StringLiteral', start: span.start, end: span.end, style: '"""', value: img.slice(3, img.endsWith('"""') && img.length >= 6 ? -3 : undefined) };
  if (img.startsWith('{"')) return { kind: 'StringLiteral', start: span.start, end: span.end, style: '{"', value: img.slice(2, img.endsWith('"}') && img.length >= 4 ? -2 : undefined) };
  return { kind: 'StringLiteral', start: span.start, end: span.end, style: '"', value: img.slice(1, img.length >= 2 && img.endsWith('"') ? -1 : undefined) };
}

/** The number literal of a number token, with the unit that follows it (`10s`) when there is one. */
export function numberLiteral(t: IToken, unit?: IToken): A.NumberLiteral {
  const lit: A.NumberLiteral = { kind: 'NumberLiteral', start: t.startOffset, end: tokEnd(t), text: t.image, value: Number(t.image) };
  if (unit) {
    lit.unit = nameOf(unit);
    lit.end = lit.unit.end;
  }
  return lit;
}

/** The name a single token spells (an identifier, a keyword where a name stands, a unit). */
export function nameOf(t: IToken): A.Name {
  return { kind: 'Name', start: t.startOffset, end: tokEnd(t), text: sharedName(t.image) };
}

/**
 * Short names by their text, so that the many uses of a name (`req.url`,
 * `beresp.ttl`, a sub's name) share one string (4,200 fewer strings kept
 * for a 10,000-line program). Only names shorter than 13 characters: V8
 * makes a longer slice a view into the source text, which this table,
 * outliving every parse, would keep alive. Bounded: emptied when full.
 */
const shortNames = new Map<string, string>();
const MAX_SHORT_NAMES = 4096;
const SHORT_NAME = 13;

function sharedName(text: string): string {
  if (text.length >= SHORT_NAME) return text;
  const known = shortNames.get(text);
  if (known !== undefined) return known;
  if (shortNames.size >= MAX_SHORT_NAMES) shortNames.clear();
  shortNames.set(text, text);
  return text;
}

/** The inline C declaration or statement of a `C{ ... }C` token. */
export function inlineC(t: IToken): A.InlineC {
  return { kind: 'InlineC', start: t.startOffset, end: tokEnd(t), code: t.image.replace(/^C\{/, '').replace(/\}C$/, '') };
}

/**
 * One operand of an expression's flat sequence: its prefix operators (`!`,
 * `-`; undefined when it has none), the operand itself with its method
 * calls, and the binary operator before it (none for the first).
 */
export interface ExpressionItem {
  prefixes: readonly IToken[] | undefined;
  core: A.Expression | undefined;
  op?: IToken;
}

/**
 * Builds an expression from the flat operand/operator sequence by
 * precedence climbing, with VCC's precedence (vcc_expr.c): `||` < `&&` <
 * `!` < one comparison or match < `+ -` < `* / %` < unary minus. Also
 * reports, into `errors`, what VCC's layered parser would refuse: a second
 * comparison in a row, a second `!`, and anything but string literals
 * joined to a literal regular expression. Shared by the CST's builder and
 * the parser of valid declarations (valid-parse.ts), so the two make the
 * same trees.
 */
export function assembleExpression(items: readonly ExpressionItem[], errors: ShapeError[]): A.Expression | undefined {
  if (items.length === 0) return undefined;
  return climb(items, { i: 0 }, 0, errors);
}

/** Parses items[state.i...] while operators bind at least as tightly as `min`. */
function climb(items: readonly ExpressionItem[], state: { i: number }, min: number, errors: ShapeError[]): A.Expression | undefined {
  let left = prefixed(items, state, errors);
  let comparisons = 0;
  while (state.i < items.length) {
    const op = items[state.i]!.op!;
    const prec = precedence[op.image] ?? 0;
    if (prec < min) break;
    if (prec === COMPARISON && ++comparisons > 1) {
      // VCC parses one comparison, then wants the condition to end.
      errors.push({ message: `Expected ')' got '${op.image}' (VCL compares two values at a time; use && or parentheses)`, ...tokSpan(op) });
    }
    const right = climb(items, state, prec + 1, errors);
    if (!left) return right;
    left = combine(op, left, right, errors);
  }
  return left;
}

/** An operand with its prefix operators; `!` takes the comparison that follows. */
function prefixed(items: readonly ExpressionItem[], state: { i: number }, errors: ShapeError[]): A.Expression | undefined {
  const { prefixes, core: bare } = items[state.i]!;
  state.i++;
  if (prefixes === undefined) return bare;
  const bangs = prefixes.filter((t) => t.image === '!');
  if (bangs.length > 1) errors.push({ message: "Unknown token '!' when looking for BOOL (VCL takes a single '!')", ...tokSpan(bangs[1]!) });
  let core = bare;
  // Unary minus binds tightest; apply the minus signs after the last `!`.
  const bangIndex = prefixes.findIndex((t) => t.image === '!');
  for (let k = prefixes.length - 1; k > bangIndex; k--) {
    const minus = prefixes[k]!;
    core = { kind: 'UnaryExpr', start: minus.startOffset, end: core?.end ?? minus.startOffset + 1, operator: '-', operand: core };
  }
  if (bangIndex < 0) return core;
  // `!a == b` is !(a == b): the operand of `!` extends over a comparison.
  let operand = core;
  let comparisons = 0;
  while (state.i < items.length && (precedence[items[state.i]!.op!.image] ?? 0) >= COMPARISON) {
    const op = items[state.i]!.op!;
    const prec = precedence[op.image] ?? 0;
    if (prec === COMPARISON && ++comparisons > 1) {
      errors.push({ message: `Expected ')' got '${op.image}' (VCL compares two values at a time; use && or parentheses)`, ...tokSpan(op) });
    }
    const right = climb(items, state, prec + 1, errors);
    operand = operand ? combine(op, operand, right, errors) : right;
  }
  let e: A.Expression | undefined = operand;
  for (let k = bangIndex; k >= 0; k--) {
    const t = prefixes[k]!;
    if (t.image !== '!') continue;
    e = { kind: 'UnaryExpr', start: t.startOffset, end: e?.end ?? t.startOffset + 1, operator: '!', operand: e };
  }
  return e;
}

function combine(op: IToken, left: A.Expression, right: A.Expression | undefined, errors: ShapeError[]): A.Expression {
  const end = right?.end ?? tokEnd(op);
  if (op.image === '~' || op.image === '!~') {
    return { kind: 'MatchExpr', start: left.start, end, operator: op.image, subject: left, pattern: right ? pattern(right, errors) : undefined };
  }
  return { kind: 'BinaryExpr', start: left.start, end, operator: op.image as A.BinaryOperator, operatorSpan: tokSpan(op), left, right };
}

/**
 * After `~`, VCC takes string literals joined by `+` when the first token is
 * a literal, and otherwise an expression of type REGEX or ACL.
 */
function pattern(e: A.Expression, errors: ShapeError[]): A.Expression {
  if (e.kind === 'UnaryExpr' && e.operator === '!') {
    errors.push({ message: "Unknown token '!' when looking for REGEX (to negate a match, write !~)", start: e.start, end: e.start + 1 });
    return e;
  }
  if (e.kind !== 'BinaryExpr') return e;
  const parts: A.Expression[] = [];
  const flatten = (x: A.Expression): boolean => {
    if (x.kind === 'BinaryExpr' && x.operator === '+') return flatten(x.left) && (!x.right || flatten(x.right));
    parts.push(x);
    return true;
  };
  const leftmost = leftmostOf(e);
  if (leftmost.kind !== 'StringLiteral') return e;
  if (e.operator !== '+') {
    errors.push({ message: `Expected ')' got '${e.operator}' (a regular expression is made of string literals, joined with +)`, ...e.operatorSpan });
    return e;
  }
  flatten(e);
  const bad = parts.find((p) => p.kind !== 'StringLiteral');
  if (bad) {
    errors.push({ message: `Expected CSTR got '${describe(bad)}' (a regular expression is made of string literals only: VCC compiles it when the VCL loads)`, start: bad.start, end: bad.end });
    return e;
  }
  return { kind: 'StringConcat', start: e.start, end: e.end, parts: parts as A.StringLiteral[] };
}
