/**
 * `backend-probe-missing`: backends without a health probe. Varnish then
 * keeps sending requests to a backend that is down: each one waits for
 * connect_timeout or first_byte_timeout and ends in "503 Backend fetch
 * failed", and a director cannot route around the dead backend, because only
 * a probe marks it sick.
 *
 * One finding per document, on the first backend without a probe, naming
 * all of them (the others as related information): a file with 46 backends
 * gets one finding, not 46. A warning when one of them is in a director
 * (that is where a probe buys failover); information with several backends
 * and no director; a hint for a single backend, where a probe only makes
 * requests fail at once instead of after the timeouts.
 * `backend x none;` and backends covered by a probe named `default` are fine.
 */
import type * as A from '../syntax/ast.js';
import { nodeKinds, walkKinds } from '../syntax/walk.js';
import { findTagHeaders } from '../analysis/tag-headers.js';
import type { Finding, FindingFix, OffsetEdit, Rule } from './rule.js';
import { lineStartAt } from '../text/line-breaks.js';

export const backendProbeMissingRule: Rule = {
  id: 'backend-probe-missing',
  defaultSeverity: 'warning',
  description: 'Backends with no health probe: Varnish keeps sending traffic to one that is down (slow 503s), and a director cannot route around it.',
  check(ctx) {
    const decls = ctx.parse.ast.declarations;
    const backends = decls.filter((d): d is A.BackendDecl => d.kind === 'BackendDecl' && !d.none && d.hasBody && !!d.name);
    const probes = decls.filter((d): d is A.ProbeDecl => d.kind === 'ProbeDecl' && !!d.name);
    // A probe called `default` is given to every backend without .probe.
    if (probes.some((p) => p.name!.text === 'default')) return [];
    const missing = backends.filter((b) => !b.attributes.some((a) => a.name?.text === 'probe'));
    if (missing.length === 0) return [];
    const inDirector = directorMembers(ctx.parse.ast);
    const magento = /magento/i.test(ctx.text) || findTagHeaders(ctx.text).some((h) => h.header === 'X-Magento-Tags');
    const first = missing[0]!;
    const names = missing.map((b) => b.name!.text);
    const directed = names.filter((n) => inDirector.has(n.toLowerCase()));
    const subject = missing.length === 1 ? `Backend '${names[0]}' has` : `${listNames(names)} have`;
    let why: string;
    if (directed.length === missing.length) {
      why = `${missing.length === 1 ? 'it is' : 'they are'} in a director, which routes around a dead backend only when a probe marks it sick`;
    } else if (directed.length > 0) {
      why = `${listNames(directed, false)} ${directed.length === 1 ? 'is' : 'are'} in a director, which routes around a dead backend only when a probe marks it sick`;
    } else {
      why = `while ${missing.length === 1 ? 'it is' : 'one is'} down, each request to it waits for the connect or first-byte timeout before its 503; a probe marks it sick, so that requests fail at once and std.healthy() can tell`;
    }
    const severity = directed.length > 0 ? 'warning' : backends.length > 1 ? 'info' : 'hint';
    const finding: Finding = {
      start: first.name!.start,
      end: first.name!.end,
      severity,
      message: `${subject} no health probe: ${why}. Add a .probe.`,
      fixes: fixesFor(ctx.text, first, probes, missing, decls, magento),
    };
    if (missing.length > 1) {
      finding.related = missing.slice(1).map((b) => ({ start: b.name!.start, end: b.name!.end, message: `Backend '${b.name!.text}' has no .probe${inDirector.has(b.name!.text.toLowerCase()) ? ' (it is in a director)' : ''}` }));
    }
    return [finding];
  },
};

/** "Backends 'a', 'b' and 'c'", at most three names, then how many more. */
function listNames(names: string[], withNoun = true): string {
  const quoted = names.slice(0, 3).map((n) => `'${n}'`);
  const more = names.length - quoted.length;
  const list = more > 0 ? `${quoted.join(', ')} and ${more} more` : quoted.length === 1 ? quoted[0]! : `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]}`;
  return withNoun ? `${names.length === 1 ? 'Backend' : 'Backends'} ${list}` : list;
}

