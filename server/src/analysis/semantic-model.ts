/**
 * The semantic model of one VCL program: what it defines, what it refers to,
 * which variables it uses how, and which subs call which. Built once per
 * document; the semantic rules only read it.
 *
 * Names are compared in lower case because VCC's symbol table is
 * case-insensitive (`call FOO;` finds `sub foo`).
 */
import type * as A from '../syntax/ast.js';
import { nodeKinds, walkKinds, walkStatements, type StatementNode } from '../syntax/walk.js';
import { keptFor, keptValue } from '../syntax/kept.js';
import { vclFacts, type VclFacts, type VariableFact } from '../facts/index.js';
import { DEFAULT_VARNISH_VERSION, describeVersions, productName, VARNISH_VERSIONS } from '../facts/versions.js';
import { builtinFunction } from '../facts/builtin-functions.js';
import { builtinVclSub } from '../facts/builtin-vcl.js';

export type DefinitionKind = 'backend' | 'probe' | 'acl' | 'sub' | 'object' | 'vmod';

// The spans below (`nameSpan`, `span`) are most often the tree's own name
// node, not a copy of its offsets: a large program has tens of thousands of
// uses, and a span object each was a fifth of what the model keeps. Read
// their `start` and `end`; never spread them into a finding or an answer
// (a node has more fields) nor change them.

/** Which file of the include tree a node is in (its path, or '' for the document itself). */
export type FileId = string;

export interface Definition {
  file: FileId;
  kind: DefinitionKind;
  name: string;
  nameSpan: A.Span;
  node: A.Node;
}

/** A name used where a definition of `kind` is expected or found. */
export interface Reference {
  file: FileId;
  kind: DefinitionKind;
  name: string;
  span: A.Span;
  /** The sub the reference is in (lower case), if any. */
  sub?: string;
  /** The definition it resolves to; undefined when nothing of that name exists. */
  target?: Definition;
}

export type Access = 'read' | 'write' | 'unset';

export interface VariableUse {
  file: FileId;
  fact: VariableFact;
  name: string;
  span: A.Span;
  access: Access;
  /** The sub (lower case) the use is in. */
  sub: string;
}

/** A name that resolves to nothing VCC would know. */
export interface UnknownName {
  file: FileId;
  name: string;
  span: A.Span;
  sub?: string;
  /** Set when the name only exists in the other VCL version. */
  versionNote?: string;
}

export interface CallEdge {
  file: FileId;
  from: string;
  to: string;
  span: A.Span;
}

export interface ReturnUse {
  file: FileId;
  sub: string;
  action: A.Name;
}

export interface SemanticModel {
  /** VCL syntax version in effect (`4.0` or `4.1`). */
  version: string;
  /** The variables, built-in subs and return actions of the Varnish release the program is judged for. */
  facts: VclFacts;
  definitions: Definition[];
  references: Reference[];
  variableUses: VariableUse[];
  unknown: UnknownName[];
  calls: CallEdge[];
  returns: ReturnUse[];
  /** Every `include` that was not resolved into another file of the tree. */
  includes: A.IncludeDecl[];
  /** The files of the program, the document itself first. */
  files: ReadonlyArray<{ file: FileId; program: A.Program }>;
  /** Definitions by lower-case name. */
  lookup(name: string): Definition[];
  /** The built-in methods (vcl_recv, ...) from which a sub can run. */
  methodsReaching(sub: string): ReadonlySet<string>;
}

const constants = new Set(['true', 'false']);

/**
 * How many semantic models were built in this process: what the language
 * server must keep at one per document version, and a test counts.
 */
export const semanticModelBuilds = { count: 0 };

/**
 * Builds the model of a program made of one or more files: the document
 * itself (file id '') and the files its includes brought in. Includes that
 * were resolved are listed in `resolved` and do not count as open ends.
 * Never throws on partial trees.
 */
