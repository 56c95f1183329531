/**
 * The vcl/status notification that drives the VS Code status bar item: sent
 * only to a client that asks for it, once when analysis becomes pending and
 * once when it is done (after the diagnostics), not once per keystroke.
 */
import assert from 'node:assert/strict';
import { STATUS_NOTIFICATION, STATUS_OPT_IN, type StatusParams } from '../../server/src/protocol/status-notification.js';
import { frame, LspHarness } from './lsp-harness.js';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TRUSTED_WORKSPACE_OPTION } from '../../server/src/protocol/workspace-trust.js';

const VCL = 'vcl 4.1;\nprobe p { .url = "/"; }\nbackend default { .host = "127.0.0.1"; .probe = p; }\nsub vcl_recv {\n}\n';
const uri = (name: string): string => `file:///tmp/vcl-status-test/${name}.vcl`;

/** A status notification and how many diagnostics publications had arrived before it. */
interface Seen {
  status: StatusParams;
  afterPublications: number;
}

async function startWatching(initializationOptions: unknown): Promise<{ h: LspHarness; seen: Seen[]; idle: () => Promise<void> }> {
  const { harness: h } = await LspHarness.start(['--stdio'], undefined, initializationOptions);
  const seen: Seen[] = [];
  let waiting: (() => void) | undefined;
  h.connection.onNotification(STATUS_NOTIFICATION, (status: StatusParams) => {
    seen.push({ status, afterPublications: h.published.length });
    if (!status.busy) waiting?.();
  });
  const idle = (): Promise<void> => new Promise((resolve) => (waiting = resolve));
  return { h, seen, idle };
}

describe('language server: vcl/status notifications', function () {
  this.timeout(20_000);

  it('reports busy when a document is opened and idle after its diagnostics', async function () {
    const { h, seen, idle } = await startWatching({ [STATUS_OPT_IN]: true });
    try {
      const done = idle();
      await h.open(uri('open'), VCL);
      await done;
      const release = { version: '7.1', name: 'Varnish 7.1', derived: false, source: 'the default (set vcl.varnishVersion to choose)' };
      assert.deepEqual(seen.map((s) => s.status), [{ busy: true, pending: 1 }, { busy: false, pending: 0, release }]);
      const published = h.published.findIndex((p) => p.uri === uri('open'));
      assert.ok(published >= 0 && seen[1]!.afterPublications > published, 'idle comes after the diagnostics');
    } finally {
      h.dispose();
    }
  });

  it('sends one busy/idle pair for a burst of 200 edits', async function () {
    const { h, seen, idle } = await startWatching({ [STATUS_OPT_IN]: true });
    try {
      let done = idle();
      await h.open(uri('burst'), VCL);
      await done;
      const before = seen.length;
      done = idle();
      // One write, so every change is there before the debounce could expire.
      const changes = Array.from({ length: 200 }, (_, i) =>
        frame({ jsonrpc: '2.0', method: 'textDocument/didChange', params: { textDocument: { uri: uri('burst'), version: i + 2 }, contentChanges: [{ range: { start: { line: 4, character: 0 }, end: { line: 4, character: 0 } }, text: '#' }] } }),
      );
      await h.writeRaw(Buffer.concat(changes));
      await done;
      assert.deepEqual(seen.slice(before).map((s) => s.status.busy), [true, false]);
      assert.equal(h.publishedFor(uri('burst')).at(-1)?.version, 201);
    } finally {
      h.dispose();
    }
  });

  it('names the release a Dockerfile of the workspace runs, and where it says so', async function () {
    const dir = mkdtempSync(join(tmpdir(), 'vcl-status-release-'));
    writeFileSync(join(dir, 'Dockerfile'), 'FROM varnish:7.6-alpine\nCOPY default.vcl /etc/varnish/\n');
    writeFileSync(join(dir, 'default.vcl'), VCL);
    const { harness: h } = await LspHarness.start(['--stdio'], dir, { [STATUS_OPT_IN]: true, [TRUSTED_WORKSPACE_OPTION]: true });
    try {
      const idle = new Promise<StatusParams>((resolve) => h.connection.onNotification(STATUS_NOTIFICATION, (s: StatusParams) => !s.busy && resolve(s)));
      await h.open(pathToFileURL(join(dir, 'default.vcl')).href, VCL);
      const status = await idle;
      assert.equal(status.release?.version, '7.6');
      assert.equal(status.release?.derived, true);
      assert.match(status.release?.source ?? '', /Dockerfile:1 \(FROM varnish:7\.6-alpine\)/);
    } finally {
      h.dispose();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('sends nothing to a client that did not ask', async function () {
    const { h, seen } = await startWatching(undefined);
    try {
      let from = h.mark();
      await h.open(uri('quiet'), VCL);
      await h.waitForDiagnostics((p) => p.uri === uri('quiet'), from);
      // A second document's diagnostics prove the first one's idle moment has passed.
      from = h.mark();
      await h.open(uri('quiet-2'), VCL);
      await h.waitForDiagnostics((p) => p.uri === uri('quiet-2'), from);
      assert.deepEqual(seen, []);
    } finally {
      h.dispose();
    }
  });
});
