/**
 * `parse(text)`: VCL source in, `{ ast, errors }` out. Never throws: broken
 * input gives a partial tree and errors, and input nested too deeply for a
 * recursive parser is refused with an error instead of a stack overflow.
 */
import type { IToken } from 'chevrotain';
import { TooManyErrors, VclGrammar } from './grammar.js';
import { AstBuilder } from './cst-to-ast.js';
import { parseValidDeclarations } from './valid-parse.js';
import { ChunkLexer, MAX_DOCUMENTS, shiftSpans, viewTokens, type ChunkView, type LexedChunk } from './lex-chunks.js';
import { checkStructure } from './structure-checks.js';
import type { ParseResult, SyntaxError } from './parse-result.js';
import type { Comment, Declaration, Program } from './ast.js';

export type { ParseResult, SyntaxError } from './parse-result.js';
export { MAX_CHAIN, MAX_NESTING } from './lex-chunks.js';

// The grammar is code built once (chevrotain's parser object), not a cache: every Parser uses it.
let grammar: VclGrammar | undefined;

/** Parsed top-level declarations by their exact text, so an edit re-parses only what it touched. */
interface CachedChunk {
  base: number;
  declarations: Declaration[];
  errors: SyntaxError[];
  /** Parse results handed these declarations and not released yet. */
  holders: number;
  /**
   * Every object of `declarations` that holds an offset, listed the first
   * time the chunk is moved: an edit moves every declaration after it, and
   * walking each one's keys again on every keystroke took 8 ms of a 20,000-line
   * document's re-analysis, where adding to a list takes about one.
   */
  spans?: Array<Record<'start' | 'end', number>>;
  /** Copies of these declarations for other places of the same text (see {@link Parser.parse}). */
  copies?: CachedChunk[];
}
/** Most parsed declarations a {@link Parser} keeps; the least recently used go first. */
const MAX_CACHED_CHUNKS = 4000;

// Which cached declarations a result reads, so that releasing it lets a later parse move them.
// Weak: it lives exactly as long as the result.
const heldChunks = new WeakMap<ParseResult, CachedChunk[]>();

/**
 * Declares that nothing will read `result` again. Its declarations may then
 * be moved in place by a later parse of an edited text instead of being
 * copied, which is what makes re-analysis after a keystroke cheap. Results
 * that are never released stay valid for ever.
 */
export function releaseParse(result: ParseResult): void {
  const held = heldChunks.get(result);
  if (!held) return;
  heldChunks.delete(result);
  for (const chunk of held) chunk.holders--;
}

/**
 * A VCL parser with its caches: the declarations it parsed, by their text,
 * and each document's previous version (see {@link ChunkLexer}). A project
 * owns one for the documents it analyses and tells it when a document is
 * gone; {@link parse} uses one shared by everything else (tests, one-off
 * reads). Both caches are bounded (declarations and documents).
 */
export class Parser {
  private readonly chunks = new Map<string, CachedChunk>();
  private readonly lexer = new ChunkLexer();
  /**
   * The declaration texts of each document's last version. A new version
   * drops from the cache the ones it no longer has: an edited declaration's
   * earlier texts are never asked for again (but on undo), and kept they
   * made the heap grow with every keystroke on a big declaration.
   */
  private readonly keysByDocument = new Map<string, Set<string>>();
  /** Each lexed declaration's text, once sliced (see {@link parse}); weak: it goes with the lexer's chunk. */
  private readonly keys = new WeakMap<LexedChunk, string>();

  /**
   * `versions: false` keeps no document's previous version: for a run that
   * reads each file once (the CLI), where a kept version is never compared
   * with and only costs the collector (7% of a 10,000-file run).
   */
  constructor(private readonly options: { versions?: boolean } = {}) {}

