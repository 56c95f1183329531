/** The PCRE2 structural check, one pattern per line: errors PCRE2 always reports, and patterns it accepts. */
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkRegex } from '../../server/src/analysis/regex-check.js';
import { compileWithVarnishd, findVarnishd } from '../helpers/varnishd.js';
import { skipBecause } from '../helpers/skip.js';

const cases: Array<[string, string | null]> = [
  ['^/static/.*\\.(css|js|png)$', null],
  ['[a', 'character class'],
  ['[]a]', null],
  ['[^]a]', null],
  ['[[:alpha:]]+', null],
  ['(a|b', "missing closing parenthesis"],
  ['a)', 'unmatched closing'],
  ['*a', 'quantifier'],
  ['a|*b', 'quantifier'],
  ['(?i)^/admin', null],
  ['(?:a|b)+', null],
  ['(?<name>x)', null],
  ['(?=x)y', null],
  ['a\\', 'backslash'],
  ['\\Q[(\\E', null],
  ['\\[x\\]', null],
  ['x{2,3}', null],
  ['(*UTF)x', null],
];

describe('PCRE2 structural check', () => {
  for (const [pattern, expected] of cases) {
    it(`${JSON.stringify(pattern)}: ${expected ?? 'compiles'}`, () => {
      const p = checkRegex(pattern);
      if (expected === null) assert.equal(p, undefined, p?.message);
      else assert.match(p?.message ?? '', new RegExp(expected));
    });
  }
});

describe('PCRE2 structural check agrees with varnishd (live)', function () {
  this.timeout(120_000);
  it(`varnishd refuses exactly the ${cases.filter((c) => c[1]).length} patterns the check flags`, function () {
    const varnishd = findVarnishd();
    if (!varnishd) skipBecause(this, 'varnishd not found');
    const dir = mkdtempSync(join(tmpdir(), 'vcl-regex-'));
    chmodSync(dir, 0o755);
    const problems: string[] = [];
    try {
      cases.forEach(([pattern, expected], i) => {
        const file = join(dir, `r${i}.vcl`);
        writeFileSync(file, `vcl 4.1;\nbackend b { .host = "127.0.0.1"; }\nsub vcl_recv {\n  if (req.url ~ "${pattern}") { return (pass); }\n}\n`);
        const v = compileWithVarnishd(varnishd, file);
        if (v.accepted === (expected !== null)) problems.push(`${pattern}: varnishd ${v.accepted ? 'accepts' : `refuses (${v.message})`}`);
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    assert.deepEqual(problems, []);
  });
});
