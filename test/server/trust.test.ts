/**
 * Workspace trust in the server itself, over stdio: untrusted unless
 * `initializationOptions.trustedWorkspace` says otherwise; untrusted, the
 * include folders of `workspace/configuration` are ignored (those of
 * `initializationOptions` count) and files outside the workspace that the
 * program names by path are not read, with an `untrusted-path` diagnostic.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver-protocol/node.js';
import { LspHarness } from './lsp-harness.js';

/** A workspace folder and, next to it, a folder outside it with a VCL file that defines `helper`. */
function layout(): { ws: string; outside: string; uri: (name: string) => string } {
  const root = mkdtempSync(join(tmpdir(), 'vcl-trust-'));
  const ws = join(root, 'workspace');
  const outside = join(root, 'elsewhere');
  mkdirSync(ws);
  mkdirSync(outside);
  writeFileSync(join(outside, 'lib.vcl'), 'sub helper {\n    set req.http.X-Lib = "1";\n}\n');
  return { ws, outside, uri: (name) => pathToFileURL(join(ws, name)).href };
}

const program = (include: string): string => `vcl 4.1;\ninclude "${include}";\nbackend default { .host = "127.0.0.1"; }\nsub vcl_recv {\n    call helper;\n}\n`;
const codes = (ds: Diagnostic[]): string[] => ds.map((d) => String(d.code));

/** Where `call helper;` (line 4) leads: the file that was read for it, if any. */
async function helperDefinition(h: LspHarness, u: string): Promise<string[]> {
  const locations = (await h.connection.sendRequest('textDocument/definition', { textDocument: { uri: u }, position: { line: 4, character: 11 } })) as Array<{ uri: string }>;
  return locations.map((l) => l.uri.split('/').slice(-2).join('/'));
}

