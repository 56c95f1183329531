/**
 * VCL fixes proven against the real compiler: a VCL 3 file, one that uses
 * director objects where a backend is wanted and one that imports a vmod
 * below its first use, which varnishd refuses, become, after applying every fix (as `vcl-lint --fix` does), files
 * varnishd 7.1 compiles, and the linter reports no error on them; a file
 * full of 503 and probe hazards loses every finding that has a safe fix and
 * still compiles.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lintText } from '../../server/src/service/lint.js';
import { fixText } from '../../server/src/cli/fix.js';
import { projectRoot } from '../conformance/corpus.js';
import { compileTextWithVarnishd, findVarnishd } from '../helpers/varnishd.js';
import { skipBecause } from '../helpers/skip.js';

/** A fixture varnishd refuses, whose fixes (all applied, as `vcl-lint --fix` does) make a program it compiles. */
function refusedThenCompiled(fixture: string, what: string): void {
  describe(`VCL fixes are accepted by varnishd -C: ${what} (live)`, function () {
    this.timeout(120_000);
    const file = join(projectRoot, 'test/fixtures/fixes', fixture);
    const original = readFileSync(file, 'utf8');
    const fixed = fixText(original, (t) => lintText(t)).text;

    it('leaves no error after fixing the file', () => {
      assert.ok(lintText(original).some((d) => d.severity === 'error'));
      const left = lintText(fixed).filter((d) => d.severity === 'error');
      assert.deepEqual(left.map((d) => `${d.rule}: ${d.message}`), [], fixed);
    });

    it('varnishd refuses the original and compiles the fixed file', function () {
      const varnishd = findVarnishd();
      if (!varnishd) skipBecause(this, 'varnishd not found');
      assert.equal(compileTextWithVarnishd(varnishd, original).accepted, false);
      const v = compileTextWithVarnishd(varnishd, fixed);
      assert.equal(v.accepted, true, `${v.message}\n${fixed}`);
    });
  });
}

refusedThenCompiled('vcl3-site.vcl', 'a VCL 3 file');
refusedThenCompiled('director-objects.vcl', 'a director used as a backend, a constructor without parentheses');
refusedThenCompiled('import-below.vcl', 'a vmod imported below its first use');

describe('safe fixes of the 503 and probe rules are accepted by varnishd -C (live)', function () {
  this.timeout(120_000);
  const file = join(projectRoot, 'test/fixtures/fixes/503-hygiene.vcl');
  const original = readFileSync(file, 'utf8');
  const result = fixText(original, (t) => lintText(t));
  const safelyFixable = (t: string) => lintText(t).filter((d) => d.fixes?.some((f) => !f.manual)).map((d) => `${d.rule}: ${d.message}`);

  it('applies fixes and leaves no finding that has a safe fix', () => {
    const before = safelyFixable(original);
    for (const rule of ['retry-after-missing', 'probe-sanity']) assert.ok(before.some((m) => m.startsWith(rule)), `${rule} has no safe fix in the fixture`);
    assert.ok(result.applied >= 2, `applied ${result.applied}`);
    assert.deepEqual(safelyFixable(result.text), [], result.text);
    assert.deepEqual(lintText(result.text).filter((d) => d.severity === 'error'), []);
  });

  it('varnishd compiles the fixed file', function () {
    const varnishd = findVarnishd();
    if (!varnishd) skipBecause(this, 'varnishd not found');
    const v = compileTextWithVarnishd(varnishd, result.text);
    assert.equal(v.accepted, true, `${v.message}\n${result.text}`);
  });
});
