/**
 * Every request the server advertises, sent for documents the tools refuse
 * (11 MB of valid VCL; a binary file) and with positions that are not
 * unsigned integers. Each must get its empty answer at once, and no answer
 * may carry a position that is not a number. The table of requests is
 * checked against the capabilities of `initialize`, so a handler added
 * without a line here fails the test.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { LspHarness } from './lsp-harness.js';

const uri = (name: string): string => `file:///tmp/vcl-request-guard/${name}`;
const AT = { line: 4, character: 10 };
const RANGE = { start: { line: 0, character: 0 }, end: { line: 5, character: 0 } };

type Probe = { method: string; params: (u: string, position: unknown) => unknown; empty: unknown };

/** Requests per capability, with the answer a refused document must get. */
const REQUESTS: Record<string, Probe[]> = {
  // Notifications only (didOpen/didChange/didClose): nothing to ask.
  textDocumentSync: [],
  codeActionProvider: [{ method: 'textDocument/codeAction', params: (u) => ({ textDocument: { uri: u }, range: RANGE, context: { diagnostics: [], only: ['source.fixAll.vcl'] } }), empty: [] }],
  hoverProvider: [{ method: 'textDocument/hover', params: (u, p) => ({ textDocument: { uri: u }, position: p }), empty: null }],
  completionProvider: [{ method: 'textDocument/completion', params: (u, p) => ({ textDocument: { uri: u }, position: p, context: { triggerKind: 1 } }), empty: [] }],
  documentSymbolProvider: [{ method: 'textDocument/documentSymbol', params: (u) => ({ textDocument: { uri: u } }), empty: [] }],
  foldingRangeProvider: [{ method: 'textDocument/foldingRange', params: (u) => ({ textDocument: { uri: u } }), empty: [] }],
  definitionProvider: [{ method: 'textDocument/definition', params: (u, p) => ({ textDocument: { uri: u }, position: p }), empty: [] }],
  referencesProvider: [{ method: 'textDocument/references', params: (u, p) => ({ textDocument: { uri: u }, position: p, context: { includeDeclaration: true } }), empty: [] }],
  signatureHelpProvider: [{ method: 'textDocument/signatureHelp', params: (u, p) => ({ textDocument: { uri: u }, position: p }), empty: null }],
  renameProvider: [
    { method: 'textDocument/prepareRename', params: (u, p) => ({ textDocument: { uri: u }, position: p }), empty: null },
    { method: 'textDocument/rename', params: (u, p) => ({ textDocument: { uri: u }, position: p, newName: 'renamed' }), empty: { changes: {} } },
  ],
  documentHighlightProvider: [{ method: 'textDocument/documentHighlight', params: (u, p) => ({ textDocument: { uri: u }, position: p }), empty: [] }],
  // Not about one document: the refused ones count as empty text, so the answer is quick; checked for time only.
  workspaceSymbolProvider: [{ method: 'workspace/symbol', params: () => ({ query: 'vcl_recv' }), empty: undefined }],
  semanticTokensProvider: [
    { method: 'textDocument/semanticTokens/full', params: (u) => ({ textDocument: { uri: u } }), empty: { data: [] } },
    { method: 'textDocument/semanticTokens/full/delta', params: (u) => ({ textDocument: { uri: u }, previousResultId: '1' }), empty: { data: [] } },
    { method: 'textDocument/semanticTokens/range', params: (u) => ({ textDocument: { uri: u }, range: RANGE }), empty: { data: [] } },
  ],
  documentFormattingProvider: [{ method: 'textDocument/formatting', params: (u) => ({ textDocument: { uri: u }, options: { tabSize: 4, insertSpaces: true } }), empty: [] }],
  documentRangeFormattingProvider: [{ method: 'textDocument/rangeFormatting', params: (u) => ({ textDocument: { uri: u }, range: RANGE, options: { tabSize: 4, insertSpaces: true } }), empty: [] }],
  codeLensProvider: [{ method: 'textDocument/codeLens', params: (u) => ({ textDocument: { uri: u } }), empty: [] }],
};

/** Whether a request takes a position (those are the ones sent with broken positions). */
const takesPosition = (probe: Probe): boolean => JSON.stringify(probe.params('u', '§')).includes('"position":"§"');

