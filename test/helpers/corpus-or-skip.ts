/**
 * The corpus for the tests that run over it, or in its absence one pending
 * test that says which tests did not run (see skip.ts: under CI=true a
 * missing corpus fails the run instead).
 */
import { findCorpus } from '../conformance/corpus.js';
import { skipBecause } from './skip.js';

/**
 * The corpus's root, when it is found; otherwise registers, in the
 * `describe` being defined, a test that is skipped because the corpus is
 * missing, titled with `notRun` (what the corpus would have been used for).
 */
export function corpusOrSkip(notRun: string): string | undefined {
  const root = findCorpus();
  if (!root) {
    it(`corpus not found (set VCL_CORPUS_DIR or place it at ../shared/corpus): ${notRun}`, function () {
      skipBecause(this, 'corpus not found');
    });
  }
  return root;
}
