/**
 * The one owner of a workspace's analyses (in the spirit of rust-analyzer's
 * analysis host): the workspace's files, the settings, the open documents
 * and one analysis per document version, shared by lint and every editor
 * feature. An analysis is made lazily the first time anything asks about a
 * version, is kept while nothing it read has changed, and is released (its
 * parse trees handed back to the parser for reuse) when it is superseded or
 * its document closes.
 *
 * The input guard runs here, where an analysis is made: text the tools
 * refuse (too large, binary) gets an analysis that holds only its one
 * diagnostic, and no feature can reach its text. The language server is a
 * thin layer over this class; tests drive it without a process.
 */
import { detectRelease, type DetectedRelease } from '../params/detect-release.js';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver-types';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { detectParamsKind } from '../params/detect.js';
import { Parser, type ParseResult } from '../syntax/parse.js';
import { checkText } from './input.js';
import { isPosition } from './positions.js';
import { analyseVcl, lintAnalysed, modelOf, releaseVcl, vmodResolverFor, type ProgramModel, type VclAnalysis } from './lint.js';
import { lintParamsText } from './lint-params.js';
import { toLspDiagnostics } from './lsp-convert.js';
import type { RuleDocUri } from './rule-docs.js';
import { knownRuleIds } from './rule-ids.js';
import { applyRuleLevels, checkRuleLevels, type RuleLevel } from './severity-config.js';
import { diagnoseVarnishlogFile, diagnoseVarnishlogText, type CaptureFinding, type VarnishlogFileResult } from './varnishlog.js';
import { limitInForce, limitProofs, linkToSettings, observedNeedFor, type LimitProof } from './capture-settings.js';
import type { LanguageId, LintDiagnostic, LintOptions } from './types.js';
import type { IncludeHost } from '../analysis/include-tree.js';
import { embeddedVclAt, lintManifestVcl, type EmbeddedAt } from './manifest-vcl.js';
import type { ObservedNeed } from '../rules/params-index.js';
import { vmodScope, type VmodScope } from './vmod-scope.js';
import { CrossFacts } from './workspace-facts.js';
import { Workspace } from './workspace.js';
import { DEFAULT_VARNISH_VERSION, parseVarnishVersion, productName, releaseOf, versionListText, type VarnishVersion } from '../facts/versions.js';
import type { StatusRelease } from '../protocol/status-notification.js';

/**
 * Languages the project looks at. Besides VCL and its own `varnish-params`,
 * files that editors know under another language (compose files as YAML,
 * Dockerfiles, shell scripts, unit files) are checked only when their text
 * runs varnishd.
 */
const LANGUAGES = new Set(['vcl', 'varnish-params', 'yaml', 'dockercompose', 'dockerfile', 'shellscript', 'ini', 'properties', 'systemd-unit-file', 'plaintext']);

const ZERO_RANGE = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

/** What a chart's template gets: one word, instead of the errors its template actions make as YAML. */
const HELM_TEMPLATE: LintDiagnostic = {
  rule: 'vcl-template',
  severity: 'info',
  message: "This is a Helm template: its Varnish configuration is only known once Helm renders it, so it is not linted here; lint the output of `helm template` (the chart's values.yaml is linted as it is)",
  range: ZERO_RANGE,
};

/** What the editor says at start: its folders, and the include and vmod folders of the user's own settings. */
export interface ProjectStart {
  folders: string[];
  includePaths: string[];
  vmodPath: string[];
  /** Whether the user trusts the workspace (see protocol/workspace-trust.ts). */
  trusted: boolean;
}

/** Settings that change what the analyses find. */
export interface ProjectSettings {
  vmodPath: string[];
  /** The largest backend response header the user expects (vcl.maxResponseHeaderBytes). */
  maxResponseHeaderBytes?: number;
  /** varnishd's vcc_err_unref and vcc_allow_inline_c as the user's varnishd runs. */
  errUnref: boolean;
  allowInlineC: boolean;
  ruleLevels: Record<string, RuleLevel>;
  /** The Varnish release to check against (vcl.varnishVersion, --varnish-version, `varnishVersion`); default DEFAULT_VARNISH_VERSION. */
  varnishVersion?: VarnishVersion;
}

