/**
 * Every fix the parameter-file rules offer, proven against the real
 * compiler: after applying it, `varnishd -C` with the file's settings
 * accepts them (the rules only ever raise values to ones varnishd takes).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lintParamsText } from '../../server/src/service/lint-params.js';
import { readParamsFile } from '../../server/src/params/detect.js';
import { compileWithVarnishd, findVarnishd } from '../helpers/varnishd.js';
import { applyEdits } from '../helpers/apply-edits.js';
import { skipBecause } from '../helpers/skip.js';

const unit = (opts: string) => `[Service]\nExecStart=\nExecStart=/usr/sbin/varnishd -a :6081 -f /etc/varnish/default.vcl ${opts}\n`;

/** Files whose findings carry fixes: every buffer case, in several file kinds and styles. */
const files: Array<[string, string]> = [
  ['varnish.service', unit('-p http_resp_hdr_len=4k')],
  ['varnish.service', unit('-p http_resp_hdr_len=64k')],
  ['varnish.service', unit('-p http_resp_size=96k')],
  ['varnish.service', unit('-p http_req_size=8k')],
  ['varnish.service', unit('-p http_resp_hdr_len=8192 -p workspace_backend=65536')],
  ['varnish.service', unit('-p http_resp_hdr_length=64k')],
  ['varnish.service', unit('-p first_byte_timeout=2m')],
  ['start.cli', 'param.set http_resp_hdr_len 4096\nparam.set http_resp_size 16k\n'],
  ['/etc/default/varnish', 'DAEMON_OPTS="-a :6081 \\\n  -p http_resp_hdr_len=2k"\n'],
  ['docker-compose.yml', 'services:\n  varnish:\n    image: varnish:7.1\n    command: ["-p", "http_resp_hdr_len=64k"]\n'],
];

const apply = applyEdits;

describe('parameter-file fixes are accepted by varnishd -C (live)', function () {
  this.timeout(300_000);
  const varnishd = findVarnishd();
  if (!varnishd) {
    it('varnishd not found: parameter fixes not compiled', function () {
      skipBecause(this, 'varnishd not found');
    });
    return;
  }
  it('compiles the settings of every fixed file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'vcl-fixes-'));
    chmodSync(dir, 0o755);
    const vcl = join(dir, 'minimal.vcl');
    writeFileSync(vcl, 'vcl 4.1;\nbackend b { .host = "127.0.0.1"; .port = "8080"; }\n');
    chmodSync(vcl, 0o644);
    const problems: string[] = [];
    let fixes = 0;
    for (const [path, text] of files) {
      for (const d of lintParamsText(text, { path })) {
        for (const fix of d.fixes ?? []) {
          fixes++;
          const fixed = apply(text, fix.edits);
          const settings = (readParamsFile(path, fixed)?.commands ?? []).flatMap((c) => c.settings.flatMap((s) => ['-p', `${s.name}=${s.value}`]));
          const v = compileWithVarnishd(varnishd, vcl, settings);
          if (!v.accepted) problems.push(`${path} / ${fix.title}: varnishd refuses ${settings.join(' ')}: ${v.message}`);
        }
      }
    }
    rmSync(dir, { recursive: true, force: true });
    assert.ok(fixes >= 15, `only ${fixes} fixes offered`);
    assert.deepEqual(problems, []);
  });
});
