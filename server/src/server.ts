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
import { format } from 'node:util';
import {
  createConnection,
  ProposedFeatures,
  TextDocuments,
  TextDocumentSyncKind,
  CodeActionKind,
  CompletionItemKind,
  DocumentHighlightKind,
  InsertTextFormat,
  LSPErrorCodes,
  MarkupKind,
  ResponseError,
  SymbolKind,
  type DocumentHighlight,
  type SignatureHelp,
  type SymbolInformation,
  type TextEdit,
  type WorkspaceEdit,
  type DocumentSymbol,
  type FoldingRange,
  type Location,
  type CodeAction,
  type CompletionItem,
  type Hover,
  type Connection,
  type Diagnostic,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node.js';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { checkText } from './service/input.js';
import { isPosition, isRange } from './service/positions.js';
import { resynchronizingStream } from './transport/resynchronizing-stream.js';
import { DEBOUNCE_MS } from './debounce.js';
import { STATUS_NOTIFICATION, STATUS_OPT_IN, type StatusParams } from './protocol/status-notification.js';
import { TRUSTED_WORKSPACE_OPTION, WORKSPACE_TRUST_NOTIFICATION } from './protocol/workspace-trust.js';
import { lintText, programModel, vmodResolverFor } from './service/lint.js';
import { vclCompletions, type CompletionKindName } from './service/vcl-completion.js';
import { vclSignatureHelp } from './service/vcl-signature-help.js';
import { vmodHover } from './service/vcl-vmod-hover.js';
import { vmodScope } from './service/vmod-scope.js';
import { headerNamesIn } from './service/header-names.js';
import { prepareRename, renameSymbol } from './service/vcl-rename.js';
import { documentHighlights } from './service/vcl-highlights.js';
import { encodeSemanticTokens, semanticTokens, TOKEN_MODIFIERS, TOKEN_TYPES } from './service/semantic-tokens.js';
import { SentTokens, tokenDataEdits } from './service/semantic-token-delta.js';
import { workspaceSymbols } from './service/workspace-symbols.js';
import { documentSymbols, findDefinition, findReferences, foldingRanges, vclHover, type Place } from './service/vcl-features.js';
import { formatDocument } from './service/format.js';
import { Workspace } from './service/workspace.js';
import { FIX_ALL_KIND, fixAll, quickFixes } from './service/code-actions.js';
import { paramsCompletions, paramsHover } from './service/params-features.js';
import { checkRuleLevels, type RuleLevel } from './service/severity-config.js';
import { knownRuleIds } from './service/rule-ids.js';
import { lintParamsText } from './service/lint-params.js';
import { responseHeaderLimitFrom, tagHeadersFrom } from './service/workspace-facts.js';
import { detectParamsKind } from './params/detect.js';
import { toLspDiagnostics } from './service/lsp-convert.js';
import { findRuleDocsDir, ruleDocUris } from './service/rule-docs.js';
import type { LintDiagnostic } from './service/types.js';

/**
 * Languages the server looks at. Besides VCL and its own `varnish-params`,
 * files that editors know under another language (compose files as YAML,
 * Dockerfiles, shell scripts, unit files) are checked only when their text
 * runs varnishd.
 */
const LANGUAGES = new Set(['vcl', 'varnish-params', 'yaml', 'dockercompose', 'dockerfile', 'shellscript', 'ini', 'properties', 'systemd-unit-file', 'plaintext']);

const ZERO_RANGE = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

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
/**
 * Whether the user trusts the workspace (initializationOptions.trustedWorkspace,
 * or vcl/workspaceTrust later). Untrusted, the include and vmod folders are
 * only those of initializationOptions, which come from the user's own editor
 * configuration; see protocol/workspace-trust.ts.
 */
let trusted = false;
/** includePaths and vmodPath as initializationOptions gave them. */
let ownIncludePaths: string[] = [];
let ownVmodPath: string[] = [];
/** varnishd's vcc_err_unref and vcc_allow_inline_c as the user's varnishd runs (settings). */
let errUnref = true;
let allowInlineC = false;
/** Rule levels from the setting vcl.lint.rules. */
let ruleLevels: Record<string, RuleLevel> = {};

connection.onInitialize((params: InitializeParams): InitializeResult => {
  const folders = params.workspaceFolders?.map((f) => uriToPath(f.uri)) ?? (params.rootUri ? [uriToPath(params.rootUri)] : []);
  workspace.setFolders(folders.filter((f) => isAbsolute(f)));
  const init = params.initializationOptions as { includePaths?: unknown; vmodPath?: unknown; [STATUS_OPT_IN]?: unknown; [TRUSTED_WORKSPACE_OPTION]?: unknown } | undefined;
  statusNotifications = init?.[STATUS_OPT_IN] === true;
  ownIncludePaths = stringList(init?.includePaths);
  ownVmodPath = stringList(init?.vmodPath);
  trusted = init?.[TRUSTED_WORKSPACE_OPTION] === true;
  workspace.setIncludePaths(ownIncludePaths);
  vmodPath = ownVmodPath;
  workspace.setTrust(trusted, ownVmodPath);
  canPullConfiguration = params.capabilities.workspace?.configuration === true;
  return {
    capabilities: {
      textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental },
      codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
      hoverProvider: true,
      completionProvider: { triggerCharacters: [' ', '.', '('] },
      documentSymbolProvider: true,
      foldingRangeProvider: true,
      definitionProvider: true,
      referencesProvider: true,
      // VCL editing features (completion above, signature help, rename, ...).
      signatureHelpProvider: { triggerCharacters: ['(', ','], retriggerCharacters: [','] },
      renameProvider: { prepareProvider: true },
      documentHighlightProvider: true,
      workspaceSymbolProvider: true,
      semanticTokensProvider: { legend: { tokenTypes: [...TOKEN_TYPES], tokenModifiers: [...TOKEN_MODIFIERS] }, full: { delta: true }, range: true },
      documentFormattingProvider: true,
      documentRangeFormattingProvider: true,
    },
    serverInfo: { name: 'vcl-language-server' },
  };
});

