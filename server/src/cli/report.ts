/**
 * What the CLI found, per file, before it is formatted. Formatters take
 * this and nothing else, so every output format reports the same facts.
 */
import type { LanguageId, LintDiagnostic, Severity } from '../service/types.js';
import type { VarnishVersion } from '../facts/versions.js';

/** The results for one file; `path` is spelled as given on the command line. */
export interface FileReport {
  path: string;
  language: LanguageId;
  diagnostics: LintDiagnostic[];
}

/** Everything one run found. */
export interface LintReport {
  files: FileReport[];
  /** One-line I/O problems; they go to stderr and make the exit status 2. */
  ioErrors: string[];
  /** One-line remarks for stderr that change nothing (what a file was taken for). */
  notes: string[];
  /** The Varnish release the files were checked against. */
  varnishVersion: VarnishVersion;
}

/** Diagnostics per severity over all files. */
export function countBySeverity(files: readonly FileReport[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0, hint: 0 };
  for (const file of files) for (const d of file.diagnostics) counts[d.severity] = (counts[d.severity] ?? 0) + 1;
  return counts;
}
