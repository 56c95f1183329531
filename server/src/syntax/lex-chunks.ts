/**
 * Lexing by top-level declaration, with reuse of the previous version of
 * the same document. An editor re-analyses a file after each keystroke;
 * only the declarations around the edit are lexed again, the others are
 * taken from the previous version (moved by the length the edit added).
 * The result is the same as lexing the whole text: wherever reuse cannot be
 * proven equal (an edit that opens a comment or a long string, unbalanced
 * braces, a lexical error near the edit), the whole text is lexed.
 */
import type { IToken } from 'chevrotain';
import * as T from './tokens.js';
import { lex, type LexResult } from './lexer.js';
import type { Comment } from './ast.js';
import type { SyntaxError } from './parse-result.js';

/** Deepest nesting parsed (a block counts 1, a parenthesis 2); real VCL stays far below it. */
export const MAX_NESTING = 200;
/** Most operators in one statement; real VCL stays far below it. */
export const MAX_CHAIN = 1000;

/**
 * The tokens of one top-level declaration (or of what stands before the
 * first one), with the comments and lexical errors of its span. Offsets
 * are those of the text it was lexed from, whose span started at `base`;
 * a chunk reused elsewhere is read through a {@link ChunkView}.
 */
export interface LexedChunk {
  base: number;
  /** Length of the span: up to the next chunk's first token, or the end of the text. */
  length: number;
  /** Offset of the first token (the span of the first chunk starts at 0, before comments). */
  firstToken: number;
  /** Offset just past the last token. */
  tokenEnd: number;
  /** The first token's text (the parser names it in an error of the chunk before). */
  firstImage: string;
  /**
   * The tokens, until the parser has read them for a document whose
   * version the lexer keeps: kept for 64 documents, they were a quarter of
   * the heap with 200 documents open. {@link viewTokens} lexes the span
   * again when they are gone (a reused declaration the parse cache no
   * longer holds).
   */
  tokens?: IToken[];
  comments: Comment[];
  errors: SyntaxError[];
  /** Input nested too deeply for the recursive parser, counted within this chunk. */
  tooDeep?: SyntaxError;
}

/** A lexed chunk at its place in the current text: offsets move by `start - chunk.base`. */
export interface ChunkView {
  chunk: LexedChunk;
  start: number;
}

/** The lexed chunks of a text, in order; the spans cover the text without gaps. */
export interface ChunkedText {
  text: string;
  views: ChunkView[];
  /** Lexical errors and comments outside any chunk (a text without tokens). */
  loose: { comments: Comment[]; errors: SyntaxError[] };
}

/** Most documents whose previous version a {@link ChunkLexer} keeps (the least recently lexed go first). */
export const MAX_DOCUMENTS = 64;

/**
 * Lexes texts into chunks, keeping the last version lexed of each document
 * so that the next version reuses what did not change. Whoever parses owns
 * one (a project, for the documents it analyses) and says when a document
 * is gone; nothing is kept at module level.
 */
export class ChunkLexer {
  private readonly previous = new Map<string, ChunkedText>();

  /**
   * The chunks of `text` one at a time, as {@link lexChunks} would give
   * them all at once: a declaration is lexed when it is asked for, so that its
   * tokens can be dropped once it is parsed. Lexed whole first, a
   * 100,000-line text's tokens all lived through the parse, and the
   * collector copied every one of them as it promoted them: lexing it cost
   * 16 times a tenth of it. With a `document` key, the previous text lexed
   * under that key is reused where the two are equal, and this version is
   * kept once the last chunk has been asked for.
   */
  stream(text: string, document?: string): ChunkStream {
    const previous = document === undefined ? undefined : this.previous.get(document);
    const reused = previous && relex(previous, text);
    const keep = document === undefined ? undefined : (result: ChunkedText) => this.keep(document, result);
    return new ChunkStream(text, reused, keep);
  }

  private keep(document: string, result: ChunkedText): void {
    this.previous.delete(document);
    this.previous.set(document, result);
    if (this.previous.size > MAX_DOCUMENTS) this.previous.delete(this.previous.keys().next().value!);
  }

  /** Forgets the previous version of `document` (it was closed or deleted). */
  forget(document: string): void {
    this.previous.delete(document);
  }

