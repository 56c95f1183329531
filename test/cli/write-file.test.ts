/**
 * How `--fix` and `--fmt` write: through a temporary file and a rename,
 * keeping mode, owner, BOM and line endings; never over a file that
 * changed since it was read, never when the disk is full, and never
 * through a symbolic link that leads out of the named trees.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { chmodSync, chownSync, linkSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../server/src/cli/run.js';
import { writeFileAtomically, type WriterFs } from '../../server/src/cli/write-file.js';

const VCL3 = 'vcl 4.1;\r\nbackend b { .host = "127.0.0.1"; .probe = { .url = "/"; } }\r\nsub vcl_recv {\r\n    remove req.http.X-Drop;\r\n}\r\n';
const VCL3_FIXED = 'vcl 4.1;\r\nbackend b { .host = "127.0.0.1"; .probe = { .url = "/"; } }\r\nsub vcl_recv {\r\n    unset req.http.X-Drop;\r\n}\r\n';

function cli(args: string[]): { status: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const status = runCli(args, { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) });
  return { status, stdout, stderr };
}

const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;

describe('atomic, safe writes of --fix and --fmt', function () {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'vcl-write-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('--fix keeps the BOM, the CRLF line endings, the mode and the owner, and leaves no temporary file', function () {
    const file = join(dir, 'a.vcl');
    writeFileSync(file, '\uFEFF' + VCL3);
    chmodSync(file, 0o640);
    if (isRoot) chownSync(file, 1234, 5678);
    const before = statSync(file);
    const r = cli(['--fix', file]);
    assert.equal(r.stderr, '');
    assert.equal(r.status, 0);
    assert.deepEqual(readFileSync(file), Buffer.from('\uFEFF' + VCL3_FIXED, 'utf8'));
    const after = statSync(file);
    assert.equal(after.mode & 0o7777, 0o640);
    assert.equal(after.uid, before.uid);
    assert.equal(after.gid, before.gid);
    if (isRoot) assert.deepEqual([after.uid, after.gid], [1234, 5678]);
    assert.notEqual(after.ino, before.ino, 'replaced by a rename, not written in place');
    assert.deepEqual(readdirSync(dir), ['a.vcl']);
  });

  it('refuses to write a file that changed since it was read (a save meanwhile), and keeps the new content', () => {
    const file = join(dir, 'a.vcl');
    writeFileSync(file, VCL3);
    const read = readFileSync(file);
    // The user saves while the linter works on what it read.
    writeFileSync(file, VCL3 + '# my edit\r\n');
    const w = writeFileAtomically({ path: file, display: file, expected: read, bytes: Buffer.from(VCL3_FIXED), roots: [dir] });
    assert.deepEqual(w, { ok: false, message: `cannot write '${file}': it changed since it was read (saved meanwhile?); not written, run again` });
    assert.equal(readFileSync(file, 'utf8'), VCL3 + '# my edit\r\n');
    assert.deepEqual(readdirSync(dir), ['a.vcl']);
  });

  it('a full disk (simulated: a write stops half way with ENOSPC) leaves the file whole and no temporary file', () => {
    const file = join(dir, 'a.vcl');
    writeFileSync(file, VCL3);
    let calls = 0;
    const full: WriterFs = {
      statSync: fs.statSync,
      realpathSync: (p) => fs.realpathSync(p as string),
      openSync: fs.openSync,
      writeSync: (fd, buffer, offset, length) => {
        if (calls++ > 0) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        return fs.writeSync(fd, buffer, offset, Math.ceil(length / 2));
      },
      fsyncSync: fs.fsyncSync,
      fchmodSync: fs.fchmodSync,
      fchownSync: fs.fchownSync,
      fstatSync: fs.fstatSync,
      closeSync: fs.closeSync,
      renameSync: fs.renameSync,
      unlinkSync: fs.unlinkSync,
      readFileSync: (p) => fs.readFileSync(p),
    };
    const w = writeFileAtomically({ path: file, display: file, expected: Buffer.from(VCL3), bytes: Buffer.from(VCL3_FIXED + '#'.repeat(4096)), roots: [dir], fs: full });
    assert.deepEqual(w, { ok: false, message: `cannot write '${file}': the new text could not be written (no space left on device); the file is unchanged` });
    assert.equal(calls, 2, 'the short write was continued, then failed');
    assert.equal(readFileSync(file, 'utf8'), VCL3);
    assert.deepEqual(readdirSync(dir), ['a.vcl']);
  });

  it('a full disk (a real 64 KB tmpfs) leaves the file whole: --fix exits 2 with one line', function () {
    const mnt = join(dir, 'small');
    mkdirSync(mnt);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mnt], { stdio: 'pipe' });
    } catch {
      this.skip(); // mounting a tmpfs needs root (and a kernel that allows it); the simulated case above still runs
    }
    try {
      // 40 KB: the original and its replacement cannot both fit in 64 KB.
      const lines = Array.from({ length: 1400 }, (_, i) => `    remove req.http.X-${String(i).padStart(5, '0')};\n`).join('');
      const text = `vcl 4.1;\nbackend b { .host = "127.0.0.1"; .probe = { .url = "/"; } }\nsub vcl_recv {\n${lines}}\n`;
      assert.ok(text.length > 36 * 1024 && text.length < 60 * 1024);
      const file = join(mnt, 'big.vcl');
      writeFileSync(file, text);
      const r = cli(['--fix', file]);
      assert.equal(r.status, 2);
      assert.match(r.stderr, /^vcl-lint: cannot write '.*big\.vcl': the new text could not be written \(no space left on device\); the file is unchanged\n$/);
      assert.equal(readFileSync(file, 'utf8'), text);
      assert.deepEqual(readdirSync(mnt), ['big.vcl']);
    } finally {
      execFileSync('umount', [mnt]);
    }
  });

  it('does not write through a symbolic link that leads out of the named directory, and says where it leads', () => {
    mkdirSync(join(dir, 'tree'));
    mkdirSync(join(dir, 'outside'));
    const target = join(dir, 'outside', 't.vcl');
    writeFileSync(target, VCL3);
    symlinkSync(target, join(dir, 'tree', 'link.vcl'));
    writeFileSync(join(dir, 'tree', 'own.vcl'), VCL3);
    const r = cli(['--fix', join(dir, 'tree')]);
    assert.equal(r.status, 2);
    assert.equal(
      r.stderr,
      `vcl-lint: cannot write '${join(dir, 'tree', 'link.vcl')}': it leads through a symbolic link to '${target}', outside the files and directories named on the command line; not written (name the target to change it)\n`,
    );
    assert.equal(readFileSync(target, 'utf8'), VCL3);
    assert.equal(readFileSync(join(dir, 'tree', 'own.vcl'), 'utf8'), VCL3_FIXED, 'the other file is still fixed');
    // The file that was not written is still reported, as it is on disk.
    const j = cli(['--fix', '--format', 'json', join(dir, 'tree')]);
    assert.equal(j.status, 2);
    const unwritten = (JSON.parse(j.stdout) as { files: Array<{ path: string; diagnostics: Array<{ rule: string }> }> }).files.find((f) => f.path === join(dir, 'tree', 'link.vcl'));
    assert.ok(unwritten && unwritten.diagnostics.some((d) => d.rule === 'vcl3-construct'), j.stdout);
    // --fmt goes through the same writer.
    writeFileSync(target, 'vcl 4.1;\nbackend b {.host="127.0.0.1";}\n');
    const f = cli(['--fmt', join(dir, 'tree', 'link.vcl')]);
    assert.equal(f.status, 2);
    assert.match(f.stderr, /it leads through a symbolic link to '.*outside\/t\.vcl', outside the files and directories named/);
    assert.equal(readFileSync(target, 'utf8'), 'vcl 4.1;\nbackend b {.host="127.0.0.1";}\n');
  });

  it('writes the target of a symbolic link inside the named directory, and the link stays a link', () => {
    mkdirSync(join(dir, 'tree', 'real'), { recursive: true });
    const target = join(dir, 'tree', 'real', 't.vcl');
    writeFileSync(target, VCL3);
    symlinkSync(target, join(dir, 'tree', 'a-link.vcl'));
    const r = cli(['--fix', join(dir, 'tree')]);
    assert.equal(r.stderr, '');
    assert.equal(r.status, 0);
    assert.ok(lstatSync(join(dir, 'tree', 'a-link.vcl')).isSymbolicLink());
    assert.equal(readFileSync(target, 'utf8'), VCL3_FIXED);
  });

  it('does not write a file with several hard links (a rename would split them)', () => {
    const file = join(dir, 'a.vcl');
    writeFileSync(file, VCL3);
    linkSync(file, join(dir, 'other-name'));
    const r = cli(['--fix', file]);
    assert.equal(r.status, 2);
    assert.equal(r.stderr, `vcl-lint: cannot write '${file}': it has 2 hard links, and replacing it would leave the others with the old text; not written\n`);
    assert.equal(readFileSync(join(dir, 'other-name'), 'utf8'), VCL3);
  });
});