connection.onInitialized(() => void refreshSettings());

// VCL navigation: outline, folding, definition and references (across includes).
connection.onDocumentSymbol((params): DocumentSymbol[] => {
  const document = analysableDocument(params);
  if (!document || document.languageId !== 'vcl') return [];
  return documentSymbols(document.getText()).map((s) => ({ name: s.name, detail: s.detail, kind: SYMBOL_KINDS[s.kind], range: s.range, selectionRange: s.selectionRange }));
});

connection.onFoldingRanges((params): FoldingRange[] => {
  const document = analysableDocument(params);
  if (!document || document.languageId !== 'vcl') return [];
  return foldingRanges(document.getText()).map((f) => ({ startLine: f.startLine, endLine: f.endLine, ...(f.kind ? { kind: f.kind } : {}) }));
});

connection.onDefinition((params): Location[] => navigate(params, false));
connection.onReferences((params): Location[] => navigate(params, true));

/** Definition (or definition and references) of the symbol at a position, as LSP locations. */
function navigate(params: unknown, all: boolean): Location[] {
  const at = analysablePosition(params);
  if (!at || at.document.languageId !== 'vcl') return [];
  const { document, offset } = at;
  const uri = document.uri;
  const path = uriToPath(uri);
  const includeHost = uri.startsWith('file:') ? workspace.host() : undefined;
  const program = programModel(document.getText(), { path, includeHost, vmodPath });
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
  const document = analysableDocument(params);
  if (!document || document.languageId !== 'vcl') return [];
  return formatDocument(document.getText(), params.options);
});

connection.onDocumentRangeFormatting((params): TextEdit[] => {
  const document = analysableDocument(params);
  if (!document || document.languageId !== 'vcl' || !isRange(params.range)) return [];
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
  const at = analysablePosition(params);
  if (!at) return null;
  const { document, offset } = at;
  if (document.languageId === 'vcl') {
    const program = vclProgram(document);
    const h = vmodHover(program.model, program.selfId, program.scope(), offset) ?? vclHover(program.model, program.selfId, offset);
    return h ? { contents: { kind: MarkupKind.Markdown, value: h.contents }, range: { start: document.positionAt(h.start), end: document.positionAt(h.end) } } : null;
  }
  if (!isParamsDocument(document)) return null;
  const h = paramsHover(document.getText(), offset, { path: uriToPath(document.uri) });
  return h ? { contents: { kind: MarkupKind.Markdown, value: h.contents }, range: h.range } : null;
});

