/**
 * The server across files: a part included by a top-level file is checked
 * as part of that program, and editing the part re-checks the top-level
 * file that is open too.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { LspHarness, startInWorkspace } from './lsp-harness.js';

const MAIN = 'vcl 4.1;\nprobe default { .url = "/"; }\nbackend app { .host = "127.0.0.1"; .port = "8080"; }\ninclude "./parts/recv.vcl";\nsub vcl_recv {\n  call normalize;\n}\n';
const PART = 'sub normalize {\n  unset req.http.Cookie;\n}\n';
const PART_WRONG = 'sub normalize {\n  set beresp.ttl = 1h;\n}\n';
const PART_RENAMED = 'sub normalise {\n  unset req.http.Cookie;\n}\n';

describe('language server: programs split over files', function () {
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
  });

  after(async () => {
    await h.shutdownAndExit();
    h.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds no error in a part or its includer when the program is right', async () => {
    const from = h.mark();
    await h.open(mainUri, MAIN);
    await h.open(partUri, PART);
    const main = await h.waitForDiagnostics((p) => p.uri === mainUri, from);
    const part = await h.waitForDiagnostics((p) => p.uri === partUri, from);
    assert.deepEqual(main.diagnostics, []);
    assert.deepEqual(part.diagnostics, []);
  });

  it('checks the part in the context of its includer (beresp in a sub called from vcl_recv)', async () => {
    const from = h.mark();
    await h.change(partUri, 2, [{ text: PART_WRONG }]);
    const part = await h.waitForDiagnostics((p) => p.uri === partUri && p.version === 2, from);
    assert.deepEqual(part.diagnostics.map((d) => `${d.code}@${d.range.start.line}`), ['variable-access@1']);
    // The includer is re-checked for this change too, and says that its part has an error (varnishd refuses the program),
    // with the part's error as related information.
    const main = await h.waitForDiagnostics((p) => p.uri === mainUri && p.diagnostics.length > 0, from);
    assert.deepEqual(main.diagnostics.map((d) => `${d.code}@${d.range.start.line}`), ['included-file-errors@3']);
    assert.deepEqual(main.diagnostics[0]!.relatedInformation?.map((r) => `${r.location.uri}@${r.location.range.start.line}`), [`${partUri}@1`]);
  });

  it('re-checks the open includer when the part changes', async () => {
    const from = h.mark();
    await h.change(partUri, 3, [{ text: PART_RENAMED }]);
    // A re-check of main for the previous edit may still arrive after `from`
    // on a busy machine; wait for the one that has seen the rename.
    const main = await h.waitForDiagnostics((p) => p.uri === mainUri && p.diagnostics.some((d) => d.code === 'symbol-unknown'), from);
    // The renamed sub is unused in the part: an error there too, so the include line reports it.
    assert.deepEqual(main.diagnostics.map((d) => `${d.code}@${d.range.start.line}`), ['symbol-unknown@5', 'included-file-errors@3']);
  });
});