/** Where diagnostics and failures are told; the server sends them to the client's log. */
export interface ProjectLog {
  error(message: string): void;
}

export class Project {
  private readonly workspace = new Workspace();
  /** Parses the project's VCL, keeping each document's previous version and recently parsed declarations. */
  private parser = new Parser();
  private readonly documents = new Map<string, TextDocument>();
  /** The text each open document had when last recorded (editors update their document objects in place). */
  private readonly recorded = new Map<string, { text: string; languageId: string }>();
  private readonly analyses = new Map<string, DocumentAnalysis>();
  /** Bumped whenever anything an analysis reads changes: any document's text, a setting, trust. */
  private generation = 0;
  /** A CLI run: no bound on the included files checked from the top file. */
  private checksEveryPart = false;
  private trusted = false;
  /** includePaths and vmodPath as the user's own editor configuration gave them at start. */
  private ownIncludePaths: string[] = [];
  private ownVmodPath: string[] = [];
  /** What the workspace's files say about each other, for one generation (see crossFacts). */
  private facts: CrossFacts | undefined;
  /** Limits (http_resp_hdr_len, http_max_hdr) that each capture read so far proves too small, by capture. */
  private readonly proofs = new Map<string, LimitProof[]>();
  private settings: ProjectSettings = { vmodPath: [], errUnref: true, allowInlineC: false, ruleLevels: {} };

  /** `ruleDocUri` links each diagnostic to its rule's page; `log` hears of failures. */
  constructor(
    private readonly ruleDocUri: RuleDocUri = () => undefined,
    private readonly log: ProjectLog = { error: () => undefined },
  ) {}

  /** The editor's folders and its user's own settings, as given at start. Untrusted unless it says so. */
  start(start: ProjectStart): void {
    this.workspace.setFolders(start.folders.filter((f) => isAbsolute(f)));
    this.ownIncludePaths = start.includePaths;
    this.ownVmodPath = start.vmodPath;
    this.trusted = start.trusted;
    this.workspace.setIncludePaths(this.ownIncludePaths);
    this.settings = { ...this.settings, vmodPath: this.ownVmodPath };
    this.workspace.setTrust(this.trusted, this.ownVmodPath);
    this.changed();
  }

  /**
   * A CLI run: the files it was given (VCL and parameter files, with their
   * texts as read, `shown` as the user named them) and the settings of its
   * command line and configuration file. The user runs it on their own
   * files, so whatever the programs include is read.
   */
  startFiles(files: ReadonlyArray<{ path: string; text: string; language: LanguageId; shown?: string }>, includePaths: string[], settings: ProjectSettings): void {
    // One run, one verdict: every included file is checked, however many.
    this.checksEveryPart = true;
    // Each file is read once: no previous version to compare the next with.
    this.parser = new Parser({ versions: false });
    this.trusted = true;
    this.workspace.setTrust(true);
    this.workspace.setIncludePaths(includePaths);
    this.workspace.setFiles(files);
    this.settings = settings;
    this.changed();
  }

  /**
   * Lints a text of a file given to {@link startFiles} (the text as read,
   * or as fixes changed it): the CLI's one entry point. Never throws.
   */
  lintFile(file: { path: string; language: LanguageId }, text: string): LintDiagnostic[] {
    if (file.language === 'varnish-params') return this.lintParamsAt(file.path, undefined, text);
    if (file.language === 'varnishlog') return this.lintVarnishlog(text, file.path);
    const path = resolve(file.path);
    const analysis = this.analyseVclAt(path, text, this.workspace.isIncluded(path));
    try {
      return lintAnalysed(analysis);
    } finally {
      releaseVcl(analysis);
    }
  }