export function buildSemanticModel(
  program: A.Program,
  included: ReadonlyArray<{ file: FileId; program: A.Program }> = [],
  resolved: ReadonlySet<A.IncludeDecl> = new Set(),
  release: string = DEFAULT_VARNISH_VERSION,
): SemanticModel {
  semanticModelBuilds.count++;
  const builder = new ModelBuilder([{ file: '', program }, ...included], resolved, vclFacts(release));
  return builder.build();
}

class ModelBuilder {
  private readonly definitions: Definition[] = [];
  private readonly byName = new Map<string, Definition[]>();
  private readonly references: Reference[] = [];
  private readonly variableUses: VariableUse[] = [];
  private readonly unknown: UnknownName[] = [];
  private readonly calls: CallEdge[] = [];
  private readonly returns: ReturnUse[] = [];
  private readonly includes: A.IncludeDecl[] = [];
  private readonly version: string;
  private sub = '';
  private file: FileId = '';

  constructor(
    private readonly files: ReadonlyArray<{ file: FileId; program: A.Program }>,
    private readonly resolved: ReadonlySet<A.IncludeDecl>,
    private readonly facts: VclFacts,
  ) {
    // Only the first `vcl` line of the top-level file counts (varnishd 7.1.1
    // accepts `vcl 4.1; vcl 4.0;` and keeps 4.1).
    const first = files[0]!.program.declarations.find((d): d is A.VersionDecl => d.kind === 'VersionDecl');
    this.version = first?.version?.text ?? '4.1';
  }

  build(): SemanticModel {
    for (const f of this.files) {
      this.file = f.file;
      this.collectDefinitions(f.program);
    }
    // What a declaration's uses are depends on it, on the names the program defines (in order: a
    // name's first definition is the one found), on the VCL version and on the release's facts.
    const defined = definitionsId(this.definitions.map((d) => `${d.kind}:${d.name.toLowerCase()}`).join('\n'));
    for (const f of this.files) {
      this.file = f.file;
      const key = `${defined}\0${this.version}\0${this.facts.release}\0${f.file}`;
      for (const d of f.program.declarations) this.summarised(d, key);
    }
    for (const r of this.references) r.target ??= this.find(r.name, r.kind);
    const reaching = computeReaching(this.calls, this.definitions, this.facts);
    return {
      version: this.version,
      facts: this.facts,
      definitions: this.definitions,
      references: this.references,
      variableUses: this.variableUses,
      unknown: this.unknown,
      calls: this.calls,
      returns: this.returns,
      includes: this.includes,
      files: this.files,
      lookup: (name) => this.byName.get(name.toLowerCase()) ?? [],
      methodsReaching: (sub) => reaching.get(sub.toLowerCase()) ?? new Set(),
    };
  }

  private define(kind: DefinitionKind, name: A.Name | undefined, node: A.Node): void {
    if (!name || !name.text) return;
    const def: Definition = { file: this.file, kind, name: name.text, nameSpan: name, node };
    this.definitions.push(def);
    const key = name.text.toLowerCase();
    const list = this.byName.get(key) ?? [];
    list.push(def);
    this.byName.set(key, list);
  }

  private find(name: string, kind?: DefinitionKind): Definition | undefined {
    const list = this.byName.get(name.toLowerCase());
    if (!list || !kind) return list?.[0];
    // A loop, not list.find and a closure: this runs for every reference of the program.
    for (const d of list) if (d.kind === kind) return d;
    return undefined;
  }

  private collectDefinitions(program: A.Program): void {
    for (const d of program.declarations) {
      switch (d.kind) {
        case 'BackendDecl': this.define('backend', d.name, d); break;
        case 'ProbeDecl': this.define('probe', d.name, d); break;
        case 'AclDecl': this.define('acl', d.name, d); break;
        case 'SubDecl': this.define('sub', d.name, d); break;
        case 'ImportDecl': this.define('vmod', d.alias ?? d.name, d); break;
        default: break;
      }
    }
    // Objects are created in vcl_init, but usable everywhere.
    for (const d of program.declarations) {
      for (const n of objectsAndIncludes(d)) {
        if (n.kind === 'NewStmt') this.define('object', n.name, n);
        else if (!this.resolved.has(n)) this.includes.push(n);
      }
    }
  }

