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

export interface SignatureParameter {
  /** Offsets of the parameter in the signature's label. */
  label: [number, number];
  documentation?: string;
}

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
  const tokens = ctx.statement;
  const paren = openParen(tokens);
  const callee = tokens[paren - 1];
  if (paren < 1 || callee?.tokenType.name !== 'Ident') return undefined;
  const name = callee.image;
  let args: VmodArg[];
  let label: string;
  let documentation: string | undefined;
  const fn = builtinFunction(name);
  const callable = resolveCallable(scope, name);
  if (callable) {
    args = callableArgs(callable);
    label = callableName(callable);
    documentation = vmodDescription(callable);
    const result = callableReturn(callable);
    return build(label, args, result, documentation, tokens.slice(paren + 1));
  }
  if (fn) {
    args = fn.args.map((a) => ({ name: a.name, type: a.type, optional: false }));
    return build(fn.name, args, fn.returnType, fn.description, tokens.slice(paren + 1));
  }
  if (name === 'synth' && tokens[paren - 3]?.tokenType.name === 'Return') {
    return build('synth', SYNTH, 'return action', 'Ends the sub and makes Varnish build a response itself (vcl_synth runs with this status and reason).', tokens.slice(paren + 1));
  }
  return undefined;
}

function build(name: string, args: readonly VmodArg[], result: string, documentation: string | undefined, inside: IToken[]): Signature {
  let label = `${name}(`;
  const parameters: SignatureParameter[] = [];
  args.forEach((a, i) => {
    if (i > 0) label += ', ';
    const text = formatArg(a);
    parameters.push({ label: [label.length, label.length + text.length], ...(a.enum ? { documentation: `One of ${a.enum.join(', ')}` } : {}) });
    label += text;
  });
  label += `) → ${result}`;
  return { label, ...(documentation ? { documentation } : {}), parameters, activeParameter: activeParameter(args, inside) };
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
