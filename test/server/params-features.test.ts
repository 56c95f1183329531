/** Parameter files in the editor over the real server: diagnostics, hover and completion of names. */
import assert from 'node:assert/strict';
import { CompletionRequest, HoverRequest, type CompletionItem, type Hover } from 'vscode-languageserver-protocol/node.js';
import { LspHarness } from './lsp-harness.js';

const UNIT = '[Service]\nExecStart=\nExecStart=/usr/sbin/varnishd -a :6081 -f /etc/varnish/default.vcl \\\n  -p http_resp_hdr_len=4k \\\n  -p http_resp\n';

describe('language server: parameter files', function () {
  this.timeout(30_000);
  let h: LspHarness;
  const uri = 'file:///tmp/vcl-params/etc/systemd/system/varnish.service.d/override.conf';

  before(async () => {
    ({ harness: h } = await LspHarness.start());
    const from = h.mark();
    await h.open(uri, UNIT, 1, 'varnish-params');
    await h.waitForDiagnostics((p) => p.uri === uri, from);
  });
  after(async () => {
    await h.shutdownAndExit();
    h.dispose();
  });

  it('reports the small response-header buffer on its value', () => {
    const last = h.publishedFor(uri).at(-1)!;
    const d = last.diagnostics.find((x) => x.code === 'resp-buffer-too-small');
    assert.ok(d, JSON.stringify(last.diagnostics));
    assert.equal(d.range.start.line, 3);
  });

  it('explains a parameter on hover, with its default', async () => {
    const hover = (await h.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 3, character: 8 } })) as Hover;
    const text = (hover.contents as { value: string }).value;
    assert.match(text, /\*\*http_resp_hdr_len\*\*/);
    assert.match(text, /Default: `8k`/);
    assert.match(text, /Set here to `4k`/);
  });

  it('completes parameter names after -p', async () => {
    const items = (await h.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line: 4, character: 14 } })) as CompletionItem[];
    const labels = items.map((i) => i.label).sort();
    assert.deepEqual(labels, ['http_resp_hdr_len', 'http_resp_size']);
  });
});