describe('workspace trust in the language server', function () {
  this.timeout(60_000);
  const started: LspHarness[] = [];
  afterEach(() => {
    for (const h of started.splice(0)) h.dispose();
  });

  /** Starts the server on `ws`, waits for its settings pull (when it has one), opens `text` and returns its first diagnostics. */
  async function diagnose(ws: string, u: string, text: string, init: unknown, configuration?: Record<string, unknown>): Promise<{ h: LspHarness; diagnostics: Diagnostic[] }> {
    let pulled!: () => void;
    const asked = new Promise<void>((resolve) => (pulled = resolve));
    const { harness: h } = await LspHarness.start(['--stdio'], ws, init, configuration ? (section) => (pulled(), section === 'vcl' ? configuration : null) : undefined);
    started.push(h);
    if (configuration) await asked;
    const from = h.mark();
    await h.open(u, text);
    return { h, diagnostics: (await h.waitForDiagnostics((p) => p.uri === u, from)).diagnostics };
  }

  // Each case: how the include names the file outside, and where `call helper;` leads once it is read.
  for (const [what, include, readAs] of [
    ['an absolute include', (_ws: string, outside: string) => join(outside, 'lib.vcl'), 'elsewhere/lib.vcl'],
    ['a relative include that leads out of the workspace', (_ws: string, outside: string) => `./../${basename(outside)}/lib.vcl`, 'elsewhere/lib.vcl'],
    ['a link in the workspace to a file outside it', (ws: string, outside: string) => (symlinkSync(join(outside, 'lib.vcl'), join(ws, 'link.vcl')), './link.vcl'), 'workspace/link.vcl'],
    ['a file in a linked folder that leads outside', (ws: string, outside: string) => (symlinkSync(outside, join(ws, 'linked')), './linked/lib.vcl'), 'linked/lib.vcl'],
  ] as const) {
    it(`does not read ${what} outside an untrusted workspace, and says why`, async function () {
      const { ws, outside, uri } = layout();
      const { h, diagnostics } = await diagnose(ws, uri('main.vcl'), program(include(ws, outside)), undefined);
      assert.deepEqual(await helperDefinition(h, uri('main.vcl')), [], 'the file was not read');
      const refused = diagnostics.filter((d) => d.code === 'untrusted-path');
      assert.equal(refused.length, 1, JSON.stringify(diagnostics));
      assert.equal(refused[0]!.range.start.line, 1);
      assert.match(refused[0]!.message, /not read: .*not trusted/);
      assert.ok(!codes(diagnostics).includes('include-missing'), JSON.stringify(diagnostics));
    });

    it(`reads ${what} when initializationOptions.trustedWorkspace is true`, async function () {
      const { ws, outside, uri } = layout();
      const { h, diagnostics } = await diagnose(ws, uri('main.vcl'), program(include(ws, outside)), { trustedWorkspace: true });
      assert.deepEqual(diagnostics.filter((d) => d.code === 'untrusted-path' || /helper/.test(d.message)), []);
      assert.deepEqual(await helperDefinition(h, uri('main.vcl')), [readAs]);
    });
  }

  it('reads an absolute include inside the workspace, trusted or not', async function () {
    const { ws, uri } = layout();
    writeFileSync(join(ws, 'lib.vcl'), 'sub helper {\n    set req.http.X-Lib = "1";\n}\n');
    const { h, diagnostics } = await diagnose(ws, uri('main.vcl'), program(join(ws, 'lib.vcl')), undefined);
    assert.deepEqual(diagnostics.filter((d) => d.code === 'untrusted-path' || /helper/.test(d.message)), []);
    assert.deepEqual(await helperDefinition(h, uri('main.vcl')), ['workspace/lib.vcl']);
  });

  it('does not read a vmod named by an absolute path outside an untrusted workspace', async function () {
    const { ws, outside, uri } = layout();
    const text = `vcl 4.1;\nimport foo from "${join(outside, 'libvmod_foo.so')}";\nbackend default { .host = "127.0.0.1"; }\n`;
    const untrusted = await diagnose(ws, uri('vmod.vcl'), text, undefined);
    assert.deepEqual(untrusted.diagnostics.filter((d) => d.code === 'untrusted-path').map((d) => d.range.start.line), [1]);
    // Not opened at all: no other rule reads it to say it is no vmod.
    assert.deepEqual(untrusted.diagnostics.filter((d) => d.code === 'vmod-not-found'), []);
    const trustedRun = await diagnose(ws, uri('vmod.vcl'), text, { trustedWorkspace: true });
    assert.deepEqual(trustedRun.diagnostics.filter((d) => d.code === 'untrusted-path'), []);
  });

  it('without workspace folders, reads what sits beside the open file, and nothing outside its folder', async function () {
    const { ws, outside, uri } = layout();
    writeFileSync(join(ws, 'lib.vcl'), 'sub helper {\n    set req.http.X-Lib = "1";\n}\n');
    const { harness: h } = await LspHarness.start(['--stdio']);
    started.push(h);
    const from = h.mark();
    await h.open(uri('beside.vcl'), program('./lib.vcl'));
    await h.open(uri('escape.vcl'), program(`./../${basename(outside)}/lib.vcl`));
    const beside = await h.waitForDiagnostics((p) => p.uri === uri('beside.vcl'), from);
    assert.deepEqual(beside.diagnostics.filter((d) => d.code === 'untrusted-path'), []);
    assert.deepEqual(await helperDefinition(h, uri('beside.vcl')), ['workspace/lib.vcl']);
    const escape = await h.waitForDiagnostics((p) => p.uri === uri('escape.vcl'), from);
    assert.deepEqual(escape.diagnostics.filter((d) => d.code === 'untrusted-path').map((d) => d.range.start.line), [1]);
  });

  it('ignores includePaths from workspace/configuration when untrusted, and takes those of initializationOptions', async function () {
    const { ws, outside, uri } = layout();
    const text = program('lib.vcl');
    const fromConfig = await diagnose(ws, uri('main.vcl'), text, undefined, { includePaths: [outside] });
    assert.ok(codes(fromConfig.diagnostics).includes('include-missing'), JSON.stringify(fromConfig.diagnostics));
    const fromInit = await diagnose(ws, uri('main.vcl'), text, { includePaths: [outside] }, { includePaths: [] });
    assert.ok(!codes(fromInit.diagnostics).includes('include-missing'), JSON.stringify(fromInit.diagnostics));
    const trustedConfig = await diagnose(ws, uri('main.vcl'), text, { trustedWorkspace: true }, { includePaths: [outside] });
    assert.ok(!codes(trustedConfig.diagnostics).includes('include-missing'), JSON.stringify(trustedConfig.diagnostics));
  });

  it('reads an absolute include under the user\'s own includePaths when untrusted', async function () {
    const { ws, outside, uri } = layout();
    const { h, diagnostics } = await diagnose(ws, uri('main.vcl'), program(join(outside, 'lib.vcl')), { includePaths: [outside] });
    assert.deepEqual(diagnostics.filter((d) => d.code === 'untrusted-path' || /helper/.test(d.message)), []);
    assert.deepEqual(await helperDefinition(h, uri('main.vcl')), ['elsewhere/lib.vcl']);
  });

  it('reads the files once the client sends vcl/workspaceTrust', async function () {
    const { ws, outside, uri } = layout();
    const u = uri('main.vcl');
    const { h, diagnostics } = await diagnose(ws, u, program(join(outside, 'lib.vcl')), undefined);
    assert.ok(codes(diagnostics).includes('untrusted-path'));
    const from = h.mark();
    await h.connection.sendNotification('vcl/workspaceTrust', { trusted: true });
    const after = await h.waitForDiagnostics((p) => p.uri === u, from);
    assert.deepEqual(after.diagnostics.filter((d) => d.code === 'untrusted-path' || /helper/.test(d.message)), []);
    assert.deepEqual(await helperDefinition(h, u), ['elsewhere/lib.vcl']);
  });
});
