/**
 * Lints a varnishd parameter file (systemd unit, /etc/default/varnish,
 * varnish.params, -I CLI file, docker-compose, Dockerfile, shell script):
 * text in, diagnostics out. Never throws.
 */
import { readParamsFile } from '../params/detect.js';
import type { ParamsFileKind } from '../params/model.js';
import { paramsRules, type ObservedNeed, type ParamsRuleContext, type TagHeaderUse } from '../rules/params-index.js';
import { LineIndex } from '../text/line-index.js';
import type { Fix, LintDiagnostic, Range } from './types.js';
import { runRules } from './findings.js';
import { applyRuleLevels, type RuleLevels } from './severity-config.js';
import { DEFAULT_VARNISH_VERSION, type VarnishVersion } from '../facts/versions.js';

export interface ParamsLintOptions {
  path?: string;
  /** Read the file as this kind, whatever its name (CLI --params). */
  kind?: ParamsFileKind;
  /** The largest backend response header the user expects, in bytes. */
  maxResponseHeaderBytes?: number;
  /** Tag headers in the workspace's VCL. */
  tagHeaders?: TagHeaderUse[];
  /** A capture of the same run proved a header longer than http_resp_hdr_len (see ParamsRuleContext). */
  observedLongHeader?: ObservedNeed;
  /** A capture of the same run proved more header lines than http_max_hdr. */
  observedTooManyHeaders?: ObservedNeed;
  /** A capture of the same run proved a header block larger than http_resp_size (or the free workspace_backend). */
  observedHeadOverflow?: ObservedNeed;
  /** Configured rule levels. */
  ruleLevels?: RuleLevels;
  /** The Varnish release whose parameters apply; default DEFAULT_VARNISH_VERSION. */
  varnishVersion?: VarnishVersion;
}

/** Lints one parameter file. */
export function lintParamsText(text: string, options: ParamsLintOptions = {}): LintDiagnostic[] {
  const index = new LineIndex(text);
  const file = readParamsFile(options.path ?? '', text, options.kind) ?? readParamsFile(options.path ?? '', text, 'shell-script');
  if (!file) return [];
  const ctx: ParamsRuleContext = {
    text,
    file,
    version: options.varnishVersion ?? DEFAULT_VARNISH_VERSION,
    maxResponseHeaderBytes: options.maxResponseHeaderBytes,
    tagHeaders: options.tagHeaders ?? [],
    ...(options.observedLongHeader ? { observedLongHeader: options.observedLongHeader } : {}),
    ...(options.observedTooManyHeaders ? { observedTooManyHeaders: options.observedTooManyHeaders } : {}),
    ...(options.observedHeadOverflow ? { observedHeadOverflow: options.observedHeadOverflow } : {}),
  };
  return applyRuleLevels(mergeSameFindings(runRules(paramsRules, ctx, index)), options.ruleLevels);
}

const rangeKey = (r: Range): string => `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;

/**
 * One diagnostic per place and message. A value written once and used by
 * several commands (a YAML anchor aliased in two compose commands) would
 * otherwise be reported once per command; its fixes then carry every
 * command's edits, so that applying one fixes each command that uses it.
 */
function mergeSameFindings(diagnostics: LintDiagnostic[]): LintDiagnostic[] {
  const byKey = new Map<string, LintDiagnostic>();
  const out: LintDiagnostic[] = [];
  for (const d of diagnostics) {
    const key = `${d.rule}\0${d.message}\0${rangeKey(d.range)}`;
    const first = byKey.get(key);
    if (!first) {
      byKey.set(key, d);
      out.push(d);
      continue;
    }
    const titles = (fixes: Fix[] | undefined): string => (fixes ?? []).map((f) => f.title).join('\0');
    // Fixes of the same title set the same values; others cannot be joined safely.
    const clash = (first.fixes ?? []).some((fix, i) =>
      d.fixes![i]!.edits.some((e) => fix.edits.some((x) => rangeKey(x.range) === rangeKey(e.range) && x.newText !== e.newText)),
    );
    if (titles(first.fixes) !== titles(d.fixes) || clash) {
      out.push(d);
      continue;
    }
    first.fixes = first.fixes?.map((fix, i) => {
      const edits = [...fix.edits];
      for (const e of d.fixes![i]!.edits) {
        if (!edits.some((x) => rangeKey(x.range) === rangeKey(e.range) && x.newText === e.newText)) edits.push(e);
      }
      return { ...fix, edits };
    });
  }
  return out;
}
