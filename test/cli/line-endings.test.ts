/**
 * One line model for positions and fixes: `\r\n`, `\n` and a lone `\r`
 * each end a line (as in LSP), in the line index the diagnostics are made
 * with and in `--fix`, which applies them. Real fixture files are written
 * with each kind of line ending and fixed through `runCli`; the bytes on
 * disk afterwards are compared exactly, BOM and every line ending included.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { LineIndex } from '../../server/src/text/line-index.js';
import { applyFixes } from '../../server/src/cli/fix.js';
import { runCli } from '../../server/src/cli/run.js';
import type { LintDiagnostic } from '../../server/src/service/types.js';
import { projectRoot } from '../conformance/corpus.js';

const FIXTURES = join(projectRoot, 'test/fixtures/cli/line-endings');

/** The fixture's lines (its own endings are `\n`), to be joined with other endings. */
function fixtureLines(name: string): string[] {
  const text = readFileSync(join(FIXTURES, name), 'utf8');
  assert.ok(text.endsWith('\n') && !text.includes('\r'), `${name} must be an LF file`);
  return text.slice(0, -1).split('\n');
}

type Eols = (line: number) => string;
const SCHEMES: Record<string, Eols> = {
  lf: () => '\n',
  crlf: () => '\r\n',
  cr: () => '\r',
  mixed: (i) => (i % 2 ? '\n' : '\r\n'),
  'cr-cr-lf': (i) => (i === 1 ? '\r\r\n' : '\n'),
};

interface Case {
  fixture: string;
  scheme: keyof typeof SCHEMES;
  bom?: boolean;
  /** The exact text `--fix` must leave on disk (without the BOM). */
  expected: string;
}

const VCL = 'vcl3-remove.vcl';
const PARAMS = 'varnish.service.d/buffers.conf';
const SMALL = 'varnish.service.d/small-header.conf';

// VCL: `vcl 4.1;` and a blank line are inserted at the top (a fix whose text holds line breaks), `remove` becomes `unset`.
// Parameters: two settings are added on continuation lines after http_resp_hdr_len, or a value is raised in place.
const CASES: Case[] = [
  {
    fixture: VCL,
    scheme: 'lf',
    expected: 'vcl 4.1;\n\nbackend default {\n    .host = "127.0.0.1";\n    .probe = { .url = "/"; }\n}\n\nsub vcl_recv {\n    unset req.http.X-Drop;\n    unset req.http.X-Keep;\n}\n',
  },
  {
    fixture: VCL,
    scheme: 'crlf',
    expected:
      'vcl 4.1;\r\n\r\nbackend default {\r\n    .host = "127.0.0.1";\r\n    .probe = { .url = "/"; }\r\n}\r\n\r\nsub vcl_recv {\r\n    unset req.http.X-Drop;\r\n    unset req.http.X-Keep;\r\n}\r\n',
  },
  {
    fixture: VCL,
    scheme: 'crlf',
    bom: true,
    expected:
      'vcl 4.1;\r\n\r\nbackend default {\r\n    .host = "127.0.0.1";\r\n    .probe = { .url = "/"; }\r\n}\r\n\r\nsub vcl_recv {\r\n    unset req.http.X-Drop;\r\n    unset req.http.X-Keep;\r\n}\r\n',
  },
  {
    fixture: VCL,
    scheme: 'cr',
    expected: 'vcl 4.1;\r\rbackend default {\r    .host = "127.0.0.1";\r    .probe = { .url = "/"; }\r}\r\rsub vcl_recv {\r    unset req.http.X-Drop;\r    unset req.http.X-Keep;\r}\r',
  },
  {
    fixture: VCL,
    scheme: 'mixed',
    expected:
      'vcl 4.1;\r\n\r\nbackend default {\r\n    .host = "127.0.0.1";\n    .probe = { .url = "/"; }\r\n}\n\r\nsub vcl_recv {\n    unset req.http.X-Drop;\r\n    unset req.http.X-Keep;\n}\r\n',
  },
  {
    fixture: VCL,
    scheme: 'cr-cr-lf',
    expected: 'vcl 4.1;\n\nbackend default {\n    .host = "127.0.0.1";\r\r\n    .probe = { .url = "/"; }\n}\n\nsub vcl_recv {\n    unset req.http.X-Drop;\n    unset req.http.X-Keep;\n}\n',
  },
  {
    fixture: PARAMS,
    scheme: 'crlf',
    expected:
      '[Service]\r\nExecStart=\r\nExecStart=/usr/sbin/varnishd -a :6081 \\\r\n  -f /etc/varnish/default.vcl \\\r\n  -p http_resp_hdr_len=64k \\\r\n  -p http_resp_size=72k \\\r\n  -p workspace_backend=104k\r\n',
  },
  {
    fixture: PARAMS,
    scheme: 'crlf',
    bom: true,
    expected:
      '[Service]\r\nExecStart=\r\nExecStart=/usr/sbin/varnishd -a :6081 \\\r\n  -f /etc/varnish/default.vcl \\\r\n  -p http_resp_hdr_len=64k \\\r\n  -p http_resp_size=72k \\\r\n  -p workspace_backend=104k\r\n',
  },
  {
    fixture: PARAMS,
    scheme: 'mixed',
    expected:
      '[Service]\r\nExecStart=\nExecStart=/usr/sbin/varnishd -a :6081 \\\r\n  -f /etc/varnish/default.vcl \\\n  -p http_resp_hdr_len=64k \\\r\n  -p http_resp_size=72k \\\r\n  -p workspace_backend=104k\r\n',
  },
  {
    fixture: PARAMS,
    scheme: 'cr-cr-lf',
    expected:
      '[Service]\nExecStart=\r\r\nExecStart=/usr/sbin/varnishd -a :6081 \\\n  -f /etc/varnish/default.vcl \\\n  -p http_resp_hdr_len=64k \\\n  -p http_resp_size=72k \\\n  -p workspace_backend=104k\n',
  },
  // systemd reads lines up to `\n` only: a CR-only unit is one long line to it, has no ExecStart= and gets no fix.
  {
    fixture: PARAMS,
    scheme: 'cr',
    expected: '[Service]\rExecStart=\rExecStart=/usr/sbin/varnishd -a :6081 \\\r  -f /etc/varnish/default.vcl \\\r  -p http_resp_hdr_len=64k\r',
  },
  {
    fixture: SMALL,
    scheme: 'cr-cr-lf',
    expected: '[Service]\nExecStart=\r\r\nExecStart=/usr/sbin/varnishd -a :6081 -f /etc/varnish/default.vcl -p http_resp_hdr_len=8k\n',
  },
  {
    fixture: SMALL,
    scheme: 'crlf',
    bom: true,
    expected: '[Service]\r\nExecStart=\r\nExecStart=/usr/sbin/varnishd -a :6081 -f /etc/varnish/default.vcl -p http_resp_hdr_len=8k\r\n',
  },
];