  /**
   * Adds the uses of declaration `d`: those kept for it under the same
   * `key` (moved to where `d` now starts; their targets found again in this
   * model), else found by walking it, and kept.
   */
  private summarised(d: A.Declaration, key: string): void {
    const store = keptFor(d);
    if (!store) {
      this.declaration(d);
      return;
    }
    const kept = store.get('model:uses') as Summary | undefined;
    const lists = this.lists();
    if (kept && kept.key === key) {
      const delta = d.start - kept.base;
      if (delta !== 0) {
        shiftUses(kept, delta);
        kept.base = d.start;
      }
      const { lists: from, starts, counts } = kept;
      const at = this.positions();
      // References are copied: their targets are this model's definitions.
      for (let i = starts[0]; i < starts[0] + counts[0]; i++) this.references.push({ ...from.references[i]!, target: undefined });
      copyRange(from.variableUses, starts[1], counts[1], this.variableUses);
      copyRange(from.unknown, starts[2], counts[2], this.unknown);
      copyRange(from.calls, starts[3], counts[3], this.calls);
      copyRange(from.returns, starts[4], counts[4], this.returns);
      // From now on the uses are read from this model's lists, so that the model they came from can go.
      kept.lists = lists;
      kept.starts = at;
      return;
    }
    const at = this.positions();
    this.declaration(d);
    const end = this.positions();
    const counts: Positions = [end[0] - at[0], end[1] - at[1], end[2] - at[2], end[3] - at[3], end[4] - at[4]];
    store.set('model:uses', { key, base: d.start, lists, starts: at, counts } satisfies Summary);
  }

  /** The lists uses are added to, as a kept summary names them. */
  private lists(): ModelLists {
    return (this.listsOnce ??= { references: this.references, variableUses: this.variableUses, unknown: this.unknown, calls: this.calls, returns: this.returns });
  }

  private listsOnce: ModelLists | undefined;

  /** Where the next use of each list goes. */
  private positions(): Positions {
    return [this.references.length, this.variableUses.length, this.unknown.length, this.calls.length, this.returns.length];
  }

  private declaration(d: A.Declaration): void {
    switch (d.kind) {
      case 'BackendDecl':
        this.attributes(d.attributes);
        break;
      case 'ProbeDecl':
        this.attributes(d.attributes);
        break;
      case 'SubDecl':
        this.sub = d.name?.text.toLowerCase() ?? '';
        if (d.body) walkStatements(d.body, undefined, (s) => this.statement(s));
        this.sub = '';
        break;
      case 'UnusedDecl': {
        // `unused x;` uses x, whatever it is; a name defined nowhere is unknown.
        if (!d.name) break;
        const def = this.find(d.name.text);
        this.reference(def && def.kind !== 'vmod' && def.kind !== 'object' ? def.kind : 'sub', d.name);
        break;
      }
      default:
        break;
    }
  }

  private attributes(attrs: A.Attribute[]): void {
    for (const a of attrs) {
      if (a.name?.text === 'probe' && a.value?.kind === 'Identifier') this.reference('probe', a.value.name);
      // `.via = proxy;` (7.3+) connects through another backend: a use of it.
      if (a.name?.text === 'via' && a.value?.kind === 'Identifier') this.reference('backend', a.value.name);
      if (a.block) this.attributes(a.block);
    }
  }

  private reference(kind: DefinitionKind, name: A.Name): void {
    this.references.push({ file: this.file, kind, name: name.text, span: name, sub: this.sub || undefined });
  }

