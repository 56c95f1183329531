/**
 * Every LSP request the server answers, as plain functions of the request's
 * params over a {@link Project}: what the server advertises, and one method
 * per request that turns the service's offsets and kinds into LSP shapes.
 * Only the LSP *types* package is used here (DESIGN principle 1): the
 * server binds these methods to the connection, tests call them directly.
 *
 * Every method reaches its document through `project.request` (or
 * `requestAt`), the one input guard: a document whose text the tools
 * refuse gets the empty answer.
 */
import { pathToFileURL } from 'node:url';
import {
  CodeActionKind,
  CompletionItemKind,
  DocumentHighlightKind,
  InsertTextFormat,
  MarkupKind,
  SymbolKind,
  type CodeAction,
  type CodeLens,
  type CompletionItem,
  type DocumentHighlight,
  type DocumentSymbol,
  type FoldingRange,
  type FormattingOptions,
  type Hover,
  type Location,
  type Range,
  type SemanticTokens,
  type SemanticTokensDelta,
  type SignatureHelp,
  type SymbolInformation,
  type TextEdit,
  type WorkspaceEdit,
} from 'vscode-languageserver-types';
import { FIX_ALL_KIND, fixAll, quickFixes } from './code-actions.js';
import { formatDocument } from './format.js';
import { headerNamesIn } from './header-names.js';
import { paramsCompletions, paramsHover } from './params-features.js';
import { isRange } from './positions.js';
import type { DocumentAnalysis, Project } from './project.js';
import type { ProgramModel } from './lint.js';
import { encodeSemanticTokens, semanticTokens, TOKEN_MODIFIERS, TOKEN_TYPES } from './semantic-tokens.js';
import { SentTokens, tokenDataEdits } from './semantic-token-delta.js';
import { vclCompletions, type CompletionKindName } from './vcl-completion.js';
import { documentSymbols, findDefinition, findReferences, foldingRanges, vclHover, type Place } from './vcl-features.js';
import { documentHighlights } from './vcl-highlights.js';
import { prepareRename, renameSymbol } from './vcl-rename.js';
import { vclSignatureHelp } from './vcl-signature-help.js';
import { vmodHover } from './vcl-vmod-hover.js';
import { varnishlogHover } from './varnishlog-hover.js';
import { workspaceSymbols } from './workspace-symbols.js';

/** A request the client should see fail, with the reason (LSP RequestFailed). */
export interface RequestFailure {
  failed: string;
}

/** What the server advertises: every feature below. */
export const SERVER_CAPABILITIES = {
  codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix, FIX_ALL_KIND] },
  hoverProvider: true,
  completionProvider: { triggerCharacters: [' ', '.', '('] },
  documentSymbolProvider: true,
  foldingRangeProvider: true,
  definitionProvider: true,
  referencesProvider: true,
  signatureHelpProvider: { triggerCharacters: ['(', ','], retriggerCharacters: [','] },
  renameProvider: { prepareProvider: true },
  documentHighlightProvider: true,
  workspaceSymbolProvider: true,
  semanticTokensProvider: { legend: { tokenTypes: [...TOKEN_TYPES], tokenModifiers: [...TOKEN_MODIFIERS] }, full: { delta: true }, range: true },
  documentFormattingProvider: true,
  documentRangeFormattingProvider: true,
  codeLensProvider: { resolveProvider: false },
};

const SYMBOL_KINDS = {
  function: SymbolKind.Function,
  class: SymbolKind.Class,
  interface: SymbolKind.Interface,
  constant: SymbolKind.Constant,
  module: SymbolKind.Module,
  object: SymbolKind.Object,
  namespace: SymbolKind.Namespace,
} as const;

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

/** A VCL document's analysis (accepted text) for a request, or nothing. */
function vclRequest(project: Project, params: unknown): DocumentAnalysis | undefined {
  const analysis = project.request(params);
  return analysis?.isVcl ? analysis : undefined;
}

function span(analysis: DocumentAnalysis, start: number, end: number): Range {
  return { start: analysis.lines.positionAt(start), end: analysis.lines.positionAt(end) };
}

/** Why a rename inside a manifest's VCL is refused: a folded or quoted value's lines are not the VCL's. */
const NOT_IN_PLACE = "Rename needs the VCL in a literal block ('|' or '|-'), where the manifest's lines are the VCL's: this name stands in a folded or quoted value, or in a file the ConfigMap does not hold";

export class LanguageFeatures {
  /** Full token data is remembered per document, so the next request after an edit can be answered with the stretch that changed. */
  private readonly sentTokens = new SentTokens();

