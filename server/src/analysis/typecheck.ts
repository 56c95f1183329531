/**
 * Expression types as VCC 7.1 computes them, and the type errors it raises:
 * arithmetic and comparisons between the wrong types, conditions that are
 * not BOOL, values of the wrong type in `set`, and vmod calls with missing,
 * extra, unknown or ill-typed arguments.
 *
 * Behaviour was established by compiling probes with varnishd 7.1.1:
 * - where a STRING is expected (a header, a STRING variable or argument),
 *   `+` concatenates anything: `1s + 1` is accepted there;
 * - number literals keep their own type: `req.ttl > 0` is DURATION vs INT;
 *   only a REAL accepts an INT (`std.random(0, 1) > 0`);
 * - INT, DURATION, STRING, BACKEND (and BOOL) turn into BOOL in a condition,
 *   REAL, TIME and IP do not.
 * Where a type cannot be known (unknown symbol, vmod not installed), the
 * checker stays silent rather than guess.
 */
import { REMOVED_FUNCTIONS } from '../facts/removed-functions.js';
import { atLeast, productName } from '../facts/versions.js';
import type * as A from '../syntax/ast.js';
import { compoundAssignOperandType } from '../facts/index.js';
import { builtinFunction } from '../facts/builtin-functions.js';
import { builtinVmod, vmodFunction, vmodMethod, vmodObject, type VmodArg, type VmodFunction, type VmodInterface } from '../vmods/index.js';
import { walkStatements, type StatementNode } from '../syntax/walk.js';
import { durationUnits } from '../syntax/structure-checks.js';
import { keptFindings, keptFor } from '../syntax/kept.js';
import type { SemanticModel } from './semantic-model.js';

export interface TypeFinding {
  rule: 'type-mismatch' | 'call-arguments';
  file: string;
  start: number;
  end: number;
  message: string;
  /** A rewrite that keeps the call's meaning (a function the release removed). */
  fixes?: Array<{ title: string; edits: Array<{ start: number; end: number; newText: string }> }>;
}

type Type = string;
/** Where a value is going: a type, "any STRING-like", or nothing in particular. */
type Expected = Type | 'STRING_CONTEXT' | undefined;

const STRINGISH = new Set(['STRING', 'STRING_LIST', 'STRANDS', 'HEADER', 'BODY']);
const BOOLISH = new Set(['BOOL', 'INT', 'DURATION', 'STRING', 'STRANDS', 'BACKEND', 'BYTES']);
const ORDERED = new Set(['INT', 'REAL', 'DURATION', 'TIME', 'BYTES', 'STRING']);
const NUMERIC = new Set(['INT', 'REAL', 'DURATION', 'BYTES']);

const additions: Record<string, Type> = {
  'INT+INT': 'INT', 'INT-INT': 'INT',
  'REAL+REAL': 'REAL', 'REAL-REAL': 'REAL', 'REAL+INT': 'REAL', 'REAL-INT': 'REAL',
  'DURATION+DURATION': 'DURATION', 'DURATION-DURATION': 'DURATION',
  'TIME+DURATION': 'TIME', 'TIME-DURATION': 'TIME', 'TIME-TIME': 'DURATION',
  'BYTES+BYTES': 'BYTES', 'BYTES-BYTES': 'BYTES',
};

const cache = new WeakMap<A.Program, TypeFinding[]>();

/**
 * Finds the interface of an imported vmod: `from` is the path of
 * `import x from "path"`. Reads file bytes only; never loads a library.
 */
export type VmodResolver = (name: string, from?: string) => VmodInterface | undefined;

/** The vmods `release` ships (Varnish's own and varnish-modules), from the generated table. */
export function builtinVmodResolver(release: string): VmodResolver {
  return (name, from) => (from ? undefined : builtinVmod(name, release));
}

/** Type findings for every file of a program (computed once per model). */
export function typeCheck(model: SemanticModel, resolveVmod: VmodResolver = builtinVmodResolver(model.facts.release)): TypeFinding[] {
  const root = model.files[0]!.program;
  let out = cache.get(root);
  if (!out) {
    const checker = new TypeChecker(model, resolveVmod);
    for (const f of model.files) checker.run(f.file, f.program);
    out = checker.findings;
    cache.set(root, out);
  }
  return out;
}

interface ObjectType {
  vmod: VmodInterface;
  className: string;
  /** The name the constructor was called by, when it is an alias and the vmod is not also imported under its own name. */
  alias?: string;
}

