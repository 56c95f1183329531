/**
 * Applies a fix's text edits (LSP-style line/character ranges, 0-based,
 * UTF-16) to a text, as an editor or `vcl-lint --fix` would.
 */
import type { TextEdit } from '../../server/src/service/types.js';

/** Offsets where each line starts; `\r\n`, `\n` and a lone `\r` end a line, as in LSP. */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\r' && text[i + 1] === '\n') i++;
    if (c === '\r' || c === '\n') starts.push(i + 1);
  }
  return starts;
}

/** The offset of a position; positions past a line's end (or the text's) are clamped, as LSP says. */
export function offsetAt(text: string, starts: readonly number[], pos: { line: number; character: number }): number {
  if (pos.line < 0) return 0;
  if (pos.line >= starts.length) return text.length;
  const lineStart = starts[pos.line]!;
  let lineEnd = pos.line + 1 < starts.length ? starts[pos.line + 1]! : text.length;
  // The line break itself is not part of the line.
  if (lineEnd > lineStart && text[lineEnd - 1] === '\n') lineEnd--;
  if (lineEnd > lineStart && text[lineEnd - 1] === '\r') lineEnd--;
  return Math.min(lineStart + Math.max(0, pos.character), lineEnd);
}

/**
 * `text` with all `edits` applied. Ranges refer to the original text; edits
 * are applied from the bottom up so earlier offsets stay valid. Insertions at
 * the same place keep their order. Overlapping edits are a bug in the fix and
 * throw.
 */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const starts = lineStarts(text);
  const resolved = edits
    .map((e, index) => ({ start: offsetAt(text, starts, e.range.start), end: offsetAt(text, starts, e.range.end), newText: e.newText, index }))
    .sort((a, b) => a.start - b.start || a.end - b.end || a.index - b.index);
  for (let i = 1; i < resolved.length; i++) {
    const prev = resolved[i - 1]!;
    const cur = resolved[i]!;
    if (cur.start < prev.end) throw new Error(`overlapping edits at offsets ${prev.start}-${prev.end} and ${cur.start}-${cur.end}`);
  }
  let out = text;
  for (let i = resolved.length - 1; i >= 0; i--) {
    const e = resolved[i]!;
    if (e.end < e.start) throw new Error(`edit ends before it starts at offset ${e.start}`);
    out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  }
  return out;
}
