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

/** Deepest nesting parsed (a block counts 1, a parenthesis 2); real VCL stays far below it. */
export const MAX_NESTING = 200;
/** Most operators in one statement; real VCL stays far below it. */
export const MAX_CHAIN = 1000;

let grammar: VclGrammar | undefined;

/** Parses VCL source text. */
export function parse(text: string): ParseResult {
  const lexed = lex(text);
  const errors: SyntaxError[] = [...lexed.errors];
  const tooDeep = findExcessiveNesting(lexed.tokens);
  const empty = { kind: 'Program' as const, start: 0, end: text.length, declarations: [], comments: lexed.comments };
  if (tooDeep) {
    const t = tooDeep.token;
    errors.push({ message: tooDeep.message, start: t.startOffset, end: t.startOffset + t.image.length });
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

/**
 * Finds the token where the input gets too deep for the recursive parser
 * and tree walkers: bracket nesting (a parenthesis costs the grammar about
 * twice the stack of a brace, so it counts double) or an operator chain
 * within one statement.
 */
function findExcessiveNesting(tokens: IToken[]): { token: IToken; message: string } | undefined {
  let depth = 0;
  let chain = 0;
  for (const t of tokens) {
    const n = t.tokenType.name;
    if (n === 'LParen') depth += 2;
    else if (n === 'LCurly') depth += 1;
    else if (n === 'RParen') depth = Math.max(0, depth - 2);
    else if (n === 'RCurly') depth = Math.max(0, depth - 1);
    if (depth > MAX_NESTING) return { token: t, message: `Nesting deeper than ${MAX_NESTING / 2} parentheses or ${MAX_NESTING} blocks; the file is not analysed further` };
    if (n === 'Semi' || n === 'LCurly' || n === 'RCurly') chain = 0;
    else if (operators.has(n) && ++chain > MAX_CHAIN) {
      return { token: t, message: `An expression with more than ${MAX_CHAIN} operators; the file is not analysed further` };
    }
  }
  return undefined;
}

const operators = new Set(['Plus', 'Minus', 'Star', 'Slash', 'Percent', 'AndAnd', 'OrOr', 'Dot', 'Comma', 'EqEq', 'NotEq', 'Less', 'LessEq', 'Greater', 'GreaterEq', 'Bang']);

function sortErrors(errors: SyntaxError[]): SyntaxError[] {
  return errors.sort((a, b) => a.start - b.start || a.end - b.end);
}
