/**
 * Conformance with varnishd 7.1.1 over the corpus: no error on any program
 * varnishd accepts, and a syntax-level error (`syntax`, or a VCL 3 or removed
 * construct with its own rule) on varnishd's line for every program it refuses with a syntax-level message.
 */
import assert from 'node:assert/strict';
import { loadCorpus } from './corpus.js';
import { evaluate, type ConformanceResult } from './evaluate.js';
import { corpusOrSkip } from '../helpers/corpus-or-skip.js';

describe('conformance with varnishd 7.1.1 (corpus)', function () {
  const root = corpusOrSkip('1,250 conformance cases not run');
  if (!root) return;
  let result: ConformanceResult;
  before(function () {
    this.timeout(120_000);
    result = evaluate(loadCorpus(root));
  });

  it('reads the whole corpus', () => {
    assert.ok(result.files > 1200, `only ${result.files} corpus files`);
  });

  it('reports no error on any file varnishd accepts', () => {
    assert.deepEqual(result.falseErrors, []);
  });

  it('agrees with varnishd\'s verdict on at least 98% of the files in scope', () => {
    const inScope = result.files - result.environmental;
    const agree = result.accepted - result.falseErrors.length + (result.rejected - result.environmental - result.refusedMissed.length);
    assert.ok(agree / inScope >= 0.98, `verdict agreement ${((100 * agree) / inScope).toFixed(1)}%`);
  });

  it('reports an error on varnishd\'s line for at least 90% of the refused files', () => {
    assert.ok(result.refusedOnLine / result.refusedWithLine >= 0.9, `${result.refusedOnLine} of ${result.refusedWithLine}`);
  });

  it('flags a syntax error on varnishd\'s line for every syntax-level reject', () => {
    assert.ok(result.syntaxRejects >= 40, `only ${result.syntaxRejects} syntax-level rejects found`);
    assert.deepEqual(result.syntaxMissed, []);
  });
});