  /**
   * Parses VCL source text. Top-level declarations are lexed and parsed one
   * by one and kept by their text: a language server re-analysing a file
   * after an edit lexes and parses only the declarations that changed (the
   * others are moved to their new offsets). Declarations are independent in
   * VCL's grammar, so the result is the same as parsing the whole text at
   * once. `document` names the text's document (a path): its previous
   * version is what the lexer compares with.
   */
  parse(text: string, given?: string): ParseResult {
    const document = this.options.versions === false ? undefined : given;
    // Each declaration is lexed as the loop below reaches it, and its tokens are dropped once it
    // is parsed: they die young, where a whole text's tokens lived through its parse (ChunkStream).
    const stream = this.lexer.stream(text, document);
    // Lexical errors apart from the parser's: a declaration nested too deeply throws the parse away, not them.
    const lexical: SyntaxError[] = [];
    const comments: Comment[] = [];
    const held: CachedChunk[] = [];
    const lexed = (v: ChunkView): void => {
      const delta = v.start - v.chunk.base;
      for (const c of shiftSpans(v.chunk.comments, delta)) comments.push(c);
      for (const e of shiftSpans(v.chunk.errors, delta)) lexical.push(e);
    };
    /** What is left of the text lexed without parsing it, and the errors to report on an empty tree (nothing parsed is kept). */
    const unparsed = (also: SyntaxError): ParseResult => {
      for (const chunk of held) chunk.holders--;
      for (let v = stream.next(); v; v = stream.next()) lexed(v);
      const { loose } = stream.result;
      return { ast: { kind: 'Program', start: 0, end: text.length, declarations: [], comments: [...loose.comments, ...comments] }, errors: capErrors(sortErrors([...loose.errors, ...lexical, also])) };
    };
    const declarations: Declaration[] = [];
    // The declaration texts of a document's version (see supersede); a text without a document has none to keep.
    const used = document === undefined ? undefined : new Set<string>();
    // For a text met more than once: the next of its copies to try (see below).
    let nextCopy: Map<CachedChunk, number> | undefined;
    const parsedErrors: SyntaxError[] = [];
    for (let view = stream.next(); view; view = stream.next()) {
      lexed(view);
      if (view.chunk.tooDeep) return unparsed(shiftSpans([view.chunk.tooDeep], view.start - view.chunk.base)[0]!);
      const delta = view.start - view.chunk.base;
      const start = view.chunk.firstToken + delta;
      const end = view.chunk.tokenEnd + delta;
      // The text of a declaration lexed before is the very string the cache
      // was asked with then, whose hash V8 keeps: a new slice of every
      // declaration would hash the whole document again on each keystroke.
      // Only a document's declarations are lexed again (see ChunkLexer); the
      // others' would only cost the collector a weak entry each.
      let key = document === undefined ? undefined : this.keys.get(view.chunk);
      if (key === undefined) {
        key = text.slice(start, end);
        if (document !== undefined) this.keys.set(view.chunk, key);
      }
      let chunk = this.chunks.get(key);
      if (chunk) {
        // Keep recently used chunks at the end of the eviction order.
        this.chunks.delete(key);
        this.chunks.set(key, chunk);
        // Still read through another result (another document, or this text
        // earlier in this one) and somewhere else: each place keeps its own
        // copy, so that its nodes, and what the rules kept for them, last
        // from one edit to the next. Copied once, not on every keystroke of
        // a document that repeats a declaration.
        if (chunk.holders > 0 && chunk.base !== start) {
          const first = chunk;
          const copies: CachedChunk[] = (first.copies ??= []);
          // This parse takes the copies in order: it goes on from the last one it took
          // (a text repeated 20,000 times would otherwise walk 20,000²/2 copies).
          let n = (nextCopy ??= new Map()).get(first) ?? 0;
          for (; chunk.holders > 0 && chunk.base !== start; n++) {
            let copy = copies[n];
            if (!copy) {
              const moved = start - first.base;
              copies.push((copy = { base: start, declarations: first.declarations.map((d) => shifted(d, moved)), errors: shiftSpans(first.errors, moved), holders: 0 }));
            }
            chunk = copy;
          }
          nextCopy.set(first, n);
        }
      } else {
        const parsed = parseChunk(viewTokens(view, text), stream.followingToken(), text);
        if (!parsed) return unparsed({ message: 'Internal parser error', start: 0, end: 0 });
        chunk = { base: start, declarations: parsed.declarations, errors: parsed.errors, holders: 0 };
        // An error that ran into the end of the tokens names what follows them
        // (the next declaration, or the end of the file): the same text
        // followed by something else would get another error, so it is not kept.
        // Nor is one whose error points past the chunk or at its very end.
        if (!parsed.reachedEnd && parsed.errors.every((e) => e.end <= end && e.start < end)) {
          this.chunks.set(key, chunk);
          if (this.chunks.size > MAX_CACHED_CHUNKS + MAX_CACHED_CHUNKS / 4) this.evictOldest();
        }
      }
      used?.add(key);
      const moved = start - chunk.base;
      if (moved !== 0) {
        // Nobody reads these nodes any more (the loop above saw to it): move them rather than copy them.
        chunk.spans ??= offsetHolders(chunk.declarations);
        shiftInPlace(chunk.spans, moved);
        chunk.errors = shiftSpans(chunk.errors, moved);
        chunk.base = start;
      }
      // Parsed (or found in the cache): the tokens are not needed again. The lexer keeps this
      // version's chunks for the next edit, which needs none of them either.
      view.chunk.tokens = undefined;
      chunk.holders++;
      held.push(chunk);
      for (const d of chunk.declarations) declarations.push(d);
      for (const e of chunk.errors) parsedErrors.push({ ...e });
    }
    if (document !== undefined && used) this.supersede(document, used);
    const { loose } = stream.result;
    const ast: Program = { kind: 'Program', start: 0, end: text.length, declarations, comments: loose.comments.length ? [...loose.comments, ...comments] : comments };
    const errors = loose.errors.concat(lexical, parsedErrors, checkStructure(ast));
    const result = { ast, errors: capErrors(sortErrors(errors)) };
    heldChunks.set(result, held);
    return result;
  }

