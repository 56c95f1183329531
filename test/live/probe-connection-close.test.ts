/**
 * Live proof of `probe-sanity`'s main finding against the real varnishd 7.1:
 * a probe whose `.request` lacks `Connection: close` never sees a
 * keep-alive HTTP/1.1 backend healthy (each probe waits for the close until
 * `.timeout`), and the rule's quick fix makes the same probe succeed.
 *
 * When varnishd is not installed the file prints one line and passes.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { lintText } from '../../server/src/service/lint.js';
import { applyEdits } from '../helpers/apply-edits.js';
import { findVarnishTool, VarnishInstance } from './varnish-instance.js';
import { skipBecause } from '../helpers/skip.js';

/** Probes so far, good ones and the verdict of backend `boot.app`, from `backend.list -p`. */
interface Health {
  sent: number;
  happy: number;
  healthy: boolean;
}

function health(list: string): Health {
  const block = list.slice(list.indexOf('boot.app'));
  const bits = (label: string) => (new RegExp(`^\\s*([-\\w]{64}) ${label}$`, 'm').exec(block)?.[1] ?? '').replace(/-/g, '').length;
  return { sent: bits('Good Xmit'), happy: bits('Happy'), healthy: /^boot\.app\s+\S+\s+\S+\s+healthy/m.test(block) };
}

/**
 * Reads the backend's health each time a probe reaches the backend (the
 * health only changes as probes come and go) until `done` holds; bounded
 * by the test's timeout.
 */
async function waitFor(v: VarnishInstance, backend: Server, done: (h: Health) => boolean): Promise<Health> {
  for (;;) {
    const h = health(await v.adm('backend.list', '-p'));
    if (done(h)) return h;
    await once(backend, 'request');
  }
}

describe('live: a probe .request without Connection: close, fixed by probe-sanity (varnishd 7.1)', function () {
  this.timeout(90_000);
  if (!findVarnishTool('varnishd') || !findVarnishTool('varnishadm')) {
    it('varnishd not found: live probe check not run', function () {
      skipBecause(this, 'varnishd or varnishadm not found');
    });
    return;
  }
  let server: Server;
  let port = 0;

  before(async () => {
    // Node's HTTP/1.1 server keeps connections open after answering, as most servers do.
    server = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
    port = (server.address() as AddressInfo).port;
  });

  after(async () => {
    server?.closeAllConnections();
    await new Promise<void>((done) => (server ? server.close(() => done()) : done()));
  });

  const vcl = () => `vcl 4.1;
backend app {
    .host = "127.0.0.1";
    .port = "${port}";
    .probe = {
        .request = "GET / HTTP/1.1"
            "Host: localhost";
        .timeout = 500ms;
        .interval = 1s;
        .window = 3;
        .threshold = 2;
        .initial = 0;
    }
}
`;

  async function withVarnish<T>(text: string, body: (v: VarnishInstance) => Promise<T>): Promise<T> {
    const v = await VarnishInstance.start({ vcl: text });
    try {
      return await body(v);
    } finally {
      await v.stop();
    }
  }

  it('the backend stays sick before the fix and becomes healthy after it', async () => {
    const before = vcl();
    const finding = lintText(before).find((d) => d.rule === 'probe-sanity' && /Connection: close/.test(d.message));
    assert.ok(finding?.fixes?.[0], 'probe-sanity offers no fix for the missing Connection: close');
    const after = applyEdits(before, finding.fixes[0].edits);
    assert.ok(!lintText(after).some((d) => d.rule === 'probe-sanity' && /Connection: close/.test(d.message)), after);

    const sick = await withVarnish(before, (v) => waitFor(v, server, (h) => h.sent >= 3));
    assert.deepEqual({ happy: sick.happy, healthy: sick.healthy }, { happy: 0, healthy: false }, 'without Connection: close every probe should fail');
    const well = await withVarnish(after, (v) => waitFor(v, server, (h) => h.healthy || h.sent >= 4));
    assert.equal(well.healthy, true, `after the fix the probe should succeed\n${after}`);
  });
});
