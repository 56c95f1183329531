/**
 * A file's diagnostics do not depend on the files linted before it in the
 * same run (the parser keeps declarations between files).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../server/src/cli/run.js';
import { clearParseCache } from '../../server/src/syntax/parse.js';

function lintJson(paths: string[]): { status: number; byPath: Map<string, unknown> } {
  let out = '';
  clearParseCache();
  const status = runCli(['--format', 'json', ...paths], { stdout: (s) => (out += s), stderr: () => undefined });
  return { status, byPath: new Map((JSON.parse(out).files as Array<{ path: string; diagnostics: unknown }>).map((f) => [f.path, f.diagnostics])) };
}

describe('vcl-lint: results do not depend on the order of the files', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'vcl-lint-order-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('a version line cut off at the end of one file does not leak into a file where more follows it', () => {
    const d = join(dir, 'd.vcl');
    const c = join(dir, 'c.vcl');
    writeFileSync(d, 'vcl 4.1 ');
    writeFileSync(c, 'vcl 4.1 # vcl-lint-disable syntax\nbackend default { .host = "127.0.0.1"; }\n');
    const alone = lintJson([c]);
    assert.equal(alone.status, 0);
    const after = lintJson([d, c]);
    const before = lintJson([c, d]);
    assert.deepEqual(after.byPath.get(c), alone.byPath.get(c));
    assert.deepEqual(before.byPath.get(c), alone.byPath.get(c));
    assert.deepEqual(after.byPath.get(d), before.byPath.get(d));
  });

  it('the same holds for every pair of declarations cut off at the end of a file', () => {
    // Each text ends in a declaration that is not finished; the same declaration then stands before another one.
    const unfinished = ['vcl 4.1', 'import std', 'include "x.vcl"', 'backend b { .host = "h"', 'sub vcl_recv { set req.http.a = "1"', 'acl a { "1.2.3.4"', 'probe p { .url = "/"'];
    for (const [i, head] of unfinished.entries()) {
      const cut = join(dir, `cut${i}.vcl`);
      const full = join(dir, `full${i}.vcl`);
      writeFileSync(cut, head);
      writeFileSync(full, `${head}\nsub vcl_deliver { }\n`);
      const alone = lintJson([full]);
      const after = lintJson([cut, full]);
      assert.deepEqual(after.byPath.get(full), alone.byPath.get(full), head);
    }
  });
});