/**
 * A short id for each program-wide context (see {@link TypeChecker.context}):
 * the context's text is as long as the program has definitions, and is
 * compared once per model here instead of once per declaration.
 */
const contextIds = new Map<string, number>();
let nextContextId = 0;
/** Distinct vmod interfaces, numbered (an interface read from another file is another vmod). */
const vmodIds = new WeakMap<VmodInterface, number>();
let nextVmodId = 0;

function vmodId(v: VmodInterface): number {
  let id = vmodIds.get(v);
  if (id === undefined) vmodIds.set(v, (id = nextVmodId++));
  return id;
}

class TypeChecker {
  readonly findings: TypeFinding[] = [];
  /** Where `report` writes: the findings of the declaration being checked. */
  private out: TypeFinding[] = [];
  private contextId: number | undefined;
  private file = '';
  /** The sub being checked, in lower case. */
  private sub = '';
  private readonly vmods = new Map<string, VmodInterface>();
  private readonly objects = new Map<string, ObjectType>();
  /** The types of the program's objects (`directors.round_robin`), which no conversion to STRING takes. */
  private readonly objectTypes = new Set<Type>();

  constructor(
    private readonly model: SemanticModel,
    resolveVmod: VmodResolver,
  ) {
    for (const d of model.definitions) {
      if (d.kind !== 'vmod' || d.node.kind !== 'ImportDecl' || !d.node.name) continue;
      const vmod = resolveVmod(d.node.name.text, d.node.from?.value);
      if (vmod) this.vmods.set(d.name.toLowerCase(), vmod);
    }
    for (const d of model.definitions) {
      if (d.kind !== 'object' || d.node.kind !== 'NewStmt' || d.node.value?.kind !== 'CallExpr') continue;
      const [vmodName, className] = d.node.value.callee.text.split('.');
      const vmod = vmodName ? this.vmods.get(vmodName.toLowerCase()) : undefined;
      if (vmod && className && vmodObject(vmod, className)) {
        // VCC looks the methods up under the vmod's own name: an alias alone leaves them unfound
        // (imported under its own name, the vmod is found there, whatever name the constructor used).
        const ownName = this.vmods.get(vmod.name.toLowerCase()) === vmod;
        this.objects.set(d.name.toLowerCase(), { vmod, className, alias: ownName ? undefined : vmodName });
        this.objectTypes.add(objectTypeName(vmod, className));
      }
    }
  }

  run(file: string, program: A.Program): void {
    this.file = file;
    for (const d of program.declarations) {
      if (d.kind !== 'SubDecl' || !d.body) continue;
      for (const f of this.declarationFindings(d)) this.findings.push(f);
    }
    this.sub = '';
  }

  /**
   * The findings of one sub. Kept per declaration (syntax/kept.ts): an edit
   * leaves every other declaration the same object, and their findings hold
   * while what the checker reads outside them is the same: the release and
   * VCL version, the program's definitions (by name, kind and order), the
   * imported vmods and the objects made from them, the file, and the
   * built-in subs that reach this one. Type checking the whole program was
   * a tenth of an edit of a 20,000-line document.
   */
  private declarationFindings(d: A.SubDecl): TypeFinding[] {
    const sub = d.name?.text.toLowerCase() ?? '';
    // The key is built only for a declaration that keeps anything (a small one is checked again).
    const key = keptFor(d) ? `${this.context()}\0${this.file}\0${[...this.model.methodsReaching(sub)].sort().join(',')}` : '';
    return keptFindings(d, 'typecheck', key, () => this.check(d, sub));
  }

  /** Checks one sub's statements. */
  private check(d: A.SubDecl, sub: string): TypeFinding[] {
    this.sub = sub;
    this.out = [];
    walkStatements(d.body!, undefined, (s) => this.statement(s));
    return this.out;
  }

  /** The id of everything program-wide that the checks read (see {@link declarationFindings}). */
  private context(): number {
    if (this.contextId !== undefined) return this.contextId;
    const parts = [this.model.facts.release, this.model.version];
    for (const d of this.model.definitions) parts.push(`${d.kind} ${d.name}`);
    for (const [name, v] of this.vmods) parts.push(`vmod ${name} ${vmodId(v)}`);
    for (const [name, o] of this.objects) parts.push(`object ${name} ${vmodId(o.vmod)} ${o.className} ${o.alias ?? ''}`);
    const text = parts.join('\n');
    let id = contextIds.get(text);
    if (id === undefined) {
      // A few programs' contexts at a time: the documents being edited.
      if (contextIds.size >= 64) contextIds.clear();
      contextIds.set(text, (id = nextContextId++));
    }
    return (this.contextId = id);
  }

