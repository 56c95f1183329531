/**
 * The release case table against the real compilers of 6.5, 7.1, 7.7 and
 * 9.0: each accepts exactly the cases whose span holds it, and refuses the
 * others on the case's line.
 */
import assert from 'node:assert/strict';
import { CHECKED_VERSIONS, holdsIn } from '../../server/src/facts/versions.js';
import { compileWithOracle, oracleMissing } from '../helpers/oracles.js';
import { skipBecause } from '../helpers/skip.js';
import { releaseCases } from '../semantic/release-cases.js';

describe('release case table agrees with each release\'s compiler (live)', function () {
  this.timeout(300_000);
  for (const release of CHECKED_VERSIONS) {
    it(`${release}: accepts and refuses as the table says`, function () {
      const missing = oracleMissing(release);
      if (missing) skipBecause(this, `${missing}: ${releaseCases.length} cases not compiled`);
      const problems: string[] = [];
      for (const c of releaseCases) {
        const v = compileWithOracle(release, c.text);
        const line = Number(c.refused.split('@')[1]);
        if (holdsIn(release, c.accepted)) {
          if (!v.accepted) problems.push(`${c.name}: refused (${v.message})`);
        } else if (v.accepted) {
          problems.push(`${c.name}: accepted`);
        } else if (v.line !== undefined && v.line !== line) {
          problems.push(`${c.name}: refused on line ${v.line} (${v.message}), not ${line}`);
        }
      }
      assert.deepEqual(problems, []);
    });
  }
});
