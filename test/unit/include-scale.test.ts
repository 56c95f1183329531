/**
 * Include chains and include fan-out at scale: traversal keeps its own
 * stack, the depth is bounded, cycles at the end of long chains are found,
 * and a run over every file of a big program costs about linear time.
 * Budgets are measured on a loaded 2-core machine; the assertions allow
 * at least twice the time measured so that they do not flake.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../server/src/cli/run.js';
import { loadIncludeTree, MAX_INCLUDE_DEPTH, type IncludeHost } from '../../server/src/analysis/include-tree.js';
import { IncludeIndex } from '../../server/src/analysis/includes.js';
import { parse } from '../../server/src/syntax/parse.js';
import { lintText, MAX_PARTS_CHECKED } from '../../server/src/service/lint.js';
import { prng } from '../helpers/prng.js';

const HEAD = 'vcl 4.1;\nbackend default { .host = "127.0.0.1"; }\n';

/** Runs the CLI with JSON output; returns the parsed report, the exit status and the seconds it took. */
function lintJson(args: string[]): { status: number; files: Array<{ path: string; diagnostics: Array<{ rule: string; message: string; severity: string }> }>; seconds: number; stderr: string } {
  let out = '';
  let err = '';
  const t0 = process.hrtime.bigint();
  const status = runCli(['--format', 'json', ...args], { stdout: (s) => (out += s), stderr: (s) => (err += s) });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { status, files: out ? JSON.parse(out).files : [], seconds, stderr: err };
}

/**
 * f0.vcl includes f1.vcl, which includes f2.vcl, ... up to f{n}.vcl; with
 * `cycleBack`, the last file includes f{n - cycleBack} again.
 */
function writeChain(dir: string, n: number, cycleBack?: number): void {
  writeFileSync(join(dir, 'f0.vcl'), `${HEAD}include "./f1.vcl";\nsub vcl_recv { }\n`);
  for (let i = 1; i < n; i++) writeFileSync(join(dir, `f${i}.vcl`), `include "./f${i + 1}.vcl";\n`);
  writeFileSync(join(dir, `f${n}.vcl`), cycleBack === undefined ? 'sub vcl_deliver { }\n' : `include "./f${n - cycleBack}.vcl";\n`);
}

/** An in-memory host over a chain of `n` includes. */
function memoryChain(n: number): { host: IncludeHost; root: string } {
  const files = new Map<string, string>();
  files.set('/chain/f0.vcl', `${HEAD}include "./f1.vcl";\n`);
  for (let i = 1; i < n; i++) files.set(`/chain/f${i}.vcl`, `include "./f${i + 1}.vcl";\n`);
  files.set(`/chain/f${n}.vcl`, 'sub vcl_deliver { }\n');
  return { host: { searchPath: [], readFile: (p) => files.get(p) }, root: '/chain/f0.vcl' };
}

