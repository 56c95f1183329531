/**
 * The shape of a lint rule. One rule per file; the id is the diagnostic
 * code, the configuration key and the name of its page under docs/rules/.
 */
import type * as A from '../syntax/ast.js';
import type { ParseResult } from '../syntax/parse.js';
import type { SemanticModel } from '../analysis/semantic-model.js';
import type { IncludeProblem } from '../analysis/include-tree.js';
import type { VmodResolver } from '../analysis/typecheck.js';
import type { Severity } from '../text/severity.js';
import type { OffsetEdit } from '../text/offset-edits.js';
import type { VarnishVersion } from '../facts/versions.js';

/** What a rule sees: the source, its parse and what the caller knows of it. */
export interface RuleContext {
  text: string;
  parse: ParseResult;
  /** True when another file includes this one (so it needs no `vcl 4.x;`). */
  isIncluded: boolean;
  /**
   * True when the semantic model covers the whole program the document
   * belongs to (it is the top file, or was analysed through the file that
   * includes it).
   */
  wholeProgram: boolean;
  /** The Varnish release the program is checked against (settings, `--varnish-version`). */
  varnishVersion: VarnishVersion;
  /** http_resp_hdr_len from the workspace's parameter files, when one sets it. */
  responseHeaderLimit?: { bytes: number; where: string };
  /** varnishd's vcc_allow_inline_c. */
  allowInlineC: boolean;
  /** Includes of this document that could not be followed. */
  includeProblems: IncludeProblem[];
  /**
   * False when varnishd runs with vcc_err_unref off: unused definitions are
   * then warnings, not errors.
   */
  errUnref: boolean;
  /** Interfaces of imported vmods (installed table, vmod_path, `import ... from`). */
  resolveVmod: VmodResolver;
  /** Why a file the program names (`import ... from`) is not read, when it is not (IncludeHost.refuses). */
  refusesFile?: (path: string) => string | undefined;
  /** The folders searched for `libvmod_<name>.so` (settings vcl.vmodPath, vmodPath, --vmod-path). */
  vmodPath: readonly string[];
  /** Symbols, references, variable uses and calls; built on first use. */
  semantic(): SemanticModel;
}

export type { OffsetEdit } from '../text/offset-edits.js';

/** A safe remedy for a finding. */
export interface FindingFix {
  title: string;
  edits: OffsetEdit[];
  /** Needs a person's judgement: offered, never applied by --fix or fix-all. */
  manual?: boolean;
}

/** A finding at source offsets; the service turns it into a diagnostic. */
export interface Finding {
  start: number;
  end: number;
  message: string;
  /** The include-tree file it is in (see SemanticModel); absent or '' for the document itself. */
  file?: string;
  /** Overrides the rule's default severity for this finding. */
  severity?: Severity;
  fixes?: FindingFix[];
  /** Other places of the same document that explain the finding (LSP related information). */
  related?: Array<{ start: number; end: number; message: string }>;
}

export interface Rule {
  id: string;
  defaultSeverity: Severity;
  /** One sentence for listings and hovers. */
  description: string;
  check(ctx: RuleContext): Finding[];
  /**
   * For a rule whose findings are mostly worked out declaration by
   * declaration: its pass over `ctx` (undefined when it has nothing to find
   * there). The rules' runner then walks the program once, a declaration
   * at a time, handing each declaration to every such rule in turn, so that
   * its nodes are read by all of them while they are in the processor's
   * cache (walked rule by rule, a 100,000-line program's rules cost a third
   * more per line than a 10,000-line one's: docs/performance.md, part 3).
   * `check` must give what the pass gives ({@link DeclarationPass}).
   */
  byDeclaration?(ctx: RuleContext): DeclarationPass | undefined;
}

/** A rule's pass over a program, declaration by declaration (see {@link Rule.byDeclaration}). */
export interface DeclarationPass {
  /** The findings in declaration `d`; called for each declaration of the program, in order. */
  declaration(d: A.Declaration): Finding[];
  /** The rule's findings, given what `declaration` found, in order (a rule puts its other findings around them). */
  end(found: Finding[]): Finding[];
}
