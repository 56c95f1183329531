/**
 * The source offset of every character of a YAML string scalar read by the
 * `yaml` package. The package gives each node's range and, with
 * `keepSourceTokens`, its raw source token, but not where each decoded
 * character came from; a `-p name=value` inside a quoted, folded or block
 * scalar needs exactly that, so that a fix replaces only the value's text.
 *
 * Each style is decoded again here with offsets (YAML 1.2 folding, escapes,
 * block indentation and chomping) and the result is compared with the
 * package's own value. When they differ (an input this decoder does not
 * model), the word keeps the package's text but is flagged `unresolved`, so
 * that no rule judges it and no fix edits text whose place is uncertain.
 * A word written with escapes (`\x32`, `''`) is flagged the same way: one
 * offset per character cannot say where an escape starts and ends.
 */
import type { Scalar } from 'yaml';
import type { ShellWord } from './shell-words.js';

/** A string scalar as one word: decoded text, a source offset per character, its extent. */
export interface ScalarWord extends ShellWord {
  /** The offsets were proven to decode to the package's value. */
  exact: boolean;
  /**
   * Offsets of characters written as escapes (`\x32`, `''`). Such a
   * character maps to the last source character of its escape, so that a
   * span ending with it ends after the escape; a span starting with it
   * would start inside the escape.
   */
  escapes: ReadonlySet<number>;
}

interface Decoded {
  chars: string[];
  map: number[];
  escapes: Set<number>;
}

const isBlank = (c: string | undefined): boolean => c === ' ' || c === '\t';
const isBreak = (c: string | undefined): boolean => c === '\n' || c === '\r';

/** Offset after the line break at `i` (`\n` or `\r\n`). */
function afterBreak(text: string, i: number): number {
  return text[i] === '\r' && text[i + 1] === '\n' ? i + 2 : i + 1;
}

function push(out: Decoded, s: string, at: number, escaped = false): void {
  for (let k = 0; k < s.length; k++) {
    out.chars.push(s[k]!);
    out.map.push(at);
  }
  if (escaped) out.escapes.add(at);
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '0': '\0', a: '\x07', b: '\b', t: '\t', '\t': '\t', n: '\n', v: '\v', f: '\f', r: '\r', e: '\x1b',
  ' ': ' ', '"': '"', '/': '/', '\\': '\\', N: '\u0085', _: '\u00a0', L: '\u2028', P: '\u2029',
};
const HEX_DIGITS: Record<string, number> = { x: 2, u: 4, U: 8 };

/**
 * A flow scalar's content from `start` to `end` (inside the quotes, or the
 * plain scalar itself): line breaks fold (one break is a space, each empty
 * line a `\n`, blanks around breaks dropped), `''` is a quote in single
 * quotes, and `\` escapes in double quotes.
 */
function decodeFlow(text: string, start: number, end: number, style: 'plain' | 'single' | 'double'): Decoded {
  const out: Decoded = { chars: [], map: [], escapes: new Set() };
  // Blanks written literally at the end of `out`: dropped when a line break follows.
  let literalBlanks = 0;
  let i = start;
  while (i < end) {
    const c = text[i]!;
    if (isBreak(c)) {
      out.chars.length -= literalBlanks;
      out.map.length -= literalBlanks;
      literalBlanks = 0;
      const at = i;
      let empties = 0;
      i = afterBreak(text, i);
      for (;;) {
        while (i < end && isBlank(text[i])) i++;
        if (i < end && isBreak(text[i])) {
          empties++;
          i = afterBreak(text, i);
          continue;
        }
        break;
      }
      push(out, empties ? '\n'.repeat(empties) : ' ', at);
      continue;
    }
    if (style === 'single' && c === "'" && text[i + 1] === "'") {
      push(out, "'", i + 1, true);
      literalBlanks = 0;
      i += 2;
      continue;
    }
    if (style === 'double' && c === '\\') {
      const n = text[i + 1];
      if (isBreak(n)) {
        // An escaped line break joins the lines; blanks before the `\` stay.
        i = afterBreak(text, i + 1);
        for (;;) {
          while (i < end && isBlank(text[i])) i++;
          if (i < end && isBreak(text[i])) {
            push(out, '\n', i);
            i = afterBreak(text, i);
            continue;
          }
          break;
        }
        literalBlanks = 0;
        continue;
      }
      const digits = HEX_DIGITS[n ?? ''];
      if (digits) {
        const hex = text.slice(i + 2, i + 2 + digits);
        const code = /^[0-9a-fA-F]+$/.test(hex) && hex.length === digits ? parseInt(hex, 16) : NaN;
        const last = Math.min(i + 1 + digits, end - 1);
        push(out, code <= 0x10ffff ? String.fromCodePoint(code) : text.slice(i, i + 2 + digits), last, true);
        i += 2 + digits;
      } else {
        push(out, n !== undefined && n in SIMPLE_ESCAPES ? SIMPLE_ESCAPES[n]! : (n ?? ''), i + 1, true);
        i += 2;
      }
      literalBlanks = 0;
      continue;
    }
    push(out, c, i);
    literalBlanks = isBlank(c) ? literalBlanks + 1 : 0;
    i++;
  }
  return out;
}

interface BlockLine {
  /** Offset of the line's first character. */
  start: number;
  /** Number of leading spaces. */
  spaces: number;
  /** Offset of the line break (or the end of the body). */
  end: number;
}

/**
 * A `|` or `>` scalar's body from `bodyStart` (the line after the header) to
 * `bodyEnd`, with `indent` spaces of indentation removed.
 */
