/**
 * The VCL formatter on fixture pairs (test/fixtures/format/NAME.in.vcl ->
 * NAME.out.vcl, with the editor's options in NAME.options.json when
 * present), and its edits, range formatting, refusals and line breaks.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { formatVcl, isFormatted, type FormatOptions, type Formatted } from '../../server/src/format/format.js';
import { formatDocument } from '../../server/src/service/format.js';
import { applyOffsetEdits } from '../../server/src/text/offset-edits.js';
import { projectRoot } from '../conformance/corpus.js';
import { applyEdits } from '../helpers/apply-edits.js';
import { tokenSequence } from '../helpers/token-sequence.js';

const DIR = join(projectRoot, 'test/fixtures/format');
const cases = readdirSync(DIR).filter((f) => f.endsWith('.in.vcl')).map((f) => f.slice(0, -'.in.vcl'.length)).sort();

function formatted(text: string, options: FormatOptions = {}): Formatted {
  const r = formatVcl(text, options);
  assert.ok(isFormatted(r), `not formatted: ${'reason' in r ? r.reason : ''}`);
  return r;
}

describe('VCL formatter: fixtures', () => {
  it('has fixture pairs', () => assert.ok(cases.length >= 8, `only ${cases.length} fixture pairs`));
  for (const name of cases) {
    describe(name, () => {
      const input = readFileSync(join(DIR, `${name}.in.vcl`), 'utf8');
      const expected = readFileSync(join(DIR, `${name}.out.vcl`), 'utf8');
      const optionsFile = join(DIR, `${name}.options.json`);
      const options = existsSync(optionsFile) ? (JSON.parse(readFileSync(optionsFile, 'utf8')) as FormatOptions) : {};

      it('formats to the expected text', () => assert.equal(formatted(input, options).text, expected));
      it('gives edits that turn the input into the expected text', () => {
        const r = formatted(input, options);
        assert.equal(applyOffsetEdits(input, r.edits), expected);
        assert.equal(r.edits.length === 0, input === expected);
      });
      it('gives the same result through the service (LSP edits)', () => {
        assert.equal(applyEdits(input, formatDocument(input, options)), expected);
      });
      it('changes nothing the second time', () => assert.deepEqual(formatted(expected, options).edits, []));
      it('changes only whitespace', () => assert.deepEqual(tokenSequence(expected), tokenSequence(input)));
      it('leaves no trailing blanks outside strings and comments, and ends with one line break', () => {
        // A line ending in blanks can only be one kept inside a long string, a /* */ comment or C{ }C.
        for (const line of expected.split('\n')) if (/[ \t]$/.test(line)) assert.ok(input.includes(`${line}\n`), JSON.stringify(line));
        assert.ok(expected.endsWith('\n') && !expected.endsWith('\n\n'));
      });
    });
  }
});

describe('VCL formatter: edits and refusals', () => {
  const messy = 'vcl 4.1;\nbackend b { .host = "127.0.0.1"; }\nsub vcl_recv {\nset req.http.a="1";\n  if(req.url=="/"){return(pass);}\n}\nsub vcl_deliver {\nunset resp.http.x;\n}\n';

  it('returns no edits for a text with a syntax error', () => {
    const broken = 'vcl 4.1;\nsub vcl_recv {\nset req.http.a = "1"\n}\n';
    assert.deepEqual(formatVcl(broken), { reason: 'syntax-errors' });
    assert.deepEqual(formatDocument(broken), []);
  });

  it('returns no edits for an unterminated string or comment', () => {
    assert.deepEqual(formatDocument('vcl 4.1;\nsub vcl_recv {\n  set req.http.a = "1;\n}\n'), []);
    assert.deepEqual(formatDocument('vcl 4.1;\n/* open\nsub vcl_recv {  }\n'), []);
  });

  it('returns no edits for a formatted text', () => {
    const clean = formatted(messy).text;
    assert.deepEqual(formatDocument(clean), []);
  });

  it('edits only whitespace, one edit per gap that changes', () => {
    const r = formatted(messy);
    assert.ok(r.edits.length > 1);
    for (const e of r.edits) assert.match(messy.slice(e.start, e.end), /^\s*$/);
    for (let i = 1; i < r.edits.length; i++) assert.ok(r.edits[i]!.start >= r.edits[i - 1]!.end);
  });

  it('formats a range: only edits that touch it, other lines untouched', () => {
    // Lines 3-4 (0-based) are the body of vcl_recv.
    const edits = formatDocument(messy, {}, { start: { line: 3, character: 0 }, end: { line: 4, character: 99 } });
    const after = applyEdits(messy, edits);
    assert.ok(edits.length > 0);
    for (const e of edits) assert.ok(e.range.end.line >= 3 && e.range.start.line <= 4, JSON.stringify(e.range));
    assert.ok(after.includes('\n    set req.http.a = "1";\n    if (req.url == "/") {\n        return (pass);\n    }\n'), after);
    // The backend on line 1 and vcl_deliver stay as written.
    assert.ok(after.includes('backend b { .host = "127.0.0.1"; }\n'));
    assert.ok(after.endsWith('sub vcl_deliver {\nunset resp.http.x;\n}\n'));
  });

  it('formats a range in the middle of a line: the edits around that token', () => {
    // Characters 14-15 of line 3 are the `=` of `a="1"`.
    const edits = formatDocument(messy, {}, { start: { line: 3, character: 14 }, end: { line: 3, character: 15 } });
    assert.equal(applyEdits(messy, edits).split('\n')[3], 'set req.http.a = "1";');
  });

  it('keeps CRLF line breaks', () => {
    const crlf = messy.replace(/\n/g, '\r\n');
    const out = formatted(crlf).text;
    assert.equal(out, formatted(messy).text.replace(/\n/g, '\r\n'));
  });

  it('keeps lone CR line breaks (old Mac files) when no comment spans them', () => {
    // A `#` comment runs to `\n` for varnishd, so a CR-only file with one is a different program; none here.
    const plain = messy.split('\n').filter((l) => !/#|\/\//.test(l)).join('\n');
    const cr = plain.replace(/\n/g, '\r');
    const out = formatted(cr).text;
    assert.ok(!out.includes('\n'), 'no LF written into a CR-only file');
    assert.equal(out, formatted(plain).text.replace(/\n/g, '\r'));
  });

  it('indents with the editor\'s tab size', () => {
    assert.equal(formatted(messy, { tabSize: 3 }).text.split('\n')[2], '   .host = "127.0.0.1";');
  });

  it('keeps an empty document empty and clears a blank one', () => {
    assert.deepEqual(formatted('').edits, []);
    assert.equal(formatted('  \n\n ').text, '');
  });

  it('does not join tokens that would read differently', () => {
    // A sign is written next to its operand, but `- -1` joined would start with the operator `--`.
    const text = 'vcl 4.1;\nsub vcl_recv {\nset req.http.x = - -1;\nset req.http.y = - 1;\n}\n';
    assert.equal(formatted(text).text, 'vcl 4.1;\nsub vcl_recv {\n    set req.http.x = - -1;\n    set req.http.y = -1;\n}\n');
  });
});
