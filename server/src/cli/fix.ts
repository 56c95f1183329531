/**
 * `--fix`: applies diagnostics' fixes to a text. Pure (text and a lint
 * function in, text out) so it is tested without touching files.
 */
import type { LintDiagnostic, TextEdit } from '../service/types.js';
import { LineIndex } from '../text/line-index.js';
import { applyOffsetEdits, byPosition, touches, type OffsetEdit } from '../text/offset-edits.js';
import { lineBreakNear, withLineBreaks } from '../text/line-breaks.js';

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

/**
 * Applies at most one fix per diagnostic in one go: in diagnostic order, a
 * fix is taken when none of its edits touches an edit already taken.
 * Linear in the number of fixes for the usual case where no two fixes
 * touch: those are taken at once, and only fixes that touch another are
 * weighed one by one (against every edit taken, so the result is the same
 * as weighing every fix in order).
 */
export function applyFixes(text: string, diagnostics: readonly LintDiagnostic[]): { text: string; applied: number } {
  const index = new LineIndex(text);
  const candidates: OffsetEdit[][] = [];
  for (const diagnostic of diagnostics) {
    // Fixes that need a person's judgement are offered, never applied in bulk.
    const fix = diagnostic.fixes?.find((f) => !f.manual);
    if (!fix || fix.edits.length === 0) continue;
    // Edits aimed at another file (a future `path` on an edit) are not applied here.
    if (fix.edits.some((e) => (e as TextEdit & { path?: string }).path !== undefined)) continue;
    const edits = fix.edits.map((e) => toOffsets(e, index)).sort(byPosition);
    // A fix whose own edits touch each other has no well-defined result.
    if (edits.some((e, i) => i > 0 && touches(edits[i - 1]!, e))) continue;
    candidates.push(edits);
  }
  // Which fixes touch another: one sweep over all their edits in text
  // order, in runs of edits that each touch an earlier one of the run (the
  // one reaching furthest, or the one just before for insertions at one
  // point). Every fix with an edit in a run shared with another fix is
  // contested; the others touch nothing.
  const all = candidates.flatMap((edits, fix) => edits.map((edit) => ({ edit, fix })));
  all.sort((x, y) => byPosition(x.edit, y.edit));
  const contested = new Set<number>();
  let run: number[] = [];
  let reach: OffsetEdit | undefined; // the run's edit that reaches furthest
  const closeRun = (): void => {
    if (run.some((f) => f !== run[0])) for (const f of run) contested.add(f);
  };
  for (let i = 0; i < all.length; i++) {
    const cur = all[i]!;
    const prev = all[i - 1]?.edit;
    if (reach && (touches(reach, cur.edit) || (prev !== undefined && touches(prev, cur.edit)))) {
      run.push(cur.fix);
      if (cur.edit.end > reach.end) reach = cur.edit;
    } else {
      closeRun();
      run = [cur.fix];
      reach = cur.edit;
    }
  }
  closeRun();
  const chosen: OffsetEdit[] = [];
  for (let fix = 0; fix < candidates.length; fix++) if (!contested.has(fix)) chosen.push(...candidates[fix]!);
  let applied = candidates.length - contested.size;
  // Contested fixes in diagnostic order, each against the contested ones taken before it
  // (an uncontested fix touches nothing, so the outcome is that of weighing every fix in order).
  const taken: OffsetEdit[] = [];
  for (const fix of [...contested].sort((a, b) => a - b)) {
    const edits = candidates[fix]!;
    if (edits.some((e) => taken.some((t) => overlap(t, e)))) continue;
    taken.push(...edits);
    chosen.push(...edits);
    applied++;
  }
  return { text: applyOffsetEdits(text, chosen), applied };
}

/** True when two edits touch, whichever comes first. */
function overlap(a: OffsetEdit, b: OffsetEdit): boolean {
  return byPosition(a, b) <= 0 ? touches(a, b) : touches(b, a);
}

function toOffsets(edit: TextEdit, index: LineIndex): OffsetEdit {
  const a = index.offset(edit.range.start);
  const b = index.offset(edit.range.end);
  return { start: Math.min(a, b), end: Math.max(a, b), newText: withLineBreaks(edit.newText, lineBreakNear(index, edit.range.start.line)) };
}
