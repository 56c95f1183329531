/**
 * The VCL language server: the only module that knows the LSP connection
 * (DESIGN principle 1). It keeps open documents in sync, runs the language
 * service on them and publishes the results. It makes no network calls.
 *
 * Transport: `--stdio`, `--node-ipc` (how VS Code starts it), `--socket=N` or
 * `--pipe=NAME` as understood by vscode-languageserver; with none of those it
 * falls back to stdio so `vcl-language-server` works when run bare.
 */
import { isAbsolute } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  createConnection,
  ProposedFeatures,
  StreamMessageReader,
  StreamMessageWriter,
  TextDocuments,
  TextDocumentSyncKind,
  CodeActionKind,
  CompletionItemKind,
  MarkupKind,
  SymbolKind,
  type DocumentSymbol,
  type FoldingRange,
  type Location,
  type CodeAction,
  type CompletionItem,
  type Hover,
  type TextEdit,
  type Connection,
  type Diagnostic,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node.js';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { checkText } from './service/input.js';
import { lintText, programModel } from './service/lint.js';
import { formatDocument } from './service/format.js';
import { documentSymbols, findDefinition, findReferences, foldingRanges, vclHover } from './service/vcl-features.js';
import { Workspace } from './service/workspace.js';
import { FIX_ALL_KIND, fixAll, quickFixes } from './service/code-actions.js';
import { paramsCompletions, paramsHover } from './service/params-features.js';
import { checkRuleLevels, type RuleLevel } from './service/severity-config.js';
import { knownRuleIds } from './service/rule-ids.js';
import { lintParamsText } from './service/lint-params.js';
import { responseHeaderLimitFrom, tagHeadersFrom } from './service/workspace-facts.js';
import { detectParamsKind } from './params/detect.js';
import { toLspDiagnostics } from './service/lsp-convert.js';
import type { LintDiagnostic } from './service/types.js';

/** Language ids this server lints; others are synced but ignored. */
/**
 * Languages the server looks at. Besides VCL and its own `varnish-params`,
 * files that editors know under another language (compose files as YAML,
 * Dockerfiles, shell scripts, unit files) are checked only when their text
 * runs varnishd.
 */
const LANGUAGES = new Set(['vcl', 'varnish-params', 'yaml', 'dockercompose', 'dockerfile', 'shellscript', 'ini', 'properties', 'systemd-unit-file', 'plaintext']);

/** Typing produces a change per keystroke; wait for a pause before linting. */
const DEBOUNCE_MS = 150;

const ZERO_RANGE = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

const TRANSPORT_FLAGS = ['--stdio', '--node-ipc', '--socket=', '--pipe='];
const hasTransportFlag = process.argv.some((a) => TRANSPORT_FLAGS.some((f) => a === f || (f.endsWith('=') && a.startsWith(f))));

const connection: Connection = hasTransportFlag
  ? createConnection(ProposedFeatures.all)
  : createConnection(ProposedFeatures.all, new StreamMessageReader(process.stdin), new StreamMessageWriter(process.stdout));

const documents = new TextDocuments(TextDocument);

/** Pending debounce timer per document uri. */
const timers = new Map<string, NodeJS.Timeout>();
/** Last version published per uri, so an older result can never overwrite a newer one. */
const published = new Map<string, number>();

/** The workspace's VCL files, for includes across files. */
const workspace = new Workspace();
let canPullConfiguration = false;
/** The largest backend response header the user expects (setting vcl.maxResponseHeaderBytes). */
let maxResponseHeaderBytes: number | undefined;
/** Folders with vmod libraries (setting vcl.vmodPath; only read, never loaded). */
let vmodPath: string[] = [];
/** varnishd's vcc_err_unref and vcc_allow_inline_c as the user's varnishd runs (settings). */
let errUnref = true;
let allowInlineC = false;
/** Rule levels from the setting vcl.lint.rules. */
let ruleLevels: Record<string, RuleLevel> = {};

