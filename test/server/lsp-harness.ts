/**
 * Drives the real bundled language server over stdio with a real JSON-RPC
 * client, for end-to-end tests. Nothing is mocked; waits are promises resolved
 * by the server's own notifications, never sleeps (DESIGN principle 8).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  ConfigurationRequest,
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type InitializeResult,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol/node.js';

/** The esbuild bundle under test; this file runs as out/test/server/lsp-harness.js, so any cwd works. */
export const SERVER_BUNDLE = fileURLToPath(new URL('../../../dist/server.cjs', import.meta.url));

/** Encodes one JSON-RPC message with its Content-Length header, for tests that write raw bytes. */
export function frame(message: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(message), 'utf8');
  return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]);
}

interface Waiter {
  from: number;
  match: (p: PublishDiagnosticsParams) => boolean;
  resolve: (p: PublishDiagnosticsParams) => void;
  reject: (e: Error) => void;
}

/** One running server process plus the client end of its connection. */
export class LspHarness {
  /** Every publishDiagnostics notification received, in arrival order. */
  readonly published: PublishDiagnosticsParams[] = [];
  /** Resolves with the exit code once the server process ends. */
  readonly exited: Promise<number | null>;
  private readonly waiters: Waiter[] = [];
  private stderr = '';
  private hasExited = false;

  private constructor(private readonly child: ChildProcess, readonly connection: ProtocolConnection) {
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => { this.stderr = (this.stderr + chunk).slice(-4000); });
    this.exited = new Promise((done) => {
      child.on('exit', (code) => {
        this.hasExited = true;
        // A waiter can never be satisfied now: fail fast with the server's last words.
        const err = new Error(`server exited (code ${code}) before the awaited diagnostics arrived; stderr:\n${this.stderr}`);
        for (const w of this.waiters.splice(0)) w.reject(err);
        done(code);
      });
    });
    connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
      this.published.push(params);
      const index = this.published.length - 1;
      for (const w of [...this.waiters]) {
        if (index >= w.from && w.match(params)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(params);
        }
      }
    });
    // Errors after the process has gone are expected (closed pipes); the exit promise reports it.
    connection.onError(() => undefined);
    connection.listen();
  }

  /**
   * Spawns `node dist/server.cjs --stdio` and completes the initialize
   * handshake. With `configuration`, the client answers `workspace/configuration`
   * with it (section name in, settings out) and says it can.
   */
  static async start(args: string[] = ['--stdio'], workspaceFolder?: string, initializationOptions?: unknown, configuration?: (section: string | undefined) => unknown): Promise<{ harness: LspHarness; init: InitializeResult }> {
    if (!existsSync(SERVER_BUNDLE)) throw new Error(`${SERVER_BUNDLE} not found: run \`node scripts/build.mjs\` first`);
    const child = spawn(process.execPath, [SERVER_BUNDLE, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
    const harness = new LspHarness(child, connection);
    if (configuration) connection.onRequest(ConfigurationRequest.type, (params) => params.items.map((item) => configuration(item.section)));
    const init = await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri: null,
      capabilities: configuration ? { workspace: { configuration: true } } : {},
      workspaceFolders: workspaceFolder ? [{ uri: pathToFileURL(workspaceFolder).href, name: 'workspace' }] : null,
      initializationOptions,
    });
    await connection.sendNotification(InitializedNotification.type, {});
    return { harness, init };
  }

  /** The server's process id (for measurements such as its resident memory). */
  get pid(): number | undefined {
    return this.child.pid;
  }

  /** True until the server process has exited. */
  get running(): boolean {
    return !this.hasExited;
  }

  /** Writes bytes to the server's stdin as they are, without JSON-RPC framing (for malformed input). */
  writeRaw(data: string | Uint8Array): Promise<void> {
    return new Promise((resolve, reject) => this.child.stdin!.write(data, (err) => (err ? reject(err) : resolve())));
  }

  /** Listens to the server's raw output (to see answers to requests written with writeRaw). */
  onStdout(listener: (chunk: Buffer) => void): void {
    this.child.stdout!.on('data', listener);
  }

  offStdout(listener: (chunk: Buffer) => void): void {
    this.child.stdout!.off('data', listener);
  }

  /** Index to pass as `from` so a wait only considers notifications arriving after this point. */
  mark(): number {
    return this.published.length;
  }

  /** Resolves with the first publication at index >= `from` that matches; rejects if the server dies. */
  waitForDiagnostics(match: (p: PublishDiagnosticsParams) => boolean, from = 0): Promise<PublishDiagnosticsParams> {
    const seen = this.published.slice(from).find(match);
    if (seen !== undefined) return Promise.resolve(seen);
    if (this.hasExited) return Promise.reject(new Error(`server already exited; stderr:\n${this.stderr}`));
    return new Promise((resolve, reject) => this.waiters.push({ from, match, resolve, reject }));
  }

  /** Publications received so far for one uri (from index `from`). */
  publishedFor(uri: string, from = 0): PublishDiagnosticsParams[] {
    return this.published.slice(from).filter((p) => p.uri === uri);
  }

  open(uri: string, text: string, version = 1, languageId = 'vcl'): Promise<void> {
    return this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version, text } });
  }

  change(uri: string, version: number, contentChanges: TextDocumentContentChangeEvent[]): Promise<void> {
    return this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges });
  }

  close(uri: string): Promise<void> {
    return this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  /** Orderly LSP shutdown: `shutdown` request, `exit` notification, then the process exit code. */
  async shutdownAndExit(): Promise<number | null> {
    await this.connection.sendRequest(ShutdownRequest.type);
    await this.connection.sendNotification(ExitNotification.type);
    return this.exited;
  }

  /** Tears down whatever is left; safe to call after an orderly exit. */
  dispose(): void {
    this.connection.dispose();
    if (!this.hasExited) this.child.kill();
  }
}

/**
 * Writes `files` (relative paths to texts) into a fresh folder and starts
 * the server with it as the workspace folder. `uri(name)` gives a file's uri.
 */
export async function startInWorkspace(files: Record<string, string>): Promise<{ harness: LspHarness; dir: string; uri: (name: string) => string }> {
  const dir = mkdtempSync(join(tmpdir(), 'vcl-ws-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  const { harness } = await LspHarness.start(['--stdio'], dir);
  return { harness, dir, uri: (name) => pathToFileURL(join(dir, name)).href };
}
