/**
 * Checks that only the later releases' compilers make (sockets and `.via`
 * from 7.3, relative `include +glob` from 7.7), one row each: linted with
 * every checked release selected, and compiled with the real 7.7 and 9.0
 * compilers. A row is refused by those two on its line, or accepted; the
 * linter reports the row's rule on that line for 7.7 and 9.0 and nothing
 * of that rule for 7.1, which has none of these checks. (Paths that must
 * exist on the machine are avoided: varnishd also stats a socket path.)
 */
import assert from 'node:assert/strict';
import { lintText } from '../../server/src/service/lint.js';
import type { VarnishVersion } from '../../server/src/facts/versions.js';
import { compileWithOracleAsync, oracleMissing } from '../helpers/oracles.js';
import { skipBecause } from '../helpers/skip.js';

interface LateCase {
  name: string;
  text: string;
  /** `rule@line` reported by 7.7 and 9.0, or null where they accept the program. */
  refused: string | null;
}

const LATE: readonly VarnishVersion[] = ['7.7', '9.0'];
const abstract = (bytes: number) => `@${'s'.repeat(bytes - 1)}`;
const sock = (path: string) => `vcl 4.1;\nbackend b {\n  .path = "${path}";\n}\n`;
const VIA = 'vcl 4.1;\nbackend a { .host = "127.0.0.1"; .port = "6083"; }\n';

const cases: LateCase[] = [
  { name: 'an abstract socket without a name', text: sock('@'), refused: 'backend-address@3' },
  { name: 'an abstract socket name of 107 bytes', text: sock(abstract(107)), refused: null },
  { name: 'an abstract socket name of 108 bytes', text: sock(abstract(108)), refused: 'backend-address@3' },
  { name: 'a socket path of 108 bytes', text: sock(`/${'p'.repeat(107)}`), refused: 'backend-address@3' },
  {
    name: '.via through a backend that connects directly',
    text: `${VIA}backend b {\n  .via = a;\n  .host = "127.0.0.2";\n  .authority = "b";\n}\nsub vcl_recv {\n  set req.backend_hint = b;\n}\n`,
    refused: null,
  },
  {
    name: '.via through a backend that has a .via',
    text: `${VIA}backend b {\n  .via = a;\n  .host = "127.0.0.2";\n  .authority = "b";\n}\nbackend c {\n  .via = b;\n  .host = "127.0.0.3";\n  .authority = "c";\n}\nsub vcl_recv {\n  set req.backend_hint = c;\n}\n`,
    refused: 'backend-address@9',
  },
  {
    name: '.via naming a backend defined below',
    text: `vcl 4.1;\nbackend b {\n  .via = a;\n  .host = "127.0.0.2";\n  .authority = "b";\n}\nbackend a { .host = "127.0.0.1"; .port = "6083"; }\nsub vcl_recv {\n  set req.backend_hint = b;\n}\n`,
    refused: 'symbol-unknown@3',
  },
  {
    name: '.via with an address as .host and no .authority',
    text: `${VIA}backend b {\n  .via = a;\n  .host = "127.0.0.2";\n}\nsub vcl_recv {\n  set req.backend_hint = b;\n}\n`,
    refused: 'backend-address@5',
  },
  {
    name: '.via with an address as .host and a .host_header',
    text: `${VIA}backend b {\n  .via = a;\n  .host = "127.0.0.2";\n  .host_header = "b.example";\n}\nsub vcl_recv {\n  set req.backend_hint = b;\n}\n`,
    refused: null,
  },
  { name: 'include +glob with a relative pattern', text: 'vcl 4.1;\nbackend b none;\ninclude +glob "sites/*.vcl";\n', refused: 'include-glob@3' },
];

describe('checks of the later releases (sockets, .via, include +glob)', () => {
  for (const c of cases) {
    it(`${c.name}: linted as ${c.refused ?? 'clean'} for 7.7 and 9.0`, () => {
      const problems: string[] = [];
      for (const release of LATE) {
        const errors = lintText(c.text, { varnishVersion: release }).filter((d) => d.severity === 'error');
        const at = errors.map((d) => `${d.rule}@${d.range.start.line + 1}`);
        if (c.refused === null ? at.length > 0 : !at.includes(c.refused)) problems.push(`${release}: ${at.join(', ') || 'nothing'} (${errors.map((d) => d.message).join(' | ')})`);
      }
      // 7.1 has neither abstract sockets, .via nor this glob rule: whatever it says, it is not this rule on this line
      // (release-feature names the constructs it lacks), except a name from below, refused by every release.
      const rule = c.refused?.split('@')[0];
      if (rule && rule !== 'symbol-unknown' && lintText(c.text, { varnishVersion: '7.1' }).some((d) => d.rule === rule)) problems.push(`7.1: ${rule} reported`);
      assert.deepEqual(problems, []);
    });
  }

  describe('the real 7.7 and 9.0 compilers (live)', function () {
    this.timeout(120_000);
    for (const release of LATE) {
      it(`${release}: refuses each refused row on its line and accepts the others`, async function () {
        const missing = oracleMissing(release);
        if (missing) skipBecause(this, `${missing}: ${cases.length} cases not compiled`);
        const verdicts = await Promise.all(cases.map((c) => compileWithOracleAsync(release, c.text)));
        const problems: string[] = [];
        cases.forEach((c, i) => {
          const v = verdicts[i]!;
          if (c.refused === null) {
            if (!v.accepted) problems.push(`${c.name}: refused (${v.message})`);
          } else if (v.accepted) {
            problems.push(`${c.name}: accepted`);
          } else if (v.line !== undefined && v.line !== Number(c.refused.split('@')[1])) {
            problems.push(`${c.name}: refused on line ${v.line} (${v.message}), not ${c.refused}`);
          }
        });
        assert.deepEqual(problems, []);
      });
    }
  });
});
