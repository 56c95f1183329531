/**
 * Pattern matching over user text stays linear: each case is a 1 MB line
 * shaped to make a backtracking regular expression try every split of it
 * (the shapes that were found slow: seconds on 14 KB, never returning on
 * 10 MB). A quadratic matcher takes minutes on these inputs, a linear one
 * milliseconds; the budget is measured here and the assertion allows three
 * times as much, so that a loaded machine never fails it.
 */
import assert from 'node:assert/strict';
import { detectByContent, readParamsFile } from '../../server/src/params/detect.js';
import { formatVcl, isFormatted } from '../../server/src/format/format.js';
import { formatStylish } from '../../server/src/cli/format-stylish.js';
import type { FileReport } from '../../server/src/cli/report.js';
import type { LintDiagnostic } from '../../server/src/service/types.js';
import { prng } from '../helpers/prng.js';

const MB = 1 << 20;
/**
 * Measured on the 2-core test machine: detection and the stylish format
 * take 5–120 ms per 1 MB case; the readers and the formatter, which keep an
 * offset per character, 15–900 ms. A quadratic matcher needs minutes.
 */
const BUDGET_MS = 250;
const READER_BUDGET_MS = 1000;

function timed<T>(label: string, f: () => T, budget = BUDGET_MS): T {
  const t0 = performance.now();
  const out = f();
  const ms = performance.now() - t0;
  assert.ok(ms < 3 * budget, `${label}: ${ms.toFixed(0)} ms (budget ${budget} ms)`);
  return out;
}

const line = (unit: string, end = '') => unit.repeat(Math.ceil(MB / unit.length)) + end;

describe('linear matching on 1 MB lines', () => {
  describe('parameter file detection by content', () => {
    const cases: Array<[string, string]> = [
      ['env and a long path without the name', `env ${line('a/')}x`],
      ['env and blanks', `env ${line(' ')}x`],
      ['a long path without the name', line('/', 'x')],
      ['exec and a long path', `exec ${line('/')}varnishdx`],
      ['the name again and again, never ending a word', line('varnishd', 'x')],
      ["Vinyl Cache's name again and again, never ending a word", line('vinyld', 'x')],
      ['both names glued together', line('vinyldvarnishd', 'x')],
      ['the name after a path of blanks', `${line('/ ')}varnishd`],
      ['blanks, then the name glued to a word', `${line(' ')}xvarnishd`],
      ['FROM with many options', `FROM ${line('--a ')}x`],
      ['an image line', `services:\n  image: ${line('varnis')}`],
    ];
    for (const [name, text] of cases) {
      it(name, () => {
        timed(name, () => detectByContent(text));
      });
    }

    it('still finds the commands it found before (same answers as the old expression on short random lines)', () => {
      // The old single expression, fast enough on lines of a few dozen characters.
      const old = /^[ \t]*(exec[ \t]+|nohup[ \t]+|env[ \t][^\n]*)?(\S*\/)?varnishd([ \t]|\\?\r?$)/m;
      const pieces = ['varnishd', ' ', '\t', '/', 'usr', 'exec', 'nohup', 'env', 'A=1', '\\', '\r', '\n', 'x', '-a', 'sbin/', '"', 'varnish', 'd'];
      const rnd = prng(65);
      for (let i = 0; i < 20_000; i++) {
        let text = '';
        for (let n = 1 + Math.floor(rnd() * 8); n > 0; n--) text += pieces[Math.floor(rnd() * pieces.length)];
        const expected = old.test(text) ? 'shell-script' : undefined;
        // The pieces make none of the other kinds (no ExecStart, FROM, services:, VARNISH_ variables).
        assert.equal(detectByContent(text), expected, JSON.stringify(text));
        // Vinyl Cache's vinyld counts wherever varnishd does.
        const vinyl = text.replaceAll('varnishd', 'vinyld');
        if (vinyl !== text) assert.equal(detectByContent(vinyl), expected, JSON.stringify(vinyl));
      }
    });

    it('a 14 KB shell script without an extension, read as a parameter file', () => {
      const script = `#!/bin/sh\nenv ${'A=b '.repeat(3500)}\n`;
      timed('14 KB script', () => detectByContent(script));
      timed('14 KB script, read', () => readParamsFile('/srv/start', script, 'shell-script'), READER_BUDGET_MS);
    });
  });

  it('formatting a comment of blanks that ends in a character', () => {
    const text = `vcl 4.1;\n#${line(' ')}x\nbackend b { .host = "127.0.0.1"; }\n`;
    const r = timed('format', () => formatVcl(text), READER_BUDGET_MS);
    assert.ok(isFormatted(r));
  });

  it('formatting a comment that ends in 1 MB of blanks (they are dropped)', () => {
    const text = `vcl 4.1;\n# x${line(' \t')}\nbackend b { .host = "127.0.0.1"; }\n`;
    const r = timed('format', () => formatVcl(text), READER_BUDGET_MS);
    assert.ok(isFormatted(r));
    assert.ok(r.text.includes('# x\n'), r.text.slice(0, 40));
  });

  it('a Dockerfile line of blanks that does not end in a continuation', () => {
    const text = `FROM varnish:7.1\nCMD ["varnishd", "-F", "-f", "/etc/varnish/default.vcl"]${line(' ')}x\n`;
    timed('Dockerfile', () => readParamsFile('Dockerfile', text), READER_BUDGET_MS);
  });

  it('a `sh -c` option word of a million letters', () => {
    const text = `[Service]\nExecStart=/bin/sh -${line('c')}! "exec varnishd -a :80"\n`;
    timed('systemd sh -c', () => readParamsFile('/etc/systemd/system/varnish.service', text), READER_BUDGET_MS);
  });

  describe('stylish output', () => {
    const diagnostic = (message: string, line = 0): LintDiagnostic => ({
      rule: 'syntax',
      severity: 'error',
      message,
      range: { start: { line, character: 0 }, end: { line, character: 1 } },
    });

    it('a message of 1 MB of blanks without a line break', () => {
      const out = timed('stylish', () => formatStylish([{ path: 'a.vcl', language: 'vcl', diagnostics: [diagnostic(`a${line(' ')}b`)] }]));
      assert.ok(out.includes(`a${line(' ')}b`), 'blanks without a line break are kept');
    });

    it('line breaks and the blanks around them still become one space', () => {
      const out = formatStylish([{ path: 'a.vcl', language: 'vcl', diagnostics: [diagnostic('one  \r\n\t two\n\nthree  four')] }]);
      assert.match(out, /one two three {2}four/);
    });

    it('150,000 diagnostics in one file are all printed', function () {
      this.timeout(60_000);
      const diagnostics = Array.from({ length: 150_000 }, (_, i) => diagnostic(`problem ${i}`, i));
      const files: FileReport[] = [{ path: 'big.vcl', language: 'vcl', diagnostics }];
      const out = formatStylish(files);
      assert.match(out, /✖ 150000 problems \(150000 errors, 0 warnings\)/);
      assert.ok(out.includes('150000:1  error  problem 149999'), 'the last row, aligned');
    });
  });
});