/** Paths in `value` where a `line` or `character` field is not a number (NaN travels as null). */
function badPositions(value: unknown, path = '$'): string[] {
  if (typeof value !== 'object' || value === null) return [];
  const out: string[] = [];
  for (const [k, v] of Object.entries(value)) {
    if ((k === 'line' || k === 'character') && typeof v !== 'number') out.push(`${path}.${k}=${JSON.stringify(v)}`);
    out.push(...badPositions(v, `${path}.${k}`));
  }
  return out;
}

const VCL = 'vcl 4.1;\nimport std;\nbackend default { .host = "127.0.0.1"; .port = "8080"; }\nsub vcl_recv {\n    set req.http.X-A = std.tolower(req.url);\n}\n';

describe('the input guard and position checks of every request', function () {
  this.timeout(120_000);
  let h: LspHarness;
  let capabilities: Record<string, unknown>;
  const big = uri('big.vcl');
  const binary = uri('binary.vcl');
  const normal = uri('normal.vcl');

  before(async function () {
    const started = await LspHarness.start();
    h = started.harness;
    capabilities = started.init.capabilities as Record<string, unknown>;
    // Valid VCL, so a handler without the guard would really analyse all 11 MB.
    const sub = 'sub vcl_recv {\n' + '    set req.http.X-Big = "0123456789";\n'.repeat(1000) + '}\n';
    const bigText = 'vcl 4.1;\nbackend default { .host = "127.0.0.1"; }\n' + sub.repeat(Math.ceil((11 * 1024 * 1024) / sub.length));
    const from = h.mark();
    await h.open(big, bigText);
    await h.open(binary, readFileSync(process.execPath).subarray(0, 256 * 1024).toString('latin1'));
    await h.open(normal, VCL);
    for (const u of [big, binary, normal]) await h.waitForDiagnostics((p) => p.uri === u, from);
  });

  after(function () {
    h?.dispose();
  });

  it('has a line in the table for every capability the server advertises', function () {
    assert.deepEqual(Object.keys(capabilities).sort(), Object.keys(REQUESTS).sort());
  });

  for (const [name, doc] of [['an 11 MB document', big], ['a binary document', binary]] as const) {
    it(`answers every advertised request on ${name} at once with the empty answer`, async function () {
      for (const probes of Object.values(REQUESTS)) {
        for (const probe of probes) {
          const started = Date.now();
          const answer = await h.connection.sendRequest(probe.method, probe.params(doc, AT));
          const took = Date.now() - started;
          assert.ok(took < 500, `${probe.method} took ${took} ms`);
          if (probe.empty !== undefined) assert.deepEqual(answer, probe.empty, probe.method);
        }
      }
    });
  }

  const broken: unknown[] = [{ line: 1.5, character: 'x' }, { line: 1, character: 2.5 }, { line: null, character: 0 }, { line: -1, character: 0 }, {}, 'here', null];

  it('answers every request with a broken position with the empty answer', async function () {
    for (const probes of Object.values(REQUESTS)) {
      for (const probe of probes.filter(takesPosition)) {
        for (const position of broken) {
          const answer = await h.connection.sendRequest(probe.method, probe.params(normal, position));
          assert.deepEqual(answer, probe.empty, `${probe.method} at ${JSON.stringify(position)}`);
        }
      }
    }
    for (const range of [{ start: { line: 0.5, character: 0 }, end: { line: 1, character: 0 } }, { start: AT }, null]) {
      assert.deepEqual(await h.connection.sendRequest('textDocument/semanticTokens/range', { textDocument: { uri: normal }, range }), { data: [] });
      assert.deepEqual(await h.connection.sendRequest('textDocument/rangeFormatting', { textDocument: { uri: normal }, range, options: { tabSize: 4, insertSpaces: true } }), []);
    }
  });

  it('answers with numeric positions only, for valid positions too', async function () {
    // Completion on the normal document is not empty: the check looks at real answers.
    const completion = (await h.connection.sendRequest('textDocument/completion', { textDocument: { uri: normal }, position: AT })) as unknown[];
    assert.ok(completion.length > 0, 'completion has items');
    for (const probes of Object.values(REQUESTS)) {
      for (const probe of probes) {
        const answer = await h.connection.sendRequest(probe.method, probe.params(normal, AT)).catch((e: Error) => ({ error: e.message }));
        assert.deepEqual(badPositions(answer), [], probe.method);
      }
    }
  });
});
