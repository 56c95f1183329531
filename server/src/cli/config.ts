/**
 * The project configuration, `.vcl-lint.json` (or `--config FILE`):
 *
 * ```json
 * { "includePaths": ["vcl/includes"], "vmodPath": ["/usr/lib/varnish/vmods"], "maxResponseHeaderBytes": 40000, "varnishVersion": "7.7" }
 * ```
 *
 * `includePaths` are relative to the configuration file. Unknown keys are
 * reported as warnings on stderr, not refused, so a newer file still works.
 */
import { existsSync } from 'node:fs';
import { readFileSafely } from '../io/safe-read.js';
import { dirname, join, resolve } from 'node:path';
import { firstLine } from '../io/io-errors.js';
import { checkRuleLevels, type RuleLevel } from '../service/severity-config.js';
import { knownRuleIds } from '../service/rule-ids.js';
import { parseVarnishVersion, versionListText, type VarnishVersion } from '../facts/versions.js';

export interface ProjectConfig {
  includePaths: string[];
  /** Folders with vmod libraries, read as bytes (varnishd's vmod_path). */
  vmodPath: string[];
  /** varnishd's vcc_err_unref (default true): false reports unused definitions as warnings. */
  errUnref?: boolean;
  /** varnishd's vcc_allow_inline_c (default false). */
  allowInlineC?: boolean;
  /** Rule levels by rule id. */
  rules: Record<string, RuleLevel>;
  maxResponseHeaderBytes?: number;
  /** The Varnish release to check against; `--varnish-version` wins over it. */
  varnishVersion?: VarnishVersion;
  /** Where it came from, for messages. */
  path?: string;
  warnings: string[];
}

export const CONFIG_FILE = '.vcl-lint.json';
/** Largest configuration file read. */
const MAX_CONFIG_BYTES = 1024 * 1024;
const KNOWN = new Set(['includePaths', 'maxResponseHeaderBytes', 'vmodPath', 'errUnref', 'allowInlineC', 'rules', 'varnishVersion']);

/** The nearest `.vcl-lint.json` from `dir` upward, if any. */
export function findConfig(dir: string): string | undefined {
  for (let d = resolve(dir); ; d = dirname(d)) {
    const candidate = join(d, CONFIG_FILE);
    if (existsSync(candidate)) return candidate;
    if (dirname(d) === d) return undefined;
  }
}

/** Reads a configuration file; a string is the one-line reason it cannot be used. */
export function readConfig(path: string): ProjectConfig | string {
  // A configuration is a few lines; a FIFO or /dev/zero named as one must not hang or exhaust memory.
  const read = readFileSafely(path, { maxBytes: MAX_CONFIG_BYTES });
  if (!read.ok) return `cannot read config '${path}': ${read.reason}`;
  const text = read.bytes.toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return `config '${path}' is not valid JSON: ${firstLine(err instanceof Error ? err.message : String(err))}`;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return `config '${path}' must hold a JSON object`;
  const obj = value as Record<string, unknown>;
  const config: ProjectConfig = { includePaths: [], vmodPath: [], rules: {}, path, warnings: [] };
  const levels = checkRuleLevels(obj['rules'], knownRuleIds);
  config.rules = levels.levels;
  for (const w of levels.warnings) config.warnings.push(`config '${path}': ${w}`);
  for (const key of Object.keys(obj)) if (!KNOWN.has(key)) config.warnings.push(`config '${path}': unknown key '${key}' ignored`);
  const inc = obj['includePaths'];
  if (inc !== undefined) {
    if (!Array.isArray(inc) || inc.some((x) => typeof x !== 'string')) return `config '${path}': includePaths must be a list of folder names`;
    config.includePaths = (inc as string[]).map((p) => resolve(dirname(path), p));
  }
  const vmods = obj['vmodPath'];
  if (vmods !== undefined) {
    if (!Array.isArray(vmods) || vmods.some((x) => typeof x !== 'string')) return `config '${path}': vmodPath must be a list of folder names`;
    config.vmodPath = (vmods as string[]).map((p) => resolve(dirname(path), p));
  }
  for (const key of ['errUnref', 'allowInlineC'] as const) {
    const v = obj[key];
    if (v === undefined) continue;
    if (typeof v !== 'boolean') return `config '${path}': ${key} must be true or false`;
    config[key] = v;
  }
  const max = obj['maxResponseHeaderBytes'];
  if (max !== undefined) {
    if (typeof max !== 'number' || !(max > 0)) return `config '${path}': maxResponseHeaderBytes must be a positive number of bytes`;
    config.maxResponseHeaderBytes = max;
  }
  const version = obj['varnishVersion'];
  if (version !== undefined) {
    const parsed = typeof version === 'string' ? parseVarnishVersion(version) : undefined;
    if (!parsed) return `config '${path}': varnishVersion must be one of ${versionListText()} (a string such as "7.7")`;
    config.varnishVersion = parsed;
  }
  return config;
}
