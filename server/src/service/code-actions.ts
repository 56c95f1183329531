/**
 * Quick fixes from the fixes that travel in each diagnostic's `data`
 * (DESIGN principle 6: the server keeps no cache of fixes), and a
 * `source.fixAll.vcl` action that applies the first fix of every diagnostic
 * whose edits do not overlap.
 */
import { CodeActionKind, type CodeAction, type Diagnostic, type TextEdit } from 'vscode-languageserver-types';
import { pathToUri, type DiagnosticData } from './lsp-convert.js';

/** Kind of the fix-all action, for `editor.codeActionsOnSave`. */
export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.vcl`;

/** The fixes a diagnostic carries; `data` comes back from the client, so anything malformed is left out. */
function fixesOf(d: Diagnostic): DiagnosticData['fixes'] {
  const data = (d as Partial<Diagnostic> | null)?.data as Partial<DiagnosticData> | undefined;
  if (!Array.isArray(data?.fixes)) return [];
  return data.fixes.filter(
    (f) => typeof f?.title === 'string' && Array.isArray(f.edits) && f.edits.every((e) => typeof e?.newText === 'string' && isRange(e.range) && ['undefined', 'string'].includes(typeof editPath(e))),
  );
}

/** The other file an edit belongs to (a varnishlog finding fixes the parameter file), or undefined for the diagnostic's own document. */
function editPath(e: unknown): unknown {
  return (e as { path?: unknown }).path;
}

/** A fix's edits grouped by the document they change. */
function changesOf(uri: string, edits: DiagnosticData['fixes'][number]['edits']): Record<string, TextEdit[]> {
  const changes: Record<string, TextEdit[]> = {};
  for (const e of edits) {
    const path = editPath(e);
    const target = typeof path === 'string' ? pathToUri(path) : uri;
    (changes[target] ??= []).push({ range: e.range, newText: e.newText });
  }
  return changes;
}

function isRange(r: unknown): boolean {
  const at = (p: unknown): boolean => typeof (p as { line?: unknown })?.line === 'number' && typeof (p as { character?: unknown })?.character === 'number';
  return at((r as { start?: unknown })?.start) && at((r as { end?: unknown })?.end);
}

/** Quick fixes for the diagnostics the editor sends with a code-action request. */
export function quickFixes(uri: string, diagnostics: readonly Diagnostic[]): CodeAction[] {
  const out: CodeAction[] = [];
  for (const d of diagnostics) {
    fixesOf(d).forEach((fix, i) => {
      out.push({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [d],
        isPreferred: i === 0 && !fix.manual,
        edit: { changes: changesOf(uri, fix.edits) },
      });
    });
  }
  return out;
}

/** One action applying the first fix of each diagnostic, skipping fixes that overlap an earlier one. */
export function fixAll(uri: string, diagnostics: readonly Diagnostic[]): CodeAction | undefined {
  const chosen: TextEdit[] = [];
  const overlaps = (a: TextEdit, b: TextEdit) => before(a.range.start, b.range.end) && before(b.range.start, a.range.end);
  for (const d of diagnostics) {
    // Fix-all changes this document only: a fix of another file is offered one at a time.
    const fix = fixesOf(d).find((f) => !f.manual && f.edits.every((e) => editPath(e) === undefined));
    if (!fix) continue;
    const edits = fix.edits.map((e) => ({ range: e.range, newText: e.newText }));
    if (edits.some((e) => chosen.some((c) => overlaps(c, e) || sameInsert(c, e)))) continue;
    chosen.push(...edits);
  }
  if (chosen.length === 0) return undefined;
  return { title: 'Fix all VCL problems that have a safe fix', kind: FIX_ALL_KIND, edit: { changes: { [uri]: chosen } } };
}

function before(a: { line: number; character: number }, b: { line: number; character: number }): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

function sameInsert(a: TextEdit, b: TextEdit): boolean {
  return a.range.start.line === b.range.start.line && a.range.start.character === b.range.start.character;
}
