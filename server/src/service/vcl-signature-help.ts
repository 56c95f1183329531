/**
 * Signature help in VCL: inside the parentheses of a vmod function, an
 * object constructor or method, a built-in function (regsub, ban,
 * hash_data, synthetic, ...) or `synth(...)`, the parameters with their
 * types, names and defaults, and which one the cursor is on: counted by
 * commas, or by name for `name = value` arguments.
 */
import type { IToken } from 'chevrotain';
import { builtinFunction } from '../facts/builtin-functions.js';
import type { VmodArg } from '../vmods/index.js';
import { cursorContext, openParen } from './vcl-cursor.js';
import { callableArgs, callableName, callableReturn, formatArg, resolveCallable, type VmodScope } from './vmod-scope.js';
import { vmodDescription } from './vmod-descriptions.js';

/** One parameter of a signature. */
export interface SignatureParameter {
  /** Offsets of the parameter in the signature's label. */
  label: [number, number];
  documentation?: string;
}

/** A call's signature as the editor shows it, with the parameter being written. */
export interface Signature {
  label: string;
  documentation?: string;
  parameters: SignatureParameter[];
  /** Index of the parameter the cursor is on; -1 when it names no parameter of the signature. */
  activeParameter: number;
}

/** `return (synth(...))` is the one return action with parameters most people write. */
const SYNTH: VmodArg[] = [
  { name: 'status', type: 'INT', optional: false },
  { name: 'reason', type: 'STRING', optional: true },
];

/** The signature of the call whose parentheses hold the cursor, if VCL knows it. */
export function vclSignatureHelp(text: string, offset: number, scope: VmodScope): Signature | undefined {
  const ctx = cursorContext(text, offset);
  if (ctx.inert) return undefined;
  const call = callAt(ctx.statement, scope);
  return call ? build(call) : undefined;
}

/** A call whose argument list is open at the end of a statement's tokens. */
export interface OpenCall {
  name: string;
  args: readonly VmodArg[];
  result: string;
  documentation?: string;
  /** Index in `args` of the argument being written; -1 when it names none. */
  active: number;
  /** True for vmod calls, whose arguments may be given as `name = value`. */
  namedArguments: boolean;
}

/** The known call (vmod, built-in function or `synth`) whose `(` is still open at the end of `tokens`. */
export function callAt(tokens: readonly IToken[], scope: VmodScope): OpenCall | undefined {
  const paren = openParen(tokens);
  const callee = tokens[paren - 1];
  if (paren < 1 || callee?.tokenType.name !== 'Ident') return undefined;
  const name = callee.image;
  const inside = tokens.slice(paren + 1);
  const callable = resolveCallable(scope, name);
  if (callable) {
    const args = callableArgs(callable);
    return { name: callableName(callable), args, result: callableReturn(callable), documentation: vmodDescription(callable), active: activeParameter(args, inside), namedArguments: true };
  }
  const fn = builtinFunction(name);
  if (fn) {
    const args = fn.args.map((a) => ({ name: a.name, type: a.type, optional: false }));
    return { name: fn.name, args, result: fn.returnType, documentation: fn.description, active: activeParameter(args, inside), namedArguments: false };
  }
  if (name === 'synth' && tokens[paren - 3]?.tokenType.name === 'Return') {
    return { name: 'synth', args: SYNTH, result: 'return action', documentation: 'Ends the sub and makes Varnish build a response itself (vcl_synth runs with this status and reason).', active: activeParameter(SYNTH, inside), namedArguments: false };
  }
  return undefined;
}

function build(call: OpenCall): Signature {
  let label = `${call.name}(`;
  const parameters: SignatureParameter[] = [];
  call.args.forEach((a, i) => {
    if (i > 0) label += ', ';
    const text = formatArg(a);
    parameters.push({ label: [label.length, label.length + text.length], ...(a.enum ? { documentation: `One of ${a.enum.join(', ')}` } : {}) });
    label += text;
  });
  label += `) → ${call.result}`;
  return { label, ...(call.documentation ? { documentation: call.documentation } : {}), parameters, activeParameter: call.active };
}

/** Which argument the cursor is in: by `name =` when it is named, else by the commas before it. */
function activeParameter(args: readonly VmodArg[], inside: IToken[]): number {
  let depth = 0;
  let commas = 0;
  let current: IToken[] = [];
  for (const t of inside) {
    const type = t.tokenType.name;
    if (type === 'LParen') depth++;
    else if (type === 'RParen') depth--;
    if (depth === 0 && type === 'Comma') {
      commas++;
      current = [];
    } else current.push(t);
  }
  if (current.length >= 2 && current[0]!.tokenType.name === 'Ident' && current[1]!.tokenType.name === 'Equals') {
    return args.findIndex((a) => a.name === current[0]!.image);
  }
  return commas < args.length || args[args.length - 1]?.type === 'STRING_LIST' ? Math.min(commas, args.length - 1) : -1;
}