connection.onCompletion((params): CompletionItem[] => {
  const at = analysablePosition(params);
  if (!at) return [];
  const { document, offset } = at;
  const trigger = params.context?.triggerCharacter;
  if (document.languageId === 'vcl') return vclCompletionItems(document, offset, typeof trigger === 'string' ? trigger : undefined);
  if (!isParamsDocument(document)) return [];
  return paramsCompletions(document.getText(), offset).map((c) => ({
    label: c.label,
    kind: CompletionItemKind.Property,
    detail: c.detail,
    documentation: { kind: MarkupKind.Markdown, value: c.documentation },
    textEdit: { range: c.range, newText: c.label },
  }));
});

// ---------------------------------------------------------------------------
// VCL editing: completion, signature help, rename, highlights, semantic
// tokens and workspace symbols. The service does the work; this block only
// converts offsets and kinds to LSP.
// ---------------------------------------------------------------------------

/** The program a VCL document belongs to (includes followed), with its vmods on demand. */
function vclProgram(document: TextDocument) {
  const path = uriToPath(document.uri);
  const program = programModel(document.getText(), { path, includeHost: document.uri.startsWith('file:') ? workspace.host() : undefined, vmodPath });
  let scope: ReturnType<typeof vmodScope> | undefined;
  return { ...program, path, scope: () => (scope ??= vmodScope(program.model, vmodResolverFor(vmodPath, (p) => workspace.refuses(p)))) };
}

const COMPLETION_KINDS: Record<CompletionKindName, CompletionItemKind> = {
  variable: CompletionItemKind.Variable,
  function: CompletionItemKind.Function,
  method: CompletionItemKind.Method,
  module: CompletionItemKind.Module,
  class: CompletionItemKind.Class,
  interface: CompletionItemKind.Interface,
  constant: CompletionItemKind.Constant,
  keyword: CompletionItemKind.Keyword,
  snippet: CompletionItemKind.Snippet,
  property: CompletionItemKind.Property,
  value: CompletionItemKind.Value,
  field: CompletionItemKind.Field,
  struct: CompletionItemKind.Struct,
  enum: CompletionItemKind.Enum,
};

function vclCompletionItems(document: TextDocument, offset: number, trigger: string | undefined): CompletionItem[] {
  const program = vclProgram(document);
  const text = document.getText();
  const items = vclCompletions(text, offset, {
    model: program.model,
    scope: program.scope(),
    headerNames: () => headerNamesIn([...workspace.vclTexts(), { path: program.path, text }]),
    trigger,
  });
  return items.map((c) => ({
    label: c.label,
    kind: COMPLETION_KINDS[c.kind],
    ...(c.detail ? { detail: c.detail } : {}),
    ...(c.documentation ? { documentation: { kind: MarkupKind.Markdown, value: c.documentation } } : {}),
    filterText: c.snippet ? c.label : c.insertText,
    textEdit: { range: { start: document.positionAt(c.start), end: document.positionAt(c.end) }, newText: c.insertText },
    ...(c.snippet ? { insertTextFormat: InsertTextFormat.Snippet } : {}),
    ...(c.retrigger ? { command: { title: 'Suggest', command: 'editor.action.triggerSuggest' } } : {}),
  }));
}

connection.onSignatureHelp((params): SignatureHelp | null => {
  const at = analysablePosition(params);
  if (at?.document.languageId !== 'vcl') return null;
  const sig = vclSignatureHelp(at.document.getText(), at.offset, vclProgram(at.document).scope());
  if (!sig) return null;
  return {
    signatures: [{ label: sig.label, ...(sig.documentation ? { documentation: sig.documentation } : {}), parameters: sig.parameters.map((p) => ({ label: p.label, ...(p.documentation ? { documentation: p.documentation } : {}) })) }],
    activeSignature: 0,
    activeParameter: sig.activeParameter,
  };
});

