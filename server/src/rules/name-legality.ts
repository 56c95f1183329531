/**
 * `name-legality`: names VCC refuses for what they are, whatever else the
 * program holds. Checked against varnishd 7.1.1:
 * - a dot in the name of a sub, backend, probe, ACL or `new` object ("Name
 *   of subroutine, 'foo.bar', contains illegal character '.'"); an
 *   `import ... as` name may hold one;
 * - `vcl_*` names: a sub so named must be a built-in one ("The names
 *   'vcl_*' are reserved for subroutines."), and nothing else may be so
 *   named or so referred to ("Symbols named 'vcl_*' are reserved.");
 * - the names of VCC's own symbols, compared without regard to case:
 *   variables (`req`, `now`, ...), functions and actions (`regsub`, `set`,
 *   `synthetic`, ...), `true`, `false`, and the keywords (`acl`, `sub`,
 *   `backend`, ...) ("Name now must have type 'var'.", "Symbol 'req' has
 *   wrong type (var), expected sub"); `default` is for `backend default` and
 *   `probe default` only, in lower case.
 */
import type * as A from '../syntax/ast.js';
import type { DeclarationPass, Finding, FindingFix, Rule, RuleContext } from './rule.js';
import type { SemanticModel } from '../analysis/semantic-model.js';
import { nodeKinds, walkKinds } from '../syntax/walk.js';
import { keptPass, passFindings } from './per-declaration.js';
import { allVariables, builtinSubroutineOfAnyRelease, vclFacts, type VclFacts } from '../facts/index.js';
import { describeVersions, productName, versionsIn } from '../facts/versions.js';
import { builtinVclSub } from '../facts/builtin-vcl.js';
import { builtinFunctions } from '../facts/builtin-functions.js';
import { closest, VCL_NAMES } from '../text/did-you-mean.js';

/** The program's defined names in lower case, once per model (every file of a program shares it). */
function definedNames(model: SemanticModel): Set<string> {
  let names = namesByModel.get(model);
  if (!names) {
    names = new Set(model.definitions.map((d) => d.name.toLowerCase()));
    namesByModel.set(model, names);
  }
  return names;
}

const namesByModel = new WeakMap<SemanticModel, Set<string>>();

/** What a name belongs to, as the messages say it. */
export type NameKind = 'subroutine' | 'backend' | 'probe' | 'ACL' | 'object' | 'vmod import';

const keywords = ['acl', 'backend', 'import', 'probe', 'sub', 'vcl'];
const actions = ['ban', 'call', 'hash_data', 'if', 'new', 'return', 'set', 'synthetic', 'unset'];

/** VCC's own top-level symbols, in lower case, with what they are. */
const builtinSymbols = new Map<string, string>();
for (const v of allVariables) if (!v.name.includes('.')) builtinSymbols.set(v.name.toLowerCase(), 'a built-in VCL variable');
for (const f of builtinFunctions) builtinSymbols.set(f.name.toLowerCase(), 'a built-in VCL function');
for (const a of actions) builtinSymbols.set(a, 'a VCL statement');
for (const c of ['true', 'false']) builtinSymbols.set(c, 'a BOOL constant of VCL');
for (const k of keywords) builtinSymbols.set(k, 'a VCL keyword');

export const nameLegalityRule: Rule = {
  id: 'name-legality',
  defaultSeverity: 'error',
  description: "A name VCC refuses: a dot in it, a reserved 'vcl_' name, or the name of a built-in variable, function or keyword.",
  byDeclaration,
  check: (ctx) => passFindings(byDeclaration(ctx), ctx.parse.ast),
};

