/**
 * The parser of valid declarations (server/src/syntax/valid-parse.ts)
 * against the full parser (chevrotain's grammar and cst-to-ast.ts), chunk by
 * chunk: wherever it accepts a chunk, the full parser must find no error in
 * it and make the very same declarations, field for field (assert's strict
 * deep equality: a field present as undefined on one side only differs).
 * Where it gives up, the full parser parses the chunk as it always did. The
 * share of error-free chunks it accepts is checked too, so that a parser
 * that gives up on everything cannot pass.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { lexChunks, viewTokens } from '../../server/src/syntax/lex-chunks.js';
import { parseChunkFully } from '../../server/src/syntax/parse.js';
import { parseValidDeclarations } from '../../server/src/syntax/valid-parse.js';
import { loadCorpus, projectRoot } from '../conformance/corpus.js';
import { corpusOrSkip } from '../helpers/corpus-or-skip.js';
import { prng } from '../helpers/prng.js';

interface Tally {
  chunks: number;
  /** Chunks the full parser parses without error. */
  valid: number;
  /** Chunks the parser of valid declarations took. */
  taken: number;
}

/** Compares the two parsers on every chunk of `text`; adds to `tally`. */
function compare(text: string, what: string, tally: Tally): void {
  for (const view of lexChunks(text).views) {
    if (view.chunk.tooDeep) continue;
    const tokens = viewTokens(view, text);
    const full = parseChunkFully(tokens, undefined, text);
    assert.ok(full, `${what}: the full parser failed`);
    const fast = parseValidDeclarations(tokens);
    tally.chunks++;
    if (full.errors.length === 0) tally.valid++;
    if (fast === undefined) continue;
    tally.taken++;
    const at = `${what} at ${tokens[0]!.startOffset}`;
    assert.deepEqual(full.errors, [], `${at}: taken as valid, but the full parser finds errors`);
    assert.deepEqual(fast, full.declarations, `${at}: not the full parser's tree`);
  }
}

function vclFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.vcl'))
    .map((e) => join(e.parentPath ?? e.path, e.name));
}

const fresh = (): Tally => ({ chunks: 0, valid: 0, taken: 0 });

