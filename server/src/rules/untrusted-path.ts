/**
 * `untrusted-path`: a file the program names by path (an absolute or `./`
 * include, an `import ... from`) that the language server does not read,
 * because it lies outside an untrusted workspace. The analysis goes on
 * without it; varnishd itself may well find it.
 */
import type { Finding, Rule } from './rule.js';

export const untrustedPathRule: Rule = {
  id: 'untrusted-path',
  defaultSeverity: 'warning',
  description: 'A file outside an untrusted workspace that the language server does not read.',
  check: (ctx) => {
    const out: Finding[] = ctx.includeProblems.filter((p) => p.kind === 'refused').map((p) => ({ ...p.span, message: p.message }));
    if (!ctx.refusesFile) return out;
    for (const d of ctx.parse.ast.declarations) {
      if (d.kind !== 'ImportDecl' || !d.from) continue;
      const reason = ctx.refusesFile(d.from.value);
      if (reason !== undefined) out.push({ start: d.from.start, end: d.from.end, message: `vmod file '${d.from.value}' was not read: ${reason}` });
    }
    return out;
  },
};
