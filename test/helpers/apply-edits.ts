/**
 * Applies a fix's text edits (LSP-style line/character ranges, 0-based,
 * UTF-16) to a text, as an editor or `vcl-lint --fix` would, with the
 * project's own line model (`LineIndex`) and edit application, so that the
 * tests count lines exactly as the server and the CLI do.
 */
import { LineIndex } from '../../server/src/text/line-index.js';
import { applyOffsetEdits, type OffsetEdit } from '../../server/src/text/offset-edits.js';
import type { TextEdit } from '../../server/src/service/types.js';

/**
 * `text` with all `edits` applied. Ranges refer to the original text.
 * Insertions at the same place keep their order. Overlapping edits are a
 * bug in the fix and throw.
 */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const lines = new LineIndex(text);
  const resolved: OffsetEdit[] = edits.map((e) => ({ start: lines.offset(e.range.start), end: lines.offset(e.range.end), newText: e.newText }));
  for (const e of resolved) if (e.end < e.start) throw new Error(`edit ends before it starts at offset ${e.start}`);
  // A stable sort: insertions at one place stay in the order the fix gave them.
  const sorted = [...resolved].sort((a, b) => a.start - b.start || a.end - b.end);
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1]!;
    const cur = sorted[i]!;
    if (cur.start < prev.end) throw new Error(`overlapping edits at offsets ${prev.start}-${prev.end} and ${cur.start}-${cur.end}`);
  }
  return applyOffsetEdits(text, sorted);
}

/** The text a range covers, counted with the project's line model. */
export function textOf(text: string, range: TextEdit['range']): string {
  const lines = new LineIndex(text);
  return text.slice(lines.offset(range.start), lines.offset(range.end));
}

/** The offsets a range covers, counted with the project's line model. */
export function offsetsOf(text: string, range: TextEdit['range']): { start: number; end: number } {
  const lines = new LineIndex(text);
  return { start: lines.offset(range.start), end: lines.offset(range.end) };
}
