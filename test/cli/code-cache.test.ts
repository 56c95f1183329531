/**
 * dist/cli.cjs loads the CLI bundle with V8's code cache (cli-cached.ts):
 * the first run writes the cache into the user's cache folder, private to
 * the user; later runs read it and write nothing; a damaged cache is
 * refused by V8 and written again; a folder others may write is never
 * used; and the output is the same in every case.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { projectRoot } from '../conformance/corpus.js';

const ROOT = projectRoot;
const CLI = join(ROOT, 'dist', 'cli.cjs');
const FILE = join(ROOT, 'test', 'fixtures', 'cli');

function run(cache: string, extra: Record<string, string> = {}): { status: number | null; stdout: string } {
  const r = spawnSync(process.execPath, [CLI, '--format', 'json', FILE], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, XDG_CACHE_HOME: cache, VCL_LINT_NO_CACHE: '', ...extra } });
  return { status: r.status, stdout: r.stdout };
}

/** The cache files under `cache`, with their bytes. */
function entries(cache: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    if (!existsSync(d)) return;
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.set(p, readFileSync(p));
    }
  };
  walk(cache);
  return out;
}

describe('vcl-lint: the CLI bundle loaded with V8\'s code cache', function () {
  this.timeout(60_000);
  let base: string;
  before(() => {
    base = mkdtempSync(join(tmpdir(), 'vcl-cache-'));
  });
  after(() => rmSync(base, { recursive: true, force: true }));

  it('the first run writes a private cache, the next ones read it and write nothing, the output the same', () => {
    const cache = join(base, 'first');
    const reference = run(cache, { VCL_LINT_NO_CACHE: '1' });
    assert.equal(entries(cache).size, 0, 'VCL_LINT_NO_CACHE writes nothing');
    const first = run(cache);
    const written = entries(cache);
    assert.equal(written.size, 1);
    const [path, bytes] = [...written][0]!;
    assert.ok(bytes.length > 100_000, 'the cache holds the compiled bundle');
    assert.equal(statSync(path).mode & 0o777, 0o600);
    assert.equal(statSync(dirname(path)).mode & 0o777, 0o700);
    const second = run(cache);
    assert.deepEqual(entries(cache), written, 'an accepted cache is not written again');
    for (const r of [first, second]) {
      assert.equal(r.stdout, reference.stdout);
      assert.equal(r.status, reference.status);
    }
  });

  it('a damaged cache is refused and written again; the run is not disturbed', () => {
    const cache = join(base, 'damaged');
    const reference = run(cache);
    const [path, bytes] = [...entries(cache)][0]!;
    const damaged = Buffer.from(bytes);
    for (let i = 64; i < damaged.length; i += 997) damaged[i] = damaged[i]! ^ 0xff;
    writeFileSync(path, damaged);
    const again = run(cache);
    assert.equal(again.stdout, reference.stdout);
    assert.notDeepEqual(readFileSync(path), damaged, 'written again');
  });

  it('keeps the newest four entries: each rebuilt bundle leaves one behind, older ones go', () => {
    const cache = join(base, 'many');
    run(cache);
    const folder = dirname([...entries(cache).keys()][0]!);
    for (let i = 0; i < 6; i++) {
      const stale = join(folder, `cli-0-${i}-0.v8cache`);
      writeFileSync(stale, 'old', { mode: 0o600 });
      utimesSync(stale, new Date(Date.now() - (10 - i) * 60_000), new Date(Date.now() - (10 - i) * 60_000));
    }
    // A damaged own entry makes the next run write it again, and drop the oldest.
    const own = [...entries(cache).keys()].find((p) => !/cli-0-/.test(p))!;
    writeFileSync(own, 'damaged', { mode: 0o600 });
    run(cache);
    const left = [...entries(cache).keys()].map((p) => p.slice(folder.length + 1)).sort();
    assert.equal(left.length, 4);
    assert.ok(left.includes(own.slice(folder.length + 1)), 'the entry just written stays');
    assert.deepEqual(left.filter((n) => n.startsWith('cli-0-')), ['cli-0-3-0.v8cache', 'cli-0-4-0.v8cache', 'cli-0-5-0.v8cache']);
  });

  it('a cache folder others may write into is never used', () => {
    const cache = join(base, 'shared');
    mkdirSync(join(cache, 'vcl-tools'), { recursive: true });
    chmodSync(join(cache, 'vcl-tools'), 0o777);
    const r = run(cache);
    assert.equal(r.status, run(join(base, 'other'), { VCL_LINT_NO_CACHE: '1' }).status);
    assert.deepEqual([...entries(cache).keys()], [], 'nothing read or written there');
  });
});
