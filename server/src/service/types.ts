/**
 * The language service's public result types. They match the CLI's JSON
 * contract (0-based lines, UTF-16 characters) so every front end can hand
 * them on without reshaping.
 */

import type { Range, TextEdit } from '../text/range.js';
import type { Parser } from '../syntax/parse.js';
import type { Severity } from '../text/severity.js';
import type { IncludeHost } from '../analysis/include-tree.js';

// The shared types live at the bottom layer (text/); they are named here too
// so that every front end finds all result types in one module.
export type { Position, Range, TextEdit } from '../text/range.js';
export type { Severity } from '../text/severity.js';

/** A safe remedy for a diagnostic: one or more text edits, offered as a quick fix. */
export interface Fix {
  title: string;
  edits: TextEdit[];
  /**
   * True when the fix needs a person's judgement (it changes what Varnish
   * does at run time, like adding a health probe): offered as a quick fix,
   * never applied by `--fix` or fix-all.
   */
  manual?: boolean;
}

/**
 * A place that explains a diagnostic (LSP related information): the other
 * backends of a program-wide finding, the error inside an included file.
 * `path` is omitted for the linted file itself.
 */
export interface RelatedLocation {
  path?: string;
  range: Range;
  message: string;
}

/** A diagnostic as every front end reports it. */
export interface LintDiagnostic {
  /** Rule id: the diagnostic code, the configuration key and the docs page name. */
  rule: string;
  severity: Severity;
  message: string;
  range: Range;
  fixes?: Fix[];
  related?: RelatedLocation[];
}

import type { VarnishVersion } from '../facts/versions.js';

/** Languages the service understands. */
export type LanguageId = 'vcl' | 'varnish-params' | 'varnishlog';

export interface LintOptions {
  /** Path or URI of the document, used in messages and for include resolution later. */
  path?: string;
  languageId?: LanguageId;
  /** The file is included by another one, so a missing `vcl 4.x;` line is expected. */
  isIncluded?: boolean;
  /** varnishd's vcc_err_unref (default true): unused definitions are errors. */
  errUnref?: boolean;
  /** The Varnish release to check against; default DEFAULT_VARNISH_VERSION (facts/versions.ts). */
  varnishVersion?: VarnishVersion;
  /**
   * http_resp_hdr_len as the workspace's parameter files set it, and where;
   * undefined when no file sets it (Varnish's default applies).
   */
  responseHeaderLimit?: { bytes: number; where: string };
  /**
   * Folders searched for `libvmod_<name>.so` before the installed table (like
   * varnishd's vmod_path). Files are read as bytes, never loaded.
   */
  vmodPath?: string[];
  /** varnishd's vcc_allow_inline_c (default false). */
  allowInlineC?: boolean;
  /** Configured rule levels (`off` or a severity), by rule id. */
  ruleLevels?: Readonly<Record<string, Severity | 'off'>>;
  /**
   * How to reach included (and including) files. Without it the document is
   * analysed alone, and checks that need the whole program stay silent when
   * it has includes.
   */
  includeHost?: IncludeHost;
  /**
   * Report the errors of the files this document includes at its include
   * lines (`included-file-errors`; default true). varnishd judges the whole
   * program, so a program whose part has an error has an error. Off when
   * those files are linted for that very report.
   */
  includedErrors?: boolean;
  /**
   * How many included files `included-file-errors` lints for the top file
   * (default MAX_PARTS_CHECKED, a bound on the editor's work per edit). A
   * CLI run checks every file (Infinity): its verdict must not pass a
   * program whose 101st file has an error.
   */
  maxPartsChecked?: number;
  /**
   * The parser (with its caches) that reads the document and its program's
   * files; a Project passes its own. Default: the one shared by callers that
   * own none.
   */
  parser?: Parser;
}
