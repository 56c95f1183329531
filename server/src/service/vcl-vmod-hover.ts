/**
 * Hover on vmod names in VCL: a vmod function, object constructor or object
 * method shows its signature (argument types, names and defaults) and what
 * it does; the name of an `import` shows what the vmod offers. VCL's own
 * functions (`regsub`, `ban`, ...) are shown the same way.
 */
import type * as A from '../syntax/ast.js';
import type { SemanticModel } from '../analysis/semantic-model.js';
import { walk } from '../syntax/walk.js';
import { callableArgs, callableName, callableReturn, formatArg, resolveCallable, type VmodScope } from './vmod-scope.js';
import { vmodDescription } from './vmod-descriptions.js';
import { builtinFunction } from '../facts/builtin-functions.js';

/** Markdown for the vmod function, object or import under `offset`, with the span it covers. */
export function vmodHover(model: SemanticModel, selfId: string, scope: VmodScope, offset: number): { contents: string; start: number; end: number } | undefined {
  const program = model.files.find((f) => f.file === selfId)?.program;
  if (!program) return undefined;
  let found: { contents: string; start: number; end: number } | undefined;
  const within = (s: A.Span) => offset >= s.start && offset <= s.end;
  walk(program, (n) => {
    if (found || !within(n)) return false;
    if (n.kind === 'CallExpr' && !n.receiver && within(n.callee)) {
      const fn = builtinFunction(n.callee.text);
      if (fn) {
        const lines = ['```vcl', `${fn.returnType} ${fn.name}(${fn.args.map((a) => `${a.type} ${a.name}`).join(', ')})`, '```', 'Built-in function of VCL', '', fn.description];
        if (fn.restrictedTo) lines.push('', `Only in: ${fn.restrictedTo.join(', ')}`);
        found = { contents: lines.join('\n'), start: n.callee.start, end: n.callee.end };
        return false;
      }
      const c = resolveCallable(scope, n.callee.text);
      if (c) {
        const args = callableArgs(c).map(formatArg).join(', ');
        const lines = ['```vcl', `${callableReturn(c)} ${callableName(c)}(${args})`, '```'];
        const what = c.kind === 'constructor' ? `Object type of vmod ${c.vmod.name}` : c.kind === 'method' ? `Method of ${c.object.name}, a ${c.object.vmod.name}.${c.object.type.name} object` : `Function of vmod ${c.vmod.name}`;
        lines.push(what);
        const description = vmodDescription(c);
        if (description) lines.push('', description);
        if (c.kind === 'function' && c.fn.restrict?.length) lines.push('', `Only in: ${c.fn.restrict.join(', ')}`);
        if (c.kind === 'constructor' && c.type.methods.length) lines.push('', `Methods: ${c.type.methods.map((m) => m.name).join(', ')}`);
        found = { contents: lines.join('\n'), start: n.callee.start, end: n.callee.end };
        return false;
      }
    }
    if (n.kind === 'ImportDecl') {
      const name = n.alias ?? n.name;
      if (name && (within(name) || (n.name && within(n.name)))) {
        const v = scope.vmods.get(name.text.toLowerCase());
        if (v) {
          const lines = [`**vmod ${v.vmod.name}**${v.vmod.abi ? ` (${v.vmod.abi.split(' ').slice(0, 2).join(' ')})` : ''}`, ''];
          if (v.vmod.functions.length) lines.push(`Functions: ${v.vmod.functions.map((f) => f.name).join(', ')}`);
          if (v.vmod.objects.length) lines.push(`Objects: ${v.vmod.objects.map((o) => o.name).join(', ')}`);
          found = { contents: lines.join('  \n'), start: name.start, end: name.end };
        }
        return false;
      }
    }
    return undefined;
  });
  return found;
}
