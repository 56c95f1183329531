/**
 * The test helpers that ask one long-running `varnishd -d` instead of a
 * process per question (test/helpers/varnishd-cli.ts) must get the answers
 * a `varnishd -C` run gets: values reach `param.set` exactly as written
 * (blanks, quotes, backslashes, empty), parameters are back to their
 * defaults after each question, and `vcl.inline` gives the verdict of a
 * VCC-only `varnishd -C` on accepted and refused programs, with and without
 * `-p` settings.
 */
import assert from 'node:assert/strict';
import { CompileQueue } from '../helpers/varnishd-batch.js';
import { classifyRun, VarnishdCompiler } from '../helpers/varnishd-async.js';
import { InlineCompiler, VarnishdCli } from '../helpers/varnishd-cli.js';
import { findVarnishd } from '../helpers/varnishd.js';
import { skipBecause } from '../helpers/skip.js';

const HEAD = 'vcl 4.1;\nbackend b { .host = "127.0.0.1"; }\n';

describe('varnishd driven through its CLI answers as varnishd -C does (live)', function () {
  this.timeout(60_000);
  const varnishd = findVarnishd();

  it('param.set receives each value exactly as written, and varnishd -C -p says the same of it', async function () {
    if (!varnishd) skipBecause(this, 'varnishd not found');
    const cli = new VarnishdCli(varnishd);
    const whole = new VarnishdCompiler(varnishd, 'PROBE', 2);
    try {
      // Refused values are echoed back by varnishd ("attempting to set param 'x' to '...'").
      const values = ['', ' ', 'a b', '"+x"', '"+x" "-y"', '+x\\', '+x\\x41', "it's", 'tab\there', '12q'];
      for (const value of values) {
        const { refused, answer } = await cli.ask([['workspace_client', value]]);
        assert.equal(refused, 0, JSON.stringify(value));
        const viaCli = classifyRun(2, answer.body);
        const viaC = await whole.runSettings([['workspace_client', value]]);
        assert.deepEqual([viaCli.kind, viaCli.name, viaCli.value], ['invalid', 'workspace_client', value]);
        assert.deepEqual([viaC.kind, viaC.name, viaC.value], [viaCli.kind, viaCli.name, viaCli.value]);
      }
    } finally {
      cli.dispose();
      whole.dispose();
    }
  });

  it('each question starts from the defaults: what one sets is reset, in the order that keeps the limits', async function () {
    if (!varnishd) skipBecause(this, 'varnishd not found');
    const cli = new VarnishdCli(varnishd);
    try {
      const show = async () => (await cli.command('param.show', 'thread_pool_min')).body;
      const before = await show();
      // thread_pool_min may not exceed thread_pool_max: raising both works only max first, lowering them only min first.
      assert.equal((await cli.ask([['thread_pool_max', '10000'], ['thread_pool_min', '6000']])).refused, undefined);
      assert.equal(await show(), before);
      // Had max stayed at 10000, this would be accepted.
      const again = await cli.ask([['thread_pool_min', '6000']]);
      assert.equal(again.refused, 0);
      assert.match(again.answer.body, /Must be no more than 5000/);
    } finally {
      cli.dispose();
    }
  });

  it('vcl.inline gives the verdict of varnishd -C on accepted and refused programs, with -p settings and without', async function () {
    if (!varnishd) skipBecause(this, 'varnishd not found');
    const inline = new InlineCompiler(varnishd);
    // compileAll's queue, with the daemon turned off: varnishd -C for every text.
    const whole = new CompileQueue(varnishd, 2, { inline: false });
    try {
      const cases: Array<[string, [string, string][]]> = [
        [HEAD, []],
        [`${HEAD}sub vcl_recv { set req.http.x = nosuch; }`, []],
        [`${HEAD}sub vcl_recv { C{ int x; }C }\n`, []],
        [`${HEAD}sub vcl_recv { C{ int x; }C }\n`, [['vcc_allow_inline_c', 'on']]],
        [`${HEAD}sub unused_sub { }\n`, []],
        [`${HEAD}sub unused_sub { }\n`, [['vcc_err_unref', 'off']]],
        // A line that would end the here document if it were not chosen anew.
        [`${HEAD}sub vcl_recv {\n  set req.http.x = {"\nEND_OF_VCL\n"};\n}\n`, []],
      ];
      for (const [text, settings] of cases) {
        const a = await inline.compile(text, settings);
        const b = await whole.compile({ text, args: settings.flatMap(([n, v]) => ['-p', `${n}=${v}`]) });
        assert.ok(a, 'a setting was refused');
        assert.equal(a.accepted, b.accepted, `${JSON.stringify(settings)}\n${text}\n${a.message}\n${b.message}`);
      }
      // The daemon's defaults are back: the unused sub is refused again.
      assert.equal((await inline.compile(`${HEAD}sub unused_sub { }\n`))!.accepted, false);
      // A setting the daemon refuses leaves the text to varnishd -C.
      assert.equal(await inline.compile(HEAD, [['no_such_parameter', '1']]), undefined);
    } finally {
      inline.dispose();
      whole.dispose();
    }
  });
});
