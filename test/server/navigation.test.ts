/** VCL navigation over the real server: outline, folding, definition and references across an include. */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import {
  DefinitionRequest,
  DocumentSymbolRequest,
  FoldingRangeRequest,
  HoverRequest,
  ReferencesRequest,
  type Hover,
  type DocumentSymbol,
  type FoldingRange,
  type Location,
} from 'vscode-languageserver-protocol/node.js';
import { LspHarness, startInWorkspace } from './lsp-harness.js';

const MAIN = [
  'vcl 4.1;',
  'include "./parts/recv.vcl";',
  'backend app {',
  '    .host = "127.0.0.1";',
  '}',
  'sub vcl_recv {',
  '    call normalize;',
  '    set req.backend_hint = app;',
  '}',
  '',
].join('\n');
const PART = 'sub normalize {\n    set req.backend_hint = app;\n}\n';

describe('language server: VCL navigation', function () {
  this.timeout(30_000);
  let dir: string;
  let h: LspHarness;
  let mainUri: string;
  let partUri: string;

  before(async () => {
    const ws = await startInWorkspace({ 'main.vcl': MAIN, 'parts/recv.vcl': PART });
    ({ harness: h, dir } = ws);
    mainUri = ws.uri('main.vcl');
    partUri = ws.uri('parts/recv.vcl');
    const from = h.mark();
    await h.open(mainUri, MAIN);
    await h.waitForDiagnostics((p) => p.uri === mainUri, from);
  });
  after(async () => {
    await h.shutdownAndExit();
    h.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('outlines the backend and the sub', async () => {
    const symbols = (await h.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: mainUri } })) as DocumentSymbol[];
    assert.deepEqual(symbols.map((s) => `${s.name}:${s.detail}@${s.selectionRange.start.line}`), ['app:backend@2', 'vcl_recv:sub@5']);
  });

  it('folds the backend and the sub', async () => {
    const folds = (await h.connection.sendRequest(FoldingRangeRequest.type, { textDocument: { uri: mainUri } })) as FoldingRange[];
    assert.deepEqual(folds.map((f) => `${f.startLine}-${f.endLine}`).sort(), ['2-4', '5-8']);
  });

  it('goes to a sub defined in an included file', async () => {
    const locations = (await h.connection.sendRequest(DefinitionRequest.type, { textDocument: { uri: mainUri }, position: { line: 6, character: 11 } })) as Location[];
    assert.deepEqual(locations.map((l) => `${l.uri}@${l.range.start.line}:${l.range.start.character}`), [`${partUri}@0:4`]);
  });

  it('finds every use of a backend, in both files', async () => {
    const locations = (await h.connection.sendRequest(ReferencesRequest.type, { textDocument: { uri: mainUri }, position: { line: 2, character: 9 }, context: { includeDeclaration: true } })) as Location[];
    assert.deepEqual(locations.map((l) => `${l.uri === mainUri ? 'main' : 'part'}@${l.range.start.line}`).sort(), ['main@2', 'main@7', 'part@1']);
  });
});

describe('language server: VCL hover', function () {
  this.timeout(30_000);
  let h: LspHarness;
  const uri = 'file:///tmp/vcl-hover/main.vcl';
  before(async () => {
    ({ harness: h } = await LspHarness.start());
    const from = h.mark();
    await h.open(uri, 'vcl 4.1;\nbackend app { .host = "127.0.0.1"; }\nsub vcl_backend_response {\n    set beresp.ttl = 1h;\n}\n');
    await h.waitForDiagnostics((p) => p.uri === uri, from);
  });
  after(async () => {
    await h.shutdownAndExit();
    h.dispose();
  });

  it('shows a variable\'s type and where it can be read and set', async () => {
    const hover = (await h.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 3, character: 12 } })) as Hover;
    const text = (hover.contents as { value: string }).value;
    assert.match(text, /\*\*beresp\.ttl\*\* — `DURATION`/);
    assert.match(text, /Set in: vcl_backend_response, vcl_backend_error/);
    assert.match(text, /As in Varnish 7\.1[.;]/);
  });

});

describe('language server: VCL hover for the release the settings choose', function () {
  this.timeout(30_000);
  let h: LspHarness;
  const uri = 'file:///tmp/vcl-hover-90/main.vcl';
  before(async () => {
    ({ harness: h } = await LspHarness.start(['--stdio'], undefined, undefined, (section) => (section === 'vcl' ? { varnishVersion: '9.0' } : {})));
    const from = h.mark();
    await h.open(uri, 'vcl 4.1;\nbackend app { .host = "127.0.0.1"; }\nsub vcl_backend_refresh {\n    set beresp.ttl = 1h;\n    return (merge);\n}\n');
    await h.waitForDiagnostics((p) => p.uri === uri && p.diagnostics.every((d) => d.severity !== 1), from);
  });
  after(async () => {
    await h.shutdownAndExit();
    h.dispose();
  });

  it('has 9.0\'s vcl_backend_refresh, and says since when the variable has this form', async () => {
    const hover = (await h.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 3, character: 12 } })) as Hover;
    const text = (hover.contents as { value: string }).value;
    assert.match(text, /Set in: .*vcl_backend_refresh/);
    assert.match(text, /As in Vinyl Cache 9\.0; this form exists from Varnish 8\.0\./);
  });
});
