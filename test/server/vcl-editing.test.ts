/**
 * VCL editing features over the real bundled server (stdio): completion,
 * signature help, vmod hover, rename across an include, highlights,
 * semantic tokens and workspace symbols, on the fixtures of
 * test/fixtures/editor/ written into a workspace folder.
 */
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import {
  CompletionRequest,
  DocumentHighlightRequest,
  HoverRequest,
  PrepareRenameRequest,
  RenameRequest,
  SemanticTokensRangeRequest,
  SemanticTokensRequest,
  SignatureHelpRequest,
  WorkspaceSymbolRequest,
  type CompletionItem,
  type CompletionList,
  type DocumentHighlight,
  type Hover,
  type SemanticTokens,
  type SignatureHelp,
  type SymbolInformation,
  type WorkspaceEdit,
} from 'vscode-languageserver-protocol/node.js';
import { LspHarness, startInWorkspace } from './lsp-harness.js';
import { fixturePath, readMarked, withCursors } from '../helpers/cursors.js';
import { TOKEN_MODIFIERS, TOKEN_TYPES } from '../../server/src/service/semantic-tokens.js';

/** LSP position of an offset. */
function position(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1]!.length };
}

describe('language server: VCL editing features', function () {
  this.timeout(30_000);
  const completion = readMarked('editor/completion.vcl');
  const signature = readMarked('editor/signature-help.vcl');
  const hover = readMarked('editor/vmod-hover.vcl');
  const rename = withCursors(readFileSync(fixturePath('editor/rename/main.vcl'), 'utf8'));
  const part = readFileSync(fixturePath('editor/rename/parts/recv.vcl'), 'utf8');
  let dir: string;
  let h: LspHarness;
  let uri: (name: string) => string;

  before(async () => {
    const ws = await startInWorkspace({
      'completion.vcl': completion.text,
      'signature-help.vcl': signature.text,
      'vmod-hover.vcl': hover.text,
      'main.vcl': rename.text,
      'parts/recv.vcl': part,
    });
    ({ harness: h, dir, uri } = ws);
    for (const [name, text] of [['completion.vcl', completion.text], ['signature-help.vcl', signature.text], ['vmod-hover.vcl', hover.text], ['main.vcl', rename.text]] as const) {
      const from = h.mark();
      await h.open(uri(name), text);
      await h.waitForDiagnostics((p) => p.uri === uri(name), from);
    }
  });
  after(async () => {
    await h.shutdownAndExit();
    h.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  const complete = async (cursor: string, triggerCharacter?: string): Promise<CompletionItem[]> => {
    const r = (await h.connection.sendRequest(CompletionRequest.type, {
      textDocument: { uri: uri('completion.vcl') },
      position: position(completion.text, completion.at(cursor)),
      ...(triggerCharacter ? { context: { triggerKind: 2, triggerCharacter } } : {}),
    })) as CompletionItem[] | CompletionList | null;
    return Array.isArray(r) ? r : r?.items ?? [];
  };

  it('completes the return actions of the sub, replacing nothing', async () => {
    const items = await complete('return-beresp');
    assert.deepEqual(items.map((i) => i.label).sort(), ['abandon', 'deliver', 'error', 'fail', 'pass', 'retry']);
    const edit = items[0]!.textEdit as { range: { start: unknown; end: unknown } };
    assert.deepEqual(edit.range.start, edit.range.end);
  });

  it('completes vmod functions over the typed prefix, and retriggers after a header family', async () => {
    const items = await complete('std-member', '.');
    const log = items.find((i) => i.label === 'log')!;
    assert.equal((log.textEdit as { newText: string }).newText, 'std.log');
    assert.equal(log.filterText, 'std.log');
    const family = (await complete('set-recv', ' ')).find((i) => i.label === 'req.http.')!;
    assert.equal(family.command?.command, 'editor.action.triggerSuggest');
  });

  it('offers header names used in the workspace', async () => {
    const items = await complete('header');
    for (const name of ['req.http.X-Normalized', 'req.http.Cookie', 'req.http.Cache-Control']) assert.ok(items.some((i) => (i.textEdit as { newText: string }).newText === name), name);
  });

  it('sends snippets as snippets', async () => {
    const backend = (await complete('top')).find((i) => i.label === 'backend')!;
    assert.equal(backend.insertTextFormat, 2);
    assert.match((backend.textEdit as { newText: string }).newText, /^backend \$\{1:name\} \{/);
  });

  it('gives the signature and active parameter of a vmod call', async () => {
    const help = (await h.connection.sendRequest(SignatureHelpRequest.type, { textDocument: { uri: uri('signature-help.vcl') }, position: position(signature.text, signature.at('integer-named')) })) as SignatureHelp;
    const sig = help.signatures[0]!;
    assert.match(sig.label, /^std\.integer\(/);
    const active = sig.parameters![help.activeParameter!]!.label as [number, number];
    assert.equal(sig.label.slice(...active), '[INT fallback]');
    const none = await h.connection.sendRequest(SignatureHelpRequest.type, { textDocument: { uri: uri('signature-help.vcl') }, position: position(signature.text, signature.at('none')) });
    assert.equal(none, null);
  });

  it('shows a vmod method\'s signature on hover', async () => {
    const r = (await h.connection.sendRequest(HoverRequest.type, { textDocument: { uri: uri('vmod-hover.vcl') }, position: position(hover.text, hover.at('method')) })) as Hover;
    assert.match((r.contents as { value: string }).value, /VOID rr\.add_backend\(BACKEND/);
  });

  it('renames a sub defined in an included file, in both files', async () => {
    const at = position(rename.text, rename.at('call-ref'));
    const prepared = (await h.connection.sendRequest(PrepareRenameRequest.type, { textDocument: { uri: uri('main.vcl') }, position: at })) as { range: { start: { line: number; character: number } }; placeholder: string };
    assert.equal(prepared.placeholder, 'normalize');
    const edit = (await h.connection.sendRequest(RenameRequest.type, { textDocument: { uri: uri('main.vcl') }, position: at, newName: 'clean_request' })) as WorkspaceEdit;
    const changes = edit.changes!;
    assert.deepEqual(Object.keys(changes).sort(), [uri('main.vcl'), uri('parts/recv.vcl')].sort());
    assert.deepEqual(changes[uri('parts/recv.vcl')]!.map((e) => `${e.range.start.line}:${e.range.start.character}-${e.range.end.character}=${e.newText}`), ['0:4-13=clean_request']);
    assert.deepEqual(changes[uri('main.vcl')]!.map((e) => `${e.range.start.line}:${e.range.start.character}=${e.newText}`), [`${at.line}:9=clean_request`]);
  });

  it('refuses to rename a built-in sub, saying why', async () => {
    await assert.rejects(
      h.connection.sendRequest(PrepareRenameRequest.type, { textDocument: { uri: uri('main.vcl') }, position: position(rename.text, rename.at('builtin')) }),
      /built-in subroutine/,
    );
    await assert.rejects(
      h.connection.sendRequest(RenameRequest.type, { textDocument: { uri: uri('main.vcl') }, position: position(rename.text, rename.at('backend-def')), newName: 'purgers' }),
      /already the name of an acl/,
    );
  });

  it('highlights a backend\'s definition and uses in the document', async () => {
    const r = (await h.connection.sendRequest(DocumentHighlightRequest.type, { textDocument: { uri: uri('main.vcl') }, position: position(rename.text, rename.at('backend-def')) })) as DocumentHighlight[];
    assert.deepEqual(r.map((x) => `${x.range.start.line}:${x.kind}`), ['8:3', '19:2']);
  });

  it('sends semantic tokens with the legend it announced, for the whole file and a range', async () => {
    const { harness: fresh, init } = await LspHarness.start();
    try {
      const provider = init.capabilities.semanticTokensProvider as { legend: { tokenTypes: string[]; tokenModifiers: string[] }; range: boolean; full: boolean };
      assert.deepEqual(provider.legend.tokenTypes, [...TOKEN_TYPES]);
      assert.deepEqual(provider.legend.tokenModifiers, [...TOKEN_MODIFIERS]);
      assert.equal(provider.range, true);
      for (const cap of ['signatureHelpProvider', 'renameProvider', 'documentHighlightProvider', 'workspaceSymbolProvider'] as const) assert.ok(init.capabilities[cap], cap);
    } finally {
      await fresh.shutdownAndExit();
      fresh.dispose();
    }
    const full = (await h.connection.sendRequest(SemanticTokensRequest.type, { textDocument: { uri: uri('main.vcl') } })) as SemanticTokens;
    // The first token: `directors` of line 1 (`import directors;`), a namespace being declared.
    assert.deepEqual(full.data.slice(0, 5), [1, 7, 9, TOKEN_TYPES.indexOf('namespace'), 1]);
    const range = (await h.connection.sendRequest(SemanticTokensRangeRequest.type, { textDocument: { uri: uri('main.vcl') }, range: { start: { line: 22, character: 0 }, end: { line: 29, character: 0 } } })) as SemanticTokens;
    assert.ok(range.data.length > 0 && range.data.length < full.data.length);
    assert.equal(range.data[0], 22); // `vcl_recv`, the first name on line 22
  });

  it('finds symbols across the workspace', async () => {
    const r = (await h.connection.sendRequest(WorkspaceSymbolRequest.type, { query: 'normal' })) as SymbolInformation[];
    assert.deepEqual(r.map((s) => `${s.name}@${s.location.uri.slice(uri('').length + 1)}:${s.location.range.start.line}`).sort(), [`normalize@completion.vcl:${completion.text.split('\n').findIndex((l) => l.startsWith('sub normalize'))}`, 'normalize@parts/recv.vcl:0']);
  });
});
