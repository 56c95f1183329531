/**
 * Shell environment files sourced by init scripts or systemd:
 * `/etc/default/varnish` (Debian), `/etc/sysconfig/varnish` (Red Hat 6),
 * `/etc/varnish/varnish.params` (Red Hat 7), and Vinyl Cache's
 * `/etc/default/vinyl-cache`. Options live in a variable such as
 * `DAEMON_OPTS="..."` (often quoted over several `\`-continued lines) and
 * in the classic `VARNISH_*` variables (Vinyl Cache's packages never had
 * such a layout, so there are no `VINYL_*` counterparts).
 */
import type { InsertAt, OtherOption, ParamSetting, ParamsCommand, ParamsFile, ReadProblem } from './model.js';
import { splitFields, textSpan, tokenize, type ShellWord } from './shell-words.js';
import { commandOf, eolOf, parseVarnishdArgs } from './varnishd-args.js';
import { own } from '../text/own.js';

/** Variables whose value is a list of varnishd options, `DAEMON_OPTS` first as the one to create. */
const OPTION_VARIABLES = ['DAEMON_OPTS', 'VARNISHD_PARAMS', 'VARNISHD_OPTS', 'VARNISH_OPTS', 'VARNISH_DAEMON_OPTS'];

/**
 * `VARNISH_*` variables that stand for a varnishd parameter. Source: the
 * classic file layout shipped by the Varnish packages: Debian's
 * `/etc/default/varnish` "Alternative 3" and Red Hat's
 * `/etc/sysconfig/varnish`, where `DAEMON_OPTS` passes them on as
 * `-t ${VARNISH_TTL}` and `-p thread_pool_min=${VARNISH_MIN_THREADS}`
 * (`-w min,max,timeout` in Varnish 2/3). The others (`VARNISH_LISTEN_PORT`,
 * `VARNISH_STORAGE`, `VARNISH_VCL_CONF`, `VARNISH_SECRET_FILE`, ...) feed
 * `-a`, `-s`, `-f`, `-S`: they are options, not parameters.
 */
const VARIABLE_PARAMS: Record<string, string> = {
  VARNISH_TTL: 'default_ttl',
  VARNISH_MIN_THREADS: 'thread_pool_min',
  VARNISH_MAX_THREADS: 'thread_pool_max',
  VARNISH_THREAD_TIMEOUT: 'thread_pool_timeout',
};

const ASSIGNMENT = /^([A-Za-z_][A-Za-z0-9_]*)(\+?)=/;
const DECLARE = new Set(['export', 'readonly', 'declare', 'typeset', 'local']);
const DANGLING_CONTINUATION = /\\\r?\n?$/;
const SINGLE_REFERENCE = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/;

interface Assignment {
  name: string;
  append: boolean;
  /** The whole `NAME=value` word. */
  word: ShellWord;
  /** The value part, quotes included in its span. */
  value: ShellWord;
  /** Where the line holding the command ends (before its line break); unset on the last line. */
  lineEnd?: number;
}

/** Reads a shell environment file. Never throws. */
export function read(text: string): ParamsFile {
  const tokens = tokenize(text, { dialect: 'sh' });
  const problems: ReadProblem[] = [...tokens.problems];
  const assignments = assignmentsOf(text, tokens.words);
  const lastValue = new Map<string, ShellWord>();
  for (const a of assignments) lastValue.set(a.name, a.value);

  let commands: { name: string; command: ParamsCommand }[] = [];
  const settings: ParamSetting[] = [];
  const options: OtherOption[] = [];
  for (const a of assignments) {
    const param = own(VARIABLE_PARAMS, a.name);
    if (OPTION_VARIABLES.includes(a.name)) {
      const fields = splitFields(a.value);
      const selfReference = fields.some((f) => SINGLE_REFERENCE.exec(f.text)?.[1] === a.name);
      if (!selfReference && !a.append) {
        for (const old of commands.filter((c) => c.name === a.name)) {
          problems.push({ message: `${a.name} is set again later; this value is not used.`, span: old.command.span, severity: 'info' });
        }
        commands = commands.filter((c) => c.name !== a.name);
      }
      const parsed = parseVarnishdArgs(fields);
      problems.push(...parsed.problems);
      parsed.settings = parsed.settings.flatMap((s) => resolve(s, lastValue));
      // varnishd reads no option after `--`: a new one goes before it.
      const stop = fields.findIndex((f) => f.text === '--');
      const before = stop < 0 ? fields : fields.slice(0, stop);
      const command = commandOf(text, a.value.span, parsed, before[before.length - 1], undefined, true);
      command.insertAt = insertInValue(text, a, command.insertAt, before.length > 0, fields.length > before.length);
      commands.push({ name: a.name, command });
    } else if (lastValue.get(a.name) !== a.value) {
      continue; // set again further down: only the last value counts
    } else if (param) {
      settings.push({
        name: param,
        value: a.value.text,
        nameSpan: { start: a.word.span.start, end: a.word.span.start + a.name.length },
        valueSpan: textSpan(a.value, 0, a.value.text.length),
        span: a.word.span,
        form: 'variable',
        ...(a.value.unresolved ? { unresolved: true } : {}),
      });
    } else if (a.name.startsWith('VARNISH_')) {
      options.push({ flag: a.name, value: a.value.text, span: a.word.span });
    }
  }
  const target = commands[commands.length - 1]?.command ?? newOptionsCommand(text);
  target.settings.unshift(...settings);
  target.options.unshift(...options);
  return { kind: 'shell-env', commands: commands.length ? commands.map((c) => c.command) : [target], problems };
}

