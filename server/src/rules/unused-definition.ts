/**
 * `unused-definition`: a sub, backend, probe or ACL that nothing uses.
 * varnishd refuses these ("Unused backend x, defined:") unless
 * vcc_err_unref is off. The first backend is the default one, so it counts
 * as used; subs named like builtin.vcl's are merged with them and used there.
 */
import type { Finding, Rule } from './rule.js';
import type { Definition, SemanticModel } from '../analysis/semantic-model.js';
import { completeProgram } from './complete-program.js';
import { documentFile } from './program-files.js';
import { builtinVclSub } from '../facts/builtin-vcl.js';

export const unusedDefinitionRule: Rule = {
  id: 'unused-definition',
  defaultSeverity: 'error',
  description: 'A sub, backend, probe or ACL that is never used; varnishd refuses the VCL (vcc_err_unref).',
  check(ctx) {
    // Another file may use what this one defines (or define what it uses).
    if (!completeProgram(ctx)) return [];
    const model = ctx.semantic();
    let all = unusedByModel.get(model);
    if (!all) {
      all = unusedDefinitions(model);
      unusedByModel.set(model, all);
    }
    // Only this document's (the others belong to the other files of the program).
    const docFile = documentFile(ctx, model);
    const out: Finding[] = [];
    for (const d of all) {
      if (docFile !== undefined && d.file !== docFile) continue;
      out.push({
        file: d.file,
        start: d.nameSpan.start,
        end: d.nameSpan.end,
        severity: ctx.errUnref ? 'error' : 'warning',
        message: `Unused ${d.kind} '${d.name}': nothing refers to it${ctx.errUnref ? `, and varnishd refuses unused ${d.kind}s (parameter vcc_err_unref)` : ''}. Use it or remove it.`,
      });
    }
    return out;
  },
};

/**
 * The definitions nothing uses, once per model: every file of a program is
 * checked against the same model, and going over the whole program for
 * each of thousands of files was quadratic.
 */
const unusedByModel = new WeakMap<SemanticModel, Definition[]>();

function unusedDefinitions(model: SemanticModel): Definition[] {
  const used = new Set<string>();
  for (const r of model.references) if (r.target) used.add(`${r.target.kind}:${r.target.name.toLowerCase()}`);
  const backends = model.definitions.filter((d) => d.kind === 'backend');
  // The default backend is the one named `default` (lower case only), else the first one.
  const defaultBackend = backends.find((d) => d.name === 'default') ?? backends[0];
  const out: Definition[] = [];
  for (const d of model.definitions) {
    const key = `${d.kind}:${d.name.toLowerCase()}`;
    if (d === defaultBackend || used.has(key)) continue;
    if (d.kind === 'sub' && (model.facts.builtinSubroutine(d.name) || builtinVclSub(d.name, model.facts.release))) continue;
    // A probe named `default` is the one backends without .probe get.
    if (d.kind === 'probe' && d.name.toLowerCase() === 'default') continue;
    if (!['backend', 'sub', 'probe', 'acl'].includes(d.kind)) continue;
    out.push(d);
  }
  return out;
}
