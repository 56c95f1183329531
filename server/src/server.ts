/**
 * The VCL language server: the only module that knows the LSP connection
 * (DESIGN principle 1). It keeps open documents in sync with the
 * {@link Project}, schedules their checks (debounce, then publish the
 * latest version only) and binds each request to {@link LanguageFeatures}
 * in one line. It holds no analysis and makes no network calls.
 *
 * Transport: `--stdio`, `--node-ipc` (how VS Code starts it), `--socket=N` or
 * `--pipe=NAME` as understood by vscode-languageserver; with none of those it
 * falls back to stdio so `vcl-language-server` works when run bare.
 */
import { fileURLToPath } from 'node:url';
import { format } from 'node:util';
import {
  createConnection,
  LSPErrorCodes,
  ProposedFeatures,
  ResponseError,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node.js';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { resynchronizingStream } from './transport/resynchronizing-stream.js';
import { DEBOUNCE_MS } from './debounce.js';
import { STATUS_NOTIFICATION, STATUS_OPT_IN, type StatusParams } from './protocol/status-notification.js';
import { TRUSTED_WORKSPACE_OPTION, WORKSPACE_TRUST_NOTIFICATION } from './protocol/workspace-trust.js';
import { Project, uriToPath } from './service/project.js';
import { LanguageFeatures, SERVER_CAPABILITIES, type RequestFailure } from './service/language-features.js';
import { CheckPlan } from './service/check-plan.js';
import { findRuleDocsDir, ruleDocUris } from './service/rule-docs.js';

const OTHER_TRANSPORT_FLAGS = ['--node-ipc', '--socket=', '--pipe='];
const usesOtherTransport = process.argv.some((a) => OTHER_TRANSPORT_FLAGS.some((f) => a === f || (f.endsWith('=') && a.startsWith(f))));

// Stdio (with --stdio or no flag) reads through a filter that gets the
// stream back in step after a message with a lying Content-Length.
const connection: Connection = usesOtherTransport ? createConnection(ProposedFeatures.all) : createStdioConnection();

function createStdioConnection(): Connection {
  const input = process.stdin.pipe(resynchronizingStream((bytes, why) => process.stderr.write(`vcl-language-server: input framing repaired: ${why} (${bytes} byte(s) skipped)\n`)));
  // Ending stdin ends the filtered stream too, and the connection exits as with plain stdio.
  const stdio = createConnection(ProposedFeatures.all, input, process.stdout);
  // As vscode-languageserver does for --stdio: console output goes to the client's log, never into the protocol on stdout.
  console.log = console.info = (...args: unknown[]) => stdio.console.info(format(...args));
  console.warn = (...args: unknown[]) => stdio.console.warn(format(...args));
  console.error = (...args: unknown[]) => stdio.console.error(format(...args));
  console.debug = (...args: unknown[]) => stdio.console.log(format(...args));
  return stdio;
}

const documents = new TextDocuments(TextDocument);
/** The rule pages shipped next to this bundle (dist/server.cjs -> docs/rules/) link each diagnostic. */
const project = new Project(ruleDocUris(findRuleDocsDir(fileURLToPath(import.meta.url))), { error: (m) => connection.console.error(m) });
const features = new LanguageFeatures(project);
const plan = new CheckPlan();
/** Pending debounce timer per document uri. */
const timers = new Map<string, NodeJS.Timeout>();
let canPullConfiguration = false;

connection.onInitialize((params: InitializeParams): InitializeResult => {
  const folders = params.workspaceFolders?.map((f) => uriToPath(f.uri)) ?? (params.rootUri ? [uriToPath(params.rootUri)] : []);
  const init = params.initializationOptions as { includePaths?: unknown; vmodPath?: unknown; [STATUS_OPT_IN]?: unknown; [TRUSTED_WORKSPACE_OPTION]?: unknown } | undefined;
  statusNotifications = init?.[STATUS_OPT_IN] === true;
  project.start({ folders, includePaths: stringList(init?.includePaths), vmodPath: stringList(init?.vmodPath), trusted: init?.[TRUSTED_WORKSPACE_OPTION] === true });
  canPullConfiguration = params.capabilities.workspace?.configuration === true;
  return {
    capabilities: { textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental }, ...SERVER_CAPABILITIES },
    serverInfo: { name: 'vcl-language-server' },
  };
});

connection.onInitialized(() => void refreshSettings());