/** Backends passed to `x.add_backend(...)` of some object (the directors vmod and its kin). */
const CALLS = nodeKinds('CallExpr');

function directorMembers(program: A.Program): Set<string> {
  const out = new Set<string>();
  walkKinds(program, CALLS, (n) => {
    if (!/\.add_backend$/.test(n.callee.text)) return;
    const first = n.args[0]?.value;
    if (first?.kind === 'Identifier') out.add(first.name.text.toLowerCase());
  });
  return out;
}

function probeBody(indent: string, magento: boolean): string {
  const lines = magento
    ? // Magento's own VCL template probes its health-check script with these values.
      ['.url = "/pub/health_check.php";', '.timeout = 2s;', '.interval = 5s;', '.window = 10;', '.threshold = 5;']
    : ['.url = "/";', '.timeout = 2s;', '.interval = 5s;', '.window = 5;', '.threshold = 3;'];
  return lines.map((l) => `${indent}${l}`).join('\n');
}

/** The indentation used for the backend's attributes (or four spaces). */
function attrIndent(text: string, b: A.BackendDecl): string {
  const first = b.attributes[0];
  if (!first) return '    ';
  const lineStart = lineStartAt(text, first.start);
  return /^[ \t]*/.exec(text.slice(lineStart, first.start))![0];
}

/** Edit that adds `line` as the last attribute of the backend, before its `}`. */
function addAttribute(text: string, b: A.BackendDecl, line: string): OffsetEdit {
  const close = b.end - 1;
  const lineStart = lineStartAt(text, close);
  const onOwnLine = /^[ \t]*$/.test(text.slice(lineStart, close));
  const indent = attrIndent(text, b);
  // `}` on its own line: insert a line above it; `{ ... }` on one line: insert before the `}`.
  return onOwnLine ? { start: lineStart, end: lineStart, newText: `${indent}${line}\n` } : { start: close, end: close, newText: ` ${line.trim()} ` };
}

/** Probes change which backends get traffic, so these fixes are offered, never applied in bulk. */
function fixesFor(text: string, b: A.BackendDecl, probes: A.ProbeDecl[], missing: A.BackendDecl[], decls: A.Declaration[], magento: boolean): FindingFix[] {
  const name = b.name!.text;
  const fixes: FindingFix[] = [];
  // VCC resolves a probe name only when the probe is declared before the backend.
  for (const p of probes.filter((p) => p.end <= b.start).slice(0, 3)) {
    fixes.push({ title: `Use the probe '${p.name!.text}' for backend '${name}'`, edits: [addAttribute(text, b, `.probe = ${p.name!.text};`)], manual: true });
  }
  const indent = attrIndent(text, b);
  const inline = `.probe = {\n${probeBody(`${indent}    `, magento)}\n${indent}}`;
  fixes.push({ title: `Add a health probe to backend '${name}'`, edits: [addAttribute(text, b, inline)], manual: true });
  if (missing.length > 1) {
    const taken = new Set(decls.flatMap((d) => ('name' in d && d.name ? [d.name.text.toLowerCase()] : [])));
    const probeName = ['health', 'health_check', 'backend_health'].find((n) => !taken.has(n)) ?? `health_${missing.length}`;
    const first = decls.find((d) => d.kind === 'BackendDecl')!;
    const lineStart = lineStartAt(text, first.start);
    const edits: OffsetEdit[] = [{ start: lineStart, end: lineStart, newText: `probe ${probeName} {\n${probeBody('    ', magento)}\n}\n\n` }];
    for (const m of missing) edits.push(addAttribute(text, m, `.probe = ${probeName};`));
    fixes.push({ title: `Create probe '${probeName}' and use it for all ${missing.length} backends without one`, edits, manual: true });
  }
  return fixes;
}
