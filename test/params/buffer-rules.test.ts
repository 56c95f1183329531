/**
 * The parameter-file rules, one case per line: what each file reports, and
 * that applying a fix gives a file that reports nothing more of that rule.
 */
import assert from 'node:assert/strict';
import { lintParamsText } from '../../server/src/service/lint-params.js';
import type { LintDiagnostic } from '../../server/src/service/types.js';
import { applyEdits } from '../helpers/apply-edits.js';

const unit = (opts: string) => `[Service]\nExecStart=\nExecStart=/usr/sbin/varnishd -a :6081 -f /etc/varnish/default.vcl ${opts}\n`;

const cases: Array<[string, string, string, string[]]> = [
  ['defaults are consistent', 'varnish.service', unit('-s malloc,256m'), []],
  ['header line below the default', 'varnish.service', unit('-p http_resp_hdr_len=4k'), ['resp-buffer-too-small@2']],
  ['line larger than the whole head', 'varnish.service', unit('-p http_resp_hdr_len=64k'), ['resp-buffer-too-small@2']],
  ['head leaves no workspace', 'varnish.service', unit('-p http_resp_size=96k'), ['resp-buffer-too-small@2']],
  ['the consistent trio', 'varnish.service', unit('-p http_resp_hdr_len=64k -p http_resp_size=96k -p workspace_backend=128k'), []],
  ['request side too small', 'varnish.service', unit('-p http_req_size=8k'), ['req-buffer-too-small@2']],
  ['unknown parameter with a suggestion', 'varnish.service', unit('-p http_resp_hdr_length=64k'), ['param-unknown@2']],
  ['invalid size unit', 'varnish.service', unit('-p http_resp_hdr_len=64KiB'), ['param-invalid@2']],
  ['duration unit that varnishd ignores', 'varnish.service', unit('-p first_byte_timeout=2m'), ['param-unit-ignored@2']],
  ['-I file', 'start.cli', 'param.set http_resp_hdr_len 4096\n', ['resp-buffer-too-small@0']],
  ['/etc/default/varnish', '/etc/default/varnish', 'DAEMON_OPTS="-a :6081 \\\n  -p http_resp_hdr_len=2k"\n', ['resp-buffer-too-small@1']],
];

const apply = applyEdits;

const at = (d: LintDiagnostic) => `${d.rule}@${d.range.start.line}`;

describe('parameter-file rules (data-driven)', () => {
  for (const [name, path, text, expected] of cases) {
    it(`${name}: ${expected.join(', ') || 'clean'}`, () => {
      const found = lintParamsText(text, { path }).map(at);
      assert.deepEqual(found, expected);
    });
  }

  for (const [name, path, text, expected] of cases.filter((c) => c[3].length)) {
    it(`every fix of "${name}" removes its finding`, () => {
      for (const d of lintParamsText(text, { path })) {
        for (const fix of d.fixes ?? []) {
          const fixed = apply(text, fix.edits);
          const again = lintParamsText(fixed, { path }).filter((x) => x.rule === d.rule).map(at);
          assert.deepEqual(again, [], `${fix.title} left ${JSON.stringify(again)} in:\n${fixed}`);
        }
      }
      void expected;
    });
  }

  it('tag headers in the VCL ask for 64k even with consistent defaults', () => {
    const d = lintParamsText(unit('-s malloc,256m'), { path: 'varnish.service', tagHeaders: [{ header: 'X-Magento-Tags', where: 'default.vcl:12' }] });
    assert.deepEqual(d.map(at), ['resp-buffer-too-small@2']);
    assert.match(d[0]!.message, /X-Magento-Tags/);
    const trio = d[0]!.fixes!.find((f) => /consistent trio/.test(f.title)) ?? d[0]!.fixes![0]!;
    const fixed = apply(unit('-s malloc,256m'), trio.edits);
    assert.match(fixed, /-p http_resp_hdr_len=64k -p http_resp_size=96k -p workspace_backend=128k/);
  });

  it('keeps the user\'s units when raising a value in place', () => {
    const text = unit('-p http_resp_hdr_len=4k');
    const d = lintParamsText(text, { path: 'varnish.service' })[0]!;
    const trio = d.fixes!.find((f) => /consistent trio/.test(f.title))!;
    assert.match(apply(text, trio.edits), /http_resp_hdr_len=64k/);
  });
});
