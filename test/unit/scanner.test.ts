/**
 * The hand-written scanner (server/src/syntax/scanner.ts) against the
 * specification it replaces: chevrotain's lexer built from tokens.ts. Every
 * text must give the same tokens (type, offset, text), the same comments and
 * the same runs of characters that start no token.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { Lexer, type IToken } from 'chevrotain';
import { scan } from '../../server/src/syntax/scanner.js';
import { allTokens } from '../../server/src/syntax/tokens.js';
import { loadCorpus, projectRoot } from '../conformance/corpus.js';
import { corpusOrSkip } from '../helpers/corpus-or-skip.js';

const chevrotain = new Lexer(allTokens, { positionTracking: 'onlyOffset', ensureOptimizations: false });

const show = (ts: readonly IToken[]) => ts.map((t) => `${t.tokenType.name}@${t.startOffset}:${JSON.stringify(t.image)}`);

/** Both lexers' view of a text, side by side: the first difference reads in the assertion's message. */
function assertSame(text: string, what: string): void {
  const ours = scan(text);
  const theirs = chevrotain.tokenize(text);
  assert.deepEqual(show(ours.tokens), show(theirs.tokens), `${what}: tokens`);
  assert.deepEqual(show(ours.comments), show(theirs.groups['comments'] ?? []), `${what}: comments`);
  assert.deepEqual(
    ours.errors,
    theirs.errors.map((e) => ({ offset: e.offset, length: e.length })),
    `${what}: errors`,
  );
  // The fields the parser reads, as chevrotain sets them.
  for (const t of ours.tokens) assert.equal(t.tokenTypeIdx, t.tokenType.tokenTypeIdx);
}

function textFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(vcl|vtc|txt|md|service|conf|yaml|json)$/.test(e.name))
    .map((e) => join(e.parentPath ?? e.path, e.name));
}

/** Pieces that start, end or almost start every kind of token, and characters that start none. */
const pieces = [
  '"', '""', '"""', '{"', '"}', '{', '}', 'C{', '}C', 'C', '/*', '*/', '/', '//', '#', '\n', '\r\n', ' ', '\t', '\f', '\v', ':', ':YWJj', '=', 'ab', 'a-b', 'a_b', '_', '.', '..', '1', '1.', '.5', '12.345',
  'vcl', 'vclx', 'if', 'iff', 'elsif', 'elseif', 'elif', 'else', 'set', 'unset', 'director', 'req.url', 'req.', '+', '++', '+=', '-', '--', '-=', '!', '!=', '!~', '~', '&', '&&', '|', '||', '<', '<=', '<<',
  '>', '>=', '>>', '*', '*=', '%', ';', ',', '(', ')', '@', '$', '?', '[', ']', '\\', "'", '`', 'é', '\u00a0', '\u2028', '\0', '😀',
];

describe('scanner', () => {
  it("scans every fixture of the project as chevrotain's lexer does", () => {
    const files = [...textFiles(join(projectRoot, 'test/fixtures')), ...textFiles(join(projectRoot, 'bench/fixtures'))];
    assert.ok(files.length > 50, `only ${files.length} fixture files`);
    for (const file of files) assertSame(readFileSync(file, 'utf8'), file);
  });

  it("scans every character from 0 to 400, alone and between tokens, as chevrotain's lexer does", () => {
    for (let c = 0; c <= 400; c++) {
      const ch = String.fromCharCode(c);
      for (const text of [ch, `${ch}${ch}`, `a${ch}b`, `"x${ch}"`, `1${ch}2`, `:a${ch}:`, `${ch}vcl`, `set${ch}`]) assertSame(text, `character ${c} in ${JSON.stringify(text)}`);
    }
  });

  it("scans 5,000 generated texts of token pieces as chevrotain's lexer does", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 40 }), (parts) => {
        assertSame(parts.join(''), JSON.stringify(parts.join('')));
      }),
      { numRuns: 5000, seed: 20261207 },
    );
  });

  describe('on the corpus', function () {
    const root = corpusOrSkip('the scanner not compared on it');
    if (!root) return;
    it("scans every corpus program as chevrotain's lexer does", () => {
      const entries = loadCorpus(root, ['vtc', 'real', 'vtc-new']);
      assert.ok(entries.length > 1000);
      for (const e of entries) assertSame(readFileSync(e.path, 'utf8'), e.name);
    });
  });
});