  constructor(private readonly project: Project) {}

  /** Forgets what was sent for a closed document. */
  closed(uri: string): void {
    this.sentTokens.forget(uri);
  }

  /** The VCL outline. */
  documentSymbols(params: unknown): DocumentSymbol[] {
    const analysis = vclRequest(this.project, params);
    if (!analysis) return [];
    return documentSymbols(analysis.text, analysis.parse()).map((s) => ({ name: s.name, detail: s.detail, kind: SYMBOL_KINDS[s.kind], range: s.range, selectionRange: s.selectionRange }));
  }

  /** Declarations, blocks and multi-line comments. */
  foldingRanges(params: unknown): FoldingRange[] {
    const analysis = vclRequest(this.project, params);
    if (!analysis) return [];
    return foldingRanges(analysis.text, analysis.parse()).map((f) => ({ startLine: f.startLine, endLine: f.endLine, ...(f.kind ? { kind: f.kind } : {}) }));
  }

  /** Definition (`all` false) or definition and references of the symbol at a position, across includes. */
  navigate(params: unknown, all: boolean): Location[] {
    const at = this.project.requestAt(params);
    if (!at) return [];
    const find = (program: ProgramModel, offset: number): Place[] =>
      all ? findReferences(program.model, program.selfId, offset) : [findDefinition(program.model, program.selfId, offset)].filter((p) => p !== undefined);
    if (at.analysis.isVcl) return this.locations(at.analysis, find(at.analysis.model(), at.offset));
    if (!at.analysis.isParams) return [];
    // Inside a ConfigMap's VCL: places in this key and in the keys it includes, in the manifest.
    const { analysis } = at;
    return (
      this.project.withEmbeddedVcl(analysis, at.offset, ({ at: embedded, program }) =>
        find(program, embedded.offset).flatMap((p): Location[] => {
          const range = embedded.rangeIn(program.pathOf(p.file), p.start, p.end);
          return range ? [{ uri: analysis.uri, range }] : [];
        }),
      ) ?? []
    );
  }

  /** Formatting changes only whitespace; a document with syntax errors gets no edits. */
  format(params: unknown): TextEdit[] {
    const analysis = vclRequest(this.project, params);
    if (!analysis) return [];
    return formatDocument(analysis.text, (params as { options?: FormattingOptions }).options);
  }

  /** Formatting of the lines a range touches. */
  formatRange(params: unknown): TextEdit[] {
    const analysis = vclRequest(this.project, params);
    const p = params as { options?: FormattingOptions; range?: unknown };
    if (!analysis || !isRange(p.range)) return [];
    return formatDocument(analysis.text, p.options, p.range);
  }

  /** VCL: vmod functions, variables and symbols; parameter files: what a parameter does; captures: what a log tag records. */
  hover(params: unknown): Hover | null {
    const at = this.project.requestAt(params);
    if (!at) return null;
    const { analysis, offset } = at;
    if (analysis.isVcl) {
      const program = analysis.model();
      const h = vmodHover(program.model, program.selfId, analysis.scope(), offset) ?? vclHover(program.model, program.selfId, offset);
      return h ? { contents: { kind: MarkupKind.Markdown, value: h.contents }, range: span(analysis, h.start, h.end) } : null;
    }
    if (analysis.isVarnishlog) {
      const h = varnishlogHover(analysis.text, offset);
      return h ? { contents: { kind: MarkupKind.Markdown, value: h.contents }, range: span(analysis, h.start, h.end) } : null;
    }
    if (!analysis.isParams) return null;
    // Inside a ConfigMap's VCL: the hover of that VCL, analysed as the pod sees it.
    const embedded = this.project.withEmbeddedVcl(analysis, offset, ({ at, program, scope }): Hover | null => {
      const h = vmodHover(program.model, program.selfId, scope, at.offset) ?? vclHover(program.model, program.selfId, at.offset);
      return h ? { contents: { kind: MarkupKind.Markdown, value: h.contents }, range: at.range(h.start, h.end) } : null;
    });
    if (embedded !== undefined) return embedded;
    const h = paramsHover(analysis.text, offset, { path: analysis.path, version: this.project.varnishVersion });
    return h ? { contents: { kind: MarkupKind.Markdown, value: h.contents }, range: h.range } : null;
  }