describe('the parser of valid declarations makes what the full parser makes', () => {
  it("the project's fixtures: every chunk it takes, and most valid ones", () => {
    const tally = fresh();
    const files = [...vclFiles(join(projectRoot, 'test/fixtures')), ...vclFiles(join(projectRoot, 'bench/fixtures'))];
    assert.ok(files.length > 20, 'fixtures not found');
    for (const f of files) compare(readFileSync(f, 'utf8'), f, tally);
    assert.ok(tally.taken >= 0.9 * tally.valid, `took ${tally.taken} of ${tally.valid} valid chunks (of ${tally.chunks})`);
  });

  it('hand-written cases at the edges of what it takes', () => {
    const taken = [
      'vcl 4.1;\nimport std;\nimport directors as d from "/x/libvmod_directors.so";\ninclude "a.vcl";\ninclude +glob "*.vcl";\n',
      'backend b { .host = "h"; .port = "80"; .probe = { .url = "/"; .interval = 5s; } .x = "a" "b"; }\nbackend n none;\nbackend m NONE;\n',
      'probe p { .request = "GET / HTTP/1.1" "Host: x" "Connection: close"; .expected_response = 200; }\n',
      'acl a -fold +log { "10.0.0.0"/8; !"10.1.0.0"/16; ("opt.example.com"); !("x"/24); }\n',
      'sub vcl_recv {\n set req.http.X = "a" + req.http.Y + {"b"} + """c""";\n set req.ttl += 10s;\n unset req.http.Cookie;\n call f;\n call std.f(1, 2,);\n' +
        ' if (req.url ~ "^/a" && !(req.http.X == "1") || -1 < 2 * 3 % 4 - -5) { return (pass); } elsif (x) { return (synth(503, "x")); }' +
        ' elseif (y) { } elif (z) { } else if (w) { } else { return; }\n new o = directors.round_robin();\n std.log("x", y = 2, z = backend);\n' +
        ' include "in.vcl";\n C{ int x; }C\n { set req.url = :AAA=:; }\n if (client.ip !~ a) { }\n}\n',
      'C{ global }C\n',
    ];
    // Given up (the full parser's): VCL 3, 9.0's unused, quoted headers, methods on expressions, stray dots, unterminated strings.
    const givenUp = [
      'sub vcl_recv { error 503 "x"; }\n',
      'sub vcl_recv { remove req.http.X; }\n',
      'sub vcl_recv { pass; }\n',
      'sub vcl_recv { synthetic "x"; }\n',
      'director d round-robin { { .backend = b; } }\n',
      'unused b;\n',
      'sub vcl_recv { set req.http."X-Y" = "1"; }\n',
      'sub vcl_recv { set req.url = (req.url).lower(); }\n',
      'sub vcl_recv { set req . url = "x"; }\n',
      'sub vcl_recv { set req.url = "x; }\n',
      'acl a { ( ! "x"); }\n',
      'sub vcl_recv { return (synth(503, "x",)); }\n',
      'backend b bogus;\n',
      // Shape errors of valid token sequences: given up, and the full parser reports them.
      'sub vcl_recv { if (a == b == c) { } }\n',
      'sub vcl_recv { if (!!a) { } }\n',
      'sub vcl_recv { if (a ~ "x" + b) { } }\n',
      // Errors.
      'sub vcl_recv { set req.url = ; }\n',
      'sub vcl_recv { if (a) { }\n',
      'sub { }\n',
      'backend b { .host = "h" }\n',
      ';\n',
    ];
    for (const [i, text] of taken.entries()) {
      const tally = fresh();
      compare(text, `taken case ${i}`, tally);
      assert.ok(tally.chunks > 0 && tally.taken === tally.chunks, `taken case ${i}: ${JSON.stringify(tally)}`);
    }
    for (const [i, text] of givenUp.entries()) {
      const tally = fresh();
      compare(text, `given-up case ${i}`, tally);
      assert.equal(tally.taken, 0, `given-up case ${i}: ${JSON.stringify(tally)}`);
    }
  });

  it('programs cut and changed at random places (1,500 texts from the fixtures): every chunk it takes', () => {
    const tally = fresh();
    const sources = vclFiles(join(projectRoot, 'test/fixtures')).map((f) => readFileSync(f, 'utf8'));
    const pieces = [';', '{', '}', '(', ')', '.', ',', '!', '-', '+', '==', '~', '"x"', 'a', 'req.url', '1', '10s', 'if', 'else', 'set', 'return', 'call', ' '];
    const rnd = prng(20261208);
    for (let k = 0; k < 1500; k++) {
      let text = sources[Math.floor(rnd() * sources.length)]!;
      for (let m = 0; m < 3; m++) {
        const at = Math.floor(rnd() * text.length);
        const cut = Math.floor(rnd() * 4);
        text = text.slice(0, at) + (rnd() < 0.5 ? pieces[Math.floor(rnd() * pieces.length)]! : '') + text.slice(at + cut);
      }
      compare(text, `mutation ${k}`, tally);
    }
    assert.ok(tally.taken > 1000, JSON.stringify(tally));
  });

  it('generated sub bodies of token pieces (3,000 texts)', () => {
    const tally = fresh();
    const atoms = ['req.url', 'req.http.X', '"s"', '{"l"}', '1', '2.5', '10s', 'true', 'backend', 'f(1)', 'g()', 'std.h(a = 1, "b")', '(a)', ':AA==:'];
    const ops = ['+', '-', '*', '/', '%', '==', '!=', '<', '<=', '>', '>=', '~', '!~', '&&', '||'];
    const expr = fc.tuple(fc.array(fc.constantFrom('!', '-', ''), { maxLength: 2 }), fc.array(fc.tuple(fc.constantFrom(...ops), fc.constantFrom(...atoms)), { maxLength: 4 }), fc.constantFrom(...atoms)).map(
      ([pre, rest, first]) => `${pre.join('')}${first}${rest.map(([o, a]) => ` ${o} ${a}`).join('')}`,
    );
    const stmt = fc.oneof(
      expr.map((e) => `set req.http.Y = ${e};`),
      expr.map((e) => `if (${e}) { call f; } else { unset req.http.Z; }`),
      expr.map((e) => `return (synth(${e}));`),
      expr.map((e) => `std.log(${e});`),
    );
    fc.assert(
      fc.property(fc.array(stmt, { maxLength: 5 }), (stmts) => {
        compare(`sub vcl_recv {\n${stmts.join('\n')}\n}\n`, JSON.stringify(stmts), tally);
      }),
      { numRuns: 3000, seed: 20261208 },
    );
    assert.ok(tally.taken > 1000, JSON.stringify(tally));
  });

  describe('on the corpus', function () {
    const root = corpusOrSkip('the parsers not compared on it');
    if (!root) return;
    it('every chunk of every corpus program it takes, and most valid ones', () => {
      const tally = fresh();
      const entries = loadCorpus(root, ['vtc', 'real', 'vtc-new']);
      assert.ok(entries.length > 1000);
      for (const e of entries) compare(readFileSync(e.path, 'utf8'), e.name, tally);
      console.log(`      ${tally.taken} of ${tally.valid} valid chunks taken (${tally.chunks} chunks)`);
      assert.ok(tally.taken >= 0.9 * tally.valid, JSON.stringify(tally));
    });
  });
});
