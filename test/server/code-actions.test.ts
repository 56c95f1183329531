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

  // Editors insert a code action's text as it is: a CRLF or lone-CR document must get its own line breaks back.
  for (const [name, eol] of [
    ['CRLF', '\r\n'],
    ['lone CR', '\r'],
  ] as const) {
    it(`a multi-line quick fix and fix-all on a ${name} document carry ${name} line breaks`, async () => {
      const crUri = `file:///tmp/vcl-code-actions/hit-miss-${name.replace(' ', '-')}.vcl`;
      const text = ['vcl 4.1;', '', 'backend default { .host = "127.0.0.1"; }', '', 'sub vcl_hit {', '    return (miss);', '}', ''].join(eol);
      const from = h.mark();
      await h.open(crUri, text);
      const published = await h.waitForDiagnostics((p) => p.uri === crUri, from);
      const lineBreaks = (t: string) => new Set(t.match(/\r\n|\r|\n/g) ?? []);
      for (const rule of ['return-action-removed', 'backend-probe-missing']) {
        const d = published.diagnostics.find((x) => x.code === rule)!;
        assert.ok(d, `${rule} in ${JSON.stringify(published.diagnostics.map((x) => x.code))}`);
        const actions = (await h.connection.sendRequest(CodeActionRequest.type, {
          textDocument: { uri: crUri },
          range: d.range,
          context: { diagnostics: [d] },
        })) as CodeAction[];
        const edits = actions[0]!.edit!.changes![crUri]!;
        assert.ok(edits.some((e) => lineBreaks(e.newText).size > 0), `${rule}: a multi-line fix`);
        for (const e of edits) if (lineBreaks(e.newText).size) assert.deepEqual(lineBreaks(e.newText), new Set([eol]), `${rule}: ${JSON.stringify(e.newText)}`);
      }
      const all = (await h.connection.sendRequest(CodeActionRequest.type, {
        textDocument: { uri: crUri },
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        context: { diagnostics: [], only: ['source.fixAll'] },
      })) as CodeAction[];
      const texts = all[0]!.edit!.changes![crUri]!.map((e) => e.newText);
      assert.ok(texts.some((t) => t.includes(`${eol}sub vcl_recv {${eol}`)), JSON.stringify(texts));
      for (const t of texts) if (lineBreaks(t).size) assert.deepEqual(lineBreaks(t), new Set([eol]), JSON.stringify(t));
    });
  }
});
