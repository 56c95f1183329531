/**
 * Semantic-token deltas: the edit function on its own (any two arrays), and
 * over stdio, where a delta applied to the tokens sent before must give
 * exactly what a full request gives for the edited text.
 */
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { SemanticTokensDeltaRequest, SemanticTokensRequest, type SemanticTokens, type SemanticTokensDelta } from 'vscode-languageserver-protocol/node.js';
import { SentTokens, tokenDataEdits, type TokenDataEdit } from '../../server/src/service/semantic-token-delta.js';
import { LspHarness } from './lsp-harness.js';

function applyTokenEdits(data: readonly number[], edits: ReadonlyArray<Omit<TokenDataEdit, 'data'> & { data?: number[] }>): number[] {
  const out = [...data];
  // LSP edits refer to the array before any of them; apply from the back.
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out.splice(e.start, e.deleteCount, ...(e.data ?? []));
  return out;
}

describe('semantic-token deltas (service)', () => {
  it('turns any array into any other, and sends nothing for equal ones', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(20)), fc.array(fc.nat(20)), (a, b) => {
        const edits = tokenDataEdits(a, b);
        assert.deepEqual(applyTokenEdits(a, edits), b);
        if (a.length === b.length && a.every((x, i) => x === b[i])) assert.deepEqual(edits, []);
      }),
      { seed: 20261126, numRuns: 500 },
    );
  });

  it('sends only the changed stretch', () => {
    assert.deepEqual(tokenDataEdits([1, 2, 3, 4, 5], [1, 2, 9, 4, 5]), [{ start: 2, deleteCount: 1, data: [9] }]);
    assert.deepEqual(tokenDataEdits([1, 2, 3], [1, 2, 3, 7, 8]), [{ start: 3, deleteCount: 0, data: [7, 8] }]);
  });

  it('remembers the last data per document under a fresh id, and forgets closed documents', () => {
    const sent = new SentTokens();
    const first = sent.remember('a', [1]);
    const second = sent.remember('a', [2]);
    assert.notEqual(first, second);
    assert.equal(sent.previous('a', first), undefined, 'an older id is no base for a delta');
    assert.deepEqual(sent.previous('a', second), [2]);
    sent.forget('a');
    assert.equal(sent.previous('a', second), undefined);
  });
});

describe('semantic-token deltas over stdio', function () {
  this.timeout(20_000);
  const uri = 'file:///tmp/vcl-token-delta/main.vcl';
  const text = 'vcl 4.1;\nbackend app { .host = "127.0.0.1"; }\nacl local { "127.0.0.1"; }\nsub vcl_recv {\n    if (client.ip ~ local) { return (pass); }\n    set req.http.X = "1";\n}\n';
  let h: LspHarness;

  before(async () => {
    ({ harness: h } = await LspHarness.start());
    await h.open(uri, text);
  });
  after(() => h?.dispose());

  it('answers a delta request with edits that give the full tokens of the new text', async () => {
    const full = (await h.connection.sendRequest(SemanticTokensRequest.type, { textDocument: { uri } })) as SemanticTokens;
    assert.ok(full.resultId, 'a full answer carries a result id');
    // A new line with a variable and a call to an ACL: tokens are added in the middle.
    await h.change(uri, 2, [{ range: { start: { line: 5, character: 0 }, end: { line: 5, character: 0 } }, text: '    set req.http.Y = req.url;\n' }]);
    const delta = (await h.connection.sendRequest(SemanticTokensDeltaRequest.type, { textDocument: { uri }, previousResultId: full.resultId! })) as SemanticTokensDelta;
    assert.ok(delta.edits && delta.edits.length > 0, 'an edit that adds names gives edits');
    const patched = applyTokenEdits(full.data, delta.edits);
    const fresh = (await h.connection.sendRequest(SemanticTokensRequest.type, { textDocument: { uri } })) as SemanticTokens;
    assert.deepEqual(patched, fresh.data);
    assert.ok(delta.edits.reduce((n, e) => n + (e.data?.length ?? 0), 0) < fresh.data.length, 'the delta is smaller than the full array');
  });

  it('answers with the full tokens when the previous result id is not the latest', async () => {
    const r = (await h.connection.sendRequest(SemanticTokensDeltaRequest.type, { textDocument: { uri }, previousResultId: 'no-such-id' })) as SemanticTokens;
    assert.ok(Array.isArray(r.data) && r.data.length > 0);
    assert.ok(r.resultId);
  });
});
