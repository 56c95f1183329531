/**
 * The release case table against the real compilers of 6.5, 7.1, 7.7 and
 * 9.0: each accepts exactly the cases whose span holds it, and refuses the
 * others on the case's line.
 */
import assert from 'node:assert/strict';
import { CHECKED_VERSIONS, holdsIn } from '../../server/src/facts/versions.js';
import { compileWithOracleAsync, oracleMissing, type OracleVerdict } from '../helpers/oracles.js';
import { skipBecause } from '../helpers/skip.js';
import { releaseCases } from '../semantic/release-cases.js';

describe('release case table agrees with each release\'s compiler (live)', function () {
  this.timeout(300_000);
  // Every compile is asked for at once (the shared spawner runs two at a time); each test waits for its release's.
  const verdicts = new Map<string, Promise<OracleVerdict[]>>();
  const verdictsOf = (release: (typeof CHECKED_VERSIONS)[number]): Promise<OracleVerdict[]> => {
    for (const r of CHECKED_VERSIONS) {
      if (!verdicts.has(r) && !oracleMissing(r)) verdicts.set(r, Promise.all(releaseCases.map((c) => compileWithOracleAsync(r, c.text))));
    }
    return verdicts.get(release)!;
  };
  for (const release of CHECKED_VERSIONS) {
    it(`${release}: accepts and refuses as the table says`, async function () {
      const missing = oracleMissing(release);
      if (missing) skipBecause(this, `${missing}: ${releaseCases.length} cases not compiled`);
      const problems: string[] = [];
      const all = await verdictsOf(release);
      for (const [i, c] of releaseCases.entries()) {
        const v = all[i]!;
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
