/**
 * Programs split over files: includes are followed, names resolve across
 * files, a part is checked as part of the program that includes it, and
 * missing or cyclic includes are reported on the include line.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lintText } from '../../server/src/service/lint.js';
import { DEFAULT_VCL_PATH, IncludeIndex } from '../../server/src/analysis/includes.js';
import type { IncludeHost } from '../../server/src/analysis/include-tree.js';
import { projectRoot } from '../conformance/corpus.js';
import { compileWithVarnishd, findVarnishd, worldReadableCopy } from '../helpers/varnishd.js';
import { skipBecause } from '../helpers/skip.js';

const dir = join(projectRoot, 'test/fixtures/includes');
const files = ['program/main.vcl', 'program/parts/backends.vcl', 'program/parts/recv.vcl', 'broken/missing.vcl', 'broken/cycle-a.vcl', 'broken/cycle-b.vcl', 'broken/wrong-side.vcl', 'broken/wrong-side-part.vcl'];

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
    ['broken/wrong-side.vcl', []],
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
