/**
 * The tests ask varnishd for VCC's verdict and skip the C compiler (see
 * test/helpers/vcc-only.ts). This file shows, on the installed varnishd, that
 * the shortcut gives the verdict of a whole build on each kind of program it
 * meets (accepted, refused by VCC, accepted with VCC's warnings, inline C),
 * and that a run allowing inline C still builds the C program when the
 * program has some, so a C error in it is still a refusal.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileTextWithVarnishd, findVarnishd } from '../helpers/varnishd.js';
import { needsCCompiler, vccOnlyArgs } from '../helpers/vcc-only.js';
import { skipBecause } from '../helpers/skip.js';

const HEAD = 'vcl 4.1;\nbackend b { .host = "127.0.0.1"; }\n';
const INLINE_C = ['-p', 'vcc_allow_inline_c=on'];

/** [title, program, varnishd arguments, accepted by a whole build, the C compiler needed] */
const CASES: [string, string, string[], boolean, boolean][] = [
  ['an accepted program', `${HEAD}sub vcl_recv { set req.http.x = "1"; }\n`, [], true, false],
  ['a syntax error', `${HEAD}sub vcl_recv { set req.http.x = ; }\n`, [], false, false],
  ['an unknown variable', `${HEAD}sub vcl_recv { set req.nope = "1"; }\n`, [], false, false],
  ['an unused ACL, refused by default', `${HEAD}acl a { "1.2.3.4"; }\n`, [], false, false],
  ['an unused ACL, a warning with vcc_err_unref=off', `${HEAD}acl a { "1.2.3.4"; }\n`, ['-p', 'vcc_err_unref=off'], true, false],
  ['inline C, not allowed', `${HEAD}sub vcl_recv { C{ int x = 1; }C }\n`, [], false, false],
  ['inline C, allowed and valid', `${HEAD}sub vcl_recv { C{ (void)ctx; }C }\n`, INLINE_C, true, true],
  ['inline C, allowed and not C', `${HEAD}sub vcl_recv { C{ this is not C; }C }\n`, INLINE_C, false, true],
  ['inline C allowed, a program without any', `${HEAD}sub vcl_recv { set req.http.x = "1"; }\n`, INLINE_C, true, false],
  ['inline C allowed, a program without any, with a VCC error', `${HEAD}sub vcl_recv { set req.nope = "1"; }\n`, INLINE_C, false, false],
];

describe('VCC-only verdicts agree with a whole build (live)', function () {
  this.timeout(120_000);
  const varnishd = findVarnishd();

  it('asks for the C compiler only where inline C is allowed or the compiler is set', () => {
    assert.deepEqual(
      [[], ['-p', 'vcc_err_unref=off'], INLINE_C, ['-p', 'vcc_feature=+allow_inline_c'], ['-p', 'cc_command=exec gcc %s']].map((a) => needsCCompiler(a)),
      [false, false, true, true, true],
    );
    // The program known whole: inline C allowed needs the C compiler only when the program has some, or may include some.
    const texts = [`${HEAD}sub vcl_recv { }\n`, `${HEAD}sub vcl_recv { C{ }C }\n`, `${HEAD}include "x.vcl";\n`];
    assert.deepEqual(texts.map((t) => needsCCompiler(INLINE_C, t)), [false, true, true]);
    assert.deepEqual(texts.map((t) => needsCCompiler(['-p', 'cc_command=exec gcc %s'], t)), [true, true, true]);
    assert.deepEqual(vccOnlyArgs(['-p', 'a=b']).args, ['-p', 'cc_command=:', '-p', 'a=b']);
  });

  for (const [title, text, args, accepted, cc] of CASES) {
    it(`${title}: ${accepted ? 'accepted' : 'refused'}${cc ? ' (C compiler run)' : ''}`, function () {
      if (!varnishd) skipBecause(this, 'varnishd not found');
      assert.equal(needsCCompiler(args, text), cc);
      assert.equal(wholeBuild(varnishd, text, args), accepted, 'a whole build');
      assert.equal(compileTextWithVarnishd(varnishd, text, args).accepted, accepted, 'the test helpers');
    });
  }
});

/** varnishd -C with its own C compiler: the verdict the shortcut must match. */
function wholeBuild(varnishd: string, text: string, args: readonly string[]): boolean {
  const dir = mkdtempSync(join(tmpdir(), 'vcl-whole-'));
  try {
    chmodSync(dir, 0o755);
    const file = join(dir, 'p.vcl');
    writeFileSync(file, text);
    chmodSync(file, 0o644);
    const r = spawnSync(varnishd, ['-C', '-f', file, '-n', join(dir, 'n'), ...args], { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
    return r.status === 0;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