  /** What is valid at the cursor; in parameter files, parameter names after `-p `. */
  completion(params: unknown): CompletionItem[] {
    const at = this.project.requestAt(params);
    if (!at) return [];
    const { analysis, offset } = at;
    const trigger = (params as { context?: { triggerCharacter?: unknown } }).context?.triggerCharacter;
    if (analysis.isVcl) return this.vclCompletion(analysis, offset, typeof trigger === 'string' ? trigger : undefined);
    if (!analysis.isParams) return [];
    const embedded = this.embeddedCompletion(analysis, offset, typeof trigger === 'string' ? trigger : undefined);
    if (embedded) return embedded;
    return paramsCompletions(analysis.text, offset, this.project.varnishVersion).map((c) => ({
      label: c.label,
      kind: CompletionItemKind.Property,
      detail: c.detail,
      documentation: { kind: MarkupKind.Markdown, value: c.documentation },
      textEdit: { range: c.range, newText: c.label },
    }));
  }

  private vclCompletion(analysis: DocumentAnalysis, offset: number, trigger: string | undefined): CompletionItem[] {
    const items = vclCompletions(analysis.text, offset, {
      model: analysis.model().model,
      scope: analysis.scope(),
      headerNames: () => headerNamesIn([...this.project.vclTexts(), { path: analysis.path, text: analysis.text }]),
      trigger,
    });
    return completionItems(items, (start, end) => span(analysis, start, end));
  }

  /**
   * Completion inside a ConfigMap's VCL, where the manifest's block holds the
   * VCL's lines as they are (a literal block): the VCL's completions, their
   * line breaks followed by the block's indentation. Undefined outside
   * every key's VCL; nothing in a folded or quoted value.
   */
  private embeddedCompletion(analysis: DocumentAnalysis, offset: number, trigger: string | undefined): CompletionItem[] | undefined {
    return this.project.withEmbeddedVcl(analysis, offset, ({ at, program, scope }) => {
      if (!at.part.editable) return [];
      const items = vclCompletions(at.part.text, at.offset, {
        model: program.model,
        scope,
        headerNames: () => headerNamesIn([...this.project.vclTexts(), { path: at.part.path, text: at.part.text }]),
        trigger,
      });
      const indented = items.map((c) => ({ ...c, insertText: c.insertText.replace(/\n/g, `\n${at.part.indent}`) }));
      return completionItems(indented, (start, end) => at.range(start, end));
    });
  }

  /** The vmod function or method whose arguments the cursor is in. */
  signatureHelp(params: unknown): SignatureHelp | null {
    const at = this.project.requestAt(params);
    if (!at) return null;
    const sig = at.analysis.isVcl
      ? vclSignatureHelp(at.analysis.text, at.offset, at.analysis.scope())
      : at.analysis.isParams
        ? this.project.withEmbeddedVcl(at.analysis, at.offset, ({ at: embedded, scope }) => vclSignatureHelp(embedded.part.text, embedded.offset, scope))
        : undefined;
    if (!sig) return null;
    return {
      signatures: [{ label: sig.label, ...(sig.documentation ? { documentation: sig.documentation } : {}), parameters: sig.parameters.map((p) => ({ label: p.label, ...(p.documentation ? { documentation: p.documentation } : {}) })) }],
      activeSignature: 0,
      activeParameter: sig.activeParameter,
    };
  }

  /** The name a rename would change, or why it cannot. */
  prepareRename(params: unknown): { range: Range; placeholder: string } | RequestFailure | null {
    const at = this.project.requestAt(params);
    if (!at) return null;
    if (at.analysis.isVcl) {
      const program = at.analysis.model();
      const r = prepareRename(program.model, program.selfId, at.offset);
      if (!r.ok) return { failed: r.reason };
      return { range: span(at.analysis, r.start, r.end), placeholder: r.name };
    }
    if (!at.analysis.isParams) return null;
    // Inside a ConfigMap's VCL: the name in the manifest, when its block can be edited in place.
    return (
      this.project.withEmbeddedVcl(at.analysis, at.offset, ({ at: embedded, program }) => {
        const r = prepareRename(program.model, program.selfId, embedded.offset);
        if (!r.ok) return { failed: r.reason };
        if (!embedded.part.editable) return { failed: NOT_IN_PLACE };
        return { range: embedded.range(r.start, r.end), placeholder: r.name };
      }) ?? null
    );
  }

