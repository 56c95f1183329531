/**
 * Splits a command line into words the way a shell (or systemd, or docker
 * compose) would, keeping for every character of every word the offset it
 * came from, so that a setting found inside a quoted, escaped or continued
 * word still points at its exact source text.
 *
 * Expansions (`$VAR`, `${VAR}`, `$(...)`, backquotes) are kept as written and
 * flag the word: the reader cannot know their value. Never throws; an
 * unbalanced quote or unclosed expansion becomes a {@link ReadProblem} and the
 * word runs to the end of the region.
 */
import type { ReadProblem, TextSpan } from './model.js';

/** One word (an argv element) or one shell operator. */
export interface ShellWord {
  /** The word after quote removal and escapes; expansions left as written. */
  text: string;
  /** Raw extent in the source, quotes included. */
  span: TextSpan;
  /** `map[i]` is the source offset of `text[i]`; `map[text.length]` is `span.end`. */
  map: number[];
  /** Holds an expansion whose value only the running shell knows. */
  unresolved: boolean;
  /** Some part of it was quoted. */
  quoted: boolean;
  /** Set on operators (`;`, `&&`, `|`, `\n`, `(`, `>`, ...) instead of words. */
  op?: string;
}

/**
 * - `sh`: POSIX shell: `#` comments, operators, newline ends a command,
 *   `\`-newline is removed.
 * - `systemd`: `ExecStart=` values: `\`-newline is a space, comment lines
 *   inside a continuation are skipped, C escapes, a lone `;` separates commands.
 * - `argv`: compose / shlex style: quotes and escapes, newlines are blanks,
 *   no operators, no comments.
 */
export type ShellDialect = 'sh' | 'systemd' | 'argv';

export interface TokenizeOptions {
  dialect?: ShellDialect;
  /** Region of `text` to read (default: all of it). */
  start?: number;
  end?: number;
  /** Source offset of each character of `text` (plus one past the end), when `text` is itself decoded. */
  base?: readonly number[];
  /** Single quotes quote (default true; varnish CLI files only know double quotes). */
  singleQuotes?: boolean;
}

export interface Tokens {
  words: ShellWord[];
  problems: ReadProblem[];
}

