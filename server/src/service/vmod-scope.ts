/**
 * The vmods a program imports and the vmod objects it creates, with their
 * interfaces: what `std.`, `d.` or `new d = directors.` can be followed by.
 * Interfaces come from the same resolver as the type checker (the vmod's
 * own bytes along vmod_path, else the Varnish 7.1 table).
 */
import type { SemanticModel } from '../analysis/semantic-model.js';
import type { VmodResolver } from '../analysis/typecheck.js';
import { vmodFunction, vmodMethod, vmodObject, type VmodArg, type VmodFunction, type VmodInterface, type VmodObject } from '../vmods/index.js';

/** A `new name = vmod.class(...)` object and its type. */
export interface ObjectInstance {
  name: string;
  vmod: VmodInterface;
  /** The vmod's object type. */
  type: VmodObject;
}

/** What a program can call through vmods: its imports and its objects. */
export interface VmodScope {
  /** Imported vmods by lower-case name as the program calls them (the `as` alias if any). */
  vmods: Map<string, { name: string; vmod: VmodInterface }>;
  /** Objects by lower-case name. */
  objects: Map<string, ObjectInstance>;
}

/** The vmods and objects of a program. */
export function vmodScope(model: SemanticModel, resolve: VmodResolver): VmodScope {
  const vmods = new Map<string, { name: string; vmod: VmodInterface }>();
  const objects = new Map<string, ObjectInstance>();
  for (const d of model.definitions) {
    if (d.kind !== 'vmod' || d.node.kind !== 'ImportDecl' || !d.node.name) continue;
    const vmod = resolve(d.node.name.text, d.node.from?.value);
    if (vmod) vmods.set(d.name.toLowerCase(), { name: d.name, vmod });
  }
  for (const d of model.definitions) {
    if (d.kind !== 'object' || d.node.kind !== 'NewStmt' || d.node.value?.kind !== 'CallExpr') continue;
    const [vmodName, className] = d.node.value.callee.text.split('.');
    const vmod = vmodName ? vmods.get(vmodName.toLowerCase())?.vmod : undefined;
    const type = vmod && className ? vmodObject(vmod, className) : undefined;
    if (vmod && type) objects.set(d.name.toLowerCase(), { name: d.name, vmod, type });
  }
  return { vmods, objects };
}

/** What a dotted callee such as `std.log`, `directors.round_robin` or `d.backend` names. */
export type Callable =
  | { kind: 'function'; owner: string; vmod: VmodInterface; fn: VmodFunction }
  | { kind: 'constructor'; owner: string; vmod: VmodInterface; type: VmodObject }
  | { kind: 'method'; owner: string; object: ObjectInstance; fn: VmodFunction };

/** Resolves `head.member` against the scope; undefined for anything else. */
export function resolveCallable(scope: VmodScope, callee: string): Callable | undefined {
  const dot = callee.indexOf('.');
  if (dot <= 0) return undefined;
  const head = callee.slice(0, dot);
  const member = callee.slice(dot + 1);
  const imported = scope.vmods.get(head.toLowerCase());
  if (imported) {
    const fn = vmodFunction(imported.vmod, member);
    if (fn) return { kind: 'function', owner: imported.name, vmod: imported.vmod, fn };
    const type = vmodObject(imported.vmod, member);
    if (type) return { kind: 'constructor', owner: imported.name, vmod: imported.vmod, type };
    return undefined;
  }
  const object = scope.objects.get(head.toLowerCase());
  if (object) {
    const fn = vmodMethod(object.vmod, object.type.name, member);
    if (fn) return { kind: 'method', owner: object.name, object, fn };
  }
  return undefined;
}

/** The arguments a caller writes for a callable (PRIV_* ones left out). */
export function callableArgs(c: Callable): VmodArg[] {
  const args = c.kind === 'constructor' ? c.type.constructorArgs : c.fn.args;
  return args.filter((a) => !a.hidden);
}

/** The result type of a callable (an object constructor gives the object). */
export function callableReturn(c: Callable): string {
  return c.kind === 'constructor' ? `${c.vmod.name}.${c.type.name}` : c.fn.returnType;
}

/** How the callee is written: `std.log`, `directors.round_robin`, `d.backend`. */
export function callableName(c: Callable): string {
  if (c.kind === 'constructor') return `${c.owner}.${c.type.name}`;
  return `${c.owner}.${c.fn.name}`;
}

/** One argument as a signature shows it: `[STRING name = "default"]` style, ENUM values spelled out. */
export function formatArg(a: VmodArg): string {
  const type = a.type === 'ENUM' && a.enum ? `ENUM {${a.enum.join(', ')}}` : a.type;
  const text = `${type}${a.name ? ` ${a.name}` : ''}${a.default !== undefined ? ` = ${a.default}` : ''}`;
  return a.optional ? `[${text}]` : text;
}