connection.onInitialize((params: InitializeParams): InitializeResult => {
  const folders = params.workspaceFolders?.map((f) => uriToPath(f.uri)) ?? (params.rootUri ? [uriToPath(params.rootUri)] : []);
  workspace.setFolders(folders.filter((f) => isAbsolute(f)));
  const init = params.initializationOptions as { includePaths?: unknown; vmodPath?: unknown } | undefined;
  workspace.setIncludePaths(stringList(init?.includePaths));
  vmodPath = stringList(init?.vmodPath);
  canPullConfiguration = params.capabilities.workspace?.configuration === true;
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
      hoverProvider: true,
      completionProvider: { triggerCharacters: [' '] },
      documentSymbolProvider: true,
      foldingRangeProvider: true,
      definitionProvider: true,
      referencesProvider: true,
      documentFormattingProvider: true,
      documentRangeFormattingProvider: true,
    },
    serverInfo: { name: 'vcl-language-server' },
  };
});

connection.onInitialized(() => void refreshSettings());

// VCL navigation: outline, folding, definition and references (across includes).
connection.onDocumentSymbol((params): DocumentSymbol[] => {
  const document = documents.get(params.textDocument.uri);
  if (!document || document.languageId !== 'vcl') return [];
  return documentSymbols(document.getText()).map((s) => ({ name: s.name, detail: s.detail, kind: SYMBOL_KINDS[s.kind], range: s.range, selectionRange: s.selectionRange }));
});

connection.onFoldingRanges((params): FoldingRange[] => {
  const document = documents.get(params.textDocument.uri);
  if (!document || document.languageId !== 'vcl') return [];
  return foldingRanges(document.getText()).map((f) => ({ startLine: f.startLine, endLine: f.endLine, ...(f.kind ? { kind: f.kind } : {}) }));
});

connection.onDefinition((params): Location[] => navigate(params.textDocument.uri, params.position, false));
connection.onReferences((params): Location[] => navigate(params.textDocument.uri, params.position, true));

/** Definition (or definition and references) of the symbol at a position, as LSP locations. */
function navigate(uri: string, position: { line: number; character: number }, all: boolean): Location[] {
  const document = documents.get(uri);
  if (!document || document.languageId !== 'vcl') return [];
  const path = uriToPath(uri);
  const includeHost = uri.startsWith('file:') ? workspace.host() : undefined;
  const program = programModel(document.getText(), { path, includeHost, vmodPath });
  const offset = document.offsetAt(position);
  const places = all ? findReferences(program.model, program.selfId, offset) : [findDefinition(program.model, program.selfId, offset)].filter((p) => p !== undefined);
  const out: Location[] = [];
  for (const p of places) {
    const file = program.pathOf(p.file);
    const text = file === path ? document.getText() : file ? workspace.host().readFile(file) : undefined;
    if (!file || text === undefined) continue;
    const target = file === path ? uri : pathToFileURL(file).href;
    const lines = TextDocument.create(target, 'vcl', 0, text);
    out.push({ uri: target, range: { start: lines.positionAt(p.start), end: lines.positionAt(p.end) } });
  }
  return out;
}

// Formatting changes only whitespace; a document with syntax errors gets no edits.
connection.onDocumentFormatting((params): TextEdit[] => {
  const document = documents.get(params.textDocument.uri);
  if (!document || document.languageId !== 'vcl') return [];
  return formatDocument(document.getText(), params.options);
});

connection.onDocumentRangeFormatting((params): TextEdit[] => {
  const document = documents.get(params.textDocument.uri);
  if (!document || document.languageId !== 'vcl') return [];
  return formatDocument(document.getText(), params.options, params.range);
});

const SYMBOL_KINDS = {
  function: SymbolKind.Function,
  class: SymbolKind.Class,
  interface: SymbolKind.Interface,
  constant: SymbolKind.Constant,
  module: SymbolKind.Module,
  object: SymbolKind.Object,
  namespace: SymbolKind.Namespace,
} as const;

// Parameter files: what a parameter does, and its name after `-p `.
connection.onHover((params): Hover | null => {
  const document = documents.get(params.textDocument.uri);
  if (document?.languageId === 'vcl') {
    const program = programModel(document.getText(), { path: uriToPath(document.uri), includeHost: document.uri.startsWith('file:') ? workspace.host() : undefined, vmodPath });
    const h = vclHover(program.model, program.selfId, document.offsetAt(params.position));
    return h ? { contents: { kind: MarkupKind.Markdown, value: h.contents }, range: { start: document.positionAt(h.start), end: document.positionAt(h.end) } } : null;
  }
  if (!document || !isParamsDocument(document)) return null;
  const h = paramsHover(document.getText(), document.offsetAt(params.position), { path: uriToPath(document.uri) });
  return h ? { contents: { kind: MarkupKind.Markdown, value: h.contents }, range: h.range } : null;
});

