/**
 * The lexer hands the parser one declaration at a time (ChunkStream in
 * server/src/syntax/lex-chunks.ts): each is lexed when the parser reaches
 * it, by a scan that stops where the next top-level declaration starts.
 * Held here to what lexing the whole text at once and splitting its tokens
 * gives (written out below as the reference): the same chunks, spans,
 * tokens, comments, errors and nesting errors, on every fixture, the corpus,
 * mutated files and generated texts. And the parser, which reads the
 * stream, to what it made of the whole text's chunks: a declaration nested
 * too deeply anywhere still empties the tree, keeping every lexical error
 * and comment of the text.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import type { IToken } from 'chevrotain';
import { ChunkLexer, MAX_NESTING, lexChunks, type ChunkedText } from '../../server/src/syntax/lex-chunks.js';
import { lex } from '../../server/src/syntax/lexer.js';
import { Parser } from '../../server/src/syntax/parse.js';
import { loadCorpus, projectRoot } from '../conformance/corpus.js';
import { fragments, mutatedInputs } from '../helpers/fuzz-inputs.js';
import { vclFilesUnder } from '../helpers/vcl-files.js';
import { corpusOrSkip } from '../helpers/corpus-or-skip.js';

const STARTS = new Set(['Vcl', 'Import', 'Include', 'Backend', 'Probe', 'Acl', 'Sub', 'InlineC', 'Director']);

/** A token as the comparison shows it. */
const shown = (t: IToken) => `${t.tokenType.name}@${t.startOffset}-${t.endOffset}:${JSON.stringify(t.image)}`;

/**
 * The reference: the whole text lexed at once, its tokens split where a
 * declaration keyword (or inline C) stands outside any bracket, each
 * chunk's span running to the next chunk's first token; comments and
 * errors (in order of their start) to the span they start in, those past
 * the last span to the last chunk.
 */
function reference(text: string): unknown {
  const whole = lex(text);
  const groups: IToken[][] = [];
  let depth = 0;
  for (const t of whole.tokens) {
    const n = t.tokenType.name;
    if (depth === 0 && STARTS.has(n) && groups.length > 0 && groups[groups.length - 1]!.length > 0) groups.push([]);
    if (groups.length === 0) groups.push([]);
    groups[groups.length - 1]!.push(t);
    if (n === 'LCurly' || n === 'LParen') depth++;
    else if ((n === 'RCurly' || n === 'RParen') && depth > 0) depth--;
  }
  if (groups.length === 0) return { chunks: [], loose: { comments: whole.comments, errors: whole.errors } };
  const errors = [...whole.errors].sort((a, b) => a.start - b.start);
  const chunks = groups.map((tokens, g) => {
    const base = g === 0 ? 0 : tokens[0]!.startOffset;
    const end = g + 1 < groups.length ? groups[g + 1]![0]!.startOffset : text.length;
    const last = tokens[tokens.length - 1]!;
    return {
      start: base,
      length: end - base,
      firstToken: tokens[0]!.startOffset,
      tokenEnd: last.startOffset + last.image.length,
      firstImage: tokens[0]!.image,
      tokens: tokens.map(shown),
      comments: whole.comments.filter((c) => c.start >= base && c.start < end),
      errors: errors.filter((e) => e.start >= base && (e.start < end || g === groups.length - 1)),
    };
  });
  return { chunks, loose: { comments: [], errors: [] } };
}

/** What the lexer gives, in the reference's terms (the nesting errors apart: see {@link nestingOf}). */
function streamed(lexed: ChunkedText): unknown {
  if (lexed.views.length === 0) return { chunks: [], loose: lexed.loose };
  const chunks = lexed.views.map(({ chunk, start }) => {
    assert.equal(chunk.base, start, 'a chunk lexed from the text sits where it was lexed');
    return {
      start,
      length: chunk.length,
      firstToken: chunk.firstToken,
      tokenEnd: chunk.tokenEnd,
      firstImage: chunk.firstImage,
      tokens: (chunk.tokens ?? []).map(shown),
      comments: chunk.comments,
      errors: chunk.errors,
    };
  });
  return { chunks, loose: lexed.loose };
}

/** The stream read by hand: each chunk's following token is the next chunk's first. */
function checkFollowing(text: string): void {
  const stream = new ChunkLexer().stream(text);
  const views = [];
  const following = [];
  for (let v = stream.next(); v; v = stream.next()) {
    views.push(v);
    following.push(stream.followingToken());
  }
  assert.equal(stream.next(), undefined, 'stays at its end');
  const expected = views.slice(1).map((v) => ({ image: v.chunk.firstImage, startOffset: v.chunk.firstToken }));
  assert.deepEqual(following, views.length === 0 ? [] : [...expected, undefined]);
}

