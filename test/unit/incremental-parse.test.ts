/**
 * Re-parsing a document after an edit reuses the previous version's
 * lexed declarations; the result must be exactly what a parse of the whole
 * new text gives. Random edit sequences (typing, deleting, pasting, and the
 * edits that change how the rest of the file lexes: opening a comment, a
 * long string, a brace, inline C) on real files check it, step by step.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { clearParseCache, parse, Parser, releaseParse, type ParseResult } from '../../server/src/syntax/parse.js';
import { lexChunks } from '../../server/src/syntax/lex-chunks.js';
import { findCorpus, loadCorpus, projectRoot } from '../conformance/corpus.js';
import { prng } from '../helpers/prng.js';
import { vclFilesUnder } from '../helpers/vcl-files.js';

const SEED = Number(process.env['FUZZ_SEED'] ?? 4242);

/** Pieces that change how what follows them lexes, and ordinary typing. */
const snippets = ['{', '}', '(', ')', '"', '{"', '"}', '"""', '/*', '*/', '#', '//', '\n', ' ', ';', 'C{', '}C', 'sub x {', 'sub', 'backend b { .host = "h"; }\n', 'set req.http.X = "1";\n', 'x', '.', '~', '1', '\u00e9', '\t'];


function sources(): { name: string; text: string }[] {
  const files = [path.join(projectRoot, 'bench/fixtures/realistic-2000.vcl'), ...vclFilesUnder(path.join(projectRoot, 'examples')), ...vclFilesUnder(path.join(projectRoot, 'test/fixtures'))];
  const out = files.map((f) => ({ name: path.relative(projectRoot, f), text: readFileSync(f, 'utf8') }));
  const corpus = findCorpus();
  if (corpus) {
    // Every 8th corpus file: all kinds of VCL, in a few seconds.
    const entries = loadCorpus(corpus);
    for (let i = 0; i < entries.length; i += 8) out.push({ name: entries[i]!.name, text: readFileSync(entries[i]!.path, 'utf8') });
  } else {
    console.log('    (corpus not found: incremental parsing checked on the project files only)');
  }
  return out;
}

/** One random edit: where, how much to remove, what to insert. */
function randomEdit(text: string, rnd: () => number): string {
  const at = Math.floor(rnd() * (text.length + 1));
  const kind = rnd();
  if (kind < 0.45) return text.slice(0, at) + snippets[Math.floor(rnd() * snippets.length)]! + text.slice(at);
  const len = Math.min(text.length - at, Math.floor(rnd() * (kind < 0.8 ? 4 : 200)));
  const insert = kind < 0.9 ? '' : text.slice(Math.floor(rnd() * text.length)).slice(0, Math.floor(rnd() * 120));
  return text.slice(0, at) + insert + text.slice(at + len);
}

/**
 * The parse as JSON. Most results are released at once, as the linter does,
 * so that later parses move their trees in place; some are kept, and must
 * stay as they were while later parses run.
 */
function snapshot(text: string, document: string | undefined, rnd: () => number, kept: Array<{ result: ParseResult; json: string }>): string {
  const result = parse(text, document);
  const json = JSON.stringify(result);
  if (rnd() < 0.8) releaseParse(result);
  else kept.push({ result, json });
  return json;
}