  /** Renames a sub, backend, probe, ACL or object everywhere in its program. */
  rename(params: unknown): WorkspaceEdit | RequestFailure {
    const at = this.project.requestAt(params);
    const newName = (params as { newName?: unknown }).newName;
    if (!at || typeof newName !== 'string') return { changes: {} };
    const { analysis } = at;
    if (analysis.isVcl) {
      const program = analysis.model();
      const r = renameSymbol(program.model, program.selfId, at.offset, newName);
      if ('error' in r) return { failed: r.error };
      const changes: Record<string, TextEdit[]> = {};
      for (const l of this.locations(analysis, r.places)) (changes[l.uri] ??= []).push({ range: l.range, newText: newName });
      return { changes };
    }
    if (!analysis.isParams) return { changes: {} };
    // Inside a ConfigMap's VCL: every place, in this key's block and in the blocks of the keys it includes; all or nothing.
    const edit = this.project.withEmbeddedVcl(analysis, at.offset, ({ at: embedded, program }): WorkspaceEdit | RequestFailure => {
      const r = renameSymbol(program.model, program.selfId, embedded.offset, newName);
      if ('error' in r) return { failed: r.error };
      const edits: TextEdit[] = [];
      for (const p of r.places) {
        const path = program.pathOf(p.file);
        const range = embedded.rangeIn(path, p.start, p.end);
        if (!range || !embedded.editableIn(path)) return { failed: NOT_IN_PLACE };
        edits.push({ range, newText: newName });
      }
      return { changes: { [analysis.uri]: edits } };
    });
    return edit ?? { changes: {} };
  }

  /** Every use of the symbol at the cursor in this document, writes marked. */
  highlights(params: unknown): DocumentHighlight[] {
    const at = this.project.requestAt(params);
    if (!at) return [];
    const kind = (h: { kind: string }) => (h.kind === 'write' ? DocumentHighlightKind.Write : DocumentHighlightKind.Read);
    if (at.analysis.isVcl) {
      const program = at.analysis.model();
      return documentHighlights(program.model, program.selfId, at.offset).map((h) => ({ range: span(at.analysis, h.start, h.end), kind: kind(h) }));
    }
    if (!at.analysis.isParams) return [];
    // Inside a ConfigMap's VCL: the uses in that key, in the manifest.
    return (
      this.project.withEmbeddedVcl(at.analysis, at.offset, ({ at: embedded, program }) =>
        documentHighlights(program.model, program.selfId, embedded.offset).map((h) => ({ range: embedded.range(h.start, h.end), kind: kind(h) })),
      ) ?? []
    );
  }

  /** Semantic tokens of the whole document, under a result id. */
  semanticTokens(params: unknown): SemanticTokens {
    const analysis = vclRequest(this.project, params);
    if (!analysis) return { data: [] };
    const data = tokenData(analysis);
    return { resultId: this.sentTokens.remember(analysis.uri, data), data };
  }

  /** The stretch of token data that changed since `previousResultId`, or the whole array without it. */
  semanticTokensDelta(params: unknown): SemanticTokens | SemanticTokensDelta {
    const analysis = vclRequest(this.project, params);
    if (!analysis) return { data: [] };
    const data = tokenData(analysis);
    const previousId = (params as { previousResultId?: unknown }).previousResultId;
    const previous = typeof previousId === 'string' ? this.sentTokens.previous(analysis.uri, previousId) : undefined;
    const resultId = this.sentTokens.remember(analysis.uri, data);
    // Without the data the client builds on, only the full array will do.
    return previous ? { resultId, edits: tokenDataEdits(previous, data) } : { resultId, data };
  }

  /** Semantic tokens of a range. */
  semanticTokensRange(params: unknown): SemanticTokens {
    const analysis = vclRequest(this.project, params);
    const range = (params as { range?: unknown }).range;
    if (!analysis || !isRange(range)) return { data: [] };
    const program = analysis.model();
    const offsets = { start: analysis.lines.offsetAt(range.start), end: analysis.lines.offsetAt(range.end) };
    return { data: encodeSemanticTokens(analysis.text, semanticTokens(program.model, program.selfId, analysis.scope()), offsets) };
  }

  /** Subs, backends, probes, ACLs and vmods of every VCL file of the workspace. */
  workspaceSymbols(params: unknown): SymbolInformation[] {
    const query = (params as { query?: unknown } | null)?.query;
    return workspaceSymbols(this.project.vclTexts(), typeof query === 'string' ? query : '', this.project.includeHost()).map((s) => ({
      name: s.name,
      kind: SYMBOL_KINDS[s.kind],
      containerName: s.detail,
      location: { uri: pathToFileURL(s.path).href, range: s.selectionRange },
    }));
  }

