/**
 * `redefinition`: a name defined twice. VCC's symbol table ignores letter
 * case and holds one thing per name, so varnishd 7.1.1 refuses:
 * - a custom sub defined twice ("Subroutine 'x' redefined"); the built-in
 *   `vcl_*` subs may be defined many times, their bodies are concatenated;
 * - a backend, probe or ACL defined twice ("Backend 'x' redefined.");
 * - two `new` objects of one name ("Instance 'x' redefined.");
 * - one name for two kinds of things, e.g. a backend and an ACL, or a vmod
 *   and a backend ("Name 'x' already defined.", "Symbol 'x' has wrong type");
 * - two different vmods imported under one name ("Another module already
 *   imported as foo.").
 * A name used before its definition (`call foo;`, `client.ip ~ foo`,
 * `.probe = foo`) already fixes its kind, as in VCC, so the definition of
 * another kind that follows is the one reported.
 */
import type * as A from '../syntax/ast.js';
import type { Definition, DefinitionKind, FileId, SemanticModel } from '../analysis/semantic-model.js';
import type { Finding, Rule } from './rule.js';
import { nodeKinds, walkKinds } from '../syntax/walk.js';
import { keptValue } from '../syntax/kept.js';
import { documentFile, placeOrder, whereIs } from './program-files.js';

const kindNames: Record<DefinitionKind, string> = {
  backend: 'backend',
  probe: 'probe',
  acl: 'ACL',
  sub: 'subroutine',
  object: 'object',
  vmod: 'vmod import',
};

interface Event {
  kind: DefinitionKind;
  file: FileId;
  offset: number;
  def?: Definition;
}

/** A finding worked out for the whole program; its message names places, which depends on the document it is shown in. */
interface Pending {
  file: FileId;
  span: A.Span;
  message: (where: (place: { file: FileId; offset: number }) => string) => string;
}

export const redefinitionRule: Rule = {
  id: 'redefinition',
  defaultSeverity: 'error',
  description: 'A sub, backend, probe, ACL, object or vmod name defined twice, or one name used for two kinds of things.',
  check(ctx) {
    const model = ctx.semantic();
    let pending = pendingByModel.get(model);
    if (!pending) {
      pending = programFindings(model);
      pendingByModel.set(model, pending);
    }
    const docFile = documentFile(ctx, model);
    const where = (e: { file: FileId; offset: number }) => whereIs(ctx, docFile, e);
    // Only this document's findings are kept (the others belong to the other files of the program).
    const mine = docFile === undefined ? pending : pending.filter((f) => f.file === docFile);
    return mine.map((f): Finding => ({ file: f.file, start: f.span.start, end: f.span.end, message: f.message(where) }));
  },
};

/**
 * Every file of a program is checked against the same model, and the
 * answer is the same for all of them but for how places are named: worked
 * out once per model (a folder holding a program of 5,000 files otherwise
 * went over every definition of the program once per file).
 */
const pendingByModel = new WeakMap<SemanticModel, Pending[]>();

function programFindings(model: SemanticModel): Pending[] {
  const order = placeOrder(model);
  const out: Pending[] = [];
  const events = new Map<string, Event[]>();
  const add = (name: string, e: Event) => {
    const key = name.toLowerCase();
    const list = events.get(key);
    if (list) list.push(e);
    else events.set(key, [e]);
  };
  const place = (d: Definition) => ({ file: d.file, offset: d.nameSpan.start });
  const defaults: Definition[] = [];
  for (const d of model.definitions) {
    // `backend default` and `probe default` are special in VCC: they may
    // share the name, and `probe default` may even be repeated. Other uses
    // of 'default' are reserved words (rule name-legality).
    if (d.name.toLowerCase() === 'default') {
      if (d.kind === 'backend' && d.name === 'default') defaults.push(d);
      continue;
    }
    add(d.name, { kind: d.kind, file: d.file, offset: d.nameSpan.start, def: d });
  }
  defaults.sort((a, b) => order(place(a), place(b)));
  for (const d of defaults.slice(1)) {
    const first = place(defaults[0]!);
    out.push({ file: d.file, span: d.nameSpan, message: (where) => `Only one default backend is possible, and 'backend default' is already defined (${where(first)}). Rename or remove one of them.` });
  }
  // Names used where only one kind fits give the name that kind in VCC.
  for (const r of programUses(model)) {
    if (r.name.text.toLowerCase() !== 'default') add(r.name.text, { kind: r.kind, file: r.file, offset: r.name.start });
  }
  for (const list of events.values()) {
    // Most names have one definition and uses of its kind: nothing to sort or report.
    if (plain(list)) continue;
    list.sort(order);
    const defs = list.filter((e): e is Event & { def: Definition } => e.def !== undefined);
    if (defs.length === 0) continue;
    const first = list[0]!;
    const firstDef = new Map<DefinitionKind, Definition>();
    for (const { def } of defs) {
      const name = def.name;
      const earlier = firstDef.get(def.kind);
      if (def.kind !== first.kind) {
        if (!earlier) {
          const other = defs.find((e) => e.def.kind === first.kind && order(e, place(def)) < 0)?.def;
          const what = (where: (p: { file: FileId; offset: number }) => string) =>
            other ? `is already ${a(kindNames[first.kind])} (${where(place(other))})` : `is already used as ${a(kindNames[first.kind])} name (${where(first)})`;
          out.push({
            file: def.file,
            span: def.nameSpan,
            message: (where) => `Name '${name}' ${what(where)}; a VCL name can stand for only one thing, whatever its letter case. Rename this ${kindNames[def.kind]}.`,
          });
        }
      } else if (earlier && sameKind(def, earlier, '') !== undefined) {
        out.push({ file: def.file, span: def.kind === 'vmod' ? importSpan(def) : def.nameSpan, message: (where) => sameKind(def, earlier, where(place(earlier)))! });
      }
      if (!earlier) firstDef.set(def.kind, def);
    }
  }
  return out;
}