  /**
   * Diagnoses a varnishlog capture file read from disk a piece at a time,
   * whatever its size (the CLI's `--varnishlog`), with the run's rule
   * levels. Never throws.
   */
  lintVarnishlogFile(path: string | Buffer, shown?: string): VarnishlogFileResult {
    const result = diagnoseVarnishlogFile(path);
    if (result.kind !== 'diagnostics') return result;
    return { ...result, diagnostics: this.linkedCapture(result.diagnostics, result.findings, shown ?? String(path)) };
  }

  /**
   * A capture's diagnostics tied to the parameter files known to the
   * project: what the capture proves is remembered (so that linting those
   * files afterwards offers the fix it asks for), and each finding a
   * parameter controls names where it is set and offers that fix.
   */
  private linkedCapture(diagnostics: readonly LintDiagnostic[], findings: readonly CaptureFinding[], shown: string): LintDiagnostic[] {
    this.proofs.set(shown, limitProofs(findings, shown));
    const files = this.workspace.paramsTexts().map((f) => ({ ...f, diagnostics: this.lintParamsAt(f.path, undefined, f.text) }));
    return applyRuleLevels(linkToSettings(diagnostics, findings, files, this.varnishVersion, this.workspace.vclTexts()), this.settings.ruleLevels);
  }

  /** Trust granted after start; true when it was not trusted before. */
  trust(): boolean {
    if (this.trusted) return false;
    this.trusted = true;
    this.workspace.setTrust(true);
    this.changed();
    return true;
  }

  /**
   * The `vcl` section of the editor's settings, as pulled from it. Its
   * folders count only in a trusted workspace. Returns warnings for the
   * log (unknown rule ids), never throws.
   */
  configure(section: unknown): string[] {
    const vcl = (typeof section === 'object' && section !== null ? section : {}) as {
      includePaths?: unknown;
      vmodPath?: unknown;
      maxResponseHeaderBytes?: unknown;
      errUnref?: unknown;
      allowInlineC?: unknown;
      varnishVersion?: unknown;
      lint?: { rules?: unknown };
    };
    this.workspace.setIncludePaths(this.trusted ? stringList(vcl.includePaths) : this.ownIncludePaths);
    const levels = checkRuleLevels(vcl.lint?.rules, knownRuleIds);
    const warnings = levels.warnings.map((w) => `vcl.lint.rules: ${w}`);
    const version = settingVersion(vcl.varnishVersion);
    if (version.warning) warnings.push(version.warning);
    const max = vcl.maxResponseHeaderBytes;
    this.settings = {
      vmodPath: this.trusted ? stringList(vcl.vmodPath) : this.ownVmodPath,
      errUnref: vcl.errUnref !== false,
      allowInlineC: vcl.allowInlineC === true,
      ruleLevels: levels.levels,
      ...(typeof max === 'number' && max > 0 ? { maxResponseHeaderBytes: max } : {}),
      ...(version.version ? { varnishVersion: version.version } : {}),
    };
    this.changed();
    return warnings;
  }

  /**
   * The Varnish release the analyses check against: the one the settings
   * name, else the one the workspace's Dockerfile, compose file or unit
   * runs ({@link detectRelease}), else the default.
   */
  get varnishVersion(): VarnishVersion {
    return this.settings.varnishVersion ?? this.crossFacts().detected?.version ?? DEFAULT_VARNISH_VERSION;
  }

  /** The release in effect as the client's status bar shows it. */
  releaseStatus(): StatusRelease {
    const version = this.varnishVersion;
    const source = this.varnishVersionSource;
    return {
      version,
      name: productName(version),
      derived: releaseOf(version).evidence === 'derived',
      source:
        source.kind === 'setting'
          ? 'the vcl.varnishVersion setting'
          : source.kind === 'detected'
            ? `${source.detected.path}:${source.detected.line} (${source.detected.evidence})`
            : 'the default (set vcl.varnishVersion to choose)',
    };
  }

  /** Where the release in effect comes from, in words: `setting`, `default`, or the file and line that named it. */
  get varnishVersionSource(): { kind: 'setting' | 'default' } | { kind: 'detected'; detected: DetectedRelease } {
    if (this.settings.varnishVersion) return { kind: 'setting' };
    const detected = this.crossFacts().detected;
    return detected ? { kind: 'detected', detected } : { kind: 'default' };
  }