  /**
   * Drops the least recently used chunks down to {@link MAX_CACHED_CHUNKS}, in
   * one pass, once a quarter more have come in. Evicting one at a time
   * through `keys().next()` walks over every deleted entry left at the start
   * of the map, on each insertion past the limit (about 12 µs each at 4,000
   * entries, for every declaration of a big file).
   */
  private evictOldest(): void {
    let excess = this.chunks.size - MAX_CACHED_CHUNKS;
    for (const key of this.chunks.keys()) {
      if (excess-- <= 0) break;
      this.chunks.delete(key);
    }
  }

  /** Records `used` as `document`'s declarations, dropping from the cache those of its previous version that it no longer has. */
  private supersede(document: string, used: Set<string>): void {
    const previous = this.keysByDocument.get(document);
    if (previous) for (const key of previous) if (!used.has(key)) this.chunks.delete(key);
    this.keysByDocument.delete(document);
    this.keysByDocument.set(document, used);
    // As many documents as the lexer keeps previous versions of; the others' declarations just age out.
    if (this.keysByDocument.size > MAX_DOCUMENTS) this.keysByDocument.delete(this.keysByDocument.keys().next().value!);
  }

  /** Forgets `document` (closed or deleted): its previous version, and its declarations from the cache. */
  forget(document: string): void {
    this.lexer.forget(document);
    for (const key of this.keysByDocument.get(document) ?? []) this.chunks.delete(key);
    this.keysByDocument.delete(document);
  }

  /** Forgets every parsed declaration and every document's previous version (for measurements of a first parse). */
  clear(): void {
    this.chunks.clear();
    this.keysByDocument.clear();
    this.lexer.clear();
  }

  /** What the caches hold: parsed declarations and documents with a previous version. */
  get size(): { declarations: number; documents: number } {
    return { declarations: this.chunks.size, documents: this.lexer.documents };
  }
}

const shared = new Parser();

/** The parser shared by callers that own none. */
export function sharedParser(): Parser {
  return shared;
}

/**
 * Parses VCL source text with the parser shared by callers that own none
 * (see {@link Parser.parse}).
 */
export function parse(text: string, document?: string): ParseResult {
  return shared.parse(text, document);
}

/** Forgets everything the shared parser keeps (for measurements of a first parse). */
export function clearParseCache(): void {
  shared.clear();
}

/**
 * Most syntax errors reported in one declaration: after that many the rest
 * of it is skipped, with one error saying so. Real mistakes give a few;
 * text that is an error at every token would otherwise cost seconds per
 * kilobyte and a diagnostic per token.
 */
export const MAX_DECLARATION_ERRORS = 25;
/** Most errors a parse result lists; one more error says how many were left out. */
export const MAX_FILE_ERRORS = 100;

/** What parsing a chunk gives; undefined on an internal failure. */
type ParsedChunk = (Omit<CachedChunk, 'base' | 'holders'> & { reachedEnd: boolean }) | undefined;

/** Parses the tokens of one or more top-level declarations; undefined on an internal failure. */
function parseChunk(tokens: IToken[], next: { image: string; startOffset: number } | undefined, text: string): ParsedChunk {
  // Most declarations are valid: they are parsed straight to the AST (valid-parse.ts), and only
  // a chunk that parser gives up on goes through chevrotain, its recovery and its CST.
  const valid = parseValidDeclarations(tokens);
  if (valid !== undefined) return { declarations: valid, errors: [], reachedEnd: false };
  return parseChunkFully(tokens, next, text);
}

/**
 * Parses a chunk with the full parser (chevrotain's, with error recovery)
 * whatever it holds; exported for the test that holds the parser of valid
 * declarations to it.
 */