const BLANK = /[ \t\f\v]/;
/** ASCII characters that may end a word or change the tokenizer's state in some dialect. */
const SPECIAL: boolean[] = Array.from({ length: 128 }, (_, k) => ' \t\f\v\r\n\\\'"$`;&|()<>#'.includes(String.fromCharCode(k)));
const NAME_START = /[A-Za-z_]/;
const NAME_CHAR = /[A-Za-z0-9_]/;
const SPECIAL_PARAM = /[0-9@*#?!$-]/;
const OPS2 = new Set(['&&', '||', ';;', '>>', '<<', '>&', '<&', '|&', '&>']);
const C_ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v', s: ' ' };

/** Splits `text` (or its `start..end` region) into words. Never throws. */
export function tokenize(text: string, options: TokenizeOptions = {}): Tokens {
  const dialect = options.dialect ?? 'sh';
  const singleQuotes = options.singleQuotes ?? true;
  const end = Math.min(options.end ?? text.length, text.length);
  const base = options.base;
  const src = (i: number): number => (base ? (base[i] ?? base[base.length - 1] ?? i) : i);
  const words: ShellWord[] = [];
  const problems: ReadProblem[] = [];

  let chars: string[] = [];
  let map: number[] = [];
  let wordStart = -1;
  let quoted = false;
  let unresolved = false;

  const begin = (i: number): void => {
    if (wordStart < 0) wordStart = i;
  };
  const add = (c: string, i: number): void => {
    chars.push(c);
    map.push(src(i));
  };
  const flush = (endIndex: number): void => {
    if (wordStart < 0) return;
    const spanEnd = endIndex > wordStart ? src(endIndex - 1) + 1 : src(wordStart);
    map.push(spanEnd);
    words.push({ text: chars.join(''), span: { start: src(wordStart), end: spanEnd }, map, unresolved, quoted });
    chars = [];
    map = [];
    wordStart = -1;
    quoted = false;
    unresolved = false;
  };
  const problem = (at: number, message: string): void => {
    problems.push({ message, span: { start: src(at), end: src(at) + 1 }, severity: 'error' });
  };
  /** Copies an expansion starting at `$` or a backquote verbatim; returns the index after it. */
  const expansion = (i: number): number => {
    const c = text[i];
    const next = text[i + 1] ?? '';
    let j: number;
    if (c === '`') {
      j = i + 1;
      while (j < end && text[j] !== '`') j += text[j] === '\\' ? 2 : 1;
      if (j >= end) {
        problem(i, 'Unclosed backquote: the command substitution opened here never ends');
        j = end;
      } else j++;
    } else if (next === '{' || next === '(') {
      const close = next === '{' ? '}' : ')';
      let depth = 0;
      j = i + 1;
      for (; j < end; j++) {
        const d = text[j];
        if (d === '\\') j++;
        else if (d === next) depth++;
        else if (d === close && --depth === 0) break;
      }
      if (j >= end) {
        problem(i, `Unclosed '$${next}': the expansion opened here never ends`);
        j = end;
      } else j++;
    } else if (NAME_START.test(next)) {
      j = i + 2;
      while (j < end && NAME_CHAR.test(text[j]!)) j++;
    } else if (SPECIAL_PARAM.test(next) && next !== '') {
      j = i + 2;
    } else {
      add('$', i); // a lone dollar is literal
      return i + 1;
    }
    j = Math.min(j, end);
    for (let k = i; k < j; k++) add(text[k]!, k);
    unresolved = true;
    return j;
  };
  const isContinuation = (i: number): number => {
    if (text[i] !== '\\' || i + 1 >= end) return 0;
    if (text[i + 1] === '\n') return 2;
    if (text[i + 1] === '\r' && text[i + 2] === '\n' && i + 2 < end) return 3;
    return 0;
  };
  /** systemd ignores comment lines met inside a continuation. */
  const skipCommentLines = (i: number): number => {
    for (;;) {
      let j = i;
      while (j < end && BLANK.test(text[j]!)) j++;
      if (text[j] !== '#' && text[j] !== ';') return i;
      const nl = text.indexOf('\n', j);
      if (nl < 0 || nl >= end) return end;
      i = nl + 1;
    }
  };
  /** A backslash escape outside quotes or inside double quotes; returns the index after it. */
  const escape = (i: number, inDouble: boolean): number => {
    const next = text[i + 1];
    if (i + 1 >= end || next === undefined) {
      add('\\', i);
      return i + 1;
    }
    if (dialect === 'systemd') {
      const c = C_ESCAPES[next];
      if (c !== undefined) add(c, i);
      else if (next === 'x' && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 2, i + 4))) {
        add(String.fromCharCode(parseInt(text.slice(i + 2, i + 4), 16)), i);
        return i + 4;
      } else add(next, i + 1);
      return i + 2;
    }
    if (inDouble && !'$`"\\'.includes(next)) {
      add('\\', i); // inside double quotes other backslashes stay
      return i + 1;
    }
    add(next, i + 1);
    return i + 2;
  };

  let i = Math.max(0, options.start ?? 0);
  while (i < end) {
    const c = text[i]!;
    const code = c.charCodeAt(0);
    if (code >= 128 || !SPECIAL[code]) {
      // Fast path: an ordinary character continues (or starts) the word.
      begin(i);
      add(c, i);
      i++;
      continue;
    }
    const cont = isContinuation(i);
    if (cont) {
      if (dialect === 'sh') {
        i += cont; // the shell removes it: the word goes on
        continue;
      }
      flush(i);
      i += cont;
      if (dialect === 'systemd') i = skipCommentLines(i);
      continue;
    }
    if (BLANK.test(c) || c === '\r' || (c === '\n' && dialect !== 'sh')) {
      flush(i);
      i++;
      continue;
    }
    if (dialect === 'sh') {
      if (c === '\n') {
        flush(i);
        words.push(opWord('\n', src(i), src(i) + 1));
        i++;
        continue;
      }
      if (c === '#' && wordStart < 0) {
        const nl = text.indexOf('\n', i);
        i = nl < 0 || nl > end ? end : nl;
        continue;
      }
      if (';&|()<>'.includes(c)) {
        flush(i);
        const two = text.slice(i, i + 2);
        const op = i + 1 < end && OPS2.has(two) ? two : c;
        words.push(opWord(op, src(i), src(i + op.length - 1) + 1));
        i += op.length;
        continue;
      }
    } else if (dialect === 'systemd' && c === ';' && wordStart < 0 && (i + 1 >= end || /\s/.test(text[i + 1]!))) {
      words.push(opWord(';', src(i), src(i) + 1));
      i++;
      continue;
    }
    begin(i);
    if (c === "'" && singleQuotes) {
      quoted = true;
      let j = i + 1;
      if (dialect !== 'systemd') {
        const close = text.indexOf("'", j);
        const stop = close < 0 || close >= end ? end : close;
        for (; j < stop; j++) add(text[j]!, j);
      } else {
        for (; j < end && text[j] !== "'"; ) j = text[j] === '\\' ? escape(j, true) : (add(text[j]!, j), j + 1);
      }
      if (j >= end) {
        problem(i, 'Unbalanced single quote: the string opened here never closes');
        i = end;
      } else i = j + 1;
      continue;
    }
    if (c === '"') {
      quoted = true;
      let j = i + 1;
      while (j < end && text[j] !== '"') {
        const d = text[j]!;
        const dc = isContinuation(j);
        if (dc && dialect === 'sh') j += dc;
        else if (dc && dialect === 'systemd') {
          add(' ', j); // systemd joins continued lines with a space before it unquotes
          j += dc;
        } else if (d === '\\') j = escape(j, true);
        else if (d === '$' || (d === '`' && dialect === 'sh')) j = expansion(j);
        else {
          add(d, j);
          j++;
        }
      }
      if (j >= end) {
        problem(i, 'Unbalanced double quote: the string opened here never closes');
        i = end;
      } else i = j + 1;
      continue;
    }
    if (c === '\\') {
      i = escape(i, false);
      continue;
    }
    if (c === '$' || (c === '`' && dialect === 'sh')) {
      i = expansion(i);
      continue;
    }
    add(c, i);
    i++;
  }
  flush(end);
  return { words, problems };
}