  /** Records a document's new text (open or change). */
  update(document: TextDocument): void {
    this.documents.set(document.uri, document);
    const text = document.getText();
    const previous = this.recorded.get(document.uri);
    if (previous?.text === text && previous.languageId === document.languageId) return;
    this.recorded.set(document.uri, { text, languageId: document.languageId });
    const path = uriToPath(document.uri);
    if (document.languageId === 'vcl') this.workspace.setOpen(path, text);
    else if (this.isParams(document)) this.workspace.setOpenParams(path, text);
    this.changed();
  }

  /** Forgets a closed document; the disk's text of its file (if any) counts again. */
  close(uri: string): void {
    this.documents.delete(uri);
    this.recorded.delete(uri);
    this.analyses.get(uri)?.release();
    this.analyses.delete(uri);
    this.workspace.close(uriToPath(uri));
    // Its previous version is no base for a next one; its declarations age out of the parser's cache.
    this.parser.forget(uriToPath(uri));
    // A closed capture proves nothing more to the parameter files.
    this.proofs.delete(uri.startsWith('file:') ? uriToPath(uri) : uri);
    this.changed();
  }

  /** @internal What the project's parser keeps (parsed declarations, documents with a previous version), for tests. */
  parserCaches(): { declarations: number; documents: number } {
    return this.parser.size;
  }

  /** The open document at `uri`, at its latest version. */
  document(uri: string): TextDocument | undefined {
    return this.documents.get(uri);
  }

  /** Every open document. */
  openDocuments(): TextDocument[] {
    return [...this.documents.values()];
  }

  /** Whether the project checks the document: VCL, a file that carries varnishd options, or a varnishlog capture. */
  checks(document: TextDocument): boolean {
    return document.languageId === 'vcl' || document.languageId === 'varnishlog' || this.isParams(document);
  }

  /** The analysis of the latest version of an open document (refused text included). */
  analysis(uri: string): DocumentAnalysis | undefined {
    const document = this.documents.get(uri);
    if (document === undefined) return undefined;
    const known = this.analyses.get(uri);
    if (known?.version === document.version && known.generation === this.generation) return known;
    // Superseded: nothing reads it again, so the parser may reuse its trees.
    known?.release();
    const made = new DocumentAnalysis(this, document, this.generation);
    this.analyses.set(uri, made);
    return made;
  }

  /**
   * The one way a request reaches a document (`params.textDocument.uri`):
   * the analysis of an open document whose text the tools accept, else
   * nothing, so that every handler gives its empty answer for text refused.
   */
  request(params: unknown): DocumentAnalysis | undefined {
    const uri = (params as { textDocument?: { uri?: unknown } } | null | undefined)?.textDocument?.uri;
    if (typeof uri !== 'string') return undefined;
    const analysis = this.analysis(uri);
    return analysis?.accepted ? analysis : undefined;
  }

  /**
   * `request` plus the request's `params.position` as an offset, or nothing
   * when the position is not two unsigned integers.
   */
  requestAt(params: unknown): { analysis: DocumentAnalysis; offset: number } | undefined {
    const analysis = this.request(params);
    if (analysis === undefined) return undefined;
    const position = (params as { position?: unknown }).position;
    if (!isPosition(position)) return undefined;
    return { analysis, offset: analysis.lines.offsetAt(position) };
  }