connection.onCompletion((params): CompletionItem[] => {
  const document = documents.get(params.textDocument.uri);
  if (!document || document.languageId === 'vcl' || !isParamsDocument(document)) return [];
  return paramsCompletions(document.getText(), document.offsetAt(params.position)).map((c) => ({
    label: c.label,
    kind: CompletionItemKind.Property,
    detail: c.detail,
    documentation: { kind: MarkupKind.Markdown, value: c.documentation },
    textEdit: { range: c.range, newText: c.label },
  }));
});

// Quick fixes come from the diagnostics themselves; fix-all re-lints the
// current text so it never applies fixes of an older version.
connection.onCodeAction((params): CodeAction[] => {
  const only = params.context.only;
  const wantsFixAll = only?.some((k) => FIX_ALL_KIND.startsWith(k)) ?? false;
  const actions: CodeAction[] = [];
  if (!only || only.includes(CodeActionKind.QuickFix)) actions.push(...quickFixes(params.textDocument.uri, params.context.diagnostics));
  if (wantsFixAll) {
    const document = documents.get(params.textDocument.uri);
    if (document) {
      const all = fixAll(document.uri, document.languageId === 'vcl' ? diagnose(document.getText(), document.uri) : diagnoseParams(document));
      if (all) actions.push(all);
    }
  }
  return actions;
});

// Settings are pulled (workspace/configuration) when the client allows it.
connection.onDidChangeConfiguration(() => void refreshSettings());

async function refreshSettings(): Promise<void> {
  if (!canPullConfiguration) return;
  try {
    const vcl = (await connection.workspace.getConfiguration('vcl')) as {
      includePaths?: unknown;
      vmodPath?: unknown;
      maxResponseHeaderBytes?: unknown;
      errUnref?: unknown;
      allowInlineC?: unknown;
      lint?: { rules?: unknown };
    } | null;
    workspace.setIncludePaths(stringList(vcl?.includePaths));
    vmodPath = stringList(vcl?.vmodPath);
    errUnref = vcl?.errUnref !== false;
    allowInlineC = vcl?.allowInlineC === true;
    const levels = checkRuleLevels(vcl?.lint?.rules, knownRuleIds);
    ruleLevels = levels.levels;
    // Unknown ids are a warning in the log, never a crash.
    for (const w of levels.warnings) connection.console.warn(`vcl.lint.rules: ${w}`);
    maxResponseHeaderBytes = typeof vcl?.maxResponseHeaderBytes === 'number' && vcl.maxResponseHeaderBytes > 0 ? vcl.maxResponseHeaderBytes : undefined;
    for (const d of documents.all()) schedule(d, true);
  } catch {
    // A client that cannot answer keeps the settings it gave at start.
  }
}

