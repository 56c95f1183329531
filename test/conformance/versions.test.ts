/**
 * Conformance with each checked release's real compiler (6.5, 7.1, 7.7 and
 * Vinyl 9.0) over the whole corpus, newer test-suite programs included: each
 * entry carries every compiler's verdict, and the linter runs with that
 * release selected.
 *
 * The floors are the levels reached today, above the goal (no false error,
 * 98% agreement, 90% on the compiler's line): a change that loses ground
 * fails. False errors not mended yet would be listed with their cause, so
 * that a new one fails and a mended one must leave the list.
 */
import assert from 'node:assert/strict';
import { loadCorpus, type CorpusEntry } from './corpus.js';
import { evaluate, type ConformanceResult } from './evaluate.js';
import { corpusOrSkip } from '../helpers/corpus-or-skip.js';
import type { VarnishVersion } from '../../server/src/facts/versions.js';

interface Floor {
  release: VarnishVersion;
  /** Verdict agreement over the files in scope (not environmental). */
  agreement: number;
  /** Share of refusals with a line where an error is on that line. */
  onLine: number;
  /** False errors not mended yet: file -> why. */
  knownFalseErrors: Record<string, string>;
}

const FLOORS: Floor[] = [
  { release: '6.5', agreement: 0.996, onLine: 0.97, knownFalseErrors: {} },
  { release: '7.1', agreement: 0.994, onLine: 0.96, knownFalseErrors: {} },
  { release: '7.7', agreement: 0.995, onLine: 0.95, knownFalseErrors: {} },
  { release: '9.0', agreement: 0.997, onLine: 0.96, knownFalseErrors: {} },
];

describe('conformance with each release\'s compiler (corpus, vtc-new included)', function () {
  const root = corpusOrSkip('per-release conformance not run');
  if (!root) return;
  let entries: CorpusEntry[];
  before(() => {
    entries = loadCorpus(root, ['vtc', 'real', 'vtc-new']);
  });

  for (const floor of FLOORS) {
    describe(`${floor.release === '9.0' ? 'Vinyl Cache' : 'Varnish'} ${floor.release}`, () => {
      let result: ConformanceResult;
      before(function () {
        this.timeout(120_000);
        result = evaluate(entries, floor.release);
      });

      it('judges at least 1,400 files with this compiler\'s verdict', () => {
        assert.ok(result.files >= 1400, `only ${result.files} files have a ${floor.release} verdict`);
      });

      it('gives no error on a program the compiler accepts, but for the causes listed', () => {
        const got = Object.fromEntries(result.falseErrors.map((m) => [m.file, m.detail]));
        assert.deepEqual(Object.keys(got).sort(), Object.keys(floor.knownFalseErrors).sort(), JSON.stringify(got, null, 1));
      });

      it(`agrees with the compiler's verdict on at least ${(floor.agreement * 100).toFixed(1)}% of the files in scope`, () => {
        const inScope = result.files - result.environmental;
        const agree = result.accepted - result.falseErrors.length + (result.rejected - result.environmental - result.refusedMissed.length);
        assert.ok(agree / inScope >= floor.agreement, `verdict agreement ${((100 * agree) / inScope).toFixed(2)}%`);
      });

      it(`reports an error on the compiler's line for at least ${Math.round(floor.onLine * 100)}% of the refusals with a line`, () => {
        assert.ok(result.refusedOnLine / result.refusedWithLine >= floor.onLine, `${result.refusedOnLine} of ${result.refusedWithLine}`);
      });
    });
  }
});