  private report(rule: TypeFinding['rule'], span: A.Span, message: string): void {
    this.out.push({ rule, file: this.file, start: span.start, end: span.end, message });
  }

  private statement(s: StatementNode): void {
    switch (s.kind) {
      case 'IfBranch':
        if (s.condition) this.condition(s.condition);
        break;
      case 'SetStmt':
        this.set(s);
        break;
      case 'ExpressionStmt':
        this.infer(s.expression, undefined);
        break;
      case 'NewStmt':
        if (s.value?.kind === 'CallExpr') this.constructorCall(s.value);
        else if (s.value) this.notConstructor(s.value);
        break;
      case 'ReturnStmt':
        if ((s.action?.text === 'synth' || s.action?.text === 'error') && s.args) this.returnSynth(s.args);
        // return (pass(ttl)) in vcl_backend_response: how long to remember the hit-for-pass.
        if (s.action?.text === 'pass' && s.args?.[0]?.value) this.assign(s.args[0].value, 'DURATION');
        if (s.action?.text === 'fail' && s.args?.[0]?.value) this.toString(s.args[0].value);
        break;
      default:
        break;
    }
  }

  private set(s: A.SetStmt): void {
    if (!s.target || !s.value) return;
    const fact = this.model.facts.lookupVariable(s.target.text, this.model.version);
    if (!fact) return;
    let target: Type | undefined = fact.type;
    if (s.operator && s.operator !== '=') target = compoundAssignOperandType(fact.type, s.operator);
    if (!target) return;
    this.assign(s.value, target);
  }

  /** A value going where `target` is expected. */
  private assign(value: A.Expression, target: Type): void {
    if (STRINGISH.has(target)) {
      this.toString(value);
      return;
    }
    if (target === 'BYTES' && value.kind === 'UnaryExpr' && value.operator === '-') {
      // VCC reads no sign where it wants a size (6.5 to 9.0).
      this.report('type-mismatch', value, "Unknown token '-' when looking for BYTES (a size is never negative)");
      return;
    }
    const t = this.infer(value, target);
    if (!t || compatible(t, target)) return;
    // VCC turns a literal into an IP address when the VCL loads.
    if (target === 'IP' && value.kind === 'StringLiteral') return;
    this.report('type-mismatch', value, `Expression has type ${t}, expected ${target}${hint(t, target)}`);
    if (target === 'BACKEND' && this.objectTypes.has(t)) {
      const fixes = this.backendFix(value);
      if (fixes) {
        const finding = this.out[this.out.length - 1]!;
        finding.message += ` (a director picks a backend with ${text(value)}.backend())`;
        finding.fixes = fixes;
      }
    }
  }

  /** A value turned into a string; its own type (undefined when unknown). */
  private toString(value: A.Expression): Type | undefined {
    const t = this.infer(value, 'STRING_CONTEXT');
    if (t === 'HTTP') this.report('type-mismatch', value, `Cannot convert HTTP to STRING: '${text(value)}' is a whole message; use one of its headers, such as ${text(value)}.http.X-Name`);
    else if (t === 'VOID') this.report('type-mismatch', value, 'Function returns VOID: it gives no value to use here');
    else if (t !== undefined && this.objectTypes.has(t)) this.report('type-mismatch', value, `Cannot convert ${t} to STRING. '${text(value)}' is an object: call one of its methods`);
    return t;
  }

  private condition(e: A.Expression): void {
    const t = this.infer(e, 'BOOL');
    if (t && !BOOLISH.has(t)) this.report('type-mismatch', e, `Expression has type ${t}, expected BOOL${t === 'REAL' || t === 'TIME' ? ` (compare it, e.g. '${text(e)} > ${t === 'REAL' ? '0.5' : 'now'}')` : ''}`);
  }

  private returnSynth(args: A.Argument[]): void {
    const [status, reason] = args;
    if (status?.value) this.assign(status.value, 'INT');
    if (reason?.value) this.toString(reason.value);
  }

