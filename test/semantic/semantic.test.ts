/** Data-driven semantic checks: each case expects one rule on one line, or a clean program. */
import assert from 'node:assert/strict';
import { lintText } from '../../server/src/service/lint.js';
import { PRELUDE, semanticCases } from './cases.js';

const preludeLines = PRELUDE.split('\n').length - 1;

describe('semantic checks (data-driven)', () => {
  for (const c of semanticCases) {
    it(`${c.name}: ${c.expect ?? 'clean'}`, () => {
      const errors = lintText(PRELUDE + c.body + '\n').filter((d) => d.severity === 'error');
      const found = errors.map((d) => `${d.rule}@${d.range.start.line - preludeLines + 1}`);
      if (c.expect === null) assert.deepEqual(found, []);
      else assert.ok(found.includes(c.expect), `expected ${c.expect}, got ${JSON.stringify(errors.map((d) => `${d.rule}@${d.range.start.line - preludeLines + 1}: ${d.message}`))}`);
    });
  }
});
