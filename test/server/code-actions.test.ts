/** Quick fixes and fix-all over the real server: the lightbulb's actions and the edits they carry. */
import assert from 'node:assert/strict';
import { CodeActionRequest, type CodeAction } from 'vscode-languageserver-protocol/node.js';
import { LspHarness } from './lsp-harness.js';

const VCL = 'vcl 4.1;\nbackend default { .host = "127.0.0.1"; .port = "8080"; }\nsub vcl_recv {\n  remove req.http.Cookie;\n  if (req.request == "PURGE") { return (purge); }\n}\n';

describe('language server: code actions', function () {
  this.timeout(30_000);
  let h: LspHarness;
  const uri = 'file:///tmp/vcl-code-actions/legacy.vcl';

  before(async () => {
    ({ harness: h } = await LspHarness.start());
  });
  after(async () => {
    await h.shutdownAndExit();
    h.dispose();
  });

  it('offers the fix carried by each diagnostic as a preferred quick fix', async () => {
    const from = h.mark();
    await h.open(uri, VCL);
    const published = await h.waitForDiagnostics((p) => p.uri === uri, from);
    const remove = published.diagnostics.find((d) => d.code === 'vcl3-construct' && d.range.start.line === 3)!;
    assert.ok(remove, JSON.stringify(published.diagnostics.map((d) => d.code)));
    const actions = (await h.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: remove.range,
      context: { diagnostics: [remove] },
    })) as CodeAction[];
    assert.equal(actions.length, 1);
    assert.equal(actions[0]!.kind, 'quickfix');
    assert.equal(actions[0]!.isPreferred, true);
    assert.deepEqual(actions[0]!.edit!.changes![uri], [{ range: remove.range, newText: 'unset' }]);
  });

  it('fix-all applies every safe fix of the current text at once', async () => {
    const actions = (await h.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
      context: { diagnostics: [], only: ['source.fixAll'] },
    })) as CodeAction[];
    assert.equal(actions.length, 1);
    assert.equal(actions[0]!.kind, 'source.fixAll.vcl');
    const texts = actions[0]!.edit!.changes![uri]!.map((e) => e.newText).sort();
    assert.deepEqual(texts, ['req.method', 'unset']);
  });
});
