/**
 * The release case table, linted with each supported release selected: an
 * error of the case's rule on its line exactly where the release lies
 * outside the span its compiler accepts, and no error inside it.
 */
import assert from 'node:assert/strict';
import { lintText } from '../../server/src/service/lint.js';
import { holdsIn, VARNISH_VERSIONS } from '../../server/src/facts/versions.js';
import { releaseCases } from './release-cases.js';

describe('release case table (every supported release)', () => {
  for (const c of releaseCases) {
    it(c.name, () => {
      const [rule, line] = c.refused.split('@') as [string, string];
      const problems: string[] = [];
      for (const release of VARNISH_VERSIONS) {
        const errors = lintText(c.text, { varnishVersion: release }).filter((d) => d.severity === 'error');
        if (holdsIn(release, c.accepted)) {
          if (errors.length) problems.push(`${release}: ${errors[0]!.rule}@${errors[0]!.range.start.line + 1} ${errors[0]!.message}`);
        } else if (!errors.some((d) => d.rule === rule && d.range.start.line + 1 === Number(line))) {
          problems.push(`${release}: no ${c.refused}; got ${errors.map((d) => `${d.rule}@${d.range.start.line + 1}`).join(', ') || 'nothing'}`);
        }
      }
      assert.deepEqual(problems, []);
    });
  }
});