/** The names of the declarations, then (declaration by declaration) the names used in them. */
function byDeclaration(ctx: RuleContext): DeclarationPass {
  const out: Finding[] = [];
  const program = ctx.parse.ast;
  const facts = vclFacts(ctx.varnishVersion);
  const check = (name: A.Name | undefined, kind: NameKind, decl?: A.Declaration) => {
    if (!name || !name.text) return;
    const message = nameProblem(name.text, kind, facts);
    if (!message) return;
    const finding: Finding = { start: name.start, end: name.end, message };
    const fix = decl && renameFix(ctx.semantic(), decl, kind);
    if (fix) finding.fixes = [fix];
    out.push(finding);
  };
  for (const d of program.declarations) {
    switch (d.kind) {
      case 'SubDecl': check(d.name, 'subroutine', facts.builtinSubroutine(d.name?.text ?? '') ? undefined : d); break;
      case 'BackendDecl': check(d.name, 'backend', d); break;
      case 'ProbeDecl': check(d.name, 'probe', d); break;
      case 'AclDecl': check(d.name, 'ACL', d); break;
      case 'ImportDecl': if (d.alias) check(d.alias, 'vmod import'); break;
      default: break;
    }
  }
  const defined = definedNames(ctx.semantic());
  // What the walk finds in a declaration depends on it, on the release and on the vcl_* names the
  // program defines (the only defined names reservedUse asks about): kept per declaration under that key.
  const key = `${facts.release}\0${[...defined].filter((n) => n.startsWith('vcl_')).sort().join(',')}`;
  return keptPass('name-legality', key, (d) => usesOf(d, program, defined, facts.release, (name) => nameProblem(name, 'object', facts)), out);
}

const CHECKED_USES = nodeKinds('NewStmt', 'MatchExpr', 'CallExpr', 'Identifier', 'CallStmt');

/** The names a declaration uses that VCC refuses (objects it creates, reserved, keyword and `default` uses). */
function usesOf(d: A.Declaration, program: A.Program, defined: ReadonlySet<string>, release: string, objectProblem: (name: string) => string | undefined): Finding[] {
  const out: Finding[] = [];
  walkKinds(
    d,
    CHECKED_USES,
    (n, parent) => {
      if (n.kind === 'NewStmt' && n.name?.text) {
        const message = objectProblem(n.name.text);
        if (message) out.push({ start: n.name.start, end: n.name.end, message });
      }
      // Where VCC creates a symbol on first use (an ACL after `~`, a SUB
      // argument of a vmod function), a vcl_* name is refused as reserved.
      if (n.kind === 'MatchExpr' && n.pattern?.kind === 'Identifier') reservedUse(n.pattern.name, defined, out, release);
      if (n.kind === 'CallExpr') for (const a of n.args) if (a.value?.kind === 'Identifier') reservedUse(a.value.name, defined, out, release);
      // Keywords are no values; `default` names no sub and no ACL.
      // (In a vmod call's arguments a bare word may be an enum value: `vtc.workspace_free(backend)`.)
      if (n.kind === 'Identifier' && parent?.kind !== 'Argument') keywordUse(n.name, out);
      if (n.kind === 'CallStmt' && n.target && !n.args && !keywordUse(n.target, out)) defaultUse(n.target, 'subroutine', out);
      if (n.kind === 'MatchExpr' && n.pattern?.kind === 'Identifier') defaultUse(n.pattern.name, 'ACL', out);
    },
    program,
  );
  return out;
}

const SUFFIX: Record<NameKind, string> = { subroutine: 'sub', backend: 'backend', probe: 'probe', ACL: 'acl', object: 'obj', 'vmod import': 'vmod' };

/**
 * Renames a definition with a refused name, and every use of it: `acl ban`
 * becomes `acl ban_acl` and `client.ip ~ ban` becomes `client.ip ~ ban_acl`
 * (the `ban(...)` statement is no use of the ACL). Offered only when every
 * use is in the same file as the definition, as a fix edits one document.
 */
function renameFix(model: SemanticModel, decl: A.Declaration, kind: NameKind): FindingFix | undefined {
  const def = model.definitions.find((d) => d.node === decl);
  if (!def || def.name.toLowerCase().startsWith('vcl_')) return undefined;
  const uses = model.references.filter((r) => r.target === def);
  if (uses.some((r) => r.file !== def.file)) return undefined;
  const base = def.name.replace(/\./g, '_');
  // `vcl.url` would become a reserved `vcl_` name whatever the suffix.
  if (base.toLowerCase().startsWith('vcl_')) return undefined;
  const free = (n: string) => !nameProblem(n, kind, model.facts) && model.lookup(n).length === 0;
  const candidates = [`${base}_${SUFFIX[kind]}`, ...Array.from({ length: 8 }, (_, i) => `${base}_${SUFFIX[kind]}${i + 2}`)];
  const to = candidates.find(free);
  if (!to) return undefined;
  const spans = [def.nameSpan, ...uses.map((r) => r.span)];
  const seen = new Set<number>();
  const edits = spans.filter((s) => !seen.has(s.start) && seen.add(s.start)).map((s) => ({ start: s.start, end: s.end, newText: to }));
  return { title: `Rename ${kind === 'ACL' ? 'the ACL' : `the ${kind}`} '${def.name}' to '${to}' (${uses.length} use${uses.length === 1 ? '' : 's'})`, edits };
}

