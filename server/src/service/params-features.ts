/**
 * Editor features for parameter files: hover on a `-p`/`param.set` name or
 * value (what the parameter does, units, default, range), and completion of
 * parameter names after `-p ` and `param.set `.
 */
import { readParamsFile } from '../params/detect.js';
import type { ParamsFileKind } from '../params/model.js';
import { allParams, paramFact, type ParamFact } from '../facts/params.js';
import { LineIndex } from '../text/line-index.js';
import type { Range } from './types.js';

export interface HoverResult {
  /** Markdown. */
  contents: string;
  range: Range;
}

export interface ParamCompletion {
  label: string;
  detail: string;
  documentation: string;
  /** Where the typed prefix starts, so the editor replaces it. */
  range: Range;
}

/** Hover for the parameter setting under `offset`, if any. */
export function paramsHover(text: string, offset: number, options: { path?: string; kind?: ParamsFileKind } = {}): HoverResult | undefined {
  const file = readParamsFile(options.path ?? '', text, options.kind);
  for (const command of file?.commands ?? []) {
    for (const s of command.settings) {
      const onName = offset >= s.nameSpan.start && offset <= s.nameSpan.end;
      const onValue = offset >= s.valueSpan.start && offset <= s.valueSpan.end;
      if (!onName && !onValue) continue;
      const fact = paramFact(s.name);
      if (!fact) return undefined;
      const index = new LineIndex(text);
      const span = onName ? s.nameSpan : s.valueSpan;
      return { contents: describeParam(fact, s.value), range: index.range(span.start, span.end) };
    }
  }
  return undefined;
}

/** Markdown describing a parameter, and the value given, if any. */
export function describeParam(fact: ParamFact, value?: string): string {
  const lines = [`**${fact.name}**${fact.units ? ` (${fact.units})` : ''}`, ''];
  if (fact.description) lines.push(fact.description, '');
  lines.push(`Default: \`${fact.default.text}\``);
  if (fact.min) lines.push(`Minimum: \`${fact.min.text}\``);
  if (fact.max) lines.push(`Maximum: \`${fact.max.text}\``);
  if (fact.flags.length) lines.push(`Flags: ${fact.flags.join(', ')}`);
  if (value !== undefined) lines.push('', `Set here to \`${value}\`.`);
  return lines.join('  \n');
}

const AFTER_FLAG = /(?:(?:^|[\s"'[,])-p\s*|param\.set\s+)([A-Za-z0-9_]*)$/;

/** Parameter names that may complete the word before `offset` after `-p` or `param.set`. */
export function paramsCompletions(text: string, offset: number): ParamCompletion[] {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const m = AFTER_FLAG.exec(text.slice(lineStart, offset));
  if (!m) return [];
  const prefix = m[1]!;
  const index = new LineIndex(text);
  const range = index.range(offset - prefix.length, offset);
  return allParams()
    .filter((p) => p.name.startsWith(prefix))
    .map((p) => ({ label: p.name, detail: `${p.units ?? p.type}, default ${p.default.text}`, documentation: describeParam(p), range }));
}
