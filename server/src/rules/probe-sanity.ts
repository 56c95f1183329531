/**
 * `probe-sanity`: health probe settings that varnishd compiles but that
 * make the probe lie about the backend. Each claim was checked on a running
 * varnishd 7.1.1 (backend.list -p):
 * - a `.request` without `Connection: close` to an HTTP/1.1 server that keeps
 *   the connection open fails every time (Varnish waits for the close until
 *   `.timeout`), so the backend is never healthy; `.url` probes send
 *   `Connection: close` themselves. The empty line that ends the request is
 *   added by Varnish (an explicit `""` is not needed).
 * - an HTTP/1.1 `.request` without `Host:` is one that servers answer with
 *   400 (RFC 9112, section 3.2), so the probe fails against most of them.
 * - `.timeout` not shorter than `.interval` (defaults 2s and 5s): the next
 *   probe starts `.interval` after the previous one ended, so a backend that
 *   hangs is probed only every timeout + interval (timeout 3s, interval 1s:
 *   one probe every 4s) and is marked sick later than the interval says.
 * - `.initial` above `.threshold` (default 3): Varnish caps it at the
 *   threshold (initial 10, threshold 3: three good probes on load), so the
 *   surplus does nothing. `.initial` equal to the threshold is a choice (the
 *   backend is healthy from the start) and is not reported.
 * `.window` above 64 and the other limits varnishd enforces are
 * `probe-constraint`'s.
 */
import type * as A from '../syntax/ast.js';
import type { Finding, OffsetEdit, Rule } from './rule.js';
import { durationSeconds, formatSeconds } from './duration-literal.js';
import { lineStartAt } from '../text/line-breaks.js';

/** Varnish's probe defaults (vcl-probe(7)). */
const DEFAULT_TIMEOUT = 2;
const DEFAULT_INTERVAL = 5;
const DEFAULT_THRESHOLD = 3;

export const probeSanityRule: Rule = {
  id: 'probe-sanity',
  defaultSeverity: 'warning',
  description: 'A health probe varnishd accepts but that misjudges the backend: a .request without Connection: close or Host, a .timeout not shorter than .interval, an .initial above .threshold.',
  check(ctx) {
    const out: Finding[] = [];
    for (const d of ctx.parse.ast.declarations) {
      if (d.kind === 'ProbeDecl') checkProbe(ctx.text, d.attributes, `Probe '${d.name?.text ?? '?'}'`, out);
      if (d.kind === 'BackendDecl') {
        for (const a of d.attributes) {
          if (a.name?.text === 'probe' && a.block) checkProbe(ctx.text, a.block, `The probe of backend '${d.name?.text ?? '?'}'`, out);
        }
      }
    }
    return out;
  },
};

function checkProbe(text: string, attrs: A.Attribute[], who: string, out: Finding[]): void {
  const field = (name: string) => attrs.find((a) => a.name?.text === name);
  checkRequest(text, field('request'), who, out);
  checkTiming(field('timeout'), field('interval'), attrs, who, out);
  checkInitial(field('initial'), field('threshold'), who, out);
}

function checkRequest(text: string, request: A.Attribute | undefined, who: string, out: Finding[]): void {
  if (!request?.name || request.value?.kind !== 'StringLiteral') return;
  const strings = [request.value, ...request.moreStrings];
  const lines = strings.map((s) => s.value);
  const version = /\sHTTP\/(\d\.\d)\s*$/i.exec(lines[0] ?? '')?.[1];
  // HTTP/1.0 closes after the response unless asked not to; only 1.1 (or a missing version) keeps it open.
  const keepsAlive = version !== '1.0' || lines.some((l) => /^connection:\s*keep-alive\s*$/i.test(l));
  const closes = lines.some((l) => /^connection:\s*close\s*$/i.test(l));
  if (!closes && keepsAlive) {
    out.push({
      start: request.name.start,
      end: request.name.end,
      message: `${who} sends a .request without 'Connection: close': a server that keeps the connection open makes every probe wait for .timeout and fail, so the backend is never healthy. Add "Connection: close" as a line of the request.`,
      fixes: [{ title: "Add 'Connection: close' to the probe request", edits: [addLine(text, strings, '"Connection: close"')], manual: true }],
    });
  }
  if (version === '1.1' && !lines.some((l) => /^host:/i.test(l))) {
    out.push({
      start: request.name.start,
      end: request.name.end,
      message: `${who} sends an HTTP/1.1 .request without a 'Host:' header; servers must answer that with 400 Bad Request, so the probe fails. Add a "Host: ..." line with the site's name.`,
    });
  }
}

/** An edit adding `line` as the last line of the request, before a trailing `""` if there is one, in the layout of the others. */
function addLine(text: string, strings: A.StringLiteral[], line: string): OffsetEdit {
  const last = strings[strings.length - 1]!;
  const anchor = strings.length > 1 && last.value === '' ? strings[strings.length - 2]! : last;
  const lineStart = lineStartAt(text, anchor.start);
  const before = text.slice(lineStart, anchor.start);
  // Strings one per line: a new line with the same indentation; all on one line: a space.
  const ownLine = strings.length > 1 && strings[0]!.start < lineStart;
  const indent = /^[ \t]*/.exec(before)![0];
  return { start: anchor.end, end: anchor.end, newText: ownLine && /^[ \t]*$/.test(before) ? `\n${indent}${line}` : ` ${line}` };
}

function checkTiming(timeout: A.Attribute | undefined, interval: A.Attribute | undefined, attrs: A.Attribute[], who: string, out: Finding[]): void {
  if (!timeout && !interval) return;
  const t = timeout ? durationSeconds(timeout.value) : DEFAULT_TIMEOUT;
  const i = interval ? durationSeconds(interval.value) : DEFAULT_INTERVAL;
  if (t === undefined || i === undefined || t < i) return;
  const at = (timeout ?? interval ?? attrs[0])!.value!;
  const tText = `${formatSeconds(t)}${timeout ? '' : ' (the default)'}`;
  const iText = `${formatSeconds(i)}${interval ? '' : ' (the default)'}`;
  out.push({
    start: at.start,
    end: at.end,
    severity: 'info',
    message: `${who}: .timeout ${tText} is not shorter than .interval ${iText}. Varnish starts the next probe .interval after the previous one ends, so a backend that hangs is probed only every ${formatSeconds(t + i)} and is marked sick later than the interval suggests; keep .timeout well below .interval.`,
  });
}

function checkInitial(initial: A.Attribute | undefined, threshold: A.Attribute | undefined, who: string, out: Finding[]): void {
  const n = integer(initial);
  if (n === undefined || !initial?.value) return;
  const explicit = integer(threshold);
  if (threshold && explicit === undefined) return;
  // `.threshold = 0` means "unset": Varnish uses the default.
  const t = explicit || DEFAULT_THRESHOLD;
  if (n <= t) return;
  out.push({
    start: initial.value.start,
    end: initial.value.end,
    severity: 'info',
    message: `${who}: .initial ${n} is above .threshold ${t}${explicit ? '' : ' (the default)'}; Varnish caps it at ${t} good probes, so the backend starts healthy and the rest has no effect.`,
    fixes: [{ title: `Set .initial to ${t}, the value Varnish uses`, edits: [{ start: initial.value.start, end: initial.value.end, newText: String(t) }] }],
  });
}

/** The value of an integer field, when it is a plain number. */
function integer(a: A.Attribute | undefined): number | undefined {
  const v = a?.value;
  if (!v || v.kind !== 'NumberLiteral' || v.unit || !/^\d+$/.test(v.text)) return undefined;
  return Number(v.text);
}
