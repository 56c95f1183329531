/**
 * The language service's lint entry point: text in, diagnostics out.
 * A rule that throws becomes one internal diagnostic; the others still run.
 */
import { releaseParse, sharedParser, type Parser, type ParseResult } from '../syntax/parse.js';
import { rules, type RuleContext } from '../rules/index.js';
import { LineIndex, lineIndexFor } from '../text/line-index.js';
import { buildSemanticModel, type SemanticModel } from '../analysis/semantic-model.js';
import { includeCandidates, includeDeclsOf, loadIncludeTree, type IncludeHost, type IncludeProblem, type IncludeTree } from '../analysis/include-tree.js';
import type * as A from '../syntax/ast.js';
import { dirname, relative } from 'node:path';
import type { LintDiagnostic, LintOptions } from './types.js';
import type { VmodResolver } from '../analysis/typecheck.js';
import { builtinVmod, findVmod, loadVmodFromFile } from '../vmods/index.js';
import { runRules } from './findings.js';
import { applySuppressions } from './suppressions.js';
import { applyRuleLevels } from './severity-config.js';
import { DEFAULT_VARNISH_VERSION } from '../facts/versions.js';

/** Lints one VCL document. Never throws. */
export function lintText(text: string, options: LintOptions = {}): LintDiagnostic[] {
  const analysis = analyseVcl(text, options);
  try {
    return lintAnalysed(analysis);
  } finally {
    // Diagnostics are plain data: the trees may be reused by the next edit's parse.
    releaseVcl(analysis);
  }
}

/**
 * One VCL document analysed as part of its program: its parse, the program
 * it belongs to (semantic model built on first use) and what the rules
 * see. Lint and the editor features read the same object, so a version of
 * a document is parsed and modelled once. Its owner releases it
 * ({@link releaseVcl}) when nothing reads it any more.
 */
export interface VclAnalysis {
  readonly text: string;
  readonly options: LintOptions;
  /** What the rules see. */
  readonly ctx: RuleContext;
  /** The document's file id in the semantic model (findings with another id belong to other files). */
  readonly selfId: string;
  /** Every parse this analysis holds (its own first). */
  readonly parses: ParseResult[];
  /** The files the document includes, when it is the top file of its program. */
  readonly tree?: IncludeTree;
  /** The file through which the document was analysed, when another file includes it. */
  readonly root?: string;
}

/** Parses and places one VCL document in its program; the semantic model is built when first asked for. */
export function analyseVcl(text: string, options: LintOptions = {}): VclAnalysis {
  const parsed = (options.parser ?? sharedParser()).parse(text, options.path);
  const program = analyseProgram(text, parsed, options);
  const ctx: RuleContext = {
    text,
    parse: parsed,
    isIncluded: options.isIncluded === true || program.root !== undefined,
    wholeProgram: program.whole,
    errUnref: options.errUnref !== false,
    allowInlineC: options.allowInlineC === true,
    varnishVersion: options.varnishVersion ?? DEFAULT_VARNISH_VERSION,
    responseHeaderLimit: options.responseHeaderLimit,
    resolveVmod: vmodResolverFor(options.vmodPath ?? [], options.includeHost?.refuses?.bind(options.includeHost), options.varnishVersion ?? DEFAULT_VARNISH_VERSION),
    refusesFile: options.includeHost?.refuses?.bind(options.includeHost),
    vmodPath: options.vmodPath ?? [],
    includeProblems: program.includeProblems,
    semantic: program.semantic,
  };
  return { text, options, ctx, selfId: program.selfId, parses: [parsed, ...program.parses], ...(program.tree ? { tree: program.tree } : {}), ...(program.root !== undefined ? { root: program.root } : {}) };
}

/** The diagnostics of an analysed document. Never throws; a rule that fails becomes one internal diagnostic. */
export function lintAnalysed(analysis: VclAnalysis): LintDiagnostic[] {
  const { text, ctx, selfId, tree, options } = analysis;
  const index = lineIndexFor(text);
  // Findings in other files of the include tree belong to those files.
  const found = runRules(rules, ctx, index, (f) => f.file === undefined || f.file === selfId, ctx.parse.ast.declarations);
  if (tree && options.includedErrors !== false) found.push(...includedFileErrors(text, ctx.parse, tree, index, options));
  return applyRuleLevels(applySuppressions(found, ctx.parse.ast.comments, index), options.ruleLevels);
}

/** The semantic model of an analysed document's program, for the editor features. */
export function modelOf(analysis: VclAnalysis): ProgramModel {
  const { root, options } = analysis;
  return { model: analysis.ctx.semantic(), selfId: analysis.selfId, pathOf: (id) => (id === '' ? (root ?? options.path) : id) };
}

/** Declares that nothing reads the analysis any more, so that the parser may reuse its trees. */
export function releaseVcl(analysis: VclAnalysis): void {
  for (const p of analysis.parses) releaseParse(p);
}

/**
 * What the rules see for one document, and the document's file id in the
 * semantic model (findings with another id belong to other files). Used by
 * tests that run rules outside the registry.
 */
