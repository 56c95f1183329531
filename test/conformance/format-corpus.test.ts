/**
 * The formatter over every corpus file: formatting twice changes nothing,
 * and formatting changes only whitespace (the same tokens and comments, in
 * the same order). Files with syntax errors are left alone, so the count of
 * formatted files is checked too.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { formatVcl, isFormatted } from '../../server/src/format/format.js';
import { tokenSequence } from '../helpers/token-sequence.js';
import { findCorpus, loadCorpus } from './corpus.js';
import { skipBecause } from '../helpers/skip.js';

describe('formatter over the corpus', function () {
  this.timeout(300_000);
  const root = findCorpus();
  if (!root) {
    it('corpus not found: formatter corpus checks not run', function () {
      skipBecause(this, 'corpus not found');
    });
    return;
  }
  const entries = loadCorpus(root);

  it(`is idempotent and changes only whitespace on all ${entries.length} files`, () => {
    const problems: string[] = [];
    let formatted = 0;
    let refused = 0;
    for (const e of entries) {
      const text = readFileSync(e.path, 'utf8');
      const r = formatVcl(text);
      if (!isFormatted(r)) {
        refused++;
        if (r.reason !== 'syntax-errors') problems.push(`${e.name}: ${r.reason}`);
        continue;
      }
      formatted++;
      const again = formatVcl(r.text);
      if (!isFormatted(again) || again.edits.length > 0) problems.push(`${e.name}: formatting again changes the text`);
      const before = tokenSequence(text);
      const after = tokenSequence(r.text);
      const at = before.findIndex((t, i) => t !== after[i]);
      if (at >= 0 || before.length !== after.length) problems.push(`${e.name}: tokens differ at #${at}: ${before[at]} / ${after[at]}`);
    }
    console.log(`    ${formatted} files formatted, ${refused} left alone for their syntax errors`);
    assert.deepEqual(problems, []);
    // Nearly every corpus file is valid syntax; a formatter that refused them would pass the checks above vacuously.
    assert.ok(formatted >= entries.length * 0.9, `only ${formatted} of ${entries.length} formatted`);
  });
});