describe('include chains at scale', function () {
  this.timeout(120_000);
  let tmp: string;
  before(() => {
    tmp = mkdtempSync(join(tmpdir(), 'vcl-include-scale-'));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  // The issue's budget for a 5,000-file include chain. Measured on this loaded 2-core machine:
  // 2.1-3 s for the root alone, 2.2-3.3 s for the folder, 2.1-2.7 s for a folder whose cycle is
  // the whole chain (74 s at 1,000 files before a file of such a cycle was made its top-level
  // file), so the budget itself is the limit, a 3 x margin.
  const BUDGET_SECONDS = 10;

  describe('a chain of 5,000 includes ending in a cycle', () => {
    let dir: string;
    before(() => {
      dir = join(tmp, 'chain-5000');
      mkdirSync(dir);
      writeChain(dir, 5000, 10);
    });

    it('linting the root finds the cycle, without a stack overflow, within the budget', () => {
      const run = lintJson([join(dir, 'f0.vcl')]);
      console.log(`      5,000-file chain, root only: ${run.seconds.toFixed(2)} s`);
      assert.equal(run.stderr, '');
      const rules = run.files[0]!.diagnostics.map((d) => d.rule);
      assert.ok(rules.includes('include-cycle'), JSON.stringify(run.files[0]!.diagnostics));
      assert.ok(!rules.includes('internal-error'), JSON.stringify(run.files[0]!.diagnostics));
      assert.equal(run.status, 1);
      assert.ok(run.seconds < BUDGET_SECONDS, `${run.seconds} s`);
    });

    it('linting the folder reports the cycle in every file of the chain, within the budget', () => {
      const run = lintJson([dir]);
      console.log(`      5,000-file chain as a folder: ${run.seconds.toFixed(2)} s`);
      assert.equal(run.files.length, 5001);
      const cycle = run.files.filter((f) => f.diagnostics.some((d) => d.rule === 'include-cycle'));
      assert.equal(cycle.length, 5001, 'every include of the chain leads into the cycle');
      const closing = run.files.find((f) => f.path.endsWith('f5000.vcl'))!;
      const message = closing.diagnostics.find((d) => d.rule === 'include-cycle')!.message;
      // The message names the cycle, not the 5,000 files that lead to it.
      assert.match(message, /^Include cycle: f4990\.vcl -> .* -> f5000\.vcl -> f4990\.vcl;/);
      assert.ok(message.length < 400, message);
      assert.ok(!run.files.some((f) => f.diagnostics.some((d) => d.rule === 'internal-error')));
      assert.ok(run.seconds < BUDGET_SECONDS, `${run.seconds} s`);
    });
  });

  describe('a folder holding a chain of 5,000 includes whose cycle is the whole chain (no file is a root)', () => {
    let dir: string;
    before(() => {
      dir = join(tmp, 'cycle-5000');
      mkdirSync(dir);
      // f0 includes f1, ..., f4999 includes f0 again.
      writeFileSync(join(dir, 'f0.vcl'), `${HEAD}include "./f1.vcl";\n`);
      for (let i = 1; i < 5000; i++) writeFileSync(join(dir, `f${i}.vcl`), `include "./f${(i + 1) % 5000}.vcl";\n`);
    });

    it('is analysed through one of its files, once: every file reports the cycle, within the budget', () => {
      const run = lintJson([dir]);
      console.log(`      5,000-file cycle as a folder: ${run.seconds.toFixed(2)} s`);
      assert.equal(run.stderr, '');
      assert.equal(run.files.length, 5000);
      assert.equal(run.files.filter((f) => f.diagnostics.some((d) => d.rule === 'include-cycle')).length, 5000);
      const message = run.files[0]!.diagnostics.find((d) => d.rule === 'include-cycle')!.message;
      assert.match(message, /^Include cycle: f0\.vcl -> f1\.vcl -> .* -> f4999\.vcl -> f0\.vcl;/);
      assert.ok(!run.files.some((f) => f.diagnostics.some((d) => d.rule === 'internal-error')));
      assert.equal(run.status, 1);
      assert.ok(run.seconds < BUDGET_SECONDS, `${run.seconds} s`);
    });
  });

  it('the root of a program of more than MAX_PARTS_CHECKED files: the editor checks that many parts and names the rest; the CLI checks them all', () => {
    // The part with the error is near the top of the chain (checked) in one program, past the cap (not checked in the editor) in the other.
    for (const [name, broken, inEditor] of [['near', 3, true], ['far', MAX_PARTS_CHECKED + 50, false]] as const) {
      const dir = join(tmp, `parts-${name}`);
      mkdirSync(dir);
      writeChain(dir, MAX_PARTS_CHECKED + 100);
      writeFileSync(join(dir, `f${broken}.vcl`), `include "./f${broken + 1}.vcl";
sub vcl_hash { set req.http.x = ; }
`);
      // The editor's analysis (the default bound): a note names the files left unchecked.
      const root = join(dir, 'f0.vcl');
      const disk: IncludeHost = { searchPath: [], readFile: (p) => (existsSync(p) ? readFileSync(p, 'utf8') : undefined) };
      const edited = lintText(readFileSync(root, 'utf8'), { path: root, includeHost: disk }).filter((d) => d.rule === 'included-file-errors');
      assert.equal(edited.some((d) => d.severity === 'error'), inEditor, JSON.stringify(edited));
      const note = edited.find((d) => d.severity === 'info');
      assert.ok(note && note.message.includes(`${MAX_PARTS_CHECKED + 100 - MAX_PARTS_CHECKED} of them were not checked`), JSON.stringify(edited));
      // A CLI run gives one verdict for the program: every part is checked, the error is found wherever it is.
      const run = lintJson([root]);
      const found = run.files[0]!.diagnostics.filter((d) => d.rule === 'included-file-errors');
      assert.ok(found.some((d) => d.severity === 'error'), JSON.stringify(found));
      assert.ok(!found.some((d) => d.severity === 'info'), JSON.stringify(found));
      assert.equal(run.status, 1);
      assert.ok(run.seconds < BUDGET_SECONDS, `${run.seconds} s`);
    }
  });

  it('a chain of 5,000 includes given file by file is analysed within the budget', () => {
    const dir = join(tmp, 'files-5000');
    mkdirSync(dir);
    writeChain(dir, 5000);
    const paths = Array.from({ length: 5001 }, (_, i) => join(dir, `f${i}.vcl`));
    const run = lintJson(paths);
    console.log(`      5,000-file chain, every file named: ${run.seconds.toFixed(2)} s`);
    assert.equal(run.files.length, 5001);
    // A clean program: only the root's backend lacks a probe (info), nothing is an error.
    assert.equal(run.status, 0, JSON.stringify(run.files.filter((f) => f.diagnostics.length).slice(0, 3)));
    // 5,001 names on the command line are each looked at before the run (measured 3.9-6.6 s): 1.5 x the budget.
    assert.ok(run.seconds < 1.5 * BUDGET_SECONDS, `${run.seconds} s`);
  });

  it('400 files included by one root are analysed within the budget (measured about 1 s)', () => {
    const dir = join(tmp, 'fan-400');
    mkdirSync(dir);
    const parts = Array.from({ length: 400 }, (_, i) => `p${i}.vcl`);
    writeFileSync(join(dir, 'main.vcl'), `${HEAD}${parts.map((p) => `include "./${p}";\n`).join('')}`);
    parts.forEach((p, i) => writeFileSync(join(dir, p), `sub s${i} { set req.http.x-p${i} = "1"; }\nsub vcl_recv { call s${i}; }\n`));
    const run = lintJson([dir]);
    console.log(`      400 files included by one root: ${run.seconds.toFixed(2)} s`);
    assert.equal(run.files.length, 401);
    assert.equal(run.status, 0, JSON.stringify(run.files.filter((f) => f.diagnostics.length).slice(0, 3)));
    assert.ok(run.seconds < 3 * 3, `${run.seconds} s`);
  });

  it('a name defined at both ends of a 3,000-file chain is a redefinition (the reading order needs no recursion)', () => {
    const dir = join(tmp, 'redefinition-3000');
    mkdirSync(dir);
    writeChain(dir, 3000);
    writeFileSync(join(dir, 'f3000.vcl'), 'backend default { .host = "127.0.0.2"; }\n');
    const run = lintJson([dir]);
    const last = run.files.find((f) => f.path.endsWith('f3000.vcl'))!;
    assert.ok(last.diagnostics.some((d) => d.rule === 'redefinition' && /already defined \(in the file that includes this one\)/.test(d.message)), JSON.stringify(last.diagnostics));
    assert.ok(!run.files.some((f) => f.diagnostics.some((d) => d.rule === 'internal-error')));
  });
});

describe('include depth', () => {
  it('is bounded: the include past the limit is reported once, in the file that holds it, and not followed', () => {
    const { host, root } = memoryChain(60);
    const tree = loadIncludeTree(root, parse(host.readFile(root)!, root), host, undefined, 50);
    assert.equal(tree.files.length, 50);
    assert.deepEqual(
      tree.problems.map((p) => [p.kind, p.file]),
      [['depth', '/chain/f50.vcl']],
    );
    assert.match(tree.problems[0]!.message, /more than 50 files deep; '\.\/f51\.vcl'/);
  });

  it('the default limit is far above any real program and above the 5,000-file chains varnishd compiles', () => {
    assert.ok(MAX_INCLUDE_DEPTH >= 5000);
    const { host, root } = memoryChain(5000);
    const tree = loadIncludeTree(root, parse(host.readFile(root)!, root), host);
    assert.equal(tree.files.length, 5000);
    assert.deepEqual(tree.problems, []);
  });

  it('include-depth reaches the file holding the include through the CLI', function () {
    this.timeout(120_000);
    // The real limit needs 10,001 files: write them, as a user would have them.
    const dir = mkdtempSync(join(tmpdir(), 'vcl-include-depth-'));
    try {
      writeChain(dir, MAX_INCLUDE_DEPTH + 1);
      const run = lintJson([dir]);
      const deepest = run.files.find((f) => f.path.endsWith(`f${MAX_INCLUDE_DEPTH}.vcl`))!;
      assert.deepEqual(deepest.diagnostics.map((d) => d.rule), ['include-depth']);
      assert.equal(run.files[0]!.diagnostics.filter((d) => d.rule === 'include-depth').length, 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the include index', () => {
  it('answers isIncluded, firstIncluderOf and filesUnder as the full walks do, on random include graphs', () => {
    const random = prng(20261204);
    for (let round = 0; round < 30; round++) {
      const n = 2 + Math.floor(random() * 25);
      const edges: number[][] = Array.from({ length: n }, () => []);
      for (let e = Math.floor(random() * n * 2); e > 0; e--) edges[Math.floor(random() * n)]!.push(Math.floor(random() * n));
      const path = (i: number) => `/g/f${String(i).padStart(2, '0')}.vcl`;
      const files = edges.map((tos, i) => ({ path: path(i), text: tos.map((t) => `include "./f${String(t).padStart(2, '0')}.vcl";\n`).join('') }));
      const index = new IncludeIndex(files, []);
      for (let i = 0; i < n; i++) {
        const p = path(i);
        const includers = index.includersOf(p);
        assert.equal(index.firstIncluderOf(p), includers.find((r) => r !== p), `round ${round}, ${p}`);
        assert.equal(index.isIncluded(p), edges.some((tos) => tos.includes(i)), `round ${round}, ${p}`);
        // Reachability by brute force.
        const reach = new Set<number>();
        const todo = [...edges[i]!];
        while (todo.length) {
          const t = todo.pop()!;
          if (reach.has(t)) continue;
          reach.add(t);
          todo.push(...edges[t]!);
        }
        reach.delete(i);
        assert.deepEqual(index.filesUnder(p).sort(), [...reach].map(path).sort(), `round ${round}, ${p}`);
      }
      // Top-level files by their definition: nothing outside the file's cycle (if any) reaches it,
      // and it is the first of its cycle. Every other file has the first top that reaches it.
      const reaches = (from: number): Set<number> => {
        const seen = new Set<number>();
        const todo = [...edges[from]!];
        while (todo.length) {
          const t = todo.pop()!;
          if (seen.has(t)) continue;
          seen.add(t);
          todo.push(...edges[t]!);
        }
        return seen;
      };
      const reach = Array.from({ length: n }, (_, i) => reaches(i));
      const isTop = (i: number) => {
        for (let q = 0; q < n; q++) if (q !== i && reach[q]!.has(i) && (!reach[i]!.has(q) || q < i)) return false;
        return true;
      };
      for (let i = 0; i < n; i++) {
        const tops = Array.from({ length: n }, (_, t) => t).filter((t) => t !== i && isTop(t) && reach[t]!.has(i));
        const expected = isTop(i) ? undefined : path(Math.min(...tops));
        assert.equal(index.firstIncluderOf(path(i)), expected, `round ${round}, ${path(i)}: top-level includer`);
      }
    }
  });

  it('a cycle that nothing else includes has its first file as top-level file: the others are analysed through it', () => {
    const files = ['a', 'b', 'c'].map((name, i, all) => ({ path: `/cycle/${name}.vcl`, text: `include "./${all[(i + 1) % all.length]}.vcl";\n` }));
    // And a file that only the cycle includes, and a file including itself.
    files[2]!.text += 'include "./d.vcl";\n';
    files.push({ path: '/cycle/d.vcl', text: '' }, { path: '/cycle/self.vcl', text: 'include "./self.vcl";\n' });
    const index = new IncludeIndex(files, []);
    assert.deepEqual(
      files.map((f) => index.firstIncluderOf(f.path)),
      [undefined, '/cycle/a.vcl', '/cycle/a.vcl', '/cycle/a.vcl', undefined],
    );
    assert.deepEqual(index.includersOf('/cycle/d.vcl'), ['/cycle/a.vcl']);
    assert.deepEqual(index.includersOf('/cycle/a.vcl'), []);
  });
});
