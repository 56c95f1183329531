/**
 * Runs one rule on VCL text, outside the registry: builds the RuleContext
 * as the language service does (parse + semantic model on first use) so a
 * rule can be tested before, or without, being registered. With `files`,
 * the text is analysed with its include tree, or, with `root`, as a file
 * that the root includes; as in the service, findings that belong to
 * another file of the tree are left out.
 */
import { parse } from '../../server/src/syntax/parse.js';
import { buildSemanticModel, type SemanticModel } from '../../server/src/analysis/semantic-model.js';
import { loadIncludeTree, type IncludeHost } from '../../server/src/analysis/include-tree.js';
import type { Finding, Rule, RuleContext } from '../../server/src/rules/rule.js';
import { builtinVmodResolver } from '../../server/src/analysis/typecheck.js';

export interface RunOptions {
  isIncluded?: boolean;
  /** vcc_err_unref (default on). */
  errUnref?: boolean;
  /** vcc_allow_inline_c (default off). */
  allowInlineC?: boolean;
  /** Other files by absolute path, for includes; the text itself is `path`. */
  files?: Record<string, string>;
  /** Path of the text (default /vcl/main.vcl). */
  path?: string;
  /** A file of `files` that includes the text: the program is analysed from it. */
  root?: string;
}

/** A finding with its 1-based line and column, for assertions and messages. */
export interface LocatedFinding extends Finding {
  line: number;
  column: number;
}

interface Built {
  ctx: RuleContext;
  /** The document's file id in the model. */
  selfId: string;
}

function build(text: string, options: RunOptions): Built {
  const parsed = parse(text);
  const common = {
    text,
    parse: parsed,
    errUnref: options.errUnref !== false,
    allowInlineC: options.allowInlineC === true,
    includeProblems: [],
    resolveVmod: builtinVmodResolver,
  };
  if (!options.files) {
    let model: SemanticModel | undefined;
    const ctx: RuleContext = {
      ...common,
      isIncluded: options.isIncluded === true,
      // As in the service: a file without `vcl 4.x;` that nothing includes is taken for a fragment.
      wholeProgram: options.isIncluded !== true && parsed.ast.declarations.some((d) => d.kind === 'VersionDecl'),
      semantic: () => (model ??= buildSemanticModel(parsed.ast)),
    };
    return { ctx, selfId: '' };
  }
  const path = options.path ?? '/vcl/main.vcl';
  const files: Record<string, string> = { ...options.files, [path]: text };
  const host: IncludeHost = { readFile: (p) => files[p], searchPath: ['/vcl'] };
  const rootPath = options.root ?? path;
  const rootParse = rootPath === path ? parsed : parse(files[rootPath]!);
  const tree = loadIncludeTree(rootPath, rootParse, host);
  let model: SemanticModel | undefined;
  const ctx: RuleContext = {
    ...common,
    isIncluded: options.isIncluded === true || rootPath !== path,
    wholeProgram: true,
    semantic: () => (model ??= buildSemanticModel(rootParse.ast, tree.files.map((f) => ({ file: f.path, program: f.parse.ast })), tree.resolved)),
  };
  return { ctx, selfId: rootPath === path ? '' : path };
}

/** The context the service would give the rules for this text. */
export function ruleContext(text: string, options: RunOptions = {}): RuleContext {
  return build(text, options).ctx;
}

/** Runs the rules on text; the document's findings in source order with their line and column. */
export function runRules(rules: readonly Rule[], text: string, options: RunOptions = {}): Array<LocatedFinding & { rule: string }> {
  const { ctx, selfId } = build(text, options);
  const out: Array<LocatedFinding & { rule: string }> = [];
  for (const rule of rules) {
    for (const f of rule.check(ctx)) {
      if (f.file !== undefined && f.file !== selfId) continue;
      out.push({ ...f, ...locate(text, f.start), rule: rule.id });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

/** Runs one rule on text. */
export function runRule(rule: Rule, text: string, options: RunOptions = {}): LocatedFinding[] {
  return runRules([rule], text, options);
}

function locate(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - (before.lastIndexOf('\n') + 1) + 1 };
}
