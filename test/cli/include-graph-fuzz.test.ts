/**
 * Random include graphs written to a temporary folder and linted through
 * runCli, as a user runs `vcl-lint dir/` or `vcl-lint dir/f0.vcl`: small
 * graphs with any shape (self-includes, cycles with no way in, files
 * included twice, missing files, every kind of line break), long chains
 * with random extra includes, and graphs whose files also include or import
 * special files (a FIFO, /dev/zero, /proc files, a directory). Every run
 * must end quickly, never throw, never report an internal error, and say
 * what it found: a cycle exactly when the graph has one, a refusal for
 * each include of a special file.
 *
 * Seeded (FC_SEED) so that a failure reproduces.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { runCli } from '../../server/src/cli/run.js';
import { projectRoot } from '../conformance/corpus.js';

const FC_SEED = Number(process.env['FC_SEED'] ?? 20261206);
const HEAD = 'vcl 4.1;\nbackend default { .host = "127.0.0.1"; }\n';

interface Report {
  status: number;
  stderr: string;
  seconds: number;
  files: Array<{ path: string; diagnostics: Array<{ rule: string; message: string }> }>;
}

function lint(args: string[]): Report {
  let out = '';
  let err = '';
  const t0 = performance.now();
  const status = runCli(['--format', 'json', ...args], { stdout: (s) => (out += s), stderr: (s) => (err += s) });
  const seconds = (performance.now() - t0) / 1000;
  return { status, stderr: err, seconds, files: out ? (JSON.parse(out) as { files: Report['files'] }).files : [] };
}

/** A graph: `edges[i]` are the files f<i> includes, in order (repeats and self-includes allowed). */
type Graph = number[][];

/** True when a cycle can be reached from `from` (or from any file, without `from`). */
function hasCycle(edges: Graph, from?: number): boolean {
  const state = new Map<number, 'open' | 'done'>();
  // Depth-first with its own stack: a file still open when met again closes a cycle.
  const visit = (start: number): boolean => {
    const stack: Array<{ node: number; next: number }> = [{ node: start, next: 0 }];
    state.set(start, 'open');
    while (stack.length) {
      const top = stack[stack.length - 1]!;
      const to = edges[top.node]![top.next++];
      if (to === undefined) {
        state.set(top.node, 'done');
        stack.pop();
        continue;
      }
      if (state.get(to) === 'open') return true;
      if (state.get(to) === undefined) {
        state.set(to, 'open');
        stack.push({ node: to, next: 0 });
      }
    }
    return false;
  };
  if (from !== undefined) return visit(from);
  return edges.some((_, i) => state.get(i) === undefined && visit(i));
}

const EOLS = ['\n', '\r\n', '\r'];

/** Writes f0.vcl ... f<n-1>.vcl; f0 carries the version line, and `missing` includes of files that are not there. */
function writeGraph(dir: string, edges: Graph, eol: (file: number) => string, missing: (file: number) => number = () => 0): void {
  edges.forEach((tos, i) => {
    const lines = [...(i === 0 ? HEAD.split('\n').filter(Boolean) : []), ...tos.map((t) => `include "./f${t}.vcl";`)];
    for (let m = missing(i); m > 0; m--) lines.push(`include "./gone${i}-${m}.vcl";`);
    lines.push(`sub s${i} { }`, `sub vcl_recv { call s${i}; }`);
    writeFileSync(join(dir, `f${i}.vcl`), lines.join(eol(i)) + eol(i));
  });
}

const internalErrors = (r: Report) => r.files.flatMap((f) => f.diagnostics.filter((d) => d.rule === 'internal-error').map((d) => `${f.path}: ${d.message}`));

