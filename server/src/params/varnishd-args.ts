/**
 * Finds the varnishd invocation among shell words and reads its options
 * (varnishd 7.1's getopt string), plus the shared logic that decides where
 * a new `-p` goes so that it keeps the command's quoting and continuations.
 */
import { DAEMON_PROGRAMS } from './daemon-names.js';
import type { InsertAt, OtherOption, ParamSetting, ParamsCommand, ReadProblem, TextSpan } from './model.js';
import { textSpan, tokenize, type ShellWord } from './shell-words.js';

/**
 * Options that take an argument in varnishd 7.1 (`-p` is handled apart).
 * `-u`, `-g` and `-w` are from Varnish 2/3 and still appear in old
 * `/etc/default/varnish` files; knowing they take a value keeps the words
 * after them from being misread.
 */
const VALUE_FLAGS = new Set([...'abEfhiIjlMnPrSsTtWx', ...'ugw']);
/** Options without an argument: compile only, debug, foreground, version, help. */
const NO_VALUE_FLAGS = new Set([...'CdFV?']);

/** Programs that run the command after them (and their own options first). */
const WRAPPERS = new Set([
  'exec', 'env', 'nohup', 'sudo', 'doas', 'nice', 'ionice', 'setsid', 'chrt', 'taskset', 'numactl', 'stdbuf',
  'timeout', 'time', 'command', 'su-exec', 'gosu', 'chpst', 'tini', 'dumb-init', 'runuser', 'start-stop-daemon',
  'catchsegv', 'valgrind', 'strace', 'authbind', 'setpriv', 'prlimit', 'daemon',
  // shell words that may precede a command
  'if', 'then', 'else', 'elif', 'do', 'while', 'until', '!', '{',
]);
const SHELLS = new Set(['sh', 'bash', 'dash', 'ash', 'ksh', 'zsh', 'busybox']);
const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*=/;

/** A varnishd command found among words. */
export interface Invocation {
  /** The `varnishd` word; absent when the words are arguments for an image's own varnishd. */
  program?: ShellWord;
  args: ShellWord[];
}

/** The options read from a varnishd argument list. */
export interface ParsedArgs {
  settings: ParamSetting[];
  options: OtherOption[];
  problems: ReadProblem[];
  /** Last word of the last `-p` option: new settings go after it. */
  lastSettingWord?: ShellWord;
  /** Last word of the last option of any kind. */
  lastOptionWord?: ShellWord;
}

const basename = (s: string): string => s.slice(s.lastIndexOf('/') + 1);

/** Is this word the daemon program (`varnishd`, `/usr/sbin/varnishd`, Vinyl Cache's `vinyld`, ...)? */
export function isVarnishd(word: ShellWord | undefined): boolean {
  return !!word && !word.op && DAEMON_PROGRAMS.includes(basename(word.text));
}

/**
 * Every varnishd invocation among `words`: a command whose program is
 * varnishd, or varnishd run through `exec`, `env`, `nohup`, `sudo`, ... or
 * `sh -c '...'`. Commands are split at shell operators; `problems`
 * receives unbalanced quotes found inside `sh -c` scripts.
 */
export function findInvocations(words: ShellWord[], problems: ReadProblem[] = [], depth = 0): Invocation[] {
  const found: Invocation[] = [];
  let segment: ShellWord[] = [];
  const close = (): void => {
    if (segment.length) scanSegment(segment, found, problems, depth);
    segment = [];
  };
  for (const w of words) {
    if (w.op) close();
    else segment.push(w);
  }
  close();
  return found;
}

