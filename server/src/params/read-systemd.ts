/**
 * systemd unit files and drop-ins (`varnish.service`,
 * `varnish.service.d/*.conf`, Vinyl Cache's `vinyl-cache.service` and
 * `vinyl-cache.service.d/*.conf`): the varnishd or vinyld command of
 * `ExecStart=` in `[Service]`, with `\` continuations, command prefixes and
 * the empty `ExecStart=` that drop-ins use to replace the packaged command.
 */
import type { OtherOption, ParamsCommand, ParamsFile, TextSpan } from './model.js';
import { tokenize, type ShellWord } from './shell-words.js';
import { commandOf, findInvocations, parseVarnishdArgs } from './varnishd-args.js';

/** A unit file as read, with what {@link mergeSystemd} needs. */
export interface SystemdParamsFile extends ParamsFile {
  kind: 'systemd';
  /**
   * The last empty `ExecStart=` of the file. Commands of files read before
   * this one (the unit, earlier drop-ins) no longer apply; the file's own
   * commands are those after it.
   */
  execStartReset?: TextSpan;
}

/** A logical line: `key=value` possibly continued over several physical lines. */
interface Entry {
  key: string;
  keyStart: number;
  valueStart: number;
  valueEnd: number;
}

/** Reads a unit file or drop-in. Never throws. */
export function read(text: string): SystemdParamsFile {
  const file: SystemdParamsFile = { kind: 'systemd', commands: [], problems: [] };
  const env: OtherOption[] = [];
  let execStarts = 0;
  for (const { section, entry } of entries(text)) {
    if (section !== 'Service') continue;
    if (entry.key === 'Environment' || entry.key === 'EnvironmentFile') {
      const value = text.slice(entry.valueStart, entry.valueEnd);
      env.push({ flag: entry.key, value, span: { start: entry.keyStart, end: entry.valueEnd } });
      continue;
    }
    if (entry.key !== 'ExecStart') continue;
    execStarts++;
    const region = { start: entry.valueStart, end: entry.valueEnd };
    const tokens = tokenize(text, { dialect: 'systemd', start: region.start, end: region.end });
    if (!tokens.words.length && !tokens.problems.length) {
      // `ExecStart=` alone empties the list: what came before no longer runs.
      file.commands = [];
      file.execStartReset = { start: entry.keyStart, end: entry.valueEnd };
      continue;
    }
    file.problems.push(...tokens.problems);
    for (const inv of findInvocations(execWords(tokens.words), file.problems)) {
      const parsed = parseVarnishdArgs(inv.args);
      file.problems.push(...parsed.problems);
      file.commands.push(commandOf(text, region, parsed, inv.program));
    }
  }
  for (const cmd of file.commands) cmd.options.unshift(...env);
  if (!file.commands.length && !file.execStartReset) {
    const message = execStarts
      ? 'No ExecStart= in this file runs varnishd or vinyld.'
      : 'No ExecStart= in [Service]: this file does not say how varnishd starts (another unit file or drop-in may).';
    file.problems.push({ message, span: { start: 0, end: 0 }, severity: 'info' });
  }
  return file;
}

/**
 * The commands that run after systemd merges a unit with its drop-ins, in
 * the order given (the unit first, then drop-ins by file name): an empty
 * `ExecStart=` in a later file drops every command before it. Each command
 * comes with the index of the file it is in, since its spans are offsets
 * into that file.
 */
export function mergeSystemd(files: ParamsFile[]): { file: number; command: ParamsCommand }[] {
  let effective: { file: number; command: ParamsCommand }[] = [];
  files.forEach((f, file) => {
    if ((f as SystemdParamsFile).execStartReset) effective = [];
    for (const command of f.commands) effective.push({ file, command });
  });
  return effective;
}

/**
 * Drops `ExecStart=`'s prefixes (`-`, `@`, `+`, `:`, `!`, `!!`) from the
 * first word; with `@` the second word is argv[0], not an argument.
 */
function execWords(words: ShellWord[]): ShellWord[] {
  const first = words[0];
  if (!first || first.op) return words;
  const n = /^[-@:+!]*/.exec(first.text)![0].length;
  if (!n) return words;
  const rest = words.slice(first.text.includes('@') ? 2 : 1);
  if (n === first.text.length) return rest;
  const map = first.map.slice(n);
  const program: ShellWord = { ...first, text: first.text.slice(n), map, span: { start: map[0]!, end: first.span.end } };
  return [program, ...rest];
}

const BLANK = /[ \t]/;

/** The `key=value` entries of a unit file with the section each is in. */
function* entries(text: string): Generator<{ section: string; entry: Entry }> {
  let section = '';
  let pos = 0;
  const len = text.length;
  while (pos < len) {
    let s = pos;
    while (s < len && BLANK.test(text[s]!)) s++;
    let lineEnd = text.indexOf('\n', s);
    if (lineEnd < 0) lineEnd = len;
    const c = text[s];
    if (c === '[') {
      const close = text.indexOf(']', s);
      section = close > s && close < lineEnd ? text.slice(s + 1, close).trim() : '';
      pos = lineEnd + 1;
      continue;
    }
    if (c === '#' || c === ';' || s >= lineEnd || c === '\r') {
      pos = lineEnd + 1;
      continue;
    }
    const end = logicalEnd(text, lineEnd);
    pos = end + 1;
    const eq = text.indexOf('=', s);
    if (eq < 0 || eq > lineEnd) continue;
    let valueStart = eq + 1;
    while (valueStart < end && BLANK.test(text[valueStart]!)) valueStart++;
    let valueEnd = end;
    while (valueEnd > valueStart && /\s/.test(text[valueEnd - 1]!)) valueEnd--;
    yield { section, entry: { key: text.slice(s, eq).trim(), keyStart: s, valueStart, valueEnd } };
  }
}

/** Where a line ending in `\` stops continuing: comment lines inside it are skipped, as systemd does. */
function logicalEnd(text: string, lineEnd: number): number {
  const len = text.length;
  let end = lineEnd;
  for (;;) {
    let last = end - 1;
    if (text[last] === '\r') last--;
    if (text[last] !== '\\' || end >= len) return end;
    // Continue past comment lines to the next real line.
    let next = end + 1;
    for (;;) {
      let s = next;
      while (s < len && BLANK.test(text[s]!)) s++;
      if (text[s] !== '#' && text[s] !== ';') break;
      const nl = text.indexOf('\n', s);
      if (nl < 0) return len;
      next = nl + 1;
    }
    const nl = text.indexOf('\n', next);
    end = nl < 0 ? len : nl;
  }
}
