/**
 * CLI init files given to `varnishd -I file`: one Varnish CLI command per
 * line, run before the child starts. Only `param.set name value` matters
 * here; `vcl.load`, `vcl.use`, `start` and the rest are tolerated and
 * skipped. A leading `-` asks varnishd to go on if the command fails.
 */
import type { InsertAt, ParamSetting, ParamsFile, ReadProblem } from './model.js';
import { textSpan, tokenize } from './shell-words.js';
import { eolOf } from './varnishd-args.js';

/** Reads a `-I` CLI file. Never throws. */
export function read(text: string): ParamsFile {
  const settings: ParamSetting[] = [];
  const problems: ReadProblem[] = [];
  let lastSettingLineEnd = -1;
  for (let pos = 0; pos <= text.length; ) {
    let lineEnd = text.indexOf('\n', pos);
    if (lineEnd < 0) lineEnd = text.length;
    const contentEnd = text[lineEnd - 1] === '\r' ? lineEnd - 1 : lineEnd;
    const setting = readLine(text, pos, contentEnd, problems);
    if (setting) {
      settings.push(setting);
      lastSettingLineEnd = contentEnd;
    }
    pos = lineEnd + 1;
  }
  const eol = eolOf(text);
  let insertAt: InsertAt;
  if (lastSettingLineEnd >= 0) insertAt = { offset: lastSettingLineEnd, prefix: eol, suffix: '', form: 'param.set' };
  else if (!text.length || text.endsWith('\n')) insertAt = { offset: text.length, prefix: '', suffix: eol, form: 'param.set' };
  else insertAt = { offset: text.length, prefix: eol, suffix: '', form: 'param.set' };
  return {
    kind: 'cli-init',
    commands: [{ span: { start: 0, end: text.length }, settings, options: [], insertAt }],
    problems,
  };
}

/** The setting on one line, if it is a `param.set`. */
function readLine(text: string, start: number, end: number, problems: ReadProblem[]): ParamSetting | undefined {
  let s = start;
  while (s < end && /[ \t]/.test(text[s]!)) s++;
  if (s >= end || text[s] === '#') return undefined;
  // The CLI quotes with double quotes only; a single quote is an ordinary character.
  const tokens = tokenize(text, { dialect: 'argv', start: s, end, singleQuotes: false });
  const words = tokens.words;
  const command = words[0];
  if (!command || command.text.replace(/^-/, '') !== 'param.set') return undefined;
  problems.push(...tokens.problems);
  const name = words[1];
  const value = words[2];
  if (!name || !value) {
    problems.push({ message: "'param.set' needs a parameter name and a value", span: { start: s, end }, severity: 'error' });
    return undefined;
  }
  if (words.length > 3) {
    const extra = { start: words[3]!.span.start, end: words[words.length - 1]!.span.end };
    problems.push({ message: "Too many arguments to 'param.set': quote a value that holds spaces", span: extra, severity: 'error' });
  }
  // The CLI expands nothing, so `$` is an ordinary character and the setting is never `unresolved`.
  return {
    name: name.text,
    value: value.text,
    nameSpan: name.span,
    valueSpan: textSpan(value, 0, value.text.length),
    span: { start: command.span.start, end: value.span.end },
    form: 'param.set',
  };
}
