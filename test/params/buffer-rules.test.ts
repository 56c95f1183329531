/**
 * The parameter-file rules, one case per line: what each file reports, and
 * that applying a fix gives a file that reports nothing more of that rule.
 */
import assert from 'node:assert/strict';
import { lintParamsText } from '../../server/src/service/lint-params.js';
import type { LintDiagnostic } from '../../server/src/service/types.js';
import { applyEdits } from '../helpers/apply-edits.js';
import type { VarnishVersion } from '../../server/src/facts/versions.js';

const unit = (opts: string) => `[Service]\nExecStart=\nExecStart=/usr/sbin/varnishd -a :6081 -f /etc/varnish/default.vcl ${opts}\n`;

// [name, path, text, findings as rule@line, the release checked against (default 7.1)]
const cases: Array<[string, string, string, string[], VarnishVersion?]> = [
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
  // The selected release's defaults: workspaces are 64k before 7.0 and 96k from 7.0.
  ['6.5: a 40k head in the default 64k workspace', 'varnish.service', unit('-p http_resp_size=40k'), ['resp-buffer-too-small@2'], '6.5'],
  ['7.1: a 40k head in the default 96k workspace', 'varnish.service', unit('-p http_resp_size=40k'), [], '7.1'],
  ['6.0: a 40k request head in the default 64k workspace', 'varnish.service', unit('-p http_req_size=40k'), ['req-buffer-too-small@2'], '6.0'],
  ['7.7: workspace_backend below its 96k default', 'varnish.service', unit('-p workspace_backend=80k'), ['resp-buffer-too-small@2'], '7.7'],
  ['6.5: workspace_backend above its 64k default', 'varnish.service', unit('-p workspace_backend=80k'), [], '6.5'],
  ['9.0: the consistent trio', 'vinyl-cache.service', unit('-p http_resp_hdr_len=64k -p http_resp_size=96k -p workspace_backend=128k'), [], '9.0'],
  // Units of durations: ignored up to 7.1, read from 7.2.
  ['7.7: a duration with a unit means what it says', 'varnish.service', unit('-p first_byte_timeout=2m'), [], '7.7'],
  ['7.0: a duration unit is ignored', 'varnish.service', unit('-p first_byte_timeout=2m'), ['param-unit-ignored@2'], '7.0'],
  ['6.5: a duration unit is refused', 'varnish.service', unit('-p first_byte_timeout=2m'), ['param-invalid@2'], '6.5'],
  // Parameters that only some releases have.
  ['6.5: pcre2_match_limit is 7.0\'s name', 'varnish.service', unit('-p pcre2_match_limit=5000'), ['param-unknown@2'], '6.5'],
  ['7.1: pcre2_match_limit', 'varnish.service', unit('-p pcre2_match_limit=5000'), [], '7.1'],
  ['7.7: pcre_match_limit was renamed in 7.0', 'varnish.service', unit('-p pcre_match_limit=5000'), ['param-unknown@2'], '7.7'],
  ['7.1: vcc_feature comes in 7.2', 'varnish.service', unit('-p vcc_feature=+allow_inline_c'), ['param-unknown@2'], '7.1'],
  ['9.0: vcc_feature', 'varnish.service', unit('-p vcc_feature=+allow_inline_c'), [], '9.0'],
  ['9.0: the vcc_err_unref switch still works', 'varnish.service', unit('-p vcc_err_unref=off'), [], '9.0'],
  ['7.7: rush_exponent=1 is below 7.7\'s minimum', 'varnish.service', unit('-p rush_exponent=1'), ['param-invalid@2'], '7.7'],
  ['8.0: rush_exponent=1 is allowed from 8.0', 'varnish.service', unit('-p rush_exponent=1'), [], '8.0'],
];

const apply = applyEdits;

const at = (d: LintDiagnostic) => `${d.rule}@${d.range.start.line}`;

describe('parameter-file rules (data-driven)', () => {
  for (const [name, path, text, expected, varnishVersion] of cases) {
    it(`${name}: ${expected.join(', ') || 'clean'}`, () => {
      const found = lintParamsText(text, { path, varnishVersion }).map(at);
      assert.deepEqual(found, expected);
    });
  }

  for (const [name, path, text, expected, varnishVersion] of cases.filter((c) => c[3].length)) {
    it(`every fix of "${name}" removes its finding`, () => {
      for (const d of lintParamsText(text, { path, varnishVersion })) {
        for (const fix of d.fixes ?? []) {
          const fixed = apply(text, fix.edits);
          const again = lintParamsText(fixed, { path, varnishVersion }).filter((x) => x.rule === d.rule).map(at);
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

  // [release, setting, what the message says] for the messages that depend on the release
  const messages: Array<[VarnishVersion, string, RegExp]> = [
    ['6.5', '-p http_resp_size=40k', /workspace_backend \(64k\)/],
    ['7.7', '-p workspace_backend=80k', /below Varnish 7\.7's default 96k/],
    ['9.0', '-p workspace_backend=80k', /below Vinyl Cache 9\.0's default 96k/],
    ['6.5', '-p pcre2_match_limit=5000', /pcre2_match_limit exists from Varnish 7\.0; this workspace targets 6\.5; in 6\.5 use 'pcre_match_limit'/],
    ['7.7', '-p pcre_match_limit=5000', /pcre_match_limit exists up to Varnish 6\.6; this workspace targets 7\.7; in 7\.7 use 'pcre2_match_limit'/],
    ['7.1', '-p vcc_feature=+err_unref', /vcc_feature exists from Varnish 7\.2; this workspace targets 7\.1/],
    ['7.7', '-p vsm_space=1M', /vsm_space exists up to Varnish 7\.0; this workspace targets 7\.7/],
    ['6.5', '-p h2_rapid_reset=1', /h2_rapid_reset exists up to Varnish 6\.0 and from 7\.3; this workspace targets 6\.5/],
    ['7.7', '-p rush_exponent=1', /rush_exponent=1 is below the minimum/],
    ['6.5', '-p first_byte_timeout=2m', /this release takes no unit: write 120 \(seconds\)/],
    ['7.1', '-p first_byte_timeout=2m', /Varnish 7\.1 ignores the unit in first_byte_timeout=2m: this sets 2 seconds/],
    ['9.0', '-p first_byte_timeout=5q', /'5q' is not a duration \(unknown unit 'q'.*, or never/],
    ['7.7', '-p http_req_overflow_status=399', /must be from 400 to 499 \(or 0 to turn it off\)/],
  ];
  for (const [version, setting, want] of messages) {
    it(`${version}: ${setting} says ${want.source}`, () => {
      const d = lintParamsText(unit(setting), { path: 'varnish.service', varnishVersion: version });
      assert.ok(d.some((x) => want.test(x.message)), d.map((x) => x.message).join('\n'));
    });
  }

  it('offers the release\'s own name of a renamed parameter as the fix', () => {
    const text = unit('-p pcre2_match_limit=5000');
    const d = lintParamsText(text, { path: 'varnish.service', varnishVersion: '6.5' })[0]!;
    assert.equal(d.rule, 'param-unknown');
    assert.match(apply(text, d.fixes![0]!.edits), /-p pcre_match_limit=5000/);
  });
});