  private statement(s: StatementNode): void {
    switch (s.kind) {
      case 'IfBranch':
        if (s.condition) this.expression(s.condition, false);
        break;
      case 'SetStmt':
        if (s.target) this.variable(s.target, 'write');
        if (s.value) this.expression(s.value, false);
        break;
      case 'UnsetStmt':
        if (s.target) this.variable(s.target, 'unset');
        break;
      case 'CallStmt':
        if (s.target) {
          if (s.args) this.call(s.target, s.args);
          else {
            this.reference('sub', s.target);
            this.calls.push({ file: this.file, from: this.sub, to: s.target.text.toLowerCase(), span: s.target });
          }
        }
        break;
      case 'ReturnStmt':
        if (s.action) {
          this.returns.push({ file: this.file, sub: this.sub, action: s.action });
          // return (vcl(label)) names a VCL label, which is no symbol of this program.
          if (s.action.text !== 'vcl') for (const a of s.args ?? []) if (a.value) this.expression(a.value, false);
        }
        break;
      case 'NewStmt':
        if (s.value) this.expression(s.value, false);
        break;
      case 'ExpressionStmt':
        this.expression(s.expression, false);
        break;
      case 'LegacyErrorStmt':
        for (const a of s.args) this.expression(a, false);
        break;
      case 'LegacySyntheticStmt':
        if (s.value) this.expression(s.value, false);
        break;
      default:
        break;
    }
  }

  /** `lenient`: inside a vmod call's arguments, where bare names may be enum values. */
  private expression(e: A.Expression, lenient: boolean): void {
    switch (e.kind) {
      case 'Identifier':
        this.value(e.name, lenient);
        break;
      case 'BinaryExpr':
        this.expression(e.left, lenient);
        if (e.right) this.expression(e.right, lenient);
        break;
      case 'UnaryExpr':
        if (e.operand) this.expression(e.operand, lenient);
        break;
      case 'ParenExpr':
        if (e.expression) this.expression(e.expression, lenient);
        break;
      case 'MatchExpr':
        this.expression(e.subject, lenient);
        if (e.pattern?.kind === 'Identifier') this.aclOrValue(e.pattern.name);
        else if (e.pattern) this.expression(e.pattern, lenient);
        break;
      case 'CallExpr':
        if (e.receiver) {
          this.expression(e.receiver, lenient);
          for (const a of e.args) if (a.value) this.expression(a.value, true);
        } else {
          this.call(e.callee, e.args);
        }
        break;
      default:
        break;
    }
  }

  private call(callee: A.Name, args: A.Argument[]): void {
    const text = callee.text;
    const first = text.split('.')[0]!.toLowerCase();
    const fn = builtinFunction(text);
    if (fn) {
      for (const a of args) if (a.value) this.expression(a.value, false);
      return;
    }
    // A method of a value: `req.url.lower()`, `bereq.backend.resolve()`.
    const dot = text.lastIndexOf('.');
    const receiver = dot > 0 ? this.facts.lookupVariable(text.slice(0, dot), this.version) : undefined;
    if (receiver) {
      this.variableUse(receiver, text.slice(0, dot), { start: callee.start, end: callee.start + dot }, 'read');
      for (const a of args) if (a.value) this.expression(a.value, false);
      return;
    }
    const owner = this.find(first);
    if (owner && (owner.kind === 'vmod' || owner.kind === 'object') && text.includes('.')) {
      this.references.push({ file: this.file, kind: owner.kind, name: owner.name, span: { start: callee.start, end: callee.start + first.length }, sub: this.sub || undefined, target: owner });
      for (const a of args) if (a.value) this.expression(a.value, true);
      return;
    }
    this.unknown.push({ file: this.file, name: text, span: callee, sub: this.sub || undefined });
    for (const a of args) if (a.value) this.expression(a.value, true);
  }

  /** An identifier on the right of `~`: an ACL, or another value (a REGEX-typed one). */
  private aclOrValue(name: A.Name): void {
    const def = this.find(name.text);
    if (def?.kind === 'acl' || !def) {
      if (!this.facts.lookupVariable(name.text, this.version)) {
        this.reference('acl', name);
        return;
      }
    }
    this.value(name, false);
  }

