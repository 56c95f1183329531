/**
 * varnishlog captures in the editor over the real server: the 503 doctor's
 * diagnostics on the capture's own lines (with the proving lines as related
 * places in the same document), new ones after an edit, hover on log tags,
 * the input guard on a capture over 10 MB, and no other feature touching a
 * capture.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CodeLensRequest, CompletionRequest, DocumentSymbolRequest, HoverRequest, type CodeLens, type CompletionItem, type Hover } from 'vscode-languageserver-protocol/node.js';
import { CAUSE_IDS } from '../../server/src/varnishlog/causes.js';
import { projectRoot } from '../conformance/corpus.js';
import { LspHarness } from './lsp-harness.js';

const CAPTURE = readFileSync(join(projectRoot, 'test/fixtures/varnishlog/all-causes.7.1.request.varnishlog'), 'utf8');
/** The causes the live run provoked (see test/unit/varnishlog.test.ts). */
const PROVOKED = CAUSE_IDS.filter((id) => id !== 'unknown-cause');
const lines = CAPTURE.split('\n');
const lineOf = (pattern: RegExp): number => lines.findIndex((l) => pattern.test(l));

describe('language server: varnishlog captures', function () {
  this.timeout(30_000);
  let h: LspHarness;
  const uri = 'file:///tmp/vcl-captures/503.varnishlog';
  const hover = async (line: number, character: number): Promise<string | undefined> => {
    const answer = (await h.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line, character } })) as Hover | null;
    return answer ? (answer.contents as { value: string }).value : undefined;
  };

  before(async () => {
    ({ harness: h } = await LspHarness.start());
    const from = h.mark();
    await h.open(uri, CAPTURE, 1, 'varnishlog');
    await h.waitForDiagnostics((p) => p.uri === uri, from);
  });
  after(async () => {
    await h.shutdownAndExit();
    h.dispose();
  });

  it('publishes one diagnostic per cause, on the line that proves it, linked to its page', () => {
    const diagnostics = h.publishedFor(uri).at(-1)!.diagnostics;
    assert.deepEqual(diagnostics.map((d) => d.code), PROVOKED);
    const long = diagnostics.find((d) => d.code === 'resp-header-too-long')!;
    assert.match(lines[long.range.start.line]!, /BogoHeader\s+Header too long: X-Long/);
    assert.equal(long.range.end.character, lines[long.range.start.line]!.length);
    assert.equal(long.severity, 1);
    assert.match(long.codeDescription?.href ?? '', /docs\/rules\/resp-header-too-long\.md$/);
    for (const d of diagnostics) for (const r of d.relatedInformation ?? []) assert.equal(r.location.uri, uri);
  });

  it('diagnoses the capture again after an edit, and publishes nothing for a capture without failures', async () => {
    const from = h.mark();
    await h.change(uri, 2, [{ text: `${CAPTURE}\n${CAPTURE}` }]);
    const again = await h.waitForDiagnostics((p) => p.uri === uri && p.version === 2, from);
    assert.deepEqual(again.diagnostics.map((d) => d.code), PROVOKED);
    assert.ok(again.diagnostics.every((d) => / 2 times \(/.test(d.message)), again.diagnostics[0]!.message);
    const ok = '*   << Request  >> 5\n-   Begin          req 4 rxreq\n-   RespStatus     200\n-   RespReason     OK\n-   End\n';
    const next = h.mark();
    await h.change(uri, 3, [{ text: ok }]);
    assert.deepEqual((await h.waitForDiagnostics((p) => p.uri === uri && p.version === 3, next)).diagnostics, []);
    const back = h.mark();
    await h.change(uri, 4, [{ text: CAPTURE }]);
    await h.waitForDiagnostics((p) => p.uri === uri && p.version === 4, back);
  });

  it('explains a log tag on hover: on the tag and the marks before it, not on the payload', async () => {
    const fetchError = lineOf(/^--\s+FetchError\s+http format error/);
    const onTag = await hover(fetchError, 6);
    assert.match(onTag ?? '', /\*\*FetchError\*\*/);
    assert.match(onTag ?? '', /503/);
    assert.match((await hover(fetchError, 0)) ?? '', /\*\*FetchError\*\*/);
    assert.equal(await hover(fetchError, lines[fetchError]!.length - 2), undefined);
    assert.match((await hover(lineOf(/^--\s+BogoHeader/), 5)) ?? '', /http_resp_hdr_len/);
    assert.match((await hover(lineOf(/^-\s+RespStatus/), 4)) ?? '', /\*\*RespStatus\*\*/);
    assert.equal(await hover(0, 2), undefined, 'a transaction header is no record');
  });

  it('sums the capture up in code lenses: every cause and its count at the top, and one lens above each cause\'s diagnostic', async () => {
    const lenses = ((await h.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } })) as CodeLens[] | null) ?? [];
    const diagnostics = h.publishedFor(uri).at(-1)!.diagnostics;
    assert.equal(lenses.length, PROVOKED.length + 1);
    const [summary, ...perCause] = lenses;
    assert.equal(summary!.range.start.line, 0);
    assert.equal(summary!.command?.title, `503 doctor: ${PROVOKED.length} failures, ${PROVOKED.length} causes: ${PROVOKED.map((c) => `${c} ×1`).join(', ')}`);
    assert.deepEqual(perCause.map((l) => l.range.start.line), diagnostics.map((d) => d.range.start.line));
    const busy = perCause.find((l) => l.command?.title.startsWith('backend-busy:'));
    assert.match(busy?.command?.title ?? '', /^backend-busy: once, transaction \d+, backend busy$/);
    // Read, not clicked: no command to run.
    assert.ok(lenses.every((l) => l.command?.command === ''));
    const none = ((await h.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: 'file:///tmp/vcl-captures/none.vcl' } })) as CodeLens[] | null) ?? [];
    assert.deepEqual(none, []);
  });

  it('offers no VCL feature on a capture', async () => {
    const items = (await h.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line: 3, character: 5 } })) as CompletionItem[] | null;
    assert.deepEqual(items ?? [], []);
    const symbols = (await h.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } })) as unknown[] | null;
    assert.deepEqual(symbols ?? [], []);
  });

  it('keeps the 10 MB limit of every document, and names the CLI for larger captures', async () => {
    const big = 'file:///tmp/vcl-captures/big.varnishlog';
    const copies = Math.ceil((10 * 1024 * 1024) / CAPTURE.length) + 1;
    const from = h.mark();
    await h.open(big, Array.from({ length: copies }, () => CAPTURE).join('\n'), 1, 'varnishlog');
    const published = await h.waitForDiagnostics((p) => p.uri === big, from);
    assert.deepEqual(published.diagnostics.map((d) => d.code), ['input']);
    assert.match(published.diagnostics[0]!.message, /too large.*vcl-lint --varnishlog FILE/);
    const answer = await h.connection.sendRequest(HoverRequest.type, { textDocument: { uri: big }, position: { line: 30, character: 2 } });
    assert.equal(answer, null);
    await h.close(big);
  });
});