export function ruleContextFor(text: string, options: LintOptions = {}): { ctx: RuleContext; selfId: string; parses: ParseResult[]; tree?: IncludeTree } {
  return analyseVcl(text, options);
}

/** At most this many of an included file's errors travel as related information. */
const MAX_RELATED_ERRORS = 50;

/**
 * At most this many included files are linted for the top file's
 * `included-file-errors`. Each is linted as part of the whole program, so a
 * program of thousands of files would cost thousands of whole-program
 * analyses on every edit of the top file; real programs have a few dozen.
 */
export const MAX_PARTS_CHECKED = 100;

/**
 * `included-file-errors`: for each include of the top file of a program, the
 * errors of the file it includes (and of the files that one includes), each
 * linted as part of this program, as one error at the include with the
 * errors as related information. varnishd refuses the whole program for an
 * error in any of its files, so the top file must not look clean.
 */
function includedFileErrors(text: string, parsed: ParseResult, tree: IncludeTree, index: LineIndex, options: LintOptions): LintDiagnostic[] {
  const host = options.includeHost!;
  const root = options.path!;
  const byPath = new Map(tree.files.map((f) => [f.path, f]));
  // The included files are analysed as parts of this program, with this document's text.
  const view: IncludeHost = {
    ...host,
    readFile: (p) => (p === root ? text : host.readFile(p)),
    includersOf: (p) => (byPath.has(p) ? [root] : (host.includersOf?.(p) ?? [])),
    // Every part's program is this one, under one key of the program cache: loaded once, not once per part.
    firstIncluderOf: (p) => (byPath.has(p) ? root : host.firstIncluderOf?.(p)),
  };
  const targetOf = (decl: A.IncludeDecl, from: string): string | undefined => {
    if (!decl.path || decl.flag || !tree.resolved.has(decl)) return undefined;
    for (const c of includeCandidates(decl.path.value, from, host.searchPath)) {
      const real = host.resolve ? host.resolve(c) : c;
      if (real !== undefined && byPath.has(real)) return real;
    }
    return undefined;
  };
  const includesOf = (program: A.Program, from: string): Array<{ decl: A.IncludeDecl; target: string }> => {
    const out: Array<{ decl: A.IncludeDecl; target: string }> = [];
    for (const decl of includeDeclsOf(program)) {
      const target = targetOf(decl, from);
      if (target !== undefined) out.push({ decl, target });
    }
    return out;
  };
  const errorsOf = new Map<string, LintDiagnostic[]>();
  const unchecked = new Set<string>();
  const errors = (p: string): LintDiagnostic[] => {
    let found = errorsOf.get(p);
    if (!found) {
      if (errorsOf.size >= (options.maxPartsChecked ?? MAX_PARTS_CHECKED)) {
        unchecked.add(p);
        return [];
      }
      const file = byPath.get(p)!;
      found = lintText(file.text, { ...options, path: p, isIncluded: true, includeHost: view, includedErrors: false }).filter((d) => d.severity === 'error');
      errorsOf.set(p, found);
    }
    return found;
  };
  const out: LintDiagnostic[] = [];
  for (const { decl, target } of includesOf(parsed.ast, root)) {
    // The included file first, then the files it includes, each once.
    const files = [target];
    const seen = new Set(files);
    for (let i = 0; i < files.length; i++) {
      for (const next of includesOf(byPath.get(files[i]!)!.parse.ast, files[i]!)) {
        if (!seen.has(next.target)) {
          seen.add(next.target);
          files.push(next.target);
        }
      }
    }
    const all = files.flatMap((f) => errors(f).map((d) => ({ file: f, d })));
    if (all.length === 0) continue;
    const first = all[0]!;
    const count = `${all.length} error${all.length === 1 ? '' : 's'}`;
    const inWhat = files.length > 1 && all.some((e) => e.file !== target) ? `Included file '${decl.path!.value}' and the files it includes have ${count}` : `Included file '${decl.path!.value}' has ${count}`;
    out.push({
      rule: 'included-file-errors',
      severity: 'error',
      message: `${inWhat}, so varnishd refuses the whole program. First: ${relative(dirname(root), first.file) || first.file}:${first.d.range.start.line + 1}:${first.d.range.start.character + 1}: ${first.d.message} (${first.d.rule})`,
      range: index.range(decl.path!.start, decl.path!.end),
      related: all.slice(0, MAX_RELATED_ERRORS).map((e) => ({ path: e.file, range: e.d.range, message: `${e.d.rule}: ${e.d.message}` })),
    });
  }
  const firstInclude = includesOf(parsed.ast, root)[0];
  if (unchecked.size > 0 && firstInclude) {
    out.push({
      rule: 'included-file-errors',
      severity: 'info',
      message: `The program includes more than ${MAX_PARTS_CHECKED} files: ${unchecked.size} of them were not checked for errors from here. Lint them directly (vcl-lint on their folder) to see their errors.`,
      range: index.range(firstInclude.decl.path!.start, firstInclude.decl.path!.end),
    });
  }
  return out;
}

