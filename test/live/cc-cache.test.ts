/**
 * The live tests' compiler cache (cc-cache.ts) skips only identical work:
 * run against a stand-in compiler that counts its runs, the same source and
 * arguments compile once, and a changed source, a changed argument or a
 * failing compile reach the compiler again; a failure is never kept.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ccCachePath } from './cc-cache.js';
import { skipBecause } from '../helpers/skip.js';

describe("the live tests' C compiler cache", () => {
  let base: string;
  let shim: string;
  let fake: string;
  let path: string;
  before(function () {
    if (process.env['VCL_TEST_CC_CACHE'] === '0') skipBecause(this, 'VCL_TEST_CC_CACHE=0: the cache is off');
    base = mkdtempSync(join(tmpdir(), 'cc-cache-test-'));
    fake = join(base, 'fake');
    mkdirSync(fake);
    // Counts its runs; writes the source and its arguments to the output; fails on a source that says so.
    writeFileSync(
      join(fake, 'x86_64-linux-gnu-gcc'),
      `#!/bin/sh\necho run >> "${join(base, 'runs')}"\nout=; prev=; for a in "$@"; do [ "$prev" = "-o" ] && out=$a; prev=$a; done\neval "src=\\$$#"\ngrep -q FAIL "$src" && { echo "error in $src" >&2; exit 3; }\n{ cat "$src"; echo "$@"; } > "$out"\n`,
    );
    chmodSync(join(fake, 'x86_64-linux-gnu-gcc'), 0o755);
    const inner = ccCachePath(base, `${fake}:/usr/bin:/bin`)!.split(':')[0]!;
    shim = join(base, inner, 'x86_64-linux-gnu-gcc');
    path = `${join(base, inner)}:${fake}:/usr/bin:/bin`;
  });
  after(() => {
    if (base) rmSync(base, { recursive: true, force: true });
  });

  const runs = (): number => {
    try {
      return readFileSync(join(base, 'runs'), 'utf8').split('\n').filter(Boolean).length;
    } catch {
      return 0;
    }
  };
  const compile = (source: string, extra: string[] = []): { code: number | null; out: string; stderr: string } => {
    const dir = mkdtempSync(join(base, 'vcl-'));
    writeFileSync(join(dir, 'vgc.c'), source);
    // As varnishd runs it: in the VCL's build folder, with names relative to it.
    const r = spawnSync(shim, ['-O2', ...extra, '-o', 'vgc.so', 'vgc.c'], { cwd: dir, encoding: 'utf8', env: { ...process.env, PATH: path } });
    let out = '';
    try {
      out = readFileSync(join(dir, 'vgc.so'), 'utf8');
    } catch {
      // No output.
    }
    return { code: r.status, out, stderr: r.stderr };
  };

  it('compiles a source once; the second time the kept object is copied out, byte for byte', () => {
    const first = compile('int a;\n');
    assert.equal(first.code, 0, first.stderr);
    assert.equal(runs(), 1);
    const second = compile('int a;\n');
    assert.equal(second.code, 0, second.stderr);
    assert.equal(runs(), 1, 'not compiled again');
    assert.equal(second.out, first.out);
  });

  it('a changed source or a changed argument is compiled again', () => {
    const before = runs();
    assert.equal(compile('int b;\n').code, 0);
    assert.equal(compile('int b;\n', ['-g']).code, 0);
    assert.equal(runs(), before + 2);
  });

  it("a failing compile keeps the compiler's code and message, and is not kept", () => {
    const before = runs();
    const r = compile('FAIL\n');
    assert.equal(r.code, 3);
    assert.match(r.stderr, /error in/);
    assert.equal(compile('FAIL\n').code, 3);
    assert.equal(runs(), before + 2);
  });
});
