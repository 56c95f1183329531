/**
 * `backend-probe-missing`: a backend without a health probe. Varnish then
 * keeps sending requests to a backend that is down: each one waits for
 * connect_timeout or first_byte_timeout and ends in "503 Backend fetch
 * failed", and a director cannot route around the dead backend, because only
 * a probe marks it sick. A warning when the backend is in a director or the
 * VCL has several backends; information when it is the only one.
 * `backend x none;` and backends covered by a probe named `default` are fine.
 */
import type * as A from '../syntax/ast.js';
import { walk } from '../syntax/walk.js';
import { findTagHeaders } from '../analysis/tag-headers.js';
import type { Finding, FindingFix, OffsetEdit, Rule } from './rule.js';

export const backendProbeMissingRule: Rule = {
  id: 'backend-probe-missing',
  defaultSeverity: 'warning',
  description: 'A backend with no health probe: Varnish keeps sending traffic to it when it is down (503s), and directors cannot fail over.',
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
    const out: Finding[] = [];
    for (const b of missing) {
      const name = b.name!.text;
      const director = inDirector.has(name.toLowerCase());
      const several = backends.length > 1;
      const why = director
        ? `it is in a director, which can only route around it when a probe marks it sick`
        : several
          ? `with ${backends.length} backends, a dead one is only noticed when a probe marks it sick`
          : 'requests to it fail slowly (503 after the timeouts) while it is down';
      out.push({
        start: b.name!.start,
        end: b.name!.end,
        severity: director || several ? 'warning' : 'info',
        message: `Backend '${name}' has no health probe: ${why}. Add a .probe.`,
        fixes: fixesFor(ctx.text, b, probes, missing, decls, magento),
      });
    }
    return out;
  },
};

/** Backends passed to `x.add_backend(...)` of some object (the directors vmod and its kin). */
function directorMembers(program: A.Program): Set<string> {
  const out = new Set<string>();
  walk(program, (n) => {
    if (n.kind !== 'CallExpr' || !/\.add_backend$/.test(n.callee.text)) return undefined;
    const first = n.args[0]?.value;
    if (first?.kind === 'Identifier') out.add(first.name.text.toLowerCase());
    return undefined;
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
  const lineStart = text.lastIndexOf('\n', first.start - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart, first.start))![0];
}

/** Edit that adds `line` as the last attribute of the backend, before its `}`. */
function addAttribute(text: string, b: A.BackendDecl, line: string): OffsetEdit {
  const close = b.end - 1;
  const lineStart = text.lastIndexOf('\n', close - 1) + 1;
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
    const lineStart = text.lastIndexOf('\n', first.start - 1) + 1;
    const edits: OffsetEdit[] = [{ start: lineStart, end: lineStart, newText: `probe ${probeName} {\n${probeBody('    ', magento)}\n}\n\n` }];
    for (const m of missing) edits.push(addAttribute(text, m, `.probe = ${probeName};`));
    fixes.push({ title: `Create probe '${probeName}' and use it for all ${missing.length} backends without one`, edits, manual: true });
  }
  return fixes;
}
