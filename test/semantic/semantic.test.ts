/** Data-driven semantic checks: each case expects one rule on one line, or a clean program. */
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lintText } from '../../server/src/service/lint.js';
import { PRELUDE, semanticCases } from './cases.js';
import { skipBecause } from '../helpers/skip.js';

const preludeLines = PRELUDE.split('\n').length - 1;

describe('semantic checks (data-driven)', () => {
  for (const c of semanticCases) {
    it(`${c.name}: ${c.expect ?? 'clean'}`, () => {
      const errors = lintText(PRELUDE + c.body + '\n').filter((d) => d.severity === 'error');
      const found = errors.map((d) => `${d.rule}@${d.range.start.line - preludeLines + 1}`);
      if (c.expect === null) assert.deepEqual(found, []);
      else assert.ok(found.includes(c.expect), `expected ${c.expect}, got ${JSON.stringify(errors.map((d) => `${d.rule}@${d.range.start.line - preludeLines + 1}: ${d.message}`))}`);
    });
  }
});

describe('vmods found by path', () => {
  const installed = '/usr/lib/x86_64-linux-gnu/varnish/vmods';
  it('checks calls on `import std from "<path>"` against that library (read as bytes)', function () {
    if (!existsSync(`${installed}/libvmod_std.so`)) skipBecause(this, `installed vmods not found in ${installed}`);
    const text = `${PRELUDE}import std from "${installed}/libvmod_std.so";\nsub vcl_recv {\n  std.nosuch("x");\n}\n`;
    const found = lintText(text).filter((d) => d.severity === 'error').map((d) => d.rule);
    assert.deepEqual(found, ['call-arguments']);
  });

  it('looks vmods up along vmodPath (a vmod the built-in table does not know)', function () {
    if (!existsSync(`${installed}/libvmod_std.so`)) skipBecause(this, `installed vmods not found in ${installed}`);
    const dir = mkdtempSync(join(tmpdir(), 'vmod-path-'));
    try {
      // std's library under another name: only the vmod path can explain `mystd`.
      copyFileSync(`${installed}/libvmod_std.so`, join(dir, 'libvmod_mystd.so'));
      const text = `${PRELUDE}import mystd;\nsub vcl_recv {\n  mystd.log("x");\n  mystd.nosuch("x");\n}\n`;
      const errors = (opts: { vmodPath?: string[] }) => lintText(text, opts).filter((d) => d.severity === 'error').map((d) => `${d.rule}@${d.range.start.line}`);
      assert.deepEqual(errors({ vmodPath: [dir] }), ['call-arguments@5']);
      assert.deepEqual(errors({}), []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