  private value(name: A.Name, lenient: boolean): void {
    const text = name.text;
    if (!text) return;
    if (constants.has(text.toLowerCase())) return;
    const fact = this.facts.lookupVariable(text, this.version);
    if (fact) {
      this.variableUse(fact, name.text, name, 'read');
      return;
    }
    const def = this.find(text);
    if (def) {
      this.references.push({ file: this.file, kind: def.kind, name: def.name, span: name, sub: this.sub || undefined, target: def });
      return;
    }
    // A built-in method is a sub whether the program writes it or not (builtin.vcl has them all):
    // used as a value, it is the type checker's to judge, not an unknown name.
    if (this.facts.isBuiltinMethodSymbol(text)) return;
    const first = text.split('.')[0]!.toLowerCase();
    const owner = this.find(first);
    // vmod constants and object attributes: checked once vmod signatures are known.
    if (owner && (owner.kind === 'vmod' || owner.kind === 'object')) return;
    // A stevedore: its names come from varnishd's -s options, unknown here.
    if (first === 'storage') return;
    if (lenient && !text.includes('.')) return;
    this.unknown.push({ file: this.file, name: text, span: name, sub: this.sub || undefined, versionNote: versionNote(text, this.version, this.facts) });
  }

  private variable(name: A.Name, access: Access): void {
    const fact = this.facts.lookupVariable(name.text, this.version);
    if (fact) this.variableUse(fact, name.text, name, access);
    else this.unknown.push({ file: this.file, name: name.text, span: name, sub: this.sub || undefined, versionNote: versionNote(name.text, this.version, this.facts) });
  }

  /** `span`: where the use is, the name node itself unless the name is only part of one (see {@link shiftUses}). */
  private variableUse(fact: VariableFact, name: string, span: A.Span, access: Access): void {
    if (!this.sub) return;
    this.variableUses.push({ file: this.file, fact, name, span, access, sub: this.sub });
  }
}


/** A model's lists of uses (see ModelBuilder.summarised). */
interface ModelLists {
  /** With this model's targets: a model that takes them over copies them without. */
  references: Reference[];
  variableUses: VariableUse[];
  unknown: UnknownName[];
  calls: CallEdge[];
  /** Their `action` is the declaration's own node, which moves with it. */
  returns: ReturnUse[];
}

/**
 * The uses of a declaration as kept for it (syntax/kept.ts), while the
 * declaration object is the same (the parser hands an unchanged declaration
 * back as the same object, moved in place) and its key is: a keystroke
 * walks the edited declaration only. Kept as where they are in the lists
 * of the last model that had them, not as lists of their own: five lists
 * and copies of the references per declaration were a fifth of what a large
 * program's model kept.
 */
interface Summary {
  key: string;
  base: number;
  lists: ModelLists;
  /** Where the declaration's uses start in each list. */
  starts: Positions;
  /** How many uses it has in each. */
  counts: Positions;
}

/** A number for each list of {@link ModelLists}: references, variable uses, unknown names, calls, returns. */
type Positions = [number, number, number, number, number];

/** Appends `count` items of `from`, from `start`, to `to`. */
function copyRange<T>(from: readonly T[], start: number, count: number, to: T[]): void {
  for (let i = start; i < start + count; i++) to.push(from[i]!);
}

const OBJECTS_AND_INCLUDES = nodeKinds('NewStmt', 'IncludeDecl');

/** The `new` statements and includes of a declaration, in order (nodes: they move with it). */
function objectsAndIncludes(d: A.Declaration): Array<A.NewStmt | A.IncludeDecl> {
  return keptValue(d, 'model:objects', () => {
    const list: Array<A.NewStmt | A.IncludeDecl> = [];
    walkKinds(d, OBJECTS_AND_INCLUDES, (n) => list.push(n));
    return list;
  });
}

/** Short ids for the lists of definitions met, so a declaration's key stays short (the list can be long). */
const definitionIds = new Map<string, number>();
let nextDefinitionId = 0;

