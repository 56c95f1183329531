/**
 * Lints a varnishd parameter file (systemd unit, /etc/default/varnish,
 * varnish.params, -I CLI file, docker-compose, Dockerfile, shell script):
 * text in, diagnostics out. Never throws.
 */
import { readParamsFile } from '../params/detect.js';
import type { ParamsFileKind } from '../params/model.js';
import { paramsRules, type ParamsRuleContext, type TagHeaderUse } from '../rules/params-index.js';
import { LineIndex } from '../analysis/line-index.js';
import type { LintDiagnostic } from './types.js';
import { runRules } from './findings.js';
import { applyRuleLevels, type RuleLevels } from './severity-config.js';

export interface ParamsLintOptions {
  path?: string;
  /** Read the file as this kind, whatever its name (CLI --params). */
  kind?: ParamsFileKind;
  /** The largest backend response header the user expects, in bytes. */
  maxResponseHeaderBytes?: number;
  /** Tag headers in the workspace's VCL. */
  tagHeaders?: TagHeaderUse[];
  /** Configured rule levels. */
  ruleLevels?: RuleLevels;
}

/** Lints one parameter file. */
export function lintParamsText(text: string, options: ParamsLintOptions = {}): LintDiagnostic[] {
  const index = new LineIndex(text);
  const file = readParamsFile(options.path ?? '', text, options.kind) ?? readParamsFile(options.path ?? '', text, 'shell-script');
  if (!file) return [];
  const ctx: ParamsRuleContext = { text, file, maxResponseHeaderBytes: options.maxResponseHeaderBytes, tagHeaders: options.tagHeaders ?? [] };
  return applyRuleLevels(runRules(paramsRules, ctx, index), options.ruleLevels);
}