connection.onPrepareRename((params) => {
  const at = analysablePosition(params);
  if (at?.document.languageId !== 'vcl') return null;
  const { document, offset } = at;
  const program = vclProgram(document);
  const r = prepareRename(program.model, program.selfId, offset);
  if (!r.ok) return new ResponseError(LSPErrorCodes.RequestFailed, r.reason);
  return { range: { start: document.positionAt(r.start), end: document.positionAt(r.end) }, placeholder: r.name };
});

connection.onRenameRequest((params): WorkspaceEdit | ResponseError => {
  const at = analysablePosition(params);
  if (at?.document.languageId !== 'vcl' || typeof params.newName !== 'string') return { changes: {} };
  const { document, offset } = at;
  const program = vclProgram(document);
  const r = renameSymbol(program.model, program.selfId, offset, params.newName);
  if ('error' in r) return new ResponseError(LSPErrorCodes.RequestFailed, r.error);
  const changes: Record<string, TextEdit[]> = {};
  for (const l of placesToLocations(document, program.pathOf, r.places)) (changes[l.uri] ??= []).push({ range: l.range, newText: params.newName });
  return { changes };
});

/** Places of a program (file ids and offsets) as LSP locations, reading other files through the workspace. */
function placesToLocations(document: TextDocument, pathOf: (fileId: string) => string | undefined, places: readonly Place[]): Location[] {
  const path = uriToPath(document.uri);
  const out: Location[] = [];
  const texts = new Map<string, TextDocument>();
  for (const p of places) {
    const file = pathOf(p.file);
    if (!file) continue;
    let lines = file === path ? document : texts.get(file);
    if (!lines) {
      const text = workspace.host().readFile(file);
      if (text === undefined) continue;
      lines = TextDocument.create(pathToFileURL(file).href, 'vcl', 0, text);
      texts.set(file, lines);
    }
    out.push({ uri: file === path ? document.uri : lines.uri, range: { start: lines.positionAt(p.start), end: lines.positionAt(p.end) } });
  }
  return out;
}

connection.onDocumentHighlight((params): DocumentHighlight[] => {
  const at = analysablePosition(params);
  if (at?.document.languageId !== 'vcl') return [];
  const { document, offset } = at;
  const program = vclProgram(document);
  return documentHighlights(program.model, program.selfId, offset).map((h) => ({
    range: { start: document.positionAt(h.start), end: document.positionAt(h.end) },
    kind: h.kind === 'write' ? DocumentHighlightKind.Write : DocumentHighlightKind.Read,
  }));
});

// Full token data is remembered per document, so the next request after an
// edit can be answered with the stretch that changed (a delta).
const sentTokens = new SentTokens();

function tokenData(document: TextDocument): number[] {
  const program = vclProgram(document);
  return encodeSemanticTokens(document.getText(), semanticTokens(program.model, program.selfId, program.scope()));
}

connection.languages.semanticTokens.on((params) => {
  const document = analysableDocument(params);
  if (document?.languageId !== 'vcl') return { data: [] };
  const data = tokenData(document);
  return { resultId: sentTokens.remember(document.uri, data), data };
});

connection.languages.semanticTokens.onDelta((params) => {
  const document = analysableDocument(params);
  if (document?.languageId !== 'vcl') return { data: [] };
  const data = tokenData(document);
  const previous = sentTokens.previous(document.uri, params.previousResultId);
  const resultId = sentTokens.remember(document.uri, data);
  // Without the data the client builds on, only the full array will do.
  return previous ? { resultId, edits: tokenDataEdits(previous, data) } : { resultId, data };
});

connection.languages.semanticTokens.onRange((params) => {
  const document = analysableDocument(params);
  if (document?.languageId !== 'vcl' || !isRange(params.range)) return { data: [] };
  const program = vclProgram(document);
  const range = { start: document.offsetAt(params.range.start), end: document.offsetAt(params.range.end) };
  return { data: encodeSemanticTokens(document.getText(), semanticTokens(program.model, program.selfId, program.scope()), range) };
});