export function parseChunkFully(tokens: IToken[], next: { image: string; startOffset: number } | undefined, text: string): ParsedChunk {
  grammar ??= new VclGrammar();
  let input = tokens;
  let cut: IToken | undefined;
  let cst;
  // Chevrotain recovers from an error by throwing and catching exceptions
  // (Error subclasses); the stack each one would capture is never read and
  // was most of the cost of a declaration full of errors.
  const stackTraceLimit = Error.stackTraceLimit;
  for (;;) {
    grammar.errorLimit = MAX_DECLARATION_ERRORS;
    grammar.input = input;
    Error.stackTraceLimit = 0;
    try {
      cst = grammar.program();
      break;
    } catch (e) {
      // Too many errors: parse again only up to the token where the limit was reached.
      const at = e instanceof TooManyErrors ? input.indexOf(e.token) : -1;
      // Chevrotain recovers from grammar errors itself; anything else is a bug
      // that must not take the editor down.
      if (at < 0) return undefined;
      cut = (e as TooManyErrors).token;
      input = input.slice(0, at);
    } finally {
      Error.stackTraceLimit = stackTraceLimit;
    }
  }
  const errors: SyntaxError[] = [];
  let reachedEnd = false;
  for (const e of grammar.errors) {
    const t = e.token;
    const eof = t.tokenType.name === 'EOF' || Number.isNaN(t.startOffset);
    // Where the declaration was cut, the end of input is the cut: one error below says so.
    if (eof && cut) continue;
    reachedEnd ||= eof;
    if (eof && next) {
      // The chunk ended where the next declaration starts: name that token, as a whole-file parse would.
      errors.push({ message: e.message.replace(/got end of file$/, `got '${next.image}'`), start: next.startOffset, end: next.startOffset + next.image.length });
      continue;
    }
    const start = eof ? lastOffset(tokens, text) : t.startOffset;
    errors.push({ message: e.message, start, end: eof ? start : start + t.image.length });
  }
  if (cut) {
    errors.push({
      message: `More than ${MAX_DECLARATION_ERRORS} syntax errors in this declaration; the rest of it is not checked`,
      start: cut.startOffset,
      end: cut.startOffset + cut.image.length,
    });
  }
  const builder = new AstBuilder();
  const ast = builder.program(cst, text.length, []);
  errors.push(...builder.errors);
  return { declarations: ast.declarations, errors, reachedEnd };
}

/** The first {@link MAX_FILE_ERRORS} errors (sorted), and one saying how many more there are. */
function capErrors(errors: SyntaxError[]): SyntaxError[] {
  if (errors.length <= MAX_FILE_ERRORS) return errors;
  const hidden = errors.length - MAX_FILE_ERRORS;
  const first = errors[MAX_FILE_ERRORS]!;
  return [...errors.slice(0, MAX_FILE_ERRORS), { message: `Too many syntax errors: ${hidden} more not shown`, start: first.start, end: first.end }];
}

/**
 * The objects of an AST subtree that hold an offset (`start` or `end`), each
 * once. AST objects are never shared between two places of a tree.
 */
function offsetHolders(node: unknown, out: Array<Record<'start' | 'end', number>> = []): Array<Record<'start' | 'end', number>> {
  if (Array.isArray(node)) {
    for (let i = 0; i < node.length; i++) offsetHolders(node[i], out);
    return out;
  }
  if (node === null || typeof node !== 'object') return out;
  const n = node as Record<string, unknown>;
  let holds = false;
  for (const k in n) {
    const v = n[k];
    if (typeof v === 'object' && v !== null) offsetHolders(v, out);
    else if (k === 'start' || k === 'end') holds = true;
  }
  if (holds) out.push(n as Record<'start' | 'end', number>);
  return out;
}

/** Moves the offsets of `holders` (see {@link offsetHolders}) by `delta`, in place. */
function shiftInPlace(holders: ReadonlyArray<Record<'start' | 'end', number>>, delta: number): void {
  for (let i = 0; i < holders.length; i++) {
    const h = holders[i]!;
    if (h.start !== undefined) h.start += delta;
    if (h.end !== undefined) h.end += delta;
  }
}

/**
 * A copy of an AST subtree with every offset moved by `delta`, for a
 * declaration still read at its old place (the same declaration may stand
 * in several files of one include tree, at different offsets).
 */
function shifted<T>(node: T, delta: number): T {
  if (Array.isArray(node)) {
    const out = new Array(node.length);
    for (let i = 0; i < node.length; i++) out[i] = shifted(node[i], delta);
    return out as T;
  }
  if (node === null || typeof node !== 'object') return node;
  // A spread copy keeps the node's hidden class, so code reading shifted
  // nodes stays as fast as on freshly parsed ones.
  const out = { ...(node as Record<string, unknown>) };
  for (const k in out) {
    const v = out[k];
    if (typeof v === 'object' && v !== null) out[k] = shifted(v, delta);
    else if (k === 'start' || k === 'end') out[k] = (v as number) + delta;
  }
  return out as T;
}

function lastOffset(tokens: IToken[], text: string): number {
  const last = tokens[tokens.length - 1];
  return last ? last.startOffset + last.image.length : text.length;
}

function sortErrors(errors: SyntaxError[]): SyntaxError[] {
  return errors.sort((a, b) => a.start - b.start || a.end - b.end);
}