describe('include graphs (fuzz)', function () {
  this.timeout(180_000);
  let tmp: string;
  before(() => (tmp = mkdtempSync(join(tmpdir(), 'vcl-include-fuzz-'))));
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it(`small graphs of any shape: the cycle is reported exactly when there is one, nothing throws (fast-check seed ${FC_SEED})`, () => {
    let run = 0;
    const graphArb = fc.integer({ min: 1, max: 12 }).chain((n) =>
      fc.record({
        edges: fc.array(fc.array(fc.nat(n - 1), { maxLength: 3 }), { minLength: n, maxLength: n }),
        eols: fc.array(fc.nat(EOLS.length - 1), { minLength: n, maxLength: n }),
        missing: fc.array(fc.nat(1), { minLength: n, maxLength: n }),
      }),
    );
    fc.assert(
      fc.property(graphArb, ({ edges, eols, missing }) => {
        const dir = join(tmp, `small-${run++}`);
        mkdirSync(dir);
        writeGraph(dir, edges, (i) => EOLS[eols[i]!]!, (i) => missing[i]!);
        const spec = JSON.stringify({ edges, eols, missing });

        const root = lint([join(dir, 'f0.vcl')]);
        assert.equal(root.stderr, '', spec);
        assert.ok(root.status === 0 || root.status === 1, `${spec}: exit ${root.status}`);
        assert.deepEqual(internalErrors(root), [], spec);
        const rootCycle = root.files[0]!.diagnostics.some((d) => d.rule === 'include-cycle');
        assert.equal(rootCycle, hasCycle(edges, 0), `${spec}: include-cycle in f0 alone`);
        assert.ok(root.seconds < 5, `${spec}: ${root.seconds} s`);

        const folder = lint([dir]);
        assert.equal(folder.stderr, '', spec);
        assert.ok(folder.status === 0 || folder.status === 1, `${spec}: exit ${folder.status}`);
        assert.equal(folder.files.length, edges.length, spec);
        assert.deepEqual(internalErrors(folder), [], spec);
        const anyCycle = folder.files.some((f) => f.diagnostics.some((d) => d.rule === 'include-cycle'));
        assert.equal(anyCycle, hasCycle(edges), `${spec}: include-cycle in the folder`);
        assert.ok(folder.seconds < 5, `${spec}: ${folder.seconds} s`);
        rmSync(dir, { recursive: true, force: true });
      }),
      { seed: FC_SEED, numRuns: 60 },
    );
  });

  it('long chains with random extra includes (500 to 2,000 files): the folder and its first file within 10 s each', () => {
    const graphs = fc.sample(
      fc.integer({ min: 500, max: 2000 }).chain((n) =>
        fc.record({ n: fc.constant(n), extra: fc.array(fc.tuple(fc.nat(n - 1), fc.nat(n - 1)), { maxLength: 40 }), closed: fc.boolean() }),
      ),
      { seed: FC_SEED + 1, numRuns: 3 },
    );
    graphs.forEach(({ n, extra, closed }, g) => {
      // f<i> includes f<i+1>; the last includes f0 again when `closed` (no file is then a root).
      const edges: Graph = Array.from({ length: n }, (_, i) => (i + 1 < n ? [i + 1] : closed ? [0] : []));
      for (const [from, to] of extra) edges[from]!.push(to);
      const dir = join(tmp, `chain-${g}`);
      mkdirSync(dir);
      writeGraph(dir, edges, (i) => EOLS[i % EOLS.length]!);
      const what = `${n} files, ${extra.length} extra includes${closed ? ', closed into a cycle' : ''}`;
      for (const args of [[dir], [join(dir, 'f0.vcl')]]) {
        const r = lint(args);
        console.log(`      ${what}, ${args[0] === dir ? 'folder' : 'first file'}: ${r.seconds.toFixed(2)} s`);
        assert.equal(r.stderr, '', what);
        assert.ok(r.status === 0 || r.status === 1, `${what}: exit ${r.status}`);
        assert.deepEqual(internalErrors(r), [], what);
        assert.equal(r.files.length, args[0] === dir ? n : 1, what);
        assert.equal(r.files.some((f) => f.diagnostics.some((d) => d.rule === 'include-cycle')), args[0] === dir ? hasCycle(edges) : hasCycle(edges, 0), what);
        assert.ok(r.seconds < 10, `${what}: ${r.seconds} s`);
      }
      rmSync(dir, { recursive: true, force: true });
    });
  });
});

/** Special targets an include or an import may name; `./` ones are made in the folder. */
const SPECIAL = ['./pipe.vcl', './zero.vcl', '/dev/zero', '/proc/self/pagemap', '/proc/self/status', './sub.vcl'];