  /** The type of `e`; reports errors inside it. undefined when unknown. */
  private infer(e: A.Expression, expected: Expected): Type | undefined {
    switch (e.kind) {
      case 'StringLiteral':
      case 'StringConcat':
        return 'STRING';
      case 'BlobLiteral':
        return 'BLOB';
      case 'NumberLiteral':
        if (!e.unit) return e.text.includes('.') ? 'REAL' : 'INT';
        if (durationUnits.has(e.unit.text)) return 'DURATION';
        if (expected === 'STRING_CONTEXT') {
          // VCC reads a size only where BYTES is wanted; in a string it takes the unit for a duration's (6.5 to 9.0).
          this.report('type-mismatch', e.unit, `Unknown duration unit '${e.unit.text}' (a size such as 1KB stands only where VCL expects BYTES; in a string, quote it: "${e.text}${e.unit.text}")`);
          return undefined;
        }
        return 'BYTES';
      case 'ParenExpr':
        return e.expression ? this.infer(e.expression, expected) : undefined;
      case 'Identifier': {
        const t = this.identifierType(e.name);
        if (t === 'SUB' && expected !== 'SUB') return this.subAsValue(e.name);
        // An object where a value of a known type is wanted: the type VCC names it by.
        if (t === undefined && expected !== undefined) return this.objectType(e.name);
        return t;
      }
      case 'UnaryExpr':
        return this.unary(e, expected);
      case 'BinaryExpr':
        return this.binary(e, expected);
      case 'MatchExpr':
        this.match(e);
        return 'BOOL';
      case 'CallExpr':
        return this.call(e);
    }
  }

  private identifierType(name: A.Name): Type | undefined {
    const lower = name.text.toLowerCase();
    if (lower === 'true' || lower === 'false') return 'BOOL';
    const fact = this.model.facts.lookupVariable(name.text, this.model.version);
    if (fact) return fact.type === 'HEADER' ? 'STRING' : fact.type;
    const def = this.model.lookup(name.text)[0];
    if (!def) {
      if (this.model.facts.isBuiltinMethodSymbol(name.text)) return 'SUB';
      return lower.startsWith('storage.') ? 'STEVEDORE' : undefined;
    }
    switch (def.kind) {
      case 'backend': return 'BACKEND';
      case 'acl': return 'ACL';
      case 'probe': return 'PROBE';
      case 'sub': return 'SUB';
      default: return undefined;
    }
  }

  /**
   * A sub's name where a value is wanted (anything but a vmod argument of
   * type SUB). From 7.0, which brought the SUB type, VCC refuses it
   * everywhere; 6.5 refuses a built-in method's name, and takes a custom
   * sub's where a string is wanted (checked with varnishd 6.5, 7.1, 7.7
   * and 9.0), so there the SUB type goes on to be judged as any other.
   */
  private subAsValue(name: A.Name): Type | undefined {
    const builtin = this.model.facts.isBuiltinMethodSymbol(name.text);
    if (atLeast(this.model.facts.release, '7.0')) {
      const why = builtin ? 'a built-in method runs at its step of the request, it is no value' : `a sub is run with 'call ${name.text};', or passed to a vmod function that takes a SUB`;
      this.report('type-mismatch', name, `Symbol '${name.text}' can only be used as a SUB expression: ${why}`);
      return undefined;
    }
    if (builtin) {
      this.report('type-mismatch', name, `Symbol '${name.text}' type (sub) can not be used in expression.`);
      return undefined;
    }
    return 'SUB';
  }

  /**
   * The type of an object made with `new` from a vmod this checker knows
   * (`directors.round_robin`), as VCC prints it; undefined for anything
   * else. Objects are values of their own type: VCC refuses one where a
   * BACKEND, a STRING, a BOOL or an ACL is wanted ("Expression has type
   * directors.round_robin, expected BACKEND", checked with 6.5, 7.1 and 9.0).
   */
  private objectType(name: A.Name): Type | undefined {
    const o = this.objects.get(name.text.toLowerCase());
    return o ? objectTypeName(o.vmod, o.className) : undefined;
  }

  /**
   * `obj.backend()` for an object whose `.backend()` method gives a BACKEND
   * and needs no argument (the directors): what `set req.backend_hint = obj;`
   * means. Applied by --fix: the object cannot stand there, and picking a
   * backend is the one thing that call does.
   */
  private backendFix(value: A.Expression): TypeFinding['fixes'] {
    if (value.kind !== 'Identifier') return undefined;
    const o = this.objects.get(value.name.text.toLowerCase());
    const m = o ? vmodMethod(o.vmod, o.className, 'backend') : undefined;
    if (!m || m.returnType !== 'BACKEND' || m.args.some((a) => !a.hidden && !a.optional && a.default === undefined)) return undefined;
    return [{ title: `Write ${value.name.text}.backend()`, edits: [{ start: value.end, end: value.end, newText: '.backend()' }] }];
  }

