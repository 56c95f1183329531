/**
 * The language service's lint entry point: text in, diagnostics out.
 * A rule that throws becomes one internal diagnostic; the others still run.
 */
import { parse, releaseParse, type ParseResult } from '../syntax/parse.js';
import { rules, type RuleContext } from '../rules/index.js';
import { LineIndex } from '../analysis/line-index.js';
import { buildSemanticModel, type SemanticModel } from '../analysis/semantic-model.js';
import { loadIncludeTree, type IncludeHost, type IncludeProblem } from '../analysis/include-tree.js';
import type { LintDiagnostic, LintOptions } from './types.js';
import type { VmodResolver } from '../analysis/typecheck.js';
import { builtinVmod, findVmod, loadVmodFromFile } from '../vmods/index.js';
import { runRules } from './findings.js';
import { applySuppressions } from './suppressions.js';
import { applyRuleLevels } from './severity-config.js';
import { RecentResults } from './recent-results.js';

/** Lints one VCL document. Never throws. */
export function lintText(text: string, options: LintOptions = {}): LintDiagnostic[] {
  const index = new LineIndex(text);
  const { ctx, selfId, parses } = ruleContextFor(text, options);
  try {
    // Findings in other files of the include tree belong to those files.
    const found = runRules(rules, ctx, index, (f) => f.file === undefined || f.file === selfId);
    return applyRuleLevels(applySuppressions(found, ctx.parse.ast.comments, index), options.ruleLevels);
  } finally {
    // Diagnostics are plain data: the trees may be reused by the next edit's parse.
    for (const p of parses) releaseParse(p);
  }
}

/**
 * What the rules see for one document, and the document's file id in the
 * semantic model (findings with another id belong to other files). Also used
 * by tests that run rules outside the registry.
 */
export function ruleContextFor(text: string, options: LintOptions = {}): { ctx: RuleContext; selfId: string; parses: ParseResult[] } {
  const parsed = parse(text, options.path);
  const program = analyseProgram(text, parsed, options);
  const ctx: RuleContext = {
    text,
    parse: parsed,
    isIncluded: options.isIncluded === true || program.root !== undefined,
    wholeProgram: program.whole,
    errUnref: options.errUnref !== false,
    allowInlineC: options.allowInlineC === true,
    responseHeaderLimit: options.responseHeaderLimit,
    resolveVmod: vmodResolverFor(options.vmodPath ?? []),
    includeProblems: program.includeProblems,
    semantic: program.semantic,
  };
  return { ctx, selfId: program.selfId, parses: [parsed, ...program.parses] };
}

/**
 * vmods by `import x from "path"` (that file), else along vmod_path, else
 * the table of vmods shipped with Varnish 7.1 and varnish-modules.
 */
export function vmodResolverFor(vmodPath: readonly string[]): VmodResolver {
  return (name, from) => {
    if (from) {
      const v = loadVmodFromFile(from, name);
      return 'error' in v ? undefined : v;
    }
    if (vmodPath.length) {
      const found = findVmod(name, vmodPath);
      if (!('error' in found)) return found.vmod;
    }
    return builtinVmod(name);
  };
}

/**
 * The semantic model of the program a document belongs to, for navigation:
 * `selfId` is the document's file id in it, `pathOf` turns a file id into a path.
 */
export function programModel(text: string, options: LintOptions = {}): ProgramModel {
  return recentPrograms.get(text, options, () => {
    const view = analyseProgram(text, parse(text, options.path), options);
    return { model: view.semantic(), selfId: view.selfId, pathOf: (id) => (id === '' ? (view.root ?? options.path) : id) };
  });
}

/** What programModel returns. */
export interface ProgramModel {
  model: SemanticModel;
  selfId: string;
  pathOf: (fileId: string) => string | undefined;
}

/** Hover after hover on one version of a document builds its model once. */
const recentPrograms = new RecentResults<LintOptions, ProgramModel>(4);

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
}

/** A program loaded through its top-level file: its model and its include problems by file. */
interface IncludedProgram {
  semantic: () => SemanticModel;
  problems: Map<string, IncludeProblem[]>;
}

function includedProgram(root: string, view: IncludeHost): { value: IncludedProgram | undefined; parses: ParseResult[] } {
  const rootText = view.readFile(root);
  if (rootText === undefined) return { value: undefined, parses: [] };
  const rootParse = parse(rootText, root);
  const tree = loadIncludeTree(root, rootParse, view);
  const problems = new Map<string, IncludeProblem[]>();
  for (const p of tree.problems) {
    const list = problems.get(p.file);
    if (list) list.push(p);
    else problems.set(p.file, [p]);
  }
  let model: SemanticModel | undefined;
  const semantic = () => (model ??= buildSemanticModel(rootParse.ast, tree.files.map((f) => ({ file: f.path, program: f.parse.ast })), tree.resolved));
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
  // A file without `vcl 4.x;` that nothing known includes is most likely a
  // fragment of a program we cannot see; judge no names in it.
  const standalone = options.isIncluded !== true && parsed.ast.declarations.some((d) => d.kind === 'VersionDecl');
  if (!host || !path) {
    let model: SemanticModel | undefined;
    return { semantic: () => (model ??= buildSemanticModel(parsed.ast)), selfId: '', whole: standalone, includeProblems: [], parses: [] };
  }
  // Serve this document's own text, whatever the host has for its path.
  const view: IncludeHost = { ...host, readFile: (p) => (p === path ? text : host.readFile(p)) };
  const root = host.firstIncluderOf ? host.firstIncluderOf(path) : host.includersOf?.(path).find((r) => r !== path);
  if (root !== undefined && root !== path) {
    // The host's own text for this file gives the same program for every file of it: keep it.
    const cache = host.programs && host.readFile(path) === text ? host.programs : undefined;
    const made = cache ? { value: cache.get(root, () => includedProgram(root, view)), parses: [] } : includedProgram(root, view);
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
  const tree = loadIncludeTree(path, parsed, view);
  let model: SemanticModel | undefined;
  return {
    semantic: () => (model ??= buildSemanticModel(parsed.ast, tree.files.map((f) => ({ file: f.path, program: f.parse.ast })), tree.resolved)),
    selfId: '',
    whole: standalone,
    includeProblems: tree.problems.filter((p) => p.file === ''),
    parses: tree.files.map((f) => f.parse),
  };
}