function stringList(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

// Fires on open and on every change. Files that include this one, or that
// it includes, may change their diagnostics too.
documents.onDidChangeContent(({ document }) => {
  const path = uriToPath(document.uri);
  if (document.languageId !== 'vcl') {
    if (!isParamsDocument(document)) return;
    workspace.setOpenParams(path, document.getText());
    schedule(document);
    // The VCL's tag-header hints depend on the parameter files.
    for (const other of documents.all()) if (other.languageId === 'vcl') schedule(other, true);
    return;
  }
  workspace.setOpen(path, document.getText());
  schedule(document);
  for (const related of workspace.related(path)) {
    const other = documents.get(pathToFileURL(related).href);
    if (other) schedule(other, true);
  }
  // Parameter files check their buffers against the VCL's tag headers.
  for (const other of documents.all()) if (other.languageId !== 'vcl' && isParamsDocument(other)) schedule(other, true);
});

/** A document in another language that carries varnishd options. */
function isParamsDocument(document: TextDocument): boolean {
  if (document.languageId === 'varnish-params') return true;
  if (!LANGUAGES.has(document.languageId)) return false;
  return detectParamsKind(uriToPath(document.uri), document.getText().slice(0, 65536)) !== undefined;
}

documents.onDidClose(({ document }) => {
  workspace.close(uriToPath(document.uri));
  cancel(document.uri);
  published.delete(document.uri);
  // Clear the editor's problems for a document that is no longer open.
  void connection.sendDiagnostics({ uri: document.uri, diagnostics: [] });
});

connection.onShutdown(() => {
  // Nothing may be published after shutdown.
  for (const uri of [...timers.keys()]) cancel(uri);
});

/**
 * Restarts the per-document debounce timer; only the last change in a burst
 * gets linted. `again`: re-check the same version (a related file changed).
 */
function schedule(document: TextDocument, again = false): void {
  if (!LANGUAGES.has(document.languageId)) return;
  if (again) published.delete(document.uri);
  cancel(document.uri);
  const uri = document.uri;
  timers.set(uri, setTimeout(() => {
    timers.delete(uri);
    validate(uri);
  }, DEBOUNCE_MS));
}

function cancel(uri: string): void {
  const timer = timers.get(uri);
  if (timer !== undefined) clearTimeout(timer);
  timers.delete(uri);
}

/** Lints the latest text of a document and publishes it, tagged with its version. */
function validate(uri: string): void {
  // Read the document now, not when the timer was set: the latest version wins.
  const document = documents.get(uri);
  if (document === undefined) return; // closed meanwhile; close already cleared it
  const version = document.version;
  const last = published.get(uri);
  if (last !== undefined && last >= version) return;
  const diagnostics = document.languageId === 'vcl' ? diagnose(document.getText(), uri) : diagnoseParams(document);
  // Linting is synchronous today; should it ever yield, a newer version may
  // have arrived (or the document closed) and this result must be dropped.
  if (documents.get(uri)?.version !== version) return;
  published.set(uri, version);
  void connection.sendDiagnostics({ uri, version, diagnostics });
}

/**
 * Runs the service on one text. Never throws: refused input and a failing
 * service each become a single diagnostic at 0:0 so the server keeps running.
 */
function diagnose(text: string, uri: string): Diagnostic[] {
  const input = checkText(text);
  if (!input.ok) return toLspDiagnostics([atStart('input', 'error', input.reason)]);
  try {
    const path = uriToPath(uri);
    const includeHost = uri.startsWith('file:') ? workspace.host() : undefined;
    const responseHeaderLimit = responseHeaderLimitFrom(workspace.paramsTexts());
    return toLspDiagnostics(lintText(input.text, { path, languageId: 'vcl', includeHost, responseHeaderLimit, vmodPath, errUnref, allowInlineC, ruleLevels }));
  } catch (err) {
    connection.console.error(`VCL lint failed for ${uri}: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    const reason = err instanceof Error ? err.message : String(err);
    return toLspDiagnostics([atStart('internal-error', 'error', `Internal error in the VCL linter: ${reason}`)]);
  }
}

/** Lints a parameter file; a document that runs no varnishd gets nothing. */
function diagnoseParams(document: TextDocument): Diagnostic[] {
  if (!isParamsDocument(document)) return [];
  const input = checkText(document.getText());
  if (!input.ok) return toLspDiagnostics([atStart('input', 'error', input.reason)]);
  try {
    const kind = document.languageId === 'varnish-params' ? undefined : detectParamsKind(uriToPath(document.uri), input.text);
    return toLspDiagnostics(lintParamsText(input.text, { path: uriToPath(document.uri), kind, tagHeaders: tagHeadersFrom(workspace.vclTexts()), maxResponseHeaderBytes, ruleLevels }));
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return toLspDiagnostics([atStart('internal-error', 'error', `Internal error in the parameter-file linter: ${reason}`)]);
  }
}

function atStart(rule: string, severity: LintDiagnostic['severity'], message: string): LintDiagnostic {
  return { rule, severity, message, range: ZERO_RANGE };
}

/** The service resolves includes against file paths; other schemes (untitled:) keep the uri. */
function uriToPath(uri: string): string {
  if (!uri.startsWith('file:')) return uri;
  try {
    return fileURLToPath(uri);
  } catch {
    return uri;
  }
}

documents.listen(connection);
connection.listen();