// One line per request: the features reach documents only through the project's input guard.
connection.onDocumentSymbol((params) => features.documentSymbols(params));
connection.onFoldingRanges((params) => features.foldingRanges(params));
connection.onDefinition((params) => features.navigate(params, false));
connection.onReferences((params) => features.navigate(params, true));
connection.onDocumentFormatting((params) => features.format(params));
connection.onDocumentRangeFormatting((params) => features.formatRange(params));
connection.onHover((params) => features.hover(params));
connection.onCompletion((params) => features.completion(params));
connection.onSignatureHelp((params) => features.signatureHelp(params));
connection.onPrepareRename((params) => failure(features.prepareRename(params)));
connection.onRenameRequest((params) => failure(features.rename(params)));
connection.onDocumentHighlight((params) => features.highlights(params));
connection.languages.semanticTokens.on((params) => features.semanticTokens(params));
connection.languages.semanticTokens.onDelta((params) => features.semanticTokensDelta(params));
connection.languages.semanticTokens.onRange((params) => features.semanticTokensRange(params));
connection.onWorkspaceSymbol((params) => features.workspaceSymbols(params));
connection.onCodeAction((params) => features.codeActions(params));
connection.onCodeLens((params) => features.codeLenses(params));

/** A failed request as the LSP error the client shows. */
function failure<T extends object | null>(result: T | RequestFailure): T | ResponseError<void> {
  return result !== null && 'failed' in result ? new ResponseError(LSPErrorCodes.RequestFailed, result.failed) : (result as T);
}

// Settings are pulled (workspace/configuration) when the client allows it.
connection.onDidChangeConfiguration(() => void refreshSettings());

// Trust granted after start: the folders of the workspace settings count from now on.
connection.onNotification(WORKSPACE_TRUST_NOTIFICATION, (params: unknown) => {
  if ((params as { trusted?: unknown } | null)?.trusted !== true || !project.trust()) return;
  if (canPullConfiguration) void refreshSettings();
  else recheckAll();
});

async function refreshSettings(): Promise<void> {
  if (!canPullConfiguration) return;
  let section: unknown;
  try {
    section = await connection.workspace.getConfiguration('vcl');
  } catch {
    // A client that cannot answer keeps the settings it gave at start.
    return;
  }
  // Unknown rule ids are a warning in the log, never a crash.
  for (const w of project.configure(section)) connection.console.warn(w);
  recheckAll();
}

function recheckAll(): void {
  for (const d of documents.all()) schedule(d, true);
}

function stringList(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

// Fires on open and on every change, so it only records the text and
// restarts the debounce; the documents related to this one are re-checked
// when the debounce fires (validate), not on every keystroke.
documents.onDidChangeContent(({ document }) => {
  if (!project.checks(document)) return;
  project.update(document);
  plan.edited(document.uri);
  schedule(document);
});

documents.onDidClose(({ document }) => {
  project.close(document.uri);
  features.closed(document.uri);
  plan.closed(document.uri);
  cancel(document.uri);
  reportStatus();
  // Clear the editor's problems for a document that is no longer open.
  void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
});

connection.onShutdown(() => {
  // Nothing may be published after shutdown.
  for (const uri of [...timers.keys()]) cancel(uri);
});

// ---- Status for the client's status bar (vcl/status, opt-in) ----

/** Whether the client asked for vcl/status notifications (initializationOptions). */
let statusNotifications = false;
let reportedBusy = false;

/** Tells the client when analysis becomes pending and when it is done; only on a change. */
function reportStatus(): void {
  const busy = timers.size > 0;
  if (!statusNotifications || busy === reportedBusy) return;
  reportedBusy = busy;
  const params: StatusParams = { busy, pending: timers.size, ...(busy ? {} : { release: project.releaseStatus() }) };
  void connection.sendNotification(STATUS_NOTIFICATION, params);
}

/**
 * Restarts the per-document debounce timer; only the last change in a burst
 * gets linted. `again`: re-check the same version (a related file changed).
 */
function schedule(document: TextDocument, again = false): void {
  if (!project.checks(document)) return;
  if (again) plan.recheck(document.uri);
  cancel(document.uri);
  const uri = document.uri;
  timers.set(uri, setTimeout(() => {
    timers.delete(uri);
    try {
      validate(uri);
    } catch (err) {
      // An exception in a timer would end the process; log it and keep serving.
      connection.console.error(`Checking ${uri} failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    }
    reportStatus();
  }, DEBOUNCE_MS));
  reportStatus();
}

function cancel(uri: string): void {
  const timer = timers.get(uri);
  if (timer !== undefined) clearTimeout(timer);
  timers.delete(uri);
}

/**
 * Lints the latest text of a document and publishes it, tagged with its
 * version; after a user's edit, re-checks the related documents too.
 */
function validate(uri: string): void {
  // Read the document now, not when the timer was set: the latest version wins.
  const document = documents.get(uri);
  if (document === undefined) return; // closed meanwhile; close already cleared it
  for (const next of plan.toCheck(document, (d) => project.related(d))) publish(next);
}

function publish(document: TextDocument): void {
  const analysis = project.analysis(document.uri);
  if (!analysis) return;
  const diagnostics = analysis.diagnostics();
  // Linting is synchronous today; should it ever yield, a newer version may
  // have arrived (or the document closed) and this result must be dropped.
  if (documents.get(document.uri)?.version !== analysis.version) return;
  plan.published(document.uri, analysis.version);
  void connection.sendDiagnostics({ uri: document.uri, version: analysis.version, diagnostics });
}

documents.listen(connection);
connection.listen();
