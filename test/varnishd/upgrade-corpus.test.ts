/**
 * Upgrade fixes over the whole corpus: each program that one checked
 * release's compiler accepts and the next one refuses is linted for the
 * newer release and fixed as `vcl-lint --fix` does; where the fixes leave no
 * error, the newer release's real compiler must accept the fixed program.
 * (Programs that include other files are left out: the compiler sees the
 * fixed text alone.)
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { lintText } from '../../server/src/service/lint.js';
import { fixText } from '../../server/src/cli/fix.js';
import type { VarnishVersion } from '../../server/src/facts/versions.js';
import { findCorpus, loadCorpus } from '../conformance/corpus.js';
import { isEnvironmental, lintOptionsFor } from '../conformance/evaluate.js';
import { compileWithOracle, oracleMissing } from '../helpers/oracles.js';
import { skipBecause } from '../helpers/skip.js';

const STEPS: Array<[VarnishVersion, VarnishVersion]> = [
  ['6.5', '7.1'],
  ['7.1', '7.7'],
  ['7.7', '9.0'],
];

describe('upgrade fixes over the corpus compile on the newer release (live)', function () {
  this.timeout(600_000);
  const root = findCorpus();
  for (const [from, to] of STEPS) {
    it(`${from} -> ${to}: every program the fixes leave without error compiles on ${to}`, function () {
      if (!root) skipBecause(this, 'corpus not found (set VCL_CORPUS_DIR)');
      const missing = oracleMissing(to);
      if (missing) skipBecause(this, missing);
      const entries = loadCorpus(root!, ['vtc', 'real', 'vtc-new']).filter(
        (e) => e.versions?.[from]?.result === 'accept' && e.versions?.[to]?.result === 'refuse' && !e.fragment && !isEnvironmental(e.versions[to]!.message),
      );
      const problems: string[] = [];
      let proven = 0;
      for (const e of entries) {
        const text = readFileSync(e.path, 'utf8');
        if (/\binclude\b/.test(text)) continue;
        const options = { ...lintOptionsFor(e), varnishVersion: to };
        const fixed = fixText(text, (t) => lintText(t, options));
        if (fixed.applied === 0 || lintText(fixed.text, options).some((d) => d.severity === 'error')) continue;
        const v = compileWithOracle(to, fixed.text, e.varnishdArgs ?? []);
        if (v.accepted) proven++;
        else problems.push(`${e.name}: ${to} refuses the fixed program: ${v.message}`);
      }
      console.log(`      ${entries.length} programs ${from} accepts and ${to} refuses; ${proven} fixed and compiled by ${to}`);
      assert.deepEqual(problems, []);
    });
  }
});