describe('incremental parsing', () => {
  it('does not reuse a declaration whose error names the end of the text (it depends on what follows)', () => {
    clearParseCache();
    parse('vcl 4.1;\nbackend');
    const reused = parse('vcl 4.1;\nbackend\nimport std;\n').errors.map((e) => e.message);
    clearParseCache();
    const fresh = parse('vcl 4.1;\nbackend\nimport std;\n').errors.map((e) => e.message);
    assert.deepEqual(reused, fresh);
  });

  it('gives the same tree and errors as a whole parse after every step of random edit sequences', function () {
    this.timeout(240_000);
    const rnd = prng(SEED);
    let steps = 0;
    const kept: Array<{ result: ParseResult; json: string }> = [];
    for (const { name, text } of sources()) {
      let current = text;
      const doc = `test:${name}`;
      parse(current, doc);
      const sequence = name.includes('realistic') ? 12 : 10;
      for (let s = 0; s < sequence; s++) {
        const versions = rnd() < 0.3 ? typing(current, rnd) : [randomEdit(current, rnd)];
        for (const version of versions) {
          current = version;
          const incremental = snapshot(current, doc, rnd, kept);
          const whole = snapshot(current, undefined, rnd, kept);
          if (incremental !== whole) assert.fail(`${name}, step ${s} (FUZZ_SEED=${SEED}): incremental parse differs from a whole parse`);
          steps++;
        }
      }
      // And against a parse with nothing cached at all.
      const last = snapshot(current, doc, rnd, kept);
      clearParseCache();
      assert.equal(last, snapshot(current, undefined, rnd, kept), `${name}: differs from a parse with empty caches`);
      // Results nobody released are untouched by everything parsed since.
      for (const k of kept.splice(0)) assert.equal(JSON.stringify(k.result), k.json, `${name}: a result still held was changed by a later parse`);
    }
    assert.ok(steps > 100, `only ${steps} steps checked`);
  });

  it('gives a text the same result whatever was parsed before it (a declaration cut off at the end is not reused)', function () {
    this.timeout(120_000);
    const rnd = prng(SEED + 1);
    let checked = 0;
    for (const { name, text } of sources().slice(0, 40)) {
      for (let round = 0; round < 4; round++) {
        // Broken texts are where a declaration's errors depend on what follows it.
        const version = round === 0 ? text : randomEdit(text, rnd);
        clearParseCache();
        const fresh = JSON.stringify(parse(version));
        // Parse, with nothing cached, each prefix that ends where a declaration's last token does.
        const ends = lexChunks(version).views.map((v) => v.chunk.tokenEnd + v.start - v.chunk.base);
        for (const cut of ends.filter(() => rnd() < 0.5).slice(0, 6)) {
          clearParseCache();
          parse(version.slice(0, cut) + (rnd() < 0.5 ? '' : ' '));
          if (JSON.stringify(parse(version)) !== fresh) assert.fail(`${name}, round ${round} (FUZZ_SEED=${SEED}): the result after parsing its first ${cut} characters differs`);
          checked++;
        }
      }
    }
    // The case that was found: a version line without ';' at the end of one file, the same line followed by more in another.
    clearParseCache();
    const alone = JSON.stringify(parse('vcl 4.1 # x\nbackend default { .host = "127.0.0.1"; }\n'));
    clearParseCache();
    parse('vcl 4.1 ');
    assert.equal(JSON.stringify(parse('vcl 4.1 # x\nbackend default { .host = "127.0.0.1"; }\n')), alone);
    assert.ok(checked > 50, `only ${checked} prefixes checked`);
  });

  it('reuses the previous version: an edit in one declaration leaves the others as they were', () => {
    const text = 'vcl 4.1;\nbackend b { .host = "127.0.0.1"; }\nsub vcl_recv {\n    set req.http.A = "1";\n}\nsub vcl_deliver {\n    set resp.http.B = "2";\n}\n';
    const before = parse(text, 'test:reuse');
    const startBefore = before.ast.declarations[3]!.start;
    releaseParse(before);
    const edited = text.replace('"1"', '"12"');
    const after = parse(edited, 'test:reuse');
    // The declaration before the edit is the very same object; the one after it was moved, not copied.
    assert.equal(after.ast.declarations[1], before.ast.declarations[1]);
    assert.equal(after.ast.declarations[3], before.ast.declarations[3]);
    assert.equal(after.ast.declarations[3]!.start, startBefore + 1);
    assert.equal(JSON.stringify(after), JSON.stringify(parse(edited)));
  });

  it('parses a kept declaration again from its text when the cache does not hold it (its tokens are not kept)', () => {
    // The last sub is cut off: its parse names the end of the file, so it is never cached and is parsed on every edit.
    const text = 'vcl 4.1;\nbackend b { .host = "127.0.0.1"; }\nsub vcl_recv {\n    set req.http.A = "1";\n}\nsub cut {\n    set req.http.B = "2" + req.url;\n    if (req.http.C ~ "^x") { call';
    const parser = new Parser();
    let previous = parser.parse(text, 'test:relex');
    let edited = text;
    for (let k = 0; k < 3; k++) {
      releaseParse(previous);
      // Before the cut sub: the lexer moves it, without its tokens.
      edited = edited.replace('"1"', `"1${'x'.repeat(k + 1)}"`);
      previous = parser.parse(edited, 'test:relex');
      assert.equal(JSON.stringify(previous), JSON.stringify(new Parser().parse(edited)), `edit ${k}`);
      assert.ok(previous.errors.length > 0);
    }
  });

  it('keeps each copy of a repeated declaration from one edit to the next (copied once, then moved)', () => {
    // vcl_* subs may be written several times; each place must keep its own nodes, which the rules keep findings for.
    const sub = 'sub vcl_deliver {\n    set resp.http.B = "2";\n}\n';
    const text = `vcl 4.1;\nsub vcl_recv {\n    set req.http.A = "1";\n}\n${sub}${sub}${sub}`;
    let previous = parse(text, 'test:repeated');
    let edited = text;
    const copies = (r: ParseResult) => r.ast.declarations.filter((d) => d.kind === 'SubDecl' && d.name?.text === 'vcl_deliver');
    for (let k = 0; k < 4; k++) {
      releaseParse(previous);
      edited = edited.replace('"1"', `"1${k}"`);
      const next = parse(edited, 'test:repeated');
      // Compared with a parser of its own: a result never released holds what it read.
      assert.equal(JSON.stringify(next), JSON.stringify(new Parser().parse(edited)), `edit ${k}`);
      const [a, b] = [copies(previous), copies(next)];
      assert.equal(new Set(b).size, 3, 'each place has its own nodes');
      // From the second edit on, every copy is the object of the previous version, moved in place.
      if (k > 0) for (let i = 0; i < 3; i++) assert.equal(b[i], a[i], `edit ${k}, copy ${i}`);
      previous = next;
    }
  });
});

/** The versions an editor sends while a few characters are typed, one at a time, at one place. */
function typing(text: string, rnd: () => number): string[] {
  const at = Math.floor(rnd() * (text.length + 1));
  const word = 'set req.http.X-Typed = "abc";'.slice(0, 1 + Math.floor(rnd() * 28));
  const versions: string[] = [];
  for (let k = 1; k <= word.length; k++) versions.push(text.slice(0, at) + word.slice(0, k) + text.slice(at));
  return versions;
}
