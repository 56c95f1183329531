/**
 * The semantic case table, checked against the real varnishd: a case that
 * expects a finding must be one varnishd refuses, on the same line; a
 * clean case must compile.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileWithVarnishd, findVarnishd } from '../helpers/varnishd.js';
import { PRELUDE, semanticCases } from '../semantic/cases.js';
import { skipBecause } from '../helpers/skip.js';

describe('semantic case table agrees with varnishd (live)', function () {
  this.timeout(300_000);
  const varnishd = findVarnishd();
  if (!varnishd) {
    it(`varnishd not found: ${semanticCases.length} semantic cases not compared`, function () {
      skipBecause(this, 'varnishd not found');
    });
    return;
  }
  it(`varnishd refuses exactly the ${semanticCases.filter((c) => c.expect).length} cases with an expected finding`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'vcl-cases-'));
    const problems: string[] = [];
    const preludeLines = PRELUDE.split('\n').length - 1;
    semanticCases.forEach((c, i) => {
      const file = join(dir, `case${i}.vcl`);
      writeFileSync(file, PRELUDE + c.body + '\n');
      const v = compileWithVarnishd(varnishd, file);
      if (c.expect === null && !v.accepted) problems.push(`${c.name}: varnishd refuses: ${v.message}`);
      if (c.expect !== null) {
        const line = Number(c.expect.split('@')[1]) + preludeLines;
        if (v.accepted) problems.push(`${c.name}: varnishd accepts`);
        else if (v.line !== undefined && v.line !== line) problems.push(`${c.name}: varnishd stops on line ${v.line - preludeLines} (${v.message}), not ${line - preludeLines}`);
      }
    });
    rmSync(dir, { recursive: true, force: true });
    assert.deepEqual(problems, []);
  });
});
