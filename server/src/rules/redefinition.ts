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
import type { Definition, DefinitionKind } from '../analysis/semantic-model.js';
import type { Finding, Rule } from './rule.js';

const kindNames: Record<DefinitionKind, string> = {
  backend: 'backend',
  probe: 'probe',
  acl: 'ACL',
  sub: 'subroutine',
  object: 'object (made with new)',
  vmod: 'vmod import',
};

interface Event {
  kind: DefinitionKind;
  offset: number;
  def?: Definition;
}

export const redefinitionRule: Rule = {
  id: 'redefinition',
  defaultSeverity: 'error',
  description: 'A sub, backend, probe, ACL, object or vmod name defined twice, or one name used for two kinds of things.',
  check(ctx) {
    const model = ctx.semantic();
    const out: Finding[] = [];
    const line = (offset: number) => lineOf(ctx.text, offset);
    const events = new Map<string, Event[]>();
    const add = (name: string, e: Event) => {
      const key = name.toLowerCase();
      const list = events.get(key) ?? [];
      list.push(e);
      events.set(key, list);
    };
    for (const d of model.definitions) add(d.name, { kind: d.kind, offset: d.nameSpan.start, def: d });
    // Names used where only one kind fits give the name that kind in VCC.
    for (const r of model.references) {
      if (r.kind === 'sub' || r.kind === 'acl' || r.kind === 'probe') add(r.name, { kind: r.kind, offset: r.span.start });
    }
    for (const list of events.values()) {
      list.sort((a, b) => a.offset - b.offset);
      const defs = list.filter((e): e is Event & { def: Definition } => e.def !== undefined);
      if (defs.length === 0) continue;
      const firstKind = list[0]!.kind;
      const firstDef = new Map<DefinitionKind, Definition>();
      for (const { def } of defs) {
        const name = def.name;
        const earlier = firstDef.get(def.kind);
        if (def.kind !== firstKind) {
          const other = defs.find((e) => e.def.kind === firstKind)?.def;
          const where = other && other.nameSpan.start < def.nameSpan.start ? `is already a ${kindNames[firstKind]} (line ${line(other.nameSpan.start)})` : `is already used as a ${kindNames[firstKind]} name (line ${line(list[0]!.offset)})`;
          if (!earlier) {
            out.push({
              ...def.nameSpan,
              message: `Name '${name}' ${where}; a VCL name can stand for only one thing, whatever its letter case. Rename this ${kindNames[def.kind]}.`,
            });
          }
        } else if (earlier) {
          const message = sameKind(def, earlier, line(earlier.nameSpan.start));
          if (message) out.push({ ...(def.kind === 'vmod' ? importSpan(def) : def.nameSpan), message });
        }
        if (!earlier) firstDef.set(def.kind, def);
      }
    }
    return out;
  },
};

/** The message for a second definition of the same kind, or undefined when VCC allows it. */
function sameKind(def: Definition, earlier: Definition, earlierLine: number): string | undefined {
  const name = def.name;
  switch (def.kind) {
    case 'sub':
      // Built-in subs (and builtin.vcl's) are concatenated; other vcl_* names are reserved.
      if (/^vcl_/i.test(name)) return undefined;
      return `Subroutine '${name}' is already defined on line ${earlierLine}. Only the built-in vcl_* subroutines may be defined more than once; merge the two bodies or rename one.`;
    case 'backend':
    case 'probe':
    case 'acl':
      return `${def.kind === 'acl' ? 'ACL' : def.kind[0]!.toUpperCase() + def.kind.slice(1)} '${name}' is already defined on line ${earlierLine}; names ignore letter case. Remove one definition or rename it.`;
    case 'object':
      return `Instance '${name}' is already created on line ${earlierLine}; each 'new' needs its own name.`;
    case 'vmod': {
      const a = moduleName(earlier);
      const b = moduleName(def);
      if (a === b) return undefined;
      return `Another module already imported as '${name}': vmod ${a} on line ${earlierLine}. Import vmod ${b} under another name ('import ${b} as ...;').`;
    }
  }
}

function moduleName(d: Definition): string {
  return (d.node as A.ImportDecl).name?.text.toLowerCase() ?? '';
}

/** VCC points at the `import` keyword of the second import. */
function importSpan(d: Definition): A.Span {
  const n = d.node as A.ImportDecl;
  return { start: n.start, end: d.nameSpan.end };
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}