/**
 * vmods by `import x from "path"` (that file, unless `refuses` gives a
 * reason not to read it), else along vmod_path, else the table of vmods
 * `release` ships (Varnish's own and varnish-modules).
 */
export function vmodResolverFor(vmodPath: readonly string[], refuses?: (path: string) => string | undefined, release: string = DEFAULT_VARNISH_VERSION): VmodResolver {
  return (name, from) => {
    if (from) {
      if (refuses?.(from) !== undefined) return undefined;
      const v = loadVmodFromFile(from, name);
      return 'error' in v ? undefined : v;
    }
    if (vmodPath.length) {
      const found = findVmod(name, vmodPath);
      if (!('error' in found)) return found.vmod;
    }
    return builtinVmod(name, release);
  };
}

/**
 * The semantic model of the program a document belongs to, for navigation:
 * `selfId` is the document's file id in it, `pathOf` turns a file id into a path.
 */
export interface ProgramModel {
  model: SemanticModel;
  selfId: string;
  pathOf: (fileId: string) => string | undefined;
}

interface ProgramView {
  /** The semantic model, built on first use. */
  semantic: () => SemanticModel;
  /** The document's id in the model's file ids ('' when it is the root). */
  selfId: string;
  /** The file through which the document was analysed, when it is included by one. */
  root?: string;
  /** True when the model covers a whole program: no unresolved include, no unknown includer. */
  whole: boolean;
  includeProblems: IncludeProblem[];
  /** The parses of the other files of the program. */
  parses: ParseResult[];
  /** The files the document includes, when it is the top file of its program. */
  tree?: IncludeTree;
}

/** A program loaded through its top-level file: its model and its include problems by file. */
interface IncludedProgram {
  semantic: () => SemanticModel;
  problems: Map<string, IncludeProblem[]>;
}

function includedProgram(root: string, view: IncludeHost, release: string, parser: Parser): { value: IncludedProgram | undefined; parses: ParseResult[] } {
  const rootText = view.readFile(root);
  if (rootText === undefined) return { value: undefined, parses: [] };
  const rootParse = parser.parse(rootText, root);
  const tree = loadIncludeTree(root, rootParse, view, parser);
  const problems = new Map<string, IncludeProblem[]>();
  for (const p of tree.problems) {
    const list = problems.get(p.file);
    if (list) list.push(p);
    else problems.set(p.file, [p]);
  }
  let model: SemanticModel | undefined;
  const semantic = () => (model ??= buildSemanticModel(rootParse.ast, tree.files.map((f) => ({ file: f.path, program: f.parse.ast })), tree.resolved, release));
  return { value: { semantic, problems }, parses: [rootParse, ...tree.files.map((f) => f.parse)] };
}

/**
 * Decides which program the document is analysed as: on its own, with the
 * files it includes (given an include host), or as part of a file that
 * includes it.
 */
function analyseProgram(text: string, parsed: ParseResult, options: LintOptions): ProgramView {
  const host: IncludeHost | undefined = options.includeHost;
  const path = options.path;
  const release = options.varnishVersion ?? DEFAULT_VARNISH_VERSION;
  const parser = options.parser ?? sharedParser();
  // A file without `vcl 4.x;` that nothing known includes is most likely a
  // fragment of a program we cannot see; judge no names in it.
  const standalone = options.isIncluded !== true && parsed.ast.declarations.some((d) => d.kind === 'VersionDecl');
  if (!host || !path) {
    let model: SemanticModel | undefined;
    return { semantic: () => (model ??= buildSemanticModel(parsed.ast, [], new Set(), release)), selfId: '', whole: standalone, includeProblems: [], parses: [] };
  }
  // Serve this document's own text, whatever the host has for its path.
  const view: IncludeHost = { ...host, readFile: (p) => (p === path ? text : host.readFile(p)) };
  const root = host.firstIncluderOf ? host.firstIncluderOf(path) : host.includersOf?.(path).find((r) => r !== path);
  if (root !== undefined && root !== path) {
    // The host's own text for this file gives the same program for every file of it: keep it.
    const cache = host.programs && host.readFile(path) === text ? host.programs : undefined;
    // Keyed by release too: the same files make another model for another release.
    const made = cache ? { value: cache.get(`${release} ${root}`, () => includedProgram(root, view, release, parser)), parses: [] } : includedProgram(root, view, release, parser);
    if (made.value) {
      return {
        semantic: made.value.semantic,
        selfId: path,
        root,
        whole: true,
        includeProblems: made.value.problems.get(path) ?? [],
        parses: made.parses,
      };
    }
  }
  const tree = loadIncludeTree(path, parsed, view, parser);
  let model: SemanticModel | undefined;
  return {
    semantic: () => (model ??= buildSemanticModel(parsed.ast, tree.files.map((f) => ({ file: f.path, program: f.parse.ast })), tree.resolved, release)),
    selfId: '',
    whole: standalone,
    includeProblems: tree.problems.filter((p) => p.file === ''),
    parses: tree.files.map((f) => f.parse),
    tree,
  };
}
