/**
 * End-to-end tests of the bundled language server (dist/server.cjs) over
 * stdio. Build first: `node scripts/build.mjs && npx tsc -p tsconfig.json`.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { LspHarness } from './lsp-harness.js';

// The probe keeps the file free of the (information) backend-probe-missing finding.
// The pass is conditional so that caching stays on (no cache-disabled information).
const VALID = 'vcl 4.1;\nprobe default { .url = "/"; } backend default { .host = "127.0.0.1"; .port = "8080"; }\nsub vcl_recv { if (req.http.Authorization) { return (pass); } }\n';
/** Missing semicolon after `return (pass)` on line 2 (0-based). */
const INVALID = VALID.replace('return (pass);', 'return (pass)');
const ERROR_LINE = 2;

const uri = (name: string): string => `file:///tmp/vcl-server-test/${name}.vcl`;

describe('language server over stdio', function () {
  this.timeout(20_000);
  let h: LspHarness;

  before(async function () {
    ({ harness: h } = await LspHarness.start());
  });

  after(function () {
    h?.dispose();
  });

  /**
   * Proves no stale publication is still pending for earlier changes: the
   * debounce delay is the same for every document, so once a document opened
   * now has its diagnostics, every timer set before it has fired.
   */
  async function barrier(name: string): Promise<void> {
    const from = h.mark();
    await h.open(uri(name), VALID);
    await h.waitForDiagnostics((p) => p.uri === uri(name), from);
  }

  it('reports a syntax error on open, with the rule id as code and the version', async function () {
    const u = uri('open-invalid');
    const from = h.mark();
    await h.open(u, INVALID, 1);
    const p = await h.waitForDiagnostics((x) => x.uri === u, from);
    assert.equal(p.version, 1);
    const syntax = p.diagnostics.filter((d) => d.code === 'syntax');
    assert.ok(syntax.length >= 1, `expected a syntax diagnostic, got ${JSON.stringify(p.diagnostics)}`);
    assert.equal(syntax[0]!.range.start.line, ERROR_LINE);
    assert.equal(syntax[0]!.source, 'vcl');
    assert.equal(syntax[0]!.severity, 1 /* Error */);
  });

  it('publishes one backend-probe-missing for a director, the other backend as related information in the same document', async function () {
    const u = uri('probe-related');
    const from = h.mark();
    const text = 'vcl 4.1;\nimport directors;\nbackend web1 { .host = "127.0.0.1"; }\nbackend web2 { .host = "127.0.0.1"; .port = "81"; }\nsub vcl_init {\n  new pool = directors.round_robin();\n  pool.add_backend(web1);\n  pool.add_backend(web2);\n}\nsub vcl_recv { set req.backend_hint = pool.backend(); }\n';
    await h.open(u, text, 1);
    const p = await h.waitForDiagnostics((x) => x.uri === u, from);
    const probe = p.diagnostics.filter((d) => d.code === 'backend-probe-missing');
    assert.equal(probe.length, 1, JSON.stringify(p.diagnostics));
    assert.equal(probe[0]!.range.start.line, 2);
    assert.deepEqual(probe[0]!.relatedInformation, [{ location: { uri: u, range: { start: { line: 3, character: 8 }, end: { line: 3, character: 12 } } }, message: "Backend 'web2' has no .probe (it is in a director)" }]);
  });

  it('links every diagnostic to its rule page shipped next to the bundle (codeDescription)', async function () {
    const u = uri('doc-links');
    const from = h.mark();
    // A syntax error, an unused ACL and a probe-less backend: three rules, three pages.
    await h.open(u, 'vcl 4.1;\nbackend b { .host = "127.0.0.1"; }\nacl unused { "127.0.0.1"; }\nsub vcl_recv { return (pass) }\n', 1);
    const p = await h.waitForDiagnostics((x) => x.uri === u, from);
    const codes = new Set(p.diagnostics.map((d) => String(d.code)));
    assert.ok(codes.size >= 3, JSON.stringify(p.diagnostics));
    for (const d of p.diagnostics) {
      const href = d.codeDescription?.href;
      assert.ok(href, `${d.code} has no codeDescription`);
      assert.match(href, new RegExp(`^file://.*/docs/rules/${d.code}\\.md$`));
      const page = fileURLToPath(href);
      assert.ok(existsSync(page), page);
      assert.match(readFileSync(page, 'utf8'), new RegExp(`^# \`${d.code}\``));
    }
  });

  it('applies an incremental change and clears the error for version 2', async function () {
    const u = uri('fix-by-change');
    let from = h.mark();
    await h.open(u, INVALID, 1);
    await h.waitForDiagnostics((x) => x.uri === u && x.version === 1, from);
    // Insert only the missing ';' so the server must apply a ranged edit correctly.
    const at = { line: ERROR_LINE, character: 'sub vcl_recv { if (req.http.Authorization) { return (pass)'.length };
    from = h.mark();
    await h.change(u, 2, [{ range: { start: at, end: at }, text: ';' }]);
    const p = await h.waitForDiagnostics((x) => x.uri === u && x.version === 2, from);
    assert.deepEqual(p.diagnostics, []);
  });

  it('publishes the latest of rapid changes last and never a stale version after a newer one', async function () {
    const u = uri('rapid');
    let from = h.mark();
    await h.open(u, VALID, 1);
    await h.waitForDiagnostics((x) => x.uri === u && x.version === 1, from);
    from = h.mark();
    await h.change(u, 3, [{ text: INVALID }]);
    await h.change(u, 4, [{ text: VALID }]);
    await h.change(u, 5, [{ text: INVALID }]);
    const p = await h.waitForDiagnostics((x) => x.uri === u && x.version === 5, from);
    assert.ok(p.diagnostics.some((d) => d.code === 'syntax' && d.range.start.line === ERROR_LINE), 'v5 diagnostics describe the v5 text');
    await barrier('rapid-barrier');
    const versions = h.publishedFor(u, from).map((x) => x.version);
    for (let i = 1; i < versions.length; i++) {
      assert.ok((versions[i] ?? 0) > (versions[i - 1] ?? 0), `publication order ${versions.join(',')} goes back in version`);
    }
    assert.equal(versions.at(-1), 5, `last publication should be v5, got ${versions.join(',')}`);
  });

  it('clears diagnostics on close', async function () {
    const u = uri('close');
    let from = h.mark();
    await h.open(u, INVALID, 1);
    const opened = await h.waitForDiagnostics((x) => x.uri === u, from);
    assert.ok(opened.diagnostics.length > 0);
    from = h.mark();
    await h.close(u);
    const p = await h.waitForDiagnostics((x) => x.uri === u, from);
    assert.deepEqual(p.diagnostics, []);
    await barrier('close-barrier');
    assert.deepEqual(h.publishedFor(u, from).map((x) => x.diagnostics.length), [0], 'nothing published after close');
  });

  it('reports refused input (NUL character) as one diagnostic at 0:0 with the reason', async function () {
    const u = uri('nul');
    const from = h.mark();
    await h.open(u, 'vcl 4.1;\n\u0000\n', 1);
    const p = await h.waitForDiagnostics((x) => x.uri === u, from);
    assert.equal(p.diagnostics.length, 1);
    const [d] = p.diagnostics;
    assert.deepEqual(d!.range.start, { line: 0, character: 0 });
    assert.match(d!.message, /NUL/);
  });

  it('ignores documents that are not VCL', async function () {
    const u = 'file:///tmp/vcl-server-test/readme.txt';
    const from = h.mark();
    await h.open(u, INVALID, 1, 'plaintext');
    await barrier('plaintext-barrier');
    assert.deepEqual(h.publishedFor(u, from), []);
  });
});

describe('language server lifecycle', function () {
  this.timeout(20_000);

  it('advertises incremental sync, then exits with code 0 after shutdown and exit', async function () {
    const { harness, init } = await LspHarness.start();
    try {
      const sync = init.capabilities.textDocumentSync;
      assert.equal(typeof sync === 'object' ? sync.change : sync, 2 /* Incremental */);
      assert.equal(await harness.shutdownAndExit(), 0);
    } finally {
      harness.dispose();
    }
  });
});
