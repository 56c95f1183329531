/**
 * `--jobs N`: a run linted on several threads prints what a serial run
 * prints, byte for byte, with the same exit status. The
 * pool itself (cli/pool.ts) with real worker threads: every item done once
 * and in order, workers really take a share, and a worker that dies or never
 * starts loses nothing.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { threadId, Worker } from 'node:worker_threads';
import { parseArgs } from '../../server/src/cli/args.js';
import { runPool, type PoolShare } from '../../server/src/cli/pool.js';
import { projectRoot } from '../conformance/corpus.js';
import { corpusOrSkip } from '../helpers/corpus-or-skip.js';

const ROOT = projectRoot;
const CLI = join(ROOT, 'dist', 'cli.cjs');

function vclLint(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The fixture folders with VCL and parameter files of every kind the CLI reads (captures are linted serially by design). */
const FIXTURES = ['cli', 'fixes', 'format', 'includes', 'params', 'params-503', 'kubernetes', 'helm', 'upgrade', 'vcl3', 'editor', 'ci'].map((d) => `test/fixtures/${d}`).filter((d) => existsSync(join(ROOT, d)));

describe('vcl-lint --jobs: the same output on several threads', function () {
  this.timeout(120_000);

  // JSON holds every field of every diagnostic (fixes, related places): the same JSON means the same
  // file reports, from which the stylish and SARIF texts are made on the main thread alike.
  it("the project's fixtures: --jobs 3 prints what --jobs 1 prints", () => {
    const serial = vclLint(['--format', 'json', '--jobs', '1', ...FIXTURES]);
    const threaded = vclLint(['--format', 'json', '--jobs', '3', ...FIXTURES]);
    const files = JSON.parse(serial.stdout).files as Array<{ language: string }>;
    assert.ok(files.length >= 60, 'the fixtures are many files');
    // A capture makes a run serial (see threadsFor): none may slip in, or this compares a serial run with itself.
    assert.ok(!files.some((f) => f.language === 'varnishlog'));
    assert.equal(threaded.stdout, serial.stdout);
    assert.equal(threaded.stderr, serial.stderr);
    assert.equal(threaded.status, serial.status);
  });

  it('files that inform each other (an include, a parameter file and the VCL whose headers it must fit) and files that are not read', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vcl-lint-jobs-'));
    try {
      writeFileSync(join(dir, 'varnish.params'), 'DAEMON_OPTS="-p http_resp_hdr_len=1k -p http_resp_size=4k"\n');
      for (let i = 0; i < 80; i++) {
        // The parts use a cache-tag header: the parameter file's buffer is then too small for the VCL (a finding in both).
        writeFileSync(join(dir, `part${i}.vcl`), `sub part${i} { if (beresp.http.X-Magento-Tags) { unset beresp.http.X-Magento-Tags; } }\n`);
        writeFileSync(join(dir, `main${i}.vcl`), `vcl 4.1;\nbackend b { .host = "127.0.0.1"; }\ninclude "./part${i}.vcl";\nsub vcl_backend_response { call part${i}; }\n${i % 7 === 0 ? 'sub broken { if ( }\n' : ''}`);
      }
      writeFileSync(join(dir, 'binary.vcl'), Buffer.from([0, 1, 2, 0xff, 0xfe, 0]));
      const serial = vclLint(['--format', 'json', '--jobs', '1', dir]);
      const threaded = vclLint(['--format', 'json', '--jobs', '4', dir]);
      assert.equal(threaded.stdout, serial.stdout);
      assert.equal(threaded.status, serial.status);
      const files = JSON.parse(serial.stdout).files as Array<{ path: string; diagnostics: Array<{ rule: string; message: string }> }>;
      assert.ok(files.some((f) => f.diagnostics.some((d) => d.rule === 'syntax')), 'a syntax error is among them');
      assert.ok(files.some((f) => f.path.endsWith('varnish.params') && f.diagnostics.some((d) => d.rule === 'resp-buffer-too-small' && /tag headers/.test(d.message))), 'the parameter file knows the VCL');
      assert.equal(files.filter((f) => /part\d+\.vcl$/.test(f.path) && f.diagnostics.some((d) => d.rule === 'tag-header-size')).length, 80, 'each part knows the parameter file');
      assert.ok(files.some((f) => f.path.endsWith('binary.vcl') && f.diagnostics.some((d) => d.rule === 'input')), 'the binary file is refused');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  const corpus = corpusOrSkip('the threaded run over 320 corpus files not compared');
  if (corpus) {
    // The production files and the newer test-suite programs (about 320 files): every kind of VCL, at a
    // fifth of the cost of the whole corpus, whose conformance the other suites check.
    it('the corpus\'s production files and newer test-suite programs: --jobs 2 prints what --jobs 1 prints', () => {
      const dirs = ['real', 'vtc-new'].map((d) => join(corpus, d));
      const serial = vclLint(['--format', 'json', '--jobs', '1', ...dirs]);
      const threaded = vclLint(['--format', 'json', '--jobs', '2', ...dirs]);
      assert.ok((JSON.parse(serial.stdout).files as unknown[]).length > 300);
      assert.equal(threaded.stdout, serial.stdout);
      assert.equal(threaded.status, serial.status);
    });
  }

  it('a usage error for a --jobs that is not a count (the parser; the process exits 2 on any usage error)', () => {
    for (const bad of ['0', '-1', 'two', '1.5', '65', '']) {
      const r = parseArgs(['--jobs', bad, 'x.vcl']);
      assert.equal(r.ok, false, bad);
      if (!r.ok) assert.match(r.error, /--jobs/);
    }
    const good = parseArgs(['--jobs=8', 'x.vcl']);
    assert.ok(good.ok && good.options.jobs === 8);
  });
});

describe('the thread pool (cli/pool.ts)', function () {
  this.timeout(60_000);
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'vcl-pool-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const POOL = pathToFileURL(join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'server', 'src', 'cli', 'pool.js')).href;

  /** Waits about `ms` without the event loop, as a slow item would. */
  const busy = (ms: number): void => {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
  };

  /** A worker script: its items are `{ i, thread }` after a millisecond's work; `dieAfter` items make it exit mid-batch. */
  function script(name: string, dieAfter?: number): string {
    const file = join(dir, name);
    writeFileSync(
      file,
      `import { serveShare } from ${JSON.stringify(POOL)};
import { threadId, workerData } from 'node:worker_threads';
let n = 0;
serveShare(workerData.share, (i) => {
  if (${dieAfter ?? -1} >= 0 && n++ >= ${dieAfter ?? -1}) process.exit(3);
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
  return { i, thread: threadId };
});
`,
    );
    return file;
  }

  /** Runs `count` items of a millisecond each on `threads` threads, the workers running `file`; checks every item came back in order. */
  async function pool(file: string, count: number, threads: number): Promise<Array<{ i: number; thread: number }>> {
    const slow = (i: number) => {
      busy(1);
      return { i, thread: threadId };
    };
    const results = await runPool(count, threads, slow, (share: PoolShare) => new Worker(file, { workerData: { share } }));
    assert.deepEqual(
      results.map((r) => r.i),
      [...Array(count).keys()],
    );
    return results;
  }

  it('every item once, in order, with workers taking a share', async () => {
    const results = await pool(script('ok.mjs'), 400, 3);
    const byWorkers = results.filter((r) => r.thread !== threadId).length;
    assert.ok(byWorkers > 0, 'the workers did some of the items');
    assert.ok(byWorkers < 400, 'this thread did some of the items');
  });

  it('a worker that dies in the middle of a batch loses nothing: its items are done here', async () => {
    await pool(script('dies.mjs', 5), 300, 2);
  });

  it('a worker that cannot be made, or fails at once, leaves every item to this thread', async () => {
    const none = await runPool(
      50,
      2,
      (i) => i * 2,
      () => {
        throw new Error('no threads here');
      },
    );
    assert.deepEqual(none, [...Array(50).keys()].map((i) => i * 2));
    const broken = await runPool(50, 3, (i) => i * 2, () => new Worker('throw new Error("broken")', { eval: true }));
    assert.deepEqual(broken, [...Array(50).keys()].map((i) => i * 2));
  });
});
