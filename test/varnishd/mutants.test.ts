/**
 * Differential test on generated mutants of accepted programs: varnishd
 * accepts a mutant exactly when we report no error on it, for at least 95%
 * of them (the disagreements are printed, so a regression shows what).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { findCorpus, loadCorpus, projectRoot } from '../conformance/corpus.js';
import { compareMutants, makeMutants, mutantSources } from '../conformance/mutants.js';
import { findVarnishd } from '../helpers/varnishd.js';
import { skipBecause } from '../helpers/skip.js';

describe('mutants of accepted programs agree with varnishd (live)', function () {
  this.timeout(600_000);
  const varnishd = findVarnishd();
  if (!varnishd) {
    it('varnishd not found: mutant comparison not run', function () {
      skipBecause(this, 'varnishd not found');
    });
    return;
  }
  it('agrees on at least 95% of the mutants', async function () {
    const root = findCorpus();
    // The project's own files give too few mutants (about 30) for the 150 the measure needs.
    if (!root) skipBecause(this, 'corpus not found (set VCL_CORPUS_DIR or place it at ../shared/corpus)');
    const corpus = root
      ? loadCorpus(root).filter((e, i) => i % 25 === 7 && e.varnishd.result === 'accept' && !e.fragment && !e.varnishdArgs && !e.needsUnixSockets && e.name.startsWith('vtc/'))
      : [];
    const project = ['examples/good.vcl', 'examples/director-without-probes.vcl', 'bench/fixtures/realistic-2000.vcl'].map((f) => join(projectRoot, f));
    const mutants = makeMutants(mutantSources(project, corpus), 12);
    const r = await compareMutants(varnishd, mutants);
    console.log(`    ${r.agree} of ${r.total} mutants agree (${((100 * r.agree) / r.total).toFixed(1)}%)`);
    for (const d of r.disagreements) console.log(`      ${d.mutant.source} [${d.mutant.what}]: varnishd ${d.varnishd}; ours: ${d.ours}`);
    assert.ok(r.total >= 150, `only ${r.total} mutants`);
    assert.ok(r.agree / r.total >= 0.95, `${r.agree} of ${r.total}`);
  });
});
