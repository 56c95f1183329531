/**
 * Formatting never changes what varnishd makes of a program: for every
 * corpus file whose text the formatter changes, `varnishd -C` accepts the
 * formatted text exactly when it accepted the original (the corpus records
 * that verdict). Unchanged files need no compile, and identical formatted
 * texts are compiled once. Files whose verdict depends on the machine that recorded
 * it (UNIX sockets and files under the test's /tmp/vtc, absolute includes)
 * are left out; when varnishd here disagrees with the recorded verdict, the
 * original is compiled again and its verdict today is the reference.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { formatVcl, isFormatted } from '../../server/src/format/format.js';
import { findCorpus, loadCorpus } from '../conformance/corpus.js';
import { findVarnishd } from '../helpers/varnishd.js';
import { compileAll } from '../helpers/varnishd-batch.js';
import { skipBecause } from '../helpers/skip.js';

describe('formatted corpus files compile as the originals do (live)', function () {
  this.timeout(1_200_000);
  const varnishd = findVarnishd();
  const root = findCorpus();
  if (!varnishd || !root) {
    const what = !varnishd ? 'varnishd not found' : 'corpus not found';
    it(`${what}: formatter equivalence with varnishd not run`, function () {
      skipBecause(this, what);
    });
    return;
  }

  it('varnishd accepts a formatted file exactly when it accepts the original', async () => {
    const cases: { name: string; original: string; formatted: string; accepted: boolean; args: string[] }[] = [];
    let unchanged = 0;
    for (const e of loadCorpus(root)) {
      const original = readFileSync(e.path, 'utf8');
      if (e.needsUnixSockets || e.name.startsWith('real/eksiscloud') || original.includes('/tmp/vtc')) continue;
      const r = formatVcl(original);
      if (!isFormatted(r)) continue;
      if (r.edits.length === 0) {
        unchanged++;
        continue;
      }
      cases.push({ name: e.name, original, formatted: r.text, accepted: e.varnishd.result === 'accept', args: e.varnishdArgs ?? [] });
    }
    // Many test-suite programs are the same text: compile each distinct text (with its arguments) once.
    const keyOf = (c: (typeof cases)[number]) => `${c.args.join('\0')}\0${c.formatted}`;
    const distinct = [...new Map(cases.map((c) => [keyOf(c), c])).values()];
    const compiled = await compileAll(varnishd, distinct.map((c) => ({ text: c.formatted, args: c.args })));
    const byKey = new Map(distinct.map((c, i) => [keyOf(c), compiled[i]!]));
    const verdicts = cases.map((c) => byKey.get(keyOf(c))!);
    const suspects = cases.map((c, i) => ({ c, v: verdicts[i]! })).filter(({ c, v }) => v.accepted !== c.accepted);
    // A disagreement with the recorded verdict may come from this machine: compare with the original compiled here.
    const today = await compileAll(varnishd, suspects.map(({ c }) => ({ text: c.original, args: c.args })));
    const problems = suspects
      .filter(({ v }, i) => v.accepted !== today[i]!.accepted)
      .map(({ c, v }) => `${c.name}: original ${c.accepted ? 'accepted' : 'refused'}, formatted ${v.accepted ? 'accepted' : `refused: ${v.message.split('\n').slice(0, 4).join(' | ')}`}`);
    console.log(`    ${cases.length} formatted files (${distinct.length} distinct texts) compiled, ${unchanged} already formatted; ${suspects.length - problems.length} verdicts differ from the record on this machine for the original too`);
    assert.ok(cases.length >= 900, `only ${cases.length} files compared`);
    assert.deepEqual(problems, []);
  });
});