  /**
   * The open documents whose diagnostics may change with `document`: for
   * VCL, the files that include it or that it includes, and the parameter
   * files (they check their buffers against the VCL's tag headers); for a
   * parameter file, the VCL (its tag-header hints depend on the parameter
   * files), and for a Kubernetes manifest the other open manifests too (its
   * workloads may mount their ConfigMaps); for a capture, the parameter
   * files (they hear what it proved),
   * and for the others the open captures (they name the settings in force).
   */
  related(document: TextDocument): TextDocument[] {
    const open = this.openDocuments();
    // A capture tells the parameter files what it proved (http_resp_hdr_len, http_max_hdr too small);
    // its own findings name the settings of the parameter files and the VCL's backends.
    const captures = open.filter((d) => d.languageId === 'varnishlog' && d.uri !== document.uri);
    if (document.languageId === 'varnishlog') return open.filter((d) => d.languageId !== 'vcl' && d.languageId !== 'varnishlog' && this.isParams(d));
    if (document.languageId !== 'vcl') {
      // A manifest's workloads say where the ConfigMaps of the other manifests are mounted.
      const manifests = this.isManifest(document) ? open.filter((d) => d.uri !== document.uri && this.isManifest(d)) : [];
      return [...open.filter((d) => d.languageId === 'vcl'), ...captures, ...manifests];
    }
    const out = new Set<TextDocument>();
    for (const related of this.workspace.related(uriToPath(document.uri))) {
      const other = this.documents.get(pathToFileURL(related).href);
      if (other) out.add(other);
    }
    for (const other of open) if (other.languageId !== 'vcl' && other.languageId !== 'varnishlog' && this.isParams(other)) out.add(other);
    for (const capture of captures) out.add(capture);
    return [...out];
  }

  /** The workspace's VCL files (open documents win), for workspace-wide features. */
  vclTexts(): Array<{ path: string; text: string }> {
    return this.workspace.vclTexts();
  }

  /** Reads a file of the workspace as the analyses see it (an open document's text wins). */
  readFile(path: string): string | undefined {
    return this.workspace.host().readFile(path);
  }

  /** The include host the analyses read other files through. */
  includeHost() {
    return this.workspace.host();
  }

  /** A Kubernetes manifest with Varnish configuration (its ConfigMaps' VCL, its workloads' mounts and options). */
  private isManifest(document: TextDocument): boolean {
    if (document.languageId === 'vcl' || document.languageId === 'varnishlog') return false;
    return detectedKind(document) === 'kubernetes';
  }

  /** A document in another language than VCL that carries varnishd options. */
  isParams(document: TextDocument): boolean {
    if (document.languageId === 'varnish-params') return true;
    if (!LANGUAGES.has(document.languageId) || document.languageId === 'vcl') return false;
    return detectedKind(document) !== undefined;
  }

  /** @internal Diagnoses a varnishlog capture held by the editor, with the project's rule levels. */
  lintVarnishlog(text: string, uri = 'capture'): LintDiagnostic[] {
    return this.diagnoseCapture(text, uri).diagnostics;
  }

  /** @internal A capture's diagnostics (tied to the project's files) and the findings they come from. */
  diagnoseCapture(text: string, uri = 'capture'): { diagnostics: LintDiagnostic[]; findings: readonly CaptureFinding[] } {
    const { diagnostics, findings } = diagnoseVarnishlogText(text);
    return { diagnostics: this.linkedCapture(diagnostics, findings, uri.startsWith('file:') ? uriToPath(uri) : uri), findings };
  }

  /** @internal Analyses a VCL text of an editor document with the project's settings. */
  analyseVcl(uri: string, text: string): VclAnalysis {
    // A document that is not a file (untitled:) has no folder to resolve includes from.
    return this.analyseVclAt(uriToPath(uri), text, false, uri.startsWith('file:'));
  }

  private analyseVclAt(path: string, text: string, isIncluded: boolean, withIncludes = true): VclAnalysis {
    return analyseVcl(text, this.vclOptions(path, isIncluded, withIncludes ? this.workspace.host() : undefined));
  }

  /** The options every VCL analysis of the project runs with. */
  private vclOptions(path: string, isIncluded: boolean, includeHost: IncludeHost | undefined): LintOptions {
    return {
      path,
      languageId: 'vcl',
      ...(isIncluded ? { isIncluded } : {}),
      ...(includeHost ? { includeHost } : {}),
      responseHeaderLimit: this.crossFacts().responseHeaderLimit,
      vmodPath: this.settings.vmodPath,
      errUnref: this.settings.errUnref,
      allowInlineC: this.settings.allowInlineC,
      ruleLevels: this.settings.ruleLevels,
      varnishVersion: this.varnishVersion,
      ...(this.checksEveryPart ? { maxPartsChecked: Infinity } : {}),
      parser: this.parser,
    };
  }

