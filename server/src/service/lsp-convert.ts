/**
 * Turns the service's LintDiagnostic into an LSP Diagnostic. Kept apart from
 * server.ts so the mapping can be unit-tested without a connection, and so the
 * service depends only on the LSP *types* package (DESIGN principle 1).
 */
import { pathToFileURL } from 'node:url';
import { DiagnosticSeverity, type Diagnostic, type DiagnosticRelatedInformation } from 'vscode-languageserver-types';
import type { Fix, LintDiagnostic, Severity } from './types.js';
import type { RuleDocUri } from './rule-docs.js';

/** `source` shown by editors next to every diagnostic the server publishes. */
export const DIAGNOSTIC_SOURCE = 'vcl';

/**
 * What travels in `Diagnostic.data`: the rule id and the ready-made fixes, so a
 * later code-action handler can build quick fixes from the diagnostic alone
 * (the server keeps no cache of fixes between requests, DESIGN principle 6).
 */
export interface DiagnosticData {
  rule: string;
  fixes: Fix[];
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** Maps a service severity to the LSP one; unknown values fall back to Error so nothing is hidden. */
export function toLspSeverity(severity: Severity): DiagnosticSeverity {
  return SEVERITY[severity] ?? DiagnosticSeverity.Error;
}

/**
 * Converts one service diagnostic: `code` = rule id, `source` = 'vcl', fixes
 * kept in `data`, and `codeDescription` linking the rule's page when `docUri`
 * knows one (editors make the code a link). Related places become
 * `relatedInformation`: those in the document itself need `documentUri`,
 * those in other files carry their path.
 */
export function toLspDiagnostic(d: LintDiagnostic, docUri?: RuleDocUri, documentUri?: string): Diagnostic {
  const data: DiagnosticData = { rule: d.rule, fixes: d.fixes ?? [] };
  const href = docUri?.(d.rule);
  const related: DiagnosticRelatedInformation[] = [];
  for (const r of d.related ?? []) {
    const uri = r.path !== undefined ? pathToUri(r.path) : documentUri;
    if (uri) related.push({ location: { uri, range: r.range }, message: r.message });
  }
  return {
    range: d.range,
    severity: toLspSeverity(d.severity),
    code: d.rule,
    ...(href ? { codeDescription: { href } } : {}),
    source: DIAGNOSTIC_SOURCE,
    message: d.message,
    ...(related.length ? { relatedInformation: related } : {}),
    data,
  };
}

/** Converts a whole result list, preserving order. */
export function toLspDiagnostics(list: readonly LintDiagnostic[], docUri?: RuleDocUri, documentUri?: string): Diagnostic[] {
  return list.map((d) => toLspDiagnostic(d, docUri, documentUri));
}

/** A file path as a URI; a path that already is a URI (untitled:, file:) stays as it is. */
export function pathToUri(path: string): string {
  return /^[a-z][a-z0-9+.-]+:/i.test(path) && !/^[a-z]:[\\/]/i.test(path) ? path : pathToFileURL(path).href;
}