function scanSegment(seg: ShellWord[], found: Invocation[], problems: ReadProblem[], depth: number): void {
  let k = 0;
  while (k < seg.length && ASSIGNMENT.test(seg[k]!.text)) k++;
  const first = seg[k];
  if (!first) return;
  const prog = basename(first.text);
  if (isVarnishd(first)) {
    found.push({ program: first, args: seg.slice(k + 1) });
    return;
  }
  if (SHELLS.has(prog) && depth < 4) {
    // `sh -c 'exec varnishd ...'`: the script is one word; read it as a shell would.
    for (let j = k + 1; j + 1 < seg.length; j++) {
      const t = seg[j]!.text;
      // Letters only, one of them c (`-c`, `-ec`, `-xc`); two tests, as `[a-z]*c[a-z]*` backtracks on long words.
      if (!/^-[a-z]+$/.test(t) || !t.includes('c')) continue;
      const script = seg[j + 1]!;
      // Only a script quoted as a whole keeps an option added after its last word inside it
      // (unquoted, that option would go to sh, not varnishd).
      const n = script.text.length;
      if (!script.quoted || script.map[0] !== script.span.start + 1 || script.map[n - 1] !== script.span.end - 2) return;
      const tokens = tokenize(script.text, { dialect: 'sh', base: script.map });
      problems.push(...tokens.problems);
      found.push(...findInvocations(tokens.words, problems, depth + 1));
      return;
    }
    return;
  }
  if (!WRAPPERS.has(prog)) return;
  const j = seg.findIndex((w, n) => n > k && isVarnishd(w));
  if (j < 0) return;
  if (prog === 'start-stop-daemon') {
    // start-stop-daemon --exec /usr/sbin/varnishd -- ARGS
    const dashes = seg.findIndex((w, n) => n > j && w.text === '--');
    found.push({ program: seg[j]!, args: dashes < 0 ? [] : seg.slice(dashes + 1) });
    return;
  }
  found.push({ program: seg[j]!, args: seg.slice(j + 1) });
}

/** Reads varnishd options from its arguments. Positional words (`$DAEMON_OPTS`, `"$@"`) are skipped. */
export function parseVarnishdArgs(args: ShellWord[]): ParsedArgs {
  const out: ParsedArgs = { settings: [], options: [], problems: [] };
  for (let i = 0; i < args.length; i++) {
    const w = args[i]!;
    if (w.op || w.text === '--') break;
    const t = w.text;
    if (t.length < 2 || t[0] !== '-') continue;
    // getopt lets flags share a word: `-Fa:80` is `-F -a :80`.
    let k = 1;
    for (; k < t.length && NO_VALUE_FLAGS.has(t[k]!); k++) {
      out.options.push({ flag: `-${t[k]}`, span: w.span });
      out.lastOptionWord = w;
    }
    if (k >= t.length) continue;
    const letter = t[k]!;
    if (letter !== 'p' && !VALUE_FLAGS.has(letter)) {
      out.options.push({ flag: `-${t.slice(k)}`, span: w.span });
      out.lastOptionWord = w;
      continue;
    }
    // The argument is attached (`-pname=v`, or `"-p name=v"` as one word) or is the next word.
    let valueWord: ShellWord | undefined = w;
    let from = k + 1;
    if (t.length === k + 1) {
      valueWord = args[i + 1];
      from = 0;
      if (!valueWord || valueWord.op) {
        out.problems.push({ message: `'-${letter}' at the end of the command has no argument`, span: w.span, severity: 'error' });
        continue;
      }
      i++;
    }
    while (from < valueWord.text.length && /\s/.test(valueWord.text[from]!)) from++;
    const span: TextSpan = { start: w.span.start, end: valueWord.span.end };
    out.lastOptionWord = valueWord;
    if (letter !== 'p') {
      out.options.push({ flag: `-${letter}`, value: valueWord.text.slice(from), span });
      continue;
    }
    const setting = settingFrom(valueWord, from, span, out.problems);
    if (setting) {
      out.settings.push(setting);
      out.lastSettingWord = valueWord;
    }
  }
  return out;
}

