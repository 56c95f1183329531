/**
 * VS Code side of the extension: starts the bundled VCL language server and
 * offers a command to restart it. Thin on purpose; all language knowledge
 * lives in the server (DESIGN layers).
 */
import * as vscode from 'vscode';
import {
  LanguageClient,
  TransportKind,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node.js';

/** Command id contributed in package.json ("VCL: Restart Language Server"). */
export const RESTART_SERVER_COMMAND = 'vcl.restartServer';

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
  const clientOptions: LanguageClientOptions = {
    // Unsaved buffers (untitled:) are linted too, so a pasted VCL gets checked at once.
    documentSelector: [
      { scheme: 'file', language: 'vcl' },
      { scheme: 'untitled', language: 'vcl' },
      { scheme: 'file', language: 'varnish-params' },
      // Files known under another language are checked only when they run varnishd.
      { scheme: 'file', language: 'yaml', pattern: '**/{docker-compose,compose}*.{yml,yaml}' },
      { scheme: 'file', language: 'dockercompose' },
      { scheme: 'file', language: 'dockerfile' },
      { scheme: 'file', language: 'shellscript' },
    ],
    outputChannel,
    initializationOptions: vclSettings(),
    // Send the `vcl` section with didChangeConfiguration once settings exist.
    synchronize: { configurationSection: 'vcl' },
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

  client = new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions);
  context.subscriptions.push(
    outputChannel,
    vscode.commands.registerCommand(RESTART_SERVER_COMMAND, async () => {
      if (client === undefined) return;
      outputChannel.appendLine('Restarting the VCL language server...');
      await client.restart();
    }),
  );
  await client.start();
}

/**
 * The `vcl` settings for the server. In Restricted Mode a workspace's own
 * settings may not point the server at folders: only the user's include
 * and vmod paths are used then.
 */
function vclSettings(): {
  includePaths: string[];
  vmodPath: string[];
  maxResponseHeaderBytes: number | null;
  errUnref: boolean;
  allowInlineC: boolean;
  lint: { rules: Record<string, string> };
} {
  const config = vscode.workspace.getConfiguration('vcl');
  const folders = (key: string) =>
    vscode.workspace.isTrusted ? config.get<string[]>(key, []) : config.inspect<string[]>(key)?.globalValue ?? [];
  return {
    includePaths: folders('includePaths'),
    vmodPath: folders('vmodPath'),
    maxResponseHeaderBytes: config.get<number | null>('maxResponseHeaderBytes', null),
    errUnref: config.get<boolean>('errUnref', true),
    allowInlineC: config.get<boolean>('allowInlineC', false),
    lint: { rules: config.get<Record<string, string>>('lint.rules', {}) },
  };
}

/** Stops the server process so VS Code can unload the extension cleanly. */
export async function deactivate(): Promise<void> {
  const running = client;
  client = undefined;
  if (running !== undefined) await running.stop();
}