describe('include graphs with special files (fuzz, in a child process that is killed if it hangs)', function () {
  this.timeout(180_000);
  let tmp: string;
  before(() => (tmp = mkdtempSync(join(tmpdir(), 'vcl-special-fuzz-'))));
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it(`FIFOs, /dev/zero, /proc files and folders named by include and import are refused, quickly (seed ${FC_SEED + 2})`, function () {
    if (process.platform !== 'linux') this.skip(); // /proc and mkfifo
    const target = fc.oneof(
      { weight: 2, arbitrary: fc.nat(5).map((i) => ({ file: i })) },
      { weight: 2, arbitrary: fc.constantFrom(...SPECIAL).map((special) => ({ special })) },
    );
    const graphs = fc.sample(
      fc.integer({ min: 1, max: 6 }).chain((n) =>
        fc.record({
          includes: fc.array(fc.array(target, { maxLength: 4 }), { minLength: n, maxLength: n }),
          imports: fc.array(fc.array(fc.constantFrom(...SPECIAL), { maxLength: 2 }), { minLength: n, maxLength: n }),
          eol: fc.nat(EOLS.length - 1),
        }),
      ),
      { seed: FC_SEED + 2, numRuns: 12 },
    );
    const dirs = graphs.map(({ includes, imports, eol }, g) => {
      const dir = join(tmp, `g${g}`);
      mkdirSync(dir);
      execFileSync('mkfifo', [join(dir, 'pipe.vcl')]);
      symlinkSync('/dev/zero', join(dir, 'zero.vcl'));
      mkdirSync(join(dir, 'sub.vcl'));
      const n = includes.length;
      includes.forEach((tos, i) => {
        const lines = [
          ...(i === 0 ? HEAD.split('\n').filter(Boolean) : []),
          ...imports[i]!.map((s, k) => `import m${k} from "${s}";`),
          ...tos.map((t) => `include "${'special' in t ? t.special : `./f${t.file % n}.vcl`}";`),
        ];
        writeFileSync(join(dir, `f${i}.vcl`), lines.join(EOLS[eol]!) + EOLS[eol]!);
      });
      return dir;
    });
    // One child runs every graph (the folder, then its first file): a read that blocks fails the test at the kill timeout instead of hanging it.
    const run = pathToFileURL(join(projectRoot, 'out/server/src/cli/run.js')).href;
    const code = `const { runCli } = await import(${JSON.stringify(run)});
const out = [];
for (const dir of ${JSON.stringify(dirs)}) {
  for (const args of [[dir], [dir + '/f0.vcl']]) {
    let o = '', e = '';
    const t0 = performance.now();
    const status = runCli(['--format', 'json', ...args], { stdout: (s) => (o += s), stderr: (s) => (e += s) });
    out.push({ args, status, stderr: e, seconds: (performance.now() - t0) / 1000, files: o ? JSON.parse(o).files : [] });
  }
}
process.stdout.write(JSON.stringify(out));`;
    const child = spawnSync(process.execPath, ['--input-type=module', '-e', code], { encoding: 'utf8', timeout: 120_000, maxBuffer: 64 * 1024 * 1024 });
    assert.equal(child.signal, null, `the child was killed (${child.signal}): a special file blocked or ran away`);
    assert.equal(child.status, 0, child.stderr);
    const reports = JSON.parse(child.stdout) as Array<Report & { args: string[] }>;
    assert.equal(reports.length, 2 * dirs.length);
    for (const r of reports) {
      const g = dirs.indexOf(r.args[0]!.replace(/\/f0\.vcl$/, ''));
      const what = `${r.args[0]} ${JSON.stringify(graphs[g])}`;
      assert.equal(r.stderr, '', what);
      assert.ok(r.status === 0 || r.status === 1, `${what}: exit ${r.status}`);
      assert.deepEqual(internalErrors(r), [], what);
      assert.ok(r.seconds < 5, `${what}: ${r.seconds} s`);
      // Every include of a special file in f0 is refused with the reason, and every import from one is said unreadable.
      const f0 = r.files.find((f) => f.path.endsWith('f0.vcl'))!;
      const specialIncludes = graphs[g]!.includes[0]!.filter((t) => 'special' in t).length;
      assert.equal(f0.diagnostics.filter((d) => d.rule === 'include-missing' && / refused: /.test(d.message)).length, specialIncludes, `${what}: ${JSON.stringify(f0.diagnostics)}`);
      assert.equal(f0.diagnostics.filter((d) => d.rule === 'vmod-not-found' && /could not be read from/.test(d.message)).length, graphs[g]!.imports[0]!.length, what);
    }
  });
});
