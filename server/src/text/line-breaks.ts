/**
 * Line breaks of inserted text. Rules write their fixes with `\n`; a CRLF or
 * lone-CR file must get its own line breaks back, whether the fix is applied
 * by `--fix` or offered to an editor as a code action.
 */
import type { LineIndex } from './line-index.js';

/**
 * The line break of the text where an edit on `line` lands: the one ending
 * that line (or the line before, for a last line without one), else the
 * text's first; `\n` for a text of one line.
 */
export function lineBreakNear(index: LineIndex, line: number): string {
  const l = Math.max(0, Math.min(line, index.lineCount - 1));
  return index.lineBreak(l) ?? index.lineBreak(l - 1) ?? index.lineBreak(0) ?? '\n';
}

/** `text` with each of its line breaks (`\r\n`, `\r` or `\n`) written as `eol`. */
export function withLineBreaks(text: string, eol: string): string {
  return !/[\r\n]/.test(text) ? text : text.replace(/\r\n|\r|\n/g, eol);
}

/**
 * Offset where the line holding `offset` starts: just past the last `\n`
 * or `\r` before it. Rules find indentation and "own line" places with it,
 * and a lone-CR file has no `\n` at all.
 */
export function lineStartAt(text: string, offset: number): number {
  // One step per character of the line: lastIndexOf('\r') would scan to the top of a file that has none.
  let i = Math.min(offset, text.length);
  while (i > 0) {
    const c = text.charCodeAt(i - 1);
    if (c === 10 || c === 13) break;
    i--;
  }
  return i;
}

/**
 * Offset where the line holding `offset` ends: the first `\n` or `\r` at or
 * after it, else the end of the text. Any kind of line break ends a line,
 * as in {@link lineStartAt}.
 */
export function lineEndAt(text: string, offset: number): number {
  let i = Math.max(0, offset);
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) break;
    i++;
  }
  return i;
}

/** True when `text` ends with a line break of any kind. */
export function endsWithLineBreak(text: string): boolean {
  const c = text.charCodeAt(text.length - 1);
  return c === 10 || c === 13;
}

/** How many line breaks (`\r\n` counting as one) end `text`, counted up to two: 0, 1 or 2. */
export function trailingLineBreaks(text: string): number {
  // Four characters hold two breaks of any kind; a `\n` whose `\r` was cut off still counts once.
  const tail = text.slice(-4).replace(/\r\n?/g, '\n');
  return tail.endsWith('\n\n') ? 2 : tail.endsWith('\n') ? 1 : 0;
}
