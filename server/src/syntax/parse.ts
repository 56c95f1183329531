/**
 * `parse(text)`: VCL source in, `{ ast, errors }` out. Never throws: broken
 * input gives a partial tree and errors, and input nested too deeply for a
 * recursive parser is refused with an error instead of a stack overflow.
 */
import type { IToken } from 'chevrotain';
import { VclGrammar } from './grammar.js';
import { AstBuilder } from './cst-to-ast.js';
import { lex } from './lexer.js';
import { checkStructure } from './structure-checks.js';
import type { ParseResult, SyntaxError } from './parse-result.js';

export type { ParseResult, SyntaxError } from './parse-result.js';

/** Deepest bracket nesting parsed; real VCL stays far below it. */
export const MAX_NESTING = 200;

let grammar: VclGrammar | undefined;

/** Parses VCL source text. */
export function parse(text: string): ParseResult {
  const lexed = lex(text);
  const errors: SyntaxError[] = [...lexed.errors];
  const tooDeep = findExcessiveNesting(lexed.tokens);
  const empty = { kind: 'Program' as const, start: 0, end: text.length, declarations: [], comments: lexed.comments };
  if (tooDeep) {
    errors.push({ message: `Nesting deeper than ${MAX_NESTING} levels; the file is not analysed further`, start: tooDeep.startOffset, end: tooDeep.startOffset + tooDeep.image.length });
    return { ast: empty, errors: sortErrors(errors) };
  }
  grammar ??= new VclGrammar();
  grammar.input = lexed.tokens;
  let cst;
  try {
    cst = grammar.program();
  } catch (e) {
    // Chevrotain recovers from grammar errors itself; anything else is a bug
    // that must not take the editor down.
    errors.push({ message: `Internal parser error: ${(e as Error).message}`, start: 0, end: 0 });
    return { ast: empty, errors: sortErrors(errors) };
  }
  for (const e of grammar.errors) {
    const t = e.token;
    const eof = t.tokenType.name === 'EOF' || Number.isNaN(t.startOffset);
    const start = eof ? lastOffset(lexed.tokens, text) : t.startOffset;
    errors.push({ message: e.message, start, end: eof ? start : start + t.image.length });
  }
  const builder = new AstBuilder();
  const ast = builder.program(cst, text.length, lexed.comments);
  errors.push(...builder.errors, ...checkStructure(ast));
  return { ast, errors: sortErrors(errors) };
}

function lastOffset(tokens: IToken[], text: string): number {
  const last = tokens[tokens.length - 1];
  return last ? last.startOffset + last.image.length : text.length;
}

function findExcessiveNesting(tokens: IToken[]): IToken | undefined {
  let depth = 0;
  let unary = 0;
  for (const t of tokens) {
    const n = t.tokenType.name;
    if (n === 'LParen' || n === 'LCurly') {
      if (++depth > MAX_NESTING) return t;
    } else if (n === 'RParen' || n === 'RCurly') {
      depth = Math.max(0, depth - 1);
    }
    // Chains of prefix operators recurse as deeply as brackets do.
    if (n === 'Minus' || n === 'Bang') {
      if (++unary > MAX_NESTING) return t;
    } else {
      unary = 0;
    }
  }
  return undefined;
}

function sortErrors(errors: SyntaxError[]): SyntaxError[] {
  return errors.sort((a, b) => a.start - b.start || a.end - b.end);
}
