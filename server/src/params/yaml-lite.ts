/**
 * The part of YAML that docker-compose files use for a service's command:
 * block mappings and sequences by indentation, flow sequences, plain,
 * quoted and block (`|`, `>`) scalars. Every scalar keeps the source offset
 * of each decoded character, which a general YAML library would not give
 * without its CST. Anchors and tags are skipped; flow mappings and aliases
 * are kept as opaque nodes. Never throws.
 */
import type { ReadProblem, TextSpan } from './model.js';
import type { ShellWord } from './shell-words.js';

/** A node of the document. */
export type YamlNode = YamlScalar | YamlSeq | YamlMap | YamlOpaque;

/** A string, whatever its YAML style. */
export interface YamlScalar {
  kind: 'scalar';
  style: 'plain' | 'single' | 'double' | 'literal' | 'folded';
  /** Decoded value with its offsets; `word.span` includes quotes and indicators. */
  word: ShellWord;
  span: TextSpan;
}

/** A block (`- item`) or flow (`[a, b]`) sequence. */
export interface YamlSeq {
  kind: 'seq';
  flow: boolean;
  items: YamlNode[];
  span: TextSpan;
}

/** `key: value` in a block mapping. */
export interface YamlEntry {
  key: string;
  keySpan: TextSpan;
  value?: YamlNode;
  /** From the key to the end of the value. */
  span: TextSpan;
}

/** A block mapping. */
export interface YamlMap {
  kind: 'map';
  entries: YamlEntry[];
  span: TextSpan;
}

/** A flow mapping, an alias, or something this reader does not model. */
export interface YamlOpaque {
  kind: 'opaque';
  span: TextSpan;
}

interface Line {
  start: number;
  /** End of content, before `\r\n` or `\n`. */
  end: number;
  indent: number;
  /** Offset of the first non-blank character. */
  first: number;
  /** Empty, only blanks, a comment, or a document marker. */
  blank: boolean;
}

/** Parses `text`; `root` is undefined for an empty document. */
export function parseYaml(text: string): { root?: YamlNode; problems: ReadProblem[] } {
  return new YamlLite(text).parse();
}

/** The entry named `key` of a mapping node, if any. */
export function entryOf(node: YamlNode | undefined, key: string): YamlEntry | undefined {
  return node?.kind === 'map' ? node.entries.find((e) => e.key === key) : undefined;
}

class YamlLite {
  private readonly lines: Line[] = [];
  readonly problems: ReadProblem[] = [];

  constructor(private readonly text: string) {
    for (let pos = 0; pos <= text.length; ) {
      let nl = text.indexOf('\n', pos);
      if (nl < 0) nl = text.length;
      const end = text[nl - 1] === '\r' ? nl - 1 : nl;
      let first = pos;
      while (first < end && (text[first] === ' ' || text[first] === '\t')) first++;
      const rest = text.slice(first, first + 4);
      const marker = first === pos && /^(---|\.\.\.)(\s|$)/.test(rest);
      this.lines.push({ start: pos, end, indent: first - pos, first, blank: first >= end || text[first] === '#' || marker });
      pos = nl + 1;
    }
  }

  parse(): { root?: YamlNode; problems: ReadProblem[] } {
    const [root] = this.block(0, 0);
    return root ? { root, problems: this.problems } : { problems: this.problems };
  }

  private skipBlank(li: number): number {
    while (li < this.lines.length && this.lines[li]!.blank) li++;
    return li;
  }

  /** A block node starting on line `li` or later, indented at least `minIndent`. */
  private block(li: number, minIndent: number): [YamlNode | undefined, number] {
    li = this.skipBlank(li);
    const line = this.lines[li];
    if (!line || line.indent < minIndent) return [undefined, li];
    if (this.isDash(line.first, line.end)) return this.seq(li, line.indent);
    if (this.key(line.first, line.end)) return this.map(li, line.indent, line.first);
    return this.inline(line.first, li, minIndent - 1);
  }