/**
 * `-p name=$VAR` where VAR is set in this file: the value really lives in
 * VAR's assignment. A `VARNISH_*` variable already reported as the same
 * parameter is not reported twice.
 */
function resolve(s: ParamSetting, values: Map<string, ShellWord>): ParamSetting[] {
  const variable = s.unresolved ? SINGLE_REFERENCE.exec(s.value)?.[1] : undefined;
  const value = variable === undefined ? undefined : values.get(variable);
  if (!value || variable === undefined) return [s];
  if (own(VARIABLE_PARAMS, variable) === s.name) return [];
  const resolved: ParamSetting = { ...s, value: value.text, valueSpan: textSpan(value, 0, value.text.length), form: 'variable' };
  if (!value.unresolved) delete resolved.unresolved;
  return [resolved];
}

/**
 * Keeps a new option inside the variable's quotes. An unquoted value cannot
 * take a space, so the option goes into a new line that appends to it.
 */
function insertInValue(text: string, a: Assignment, inLine: InsertAt, hasFields: boolean, fieldsAfter: boolean): InsertAt {
  const { start, end } = a.value.span;
  const q = text[start];
  const quotedWhole = (q === '"' || q === "'") && end - start >= 2 && text[end - 1] === q && oneQuotedString(text, start, end);
  if (quotedWhole) {
    if (hasFields) return inLine;
    return fieldsAfter ? { offset: start + 1, prefix: '', suffix: ' ' } : { offset: end - 1, prefix: '', suffix: '' };
  }
  const eol = eolOf(text);
  const lead = a.lineEnd === undefined && DANGLING_CONTINUATION.test(text) ? eol : '';
  return { offset: a.lineEnd ?? text.length, prefix: `${lead}${eol}${a.name}="$${a.name} `, suffix: '"' };
}

/** Is `text[start..end)` one quoted string, `"..."` or `'...'`, and not `"a"b"c"`? */
function oneQuotedString(text: string, start: number, end: number): boolean {
  const q = text[start];
  for (let i = start + 1; i < end - 1; i++) {
    if (text[i] === '\\' && q === '"') i++;
    else if (text[i] === q) return false;
  }
  return true;
}

/** No options variable yet: a new `DAEMON_OPTS="..."` line at the end. */
function newOptionsCommand(text: string): ParamsCommand {
  const eol = eolOf(text);
  // A last line ending in a backslash would swallow the new line: end it with an empty one.
  const lead = (text.length && !text.endsWith('\n') ? eol : '') + (DANGLING_CONTINUATION.test(text) ? eol : '');
  const end = text.length;
  return {
    span: { start: end, end },
    settings: [],
    options: [],
    insertAt: { offset: end, prefix: `${lead}${OPTION_VARIABLES[0]}="`, suffix: `"${eol}` },
  };
}

/**
 * Variable assignments: `NAME=value` words of commands made only of
 * assignments (after `export` and the like). `A=1 cmd` only sets A in cmd's
 * environment, so it is not one.
 */
function assignmentsOf(text: string, words: ShellWord[]): Assignment[] {
  const found: Assignment[] = [];
  let pending: Assignment[] = [];
  let awaitingLineEnd: Assignment[] = [];
  let isCommand = false;
  let declared = false;
  const close = (): void => {
    if (!isCommand) (found.push(...pending), awaitingLineEnd.push(...pending));
    pending = [];
    isCommand = false;
    declared = false;
  };
  for (const w of words) {
    if (w.op) {
      close();
      if (w.op === '\n') {
        // The line break that ends the command: a new assignment can go before it.
        const lineEnd = text[w.span.start - 1] === '\r' ? w.span.start - 1 : w.span.start;
        for (const a of awaitingLineEnd) a.lineEnd = lineEnd;
        awaitingLineEnd = [];
      }
      continue;
    }
    if (isCommand) continue;
    // `export A=1`, `declare -x A=1`: still assignments.
    if (DECLARE.has(w.text) || (declared && w.text.startsWith('-'))) {
      declared = true;
      continue;
    }
    // The name and `=` must be written plainly: `"A=b"` is a command, not an assignment.
    const m = ASSIGNMENT.exec(text.slice(w.span.start, w.span.start + 200));
    if (!m || !w.text.startsWith(m[0])) {
      isCommand = true;
      continue;
    }
    const at = m[0].length;
    const value: ShellWord = {
      text: w.text.slice(at),
      span: { start: w.span.start + at, end: w.span.end },
      map: w.map.slice(at),
      unresolved: w.unresolved,
      quoted: w.quoted,
    };
    pending.push({ name: m[1]!, append: m[2] === '+', word: w, value });
  }
  close();
  return found;
}