  private unary(e: A.UnaryExpr, expected: Expected): Type | undefined {
    if (!e.operand) return undefined;
    if (e.operator === '-') {
      const t = this.infer(e.operand, expected);
      return t && NUMERIC.has(t) ? t : undefined;
    }
    const t = this.infer(e.operand, 'BOOL');
    if (t && !BOOLISH.has(t)) this.report('type-mismatch', e.operand, `'!' must be followed by BOOL, found ${t}`);
    return 'BOOL';
  }

  private binary(e: A.BinaryExpr, expected: Expected): Type | undefined {
    const op = e.operator;
    if (op === '&&' || op === '||') {
      const l = this.infer(e.left, 'BOOL');
      if (l && !BOOLISH.has(l)) this.report('type-mismatch', e.left, `'${op}' must be preceeded by BOOL, found ${l}`);
      if (e.right) {
        const r = this.infer(e.right, 'BOOL');
        if (r && !BOOLISH.has(r)) this.report('type-mismatch', e.right, `'${op}' must be followed by BOOL, found ${r}`);
      }
      return 'BOOL';
    }
    if (['==', '!=', '<', '<=', '>', '>='].includes(op)) {
      this.comparison(e);
      return 'BOOL';
    }
    if (op === '+' || op === '-') return this.additive(e, expected);
    return this.multiplicative(e);
  }

  private comparison(e: A.BinaryExpr): void {
    const l = this.infer(e.left, undefined);
    const r = e.right ? this.infer(e.right, l) : undefined;
    if (!l) return;
    const ordering = e.operator !== '==' && e.operator !== '!=';
    if (ordering && !ORDERED.has(l)) {
      this.report('type-mismatch', e.operatorSpan, `Operator ${e.operator} not possible on ${l}; ${l} values can only be compared with == and !=`);
      return;
    }
    // A vmod's STRANDS result compares as a string too (7.7's test suite does it).
    if (!r || r === l || (l === 'REAL' && r === 'INT') || ((l === 'STRING' || l === 'STRANDS') && STRINGISH.has(r))) return;
    // An IP compared with a string constant: VCC turns the constant into an
    // address when it compiles (`server.ip == "127.0.0.1"`; 6.5 to 9.0 accept it).
    if (l === 'IP' && e.right?.kind === 'StringLiteral') return;
    this.report('type-mismatch', e.operatorSpan, `Comparison of different types: ${l} '${e.operator}' ${r}${hint(r, l)}`);
  }

  private additive(e: A.BinaryExpr, expected: Expected): Type | undefined {
    if (expected === 'STRING_CONTEXT' && e.operator === '+') {
      // Everything is turned into a string and joined; but a number after a value of another type
      // is read in that type (`storage.s0.used_space + 1KB`, `now + 1h`), as VCC reads it.
      const l = this.toString(e.left);
      if (!e.right) return 'STRING';
      if (l !== undefined && l !== 'STRING' && e.right.kind === 'NumberLiteral') {
        const r = this.infer(e.right, l);
        return (r && additions[`${l}+${r}`]) ?? 'STRING';
      }
      this.toString(e.right);
      return 'STRING';
    }
    const l = this.infer(e.left, expected === 'STRING_CONTEXT' ? undefined : expected);
    if (l === 'STRING' && e.operator === '+') {
      if (e.right) this.toString(e.right);
      return 'STRING';
    }
    const r = e.right ? this.infer(e.right, l) : undefined;
    if (!l || !r) return undefined;
    const result = additions[`${l}${e.operator}${r}`];
    if (!result) this.report('type-mismatch', e.operatorSpan, `${l} ${e.operator} ${r} not possible${additionHint(l, e.operator, r)}`);
    return result;
  }

  private multiplicative(e: A.BinaryExpr): Type | undefined {
    const l = this.infer(e.left, undefined);
    const r = e.right ? this.infer(e.right, undefined) : undefined;
    if (e.operator === '%') {
      if ((l && l !== 'INT') || (r && r !== 'INT')) this.report('type-mismatch', e.operatorSpan, `Operator % only possible on INT, not ${l !== 'INT' ? l : r}`);
      return 'INT';
    }
    if (!l) return undefined;
    if (!NUMERIC.has(l)) {
      this.report('type-mismatch', e.operatorSpan, `Operator ${e.operator} not possible on type ${l}.`);
      return undefined;
    }
    if (!r) return undefined;
    if (r === 'INT' || r === 'REAL') return l === 'INT' && r === 'REAL' ? 'REAL' : l;
    this.report('type-mismatch', e.operatorSpan, `${l} ${e.operator} ${r} not possible${l === 'INT' && r === 'DURATION' ? `; write the DURATION first (${text(e.right!)} ${e.operator} ${text(e.left)})` : ''}`);
    return undefined;
  }

