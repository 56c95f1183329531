/**
 * The 503 doctor as a service: a varnishlog capture in, one diagnostic per
 * cause of its failed transactions out, on the capture's own lines. Each
 * diagnostic's rule is the cause id, its message says what happened, how
 * often, with which backend and header, and what to change; its related
 * places are the log lines that prove it.
 */
import { causeById } from '../varnishlog/causes.js';
import { CaptureClassifier, type Evidence, type Finding } from '../varnishlog/classify.js';

export type { Finding as CaptureFinding } from '../varnishlog/classify.js';
import { CaptureReader, isCaptureFileName, looksLikeCapture } from '../varnishlog/read.js';
import { readFileChunks } from '../io/safe-read.js';
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
 * Diagnoses a capture that arrives in pieces (a file read a megabyte at a
 * time): `write` each piece, then `finish`. What it holds between pieces is
 * the capture's open transactions and a few numbers per line, so a capture
 * of hundreds of megabytes is read in a small, steady amount of memory.
 */
export class VarnishlogDiagnosis {
  private readonly classifier = new CaptureClassifier();
  private readonly reader = new CaptureReader({ finished: (tx) => this.classifier.add(tx) });
  private failure: unknown;
  private found: Finding[] = [];

  /** The findings behind the diagnostics of {@link finish}, in the same order (none for an `input` diagnostic). */
  get findings(): readonly Finding[] {
    return this.found;
  }

  /** Reads the next piece of the capture (cut anywhere). Never throws. */
  write(piece: string): void {
    if (this.failure !== undefined) return;
    try {
      this.reader.write(piece);
    } catch (err) {
      this.failure = err;
    }
  }

  /**
   * The diagnostics: one per cause of the capture's failed transactions. A
   * text with no log record at all (binary junk decoded, or any other file)
   * gets one `input` diagnostic that says so; a capture without failures
   * gets none. Never throws.
   */
  finish(): LintDiagnostic[] {
    const lineRange = (line: number): Range => ({ start: { line, character: 0 }, end: { line, character: this.reader.lineLength(line) } });
    let findings: Finding[];
    try {
      if (this.failure !== undefined) throw this.failure;
      this.reader.end();
      findings = this.classifier.finish();
    } catch (err) {
      // The reader and the classifier promise not to throw; should they, the user still gets one answer.
      return [{ rule: 'internal-error', severity: 'error', message: `reading the capture failed: ${String(err)}`, range: lineRange(0) }];
    }
    const capture = this.reader.capture;
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
    this.found = findings;
    return findings.map((f) => toDiagnostic(f, lineRange));
  }
}

/** Diagnoses the failed transactions of a capture held in memory (an editor's document); see {@link VarnishlogDiagnosis}. */
export function diagnoseVarnishlog(text: string): LintDiagnostic[] {
  return diagnoseVarnishlogText(text).diagnostics;
}

/** Like {@link diagnoseVarnishlog}, with the findings behind the diagnostics (same order), for linking them to the user's files. */
export function diagnoseVarnishlogText(text: string): { diagnostics: LintDiagnostic[]; findings: readonly Finding[] } {
  const diagnosis = new VarnishlogDiagnosis();
  diagnosis.write(text);
  const diagnostics = diagnosis.finish();
  return { diagnostics, findings: diagnosis.findings };
}

/** What diagnosing a capture file gave: its diagnostics, or why it was not read. */
export type VarnishlogFileResult =
  | { kind: 'diagnostics'; diagnostics: LintDiagnostic[]; /** The findings behind the diagnostics, in the same order. */ findings: readonly Finding[] }
  /** Readable but not a capture to read (binary, not UTF-8): the reason, for one `input` diagnostic. */
  | { kind: 'refused'; reason: string }
  /** Could not be read at all (missing, unreadable, not a regular file). */
  | { kind: 'io-error'; reason: string };

/** Bytes of the head of a file in which a NUL byte marks it as binary (varnishlog -w output). */
const BINARY_PROBE = 8192;

/**
 * Diagnoses a capture file of any size, read a piece at a time: unlike
 * VCL, whose analysis needs the whole text (so sources over 10 MB are
 * refused), a capture is read line by line, and one of 100 MB (a busy
 * hour of `varnishlog -d`) is what users bring. Only a regular file is
 * read, and only as far as its size when it was opened (a capture still
 * being written is read as it was then). Never throws.
 */
export function diagnoseVarnishlogFile(path: string | Buffer): VarnishlogFileResult {
  const diagnosis = new VarnishlogDiagnosis();
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let probed = 0;
  let refused: string | undefined;
  const read = readFileChunks(path, (bytes) => {
    if (probed < BINARY_PROBE) {
      const head = bytes.subarray(0, BINARY_PROBE - probed);
      probed += head.length;
      if (head.includes(0)) {
        refused = "file looks binary (it contains NUL bytes), not a varnishlog capture (save varnishlog's text output, not its -w binary file)";
        return false;
      }
    }
    try {
      diagnosis.write(decoder.decode(bytes, { stream: true }));
    } catch {
      refused = 'file is not valid UTF-8 text, not a varnishlog capture as varnishlog prints it';
      return false;
    }
    return true;
  });
  if (!read.ok) return { kind: 'io-error', reason: read.reason };
  if (refused !== undefined) return { kind: 'refused', reason: refused };
  try {
    diagnosis.write(decoder.decode());
  } catch {
    return { kind: 'refused', reason: 'file is not valid UTF-8 text, not a varnishlog capture as varnishlog prints it' };
  }
  const diagnostics = diagnosis.finish();
  return { kind: 'diagnostics', diagnostics, findings: diagnosis.findings };
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
