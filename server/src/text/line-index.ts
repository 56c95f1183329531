/**
 * Maps UTF-16 offsets to LSP positions. Built once per document, so the
 * parser can work with plain offsets and skip line tracking. Lines end as
 * LSP says: at `\r\n`, `\n` or a lone `\r`. This is the project's one line
 * model: diagnostics, features and `--fix` all count lines with it.
 */
import { lastAtOrBefore } from './sorted.js';
import type { Position, Range } from './range.js';

export class LineIndex {
  private readonly starts: number[];

  constructor(readonly text: string) {
    const starts = [0];
    // Most files have no \r at all: indexOf is several times faster than a loop over every character.
    if (text.indexOf('\r') < 0) {
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
      this.starts = starts;
      return;
    }
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 13 /* \r */) {
        if (text.charCodeAt(i + 1) === 10) i++;
        starts.push(i + 1);
      } else if (c === 10 /* \n */) {
        starts.push(i + 1);
      }
    }
    this.starts = starts;
  }

  /** Number of lines (a final line without a newline counts). */
  get lineCount(): number {
    return this.starts.length;
  }

  position(offset: number): Position {
    const o = Math.max(0, Math.min(offset, this.text.length));
    const line = lastAtOrBefore(this.starts, o);
    return { line, character: o - this.starts[line]! };
  }

  range(start: number, end: number): Range {
    return { start: this.position(start), end: this.position(end) };
  }

  /** The offset of a position; a character past the line's end means the end (before its line break), as in LSP. */
  offset(p: Position): number {
    const line = Math.max(0, Math.min(p.line, this.starts.length - 1));
    return Math.min(this.starts[line]! + Math.max(0, p.character), this.lineEnd(line));
  }

  /** Offset just past the line's text, before its line break. */
  lineEnd(line: number): number {
    if (line + 1 >= this.starts.length) return this.text.length;
    const next = this.starts[line + 1]!;
    return this.text.charCodeAt(next - 1) === 10 && this.text.charCodeAt(next - 2) === 13 ? next - 2 : next - 1;
  }

  /** The line break that ends `line` (`\r\n`, `\n` or `\r`), or undefined for a last line without one. */
  lineBreak(line: number): string | undefined {
    if (line < 0 || line + 1 >= this.starts.length) return undefined;
    return this.text.slice(this.lineEnd(line), this.starts[line + 1]!);
  }
}

/**
 * The line indexes of the last texts asked for. Several parts of one
 * analysis need the lines of the same document (the diagnostics, the
 * program's file names in messages, the workspace's tag headers): on a
 * 20,000-line document each new index cost about a millisecond per edit.
 * Texts are compared with `===` (the same string, or equal ones), so an
 * index is never used for another text; two entries, so that the document
 * being edited and one other stay (a small fixed bound: nothing else keeps
 * them).
 */
const recent: LineIndex[] = [];
const RECENT = 2;

/** The line index of `text`, shared with the other callers that ask for the same text. */
export function lineIndexFor(text: string): LineIndex {
  for (let i = 0; i < recent.length; i++) {
    const index = recent[i]!;
    if (index.text !== text) continue;
    if (i > 0) {
      recent.splice(i, 1);
      recent.unshift(index);
    }
    return index;
  }
  const index = new LineIndex(text);
  recent.unshift(index);
  if (recent.length > RECENT) recent.pop();
  return index;
}