  private match(e: A.MatchExpr): void {
    const subject = this.infer(e.subject, undefined);
    const p = e.pattern;
    if (!p || p.kind === 'StringLiteral' || p.kind === 'StringConcat') return;
    const want = subject === 'IP' ? 'ACL' : 'REGEX';
    const t = this.infer(p, want === 'ACL' ? 'ACL' : undefined);
    if (!t) return;
    if (t !== want && !(want === 'REGEX' && t === 'ACL' && subject === undefined)) {
      const why = want === 'REGEX' && t === 'STRING' ? ' (a regular expression must be a literal string: VCC compiles it when the VCL loads)' : '';
      this.report('type-mismatch', p, `Expression has type ${t}, expected ${want}${why}`);
    }
  }

  private call(e: A.CallExpr): Type | undefined {
    if (e.receiver) {
      this.infer(e.receiver, undefined);
      return typeMethod(e.callee.text);
    }
    const text = e.callee.text;
    const fn = builtinFunction(text);
    if (fn) {
      fn.args.forEach((a, i) => {
        const v = e.args[i]?.value;
        if (v) this.argument(v, { name: a.name, type: a.type, optional: false });
      });
      return fn.returnType;
    }
    const dot = text.lastIndexOf('.');
    if (dot < 0) return undefined;
    const head = text.slice(0, dot);
    const last = text.slice(dot + 1);
    if (this.model.facts.lookupVariable(head, this.model.version)) return typeMethod(last);
    const vmod = this.vmods.get(head.toLowerCase());
    if (vmod) {
      const f = vmodFunction(vmod, last);
      if (!f) {
        const obj = vmodObject(vmod, last);
        // Constructors belong in `new`; anything else is an unknown symbol.
        if (!obj && !this.removed(e, `${vmod.name}.${last}`)) this.report('call-arguments', e.callee, `Symbol not found: '${text}': vmod ${vmod.name} has no function '${last}' (functions: ${vmod.functions.map((x) => x.name).join(', ') || 'none'})`);
        return undefined;
      }
      this.arguments(e, f, `${head}.${f.name}`);
      this.restricted(e.callee, f, `${head}.${f.name}()`);
      return f.returnType;
    }
    const obj = this.objects.get(head.toLowerCase());
    if (obj) {
      if (obj.alias !== undefined) {
        // VCC finds no method of an object whose constructor was named through an import's alias, unless the
        // vmod is imported under its own name too (6.5 to 9.0).
        this.report('call-arguments', e.callee, `Unknown property '${last}' for type ${obj.vmod.name}.${obj.className}: VCC finds no method of an object created through the alias '${obj.alias}'; create it as ${obj.vmod.name}.${obj.className}(), importing ${obj.vmod.name} under its own name`);
        return undefined;
      }
      const m = vmodMethod(obj.vmod, obj.className, last);
      if (!m) {
        const methods = vmodObject(obj.vmod, obj.className)?.methods.map((x) => x.name) ?? [];
        this.report('call-arguments', e.callee, `Symbol not found: '${text}': a ${obj.vmod.name}.${obj.className} object has no method '${last}' (methods: ${methods.join(', ')})`);
        return undefined;
      }
      this.arguments(e, m, text);
      this.restricted(e.callee, m, `${text}()`);
      return m.returnType;
    }
    return undefined;
  }

  /**
   * A call of a function this release removed: said so, with the call that
   * replaces it when both arguments are there. True when reported.
   */
  private removed(e: A.CallExpr, name: string): boolean {
    const gone = REMOVED_FUNCTIONS.get(name);
    if (!gone?.until || !atLeast(this.model.facts.release, gone.until)) return false;
    // The arguments are checked too: a removed call may hold another.
    for (const a of e.args) if (a.value) this.infer(a.value, undefined);
    const [value, fallback] = e.args;
    const shape = `${gone.callee}(${gone.valuePrefix}…${gone.valueSuffix}, fallback=…)`;
    const finding: TypeFinding = {
      rule: 'call-arguments',
      file: this.file,
      start: e.callee.start,
      end: e.callee.end,
      message: `${name}() was removed in ${productName(gone.until)}; this program is checked for ${productName(this.model.facts.release)}. Write ${shape}`,
    };
    // Two positional arguments: rewritten around them, whatever they are.
    if (e.args.length === 2 && value?.value && fallback?.value && !value.name && !fallback.name) {
      finding.fixes = [
        {
          title: `Write ${shape}`,
          edits: [
            { start: e.callee.start, end: e.callee.end, newText: gone.callee },
            { start: value.value.start, end: value.value.start, newText: gone.valuePrefix },
            ...(gone.valueSuffix ? [{ start: value.value.end, end: value.value.end, newText: gone.valueSuffix }] : []),
            { start: fallback.value.start, end: fallback.value.start, newText: 'fallback=' },
          ],
        },
      ];
    }
    this.out.push(finding);
    return true;
  }