function assertSameChunks(text: string, what: string): void {
  assert.deepEqual(streamed(lexChunks(text)), reference(text), what);
  checkFollowing(text);
}

describe('the lexer hands out one declaration at a time, as lexing the whole text would', () => {
  it("the project's VCL fixtures", () => {
    const files = [...vclFilesUnder(join(projectRoot, 'test/fixtures')), ...vclFilesUnder(join(projectRoot, 'bench/fixtures'))];
    assert.ok(files.length > 50, `only ${files.length} fixture files`);
    for (const f of files) assertSameChunks(readFileSync(f, 'utf8'), f);
  });

  it('texts at the edges: empty, only comments or errors, one token, declarations back to back, a keyword last', () => {
    for (const text of ['', ' ', '# c', '/* c', '@@', 'vcl', 'sub', 'vcl 4.1;', 'sub a {} sub b {}', 'sub a { if (x) { sub } } backend', 'C{ x }C C{ y }C', 'acl a { "x"; } # end', '"open', 'sub a { /* open', '} } sub a {}', ') sub']) {
      assertSameChunks(text, JSON.stringify(text));
    }
  });

  it('mutated fixture files (cut, doubled, swapped, other line breaks)', () => {
    const inputs = mutatedInputs(20261208, 10);
    assert.ok(inputs.length > 200, `only ${inputs.length} inputs`);
    for (const text of inputs) assertSameChunks(text, `mutated text of ${text.length} characters`);
  });

  it('4,000 generated texts of VCL pieces (fast-check)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...fragments), { maxLength: 60 }), (parts) => {
        assertSameChunks(parts.join(' '), JSON.stringify(parts.join(' ')));
        assertSameChunks(parts.join(''), JSON.stringify(parts.join('')));
      }),
      { numRuns: 2000, seed: 20261208 },
    );
  });

  describe('on the corpus', function () {
    const root = corpusOrSkip('the chunks not compared on it');
    if (!root) return;
    it('every corpus program', () => {
      const entries = loadCorpus(root, ['vtc', 'real', 'vtc-new']);
      assert.ok(entries.length > 1000);
      for (const e of entries) assertSameChunks(readFileSync(e.path, 'utf8'), e.name);
    });
  });
});

describe('the parser reading the stream', () => {
  const deep = (d: number) => `sub deep {\n  set req.http.x = ${'('.repeat(d)}1${')'.repeat(d)};\n}\n`;

  it('a declaration nested too deeply empties the tree wherever it stands, with every lexical error and comment of the text', () => {
    const before = 'vcl 4.1;\n# first\nsub a { set req.http.x = "open\n}\nsub b { set req.url = 123456789012345678; }\n';
    const after = '# last\nsub c { if (req.url ~ "x") { return (pass); } }\nsub d { @ }\n/* open';
    for (const [what, text] of [
      ['in the middle', before + deep(MAX_NESTING) + after],
      ['first', deep(MAX_NESTING) + before + after],
      ['last', before + after.replace('/* open', '') + deep(MAX_NESTING)],
    ] as const) {
      const result = new Parser().parse(text);
      assert.deepEqual(result.ast.declarations, [], what);
      const chunks = lexChunks(text).views;
      const comments = chunks.flatMap((v) => v.chunk.comments);
      assert.deepEqual(result.ast.comments, comments, `${what}: every comment`);
      const lexical = chunks.flatMap((v) => v.chunk.errors);
      const nesting = chunks.find((v) => v.chunk.tooDeep)!.chunk.tooDeep!;
      const expected = [...lexical, nesting].sort((a, b) => a.start - b.start || a.end - b.end);
      assert.deepEqual(result.errors, expected, `${what}: the lexical errors and the nesting error`);
    }
  });

  it('the same text parsed twice, with and without a document name, and after the parse cache lost it, gives the same tree', () => {
    const text = readFileSync(join(projectRoot, 'bench/fixtures/realistic-2000.vcl'), 'utf8');
    const parser = new Parser();
    const first = JSON.stringify(parser.parse(text));
    assert.equal(JSON.stringify(parser.parse(text, '/doc.vcl')), first);
    assert.equal(JSON.stringify(new Parser().parse(text, '/doc.vcl')), first);
    assert.equal(JSON.stringify(new Parser({ versions: false }).parse(text, '/doc.vcl')), first);
  });
});