  private isDash(pos: number, end: number): boolean {
    return this.text[pos] === '-' && (pos + 1 >= end || this.text[pos + 1] === ' ' || this.text[pos + 1] === '\t');
  }

  /** `key:` at `pos`: the key, its span and the offset after the colon. */
  private key(pos: number, end: number): { key: string; span: TextSpan; after: number } | undefined {
    const t = this.text;
    const q = t[pos];
    let keyEnd: number;
    let key: string;
    let colon: number;
    if (q === '"' || q === "'") {
      const close = t.indexOf(q, pos + 1);
      if (close < 0 || close >= end) return undefined;
      key = t.slice(pos + 1, close);
      keyEnd = close + 1;
      colon = keyEnd;
      while (colon < end && t[colon] === ' ') colon++;
      if (t[colon] !== ':') return undefined;
    } else {
      if ('-[{#&*!|>%@`,'.includes(q ?? '#') && !(q === '-' && !this.isDash(pos, end))) return undefined;
      colon = pos;
      for (;;) {
        colon = t.indexOf(':', colon);
        if (colon < 0 || colon >= end) return undefined;
        const next = t[colon + 1];
        if (colon + 1 >= end || next === ' ' || next === '\t') break;
        colon++;
      }
      const hash = t.slice(pos, colon).search(/\s#/);
      if (hash >= 0) return undefined;
      keyEnd = colon;
      while (keyEnd > pos && (t[keyEnd - 1] === ' ' || t[keyEnd - 1] === '\t')) keyEnd--;
      key = t.slice(pos, keyEnd);
    }
    return { key, span: { start: pos, end: keyEnd }, after: colon + 1 };
  }

  /** A block mapping whose keys sit at column `indent`; the first key is at `firstPos` on line `li`. */
  private map(li: number, indent: number, firstPos: number): [YamlMap, number] {
    const entries: YamlEntry[] = [];
    let pos = firstPos;
    for (;;) {
      const line = this.lines[li]!;
      const k = this.key(pos, line.end);
      if (!k) break;
      const [value, next] = this.value(k.after, li, indent);
      entries.push({ key: k.key, keySpan: k.span, ...(value ? { value } : {}), span: { start: k.span.start, end: value ? value.span.end : k.span.end } });
      li = this.skipBlank(next);
      // Lines indented deeper than the keys but not part of a value: skip them.
      while (li < this.lines.length && this.lines[li]!.indent > indent) li = this.skipBlank(li + 1);
      const nextLine = this.lines[li];
      if (!nextLine || nextLine.indent !== indent) break;
      pos = nextLine.first;
    }
    const start = entries[0]?.span.start ?? firstPos;
    return [{ kind: 'map', entries, span: { start, end: entries[entries.length - 1]?.span.end ?? start } }, li];
  }

  /** The value after a key's colon (or after a `- `), inline or on the following lines. */
  private value(pos: number, li: number, parentIndent: number): [YamlNode | undefined, number] {
    const line = this.lines[li]!;
    pos = this.skipProperties(pos, line.end);
    if (pos >= line.end || this.text[pos] === '#') {
      const next = this.skipBlank(li + 1);
      const nextLine = this.lines[next];
      // `key:` then `- item` at the key's own indentation is a sequence value.
      if (nextLine && nextLine.indent === parentIndent && this.isDash(nextLine.first, nextLine.end)) return this.seq(next, parentIndent);
      return this.block(li + 1, parentIndent + 1);
    }
    return this.inline(pos, li, parentIndent);
  }

  /** Skips anchors (`&a`) and tags (`!t`) before a value. */
  private skipProperties(pos: number, end: number): number {
    const t = this.text;
    for (;;) {
      while (pos < end && (t[pos] === ' ' || t[pos] === '\t')) pos++;
      if (t[pos] !== '&' && t[pos] !== '!') return pos;
      while (pos < end && t[pos] !== ' ' && t[pos] !== '\t') pos++;
    }
  }

  /** A block sequence whose dashes sit at column `indent`. */
  private seq(li: number, indent: number): [YamlSeq, number] {
    const items: YamlNode[] = [];
    const start = this.lines[li]!.first;
    let end = start + 1;
    for (;;) {
      const line = this.lines[li]!;
      let pos = line.first + 1;
      while (pos < line.end && (this.text[pos] === ' ' || this.text[pos] === '\t')) pos++;
      const k = pos < line.end ? this.key(pos, line.end) : undefined;
      let item: YamlNode | undefined;
      let next: number;
      if (k) [item, next] = this.map(li, pos - line.start, pos);
      else if (pos < line.end && this.isDash(pos, line.end)) [item, next] = this.opaqueLines(pos, li, indent);
      else [item, next] = this.value(pos, li, indent);
      if (item) {
        items.push(item);
        end = item.span.end;
      }
      li = this.skipBlank(next);
      const nextLine = this.lines[li];
      if (!nextLine || nextLine.indent !== indent || !this.isDash(nextLine.first, nextLine.end)) break;
    }
    return [{ kind: 'seq', flow: false, items, span: { start, end } }, li];
  }

  /** Something not modelled: it runs to the end of the lines indented deeper than `parentIndent`. */
  private opaqueLines(pos: number, li: number, parentIndent: number): [YamlOpaque, number] {
    let end = this.lines[li]!.end;
    let next = li + 1;
    for (; next < this.lines.length; next++) {
      const l = this.lines[next]!;
      if (l.blank) continue;
      if (l.indent <= parentIndent) break;
      end = l.end;
    }
    return [{ kind: 'opaque', span: { start: pos, end } }, next];
  }

  /** A value that starts at `pos` on line `li`, inside a parent at `parentIndent`. */
  private inline(pos: number, li: number, parentIndent: number): [YamlNode | undefined, number] {
    const c = this.text[pos];
    if (c === '"' || c === "'") return this.quoted(pos, li, c);
    if (c === '[') return this.flowSeq(pos, li);
    if (c === '{' || c === '*') return this.opaqueFlow(pos, li);
    if (c === '|' || c === '>') return this.blockScalar(pos, li, parentIndent);
    return this.plain(pos, li, parentIndent);
  }

  private lineOf(offset: number, from: number): number {
    let li = from;
    while (li + 1 < this.lines.length && this.lines[li + 1]!.start <= offset) li++;
    return li;
  }

  /** A quoted scalar, possibly over several lines (line breaks fold to spaces). */
  private quoted(pos: number, li: number, q: '"' | "'"): [YamlScalar, number] {
    const t = this.text;
    const chars: string[] = [];
    const map: number[] = [];
    let i = pos + 1;
    let closed = false;
    while (i < t.length) {
      const c = t[i]!;
      if (c === q) {
        if (q === "'" && t[i + 1] === "'") {
          chars.push("'");
          map.push(i);
          i += 2;
          continue;
        }
        closed = true;
        break;
      }
      if (c === '\\' && q === '"') {
        const n = t[i + 1] ?? '';
        if (n === '\n' || (n === '\r' && t[i + 2] === '\n')) {
          // An escaped line break joins the lines with nothing between.
          i += n === '\r' ? 3 : 2;
          while (t[i] === ' ' || t[i] === '\t') i++;
          continue;
        }
        const hex = n === 'x' ? 2 : n === 'u' ? 4 : n === 'U' ? 8 : 0;
        if (hex && /^[0-9a-fA-F]+$/.test(t.slice(i + 2, i + 2 + hex)) && t.slice(i + 2, i + 2 + hex).length === hex) {
          const code = parseInt(t.slice(i + 2, i + 2 + hex), 16);
          chars.push(code <= 0x10ffff ? String.fromCodePoint(code) : '\ufffd');
          map.push(i);
          i += 2 + hex;
          continue;
        }
        const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0', ' ': ' ', '/': '/', '"': '"', '\\': '\\', e: '\x1b', a: '\x07', b: '\b' };
        chars.push(simple[n] ?? n);
        map.push(i);
        i += 2;
        continue;
      }
      if (c === '\n' || c === '\r') {
        i = this.fold(i, chars, map);
        continue;
      }
      chars.push(c);
      map.push(i);
      i++;
    }
    if (!closed) this.problems.push({ message: 'Unbalanced quote: this YAML string never closes', span: { start: pos, end: pos + 1 }, severity: 'error' });
    const end = closed ? i + 1 : t.length;
    map.push(end);
    const word = { text: chars.join(''), span: { start: pos, end }, map, unresolved: chars.includes('$'), quoted: true };
    return [{ kind: 'scalar', style: q === '"' ? 'double' : 'single', word, span: word.span }, this.lineOf(end, li) + 1];
  }

  /**
   * Folds a line break at `i` inside a flow scalar: trailing blanks already
   * pushed are dropped, one break becomes a space, each empty line a `\n`.
   */
  private fold(i: number, chars: string[], map: number[]): number {
    const t = this.text;
    while (chars.length && (chars[chars.length - 1] === ' ' || chars[chars.length - 1] === '\t')) {
      chars.pop();
      map.pop();
    }
    const at = i;
    let empties = 0;
    for (;;) {
      if (t[i] === '\r') i++;
      if (t[i] !== '\n') break;
      i++;
      let j = i;
      while (t[j] === ' ' || t[j] === '\t') j++;
      if (t[j] === '\n' || t[j] === '\r') {
        empties++;
        i = j;
        continue;
      }
      i = j;
      break;
    }
    if (empties) for (let k = 0; k < empties; k++) (chars.push('\n'), map.push(at));
    else (chars.push(' '), map.push(at));
    return i;
  }

  /** A plain scalar: the rest of the line, plus deeper-indented continuation lines. */
  private plain(pos: number, li: number, parentIndent: number): [YamlScalar | undefined, number] {
    const t = this.text;
    const chars: string[] = [];
    const map: number[] = [];
    let last = pos;
    let next = li + 1;
    const take = (from: number, to: number): void => {
      const hash = t.slice(from, to).search(/[ \t]#/);
      let stop = hash >= 0 ? from + hash : to;
      while (stop > from && (t[stop - 1] === ' ' || t[stop - 1] === '\t')) stop--;
      for (let k = from; k < stop; k++) (chars.push(t[k]!), map.push(k));
      if (stop > from) last = stop;
    };
    take(pos, this.lines[li]!.end);
    if (!chars.length) return [undefined, next];
    let empties = 0;
    for (; next < this.lines.length; next++) {
      const l = this.lines[next]!;
      if (l.first >= l.end) {
        empties++;
        continue;
      }
      if (l.blank || l.indent <= parentIndent) break;
      const sep = empties ? '\n'.repeat(empties) : ' ';
      for (const ch of sep) (chars.push(ch), map.push(this.lines[next - 1]!.end));
      empties = 0;
      take(l.first, l.end);
    }
    map.push(last);
    const word = { text: chars.join(''), span: { start: pos, end: last }, map, unresolved: chars.includes('$'), quoted: false };
    return [{ kind: 'scalar', style: 'plain', word, span: word.span }, next - empties];
  }

  /** `|` and `>` scalars: lines indented deeper than the parent, indentation removed. */
  private blockScalar(pos: number, li: number, parentIndent: number): [YamlScalar, number] {
    const folded = this.text[pos] === '>';
    const chars: string[] = [];
    const map: number[] = [];
    let contentIndent = -1;
    let next = li + 1;
    let end = this.lines[li]!.end;
    let prevIndented = false;
    let pendingBreak = -1;
    for (; next < this.lines.length; next++) {
      const l = this.lines[next]!;
      if (l.first >= l.end) {
        if (pendingBreak >= 0) (chars.push('\n'), map.push(pendingBreak));
        pendingBreak = l.end;
        continue;
      }
      if (l.indent <= parentIndent) break;
      if (contentIndent < 0) contentIndent = l.indent;
      if (l.indent < contentIndent) break;
      const indented = l.indent > contentIndent;
      if (pendingBreak >= 0 && chars.length) {
        const space = folded && !indented && !prevIndented && chars[chars.length - 1] !== '\n';
        chars.push(space ? ' ' : '\n');
        map.push(pendingBreak);
      }
      for (let k = l.start + contentIndent; k < l.end; k++) (chars.push(this.text[k]!), map.push(k));
      prevIndented = indented;
      pendingBreak = l.end;
      end = l.end;
    }
    map.push(end);
    const word = { text: chars.join(''), span: { start: pos, end }, map, unresolved: chars.includes('$'), quoted: true };
    return [{ kind: 'scalar', style: folded ? 'folded' : 'literal', word, span: word.span }, this.lineOf(end, li) + 1];
  }

  /** `[a, "b", c]`, possibly over several lines; nested collections are opaque items. */
  private flowSeq(pos: number, li: number): [YamlSeq, number] {
    const t = this.text;
    const items: YamlNode[] = [];
    let i = pos + 1;
    let closed = false;
    while (i < t.length) {
      const c = t[i]!;
      if (c === ']') {
        closed = true;
        break;
      }
      if (c === ',' || c === ' ' || c === '\t' || c === '\n' || c === '\r') {
        i++;
        continue;
      }
      if (c === '#' && /\s/.test(t[i - 1] ?? ' ')) {
        const nl = t.indexOf('\n', i);
        i = nl < 0 ? t.length : nl;
        continue;
      }
      if (c === '"' || c === "'") {
        const [item] = this.quoted(i, this.lineOf(i, li), c);
        items.push(item);
        i = item.span.end;
        continue;
      }
      if (c === '[' || c === '{') {
        const close = this.matching(i);
        items.push({ kind: 'opaque', span: { start: i, end: close } });
        i = close;
        continue;
      }
      let j = i;
      while (j < t.length && !',]\n\r'.includes(t[j]!) && !(t[j] === '#' && /\s/.test(t[j - 1]!))) j++;
      let stop = j;
      while (stop > i && (t[stop - 1] === ' ' || t[stop - 1] === '\t')) stop--;
      const text = t.slice(i, stop);
      const map = Array.from({ length: text.length }, (_, k) => i + k);
      map.push(stop);
      const word = { text, span: { start: i, end: stop }, map, unresolved: text.includes('$'), quoted: false };
      items.push({ kind: 'scalar', style: 'plain', word, span: word.span });
      i = j;
    }
    if (!closed) this.problems.push({ message: "Unclosed '[': this YAML list never ends", span: { start: pos, end: pos + 1 }, severity: 'error' });
    const end = closed ? i + 1 : t.length;
    return [{ kind: 'seq', flow: true, items, span: { start: pos, end } }, this.lineOf(end - 1, li) + 1];
  }

  private opaqueFlow(pos: number, li: number): [YamlOpaque, number] {
    const end = this.text[pos] === '*' ? this.lines[li]!.end : this.matching(pos);
    return [{ kind: 'opaque', span: { start: pos, end } }, this.lineOf(Math.max(pos, end - 1), li) + 1];
  }

  /** The offset after the bracket that closes the one at `pos` (quotes respected), or the end of text. */
  private matching(pos: number): number {
    const t = this.text;
    let depth = 0;
    for (let i = pos; i < t.length; i++) {
      const c = t[i]!;
      if (c === '"' || c === "'") {
        const close = t.indexOf(c, i + 1);
        if (close < 0) break;
        i = close;
      } else if (c === '[' || c === '{') depth++;
      else if ((c === ']' || c === '}') && --depth === 0) return i + 1;
    }
    this.problems.push({ message: 'Unclosed bracket in YAML', span: { start: pos, end: pos + 1 }, severity: 'error' });
    return t.length;
  }
}
