/**
 * Live proof of "VCL: Diagnose 503s from varnishlog" against the real
 * varnishd 7.1 and varnishlog of this machine: a varnishd whose backend
 * refuses connections answers 503; the command's own code finds the
 * installed varnishlog, runs it with the command's arguments (and `-n` for
 * the test's instance, as the vcl.varnishlogInstance setting gives it) and
 * the capture it returns is one the doctor diagnoses, as the editor would
 * once the document opens. A 200 from the same instance is not in the
 * capture: the query keeps only the 503s.
 */
import assert from 'node:assert/strict';
import { get } from 'node:http';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { locateVarnishlog, runVarnishlog, varnishlogArgs, type CaptureRun } from '../../client/src/varnishlog-command.js';
import { diagnoseVarnishlog } from '../../server/src/service/varnishlog.js';
import { skipBecause } from '../helpers/skip.js';
import { closedPort } from './misbehaving-backend.js';
import { findVarnishTool, VarnishInstance } from './varnish-instance.js';

function fetchStatus(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = get({ host: '127.0.0.1', port, path, agent: false, timeout: 15_000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${path} timed out`)));
    req.on('error', reject);
  });
}

describe('live: Diagnose 503s from varnishlog runs the real varnishlog', function () {
  const missing = !findVarnishTool('varnishd') || !findVarnishTool('varnishadm') ? 'varnishd or varnishadm not found' : !locateVarnishlog(undefined, process.env['PATH']).ok ? 'no varnishlog on PATH' : undefined;
  if (missing) {
    it('varnishd not found: the command not run against it', function () {
      skipBecause(this, missing);
    });
    return;
  }
  this.timeout(60_000);
  let v: VarnishInstance;
  let healthy: Server;

  before(async function () {
    this.timeout(60_000);
    // One backend that answers 200, one port where nothing listens.
    healthy = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((done) => healthy.listen(0, '127.0.0.1', done));
    const okPort = (healthy.address() as AddressInfo).port;
    const vcl = `vcl 4.1;
backend ok { .host = "127.0.0.1"; .port = "${okPort}"; }
backend down { .host = "127.0.0.1"; .port = "${await closedPort()}"; }
sub vcl_recv {
    if (req.url ~ "^/down") { set req.backend_hint = down; } else { set req.backend_hint = ok; }
    return (pass);
}
`;
    v = await VarnishInstance.start({ vcl });
  });
  after(async () => {
    await v?.stop();
    await new Promise((done) => healthy?.close(done));
  });

  it('opens a capture of the 503s only, and the doctor names their cause', async () => {
    assert.equal(await fetchStatus(v.port, '/fine'), 200);
    assert.equal(await fetchStatus(v.port, '/down/1'), 503);
    assert.equal(await fetchStatus(v.port, '/down/2'), 503);
    const located = locateVarnishlog(undefined, process.env['PATH']);
    assert.ok(located.ok);
    // A transaction is written to the log when it ends: read again until both fetches are in (bounded, no timer).
    const deadline = Date.now() + 20_000;
    let run: CaptureRun;
    for (;;) {
      run = await runVarnishlog(located.path, { args: varnishlogArgs(v.workdir) });
      const text = run.kind === 'capture' ? run.text : '';
      if ((text.match(/<< BeReq/g) ?? []).length >= 2 || Date.now() > deadline) break;
    }
    assert.equal(run.kind, 'capture', JSON.stringify(run));
    const text = run.kind === 'capture' ? run.text : '';
    assert.ok(!run.truncated);
    assert.doesNotMatch(text, /ReqURL\s+\/fine/);
    assert.match(text, /ReqURL\s+\/down\/1/);
    const diagnostics = diagnoseVarnishlog(text);
    assert.deepEqual(diagnostics.map((d) => d.rule), ['backend-connect-failed']);
    assert.match(diagnostics[0]!.message, /2 times/);
    assert.match(diagnostics[0]!.message, /'down'/);
  });
});
