/**
 * `formatVcl(text, options)`: the formatted text of a VCL file and the
 * edits that turn the original into it. Only whitespace between tokens and
 * comments changes, so the result compiles exactly when the original does.
 * A text with syntax errors is left alone (formatting a guess could move
 * code the user is still writing), and the result is checked to hold the
 * same tokens and comments before it is returned.
 */
import { parse } from '../syntax/parse.js';
import { readItems, type Item } from './items.js';
import { layout } from './layout.js';
import { applyOffsetEdits, type OffsetEdit } from '../text/offset-edits.js';

/** The editor's formatting options (LSP `FormattingOptions`). */
export interface FormatOptions {
  /** Width of one indentation level in spaces (default 4, as in Varnish's documentation). */
  tabSize?: number;
  /** Indent with spaces (default) or with tabs. */
  insertSpaces?: boolean;
}

export type { OffsetEdit } from '../text/offset-edits.js';

/** The formatted text and the (whitespace-only) edits that produce it from the original. */
export interface Formatted {
  text: string;
  /** Sorted, non-overlapping; empty when the text is already formatted. */
  edits: OffsetEdit[];
}

/** Why a text was not formatted. */
export interface NotFormatted {
  reason: 'syntax-errors' | 'verification-failed';
}

/** Formats VCL source; a text with syntax errors gives a `reason` instead. Never throws on bad input. */
export function formatVcl(text: string, options: FormatOptions = {}): Formatted | NotFormatted {
  if (parse(text).errors.length > 0) return { reason: 'syntax-errors' };
  const { items } = readItems(text);
  const tabSize = options.tabSize !== undefined && Number.isInteger(options.tabSize) && options.tabSize > 0 ? Math.min(options.tabSize, 16) : 4;
  const indent = options.insertSpaces === false ? '\t' : ' '.repeat(tabSize);
  const eol = lineBreakOf(text);
  const { gaps } = layout(text, items, { indent, eol });

  const edits: OffsetEdit[] = [];
  for (let i = 0; i <= items.length; i++) {
    const start = i === 0 ? 0 : items[i - 1]!.end;
    const end = i < items.length ? items[i]!.start : text.length;
    const gap = gaps[i]!;
    // Compared in place: most gaps do not change, and slicing each one would cost more than the layout.
    if (end - start !== gap.length || !text.startsWith(gap, start)) edits.push({ start, end, newText: gap });
  }
  if (edits.length === 0) return { text, edits };
  const formatted = applyOffsetEdits(text, edits);
  if (!sameItems(items, readItems(formatted).items)) return { reason: 'verification-failed' };
  return { text: formatted, edits };
}

/** True when formatting produced a result (rather than a reason not to). */
export function isFormatted(r: Formatted | NotFormatted): r is Formatted {
  return 'edits' in r;
}

/**
 * The text's own line break, taken from its first line: `\r\n`, `\n`, or a
 * lone `\r` (old Mac files), so formatting never changes a file's line-ending style.
 */
function lineBreakOf(text: string): string {
  const m = /\r\n?|\n/.exec(text);
  return m ? m[0] : '\n';
}

/** The safety net: the formatted text must read as the very same tokens and comments. */
function sameItems(a: readonly Item[], b: readonly Item[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (a[i]!.text !== b[i]!.text || a[i]!.name !== b[i]!.name || a[i]!.kind !== b[i]!.kind) return false;
  }
  return true;
}