  /** @internal Lints a parameter-file text of an editor document with the project's settings. */
  lintParams(document: TextDocument, text: string): LintDiagnostic[] {
    const path = uriToPath(document.uri);
    return this.lintParamsAt(path, document.languageId === 'varnish-params' ? undefined : detectParamsKind(path, text), text);
  }

  private lintParamsAt(path: string, given: ReturnType<typeof detectParamsKind>, text: string): LintDiagnostic[] {
    // What the file is, found once: the parameter lint reads it as that, and manifests add their VCL.
    const kind = given ?? detectParamsKind(path, text);
    if (kind === 'helm-template') return applyRuleLevels([HELM_TEMPLATE], this.settings.ruleLevels);
    const { maxResponseHeaderBytes, ruleLevels } = this.settings;
    const observedLongHeader = this.observedNeed('resp-header-too-long', path, text);
    const observedTooManyHeaders = this.observedNeed('resp-too-many-headers', path, text);
    const observedHeadOverflow = this.observedNeed('resp-headers-overflow', path, text);
    const params = lintParamsText(text, {
      path,
      kind,
      tagHeaders: this.crossFacts().tagHeaders,
      maxResponseHeaderBytes,
      ruleLevels,
      varnishVersion: this.varnishVersion,
      ...(observedLongHeader ? { observedLongHeader } : {}),
      ...(observedTooManyHeaders ? { observedTooManyHeaders } : {}),
      ...(observedHeadOverflow ? { observedHeadOverflow } : {}),
    });
    return kind === 'kubernetes' || kind === 'helm-values' ? [...params, ...this.lintManifestVcl(path, text)] : params;
  }

  /**
   * The program of the VCL key at `offset` of a manifest (for hover and
   * completion inside a ConfigMap's VCL), analysed as lint analyses it,
   * handed to `use`, then released. Undefined outside every key's VCL.
   */
  withEmbeddedVcl<T>(manifest: { path: string; text: string }, offset: number, use: (embedded: { at: EmbeddedAt; program: ProgramModel; scope: VmodScope }) => T): T | undefined {
    const at = embeddedVclAt(manifest.text, offset, this.crossFacts().otherMounts(manifest.path));
    if (!at) return undefined;
    const analysis = analyseVcl(at.part.text, this.vclOptions(at.part.path, at.isIncluded, at.host));
    try {
      const program = modelOf(analysis);
      return use({ at, program, scope: this.vmodScope(program) });
    } finally {
      releaseVcl(analysis);
    }
  }

  /** The VCL of a manifest's ConfigMaps, each key analysed as the file the pod mounts, in the manifest's lines. */
  private lintManifestVcl(path: string, text: string): LintDiagnostic[] {
    return lintManifestVcl(
      text,
      (mounted, vcl, isIncluded, host) => {
        const analysis = analyseVcl(vcl, { ...this.vclOptions(mounted, isIncluded, host), maxPartsChecked: Infinity });
        try {
          return lintAnalysed(analysis);
        } finally {
          releaseVcl(analysis);
        }
      },
      // Its ConfigMaps may be mounted by a Deployment in another file.
      this.crossFacts().otherMounts(path),
    );
  }

  /**
   * What the captures read so far ask of the parameter file at `path` for
   * `cause`. The need is sized from the limit in force when the file was
   * read (not from a text that fixes have already raised), so applying the
   * fix ends it.
   */
  private observedNeed(cause: string, path: string, text: string): ObservedNeed | undefined {
    const proofs = [...this.proofs.values()].flat().filter((p) => p.cause === cause);
    if (proofs.length === 0) return undefined;
    const original = this.workspace.paramsTexts().find((f) => f.path === path)?.text ?? text;
    const limit = limitInForce(cause, path, original, this.varnishVersion);
    return limit ? observedNeedFor(cause, proofs, limit) : undefined;
  }

