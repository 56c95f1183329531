/**
 * `symbol-unknown`: a name VCC cannot resolve — a variable, function, sub,
 * backend, probe or ACL that does not exist (varnishd: "Symbol not found",
 * "Undefined backend/sub/acl ..."). Suggests the nearest known name.
 */
import type { Finding, Rule } from './rule.js';
import { completeProgram } from './complete-program.js';
import { allVariables } from '../facts/index.js';
import { builtinFunctions } from '../facts/builtin-functions.js';
import { closest, VCL_NAMES } from '../text/did-you-mean.js';

export const symbolUnknownRule: Rule = {
  id: 'symbol-unknown',
  defaultSeverity: 'error',
  description: 'A name that refers to nothing: no such variable, function, sub, backend, probe or ACL.',
  check(ctx) {
    if (!completeProgram(ctx)) return [];
    const model = ctx.semantic();
    const out: Finding[] = [];
    const userNames = model.definitions.map((d) => d.name);
    // Built once: a program with thousands of unknown names would otherwise rebuild it per name.
    let candidates: string[] | undefined;
    let suggested = 0;
    for (const u of model.unknown) {
      candidates ??= [...userNames, ...allVariables.map((v) => v.name.replace(/\.$/, '.X')), ...builtinFunctions.map((f) => f.name)];
      const hint = u.versionNote ? ` (${u.versionNote})` : suggested++ < MAX_SUGGESTIONS ? suggestion(u.name, candidates) : '';
      out.push({ file: u.file, start: u.span.start, end: u.span.end, message: `Symbol not found: '${u.name}'${hint}` });
    }
    const namesOfKind = new Map<string, string[]>();
    for (const r of model.references) {
      if (r.target || r.kind === 'vmod' || r.kind === 'object') continue;
      let same = namesOfKind.get(r.kind);
      if (!same) namesOfKind.set(r.kind, (same = model.definitions.filter((d) => d.kind === r.kind).map((d) => d.name)));
      const other = model.lookup(r.name)[0];
      const why = other ? ` ('${r.name}' is a ${other.kind}, not a ${r.kind})` : suggested++ < MAX_SUGGESTIONS ? suggestion(r.name, same) : '';
      out.push({ file: r.file, start: r.span.start, end: r.span.end, message: `Undefined ${r.kind} '${r.name}'${why}` });
    }
    return out;
  },
};

/** Most unknown names given a did-you-mean (each compares the name with every name of the program). */
const MAX_SUGGESTIONS = 200;

function suggestion(name: string, candidates: string[]): string {
  const best = closest(name, candidates, VCL_NAMES);
  return best ? `; did you mean '${best}'?` : '';
}
