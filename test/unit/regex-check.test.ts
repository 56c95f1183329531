/** The PCRE2 structural check, one pattern per line: errors PCRE2 always reports, and patterns it accepts. */
import assert from 'node:assert/strict';
import { checkRegex } from '../../server/src/analysis/regex-check.js';
import { findVarnishd } from '../helpers/varnishd.js';
import { compileAll } from '../helpers/varnishd-batch.js';
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
  // PCRE2 syntax varnishd 7.1 compiles (each also compiled by the live test below)
  ['(?#c)a', null],
  ['a(?#x)*', null],
  ['(a)(?1)', null],
  ['(?1)*(a)', null],
  ['(?+1)(a)', null],
  ['(?|(a)|(b))', null],
  ['(a)?(?(1)a|b)', null],
  ['(?(R)a|b)', null],
  ['(?(<n>)a|b)(?<n>x)', null],
  ['(?(DEFINE)(?<d>a))(?&d)', null],
  ['(?(?=a)a|b)', null],
  ['(?C1)abc', null],
  ['(?C"text")a', null],
  ['(?<n>a)\\k<n>', null],
  ["(?'n'a)\\k'n'", null],
  ['(?P<n>a)(?P=n)', null],
  ['(?P>n)(?P<n>a)', null],
  ['(?J)(?<n>a)|(?<n>b)', null],
  ['(a)\\g{-1}', null],
  ['(a)\\1*', null],
  ['a(?R)?b', null],
  ['(*ANY)a', null],
  ['(*LIMIT_MATCH=10)a', null],
  ['a(*SKIP)(*FAIL)|b', null],
  ['(*MARK:x)a', null],
  ['\\Qa(b\\E', null],
  ['\\Q(\\E+', null],
  ['\\Qab', null],
  ['x\\Q\\E*', null],
  ['[\\Q]\\E]', null],
  ['a++', null],
  ['a*+', null],
  ['a?+', null],
  ['a{2}+', null],
  ['a{3}?', null],
  ['a{,3}', null],
  ['(?>ab)', null],
  ['(?<=a)b', null],
  ['(?<!a)b', null],
  ['(?<=a|bc)d', null],
  ['(?=a)*b', null],
  ['(?*a)b', null],
  ['\\p{L}', null],
  ['\\x{41}+', null],
  ['\\ca*', null],
  ['\\Ba', null],
  ['(?i:a)', null],
  ['(?i-s:a)', null],
  ['(?-i)a', null],
  ['(?^i)a', null],
  ['(?n)(a)', null],
  ['((?i)a)*', null],
  ['(?i)(?#x)a*', null],
  ['(?xx)[a b]', null],
  ['(?x)a # c (', null],
  ['(?x)a#c)', null],
  ['(?x) a * # c (', null],
  ['(*positive_lookahead:a)a', null],
  ['(*atomic:a)', null],
  ['(*pla:a)', null],
  ['(*napla:a)', null],
  ['a(?:)*', null],
  ['()*', null],
  ['(?(VERSION>=10.0)a|b)', null],
  ['(a)\\g<1>', null],
  ["(?<n>a)\\g'n'", null],
  ['(?<n>a)(?(R&n)a|b)', null],
  ['[[:^alpha:]]', null],
  ['(?C{text})a', null],
  ['(*NOTEMPTY)a', null],
  ['(*UTF)(*UCP)\\w+', null],
  ['a{1,2}?', null],
  ['(?<=\\d{3})x', null],
  ['\\o{101}', null],
  ['(?|(?<a>x)|(?<a>y))', null],
  ['a(*THEN)b|c', null],
  ['(*PRUNE:n)a', null],
  ['(*:name)a', null],
  ['(?>a+)+', null],
  ['a{ 2 }', null],
  ['(?<n1>a)\\k{n1}', null],
  ['(*sr:\\d+)', null],
  ['\\d{2}{3}', 'quantifier'],
  // Letter escapes: what PCRE2 knows, and what it refuses (the PCRE of Varnish 6 took these as the letter)
  ['\\a\\e\\f\\h\\H\\v\\V\\R\\X\\N\\C\\w\\W\\s\\S\\d\\D', null],
  ['a\\Tb', 'unrecognized'],
  ['\\i', 'unrecognized'],
  ['x\\q', 'unrecognized'],
  ['\\u0041', 'unrecognized'],
  ['\\L', 'unrecognized'],
  // ... and what it refuses
  ['a**', 'quantifier'],
  ['a+*', 'quantifier'],
  ['a*?+', 'quantifier'],
  ['a{2}*', 'quantifier'],
  ['a{2}{3}', 'quantifier'],
  ['^*a', 'quantifier'],
  ['$*', 'quantifier'],
  ['a|^+', 'quantifier'],
  ['\\b*a', 'quantifier'],
  ['\\b+', 'quantifier'],
  ['\\K*a', 'quantifier'],
  ['a\\K*', 'quantifier'],
  ['\\A*', 'quantifier'],
  ['\\G*', 'quantifier'],
  ['\\Z*', 'quantifier'],
  ['\\z*', 'quantifier'],
  ['(?i)*a', 'quantifier'],
  ['a(?i)*', 'quantifier'],
  ['(?#x)*a', 'quantifier'],
  ['(?C1)*a', 'quantifier'],
  ['a(?C1)*', 'quantifier'],
  ['(*ANY)*a', 'quantifier'],
  ['a(*SKIP)*', 'quantifier'],
  ['\\Q\\E*a', 'quantifier'],
  ['a{2,1}', 'out of order'],
  ['(?#unterminated', 'comment'],
  ['(?P<n>a', 'missing closing parenthesis'],
  ['\\c', '\\\\c at the end'],
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
  const program = (patterns: string[]) =>
    `vcl 4.1;\nbackend b { .host = "127.0.0.1"; }\nsub vcl_recv {\n${patterns.map((p) => `  if (req.url ~ {"${p}"}) { return (pass); }\n`).join('')}}\n`;
  it(`varnishd refuses exactly the ${cases.filter((c) => c[1]).length} patterns the check flags`, async function () {
    const varnishd = findVarnishd();
    if (!varnishd) skipBecause(this, 'varnishd not found: the regex cases are not compiled');
    const accepted = cases.filter((c) => c[1] === null).map((c) => c[0]);
    const refused = cases.filter((c) => c[1] !== null).map((c) => c[0]);
    // One program holds every pattern that should compile (one compile instead of a hundred);
    // only when it is refused is each compiled alone, to name the culprit.
    const [all] = await compileAll(varnishd!, [{ text: program(accepted) }]);
    const alone = all!.accepted ? [] : accepted;
    const verdicts = await compileAll(varnishd!, [...alone, ...refused].map((p) => ({ text: program([p]) })));
    const problems: string[] = [];
    [...alone, ...refused].forEach((pattern, i) => {
      const v = verdicts[i]!;
      const expectRefused = i >= alone.length;
      if (v.accepted === expectRefused) problems.push(`${pattern}: varnishd ${v.accepted ? 'accepts' : `refuses (${v.message})`}`);
    });
    if (!all!.accepted && problems.length === 0) problems.push(`the patterns together are refused: ${all!.message}`);
    assert.deepEqual(problems, []);
  });
});