connection.onWorkspaceSymbol((params): SymbolInformation[] => {
  return workspaceSymbols(workspace.vclTexts(), params.query, workspace.host()).map((s) => ({
    name: s.name,
    kind: SYMBOL_KINDS[s.kind],
    containerName: s.detail,
    location: { uri: pathToFileURL(s.path).href, range: s.selectionRange },
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
    const document = analysableDocument(params);
    if (document) {
      const all = fixAll(document.uri, document.languageId === 'vcl' ? diagnose(document.getText(), document.uri) : diagnoseParams(document));
      if (all) actions.push(all);
    }
  }
  return actions;
});

// Settings are pulled (workspace/configuration) when the client allows it.
connection.onDidChangeConfiguration(() => void refreshSettings());

// Trust granted after start: the folders of the workspace settings count from now on.
connection.onNotification(WORKSPACE_TRUST_NOTIFICATION, (params: unknown) => {
  if ((params as { trusted?: unknown } | null)?.trusted !== true || trusted) return;
  trusted = true;
  workspace.setTrust(true);
  if (canPullConfiguration) void refreshSettings();
  else for (const d of documents.all()) schedule(d, true);
});

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
    // The pulled settings merge the workspace's own: its folders count only when it is trusted.
    workspace.setIncludePaths(trusted ? stringList(vcl?.includePaths) : ownIncludePaths);
    vmodPath = trusted ? stringList(vcl?.vmodPath) : ownVmodPath;
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

// Fires on open and on every change, so it only records the text and
// restarts the debounce; the documents related to this one are re-checked
// when the debounce fires (validate), not on every keystroke.
documents.onDidChangeContent(({ document }) => {
  const path = uriToPath(document.uri);
  if (document.languageId !== 'vcl') {
    if (!isParamsDocument(document)) return;
    workspace.setOpenParams(path, document.getText());
  } else {
    workspace.setOpen(path, document.getText());
  }
  edited.add(document.uri);
  changedAt.set(document.uri, ++clock);
  schedule(document);
});

/** Documents changed by the user since they were last linted: their related documents need a re-check. */
const edited = new Set<string>();
/**
 * When each document last changed and was last linted, on one counter: a
 * related document linted after this one changed has already seen its text
 * and needs no re-check.
 */
let clock = 0;
const changedAt = new Map<string, number>();
const lintedAt = new Map<string, number>();

/**
 * The open documents whose diagnostics may change with `document`: for VCL,
 * the files that include it or that it includes, and the parameter files
 * (they check their buffers against the VCL's tag headers); for a parameter
 * file, the VCL (its tag-header hints depend on the parameter files).
 */
function relatedDocuments(document: TextDocument): TextDocument[] {
  if (document.languageId !== 'vcl') return documents.all().filter((d) => d.languageId === 'vcl');
  const out = new Set<TextDocument>();
  for (const related of workspace.related(uriToPath(document.uri))) {
    const other = documents.get(pathToFileURL(related).href);
    if (other) out.add(other);
  }
  for (const other of documents.all()) if (other.languageId !== 'vcl' && isParamsDocument(other)) out.add(other);
  return [...out];
}

/**
 * The one way a request handler gets at a document (`params.textDocument.uri`):
 * an open document whose text the tools accept. Text they refuse (too large,
 * binary) gets its one diagnostic and no other answer, so that no feature
 * ever parses a 50 MB buffer; every handler then gives its empty answer.
 * `test/server/request-guard.test.ts` sends every request the server
 * advertises for such documents. The check is remembered per version.
 */
function analysableDocument(params: unknown): TextDocument | undefined {
  const uri = (params as { textDocument?: { uri?: unknown } } | null | undefined)?.textDocument?.uri;
  if (typeof uri !== 'string') return undefined;
  const document = documents.get(uri);
  if (document === undefined) return undefined;
  const known = acceptedText.get(uri);
  if (known?.version === document.version) return known.ok ? document : undefined;
  const ok = checkText(document.getText()).ok;
  acceptedText.set(uri, { version: document.version, ok });
  return ok ? document : undefined;
}

/** Whether each open document's current version passed the input guard. */
const acceptedText = new Map<string, { version: number; ok: boolean }>();

/**
 * `analysableDocument` plus the request's `params.position` as an offset, or
 * nothing when the position is not two unsigned integers: a client that
 * sends `{ line: 1.5, character: "x" }` gets the empty answer.
 */
function analysablePosition(params: unknown): { document: TextDocument; offset: number } | undefined {
  const document = analysableDocument(params);
  if (document === undefined) return undefined;
  const position = (params as { position?: unknown }).position;
  if (!isPosition(position)) return undefined;
  return { document, offset: document.offsetAt(position) };
}

/** A document in another language that carries varnishd options. */
function isParamsDocument(document: TextDocument): boolean {
  if (document.languageId === 'varnish-params') return true;
  if (!LANGUAGES.has(document.languageId)) return false;
  return detectParamsKind(uriToPath(document.uri), document.getText().slice(0, 65536)) !== undefined;
}

// ---- Status for the client's status bar (vcl/status, opt-in) ----

/** Whether the client asked for vcl/status notifications (initializationOptions). */
let statusNotifications = false;
let reportedBusy = false;

/** Tells the client when analysis becomes pending and when it is done; only on a change. */
function reportStatus(): void {
  const busy = timers.size > 0;
  if (!statusNotifications || busy === reportedBusy) return;
  reportedBusy = busy;
  const params: StatusParams = { busy, pending: timers.size };
  void connection.sendNotification(STATUS_NOTIFICATION, params);
}

documents.onDidClose(({ document }) => {
  workspace.close(uriToPath(document.uri));
  cancel(document.uri);
  reportStatus();
  edited.delete(document.uri);
  changedAt.delete(document.uri);
  lintedAt.delete(document.uri);
  published.delete(document.uri);
  sentTokens.forget(document.uri);
  acceptedText.delete(document.uri);
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
  const wasEdited = edited.delete(uri);
  lintAndPublish(document);
  if (!wasEdited) return;
  const changed = changedAt.get(uri) ?? 0;
  for (const other of relatedDocuments(document)) {
    if (other.uri === uri || (lintedAt.get(other.uri) ?? -1) > changed) continue;
    published.delete(other.uri);
    lintAndPublish(other);
  }
}

function lintAndPublish(document: TextDocument): void {
  const { uri, version } = document;
  const last = published.get(uri);
  if (last !== undefined && last >= version) return;
  lintedAt.set(uri, ++clock);
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
  if (!input.ok) return toPublished([atStart('input', 'error', input.reason)]);
  try {
    const path = uriToPath(uri);
    const includeHost = uri.startsWith('file:') ? workspace.host() : undefined;
    const responseHeaderLimit = responseHeaderLimitFrom(workspace.paramsTexts());
    return toPublished(lintText(input.text, { path, languageId: 'vcl', includeHost, responseHeaderLimit, vmodPath, errUnref, allowInlineC, ruleLevels }), uri);
  } catch (err) {
    connection.console.error(`VCL lint failed for ${uri}: ${err instanceof Error ? err.stack ?? err.message : String(err)}`);
    const reason = err instanceof Error ? err.message : String(err);
    return toPublished([atStart('internal-error', 'error', `Internal error in the VCL linter: ${reason}`)]);
  }
}

/** Lints a parameter file; a document that runs no varnishd gets nothing. */
function diagnoseParams(document: TextDocument): Diagnostic[] {
  if (!isParamsDocument(document)) return [];
  const input = checkText(document.getText());
  if (!input.ok) return toPublished([atStart('input', 'error', input.reason)]);
  try {
    const kind = document.languageId === 'varnish-params' ? undefined : detectParamsKind(uriToPath(document.uri), input.text);
    return toPublished(lintParamsText(input.text, { path: uriToPath(document.uri), kind, tagHeaders: tagHeadersFrom(workspace.vclTexts()), maxResponseHeaderBytes, ruleLevels }));
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return toPublished([atStart('internal-error', 'error', `Internal error in the parameter-file linter: ${reason}`)]);
  }
}

/** The rule pages shipped next to this bundle (dist/server.cjs -> docs/rules/), read once. */
const ruleDocUri = ruleDocUris(findRuleDocsDir(fileURLToPath(import.meta.url)));

/** Service diagnostics as published, each linking its rule's page when it is installed; `uri` places related information in the document itself. */
function toPublished(list: readonly LintDiagnostic[], uri?: string): Diagnostic[] {
  return toLspDiagnostics(list, ruleDocUri, uri);
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
