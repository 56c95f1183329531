/**
 * `probe-constraint`: health probe settings that VCC refuses, in named
 * probes and in a backend's inline `.probe = { ... }`. Checked against
 * varnishd 7.1.1:
 * - `.window` without `.threshold` ("Must specify .threshold with .window");
 * - with both, `.window` above 64 ("Window must be 64 or less."), else
 *   `.threshold` above `.window` ("Threshold can not be greater than window.");
 * - `.threshold` alone above 64 ("Threshold must be 64 or less."); alone it
 *   is otherwise accepted, even above the default window of 8;
 * - `.expected_response` outside 100..999;
 * - both `.url` and `.request` ("Probe request redefinition").
 * `.initial` is never checked by VCC (any value, even above the window, compiles).
 */
import type * as A from '../syntax/ast.js';
import type { Finding, Rule } from './rule.js';

/** The size of the health shift register. */
const REGISTER = 64;

export const probeConstraintRule: Rule = {
  id: 'probe-constraint',
  defaultSeverity: 'error',
  description: 'A health probe whose .window, .threshold, .expected_response, .url or .request settings varnishd refuses.',
  check(ctx) {
    const out: Finding[] = [];
    for (const d of ctx.parse.ast.declarations) {
      if (d.kind === 'ProbeDecl') checkProbe(d.attributes, `Probe '${d.name?.text ?? '?'}'`, out);
      if (d.kind === 'BackendDecl') {
        for (const a of d.attributes) {
          if (a.name?.text === 'probe' && a.block) checkProbe(a.block, `The probe of backend '${d.name?.text ?? '?'}'`, out);
        }
      }
    }
    return out;
  },
};

function checkProbe(attrs: A.Attribute[], who: string, out: Finding[]): void {
  const field = (name: string) => attrs.find((a) => a.name?.text === name);
  const window = field('window');
  const threshold = field('threshold');
  const w = integer(window);
  const t = integer(threshold);
  if (window && !threshold) {
    if (w !== undefined) {
      out.push({
        ...span(window.value!),
        message: `${who} sets .window without .threshold; VCC wants both or neither. Add .threshold (how many of the last ${w} probes must succeed), e.g. '.threshold = ${Math.max(1, Math.min(w, Math.ceil(w / 2)))};'.`,
      });
    }
  } else if (threshold && !window) {
    if (t !== undefined && t > REGISTER) {
      out.push({ ...span(threshold.value!), message: `${who}: .threshold is ${t}, but the health register holds only the last ${REGISTER} probes; use ${REGISTER} or less.` });
    }
  } else if (window && threshold && w !== undefined && t !== undefined) {
    if (w > REGISTER) {
      out.push({ ...span(window.value!), message: `${who}: .window is ${w}, but the health register holds only the last ${REGISTER} probes; use ${REGISTER} or less.` });
    } else if (t > w) {
      out.push({
        ...span(threshold.value!),
        message: `${who}: .threshold (${t}) is greater than .window (${w}), so the backend could never be healthy. The threshold counts good probes among the last .window ones; lower it or raise the window.`,
      });
    }
  }
  const expected = field('expected_response');
  const status = integer(expected);
  if (expected && status !== undefined && (status < 100 || status > 999)) {
    out.push({ ...span(expected.value!), message: `${who}: .expected_response is ${status}, which is no HTTP status; give a three-digit status from 100 to 999, such as 200.` });
  }
  const url = field('url');
  const request = field('request');
  if (url?.name && request?.name) {
    const second = url.start > request.start ? url : request;
    out.push({
      ...span(second.name!),
      message: `${who} sets both .url and .request; VCC allows one. .url sends a simple GET for that URL; .request sends the exact request lines given. Remove one of them.`,
    });
  }
}

/** The value of an integer field, when it is a plain number (the parser reports the rest). */
function integer(a: A.Attribute | undefined): number | undefined {
  const v = a?.value;
  if (!v || v.kind !== 'NumberLiteral' || v.unit || !/^\d+$/.test(v.text)) return undefined;
  return Number(v.text);
}

function span(n: A.Span): A.Span {
  return { start: n.start, end: n.end };
}