function decodeBlock(text: string, bodyStart: number, bodyEnd: number, indent: number, folded: boolean, chomp: '' | '-' | '+'): Decoded {
  const lines: BlockLine[] = [];
  for (let pos = bodyStart; pos < bodyEnd; ) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0 || nl >= bodyEnd) nl = bodyEnd;
    let end = nl;
    if (text[end - 1] === '\r' && end > pos) end--;
    let spaces = 0;
    while (pos + spaces < end && text[pos + spaces] === ' ') spaces++;
    lines.push({ start: pos, spaces, end });
    pos = nl + 1;
  }
  const isEmpty = (l: BlockLine): boolean => l.start + l.spaces >= l.end && l.spaces <= indent;
  // Trailing empty lines are left to chomping.
  let last = lines.length - 1;
  while (last >= 0 && isEmpty(lines[last]!)) last--;
  const out: Decoded = { chars: [], map: [], escapes: new Set() };
  /** Line breaks since the last line with text (the first is that line's own). */
  let breaks: number[] = [];
  let seenText = false;
  let prevMoreIndented = false;
  for (let k = 0; k <= last; k++) {
    const l = lines[k]!;
    if (isEmpty(l)) {
      breaks.push(l.end);
      continue;
    }
    const from = l.start + Math.min(indent, l.spaces);
    const moreIndented = l.spaces > indent || text[from] === '\t';
    if (seenText && folded && !moreIndented && !prevMoreIndented) {
      // Folding: one break between two text lines is a space; with empty
      // lines between them, only the empty lines' breaks remain.
      if (breaks.length === 1) push(out, ' ', breaks[0]!);
      else for (const b of breaks.slice(1)) push(out, '\n', b);
    } else {
      for (const b of breaks) push(out, '\n', b);
    }
    for (let p = from; p < l.end; p++) push(out, text[p]!, p);
    seenText = true;
    prevMoreIndented = moreIndented;
    breaks = [l.end];
  }
  if (last >= 0 && chomp !== '-') push(out, '\n', breaks[0]!);
  if (chomp === '+') {
    for (let k = Math.max(0, last + 1); k < lines.length; k++) {
      const l = lines[k]!;
      // A last line with no break after it adds nothing.
      if (l.end >= bodyEnd) break;
      push(out, '\n', l.end);
    }
  }
  return out;
}

/** `|`, `>-`, `|2+`, ... : the header's indicators. */
function blockHeader(source: string): { folded: boolean; indent: number; chomp: '' | '-' | '+' } | undefined {
  const m = /^([|>])([1-9]?)([+-]?)([1-9]?)/.exec(source);
  if (!m) return undefined;
  const digit = m[2] || m[4] || '';
  return { folded: m[1] === '>', indent: digit ? Number(digit) : 0, chomp: (m[3] ?? '') as '' | '-' | '+' };
}

function decodeScalar(node: Scalar, text: string): Decoded | undefined {
  const token = node.srcToken;
  if (!token) return undefined;
  if (token.type === 'scalar') return decodeFlow(text, token.offset, token.offset + token.source.length, 'plain');
  if (token.type === 'single-quoted-scalar' || token.type === 'double-quoted-scalar') {
    const close = token.source.length > 1 && token.source.endsWith(token.source[0]!) ? 1 : 0;
    return decodeFlow(text, token.offset + 1, token.offset + token.source.length - close, token.type === 'double-quoted-scalar' ? 'double' : 'single');
  }
  if (token.type !== 'block-scalar') return undefined;
  const header = token.props.find((p) => p.type === 'block-scalar-header');
  const h = header && 'source' in header ? blockHeader(header.source) : undefined;
  const lastProp = token.props[token.props.length - 1];
  if (!h || !lastProp || !('source' in lastProp)) return undefined;
  const bodyStart = lastProp.offset + lastProp.source.length;
  const bodyEnd = bodyStart + token.source.length;
  if (h.indent) return decodeBlock(text, bodyStart, bodyEnd, token.indent + h.indent, h.folded, h.chomp);
  // Without an indicator the first line with text sets the indentation.
  // With only empty lines, the longest of them does.
  let first = bodyStart;
  let longestEmpty = 0;
  for (;;) {
    let spaces = 0;
    while (first + spaces < bodyEnd && text[first + spaces] === ' ') spaces++;
    if (first + spaces < bodyEnd && isBreak(text[first + spaces])) {
      longestEmpty = Math.max(longestEmpty, spaces);
      first = afterBreak(text, first + spaces);
      continue;
    }
    const indent = first + spaces >= bodyEnd ? Math.max(longestEmpty, spaces) : spaces;
    return decodeBlock(text, bodyStart, bodyEnd, indent, h.folded, h.chomp);
  }
}

/**
 * The string scalar `node` of `text` (parsed with `keepSourceTokens`) as a
 * word; undefined when it is not a string or was not read from `text`.
 */
export function scalarWord(node: Scalar, text: string): ScalarWord | undefined {
  const value = node.value;
  if (typeof value !== 'string' || !node.range) return undefined;
  const [start, valueEnd] = node.range;
  let decoded: Decoded | undefined;
  try {
    decoded = decodeScalar(node, text);
  } catch {
    decoded = undefined;
  }
  const quoted = node.type !== 'PLAIN';
  // A block scalar's range runs past its final line break; the word ends with its text.
  let end = valueEnd;
  if (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') while (end > start && /\s/.test(text[end - 1]!)) end--;
  if (decoded && decoded.chars.join('') === value) {
    const map = decoded.map.slice();
    map.push(end);
    const unresolved = value.includes('$') || decoded.escapes.size > 0;
    return { text: value, span: { start, end }, map, unresolved, quoted, exact: true, escapes: decoded.escapes };
  }
  const map = Array.from({ length: value.length + 1 }, (_, k) => Math.min(start + k, end));
  return { text: value, span: { start, end }, map, unresolved: true, quoted, exact: false, escapes: new Set() };
}
