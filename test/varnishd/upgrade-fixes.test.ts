/**
 * Upgrade fixes proven on the target release's real compiler: a program
 * that an older release compiles and the target refuses gets, with the
 * target selected, fixes that make the target's compiler accept it (and the
 * older one still), and the linter reports no error on the fixed program.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lintText } from '../../server/src/service/lint.js';
import { fixText } from '../../server/src/cli/fix.js';
import type { VarnishVersion } from '../../server/src/facts/versions.js';
import { projectRoot } from '../conformance/corpus.js';
import { compileWithOracle, oracleMissing } from '../helpers/oracles.js';
import { skipBecause } from '../helpers/skip.js';
import { applyEdits } from '../helpers/apply-edits.js';

// [fixture, the release it was written for, the target that refuses it, the rule and how many findings of it]
const cases: Array<[string, VarnishVersion, VarnishVersion, string, number]> = [
  ['upgrade/std-conversions-8.0.vcl', '7.7', '9.0', 'call-arguments', 5],
  ['upgrade/pcre-escapes-7.0.vcl', '6.5', '7.1', 'regex-invalid', 2],
];

describe('upgrade fixes compile on the target release (live)', function () {
  this.timeout(120_000);
  for (const [fixture, from, target, rule, count] of cases) {
    const original = readFileSync(join(projectRoot, 'test/fixtures', fixture), 'utf8');
    const lint = (t: string) => lintText(t, { varnishVersion: target });
    const fixed = fixText(original, lint).text;

    it(`${fixture}: ${count} ${rule} errors for ${target}, none for ${from}, none after the fixes`, () => {
      assert.equal(lintText(original, { varnishVersion: from }).filter((d) => d.severity === 'error').length, 0);
      assert.equal(lint(original).filter((d) => d.rule === rule && d.severity === 'error').length, count);
      assert.deepEqual(lint(fixed).filter((d) => d.severity === 'error').map((d) => d.message), [], fixed);
    });

    it(`${fixture}: ${target}'s compiler refuses the original and compiles the fixed program; ${from}'s compiles both`, function () {
      const missing = oracleMissing(target) ?? oracleMissing(from);
      if (missing) skipBecause(this, missing);
      assert.equal(compileWithOracle(from, original).accepted, true, 'the original is valid for the release it was written for');
      assert.equal(compileWithOracle(target, original).accepted, false);
      const v = compileWithOracle(target, fixed);
      assert.equal(v.accepted, true, `${v.message}\n${fixed}`);
      assert.equal(compileWithOracle(from, fixed).accepted, true);
    });
  }

  it('req.ttl in 9.0: deprecated, and its fix (req.max_age) compiles on 9.0', function () {
    const text = 'vcl 4.1;\nbackend b { .host = "127.0.0.1"; .port = "8080"; }\nsub vcl_recv {\n  set req.ttl = 10s;\n}\n';
    const found = lintText(text, { varnishVersion: '9.0' }).filter((d) => d.rule === 'deprecated-variable');
    assert.equal(found.length, 1);
    assert.equal(lintText(text, { varnishVersion: '7.7' }).filter((d) => d.rule === 'deprecated-variable').length, 0);
    const fixed = fixText(text, (t) => lintText(t, { varnishVersion: '9.0' })).text;
    assert.match(fixed, /set req\.max_age = 10s;/);
    assert.deepEqual(lintText(fixed, { varnishVersion: '9.0' }).filter((d) => d.severity !== 'hint' && d.rule !== 'backend-probe-missing'), []);
    const missing = oracleMissing('9.0');
    if (missing) skipBecause(this, missing);
    assert.equal(compileWithOracle('9.0', text).accepted, true);
    const v = compileWithOracle('9.0', fixed);
    assert.equal(v.accepted, true, v.message);
  });

  it('unset bereq.http.content-length from 7.4: the offered fix (unset bereq.body) compiles on 7.7 and 9.0', function () {
    const text = 'vcl 4.1;\nbackend b { .host = "127.0.0.1"; .port = "8080"; }\nsub vcl_backend_fetch {\n  unset bereq.http.content-length;\n}\n';
    const found = lintText(text, { varnishVersion: '7.7' }).filter((d) => d.rule === 'variable-access');
    assert.equal(found.length, 1);
    const fix = found[0]!.fixes?.[0];
    assert.ok(fix?.manual, 'offered, not applied by --fix: the body goes too');
    assert.equal(lintText(text, { varnishVersion: '7.1' }).filter((d) => d.severity === 'error').length, 0);
    const fixed = text.replace('bereq.http.content-length', fix.edits[0]!.newText);
    assert.match(fixed, /unset bereq\.body;/);
    assert.deepEqual(lintText(fixed, { varnishVersion: '7.7' }).filter((d) => d.severity === 'error'), []);
    for (const release of ['7.7', '9.0'] as const) {
      const missing = oracleMissing(release);
      if (missing) skipBecause(this, missing);
      assert.equal(compileWithOracle(release, text).accepted, false, `${release} refuses the original`);
      const v = compileWithOracle(release, fixed);
      assert.equal(v.accepted, true, `${release}: ${v.message}`);
    }
  });

  it('beresp.storage_hint, gone in 9.0: the offered fix (beresp.storage = storage.s0) compiles on 9.0 and 7.7', function () {
    const text = 'vcl 4.0;\nbackend b { .host = "127.0.0.1"; .port = "8080"; }\nsub vcl_backend_response {\n  set beresp.storage_hint = "s0";\n}\n';
    assert.equal(lintText(text, { varnishVersion: '7.7' }).filter((d) => d.severity === 'error').length, 0);
    const found = lintText(text, { varnishVersion: '9.0' }).filter((d) => d.rule === 'symbol-unknown');
    assert.equal(found.length, 1);
    const fix = found[0]!.fixes?.[0];
    assert.ok(fix?.manual, 'offered only: the storage must exist where varnishd runs');
    const fixed = applyEdits(text, fix.edits);
    assert.match(fixed, /set beresp\.storage = storage\.s0;/);
    assert.deepEqual(lintText(fixed, { varnishVersion: '9.0' }).filter((d) => d.severity === 'error'), []);
    for (const release of ['9.0', '7.7'] as const) {
      const missing = oracleMissing(release);
      if (missing) skipBecause(this, missing);
      const v = compileWithOracle(release, fixed);
      assert.equal(v.accepted, true, `${release}: ${v.message}`);
    }
    assert.equal(compileWithOracle('9.0', text).accepted, false);
  });

  it('set resp.proto, read only from 6.6: the offered fix (the statement removed) compiles on 7.1', function () {
    const text = 'vcl 4.1;\nbackend b { .host = "127.0.0.1"; .port = "8080"; }\nsub vcl_deliver {\n  set resp.proto = "HTTP/1.0";\n  set resp.http.x = "1";\n}\n';
    assert.equal(lintText(text, { varnishVersion: '6.5' }).filter((d) => d.severity === 'error').length, 0);
    const found = lintText(text, { varnishVersion: '7.1' }).filter((d) => d.rule === 'variable-access');
    assert.equal(found.length, 1);
    const fix = found[0]!.fixes?.[0];
    assert.ok(fix?.manual);
    const fixed = applyEdits(text, fix.edits);
    assert.doesNotMatch(fixed, /resp\.proto/);
    assert.deepEqual(lintText(fixed, { varnishVersion: '7.1' }).filter((d) => d.severity === 'error'), []);
    const missing = oracleMissing('7.1');
    if (missing) skipBecause(this, missing);
    assert.equal(compileWithOracle('7.1', text).accepted, false);
    const v = compileWithOracle('7.1', fixed);
    assert.equal(v.accepted, true, v.message);
  });
});