  /**
   * Over a varnishlog capture: at its top, how many failures of which
   * causes it holds; above each cause's diagnostic, how often, which
   * transactions and backends. Lenses with no command: they are read, not
   * clicked (the diagnostic beside them carries the fixes).
   */
  codeLenses(params: unknown): CodeLens[] {
    const analysis = this.project.request(params);
    if (!analysis?.isVarnishlog) return [];
    const diagnostics = analysis.diagnostics();
    // A cause whose diagnostic is switched off (rule levels) gets no lens either.
    const shown = analysis.capture().findings.flatMap((f) => {
      const d = diagnostics.find((x) => x.code === f.cause);
      return d ? [{ f, line: d.range.start.line }] : [];
    });
    if (shown.length === 0) return [];
    const lens = (line: number, title: string): CodeLens => ({ range: { start: { line, character: 0 }, end: { line, character: 0 } }, command: { title, command: '' } });
    const failures = shown.reduce((n, s) => n + s.f.count, 0);
    const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
    const out = [lens(0, `503 doctor: ${plural(failures, 'failure')}, ${plural(shown.length, 'cause')}: ${shown.map((s) => `${s.f.cause} ×${s.f.count}`).join(', ')}`)];
    for (const { f, line } of shown) {
      const tx = f.first.vxid === undefined ? '' : f.count > 1 && f.last.vxid !== undefined && f.last.vxid !== f.first.vxid ? `, transactions ${f.first.vxid} to ${f.last.vxid}` : `, transaction ${f.first.vxid}`;
      const backends = f.backends.length ? `, backend ${f.backends.slice(0, 3).join(', ')}${f.backends.length > 3 ? ', ...' : ''}` : '';
      out.push(lens(line, `${f.cause}: ${f.count === 1 ? 'once' : `${f.count} times`}${tx}${backends}`));
    }
    return out;
  }

  /**
   * Quick fixes come from the diagnostics the client sends back; fix-all
   * uses the current version's own diagnostics, so it never applies fixes
   * of an older version.
   */
  codeActions(params: unknown): CodeAction[] {
    const p = params as { textDocument?: { uri?: unknown }; context?: { only?: unknown; diagnostics?: unknown } } | null;
    const uri = p?.textDocument?.uri;
    if (typeof uri !== 'string') return [];
    const only = Array.isArray(p?.context?.only) ? p.context.only.filter((k): k is string => typeof k === 'string') : undefined;
    const actions: CodeAction[] = [];
    if (!only || only.includes(CodeActionKind.QuickFix)) actions.push(...quickFixes(uri, Array.isArray(p?.context?.diagnostics) ? p.context.diagnostics : []));
    if (only?.some((k) => FIX_ALL_KIND.startsWith(k))) {
      const analysis = this.project.request(params);
      const all = analysis && fixAll(analysis.uri, analysis.diagnostics());
      if (all) actions.push(all);
    }
    return actions;
  }

  /** Places of a program (file ids and offsets) as LSP locations, other files read through the workspace. */
  private locations(analysis: DocumentAnalysis, places: readonly Place[]): Location[] {
    const pathOf = analysis.model().pathOf;
    const out: Location[] = [];
    const files = new Map<string, ReturnType<DocumentAnalysis['linesOf']>>();
    for (const p of places) {
      const file = pathOf(p.file);
      if (!file) continue;
      if (!files.has(file)) files.set(file, analysis.linesOf(file));
      const lines = files.get(file);
      if (!lines) continue;
      out.push({ uri: file === analysis.path ? analysis.uri : lines.uri, range: { start: lines.positionAt(p.start), end: lines.positionAt(p.end) } });
    }
    return out;
  }
}

function tokenData(analysis: DocumentAnalysis): number[] {
  const program = analysis.model();
  return encodeSemanticTokens(analysis.text, semanticTokens(program.model, program.selfId, analysis.scope()));
}

/** The service's completions as LSP items, `range` placing their spans. */
function completionItems(items: ReturnType<typeof vclCompletions>, range: (start: number, end: number) => Range): CompletionItem[] {
  return items.map((c) => ({
    label: c.label,
    kind: COMPLETION_KINDS[c.kind],
    ...(c.detail ? { detail: c.detail } : {}),
    ...(c.documentation ? { documentation: { kind: MarkupKind.Markdown, value: c.documentation } } : {}),
    filterText: c.snippet ? c.label : c.insertText,
    textEdit: { range: range(c.start, c.end), newText: c.insertText },
    ...(c.snippet ? { insertTextFormat: InsertTextFormat.Snippet } : {}),
    ...(c.retrigger ? { command: { title: 'Suggest', command: 'editor.action.triggerSuggest' } } : {}),
  }));
}
