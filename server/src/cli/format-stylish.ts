/**
 * The default, ESLint-like human format: a header per file with problems,
 * one aligned line per diagnostic (1-based line:column), and a summary.
 * A clean run prints nothing.
 */
import type { Severity } from '../service/types.js';
import { countBySeverity, type FileReport } from './report.js';
import { escapeControls } from './display.js';
import { productName, releaseOf, type VarnishVersion } from '../facts/versions.js';

export interface StylishOptions {
  /** ANSI colours; the CLI turns them on for terminals unless NO_COLOR is set. */
  color?: boolean;
  /** The Varnish release the files were checked against, named in the summary line. */
  varnishVersion?: VarnishVersion;
}

const SEVERITY_COLOR: Record<Severity, string> = { error: '31', warning: '33', info: '36', hint: '2' };

/** Formats the report; returns '' when there is nothing to say. */
export function formatStylish(files: readonly FileReport[], options: StylishOptions = {}): string {
  const paint = (code: string, s: string): string => (options.color ? `\u001b[${code}m${s}\u001b[0m` : s);
  let out = '';
  for (const file of files) {
    if (file.diagnostics.length === 0) continue;
    const sorted = [...file.diagnostics].sort(
      (a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character,
    );
    const rows = sorted.map((d) => ({
      loc: `${d.range.start.line + 1}:${d.range.start.character + 1}`,
      severity: d.severity,
      // One diagnostic, one line: a multi-line message would break the columns.
      // (Each whitespace run is looked at once: a pattern with \s* on both sides of the newline backtracks on long runs of blanks.)
      message: escapeControls(d.message.replace(/\s+/g, (ws) => (ws.includes('\n') ? ' ' : ws))),
      rule: escapeControls(d.rule),
    }));
    // A loop, not Math.max(...rows): spreading 150,000 rows overflows the call stack.
    let locWidth = 0;
    let sevWidth = 0;
    let msgWidth = 0;
    for (const r of rows) {
      locWidth = Math.max(locWidth, r.loc.length);
      sevWidth = Math.max(sevWidth, r.severity.length);
      msgWidth = Math.max(msgWidth, r.message.length);
    }
    out += `\n${paint('4', escapeControls(file.path))}\n`;
    for (const r of rows) {
      const sev = paint(SEVERITY_COLOR[r.severity] ?? '0', r.severity.padEnd(sevWidth));
      out += `  ${paint('2', r.loc.padStart(locWidth))}  ${sev}  ${r.message.padEnd(msgWidth)}  ${paint('2', r.rule)}\n`;
    }
  }
  if (out === '') return '';
  const counts = countBySeverity(files);
  const total = counts.error + counts.warning + counts.info + counts.hint;
  const parts = [plural(counts.error, 'error'), plural(counts.warning, 'warning')];
  // info and hint are rare; name them only when present so the usual summary reads like ESLint's.
  if (counts.info) parts.push(plural(counts.info, 'info', 'infos'));
  if (counts.hint) parts.push(plural(counts.hint, 'hint'));
  const version = options.varnishVersion;
  // Findings depend on the release: say which one they are for, and when its facts are not checked by its compiler.
  const against = version ? `, checked against ${productName(version)}${releaseOf(version).evidence === 'derived' ? ' (derived facts)' : ''}` : '';
  const summary = `✖ ${plural(total, 'problem')} (${parts.join(', ')})${against}`;
  return `${out}\n${paint(counts.error ? '1;31' : '1;33', summary)}\n`;
}

function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
