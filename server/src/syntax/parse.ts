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
import type { Declaration, Program } from './ast.js';

export type { ParseResult, SyntaxError } from './parse-result.js';

/** Deepest nesting parsed (a block counts 1, a parenthesis 2); real VCL stays far below it. */
export const MAX_NESTING = 200;
/** Most operators in one statement; real VCL stays far below it. */
export const MAX_CHAIN = 1000;

let grammar: VclGrammar | undefined;

/** Parsed top-level declarations by their exact text, so an edit re-parses only what it touched. */
interface CachedChunk {
  base: number;
  declarations: Declaration[];
  errors: SyntaxError[];
}
const MAX_CACHED_CHUNKS = 4000;
const chunkCache = new Map<string, CachedChunk>();

/** Forgets every parsed declaration (for measurements of a first parse). */
export function clearParseCache(): void {
  chunkCache.clear();
}

/**
 * Parses VCL source text. Top-level declarations are parsed one by one and
 * kept by their text: a language server re-analysing a file after an edit
 * parses only the declarations that changed (the others are moved to their
 * new offsets). Declarations are independent in VCL's grammar, so the result
 * is the same as parsing the whole text at once.
 */
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
  const declarations: Declaration[] = [];
  const chunks = splitDeclarations(lexed.tokens);
  for (let c = 0; c < chunks.length; c++) {
    const tokens = chunks[c]!;
    const start = tokens[0]!.startOffset;
    const last = tokens[tokens.length - 1]!;
    const key = text.slice(start, last.startOffset + last.image.length);
    let chunk = chunkCache.get(key);
    if (chunk) {
      // Keep recently used chunks at the end of the eviction order.
      chunkCache.delete(key);
      chunkCache.set(key, chunk);
    } else {
      const parsed = parseChunk(tokens, chunks[c + 1]?.[0], text);
      if (!parsed) return { ast: empty, errors: sortErrors([...errors, { message: 'Internal parser error', start: 0, end: 0 }]) };
      chunk = { base: start, ...parsed };
      // An error that points past the chunk depends on what follows it: not reusable.
      const end = last.startOffset + last.image.length;
      if (chunk.errors.every((e) => e.end <= end)) {
        chunkCache.set(key, chunk);
        if (chunkCache.size > MAX_CACHED_CHUNKS) chunkCache.delete(chunkCache.keys().next().value!);
      }
    }
    const delta = start - chunk.base;
    for (const d of chunk.declarations) declarations.push(delta === 0 ? d : shifted(d, delta));
    for (const e of chunk.errors) errors.push({ ...e, start: e.start + delta, end: e.end + delta });
  }
  const ast: Program = { kind: 'Program', start: 0, end: text.length, declarations, comments: lexed.comments };
  errors.push(...checkStructure(ast));
  return { ast, errors: sortErrors(errors) };
}

/** Parses the tokens of one or more top-level declarations; undefined on an internal failure. */
function parseChunk(tokens: IToken[], next: IToken | undefined, text: string): Omit<CachedChunk, 'base'> | undefined {
  grammar ??= new VclGrammar();
  grammar.input = tokens;
  let cst;
  try {
    cst = grammar.program();
  } catch {
    // Chevrotain recovers from grammar errors itself; anything else is a bug
    // that must not take the editor down.
    return undefined;
  }
  const errors: SyntaxError[] = [];
  for (const e of grammar.errors) {
    const t = e.token;
    const eof = t.tokenType.name === 'EOF' || Number.isNaN(t.startOffset);
    if (eof && next) {
      // The chunk ended where the next declaration starts: name that token, as a whole-file parse would.
      errors.push({ message: e.message.replace(/got end of file$/, `got '${next.image}'`), start: next.startOffset, end: next.startOffset + next.image.length });
      continue;
    }
    const start = eof ? lastOffset(tokens, text) : t.startOffset;
    errors.push({ message: e.message, start, end: eof ? start : start + t.image.length });
  }
  const builder = new AstBuilder();
  const ast = builder.program(cst, text.length, []);
  errors.push(...builder.errors);
  return { declarations: ast.declarations, errors };
}

const declarationStarts = new Set(['Vcl', 'Import', 'Include', 'Backend', 'Probe', 'Acl', 'Sub', 'InlineC', 'Director']);

/** Splits tokens where a top-level declaration starts (outside any braces or parentheses). */
function splitDeclarations(tokens: IToken[]): IToken[][] {
  const chunks: IToken[][] = [];
  let current: IToken[] = [];
  let depth = 0;
  for (const t of tokens) {
    const n = t.tokenType.name;
    if (depth === 0 && current.length > 0 && declarationStarts.has(n)) {
      chunks.push(current);
      current = [];
    }
    current.push(t);
    if (n === 'LCurly' || n === 'LParen') depth++;
    else if ((n === 'RCurly' || n === 'RParen') && depth > 0) depth--;
  }
  if (current.length) chunks.push(current);
  return chunks;
}

/**
 * A copy of an AST subtree with every offset moved by `delta`. Copied, not
 * moved in place: the same cached declaration may stand in several files
 * of one include tree at different offsets.
 */
function shifted<T>(node: T, delta: number): T {
  if (Array.isArray(node)) {
    const out = new Array(node.length);
    for (let i = 0; i < node.length; i++) out[i] = shifted(node[i], delta);
    return out as T;
  }
  if (node === null || typeof node !== 'object') return node;
  const src = node as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k in src) {
    const v = src[k];
    out[k] = typeof v === 'number' ? (k === 'start' || k === 'end' ? v + delta : v) : typeof v === 'object' && v !== null ? shifted(v, delta) : v;
  }
  return out as T;
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