/** True when a name's events can give no finding: one definition at most, and all of one kind. */
function plain(list: readonly Event[]): boolean {
  const kind = list[0]!.kind;
  let defs = 0;
  for (const e of list) {
    if (e.kind !== kind) return false;
    if (e.def && ++defs > 1) return false;
  }
  return true;
}

/** The message for a second definition of the same kind, or undefined when VCC allows it. */
function sameKind(def: Definition, earlier: Definition, earlierAt: string): string | undefined {
  const name = def.name;
  switch (def.kind) {
    case 'sub':
      // Built-in subs (and builtin.vcl's) are concatenated; other vcl_* names are reserved.
      if (/^vcl_/i.test(name)) return undefined;
      return `Subroutine '${name}' is already defined (${earlierAt}). Only the built-in vcl_* subroutines may be defined more than once; merge the two bodies or rename one.`;
    case 'backend':
    case 'probe':
    case 'acl':
      return `${def.kind === 'acl' ? 'ACL' : def.kind[0]!.toUpperCase() + def.kind.slice(1)} '${name}' is already defined (${earlierAt}); names ignore letter case. Remove one definition or rename it.`;
    case 'object':
      return `Instance '${name}' is already created (${earlierAt}); each 'new' needs its own name.`;
    case 'vmod': {
      const before = moduleName(earlier);
      const now = moduleName(def);
      if (before === now) return undefined;
      return `Another module already imported as '${name}': vmod ${before} (${earlierAt}). Import vmod ${now} under another name ('import ${now} as ...;').`;
    }
  }
}

/** {@link typedUses} of every file of the program, worked out once per model (each file of it is checked against it). */
function programUses(model: SemanticModel): Array<{ kind: DefinitionKind; name: A.Name; file: FileId }> {
  let uses = usesByModel.get(model);
  if (!uses) {
    uses = model.files.flatMap((f) => typedUses(f.program).map((r) => ({ ...r, file: f.file })));
    usesByModel.set(model, uses);
  }
  return uses;
}

const usesByModel = new WeakMap<SemanticModel, Array<{ kind: DefinitionKind; name: A.Name; file: FileId }>>();

/**
 * Uses that fix the kind of a name in VCC: `call x` (a sub), `client.ip ~ x`
 * (an ACL, unless x is a variable) and `.probe = x` (a probe).
 */
function typedUses(program: A.Program): Array<{ kind: DefinitionKind; name: A.Name }> {
  // The files of one program are checked one by one against the same trees: walk each once.
  const known = typedUsesOf.get(program);
  if (known) return known;
  const out: Array<{ kind: DefinitionKind; name: A.Name }> = [];
  for (const d of program.declarations) for (const u of declarationTypedUses(d)) out.push(u);
  typedUsesOf.set(program, out);
  return out;
}

const typedUsesOf = new WeakMap<A.Program, Array<{ kind: DefinitionKind; name: A.Name }>>();

/**
 * The typed uses of one declaration, kept while it is the same object: they
 * depend on its syntax alone, and hold its name nodes, which move with it
 * (so a keystroke elsewhere walks nothing here).
 */
/** The nodes that may use a sub, an ACL or a probe by name. */
const TYPED_USES = nodeKinds('CallStmt', 'MatchExpr', 'Attribute');

function declarationTypedUses(d: A.Declaration): Array<{ kind: DefinitionKind; name: A.Name }> {
  return keptValue(d, 'redefinition:uses', () => {
    const found: Array<{ kind: DefinitionKind; name: A.Name }> = [];
    walkKinds(d, TYPED_USES, (n) => {
      if (n.kind === 'CallStmt' && n.target && !n.args) found.push({ kind: 'sub', name: n.target });
      if (n.kind === 'MatchExpr' && n.pattern?.kind === 'Identifier' && !n.pattern.name.text.includes('.')) found.push({ kind: 'acl', name: n.pattern.name });
      if (n.kind === 'Attribute' && n.name?.text === 'probe' && n.value?.kind === 'Identifier') found.push({ kind: 'probe', name: n.value.name });
    });
    return found;
  });
}

/** The noun with its indefinite article. */
function a(noun: string): string {
  return `${/^[aeiouAEIOU]/.test(noun) ? 'an' : 'a'} ${noun}`;
}

function moduleName(d: Definition): string {
  return (d.node as A.ImportDecl).name?.text.toLowerCase() ?? '';
}

/** VCC points at the `import` keyword of the second import. */
function importSpan(d: Definition): A.Span {
  const n = d.node as A.ImportDecl;
  return { start: n.start, end: d.nameSpan.end };
}
