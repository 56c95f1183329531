/**
 * Open documents that depend on each other are re-checked when one of them
 * changes, after its debounce: a parameter file when the VCL starts handling
 * a cache-tag header, the VCL when the parameter file raises its buffer.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { LspHarness, startInWorkspace } from './lsp-harness.js';

const unit = (params: string): string => `[Service]\nExecStart=\nExecStart=/usr/sbin/varnishd -a :6081 -f /etc/varnish/default.vcl ${params}\n`;
const SMALL = unit('-p http_resp_hdr_len=32k -p http_resp_size=64k -p workspace_backend=96k');
const LARGE = unit('-p http_resp_hdr_len=64k -p http_resp_size=96k -p workspace_backend=128k');
const PLAIN = 'vcl 4.1;\nprobe p { .url = "/"; }\nbackend default { .host = "127.0.0.1"; .probe = p; }\nsub vcl_deliver {\n    unset resp.http.X-Cache;\n}\n';
const TAGS = PLAIN.replace('X-Cache', 'X-Magento-Tags');

const VCL_URI = 'file:///tmp/vcl-related/default.vcl';
const PARAMS_URI = 'file:///tmp/vcl-related/etc/systemd/system/varnish.service';

describe('language server: documents that depend on each other', function () {
  this.timeout(20_000);
  let h: LspHarness;

  before(async function () {
    ({ harness: h } = await LspHarness.start());
  });

  after(function () {
    h?.dispose();
  });

  const codes = (p: { diagnostics: Array<{ code?: number | string }> }): Array<number | string | undefined> => p.diagnostics.map((d) => d.code);

  it('re-checks the parameter file when the VCL starts handling a tag header, and the VCL when the buffer is raised', async function () {
    let from = h.mark();
    await h.open(PARAMS_URI, SMALL, 1, 'varnish-params');
    assert.deepEqual(codes(await h.waitForDiagnostics((p) => p.uri === PARAMS_URI, from)), []);
    from = h.mark();
    await h.open(VCL_URI, PLAIN, 1);
    // The opened VCL is published first, then the parameter file is re-checked against it.
    assert.deepEqual(codes(await h.waitForDiagnostics((p) => p.uri === VCL_URI, from)), []);
    const vclIndex = h.published.findIndex((p, i) => i >= from && p.uri === VCL_URI);
    assert.deepEqual(codes(await h.waitForDiagnostics((p) => p.uri === PARAMS_URI, vclIndex + 1)), [], 'no tag header yet, so nothing to say');

    // The VCL now handles X-Magento-Tags: the unchanged parameter file gets the finding.
    from = h.mark();
    await h.change(VCL_URI, 2, [{ text: TAGS }]);
    const params = await h.waitForDiagnostics((p) => p.uri === PARAMS_URI, from);
    assert.deepEqual(codes(params), ['resp-buffer-too-small']);
    assert.match(params.diagnostics[0]!.message, /X-Magento-Tags/);
    const vcl = h.publishedFor(VCL_URI, from).find((p) => p.version === 2);
    assert.deepEqual(vcl && codes(vcl), ['tag-header-size'], 'the VCL itself was published first, for version 2');

    // The parameter file raises the buffer: the unchanged VCL loses its hint.
    from = h.mark();
    await h.change(PARAMS_URI, 2, [{ text: LARGE }]);
    const after = await h.waitForDiagnostics((p) => p.uri === VCL_URI, from);
    assert.deepEqual(codes(after), []);
    assert.equal(after.version, 2);
  });
});

describe('language server: no redundant re-checks', function () {
  this.timeout(20_000);

  it('publishes each of two related files once when both are opened together', async function () {
    const main = 'vcl 4.1;\nprobe p { .url = "/"; }\nbackend b { .host = "127.0.0.1"; .probe = p; }\ninclude "./part.vcl";\nsub vcl_recv {\n  call normalize;\n}\n';
    const part = 'sub normalize {\n  unset req.http.Cookie;\n}\n';
    const ws = await startInWorkspace({ 'main.vcl': main, 'part.vcl': part, 'other.vcl': main.replace('include "./part.vcl";\n', '').replace('call normalize;', 'return (pass);') });
    try {
      const h = ws.harness;
      const from = h.mark();
      await h.open(ws.uri('main.vcl'), main);
      await h.open(ws.uri('part.vcl'), part);
      await h.waitForDiagnostics((p) => p.uri === ws.uri('part.vcl'), from);
      await h.waitForDiagnostics((p) => p.uri === ws.uri('main.vcl'), from);
      // An unrelated file opened later: once it is published, every earlier debounce has fired.
      await h.open(ws.uri('other.vcl'), 'vcl 4.1;\n');
      await h.waitForDiagnostics((p) => p.uri === ws.uri('other.vcl'), from);
      // Each analysis already saw the other file's text, so neither needs a second one.
      assert.equal(h.publishedFor(ws.uri('main.vcl'), from).length, 1);
      assert.equal(h.publishedFor(ws.uri('part.vcl'), from).length, 1);
      await h.shutdownAndExit();
    } finally {
      ws.harness.dispose();
      rmSync(ws.dir, { recursive: true, force: true });
    }
  });
});
