/**
 * `--format json`: the machine-readable contract of DESIGN.md. Objects are
 * rebuilt field by field so extra properties a rule might attach never leak
 * into the contract.
 */
import type { LintDiagnostic, Range } from '../service/types.js';
import type { FileReport } from './report.js';
import { TOOL_NAME, VERSION } from './version.js';
import { escapeJsonControls } from './display.js';
import { DEFAULT_VARNISH_VERSION, type VarnishVersion } from '../facts/versions.js';

/**
 * Formats the report as one JSON document (pretty-printed, trailing
 * newline); `varnishVersion` is the release the files were checked against.
 */
export function formatJson(files: readonly FileReport[], varnishVersion: VarnishVersion = DEFAULT_VARNISH_VERSION): string {
  const doc = {
    tool: TOOL_NAME,
    version: VERSION,
    varnishVersion,
    files: files.map((f) => ({
      path: f.path,
      language: f.language,
      diagnostics: f.diagnostics.map((d) => jsonDiagnostic(d, f.path)),
    })),
  };
  // Same JSON value; DEL, C1 and bidi controls written as \uNNNN so the text is safe to print.
  return escapeJsonControls(JSON.stringify(doc, null, 2)) + '\n';
}

function jsonDiagnostic(d: LintDiagnostic, path: string): object {
  const out: Record<string, unknown> = { rule: d.rule, severity: d.severity, message: d.message, range: copyRange(d.range) };
  if (d.fixes && d.fixes.length > 0) {
    out.fixes = d.fixes.map((fix) => ({
      title: fix.title,
      // The contract names the file on every edit, so a consumer can apply edits without context.
      edits: fix.edits.map((e) => ({ path: (e as { path?: string }).path ?? path, range: copyRange(e.range), newText: e.newText })),
    }));
  }
  if (d.related && d.related.length > 0) {
    out.related = d.related.map((r) => ({ path: r.path ?? path, range: copyRange(r.range), message: r.message }));
  }
  return out;
}

function copyRange(r: Range): Range {
  return { start: { line: r.start.line, character: r.start.character }, end: { line: r.end.line, character: r.end.character } };
}