  /** Forgets every document's previous version. */
  clear(): void {
    this.previous.clear();
  }

  /** How many documents have a previous version kept. */
  get documents(): number {
    return this.previous.size;
  }
}

/** Lexes `text` into chunks, with no previous version to reuse. */
export function lexChunks(text: string): ChunkedText {
  return lexWhole(text);
}

/** The first token of a chunk: the parser names it in an error of the chunk before. */
export interface FirstToken {
  image: string;
  startOffset: number;
}

/**
 * A text's chunks in order, each lexed when {@link next} reaches it (or
 * all known already, when an earlier version was reused). Once `next` has
 * returned undefined, {@link result} holds them all.
 */
export class ChunkStream {
  private readonly views: ChunkView[] = [];
  private loose: ChunkedText['loose'] = { comments: [], errors: [] };
  /** Where the next chunk starts; past the end of the text when there is none. */
  private at = 0;
  private taken = 0;
  private following: FirstToken | undefined;
  private finished = false;

  constructor(
    readonly text: string,
    private readonly known: ChunkedText | undefined,
    private readonly done: ((result: ChunkedText) => void) | undefined,
  ) {
    if (known) {
      this.views = known.views;
      this.loose = known.loose;
    }
  }

  /** The next chunk at its place in the text, or undefined after the last. */
  next(): ChunkView | undefined {
    const view = this.known ? this.views[this.taken] : this.lexNext();
    if (view === undefined) {
      if (!this.finished) {
        this.finished = true;
        this.done?.(this.result);
      }
      return undefined;
    }
    this.taken++;
    return view;
  }

  /** The first token of the chunk after the one {@link next} gave last; undefined when that was the last. */
  followingToken(): FirstToken | undefined {
    if (this.known) {
      const view = this.views[this.taken];
      return view && { image: view.chunk.firstImage, startOffset: view.chunk.firstToken + view.start - view.chunk.base };
    }
    return this.following;
  }

  /** Every chunk; complete once {@link next} has returned undefined. */
  get result(): ChunkedText {
    return { text: this.text, views: this.views, loose: this.loose };
  }

  private lexNext(): ChunkView | undefined {
    const text = this.text;
    if (this.at > text.length) return undefined;
    const from = this.at;
    const lexed = lex(text, from, true);
    const next = lexed.next;
    // Past the end once the last chunk is lexed (the empty text's included).
    this.at = next ? next.startOffset : text.length + 1;
    if (lexed.tokens.length === 0) {
      // Only a text without tokens: every later scan starts at a token.
      this.loose = { comments: lexed.comments, errors: lexed.errors };
      return undefined;
    }
    this.following = next && { image: next.image, startOffset: next.startOffset };
    // In order of their start, as when the whole text was lexed at once and its errors shared out.
    const errors = lexed.errors.length > 1 ? lexed.errors.sort((a, b) => a.start - b.start) : lexed.errors;
    const view = { chunk: makeChunk(lexed.tokens, lexed.comments, errors, from, next ? next.startOffset : text.length), start: from };
    this.views.push(view);
    return view;
  }
}

/** The tokens of a view at their offsets in the current text (copies when the chunk moved). */
export function viewTokens(view: ChunkView, text: string): IToken[] {
  const { chunk } = view;
  if (chunk.tokens === undefined) return lexSpan(text, view.start, view.start + chunk.length).tokens;
  const delta = view.start - chunk.base;
  if (delta === 0) return chunk.tokens;
  return chunk.tokens.map((t) => ({ ...t, startOffset: t.startOffset + delta, endOffset: (t.endOffset ?? t.startOffset) + delta }));
}

/**
 * `text` from `from` to `to` lexed alone, with every offset in `text`. A
 * span that starts and ends between tokens (a chunk's, or the run of
 * chunks an edit touched) lexes alone as it does in the whole text.
 */
function lexSpan(text: string, from: number, to: number): LexResult {
  const lexed = lex(text.slice(from, to));
  for (const t of lexed.tokens) {
    // lex() sets endOffset (chevrotain's offset-only tracking leaves it out).
    t.endOffset = (t.endOffset ?? t.startOffset) + from;
    t.startOffset += from;
  }
  return { tokens: lexed.tokens, comments: shiftSpans(lexed.comments, from), errors: shiftSpans(lexed.errors, from) };
}

