/**
 * The 503 doctor as a service: a varnishlog capture in, one diagnostic per
 * cause of its failed transactions out, on the capture's own lines. Each
 * diagnostic's rule is the cause id, its message says what happened, how
 * often, with which backend and header, and what to change; its related
 * places are the log lines that prove it.
 */
import { causeById } from '../varnishlog/causes.js';
import { classifyCapture, type Evidence, type Finding } from '../varnishlog/classify.js';
import { isCaptureFileName, looksLikeCapture, readCapture } from '../varnishlog/read.js';
import type { LintDiagnostic, Range, RelatedLocation } from './types.js';

export { CAUSE_IDS } from '../varnishlog/causes.js';

/** True when a file is a varnishlog capture, by its name or (failing that) its content. */
export function isVarnishlogCapture(path: string, text?: string): boolean {
  return isCaptureFileName(path) || (text !== undefined && looksLikeCapture(text));
}

/** Longest quote of a log line in a message: BogoHeader lines can be long, and a header's value says nothing more. */
const MAX_QUOTE = 120;

function clip(s: string): string {
  return s.length > MAX_QUOTE ? `${s.slice(0, MAX_QUOTE - 3)}...` : s;
}

/**
 * Diagnoses the failed transactions of a capture. A text with no log
 * record at all (binary junk decoded, or any other file) gets one `input`
 * diagnostic that says so; a capture without failures gets none. Never throws.
 */
export function diagnoseVarnishlog(text: string): LintDiagnostic[] {
  const lines = text.split(/\r\n|\r|\n/);
  const lineRange = (line: number): Range => ({ start: { line, character: 0 }, end: { line, character: lines[line]?.length ?? 0 } });
  let capture;
  try {
    capture = readCapture(text);
  } catch (err) {
    // The reader promises not to throw; should it, the user still gets one answer.
    return [{ rule: 'internal-error', severity: 'error', message: `reading the capture failed: ${String(err)}`, range: lineRange(0) }];
  }
  if (capture.knownRecords === 0) {
    const at = capture.firstUnreadLine ?? 0;
    return [
      {
        rule: 'input',
        severity: 'error',
        message: 'not a varnishlog capture: no line reads as a varnishlog record (capture one with `varnishlog -d -g request > FILE`)',
        range: lineRange(at),
      },
    ];
  }
  return classifyCapture(capture).map((f) => toDiagnostic(f, lineRange));
}

function toDiagnostic(f: Finding, lineRange: (line: number) => Range): LintDiagnostic {
  const cause = causeById(f.cause);
  const related: RelatedLocation[] = f.evidence.map((e) => ({ range: lineRange(e.line), message: `${txName(f.first.vxid)}: ${clip(e.text)}` }));
  if (f.lastEvidence && f.count > 1) related.push({ range: lineRange(f.lastEvidence.line), message: `${txName(f.last.vxid)} (the last): ${clip(f.lastEvidence.text)}` });
  const diagnostic: LintDiagnostic = {
    rule: f.cause,
    severity: cause.severity,
    message: messageOf(f, cause.what, cause.fix, f.evidence[0]),
    range: lineRange(f.evidence[0]?.line ?? f.first.line),
  };
  if (related.length > 0) diagnostic.related = related;
  return diagnostic;
}

function txName(vxid: number | undefined): string {
  return vxid === undefined ? 'a transaction without its header' : `transaction ${vxid}`;
}

function messageOf(f: Finding, what: string, fix: string, first: Evidence | undefined): string {
  const parts: string[] = [];
  const times = f.count === 1 ? 'once' : `${f.count} times`;
  const span = f.count === 1 ? txName(f.first.vxid) : `${txName(f.first.vxid)} to ${f.last.vxid ?? '?'}`;
  parts.push(`${capitalize(what)}: ${times} (${span}).`);
  if (first) parts.push(`The log says: "${clip(first.text)}".`);
  const facts: string[] = [];
  if (f.backends.length > 0) facts.push(`backend ${f.backends.map((b) => `'${b}'`).join(', ')}`);
  if (f.headers.length > 0) facts.push(`header ${f.headers.map((h) => `'${h}'`).join(', ')}`);
  if (f.waited !== undefined) facts.push(`waited ${f.waited} s`);
  if (f.urls.length > 0) facts.push(`URL ${f.urls.map((u) => clip(u)).join(', ')}`);
  const extra = f.details.filter((d) => first === undefined || !first.text.includes(d));
  if (extra.length > 0) facts.push(extra.map(clip).join('; '));
  if (facts.length > 0) parts.push(`${capitalize(facts.join('; '))}.`);
  parts.push(fix);
  return parts.join(' ');
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
