/**
 * Choosing the Varnish release on the command line and in `.vcl-lint.json`,
 * and where the CLI says which one was in effect (JSON, SARIF, stylish).
 * One line per case; runs `runCli` in-process.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../server/src/cli/run.js';

interface Result {
  status: number;
  stdout: string;
  stderr: string;
}

function lint(argv: string[]): Result {
  let stdout = '';
  let stderr = '';
  const status = runCli(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t) });
  return { status, stdout, stderr };
}

describe('vcl-lint CLI: the Varnish version', function () {
  let dir: string;
  let params: string;
  const config = (name: string, body: unknown): string => {
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify(body));
    return path;
  };

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'vcl-lint-version-'));
    params = join(dir, 'varnish.params');
    // Known from 7.0 on; 6.5 calls it pcre_match_limit.
    writeFileSync(params, 'DAEMON_OPTS="-p pcre2_match_limit=5000"\n');
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  // [what, arguments before the file (a config named by its key), JSON varnishVersion, param-unknown expected]
  const cases: Array<[string, Array<string | { config: unknown }>, string, boolean]> = [
    ['no choice: the default, 7.1', [], '7.1', false],
    ['--varnish-version 6.5', ['--varnish-version', '6.5'], '6.5', true],
    ['--varnish-version=7.7.0 (a patch release)', ['--varnish-version=7.7.0'], '7.7', false],
    ['varnishVersion in the configuration', [{ config: { varnishVersion: '6.5' } }], '6.5', true],
    ['the command line wins over the configuration', [{ config: { varnishVersion: '6.5' } }, '--varnish-version', '9.0'], '9.0', false],
  ];
  for (const [what, args, want, unknown] of cases) {
    it(`${what}: varnishVersion ${want}${unknown ? ', pcre2_match_limit unknown' : ''}`, () => {
      const argv = args.flatMap((a, i) => (typeof a === 'string' ? [a] : ['--config', config(`c${i}.json`, a.config)]));
      const r = lint(['--format', 'json', ...argv, '--params', params]);
      assert.equal(r.status, unknown ? 1 : 0, r.stderr);
      const doc = JSON.parse(r.stdout) as { tool: string; version: string; varnishVersion: string; files: Array<{ diagnostics: Array<{ rule: string; message: string }> }> };
      assert.deepEqual(Object.keys(doc), ['tool', 'version', 'varnishVersion', 'files']);
      assert.equal(doc.varnishVersion, want);
      const rules = doc.files[0]!.diagnostics.map((d) => d.rule);
      assert.deepEqual(rules, unknown ? ['param-unknown'] : []);
    });
  }

  // [arguments, what stderr says]
  const refused: Array<[Array<string | { config: unknown }>, RegExp]> = [
    [['--varnish-version', '6.4'], /unknown Varnish version '6\.4' \(expected one of 6\.0, 6\.5, 6\.6, 7\.0, 7\.1, 7\.2, 7\.3, 7\.4, 7\.5, 7\.6, 7\.7, 8\.0, 9\.0\)/],
    [['--varnish-version', 'latest'], /unknown Varnish version 'latest'/],
    [['--varnish-version'], /option '--varnish-version' needs a value/],
    [[{ config: { varnishVersion: '10.0' } }], /varnishVersion must be one of 6\.0, .*9\.0/],
    [[{ config: { varnishVersion: 7.7 } }], /varnishVersion must be one of/],
  ];
  for (const [args, want] of refused) {
    it(`exit 2 for ${JSON.stringify(args)}`, () => {
      const argv = args.flatMap((a, i) => (typeof a === 'string' ? [a] : ['--config', config(`bad${i}.json`, a.config)]));
      const r = lint([...argv, '--params', params]);
      assert.equal(r.status, 2);
      assert.match(r.stderr, want);
      assert.equal(r.stdout, '');
    });
  }

  it('names the release in the SARIF tool properties, with how its facts are known', () => {
    for (const [version, facts] of [['7.7', 'checked'], ['7.6', 'derived']] as const) {
      const r = lint(['--format', 'sarif', '--varnish-version', version, '--params', params]);
      const log = JSON.parse(r.stdout) as { runs: Array<{ tool: { driver: { properties: Record<string, string> } } }> };
      assert.deepEqual(log.runs[0]!.tool.driver.properties, { varnishVersion: version, varnishFacts: facts });
    }
  });

  it('says the release in the stylish summary line', () => {
    const checked = lint(['--varnish-version', '6.5', '--params', params]);
    assert.match(checked.stdout, /^✖ 1 problem \(1 error, 0 warnings\), checked against Varnish 6\.5$/m);
    const derived = lint(['--varnish-version', '6.6', '--params', params]);
    assert.match(derived.stdout, /^✖ 1 problem \(1 error, 0 warnings\), checked against Varnish 6\.6 \(derived facts\)$/m);
    const vinyl = lint(['--varnish-version', '9.0', '--params', join(dir, 'varnish.params'), '--config', config('empty.json', {})]);
    assert.equal(vinyl.stdout, '', 'a clean run prints nothing');
  });

  it('lists the option and the supported versions in --help', () => {
    assert.match(lint(['--help']).stdout, /--varnish-version X\.Y +the Varnish release to check against: 6\.0, 6\.5,/);
  });
});