/** Moves spans by `delta`; the same objects when it is 0. */
export function shiftSpans<T extends { start: number; end: number }>(spans: T[], delta: number): T[] {
  return delta === 0 ? spans : spans.map((s) => ({ ...s, start: s.start + delta, end: s.end + delta }));
}

function lexWhole(text: string): ChunkedText {
  const stream = new ChunkStream(text, undefined, undefined);
  while (stream.next()) {
    // lexes every chunk now
  }
  return stream.result;
}

/** Re-lexes only the part of `text` that differs from the previous version, or undefined when reuse is not safe. */
function relex(previous: ChunkedText, text: string): ChunkedText | undefined {
  const old = previous.text;
  if (old === text) return previous;
  const views = previous.views;
  const n = views.length;
  if (n === 0) return undefined;
  const { prefix, suffix } = commonEnds(old, text);
  const delta = text.length - old.length;

  // First damaged chunk: the one whose successor does not start inside the unchanged prefix.
  let i = 0;
  while (i + 1 < n && views[i + 1]!.start < prefix) i++;
  // First reusable chunk after it: its start, and the character before it, are unchanged.
  let j = i + 1;
  while (j < n && views[j]!.start <= old.length - suffix) j++;
  const from = views[i]!.start;
  const to = j < n ? views[j]!.start + delta : text.length;

  const middle = lexSpan(text, from, to);
  if (middle.errors.length > 0 || middle.tokens.length === 0) return undefined;
  const { comments } = middle;
  if (i > 0 && !(splitRole(middle.tokens[0]!) & T.STARTS_DECLARATION)) return undefined; // would join the chunk before
  const { groups, open } = splitDeclarations(middle.tokens);
  if (j < n) {
    // The chunk after must start where it did: nothing open, and no token or comment running up to it.
    if (open) return undefined;
    const lastToken = middle.tokens[middle.tokens.length - 1]!;
    const lastComment = comments[comments.length - 1];
    if (lastToken.startOffset + lastToken.image.length >= to || (lastComment && lastComment.end >= to)) return undefined;
  }
  const made = makeChunks(groups, comments, [], from, to);
  const moved = views.slice(j).map((v) => ({ chunk: v.chunk, start: v.start + delta }));
  return { text, views: [...views.slice(0, i), ...made.map((chunk) => ({ chunk, start: chunk.base })), ...moved], loose: { comments: [], errors: [] } };
}

const BLOCK = 1024;