/** Why VCC would refuse `name` for a `kind`, or undefined when it is a legal name (also used to check new names in a rename). */
export function nameProblem(name: string, kind: NameKind, facts: VclFacts = vclFacts()): string | undefined {
  const lower = name.toLowerCase();
  if (name.includes('.') && kind !== 'vmod import') {
    const better = name.replace(/\./g, '_');
    return `The ${kind} name '${name}' contains '.', which is not allowed in a name (a dot separates a vmod or object from its members). Use '_' or '-' instead, e.g. '${better}'.`;
  }
  if (lower.startsWith('vcl_')) {
    const builtin = facts.builtinSubroutine(lower) ?? builtinVclSub(lower, facts.release);
    if (kind === 'subroutine') {
      // VCL 3's vcl_fetch and vcl_error get their VCL 4 names from vcl3-construct.
      if (builtin || lower === 'vcl_fetch' || lower === 'vcl_error') return undefined;
      const elsewhere = builtinSubroutineOfAnyRelease(lower);
      if (elsewhere) {
        return `'${name}' is a built-in subroutine ${describeVersions(versionsIn(elsewhere))}, but this program is checked for ${productName(facts.release)}, where names starting with 'vcl_' are reserved. Target a release that has it, or rename the sub.`;
      }
      const guess = closest(name, facts.subroutines.map((s) => s.name), VCL_NAMES);
      return `'${name}' is not a built-in subroutine, and names starting with 'vcl_' are reserved for those.${guess ? ` Did you mean '${guess}'?` : ''} Otherwise rename it, e.g. '${name.slice(4) || 'my_sub'}'.`;
    }
    if (builtin) return `'${name}' is the name of a built-in subroutine; ${a(kind)} cannot have it. Rename the ${kind}.`;
    return `Names starting with 'vcl_' are reserved for VCL's built-in subroutines; ${a(kind)} cannot be called '${name}'. Rename it, e.g. '${name.slice(4) || 'my_' + kind}'.`;
  }
  if (lower === 'default') {
    if ((kind === 'backend' || kind === 'probe') && name === 'default') return undefined;
    if (kind === 'backend' || kind === 'probe') return `'${name}': the default ${kind} must be written 'default', in lower case (VCC reserves the name in any other spelling).`;
    return `'default' is reserved: only 'backend default' and 'probe default' may use it. Rename this ${kind}.`;
  }
  const what = builtinSymbols.get(lower);
  if (what) return `'${name}' is ${what}, so ${a(kind)} cannot have that name (VCC compares names without regard to case). Rename the ${kind}.`;
  return undefined;
}

/** The noun with its indefinite article. */
function a(noun: string): string {
  return `${/^[aeiouAEIOU]/.test(noun) ? 'an' : 'a'} ${noun}`;
}

function reservedUse(name: A.Name, defined: ReadonlySet<string>, out: Finding[], release: string): void {
  const first = name.text.split('.')[0]!.toLowerCase();
  if (!first.startsWith('vcl_') || defined.has(first)) return;
  if (builtinSubroutineOfAnyRelease(first) || builtinVclSub(first, release)) return;
  out.push({ start: name.start, end: name.end, message: `Names starting with 'vcl_' are reserved for VCL's built-in subroutines, and '${name.text}' is none of them; nothing can be defined under that name. Use another name.` });
}

/** A VCL keyword used as a value or a sub name; true when reported. */
function keywordUse(name: A.Name, out: Finding[]): boolean {
  const lower = name.text.toLowerCase();
  if (!keywords.includes(lower)) return false;
  out.push({ start: name.start, end: name.end, message: `'${name.text}' is a VCL keyword, not a name: nothing can be defined as '${lower}', so it cannot be used here.` });
  return true;
}

function defaultUse(name: A.Name, kind: 'subroutine' | 'ACL', out: Finding[]): void {
  if (name.text.toLowerCase() !== 'default') return;
  out.push({ start: name.start, end: name.end, message: `'default' is a reserved word: it can only name the default backend or probe, never ${kind === 'ACL' ? 'an ACL' : 'a subroutine'}.` });
}
