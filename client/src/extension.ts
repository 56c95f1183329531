/**
 * VS Code side of the extension: starts the bundled VCL language server,
 * shows its status in the status bar and offers commands to restart it and
 * to show its log. Thin on purpose; all language knowledge lives in the
 * server (DESIGN layers).
 */
import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  State,
  TransportKind,
  type ErrorHandler,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node.js';
import { STATUS_NOTIFICATION, STATUS_OPT_IN, type StatusParams } from '../../server/src/protocol/status-notification.js';
import { TRUSTED_WORKSPACE_OPTION, WORKSPACE_TRUST_NOTIFICATION, type WorkspaceTrustParams } from '../../server/src/protocol/workspace-trust.js';
import { readVclSettings, type VclSettings } from './settings.js';
import { ServerStatusItem } from './status-item.js';
import type { StatusEvent } from './server-status.js';
import { DIAGNOSE_503_COMMAND, locateVarnishlog, runVarnishlog, varnishlogArgs, VARNISHLOG_INSTANCE_SETTING, VARNISHLOG_PATH_SETTING } from './varnishlog-command.js';

/** Command id contributed in package.json ("VCL: Restart Language Server"). */
export const RESTART_SERVER_COMMAND = 'vcl.restartServer';
/** Command id contributed in package.json ("VCL: Show Language Server Log"). */
export const SHOW_OUTPUT_COMMAND = 'vcl.showServerLog';

// The client id 'vcl' makes vscode-languageclient read the `vcl.trace.server` setting.
const CLIENT_ID = 'vcl';
const CLIENT_NAME = 'VCL Language Server';

let client: LanguageClient | undefined;

/** Called by VS Code on the first VCL document or command use. */
export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const serverModule = context.asAbsolutePath('dist/server.cjs');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    // Same bundle with an inspector port, used when the extension runs under the debugger.
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const outputChannel = vscode.window.createOutputChannel(CLIENT_NAME);
  const status = new ServerStatusItem({ showOutput: SHOW_OUTPUT_COMMAND, restart: RESTART_SERVER_COMMAND });
  const clientOptions: LanguageClientOptions = {
    // Unsaved buffers (untitled:) are linted too, so a pasted VCL gets checked at once.
    documentSelector: [
      { scheme: 'file', language: 'vcl' },
      { scheme: 'untitled', language: 'vcl' },
      { scheme: 'file', language: 'varnish-params' },
      // Captures: saved ones, and the untitled one the "Diagnose 503s" command opens.
      { scheme: 'file', language: 'varnishlog' },
      { scheme: 'untitled', language: 'varnishlog' },
      // Files known under another language are checked only when they run varnishd
      // (or, for YAML, hold a Kubernetes manifest's VCL): other YAML gets nothing.
      { scheme: 'file', language: 'yaml' },
      { scheme: 'file', language: 'dockercompose' },
      { scheme: 'file', language: 'dockerfile' },
      { scheme: 'file', language: 'shellscript' },
    ],
    outputChannel,
    // Read at each (re)start. The server sends vcl/status only to a client that asks for it,
    // and takes the workspace as untrusted unless told otherwise.
    initializationOptions: () => ({ ...vclSettings(), [STATUS_OPT_IN]: true, [TRUSTED_WORKSPACE_OPTION]: vscode.workspace.isTrusted }),
    // Send the `vcl` section with didChangeConfiguration once settings exist.
    synchronize: { configurationSection: 'vcl' },
    errorHandler: reportingErrorHandler((event) => status.update(event)),
    middleware: {
      workspace: {
        // The server pulls `vcl`: answer with the trust-filtered settings.
        configuration: async (params, token, next) => {
          const answers = (await next(params, token)) as unknown[];
          return params.items.map((item, i) => (item.section === 'vcl' ? vclSettings() : answers[i]));
        },
      },
    },
  };

  const languageClient = new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
  client = languageClient;
  context.subscriptions.push(
    outputChannel,
    status,
    languageClient.onDidChangeState(({ newState }) => status.update({ kind: STATE_EVENTS[newState] })),
    languageClient.onNotification(STATUS_NOTIFICATION, (p: StatusParams) => status.update({ kind: 'analysis', busy: p.busy === true, pending: Number(p.pending) || 0, ...(p.release ? { release: p.release } : {}) })),
    vscode.commands.registerCommand(SHOW_OUTPUT_COMMAND, () => outputChannel.show(true)),
    vscode.commands.registerCommand(DIAGNOSE_503_COMMAND, () => diagnose503s()),
    vscode.commands.registerCommand(RESTART_SERVER_COMMAND, async () => {
      outputChannel.appendLine('Restarting the VCL language server...');
      await startServer(languageClient, outputChannel, status, true);
    }),
    // Include and vmod folders from the workspace count once it is trusted: the server then pulls them again.
    vscode.workspace.onDidGrantWorkspaceTrust(() => {
      const params: WorkspaceTrustParams = { trusted: true };
      if (languageClient.isRunning()) void languageClient.sendNotification(WORKSPACE_TRUST_NOTIFICATION, params);
    }),
  );
  await startServer(languageClient, outputChannel, status, false);
}

