/**
 * Edits of a text by UTF-16 offsets: the one edit type below rules, the
 * formatter and `--fix`, and the one way to apply a set of them.
 */

/** A replacement of the original text's `[start, end)` (UTF-16 offsets). */
export interface OffsetEdit {
  start: number;
  end: number;
  newText: string;
}

/** Orders edits by where they start, then by where they end. */
export function byPosition(a: OffsetEdit, b: OffsetEdit): number {
  return a.start - b.start || a.end - b.end;
}

/**
 * True when `b` (which starts at or after `a`) touches `a`'s text. Two
 * insertions at one point also count: their order would be a guess.
 */
export function touches(a: OffsetEdit, b: OffsetEdit): boolean {
  return b.start < a.end || b.start === a.start;
}

/**
 * `text` with non-overlapping edits applied, in one pass over the text
 * (splicing edit by edit would copy the whole text once per edit: a
 * `--fix` of 200,000 findings never finished that way).
 */
export function applyOffsetEdits(text: string, edits: readonly OffsetEdit[]): string {
  if (edits.length === 0) return text;
  let sorted = edits;
  for (let i = 1; i < edits.length; i++) {
    if (byPosition(edits[i - 1]!, edits[i]!) > 0) {
      sorted = [...edits].sort(byPosition);
      break;
    }
  }
  const parts: string[] = [];
  let at = 0;
  for (const e of sorted) {
    parts.push(text.slice(at, e.start), e.newText);
    at = e.end;
  }
  parts.push(text.slice(at));
  return parts.join('');
}