describe('--fix keeps every line ending (one line model)', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'vcl-eol-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  for (const c of CASES) {
    it(`${c.fixture}, ${c.scheme}${c.bom ? ' with a BOM' : ''}`, () => {
      const eol = SCHEMES[c.scheme]!;
      const text = fixtureLines(c.fixture)
        .map((l, i) => l + eol(i))
        .join('');
      const file = join(dir, c.fixture);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, (c.bom ? '\uFEFF' : '') + text);
      let stderr = '';
      const status = runCli(['--fix', file], { stdout: () => {}, stderr: (s) => (stderr += s) });
      assert.equal(stderr, '');
      assert.ok(status === 0 || status === 1, `exit ${status}`);
      const bytes = readFileSync(file);
      assert.deepEqual(JSON.stringify(bytes.toString('utf8')), JSON.stringify((c.bom ? '\uFEFF' : '') + c.expected));
    });
  }
});

describe('LineIndex', () => {
  const cases: Array<[string, string, number[]]> = [
    // text, description, offset of each line's start
    ['a\nb\nc', 'LF', [0, 2, 4]],
    ['a\r\nb\r\nc', 'CRLF', [0, 3, 6]],
    ['a\rb\rc', 'CR', [0, 2, 4]],
    ['a\r\r\nb', 'CR then CRLF', [0, 2, 4]],
    ['a\n\r\nb\rc\n', 'mixed, final break', [0, 2, 4, 6, 8]],
  ];
  for (const [text, what, starts] of cases) {
    it(`counts lines as LSP does: ${what}`, () => {
      const index = new LineIndex(text);
      assert.equal(index.lineCount, starts.length);
      starts.forEach((s, line) => {
        assert.deepEqual(index.position(s), { line, character: 0 });
        assert.equal(index.offset({ line, character: 0 }), s);
      });
    });
  }

  it('clamps a character past the end of a line to before its line break', () => {
    const index = new LineIndex('ab\r\ncd\ref');
    assert.equal(index.offset({ line: 0, character: 99 }), 2);
    assert.equal(index.offset({ line: 1, character: 99 }), 6);
    assert.equal(index.offset({ line: 2, character: 99 }), 9);
    assert.equal(index.lineBreak(0), '\r\n');
    assert.equal(index.lineBreak(1), '\r');
    assert.equal(index.lineBreak(2), undefined);
  });

  it("applyFixes writes a fix's line breaks as the file's", () => {
    const fix = (line: number, newText: string): LintDiagnostic => ({
      rule: 'x',
      severity: 'warning',
      message: 'x',
      range: { start: { line, character: 0 }, end: { line, character: 0 } },
      fixes: [{ title: 'x', edits: [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, newText }] }],
    });
    assert.equal(applyFixes('a\r\nb\r\n', [fix(1, 'x\ny\n')]).text, 'a\r\nx\r\ny\r\nb\r\n');
    assert.equal(applyFixes('a\rb\r', [fix(1, 'x\n')]).text, 'a\rx\rb\r');
    assert.equal(applyFixes('a\nb\n', [fix(1, 'x\n')]).text, 'a\nx\nb\n');
    // The last line has no break: the one before it counts.
    assert.equal(applyFixes('a\r\nb', [fix(1, 'x\n')]).text, 'a\r\nx\r\nb');
  });
});
