/**
 * `applyFixes` weighs fixes in diagnostic order and takes each that touches
 * none taken before it. It does so in one sweep, so it is checked here
 * against the plain one-by-one reading of that rule on random fixes, and
 * on a file with 100,000 fixes (which the one-by-one splicing never finished).
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { applyFixes } from '../../server/src/cli/fix.js';
import type { LintDiagnostic } from '../../server/src/service/types.js';
import type { OffsetEdit as Edit } from '../../server/src/text/offset-edits.js';

/** The rule as written: in order, a fix is taken when no edit of it (or of those taken) touches another. */
function reference(text: string, fixes: Edit[][]): { text: string; applied: number } {
  const chosen: Edit[] = [];
  let applied = 0;
  const touching = (edits: Edit[]): boolean => {
    const sorted = [...edits].sort((x, y) => x.start - y.start || x.end - y.end);
    return sorted.some((cur, i) => i > 0 && (cur.start < sorted[i - 1]!.end || cur.start === sorted[i - 1]!.start));
  };
  for (const edits of fixes) {
    if (touching([...chosen, ...edits])) continue;
    chosen.push(...edits);
    applied++;
  }
  let out = text;
  for (const e of [...chosen].sort((x, y) => y.start - x.start)) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return { text: out, applied };
}

/** One-line text, so offsets are characters of line 0. */
function diagnostic(edits: Edit[]): LintDiagnostic {
  const at = (c: number) => ({ line: 0, character: c });
  return {
    rule: 'x', severity: 'error', message: 'x',
    range: { start: at(0), end: at(0) },
    fixes: [{ title: 'fix', edits: edits.map((e) => ({ range: { start: at(e.start), end: at(e.end) }, newText: e.newText })) }],
  };
}

describe('applyFixes: one sweep, same result as weighing every fix in order', () => {
  it('agrees with the one-by-one rule on random overlapping fixes', () => {
    const text = 'abcdefghijklmnopqrstuvwxyz0123456789';
    const edit = fc.tuple(fc.nat(text.length), fc.nat(4), fc.string({ maxLength: 3 })).map(([s, len, t]) => ({ start: s, end: Math.min(text.length, s + len), newText: t }));
    fc.assert(
      fc.property(fc.array(fc.array(edit, { minLength: 1, maxLength: 3 }), { maxLength: 12 }), (fixes) => {
        const got = applyFixes(text, fixes.map(diagnostic));
        assert.deepEqual(got, reference(text, fixes));
      }),
      { numRuns: 3000, seed: 20261204 },
    );
  });

  it('applies 100,000 fixes of one long line', () => {
    const n = 100_000;
    const text = 'ab'.repeat(n);
    const fixes = Array.from({ length: n }, (_, i) => [{ start: 2 * i, end: 2 * i + 1, newText: 'A' }]);
    const got = applyFixes(text, fixes.map(diagnostic));
    assert.equal(got.applied, n);
    assert.equal(got.text, 'Ab'.repeat(n));
  });
});