/** `name=value` from `word.text` at `from`, or a problem when there is no `=`. */
function settingFrom(word: ShellWord, from: number, span: TextSpan, problems: ReadProblem[]): ParamSetting | undefined {
  const t = word.text;
  const eq = t.indexOf('=', from);
  if (eq <= from) {
    const message = eq < 0 ? `'-p ${t.slice(from)}' has no '=': varnishd wants -p name=value` : `'-p ${t.slice(from)}' has no parameter name`;
    problems.push({ message, span, severity: 'error' });
    return undefined;
  }
  const name = t.slice(from, eq);
  const value = t.slice(eq + 1);
  const setting: ParamSetting = {
    name,
    value,
    nameSpan: textSpan(word, from, eq),
    valueSpan: textSpan(word, eq + 1, t.length),
    span,
    form: 'flag',
  };
  if (word.unresolved && /[$`]/.test(t.slice(from))) setting.unresolved = true;
  return setting;
}

/** The line break the file already uses. */
export function eolOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

function leadingBlanks(text: string, lineStart: number): string {
  return /^[ \t]*/.exec(text.slice(lineStart, lineStart + 200))![0];
}

/**
 * Where a new `-p` goes after `anchorEnd` in a command written over
 * `region`: on a new `\`-continued line when the command already uses them
 * (at the indentation of the option at `optionStart`, or of the continuation
 * lines when that option is on the first line), on a new line when the
 * command spans lines and `newlineIsBlank` (YAML scalars, a quoted
 * `DAEMON_OPTS`: there a line break separates words like a space), else
 * after a space.
 */
export function insertInLine(
  text: string,
  region: TextSpan,
  anchorEnd: number,
  optionStart = anchorEnd,
  newlineIsBlank = false,
): InsertAt {
  const body = text.slice(region.start, region.end);
  const continued = /\\\r?\n/.test(body);
  if (!continued && !(newlineIsBlank && body.includes('\n'))) return { offset: anchorEnd, prefix: ' ', suffix: '' };
  const eol = eolOf(text);
  // Indent like the line the anchoring option starts on (`-p \` may put its value deeper).
  const anchorLine = text.lastIndexOf('\n', optionStart - 1) + 1;
  let indentLine = anchorLine;
  if (anchorLine <= region.start) {
    // The anchor is on the command's first line: copy the next line's indentation.
    const nl = text.indexOf('\n', region.start);
    indentLine = nl >= 0 && nl < region.end ? nl + 1 : -1;
  }
  const indent = indentLine >= 0 ? leadingBlanks(text, indentLine) : '    ';
  return { offset: anchorEnd, prefix: (continued ? ' \\' : '') + eol + (indent || '    '), suffix: '' };
}

/**
 * Where `-p` and `name=value` go as two new items after `anchor` in a list:
 * a YAML block list (`- item` lines) or a flow / JSON list (`[a, b]`).
 * The new items copy the anchor item's quoting.
 */
export function insertInList(text: string, anchor: ShellWord, style: 'block' | 'flow'): InsertAt {
  const first = text[anchor.span.start];
  const q = first === '"' || first === "'" ? first : '';
  if (style === 'flow') return { offset: anchor.span.end, prefix: `, ${q}`, between: `${q}, ${q}`, suffix: q };
  const lineStart = text.lastIndexOf('\n', anchor.span.start - 1) + 1;
  const dash = /^[ \t]*-[ \t]+/.exec(text.slice(lineStart, anchor.span.start));
  const item = `${eolOf(text)}${dash ? dash[0] : leadingBlanks(text, lineStart) + '- '}`;
  return { offset: anchor.span.end, prefix: item + q, between: `${q}${item}${q}`, suffix: q };
}

/**
 * A {@link ParamsCommand} for an invocation whose text lies over `region`.
 * New settings go after the last `-p`, else after the last option, else
 * after `fallback` (the varnishd word); `list` says the words are list items;
 * `newlineIsBlank` as for {@link insertInLine}.
 */
export function commandOf(
  text: string,
  region: TextSpan,
  parsed: ParsedArgs,
  fallback: ShellWord | undefined,
  list?: 'block' | 'flow',
  newlineIsBlank = false,
): ParamsCommand {
  const anchor = parsed.lastSettingWord ?? parsed.lastOptionWord ?? fallback;
  let insertAt: InsertAt;
  if (!anchor) insertAt = { offset: region.end, prefix: ' ', suffix: '' };
  else if (list) insertAt = insertInList(text, anchor, list);
  else {
    const option = [...parsed.settings, ...parsed.options].find((o) => o.span.end === anchor.span.end);
    insertAt = insertInLine(text, region, anchor.span.end, option?.span.start, newlineIsBlank);
  }
  return { span: region, settings: parsed.settings, options: parsed.options, insertAt };
}
