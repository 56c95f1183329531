/**
 * Programs split over files: includes are followed, names resolve across
 * files, a part is checked as part of the program that includes it, and
 * missing or cyclic includes are reported on the include line.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lintText } from '../../server/src/service/lint.js';
import { DEFAULT_VCL_PATH, IncludeIndex, tailOf } from '../../server/src/analysis/includes.js';
import fc from 'fast-check';
import { includeCandidates, type IncludeHost } from '../../server/src/analysis/include-tree.js';
import { projectRoot } from '../conformance/corpus.js';
import { compileWithVarnishd, findVarnishd, worldReadableCopy } from '../helpers/varnishd.js';
import { skipBecause } from '../helpers/skip.js';

const dir = join(projectRoot, 'test/fixtures/includes');
const files = ['program/main.vcl', 'program/parts/backends.vcl', 'program/parts/recv.vcl', 'broken/missing.vcl', 'broken/cycle-a.vcl', 'broken/cycle-b.vcl', 'broken/wrong-side.vcl', 'broken/wrong-side-part.vcl', 'broken-part/main.vcl'];

function host(): IncludeHost {
  const index = new IncludeIndex(files.map((f) => ({ path: join(dir, f), text: readFileSync(join(dir, f), 'utf8') })), DEFAULT_VCL_PATH);
  return {
    searchPath: DEFAULT_VCL_PATH,
    readFile: (p) => index.text(p),
    resolve: (c) => index.resolve(c),
    includersOf: (p) => index.includersOf(p),
  };
}

function lint(file: string): string[] {
  const path = join(dir, file);
  return lintText(readFileSync(path, 'utf8'), { path, includeHost: host() })
    .filter((d) => d.severity === 'error' || d.severity === 'warning')
    .map((d) => `${d.rule}@${d.range.start.line + 1}`);
}

describe('include trees', () => {
  const cases: Array<[string, string[]]> = [
    ['program/main.vcl', []],
    ['program/parts/backends.vcl', []],
    ['program/parts/recv.vcl', []],
    ['broken/missing.vcl', ['include-missing@5']],
    ['broken/cycle-a.vcl', ['include-cycle@5']],
    ['broken/cycle-b.vcl', ['include-cycle@1']],
    // varnishd refuses the program for its part's error: the include line says so.
    ['broken/wrong-side.vcl', ['included-file-errors@5']],
    ['broken/wrong-side-part.vcl', ['variable-access@2']],
  ];
  for (const [file, expected] of cases) {
    it(`${file}: ${expected.join(', ') || 'clean'}`, () => {
      const found = lint(file);
      for (const e of expected) assert.ok(found.includes(e), `expected ${e} in ${JSON.stringify(found)}`);
      if (expected.length === 0) assert.deepEqual(found, []);
    });
  }

  it('without the include tree, a file that includes others is not judged on names', () => {
    const path = join(dir, 'program/main.vcl');
    const errors = lintText(readFileSync(path, 'utf8'), { path }).filter((d) => d.severity === 'error');
    assert.deepEqual(errors.map((d) => d.rule), []);
  });

  it('varnishd compiles the split program (live)', function () {
    this.timeout(60_000);
    const varnishd = findVarnishd();
    if (!varnishd) skipBecause(this, 'varnishd not found');
    // Compiled in a world-readable copy of its folder, so that ./parts resolves.
    const r = compileWithVarnishd(varnishd, join(worldReadableCopy(join(dir, 'program')), 'main.vcl'), [], { inPlace: true });
    assert.equal(r.accepted, true, r.message);
  });
});

describe('include targets resolve as varnishd resolves them', () => {
  // Verified with Varnish 6.5, 7.1, 7.7 and Vinyl 9.0: only `./` is relative to the including
  // file; `../x.vcl` is searched along vcl_path, never in the including file's folder or the cwd.
  const cases: Array<[string, string[]]> = [
    ['/abs/x.vcl', ['/abs/x.vcl']],
    ['./x.vcl', ['/site/conf/x.vcl']],
    ['./../x.vcl', ['/site/x.vcl']],
    ['../x.vcl', ['/vp/x.vcl', '/x.vcl']],
    ['x.vcl', ['/vp/a/x.vcl', '/vp2/x.vcl']],
  ];
  for (const [target, expected] of cases) {
    it(`include "${target}" from /site/conf/main.vcl with vcl_path /vp/a:/vp2`, () => {
      assert.deepEqual(includeCandidates(target, '/site/conf/main.vcl', ['/vp/a', '/vp2']), expected);
    });
  }

  it('"../x.vcl" next to the including file is missing unless vcl_path reaches it; "./../x.vcl" is found (live where varnishd is)', function () {
    this.timeout(60_000);
    const root = mkdtempSync(join(tmpdir(), 'vcl-inc-'));
    try {
      mkdirSync(join(root, 'conf'));
      mkdirSync(join(root, 'vp', 'sub'), { recursive: true });
      writeFileSync(join(root, 'x.vcl'), 'sub vcl_recv { set req.http.from = "parent"; }\n');
      const main = (target: string) => `vcl 4.1;\nbackend b { .host = "127.0.0.1"; }\ninclude "${target}";\n`;
      writeFileSync(join(root, 'conf', 'dotdot.vcl'), main('../x.vcl'));
      writeFileSync(join(root, 'conf', 'dot-dotdot.vcl'), main('./../x.vcl'));
      writeFileSync(join(root, 'vp', 'x.vcl'), 'sub vcl_recv { set req.http.from = "vcl_path"; }\n');
      for (const d of [root, join(root, 'conf'), join(root, 'vp'), join(root, 'vp', 'sub')]) chmodSync(d, 0o755);
      const diskHost = (searchPath: string[]): IncludeHost => ({
        searchPath,
        readFile: (p) => {
          try {
            return readFileSync(p, 'utf8');
          } catch {
            return undefined;
          }
        },
      });
      const missing = (file: string, searchPath: string[]) =>
        lintText(readFileSync(join(root, 'conf', file), 'utf8'), { path: join(root, 'conf', file), includeHost: diskHost(searchPath) }).some((d) => d.rule === 'include-missing');
      const scenarios: Array<[string, string[], boolean]> = [
        ['dotdot.vcl', [join(root, 'vp', 'sub', 'deep')], true],
        ['dotdot.vcl', [join(root, 'vp', 'sub')], false],
        ['dot-dotdot.vcl', [join(root, 'vp', 'sub', 'deep')], false],
      ];
      for (const [file, searchPath, expectMissing] of scenarios) assert.equal(missing(file, searchPath), expectMissing, `${file} with vcl_path ${searchPath.join(':')}`);
      const varnishd = findVarnishd();
      if (!varnishd) this.skip(); // varnishd not found: the same scenarios are not compiled
      for (const [file, searchPath, expectMissing] of scenarios) {
        for (const f of ['x.vcl', 'vp/x.vcl', `conf/${file}`]) chmodSync(join(root, f), 0o644);
        const v = compileWithVarnishd(varnishd!, join(root, 'conf', file), ['-p', `vcl_path=${searchPath.join(':')}`], { inPlace: true });
        assert.equal(v.accepted, !expectMissing, `${file} with vcl_path ${searchPath.join(':')}: ${v.message ?? ''}`);
      }
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('the default vcl_path', () => {
  // Where Varnish and Vinyl Cache 9.0 install their VCL: `include "backends.vcl"` is found there.
  for (const folder of ['varnish', 'vinyl-cache']) {
    it(`a repository laid out like /etc/${folder} has its includes found`, () => {
      const main = `/srv/deploy/${folder}/default.vcl`;
      const part = `/srv/deploy/${folder}/backends.vcl`;
      const texts = new Map([
        [main, 'vcl 4.1;\ninclude "backends.vcl";\nsub vcl_recv { set req.backend_hint = app; }\n'],
        [part, 'backend app { .host = "127.0.0.1"; .port = "8080"; }\n'],
      ]);
      const index = new IncludeIndex([...texts].map(([path, text]) => ({ path, text })), DEFAULT_VCL_PATH);
      assert.equal(index.resolve(`/etc/${folder}/backends.vcl`), part);
      const includeHost: IncludeHost = { searchPath: DEFAULT_VCL_PATH, readFile: (p) => index.text(p), resolve: (c) => index.resolve(c), includersOf: (p) => index.includersOf(p) };
      const found = lintText(texts.get(main)!, { path: main, includeHost }).filter((d) => d.severity === 'error' || d.rule.startsWith('include'));
      assert.deepEqual(found.map((d) => `${d.rule}: ${d.message}`), []);
    });
  }
});

describe('errors of included files', () => {
  const main = join(dir, 'broken-part/main.vcl');
  const part = join(dir, 'broken-part/parts/recv.vcl');

  it('are reported at the include line of the top file, each as related information', () => {
    // Only main.vcl is known: its part is read from disk, as when `vcl-lint main.vcl` is run.
    const index = new IncludeIndex([{ path: main, text: readFileSync(main, 'utf8') }], DEFAULT_VCL_PATH);
    const only: IncludeHost = {
      searchPath: DEFAULT_VCL_PATH,
      readFile: (p) => index.text(p) ?? (p === part ? readFileSync(p, 'utf8') : undefined),
      resolve: (c) => index.resolve(c),
      includersOf: (p) => index.includersOf(p),
    };
    const found = lintText(readFileSync(main, 'utf8'), { path: main, includeHost: only }).filter((d) => d.rule === 'included-file-errors');
    assert.equal(found.length, 1);
    const d = found[0]!;
    assert.equal(d.severity, 'error');
    assert.equal(d.range.start.line, 3);
    assert.match(d.message, /^Included file '\.\/parts\/recv\.vcl' has 1 error, so varnishd refuses the whole program\. First: parts\/recv\.vcl:3:5: Expected ';'/);
    assert.deepEqual(d.related?.map((r) => [r.path, r.range.start.line, r.message.split(':')[0]]), [[part, 2, 'syntax']]);
    // Turned off like any rule; and the part itself still reports its own error.
    assert.deepEqual(lintText(readFileSync(main, 'utf8'), { path: main, includeHost: only, ruleLevels: { 'included-file-errors': 'off' } }).filter((x) => x.severity === 'error'), []);
    assert.deepEqual(lintText(readFileSync(part, 'utf8'), { path: part, includeHost: only }).filter((x) => x.severity === 'error').map((x) => x.rule), ['syntax']);
  });

  it('a program whose parts are clean gets none', () => {
    const path = join(dir, 'program/main.vcl');
    assert.deepEqual(lintText(readFileSync(path, 'utf8'), { path, includeHost: host() }).filter((d) => d.rule === 'included-file-errors'), []);
  });

  it('varnishd refuses the program for its part (live)', function () {
    this.timeout(60_000);
    const varnishd = findVarnishd();
    if (!varnishd) this.skip(); // varnishd not found
    const r = compileWithVarnishd(varnishd!, main, [], { inPlace: true });
    assert.equal(r.accepted, false);
  });
});

describe('tailOf: the last two components of a path', () => {
  // What the index matched paths with before it read them from the end: split on either separator, join the last two.
  const split = (path: string): string | undefined => {
    const parts = path.split(/[\\/]+/).filter(Boolean);
    return parts.length < 2 ? undefined : join(...parts.slice(-2));
  };

  it('as splitting the whole path gives them, on 5,000 generated paths and the edge cases', () => {
    for (const p of ['', '/', '//', 'a', '/a', 'a/', 'a/b', '/a/b/', 'x\\y\\z', '/etc/varnish/default.vcl', 'a//b//', '../x', './x/y', 'a/../b', '\\\\srv\\share\\f.vcl']) {
      assert.equal(tailOf(p), split(p), JSON.stringify(p));
    }
    fc.assert(
      fc.property(fc.array(fc.constantFrom('/', '\\', 'a', 'b.vcl', '.', '..', ' '), { maxLength: 10 }), (pieces) => {
        const p = pieces.join('');
        assert.equal(tailOf(p), split(p), JSON.stringify(p));
      }),
      { numRuns: 5000, seed: 20261208 },
    );
  });
});
