/**
 * Formatting never changes what varnishd makes of a program: for every
 * corpus file whose text the formatter changes, `varnishd -C` accepts the
 * formatted text exactly when it accepted the original (the corpus records
 * that verdict). One test per file; unchanged files need no compile, and
 * identical formatted texts are compiled once, two at a time, queued as soon
 * as a file is formatted. Files whose verdict depends on the machine that
 * recorded it (UNIX sockets and files under the test's /tmp/vtc, absolute
 * includes) are left out; when varnishd here disagrees with the recorded
 * verdict, the original is compiled again and its verdict today is the
 * reference.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { formatVcl, isFormatted } from '../../server/src/format/format.js';
import { findCorpus, loadCorpus } from '../conformance/corpus.js';
import { findVarnishd } from '../helpers/varnishd.js';
import { sharedCompileQueue, type BatchVerdict } from '../helpers/varnishd-batch.js';
import { inOrder } from '../helpers/in-order.js';
import { skipBecause } from '../helpers/skip.js';

/** What became of one file. */
type Outcome =
  | { kind: 'not formatted'; reason: string }
  | { kind: 'unchanged' }
  | { kind: 'formatted'; original: string; formatted: string; recorded: boolean; args: string[]; verdict: Promise<Comparison> };

/** varnishd's verdict on the formatted text, and on the original today when that one differs from the record. */
interface Comparison {
  formatted: BatchVerdict;
  originalToday?: BatchVerdict;
}

describe('formatted corpus files compile as the originals do (live)', function () {
  this.timeout(300_000);
  const varnishd = findVarnishd();
  const root = findCorpus();
  if (!varnishd || !root) {
    const what = !varnishd ? 'varnishd not found' : 'corpus not found';
    it(`${what}: formatter equivalence with varnishd not run`, function () {
      skipBecause(this, what);
    });
    return;
  }

  const queue = sharedCompileQueue(varnishd);
  const entries = loadCorpus(root).flatMap((e) => {
    if (e.needsUnixSockets || e.name.startsWith('real/eksiscloud')) return [];
    const original = readFileSync(e.path, 'utf8');
    return original.includes('/tmp/vtc') ? [] : [{ name: e.name, original, recorded: e.varnishd.result === 'accept', args: e.varnishdArgs ?? [] }];
  });
  let outcomes: Promise<Outcome>[] = [];

  before(function () {
    outcomes = inOrder(entries, ({ original, recorded, args }): Outcome => {
      const r = formatVcl(original);
      if (!isFormatted(r)) return { kind: 'not formatted', reason: r.reason };
      if (r.edits.length === 0) return { kind: 'unchanged' };
      const formatted = r.text;
      const verdict = queue.compile({ text: formatted, args }).then(async (v): Promise<Comparison> => {
        if (v.accepted === recorded) return { formatted: v };
        // A disagreement with the recorded verdict may come from this machine: compare with the original compiled here.
        return { formatted: v, originalToday: await queue.compile({ text: original, args }, { next: true }) };
      });
      return { kind: 'formatted', original, formatted, recorded, args, verdict };
    });
  });

  entries.forEach((e, i) => {
    it(e.name, async function () {
      const outcome = await outcomes[i]!;
      // Nothing to compile; the title says why.
      if (outcome.kind === 'unchanged') this.test!.title += ' (already formatted)';
      if (outcome.kind === 'not formatted') this.test!.title += ` (not formatted: ${outcome.reason})`;
      if (outcome.kind !== 'formatted') return;
      const { formatted, originalToday } = await outcome.verdict;
      const reference = originalToday?.accepted ?? outcome.recorded;
      // varnishd's first lines, without its note about a scratch file it could not delete.
      const said = (v: BatchVerdict) =>
        v.accepted ? 'accepted' : `refused: ${v.message.split('\n').filter((l) => !l.startsWith('Could not delete')).slice(0, 4).join(' | ')}`;
      assert.equal(
        formatted.accepted,
        reference,
        `${e.name}: original ${originalToday ? `${said(originalToday)} here (recorded ${outcome.recorded ? 'accepted' : 'refused'})` : outcome.recorded ? 'accepted' : 'refused'}, formatted ${said(formatted)}`,
      );
    });
  });

  it('compared at least 900 formatted files', async () => {
    const all = await Promise.all(outcomes);
    const formatted = all.filter((o) => o.kind === 'formatted');
    const comparisons = await Promise.all(formatted.map((o) => o.verdict));
    const distinct = new Set(formatted.map((o) => `${JSON.stringify(o.args)}\n${o.formatted}`)).size;
    const unchanged = all.filter((o) => o.kind === 'unchanged').length;
    const machine = comparisons.filter((c) => c.originalToday && c.originalToday.accepted === c.formatted.accepted).length;
    console.log(`    ${formatted.length} formatted files (${distinct} distinct texts) compiled, ${unchanged} already formatted; ${machine} verdicts differ from the record on this machine for the original too`);
    assert.ok(formatted.length >= 900, `only ${formatted.length} files compared`);
  });
});