  /**
   * A vmod function that says where it may run (`$RESTRICT`, carried in the
   * interfaces of 7.x and 9.0): VCC refuses a call from any other built-in
   * sub, also through `call` chains ("Not available in subroutine").
   */
  private restricted(span: A.Span, f: VmodFunction, what: string): void {
    if (!f.restrict?.length || !this.sub) return;
    const facts = this.model.facts;
    const allowed = new Set<string>();
    for (const r of f.restrict) {
      const side = facts.subroutines.filter((s) => s.side === r);
      if (side.length) for (const s of side) allowed.add(s.name);
      else allowed.add(r);
    }
    const methods = facts.builtinSubroutine(this.sub) ? [this.sub] : [...this.model.methodsReaching(this.sub)].sort();
    const bad = methods.find((m) => !allowed.has(m));
    if (!bad) return;
    const via = bad === this.sub ? '' : ` (sub '${this.sub}' runs from it)`;
    this.report('call-arguments', span, `Not available in subroutine '${bad}'${via}: ${what} may only be called from ${f.restrict.join(', ')}`);
  }

  private constructorCall(e: A.CallExpr): void {
    const [vmodName, className] = e.callee.text.split('.');
    const vmod = vmodName ? this.vmods.get(vmodName.toLowerCase()) : undefined;
    if (!vmod || !className) return;
    const obj = vmodObject(vmod, className);
    if (!obj) {
      this.report('call-arguments', e.callee, `Symbol not found: '${e.callee.text}': vmod ${vmod.name} has no object '${className}' (objects: ${vmod.objects.map((o) => o.name).join(', ') || 'none'})`);
      return;
    }
    this.arguments(e, { name: className, returnType: 'VOID', args: obj.constructorArgs }, e.callee.text);
  }

  /**
   * `new x = name;` where the name is something other than an object type:
   * an ACL, a backend, a vmod ("Symbol '...' has wrong type (acl), expected
   * object", every release from 6.5 to 9.0). What the parser refuses there
   * (no name, a constructor without parentheses) is the syntax rule's
   * (rules/new-syntax.ts); unknown names are symbol-unknown's.
   */
  private notConstructor(value: A.Expression): void {
    if (value.kind !== 'Identifier') return;
    const name = value.name.text;
    const def = this.model.lookup(name)[0];
    if (def) this.report('type-mismatch', value, `Symbol '${name}' has wrong type (${def.kind === 'object' ? 'instance' : def.kind}), expected object: new makes an object with a vmod's constructor, as in new x = directors.round_robin()`);
  }

  /** Matches a call's arguments to a signature, like VCC's vcc_func_args. */
  private arguments(e: A.CallExpr, f: VmodFunction, what: string): void {
    const params = f.args.filter((a) => !a.hidden);
    const given = new Map<string, A.Argument>();
    let position = 0;
    for (const a of e.args) {
      if (a.name) {
        const p = params.find((x) => x.name === a.name!.text);
        if (!p) {
          this.report('call-arguments', a.name, `Unknown argument '${a.name.text}' for ${what}; it takes ${signature(params)}`);
          continue;
        }
        if (given.has(p.name!)) {
          this.report('call-arguments', a.name, `Argument '${p.name}' already used`);
          continue;
        }
        given.set(p.name!, a);
        if (a.value) this.argument(a.value, p);
        continue;
      }
      const p = params[position++];
      if (!p) {
        this.report('call-arguments', a, `Too many arguments for ${what}; it takes ${signature(params)}`);
        continue;
      }
      if (p.name && given.has(p.name)) this.report('call-arguments', a, `Argument '${p.name}' already used`);
      if (p.name) given.set(p.name, a);
      if (a.value) this.argument(a.value, p);
    }
    params.forEach((p, i) => {
      const passed = p.name ? given.has(p.name) : i < position;
      if (!passed && !p.optional && p.default === undefined) {
        this.report('call-arguments', e.argsSpan, `Argument '${p.name ?? i + 1}' missing in call to ${what}; it takes ${signature(params)}`);
      }
    });
  }

