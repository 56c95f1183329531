/** Document and range formatting over the real server (stdio): capabilities, edits, options and refusals. */
import assert from 'node:assert/strict';
import {
  DocumentFormattingRequest,
  DocumentRangeFormattingRequest,
  type InitializeResult,
  type TextEdit,
} from 'vscode-languageserver-protocol/node.js';
import { LspHarness } from './lsp-harness.js';
import { applyEdits } from '../helpers/apply-edits.js';

const MESSY = 'vcl 4.1;\nbackend default { .host = "127.0.0.1"; }\nsub vcl_recv {\nif (req.url ~ "^/admin") { return(pass); }\n  # keep me   \n}\n';
const FORMATTED = 'vcl 4.1;\nbackend default {\n    .host = "127.0.0.1";\n}\nsub vcl_recv {\n    if (req.url ~ "^/admin") {\n        return (pass);\n    }\n    # keep me\n}\n';

describe('language server: formatting', function () {
  this.timeout(30_000);
  let h: LspHarness;
  let init: InitializeResult;
  const uri = 'file:///tmp/vcl-format/site.vcl';
  const brokenUri = 'file:///tmp/vcl-format/broken.vcl';

  before(async () => {
    ({ harness: h, init } = await LspHarness.start());
    await h.open(uri, MESSY);
    await h.open(brokenUri, 'vcl 4.1;\nsub vcl_recv {\n  set req.http.a = "1"\n}\n');
  });
  after(async () => {
    await h.shutdownAndExit();
    h.dispose();
  });

  const format = (u: string, options = { tabSize: 4, insertSpaces: true }) =>
    h.connection.sendRequest(DocumentFormattingRequest.type, { textDocument: { uri: u }, options }) as Promise<TextEdit[]>;

  it('announces document and range formatting', () => {
    assert.equal(init.capabilities.documentFormattingProvider, true);
    assert.equal(init.capabilities.documentRangeFormattingProvider, true);
  });

  it('formats a whole document', async () => {
    assert.equal(applyEdits(MESSY, await format(uri)), FORMATTED);
  });

  it('honours the editor\'s tab settings', async () => {
    const edits = await format(uri, { tabSize: 4, insertSpaces: false });
    assert.equal(applyEdits(MESSY, edits), FORMATTED.replace(/^( {4})+/gm, (m) => '\t'.repeat(m.length / 4)));
  });

  it('formats only the edits that touch a range', async () => {
    const edits = (await h.connection.sendRequest(DocumentRangeFormattingRequest.type, {
      textDocument: { uri },
      range: { start: { line: 1, character: 0 }, end: { line: 1, character: 40 } },
      options: { tabSize: 4, insertSpaces: true },
    })) as TextEdit[];
    assert.ok(edits.length > 0);
    assert.equal(
      applyEdits(MESSY, edits),
      'vcl 4.1;\nbackend default {\n    .host = "127.0.0.1";\n}\nsub vcl_recv {\nif (req.url ~ "^/admin") { return(pass); }\n  # keep me   \n}\n',
    );
  });

  it('gives no edits for a document with a syntax error', async () => {
    assert.deepEqual(await format(brokenUri), []);
  });

  it('gives no edits once the document is formatted', async () => {
    await h.change(uri, 2, [{ text: FORMATTED }]);
    assert.deepEqual(await format(uri), []);
  });
});
