/**
 * `symbol-unknown`: a name VCC cannot resolve — a variable, function, sub,
 * backend, probe or ACL that does not exist (varnishd: "Symbol not found",
 * "Undefined backend/sub/acl ..."). Suggests the nearest known name.
 */
import type { Finding, FindingFix, Rule } from './rule.js';
import type { SemanticModel, UnknownName } from '../analysis/semantic-model.js';
import { setStatementAt } from './program-files.js';
import { completeProgram } from './complete-program.js';
import { builtinFunctions } from '../facts/builtin-functions.js';
import { closest, VCL_NAMES } from '../text/did-you-mean.js';
import type { VariableFact } from '../facts/index.js';

export const symbolUnknownRule: Rule = {
  id: 'symbol-unknown',
  defaultSeverity: 'error',
  description: 'A name that refers to nothing: no such variable, function, sub, backend, probe or ACL.',
  check(ctx) {
    if (!completeProgram(ctx)) return [];
    const model = ctx.semantic();
    const out: Finding[] = [];
    // Built once: a program with thousands of unknown names would otherwise rebuild it per name.
    let candidates: string[] | undefined;
    let suggested = 0;
    for (const u of model.unknown) {
      candidates ??= [...model.definitions.map((d) => d.name), ...releaseNames(model.facts.variables)];
      const hint = u.versionNote ? ` (${u.versionNote})` : suggested++ < MAX_SUGGESTIONS ? suggestion(u.name, candidates) : '';
      const finding: Finding = { file: u.file, start: u.span.start, end: u.span.end, message: `Symbol not found: '${u.name}'${hint}` };
      const fix = u.name.toLowerCase() === 'beresp.storage_hint' ? storageHintFix(model, u) : undefined;
      if (fix) finding.fixes = [fix];
      out.push(finding);
    }
    const namesOfKind = new Map<string, string[]>();
    for (const r of model.references) {
      if (r.target || r.kind === 'vmod' || r.kind === 'object') continue;
      // `call vcl_miss;` where the program writes no vcl_miss: builtin.vcl has one, and VCC calls it
      // (6.5's VCC too, though its C code for any call of a built-in method does not compile: out of scope).
      if (r.kind === 'sub' && model.facts.builtinSubroutine(r.name)?.name === r.name) continue;
      let same = namesOfKind.get(r.kind);
      if (!same) namesOfKind.set(r.kind, (same = model.definitions.filter((d) => d.kind === r.kind).map((d) => d.name)));
      const other = model.lookup(r.name)[0];
      const why = other ? ` ('${r.name}' is a ${other.kind}, not a ${r.kind})` : suggested++ < MAX_SUGGESTIONS ? suggestion(r.name, same) : '';
      out.push({ file: r.file, start: r.span.start, end: r.span.end, message: `Undefined ${r.kind} '${r.name}'${why}` });
    }
    for (const r of model.references) {
      if (isDefinedBelow(r)) {
        const field = r.kind === 'probe' ? '.probe' : '.via';
        out.push({ file: r.file, start: r.span.start, end: r.span.end, message: `Symbol not found: '${r.name}' (the ${r.kind} is defined below this backend, and a backend's ${field} must name one defined above it: move ${r.kind} '${r.name}' up)` });
      }
    }
    return out;
  },
};

/**
 * A backend's `.probe = p;` or `.via = b;` naming a probe or backend
 * defined further down the same file. VCC builds a backend where it is
 * declared, so the other must exist by then, in every release (varnishd
 * 6.5 to 9.0: "Symbol not found"), though 7.0 and later take names from
 * below in subs. References outside subs are those of backend fields. Only
 * within one file: where an include puts another file's declarations is
 * not followed here.
 */
export function isDefinedBelow(r: SemanticModel['references'][number]): boolean {
  const def = r.target;
  return (r.kind === 'probe' || r.kind === 'backend') && r.sub === undefined && def !== undefined && def.file === r.file && r.span.start < def.node.start;
}

/**
 * `set beresp.storage_hint = "name";`, which 9.0 no longer knows, says the
 * same as `set beresp.storage = storage.name;`. Offered, not applied by
 * itself: the storage must exist where varnishd runs (`-s name=...`; `s0`
 * is the default one).
 */
function storageHintFix(model: SemanticModel, u: UnknownName): FindingFix | undefined {
  const set = setStatementAt(model, u.file, u.span.start);
  const v = set?.operator === '=' ? set.value : undefined;
  if (!set?.target || v?.kind !== 'StringLiteral' || !/^[A-Za-z][A-Za-z0-9_]*$/.test(v.value)) return undefined;
  return {
    title: `Write set beresp.storage = storage.${v.value}`,
    edits: [
      { start: set.target.start, end: set.target.end, newText: 'beresp.storage' },
      { start: v.start, end: v.end, newText: `storage.${v.value}` },
    ],
    manual: true,
  };
}

/** Most unknown names given a did-you-mean (each compares the name with every name of the program). */
const MAX_SUGGESTIONS = 200;

/** The names a release knows whatever the program (variables, `X` for a header's name, then builtin functions), by its variable table. */
const releaseNamesOf = new WeakMap<readonly VariableFact[], string[]>();

function releaseNames(variables: readonly VariableFact[]): string[] {
  let names = releaseNamesOf.get(variables);
  if (!names) releaseNamesOf.set(variables, (names = [...variables.map((v) => v.name.replace(/\.$/, '.X')), ...builtinFunctions.map((f) => f.name)]));
  return names;
}

function suggestion(name: string, candidates: string[]): string {
  const best = closest(name, candidates, VCL_NAMES);
  return best ? `; did you mean '${best}'?` : '';
}