  private argument(value: A.Expression, p: VmodArg): void {
    if (p.type === 'ENUM') {
      const v = value.kind === 'Identifier' ? value.name.text : undefined;
      if (v !== undefined && p.enum && !p.enum.includes(v)) {
        this.report('call-arguments', value, `Wrong enum value '${v}'. Expected one of: ${p.enum.join(', ')}`);
      }
      return;
    }
    if (STRINGISH.has(p.type) && p.type !== 'HEADER') {
      this.toString(value);
      return;
    }
    if (p.type === 'HEADER') {
      const isHeader = value.kind === 'Identifier' && this.model.facts.lookupVariable(value.name.text, this.model.version)?.type === 'HEADER';
      if (!isHeader) {
        const t = this.infer(value, undefined);
        if (t) this.report('type-mismatch', value, `Expression has type ${t}, expected HEADER (a header such as req.http.X-Name)`);
      }
      return;
    }
    if (p.type === 'REGEX') {
      if (!isLiteralString(value)) {
        const t = this.infer(value, undefined);
        if (t && t !== 'REGEX') this.report('type-mismatch', value, `Expression has type ${t}, expected REGEX (a literal string)`);
      }
      return;
    }
    if (p.type.startsWith('PRIV_')) return;
    const known = ['INT', 'REAL', 'DURATION', 'BYTES', 'BOOL', 'BACKEND', 'TIME', 'IP', 'BLOB', 'PROBE', 'ACL', 'STEVEDORE', 'HTTP', 'SUB'];
    if (known.includes(p.type)) this.assign(value, p.type);
    else this.infer(value, undefined);
  }
}

/** An object's type as VCC prints it: the vmod's own name and the class (`directors.round_robin`). */
function objectTypeName(vmod: VmodInterface, className: string): Type {
  return `${vmod.name}.${className}`;
}

/** Whether a value of type `t` may go where `target` is expected. */
function compatible(t: Type, target: Type): boolean {
  if (t === target) return true;
  if (target === 'REAL' && t === 'INT') return true;
  if (target === 'BOOL' && BOOLISH.has(t)) return true;
  if (target === 'STRING' && STRINGISH.has(t)) return true;
  return false;
}

/** A string literal, or literals joined with `+` (what VCC takes as a regex). */
function isLiteralString(e: A.Expression): boolean {
  if (e.kind === 'StringLiteral' || e.kind === 'StringConcat') return true;
  if (e.kind === 'ParenExpr') return !!e.expression && isLiteralString(e.expression);
  return e.kind === 'BinaryExpr' && e.operator === '+' && isLiteralString(e.left) && !!e.right && isLiteralString(e.right);
}

/** Methods VCC 7.1 gives values of built-in types. */
function typeMethod(name: string): Type | undefined {
  switch (name) {
    case 'upper':
    case 'lower':
      return 'STRING';
    case 'resolve':
      return 'BACKEND';
    default:
      return undefined;
  }
}

function signature(params: VmodArg[]): string {
  if (params.length === 0) return 'no arguments';
  return `(${params.map((p) => `${p.type}${p.name ? ` ${p.name}` : ''}${p.optional || p.default !== undefined ? '?' : ''}`).join(', ')})`;
}

function hint(t: Type, target: Type): string {
  if (t === 'INT' && target === 'DURATION') return ' (add a unit: 10s, 5m, 1h)';
  if (t === 'REAL' && target === 'DURATION') return ' (add a unit: 1.5s)';
  if (t === 'REAL' && target === 'INT') return ' (write a whole number, or convert with std.real2integer())';
  if (t === 'STRING' && target === 'INT') return ' (convert with std.integer())';
  if (t === 'STRING' && target === 'DURATION') return ' (convert with std.duration())';
  if (t === 'STRING' && target === 'BACKEND') return ' (name a backend without quotes)';
  return '';
}

function additionHint(l: Type, op: string, r: Type): string {
  if (l === 'DURATION' && r === 'INT') return `; give the number a unit (${op} 1s)`;
  if (r === 'STRING' && l !== 'STRING') return '; to build a string, start with a string ("" + ...)';
  return '';
}

/** Rough source text of an expression, for messages. */
function text(e: A.Expression): string {
  switch (e.kind) {
    case 'Identifier': return e.name.text;
    case 'NumberLiteral': return e.text + (e.unit?.text ?? '');
    case 'StringLiteral': return `"${e.value}"`;
    case 'CallExpr': return `${e.callee.text}(...)`;
    default: return 'the expression';
  }
}