  /**
   * The response-header limit the parameter files set, the tag headers the
   * VCL handles, the release the files run and the manifests' mounts, for
   * this generation (each worked out when first asked for).
   */
  private crossFacts(): CrossFacts {
    if (this.facts?.generation !== this.generation) this.facts = new CrossFacts(this.generation, this.workspace);
    return this.facts;
  }

  /** @internal The vmods a program imports, read from the vmod path as bytes (never loaded). */
  vmodScope(program: ProgramModel): VmodScope {
    return vmodScope(program.model, vmodResolverFor(this.settings.vmodPath, (p) => this.workspace.refuses(p), this.varnishVersion));
  }

  /** @internal Converts service diagnostics for publishing; `uri` places related information in the document itself. */
  published(list: readonly LintDiagnostic[], uri?: string): Diagnostic[] {
    return toLspDiagnostics(list, this.ruleDocUri, uri);
  }

  /** @internal */
  failed(what: string, err: unknown): void {
    this.log.error(`${what}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  }

  private changed(): void {
    this.generation++;
  }
}

/**
 * One version of one document, analysed once: its diagnostics, and for VCL
 * the parse, the program's semantic model and its vmods, each made when
 * first asked for. Every editor feature reads it from here.
 */
export class DocumentAnalysis {
  /** Why the tools refuse the text, when they do; such an analysis has nothing but that diagnostic. */
  readonly refusal: string | undefined;
  /** The version's text and lines; the editor's document object moves on to later versions in place. */
  readonly text: string;
  readonly version: number;
  readonly uri: string;
  readonly languageId: string;
  private linesMemo: TextDocument | undefined;
  private vcl: VclAnalysis | undefined;
  private program: ProgramModel | undefined;
  private scopeMemo: VmodScope | undefined;
  private diagnosticsMemo: Diagnostic[] | undefined;
  private captureMemo: { diagnostics: LintDiagnostic[]; findings: readonly CaptureFinding[] } | undefined;
  private released = false;

  /** @internal Made by {@link Project.analysis}. */
  constructor(
    private readonly project: Project,
    document: TextDocument,
    readonly generation: number,
  ) {
    this.uri = document.uri;
    this.version = document.version;
    this.languageId = document.languageId;
    this.text = document.getText();
    const input = checkText(this.text);
    this.refusal = input.ok ? undefined : input.reason;
  }

  /** Whether the tools accept the text (not too large, not binary). */
  get accepted(): boolean {
    return this.refusal === undefined;
  }

  /** The document's path (its uri when it is not a file). */
  get path(): string {
    return uriToPath(this.uri);
  }

  get isVcl(): boolean {
    return this.languageId === 'vcl';
  }

  /** A parameter file (its own language, or another that runs varnishd). */
  get isParams(): boolean {
    return !this.isVcl && !this.isVarnishlog && this.project.isParams(this.lines);
  }

  /** A varnishlog capture (the 503 doctor reads it). */
  get isVarnishlog(): boolean {
    return this.languageId === 'varnishlog';
  }

  /** The diagnostics to publish. Never throws: a failing service is one diagnostic at the start. */
  diagnostics(): Diagnostic[] {
    return (this.diagnosticsMemo ??= this.makeDiagnostics());
  }

  private makeDiagnostics(): Diagnostic[] {
    if (!this.isVcl && !this.isVarnishlog && !this.isParams) return [];
    if (this.refusal !== undefined) return this.project.published([atStart('input', 'error', this.isVarnishlog ? captureRefusal(this.refusal) : this.refusal)]);
    try {
      if (this.isVcl) return this.project.published(lintAnalysed(this.vclAnalysis()), this.uri);
      // Related lines of a capture's findings are its own lines: the uri places them in this document.
      if (this.isVarnishlog) return this.project.published(this.capture().diagnostics, this.uri);
      return this.project.published(this.project.lintParams(this.lines, this.text));
    } catch (err) {
      const which = this.isVcl ? 'VCL' : this.isVarnishlog ? 'varnishlog' : 'parameter-file';
      this.project.failed(`${which} lint failed for ${this.uri}`, err);
      const reason = err instanceof Error ? err.message : String(err);
      return this.project.published([atStart('internal-error', 'error', `Internal error in the ${which} linter: ${reason}`)]);
    }
  }

  /** A capture's diagnosis: its diagnostics and the findings behind them (none for refused text or another language). */
  capture(): { diagnostics: LintDiagnostic[]; findings: readonly CaptureFinding[] } {
    if (!this.isVarnishlog || this.refusal !== undefined) return { diagnostics: [], findings: [] };
    return (this.captureMemo ??= this.project.diagnoseCapture(this.text, this.uri));
  }

  /** The VCL parse of this version. */
  parse(): ParseResult {
    return this.vclAnalysis().ctx.parse;
  }

  /** The semantic model of the program this VCL document belongs to (includes followed). */
  model(): ProgramModel {
    return (this.program ??= modelOf(this.vclAnalysis()));
  }

  /** The vmods and objects of the program. */
  scope(): VmodScope {
    return (this.scopeMemo ??= this.project.vmodScope(this.model()));
  }

  /** This version's text as lines, for positions. */
  get lines(): TextDocument {
    return (this.linesMemo ??= TextDocument.create(this.uri, this.languageId, this.version, this.text));
  }

  /**
   * A file of the program as lines: this document itself, or another file
   * read through the workspace; undefined when it cannot be read.
   */
  linesOf(path: string): TextDocument | undefined {
    if (path === this.path) return this.lines;
    const text = this.project.readFile(path);
    return text === undefined ? undefined : TextDocument.create(pathToFileURL(path).href, 'vcl', 0, text);
  }

  /** Hands the parse trees back to the parser; the analysis is not read again. */
  release(): void {
    if (this.released) return;
    this.released = true;
    if (this.vcl) releaseVcl(this.vcl);
  }

  private vclAnalysis(): VclAnalysis {
    if (this.refusal !== undefined) throw new Error('refused text has no analysis');
    if (this.released) throw new Error('analysis used after it was released');
    return (this.vcl ??= this.project.analyseVcl(this.uri, this.text));
  }
}

/**
 * The input guard's reason in a capture's words: the editor holds the whole
 * text, so it keeps the 10 MB limit, and the CLI reads larger captures.
 */
function captureRefusal(reason: string): string {
  if (/too large/.test(reason)) return `${reason}; \`vcl-lint --varnishlog FILE\` reads a capture of any size`;
  return reason.replace(/not VCL text$/, "not a varnishlog capture (save varnishlog's text output, not its -w binary file)");
}

function atStart(rule: string, severity: LintDiagnostic['severity'], message: string): LintDiagnostic {
  return { rule, severity, message, range: ZERO_RANGE };
}

/**
 * `vcl.varnishVersion` as the editor gives it: a supported version (`7.7`,
 * also `7.7.0`), nothing when unset or empty (the default applies), or a
 * warning for the log when it names no supported version.
 */
function settingVersion(v: unknown): { version?: VarnishVersion; warning?: string } {
  if (v === undefined || v === null || v === '') return {};
  const version = typeof v === 'string' ? parseVarnishVersion(v) : undefined;
  if (version) return { version };
  return { warning: `vcl.varnishVersion: '${String(v)}' is not a supported Varnish version (${versionListText()}); using ${DEFAULT_VARNISH_VERSION}` };
}

function stringList(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

/** What kind of parameter file an editor document is, by its name and its first 64 KB; undefined for none. */
function detectedKind(document: TextDocument): ReturnType<typeof detectParamsKind> {
  return detectParamsKind(uriToPath(document.uri), document.getText().slice(0, 65536));
}

/** The service resolves includes against file paths; other schemes (untitled:) keep the uri. */
export function uriToPath(uri: string): string {
  if (!uri.startsWith('file:')) return uri;
  try {
    return fileURLToPath(uri);
  } catch {
    return uri;
  }
}