/** Lengths of the common prefix and suffix of two texts (not overlapping in either). */
function commonEnds(a: string, b: string): { prefix: number; suffix: number } {
  const max = Math.min(a.length, b.length);
  // Whole blocks first: comparing slices runs at memory speed, a character loop does not.
  let prefix = 0;
  while (prefix + BLOCK <= max && a.slice(prefix, prefix + BLOCK) === b.slice(prefix, prefix + BLOCK)) prefix += BLOCK;
  while (prefix < max && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  const room = max - prefix;
  while (suffix + BLOCK <= room && a.slice(a.length - suffix - BLOCK, a.length - suffix) === b.slice(b.length - suffix - BLOCK, b.length - suffix)) suffix += BLOCK;
  while (suffix < room && a.charCodeAt(a.length - 1 - suffix) === b.charCodeAt(b.length - 1 - suffix)) suffix++;
  return { prefix, suffix };
}

/** What a token does to the split into declarations (see tokens.ts, declarationSplit). */
function splitRole(t: IToken): number {
  return T.declarationSplit[t.tokenTypeIdx] ?? 0;
}

/**
 * Splits tokens where a top-level declaration starts (outside any braces or
 * parentheses); `open` when a bracket is still open at the end.
 */
function splitDeclarations(tokens: IToken[]): { groups: IToken[][]; open: boolean } {
  const chunks: IToken[][] = [];
  let current: IToken[] = [];
  let depth = 0;
  for (const t of tokens) {
    const role = splitRole(t);
    if (depth === 0 && current.length > 0 && role & T.STARTS_DECLARATION) {
      chunks.push(current);
      current = [];
    }
    current.push(t);
    if (role & T.OPENS) depth++;
    else if (role & T.CLOSES && depth > 0) depth--;
  }
  if (current.length) chunks.push(current);
  return { groups: chunks, open: depth > 0 };
}

/**
 * Makes chunks of token groups that cover [from, to): each chunk's span
 * runs to the next group's first token; comments and errors go to the span
 * they start in.
 */
function makeChunks(groups: IToken[][], comments: Comment[], errors: SyntaxError[], from: number, to: number): LexedChunk[] {
  const chunks: LexedChunk[] = [];
  let c = 0;
  let e = 0;
  for (let g = 0; g < groups.length; g++) {
    const tokens = groups[g]!;
    const base = g === 0 ? from : tokens[0]!.startOffset;
    const end = g + 1 < groups.length ? groups[g + 1]![0]!.startOffset : to;
    const own: Comment[] = [];
    while (c < comments.length && comments[c]!.start < end) own.push(comments[c++]!);
    const ownErrors: SyntaxError[] = [];
    while (e < errors.length && errors[e]!.start < end) ownErrors.push(errors[e++]!);
    chunks.push(makeChunk(tokens, own, ownErrors, base, end));
  }
  // Errors past the last token (an unterminated comment at the end) belong to the last chunk.
  if (chunks.length) chunks[chunks.length - 1]!.errors.push(...errors.slice(e));
  return chunks;
}

/** The chunk of one declaration's tokens, with the comments and errors of its span [base, end). */
function makeChunk(tokens: IToken[], comments: Comment[], errors: SyntaxError[], base: number, end: number): LexedChunk {
  const last = tokens[tokens.length - 1]!;
  return {
    base,
    length: end - base,
    firstToken: tokens[0]!.startOffset,
    tokenEnd: last.startOffset + last.image.length,
    firstImage: tokens[0]!.image,
    tokens,
    comments,
    errors,
    tooDeep: findExcessiveNesting(tokens),
  };
}

/** What a token does to the nesting and chain counts, by its type's number (tokenTypeIdx). */
const OPEN_PAREN = 1;
const OPEN_CURLY = 2;
const CLOSE_PAREN = 3;
const CLOSE_CURLY = 4;
const SEMI = 5;
const OPERATOR = 6;
const roles = T.byTokenType([
  [OPEN_PAREN, [T.LParen]],
  [OPEN_CURLY, [T.LCurly]],
  [CLOSE_PAREN, [T.RParen]],
  [CLOSE_CURLY, [T.RCurly]],
  [SEMI, [T.Semi]],
  [OPERATOR, [T.Plus, T.Minus, T.Star, T.Slash, T.Percent, T.AndAnd, T.OrOr, T.Dot, T.Comma, T.EqEq, T.NotEq, T.Less, T.LessEq, T.Greater, T.GreaterEq, T.Bang]],
]);

/**
 * Finds the token where a declaration gets too deep for the recursive
 * parser and tree walkers: bracket nesting (a parenthesis costs the grammar
 * about twice the stack of a brace, so it counts double) or an operator
 * chain within one statement. Declarations are parsed one by one, so the
 * count starts afresh at each. (Every token passes here: one table lookup
 * each, and nothing made but the error.)
 */
function findExcessiveNesting(tokens: IToken[]): SyntaxError | undefined {
  let depth = 0;
  let chain = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const role = roles[t.tokenTypeIdx] ?? 0;
    if (role === OPEN_PAREN) depth += 2;
    else if (role === OPEN_CURLY) depth += 1;
    else if (role === CLOSE_PAREN) depth = Math.max(0, depth - 2);
    else if (role === CLOSE_CURLY) depth = Math.max(0, depth - 1);
    if (depth > MAX_NESTING) return { message: `Nesting deeper than ${MAX_NESTING / 2} parentheses or ${MAX_NESTING} blocks; the file is not analysed further`, ...spanOf(t) };
    if (role === SEMI || role === OPEN_CURLY || role === CLOSE_CURLY) chain = 0;
    else if (role === OPERATOR && ++chain > MAX_CHAIN) {
      return { message: `An expression with more than ${MAX_CHAIN} operators; the file is not analysed further`, ...spanOf(t) };
    }
  }
  return undefined;
}

function spanOf(t: IToken): { start: number; end: number } {
  return { start: t.startOffset, end: t.startOffset + t.image.length };
}