const STATE_EVENTS: Record<State, 'starting' | 'running' | 'stopped'> = {
  [State.Starting]: 'starting',
  [State.Running]: 'running',
  [State.Stopped]: 'stopped',
};

/** Starts (or restarts) the server; a failure shows in the status item and the log instead of failing activation. */
async function startServer(languageClient: LanguageClient, outputChannel: vscode.OutputChannel, status: ServerStatusItem, restart: boolean): Promise<void> {
  try {
    // restart() stops whatever is left (a no-op for a stopped client) and starts again.
    if (restart) await languageClient.restart();
    else await languageClient.start();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    outputChannel.appendLine(`The VCL language server could not start: ${message}`);
    status.update({ kind: 'failed', message });
  }
}

/**
 * vscode-languageclient's own error handling (restart after a crash, give
 * up after repeated crashes), reporting when it gives up.
 */
function reportingErrorHandler(report: (event: StatusEvent) => void): ErrorHandler {
  let fallback: ErrorHandler | undefined;
  // Created on first use: the handler is needed before the client exists.
  const defaults = (): ErrorHandler | undefined => (fallback ??= client?.createDefaultErrorHandler());
  return {
    error: (error, message, count) => defaults()?.error(error, message, count) ?? { action: ErrorAction.Shutdown },
    closed: async () => {
      const result = (await defaults()?.closed()) ?? { action: CloseAction.DoNotRestart };
      if (result.action === CloseAction.DoNotRestart) report({ kind: 'failed', message: result.message ?? 'the server stopped and was not restarted' });
      return result;
    },
  };
}

/**
 * "VCL: Diagnose 503s from varnishlog": runs varnishlog on this machine
 * (see varnishlog-command.ts for which one) and opens its output as a
 * varnishlog document; the server then names the cause of each 503.
 */
async function diagnose503s(): Promise<void> {
  // Running a program on behalf of a workspace is for workspaces the user trusts.
  if (!vscode.workspace.isTrusted) {
    void vscode.window.showWarningMessage('Diagnose 503s runs varnishlog on this machine, so it works only in a trusted workspace. Trust this workspace to use it.');
    return;
  }
  const config = vscode.workspace.getConfiguration('vcl');
  const located = locateVarnishlog(config.inspect<string>(VARNISHLOG_PATH_SETTING)?.globalValue, process.env['PATH']);
  if (!located.ok) {
    const choice = await vscode.window.showErrorMessage(located.message, 'Open Settings');
    if (choice === 'Open Settings') await vscode.commands.executeCommand('workbench.action.openSettings', `vcl.${VARNISHLOG_PATH_SETTING}`);
    return;
  }
  const args = varnishlogArgs(config.get<unknown>(VARNISHLOG_INSTANCE_SETTING, ''));
  const shown = `varnishlog ${args.map((a) => (/[\s'"$]/.test(a) ? `'${a}'` : a)).join(' ')}`;
  const run = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Running ${shown}`, cancellable: true },
    (_progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      return runVarnishlog(located.path, { args, signal: abort.signal });
    },
  );
  switch (run.kind) {
    case 'cancelled':
      return;
    case 'failed':
      void vscode.window.showErrorMessage(run.message);
      return;
    case 'empty':
      void vscode.window.showInformationMessage(`No 503 in the log varnishd holds now (${shown} printed nothing).`);
      return;
    case 'capture': {
      const document = await vscode.workspace.openTextDocument({ language: 'varnishlog', content: run.text });
      await vscode.window.showTextDocument(document);
      if (run.truncated) {
        void vscode.window.showWarningMessage(`The output was cut at 10 MB, the editor's limit. For all of it: ${shown} > 503.varnishlog, then vcl-lint --varnishlog 503.varnishlog.`);
      }
    }
  }
}

/** The trust-filtered `vcl` settings for the server (see settings.ts). */
function vclSettings(): VclSettings {
  return readVclSettings(vscode.workspace.getConfiguration('vcl'), vscode.workspace.isTrusted);
}

/** Stops the server process so VS Code can unload the extension cleanly. */
export async function deactivate(): Promise<void> {
  const running = client;
  client = undefined;
  // Stopping a client that never started is a no-op; a failure here must not block unloading.
  if (running !== undefined) await running.stop().catch(() => undefined);
}
