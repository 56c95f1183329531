/**
 * Editor features for parameter files: hover on a `-p`/`param.set` name or
 * value (what the parameter does, units, default, range in the selected
 * Varnish release), and completion of that release's parameter names after
 * `-p ` and `param.set `.
 */
import { readParamsFile } from '../params/detect.js';
import type { ParamsFileKind } from '../params/model.js';
import { allParams, paramFact, paramVersions, type ParamFact } from '../facts/params.js';
import { DEFAULT_VARNISH_VERSION, describeVersions, productName, releaseOf, type VarnishVersion } from '../facts/versions.js';
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
export function paramsHover(text: string, offset: number, options: { path?: string; kind?: ParamsFileKind; version?: VarnishVersion } = {}): HoverResult | undefined {
  const version = options.version ?? DEFAULT_VARNISH_VERSION;
  const file = readParamsFile(options.path ?? '', text, options.kind);
  for (const command of file?.commands ?? []) {
    for (const s of command.settings) {
      const onName = offset >= s.nameSpan.start && offset <= s.nameSpan.end;
      const onValue = offset >= s.valueSpan.start && offset <= s.valueSpan.end;
      if (!onName && !onValue) continue;
      const fact = paramFact(s.name, version);
      const elsewhere = fact ? [] : paramVersions(s.name);
      if (!fact && elsewhere.length === 0) return undefined;
      const index = new LineIndex(text);
      const span = onName ? s.nameSpan : s.valueSpan;
      const contents = fact
        ? describeParam(fact, s.value, version)
        : `**${s.name}**  \n\nNot a parameter of ${productName(version)}: it exists ${describeVersions(elsewhere)}.`;
      return { contents, range: index.range(span.start, span.end) };
    }
  }
  return undefined;
}

/**
 * Markdown describing a parameter as `version` has it, and the value given,
 * if any. Says which release the default and limits are from, and when that
 * release's facts are derived rather than read from its own varnishd.
 */
export function describeParam(fact: ParamFact, value?: string, version: VarnishVersion = DEFAULT_VARNISH_VERSION): string {
  const lines = [`**${fact.name}**${fact.units ? ` (${fact.units})` : ''}`, ''];
  if (fact.description) lines.push(fact.description, '');
  if (fact.alias) lines.push(`Deprecated: an on/off switch for \`${fact.alias.of}=+${fact.alias.bit}\`.`, '');
  const derived = releaseOf(version).evidence === 'derived' ? ' (derived from neighbouring releases, not read from its own varnishd)' : '';
  lines.push(`In ${productName(version)}${derived}:`);
  lines.push(`Default: \`${fact.default.text}\``);
  if (fact.min) lines.push(`Minimum: \`${fact.min.text}\``);
  if (fact.max) lines.push(`Maximum: \`${fact.max.text}\``);
  if (fact.flags.length) lines.push(`Flags: ${fact.flags.join(', ')}`);
  if (value !== undefined) lines.push('', `Set here to \`${value}\`.`);
  return lines.join('  \n');
}

const AFTER_FLAG = /(?:(?:^|[\s"'[,])-p\s*|param\.set\s+)([A-Za-z0-9_]*)$/;

/** Parameter names that may complete the word before `offset` after `-p` or `param.set`. */
export function paramsCompletions(text: string, offset: number, version: VarnishVersion = DEFAULT_VARNISH_VERSION): ParamCompletion[] {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const m = AFTER_FLAG.exec(text.slice(lineStart, offset));
  if (!m) return [];
  const prefix = m[1]!;
  const index = new LineIndex(text);
  const range = index.range(offset - prefix.length, offset);
  return allParams(version)
    .filter((p) => p.name.startsWith(prefix))
    .map((p) => ({ label: p.name, detail: `${p.units ?? p.type}, default ${p.default.text}`, documentation: describeParam(p, undefined, version), range }));
}
