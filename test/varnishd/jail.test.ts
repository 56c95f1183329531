/**
 * The spawner runs a release's compiler jailed from one long-lived mount
 * namespace (test/helpers/jail.ts) instead of through its wrapper, which
 * makes a namespace per run. Both ways must give the same answer: the same
 * exit code and the same message, for programs accepted and refused, for
 * includes found beside the file and along vcl_path, for a file that cannot
 * be read, and for a folder made anew at a path already mounted.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CHECKED_VERSIONS } from '../../server/src/facts/versions.js';
import { jailOf } from '../helpers/jail.js';
import { oracleMissing, oraclePath } from '../helpers/oracles.js';
import { skipBecause } from '../helpers/skip.js';
import { Spawner } from '../helpers/spawner.js';

/** stderr without the generated C program, cut where the wrapper cuts it, and without the names made from the clock. */
function withoutC(stderr: string): string {
  const out: string[] = [];
  let skip = false;
  let ext = false;
  for (const line of stderr.split('\n')) {
    if (!skip && /^\/\* ---===### .* ###===--- \*\/$/.test(line)) skip = true;
    if (skip && /^\/\* EXTERNAL SYMBOL TABLE/.test(line)) ext = true;
    if (skip) {
      if (ext && line === '*/') skip = ext = false;
      continue;
    }
    out.push(line);
  }
  return out.join('\n').replace(/vcl_boot\.\d+\.\d+/g, 'vcl_boot.N').trim();
}

describe('a release\'s compiler jailed by the spawner answers as its wrapper does (live)', function () {
  this.timeout(120_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'vcl-jail-'));
    chmodSync(dir, 0o755);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const write = (path: string, text: string): string => {
    mkdirSync(join(path, '..'), { recursive: true, mode: 0o755 });
    writeFileSync(path, text, { mode: 0o644 });
    chmodSync(join(path, '..'), 0o755);
    return path;
  };
  const H = 'vcl 4.1;\nbackend b { .host = "127.0.0.1"; }\n';

  for (const release of CHECKED_VERSIONS) {
    it(`${release}: the same exit code and message, run by run`, async function () {
      const missing = oracleMissing(release);
      if (missing) skipBecause(this, missing);
      const bin = oraclePath(release);
      // A wrapper with a root is run jailed (7.1's may run the host's varnishd, unjailed: then both ways are the wrapper).
      if (/^CHROOT='[^']+'$/m.test(readFileSync(bin, 'utf8'))) assert.ok(jailOf(bin), `vcc-${release} runs in a root: the spawner runs it jailed`);
      const base = join(dir, release);
      const lib = join(base, 'lib');
      write(join(lib, 'part.vcl'), 'sub vcl_recv { set req.http.x = "1"; }\n');
      write(join(base, 'beside', 'part.vcl'), 'sub vcl_recv { set req.http.y = "1"; }\n');
      const runs: Array<[string, string[]]> = [
        ['accepted, VCC only', [write(join(base, 'ok.vcl'), H), '-p', 'cc_command=:']],
        ['refused on line 3', [write(join(base, 'bad.vcl'), `${H}sub vcl_recv { set req.http.x = nope; }\n`), '-p', 'cc_command=:']],
        ['include beside the file', [write(join(base, 'beside', 'main.vcl'), `${H}include "./part.vcl";\n`), '-p', 'cc_command=:']],
        ['include along vcl_path', [write(join(base, 'main.vcl'), `${H}include "part.vcl";\n`), '-p', `vcl_path=${lib}`, '-p', 'cc_command=:']],
        ['include not on vcl_path', [join(base, 'main.vcl'), '-p', 'cc_command=:']],
        ['a file that cannot be read', [join(base, 'missing.vcl')]],
      ];
      const spawner = new Spawner(2);
      try {
        const check = async (what: string, args: string[]): Promise<void> => {
          const wrapped = spawnSync(bin, args, { encoding: 'utf8', timeout: 60_000 });
          const jailed = await spawner.run(bin, args);
          assert.equal(jailed.code, wrapped.status, `${what}: exit code (jailed ${jailed.stderr})`);
          if (wrapped.status !== 66) assert.equal(withoutC(jailed.stderr), withoutC(wrapped.stderr), what);
        };
        for (const [what, args] of runs) await check(what, args);
        // A folder made anew where one was mounted: the jailed compiler sees the new one.
        rmSync(lib, { recursive: true, force: true });
        write(join(lib, 'part.vcl'), 'sub vcl_recv { set req.http.x = nope; }\n');
        await check('vcl_path folder made anew', [join(base, 'main.vcl'), '-p', `vcl_path=${lib}`, '-p', 'cc_command=:']);
        const again = await spawner.run(bin, [join(base, 'main.vcl'), '-p', `vcl_path=${lib}`, '-p', 'cc_command=:']);
        assert.match(again.stderr, /Symbol not found: 'nope'/, 'the new part.vcl is the one compiled');
      } finally {
        spawner.dispose();
      }
    });
  }
});
