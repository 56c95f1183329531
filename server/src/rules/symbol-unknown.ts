/**
 * `symbol-unknown`: a name VCC cannot resolve — a variable, function, sub,
 * backend, probe or ACL that does not exist (varnishd: "Symbol not found",
 * "Undefined backend/sub/acl ..."). Suggests the nearest known name.
 */
import type { Finding, FindingFix, Rule } from './rule.js';
import type { SemanticModel, UnknownName } from '../analysis/semantic-model.js';
import { documentFile, setStatementAt } from './program-files.js';
import { lineEndAt, lineStartAt } from '../text/line-breaks.js';
import type * as A from '../syntax/ast.js';
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
      if (r.kind === 'sub' && model.facts.isBuiltinMethodSymbol(r.name)) continue;
      let same = namesOfKind.get(r.kind);
      if (!same) namesOfKind.set(r.kind, (same = model.definitions.filter((d) => d.kind === r.kind).map((d) => d.name)));
      const other = model.lookup(r.name)[0];
      const why = other ? ` ('${r.name}' is a ${other.kind}, not a ${r.kind})` : suggested++ < MAX_SUGGESTIONS ? suggestion(r.name, same) : '';
      out.push({ file: r.file, start: r.span.start, end: r.span.end, message: `Undefined ${r.kind} '${r.name}'${why}` });
    }
    // A vmod or an object used above its import or `new`: the first use of each only, for VCC stops
    // there and every later one says the same.
    const firstUses = new Set<string>();
    for (const r of model.references) {
      if (!isDefinedBelow(r)) continue;
      if (r.kind === 'vmod' || r.kind === 'object') {
        const key = `${r.kind} ${r.name}`;
        if (firstUses.has(key)) continue;
        firstUses.add(key);
      }
      if (r.kind === 'vmod') {
        const finding: Finding = { file: r.file, start: r.span.start, end: r.span.end, message: `Symbol not found: '${r.name}' (import ${r.name} comes below this use, and VCC knows a vmod only from its import on: move the import up)` };
        const fix = r.file === documentFile(ctx, model) ? moveImportUp(ctx.text, ctx.parse.ast, r) : undefined;
        if (fix) finding.fixes = [fix];
        out.push(finding);
      } else if (r.kind === 'object') {
        out.push({ file: r.file, start: r.span.start, end: r.span.end, message: `Symbol not found: '${r.name}' (the object is created by a new statement below this use, and VCC knows an object only from its new on: put vcl_init above the subs that use it)` });
      } else {
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
  if (def === undefined || def.file !== r.file || r.span.start >= def.node.start) return false;
  // A vmod is known from its import on, and an object from its `new` on, in every release and
  // everywhere (checked with 6.5 to 9.0), though 7.0 and later take subs, backends and ACLs from below.
  return r.kind === 'vmod' || r.kind === 'object' || ((r.kind === 'probe' || r.kind === 'backend') && r.sub === undefined);
}

/**
 * Moves an `import` that stands below a use of its vmod to just above the
 * declaration holding that use (its whole line when the import stands alone
 * on it). Imports may stand anywhere at the top level and mean the same
 * wherever they are, so the move changes nothing else: applied by --fix.
 */
function moveImportUp(text: string, program: A.Program, r: SemanticModel['references'][number]): FindingFix | undefined {
  const imp = r.target?.node;
  const use = program.declarations.find((d) => d.start <= r.span.start && r.span.start < d.end);
  if (imp?.kind !== 'ImportDecl' || !use) return undefined;
  const lineStart = lineStartAt(text, imp.start);
  const lineEnd = lineEndAt(text, imp.end);
  const alone = text.slice(lineStart, imp.start).trim() === '' && text.slice(imp.end, lineEnd).trim() === '';
  // The line with its break (`\r\n` counts as one), or the declaration alone when something shares its line.
  const breakLength = text.startsWith('\r\n', lineEnd) ? 2 : lineEnd < text.length ? 1 : 0;
  const removed = alone ? { start: lineStart, end: lineEnd + breakLength } : { start: imp.start, end: imp.end };
  const at = lineStartAt(text, use.start);
  return {
    title: `Move import ${r.name} above its first use`,
    edits: [
      { start: at, end: at, newText: `${text.slice(imp.start, imp.end)}\n` },
      { ...removed, newText: '' },
    ],
  };
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
