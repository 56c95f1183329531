/**
 * `--fix`: applies diagnostics' fixes to a text. Pure (text and a lint
 * function in, text out) so it is tested without touching files.
 */
import type { LintDiagnostic, TextEdit } from '../service/types.js';
import { LineIndex } from '../analysis/line-index.js';

/** Passes of lint-then-fix; one fix can uncover another, as in ESLint (which also stops at 10). */
const MAX_PASSES = 10;

/** Outcome of `fixText`. */
export interface FixResult {
  text: string;
  /** Number of fixes applied over all passes. */
  applied: number;
  /** Diagnostics of the final text. */
  diagnostics: LintDiagnostic[];
}

/**
 * Lints `text`, applies the first fix of each diagnostic that has one
 * (the preferred remedy; later ones are alternatives), skipping fixes whose
 * edits overlap one already taken, and repeats until nothing changes.
 */
export function fixText(text: string, lint: (text: string) => LintDiagnostic[]): FixResult {
  let diagnostics = lint(text);
  let applied = 0;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const { text: next, applied: n } = applyFixes(text, diagnostics);
    if (n === 0 || next === text) break;
    applied += n;
    text = next;
    diagnostics = lint(text);
  }
  return { text, applied, diagnostics };
}

/** Applies at most one fix per diagnostic in one go, keeping only fixes that overlap nothing already chosen. */
export function applyFixes(text: string, diagnostics: readonly LintDiagnostic[]): { text: string; applied: number } {
  const index = new LineIndex(text);
  const chosen: OffsetEdit[] = [];
  let applied = 0;
  for (const diagnostic of diagnostics) {
    // Fixes that need a person's judgement are offered, never applied in bulk.
    const fix = diagnostic.fixes?.find((f) => !f.manual);
    if (!fix || fix.edits.length === 0) continue;
    // Edits aimed at another file (a future `path` on an edit) are not applied here.
    if (fix.edits.some((e) => (e as TextEdit & { path?: string }).path !== undefined)) continue;
    const edits = fix.edits.map((e) => toOffsets(e, index));
    const all = [...chosen, ...edits];
    if (overlaps(all)) continue;
    chosen.push(...edits);
    applied++;
  }
  return { text: applyOffsetEdits(text, chosen), applied };
}

interface OffsetEdit {
  start: number;
  end: number;
  newText: string;
}

function toOffsets(edit: TextEdit, index: LineIndex): OffsetEdit {
  const a = index.offset(edit.range.start);
  const b = index.offset(edit.range.end);
  return { start: Math.min(a, b), end: Math.max(a, b), newText: withLineBreaks(edit.newText, lineBreakNear(index, edit.range.start.line)) };
}

/**
 * The line break of the file where an edit lands: the one ending its line
 * (or the line before, for a last line without one), else the file's first.
 * Rules write `\n`; a CRLF or CR file must not get LF lines from a fix.
 */
function lineBreakNear(index: LineIndex, line: number): string {
  const l = Math.max(0, Math.min(line, index.lineCount - 1));
  return index.lineBreak(l) ?? index.lineBreak(l - 1) ?? index.lineBreak(0) ?? '\n';
}

/** `text` with each of its line breaks written as `eol`. */
function withLineBreaks(text: string, eol: string): string {
  return !/[\r\n]/.test(text) ? text : text.replace(/\r\n|\r|\n/g, eol);
}

/** True if any two edits touch the same text; two insertions at one point also count, as their order is unknown. */
function overlaps(edits: OffsetEdit[]): boolean {
  const sorted = [...edits].sort((x, y) => x.start - y.start || x.end - y.end);
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1]!;
    const cur = sorted[i]!;
    if (cur.start < prev.end || cur.start === prev.start) return true;
  }
  return false;
}

/** Applies non-overlapping edits bottom-up so earlier offsets stay valid. */
function applyOffsetEdits(text: string, edits: OffsetEdit[]): string {
  const sorted = [...edits].sort((x, y) => y.start - x.start);
  for (const e of sorted) text = text.slice(0, e.start) + e.newText + text.slice(e.end);
  return text;
}
