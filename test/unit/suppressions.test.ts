/** Suppression comments and configured rule levels, one case per line. */
import assert from 'node:assert/strict';
import { lintText } from '../../server/src/service/lint.js';

const V = 'vcl 4.1;\nbackend b { .host = "127.0.0.1"; }\n';
const cases: Array<[string, string, string[]]> = [
  ['no suppression', 'sub vcl_recv {\n  set req.http.x = beresp.ttl;\n}', ['variable-access@3']],
  ['disable-next-line with the rule id', 'sub vcl_recv {\n  # vcl-lint-disable-next-line variable-access\n  set req.http.x = beresp.ttl;\n}', []],
  ['disable-next-line with // and two ids', 'sub vcl_recv {\n  // vcl-lint-disable-next-line syntax, variable-access\n  set req.http.x = beresp.ttl;\n}', []],
  ['disable-next-line for another rule', 'sub vcl_recv {\n  # vcl-lint-disable-next-line syntax\n  set req.http.x = beresp.ttl;\n}', ['variable-access@4', 'unused-suppression@3']],
  ['disable ... enable region', 'sub vcl_recv {\n  /* vcl-lint-disable variable-access */\n  set req.http.x = beresp.ttl;\n  /* vcl-lint-enable variable-access */\n  set req.http.y = beresp.ttl;\n}', ['variable-access@6']],
  ['disable without ids covers every rule', '# vcl-lint-disable\nsub vcl_recv {\n  set req.http.x = beresp.ttl;\n}', []],
  ['an unused suppression is a hint', '# vcl-lint-disable-next-line sub-recursion\nsub vcl_recv {\n}', ['unused-suppression@2']],
];

describe('suppression comments', () => {
  for (const [name, body, expected] of cases) {
    it(`${name}: ${expected.join(', ') || 'nothing'}`, () => {
      const found = lintText(V + body + '\n').filter((d) => d.rule !== 'backend-probe-missing').map((d) => `${d.rule}@${d.range.start.line}`);
      assert.deepEqual(found.sort(), [...expected].sort());
    });
  }
});

describe('configured rule levels', () => {
  const text = `${V}sub vcl_recv {\n  set req.http.x = beresp.ttl;\n}\n`;
  it('turns a rule off', () => {
    assert.deepEqual(lintText(text, { ruleLevels: { 'variable-access': 'off' } }).filter((d) => d.rule === 'variable-access'), []);
  });
  it('changes a severity', () => {
    assert.deepEqual(lintText(text, { ruleLevels: { 'variable-access': 'warning', 'backend-probe-missing': 'error' } }).map((d) => `${d.rule}:${d.severity}`).sort(), ['backend-probe-missing:error', 'variable-access:warning']);
  });
});
