/**
 * Special files everywhere the tools read one: a FIFO (which blocks a
 * plain open or read forever), /dev/zero (endless), /proc files (which
 * report a size of 0 and can crash a plain read) are refused with a
 * message that says why, and quickly. The CLI runs as a child process with
 * a kill timeout, so a regression fails the test instead of hanging it.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readFileSafely } from '../../server/src/io/safe-read.js';
import { discoverFiles } from '../../server/src/cli/discover.js';
import { projectRoot } from '../conformance/corpus.js';

const CLI = join(projectRoot, 'dist', 'cli.cjs');
/** Generous, so a slow machine cannot flake it; the point is that the call returns at all. */
const LIMIT_MS = 5000;
const KILL_MS = 15000;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function vclLint(args: string[], cwd: string): Run {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: KILL_MS, env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - t0 };
}

function mkfifo(path: string): boolean {
  try {
    execFileSync('mkfifo', [path]);
    return true;
  } catch {
    return false;
  }
}

const PROBED = 'backend default { .host = "127.0.0.1"; .probe = { .url = "/"; } }\n';

describe('special files are refused, quickly, with the reason', function () {
  let dir: string;
  beforeEach(function () {
    dir = mkdtempSync(join(tmpdir(), 'vcl-special-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  describe('readFileSafely', () => {
    const cases: Array<[string, () => string | undefined, RegExp]> = [
      ['a FIFO', () => (mkfifo(join(dir, 'p')) ? join(dir, 'p') : undefined), /^is a FIFO \(named pipe\), not a regular file$/],
      ['/dev/zero', () => '/dev/zero', /^is under \/dev, not a regular file to read$/],
      ['/proc/self/pagemap', () => (existsSync('/proc/self/pagemap') ? '/proc/self/pagemap' : undefined), /^is under \/proc/],
      ['/sys/kernel', () => (existsSync('/sys/kernel') ? '/sys/kernel' : undefined), /^is under \/sys/],
      ['a symlink to /dev/zero', () => (symlinkSync('/dev/zero', join(dir, 'z.vcl')), join(dir, 'z.vcl')), /^is under \/dev/],
      ['a directory', () => dir, /^is a directory, not a regular file$/],
    ];
    for (const [what, make, reason] of cases) {
      it(`refuses ${what}`, function () {
        const path = make();
        if (path === undefined) this.skip(); // mkfifo or the pseudo-file is not available on this system
        const t0 = Date.now();
        const r = readFileSafely(path!, { maxBytes: 1024 * 1024 });
        const ms = Date.now() - t0;
        assert.equal(r.ok, false);
        assert.equal(!r.ok && r.kind, 'refused');
        assert.match(!r.ok ? r.reason : '', reason);
        assert.ok(ms < LIMIT_MS, `took ${ms} ms`);
      });
    }

    it('reads a regular file whole, refuses one over the cap, and reads only the head when asked', () => {
      const f = join(dir, 'a.vcl');
      writeFileSync(f, 'x'.repeat(100));
      const whole = readFileSafely(f, { maxBytes: 100 });
      assert.ok(whole.ok && whole.bytes.length === 100);
      const over = readFileSafely(f, { maxBytes: 99 });
      assert.ok(!over.ok && over.kind === 'refused' && /too large/.test(over.reason));
      const head = readFileSafely(f, { maxBytes: 10, head: true });
      assert.ok(head.ok && head.bytes.length === 10 && head.truncated);
      const missing = readFileSafely(join(dir, 'none'), { maxBytes: 10 });
      assert.ok(!missing.ok && missing.kind === 'missing');
    });

    it('takes the real path from the caller when given (the folder walk knows it), and refuses by it', () => {
      const f = join(dir, 'a.vcl');
      writeFileSync(f, 'vcl 4.1;\n');
      assert.ok(readFileSafely(f, { maxBytes: 100, realPath: realpathSync.native(f) }).ok);
      // Told that the file is really under /dev, the reader refuses it without asking the system again.
      const told = readFileSafely(f, { maxBytes: 100, realPath: '/dev/zero' });
      assert.ok(!told.ok && told.kind === 'refused' && /^is under \/dev/.test(told.reason), JSON.stringify(told));
    });

    it('told that a path is a regular file, it still checks the open descriptor: a FIFO and a file over the cap are refused', function () {
      const f = join(dir, 'a.vcl');
      writeFileSync(f, 'x'.repeat(100));
      const ok = readFileSafely(f, { maxBytes: 100, regular: true });
      assert.ok(ok.ok && ok.bytes.length === 100);
      const over = readFileSafely(f, { maxBytes: 99, regular: true });
      assert.ok(!over.ok && over.kind === 'refused' && /^file is too large to analyse \(1 KB; the limit is 1 KB\)$/.test(over.reason), JSON.stringify(over));
      writeFileSync(join(dir, 'empty.vcl'), '');
      const empty = readFileSafely(join(dir, 'empty.vcl'), { maxBytes: 100, regular: true });
      assert.ok(empty.ok && empty.bytes.length === 0);
      if (!mkfifo(join(dir, 'p'))) this.skip(); // no mkfifo here
      const t0 = Date.now();
      const fifo = readFileSafely(join(dir, 'p'), { maxBytes: 100, regular: true });
      assert.ok(Date.now() - t0 < LIMIT_MS);
      assert.ok(!fifo.ok && fifo.kind === 'refused' && /^is a FIFO/.test(fifo.reason), JSON.stringify(fifo));
    });

    it('the folder walk gives each file that is no link its real path, and a link none (its reader resolves it)', () => {
      mkdirSync(join(dir, 'sub'));
      writeFileSync(join(dir, 'sub', 'a.vcl'), 'vcl 4.1;\n' + PROBED);
      writeFileSync(join(dir, 'elsewhere.txt'), 'vcl 4.1;\n' + PROBED);
      symlinkSync(join(dir, 'elsewhere.txt'), join(dir, 'sub', 'l.vcl'));
      const found = discoverFiles([join(dir, 'sub')]);
      const byName = new Map(found.files.map((t) => [t.path.slice(dir.length + 1), t]));
      assert.deepEqual([...byName.keys()], [join('sub', 'a.vcl'), join('sub', 'l.vcl')]);
      assert.equal(byName.get(join('sub', 'a.vcl'))!.real, realpathSync.native(join(dir, 'sub', 'a.vcl')));
      assert.equal(byName.get(join('sub', 'l.vcl'))!.real, undefined);
      const r = vclLint(['--format', 'json', 'sub'], dir);
      assert.equal(r.status, 0, r.stderr);
      assert.deepEqual((JSON.parse(r.stdout) as { files: { path: string }[] }).files.map((f) => f.path), [join('sub', 'a.vcl'), join('sub', 'l.vcl')]);
    });

    it('reads every byte of files of every size around its read sizes (a short read at the stat size ends the read)', () => {
      const f = join(dir, 'b.vcl');
      for (const n of [0, 1, 4095, 4096, 4097, 65536, 65537, (1 << 20) - 1, 1 << 20, (1 << 20) + 1, 3 * (1 << 20) + 7]) {
        const bytes = Buffer.alloc(n, 0);
        for (let i = 0; i < n; i++) bytes[i] = (i * 31 + 7) & 0xff;
        writeFileSync(f, bytes);
        const r = readFileSafely(f, { maxBytes: 4 << 20 });
        assert.ok(r.ok && r.bytes.equals(bytes), `${n} bytes`);
      }
    });
  });

  describe('vcl-lint', () => {
    it('refuses a FIFO named on the command line, lints the other file, exit 2', function () {
      if (!mkfifo(join(dir, 'pipe.vcl'))) this.skip(); // no mkfifo here
      writeFileSync(join(dir, 'ok.vcl'), 'vcl 4.1;\n' + PROBED);
      const r = vclLint(['--format', 'json', 'pipe.vcl', 'ok.vcl'], dir);
      assert.ok(r.ms < LIMIT_MS, `took ${r.ms} ms`);
      assert.equal(r.status, 2, r.stderr);
      assert.equal(r.stderr, "vcl-lint: cannot read 'pipe.vcl': is a FIFO (named pipe), not a regular file\n");
      assert.deepEqual((JSON.parse(r.stdout) as { files: { path: string }[] }).files.map((f) => f.path), ['ok.vcl']);
    });

    it('reports include "./x.vcl" of a FIFO, and include "/dev/zero", as refused with the reason', function () {
      if (!mkfifo(join(dir, 'x.vcl'))) this.skip(); // no mkfifo here
      writeFileSync(join(dir, 'main.vcl'), 'vcl 4.1;\ninclude "./x.vcl";\ninclude "/dev/zero";\n' + PROBED);
      const r = vclLint(['--format', 'json', 'main.vcl'], dir);
      assert.ok(r.ms < LIMIT_MS, `took ${r.ms} ms`);
      assert.equal(r.status, 1, r.stderr);
      const messages = (JSON.parse(r.stdout) as { files: { diagnostics: { rule: string; message: string }[] }[] }).files[0]!.diagnostics.map((d) => `${d.rule}: ${d.message}`);
      assert.deepEqual(messages, [
        `include-missing: Included file './x.vcl' refused: '${join(dir, 'x.vcl')}' is a FIFO (named pipe), not a regular file`,
        "include-missing: Included file '/dev/zero' refused: '/dev/zero' is under /dev, not a regular file to read",
      ]);
    });

    it('refuses a .vcl-lint.json that is a FIFO (found upward) in one line, exit 2', function () {
      if (!mkfifo(join(dir, '.vcl-lint.json'))) this.skip(); // no mkfifo here
      writeFileSync(join(dir, 'ok.vcl'), 'vcl 4.1;\n' + PROBED);
      const r = vclLint(['ok.vcl'], dir);
      assert.ok(r.ms < LIMIT_MS, `took ${r.ms} ms`);
      assert.equal(r.status, 2);
      assert.equal(r.stderr, `vcl-lint: cannot read config '${join(dir, '.vcl-lint.json')}': is a FIFO (named pipe), not a regular file\n`);
    });

    it('refuses a .vcl-lint.json that leads to /dev/zero, and --config /dev/zero, without running out of memory', function () {
      symlinkSync('/dev/zero', join(dir, '.vcl-lint.json'));
      writeFileSync(join(dir, 'ok.vcl'), 'vcl 4.1;\n' + PROBED);
      const found = vclLint(['ok.vcl'], dir);
      assert.ok(found.ms < LIMIT_MS, `took ${found.ms} ms`);
      assert.equal(found.status, 2, found.stderr);
      assert.equal(found.stderr, `vcl-lint: cannot read config '${join(dir, '.vcl-lint.json')}': is under /dev, not a regular file to read\n`);
      const named = vclLint(['--config', '/dev/zero', 'ok.vcl'], dir);
      assert.equal(named.status, 2, named.stderr);
      assert.equal(named.stderr, "vcl-lint: cannot read config '/dev/zero': is under /dev, not a regular file to read\n");
    });

    it('import std from "/proc/self/pagemap" does not crash the linter', function () {
      if (!existsSync('/proc/self/pagemap')) this.skip(); // no procfs here
      writeFileSync(join(dir, 'imp.vcl'), 'vcl 4.1;\nimport std from "/proc/self/pagemap";\n' + PROBED + 'sub vcl_recv { std.log("x"); }\n');
      const r = vclLint(['imp.vcl'], dir);
      assert.ok(r.ms < LIMIT_MS, `took ${r.ms} ms`);
      assert.ok(r.status === 0 || r.status === 1, `exit ${r.status} (signal?) ${r.stderr}`);
      assert.equal(r.stderr, '');
    });
  });

  it('the language server\'s workspace refuses include "/dev/zero" and a FIFO instead of reading them', function () {
    if (!mkfifo(join(dir, 'x.vcl'))) this.skip(); // no mkfifo here
    mkdirSync(join(dir, 'ws'));
    writeFileSync(join(dir, 'ws', 'main.vcl'), 'vcl 4.1;\ninclude "/dev/zero";\ninclude "../x.vcl";\n' + PROBED);
    // In a child process: the old behaviour (reading /dev/zero until memory runs out) must fail the test, not hang it.
    const out = (p: string) => pathToFileURL(join(projectRoot, 'out/server/src', p)).href;
    const script = `
      import { Workspace } from ${JSON.stringify(out('service/workspace.js'))};
      import { lintText } from ${JSON.stringify(out('service/lint.js'))};
      import { readFileSync } from 'node:fs';
      const ws = new Workspace();
      ws.setFolders([${JSON.stringify(join(dir, 'ws'))}]);
      // Trusted, so that these paths outside the workspace are tried at all (untrusted, they are not read: untrusted-path).
      ws.setTrust(true);
      const path = ${JSON.stringify(join(dir, 'ws', 'main.vcl'))};
      const d = lintText(readFileSync(path, 'utf8'), { path, includeHost: ws.host() });
      console.log(JSON.stringify(d.filter((x) => x.rule === 'include-missing').map((x) => x.message)));
    `;
    const t0 = Date.now();
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', timeout: KILL_MS });
    const ms = Date.now() - t0;
    assert.equal(r.status, 0, r.stderr);
    assert.ok(ms < LIMIT_MS, `took ${ms} ms`);
    assert.deepEqual(JSON.parse(r.stdout), [
      "Included file '/dev/zero' refused: '/dev/zero' is under /dev, not a regular file to read",
      `Included file '../x.vcl' refused: '${join(dir, 'x.vcl')}' is a FIFO (named pipe), not a regular file`,
    ]);
  });
});
