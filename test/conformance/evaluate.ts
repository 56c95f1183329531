/**
 * Compares the linter with varnishd's recorded verdicts over the corpus.
 * Shared by the conformance test (which asserts) and by the report script
 * (which writes docs/conformance.md).
 */
import { readFileSync } from 'node:fs';
import { lintText } from '../../server/src/service/lint.js';
import type { LintDiagnostic, LintOptions } from '../../server/src/service/types.js';
import type { VarnishVersion } from '../../server/src/facts/versions.js';
import { isSyntaxMessage, type CorpusEntry } from './corpus.js';

/**
 * Rules that report what VCC's parser refuses: `syntax`, and the rules that
 * take over a parse error of an older VCL with a better message and a fix
 * (`synthetic` without parentheses, `return (miss)` in vcl_hit).
 */
const SYNTAX_LEVEL_RULES = new Set(['syntax', 'vcl3-construct', 'return-action-removed', 'release-feature']);

export interface Mismatch {
  file: string;
  detail: string;
}

export interface ConformanceResult {
  files: number;
  accepted: number;
  /** Accepted by varnishd (or a fragment of an accepted program) yet given an error. */
  falseErrors: Mismatch[];
  rejected: number;
  /** Rejected with a syntax-level message that names a line in the file. */
  syntaxRejects: number;
  /** ... of which we flag a `syntax` error on varnishd's line. */
  syntaxOnLine: number;
  syntaxMissed: Mismatch[];
  /** Rejected for any reason, and given at least one error by us. */
  rejectedFlagged: number;
  /** Rejected for a reason only the machine that compiles can know (DNS, files, sockets). */
  environmental: number;
  /** Rejected (not environmental) with a line in the file, and we report an error on that line. */
  refusedWithLine: number;
  refusedOnLine: number;
  /** Refused files (not environmental) we give no error at all, by varnishd's message. */
  refusedMissed: Mismatch[];
}

/**
 * Refusals that depend on the compiling machine rather than on the text:
 * name resolution, files and sockets on disk, vmods that are not installed.
 */
export function isEnvironmental(message: string | null): boolean {
  return /DNS lookup|could not be resolved|Not a socket|glob pattern matched no files|Cannot read file|Could not find VMOD|is unsafe|Could not open/.test(message ?? '');
}

/**
 * A refusal for a VCL label the program switches to (`return (vcl(name))`):
 * labels exist only in a running varnishd (`vcl.label`), never for
 * `varnishd -C`, so the verdict depends on the machine, not on the text.
 */
export function isMissingLabel(text: string, message: string | null): boolean {
  const m = /^Symbol not found: '([^']+)'/.exec(message ?? '');
  if (!m) return false;
  const name = m[1]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`\\bvcl\\s*\\(\\s*${name}\\s*\\)`).test(text);
}

const describe = (d: LintDiagnostic) => `${d.range.start.line + 1}:${d.range.start.character + 1} ${d.rule}: ${d.message}`;

/**
 * Lints every entry and tallies agreement with varnishd: the 7.1.1 verdict,
 * or with `release` the verdict of that release's compiler, linting for that
 * release (entries that release's compiler did not judge are left out).
 */
export function evaluate(entries: readonly CorpusEntry[], release?: VarnishVersion): ConformanceResult {
  const judged = release ? entries.filter((e) => e.versions?.[release]) : entries;
  const r: ConformanceResult = {
    files: judged.length,
    accepted: 0,
    falseErrors: [],
    rejected: 0,
    syntaxRejects: 0,
    syntaxOnLine: 0,
    syntaxMissed: [],
    rejectedFlagged: 0,
    environmental: 0,
    refusedWithLine: 0,
    refusedOnLine: 0,
    refusedMissed: [],
  };
  for (const entry of judged) {
    const e = release ? { ...entry, varnishd: entry.versions![release]! } : entry;
    const text = readFileSync(e.path, 'utf8');
    const diagnostics = lintText(text, { ...lintOptionsFor(e), ...(release ? { varnishVersion: release } : {}) });
    const errors = diagnostics.filter((d) => d.severity === 'error');
    if (e.varnishd.result === 'accept' || e.fragment) {
      // Fragments are valid in the program that includes them.
      r.accepted++;
      if (errors.length) r.falseErrors.push({ file: e.name, detail: errors.slice(0, 3).map(describe).join(' | ') });
      continue;
    }
    r.rejected++;
    if (errors.length) r.rejectedFlagged++;
    const line = e.varnishd.line;
    if (isEnvironmental(e.varnishd.message) || isMissingLabel(text, e.varnishd.message)) r.environmental++;
    else {
      if (!errors.length) r.refusedMissed.push({ file: e.name, detail: e.varnishd.message ?? '' });
      if (line !== null && !e.varnishd.file) {
        r.refusedWithLine++;
        if (errors.some((d) => d.range.start.line + 1 === line)) r.refusedOnLine++;
      }
    }
    if (!isSyntaxMessage(e.varnishd.message) || line === null || e.varnishd.file) continue;
    r.syntaxRejects++;
    if (errors.some((d) => SYNTAX_LEVEL_RULES.has(d.rule) && d.range.start.line + 1 === line)) r.syntaxOnLine++;
    else r.syntaxMissed.push({ file: e.name, detail: `varnishd line ${line}: ${e.varnishd.message}; ours: ${errors.slice(0, 2).map(describe).join(' | ') || 'none'}` });
  }
  return r;
}

/** The lint options that match how varnishd compiled a corpus entry. */
export function lintOptionsFor(e: CorpusEntry): LintOptions {
  return {
    path: e.path,
    isIncluded: e.fragment,
    errUnref: vccFeature(e.varnishdArgs, 'err_unref', true),
    allowInlineC: vccFeature(e.varnishdArgs, 'allow_inline_c', false),
  };
}

/**
 * One of VCC's switches among varnishd arguments, in either spelling:
 * `-p vcc_err_unref=off` (every release) or `-p vcc_feature=-err_unref,+allow_inline_c`
 * (7.2 and later); the last one given wins.
 */
export function vccFeature(args: readonly string[] | undefined, feature: string, fallback: boolean): boolean {
  const list = args ?? [];
  let value = booleanParam(list, `vcc_${feature}`, fallback);
  for (let i = 0; i < list.length - 1; i++) {
    if (list[i] !== '-p' || !list[i + 1]!.startsWith('vcc_feature=')) continue;
    for (const part of list[i + 1]!.slice('vcc_feature='.length).split(',')) {
      if (part === `+${feature}`) value = true;
      else if (part === `-${feature}`) value = false;
    }
  }
  return value;
}

/** A boolean `-p name=value` among varnishd arguments, or its default. */
export function booleanParam(args: readonly string[] | undefined, name: string, fallback: boolean): boolean {
  const list = args ?? [];
  let value = fallback;
  for (let i = 0; i < list.length - 1; i++) {
    if (list[i] !== '-p' || !list[i + 1]!.startsWith(`${name}=`)) continue;
    value = ['on', 'true', 'yes', 'enable'].includes(list[i + 1]!.slice(name.length + 1).toLowerCase());
  }
  return value;
}