function definitionsId(list: string): number {
  let id = definitionIds.get(list);
  if (id === undefined) {
    // A few programs at a time are edited; forgetting the rest only costs their next model a walk.
    if (definitionIds.size >= 256) definitionIds.clear();
    definitionIds.set(list, (id = nextDefinitionId++));
  }
  return id;
}

/**
 * Moves the uses `kept` names by `delta` characters, in place. Safe for the same reason
 * the parser moves a declaration in place: it does so only when no parse
 * that holds the declaration is alive, so no model that shares these
 * objects is read again.
 */
function shiftUses(kept: Summary, delta: number): void {
  const move = (s: A.Span): void => {
    // A span that is a node of the tree (a name: most uses' spans are their name node, not a copy of
    // its offsets) was moved with the declaration by the parser.
    if ('kind' in s) return;
    s.start += delta;
    s.end += delta;
  };
  const { lists, starts, counts } = kept;
  for (let i = starts[0]; i < starts[0] + counts[0]; i++) move(lists.references[i]!.span);
  for (let i = starts[1]; i < starts[1] + counts[1]; i++) move(lists.variableUses[i]!.span);
  for (let i = starts[2]; i < starts[2] + counts[2]; i++) move(lists.unknown[i]!.span);
  for (let i = starts[3]; i < starts[3] + counts[3]; i++) move(lists.calls[i]!.span);
}

/**
 * Says where a name missing from this program's VCL version and release
 * exists: in the other VCL version, or in other Varnish releases.
 */
function versionNote(name: string, version: string, facts: VclFacts): string | undefined {
  const other = version === '4.0' ? '4.1' : '4.0';
  if (facts.lookupVariable(name, other)) return `it exists only in VCL ${other}`;
  const releases = VARNISH_VERSIONS.filter((r) => vclFacts(r).lookupVariable(name, version) ?? vclFacts(r).lookupVariable(name, other));
  if (releases.length === 0) return undefined;
  return `it exists ${describeVersions(releases)}; this program is checked for ${productName(facts.release)}`;
}

/**
 * For every sub, the built-in methods from which it can run: a built-in
 * method reaches itself, and through `call` every sub it calls. builtin.vcl,
 * which varnishd appends to every program, adds its own calls.
 */
function computeReaching(calls: CallEdge[], defs: Definition[], facts: VclFacts): Map<string, Set<string>> {
  const edges = new Map<string, Set<string>>();
  for (const c of calls) {
    if (!c.from) continue;
    let tos = edges.get(c.from);
    if (!tos) edges.set(c.from, (tos = new Set()));
    tos.add(c.to);
  }
  const reaching = new Map<string, Set<string>>();
  // Each (sub, method) pair is marked once and passed on to the sub's callees once: linear in the
  // calls. Passing every sub's methods on until nothing changed took a pass per step of the longest
  // call chain (a chain of 4,000 subs written from its end: 1.2 s).
  const pending: Array<{ sub: string; method: string }> = [];
  const mark = (sub: string, method: string): void => {
    let set = reaching.get(sub);
    if (!set) reaching.set(sub, (set = new Set()));
    if (set.has(method)) return;
    set.add(method);
    pending.push({ sub, method });
  };
  const subs = new Set(defs.filter((d) => d.kind === 'sub').map((d) => d.name.toLowerCase()));
  for (const sub of subs) {
    const b = builtinVclSub(sub, facts.release);
    for (const method of b?.reachedFrom ?? []) mark(sub, method);
    if (facts.builtinSubroutine(sub)) mark(sub, sub);
  }
  for (let next = pending.pop(); next; next = pending.pop()) {
    for (const to of edges.get(next.sub) ?? []) mark(to, next.method);
  }
  // Subs reached from the same methods share one set (read only): most subs of a large program
  // are reached from one or two methods, and a set each was an eighth of what the model keeps.
  const shared = new Map<string, Set<string>>();
  for (const [sub, set] of reaching) {
    const key = set.size === 1 ? set.values().next().value! : [...set].sort().join(' ');
    const same = shared.get(key);
    if (same) reaching.set(sub, same);
    else shared.set(key, set);
  }
  return reaching;
}
