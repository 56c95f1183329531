/**
 * Document and range formatting for VCL, in LSP terms: the formatter's
 * offset edits turned into line/character edits.
 *
 * Range formatting formats the whole document and keeps the edits that
 * touch the range: the indentation of a line depends on every brace above
 * it, so formatting a piece alone could not indent it right. An edit
 * touches the range when it overlaps it or meets it at either end (the
 * indentation before the range's first token counts).
 */
import { formatVcl, isFormatted, type FormatOptions } from '../format/format.js';
import { LineIndex } from '../text/line-index.js';
import { checkText } from './input.js';
import type { Range, TextEdit } from './types.js';

export type { FormatOptions } from '../format/format.js';

/**
 * The edits that format a VCL document (or only those touching `range`).
 * Empty when the text is already formatted, has syntax errors, or is
 * refused by the input guards (too large, binary).
 */
export function formatDocument(text: string, options: FormatOptions = {}, range?: Range): TextEdit[] {
  if (!checkText(text).ok) return [];
  const result = formatVcl(text, options);
  if (!isFormatted(result)) return [];
  const index = new LineIndex(text);
  let edits = result.edits;
  if (range) {
    const from = index.offset(range.start);
    const to = Math.max(from, index.offset(range.end));
    edits = edits.filter((e) => e.start <= to && e.end >= from);
  }
  return edits.map((e) => ({ range: index.range(e.start, e.end), newText: e.newText }));
}

/**
 * A whole VCL text in the formatter's layout, for the CLI: the formatted
 * text, or why it was left as it is (refused input, syntax errors).
 */
export function formatWholeText(text: string, options: FormatOptions = {}): { text: string } | { reason: string } {
  const input = checkText(text);
  if (!input.ok) return { reason: input.reason };
  const result = formatVcl(text, options);
  if (!isFormatted(result)) return { reason: result.reason === 'syntax-errors' ? 'it has syntax errors' : 'formatting would change more than whitespace' };
  return { text: result.text };
}