function opWord(op: string, start: number, end: number): ShellWord {
  const map = Array.from(op, (_, k) => Math.min(start + k, end));
  map.push(end);
  return { text: op, span: { start, end }, map, unresolved: false, quoted: false, op };
}

/**
 * Splits a word's value on blanks, as the shell does when it expands an
 * unquoted `$DAEMON_OPTS`: quotes inside the value are plain characters then.
 */
export function splitFields(word: ShellWord): ShellWord[] {
  const fields: ShellWord[] = [];
  // `\r` too: a CRLF file's line ends should not glue themselves to words.
  const re = /[^ \t\r\n]+/g;
  for (let m = re.exec(word.text); m; m = re.exec(word.text)) {
    const from = m.index;
    const to = from + m[0].length;
    const map = word.map.slice(from, to);
    const spanEnd = (word.map[to - 1] ?? 0) + 1;
    map.push(spanEnd);
    fields.push({
      text: m[0],
      span: { start: word.map[from] ?? 0, end: spanEnd },
      map,
      unresolved: word.unresolved && /[$`]/.test(m[0]),
      quoted: false,
    });
  }
  return fields;
}

/** The source span of `word.text.slice(from, to)`; an empty slice sits just after the character before it. */
export function textSpan(word: ShellWord, from: number, to: number): TextSpan {
  if (to <= from) {
    // `""` has no characters to map: point between its quotes.
    const at = from > 0 ? (word.map[from - 1] ?? word.span.start) + 1 : word.text.length ? (word.map[0] ?? word.span.start) : word.span.start + (word.quoted ? 1 : 0);
    return { start: at, end: at };
  }
  return { start: word.map[from] ?? word.span.start, end: (word.map[to - 1] ?? word.span.end) + 1 };
}
