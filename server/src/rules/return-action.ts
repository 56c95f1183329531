/**
 * `return-action`: `return (action)` with an action the subroutine may not
 * use. In a custom sub, the action must suit every built-in method that
 * calls it (VCC checks through `call` chains too). A call of a sub that
 * builtin.vcl defines (`call vcl_recv;` from vcl_deliver) also runs that
 * sub's built-in body, whose returns must suit the caller as well.
 */
import type { Finding, Rule } from './rule.js';
import { isReturnActionOfAnyRelease } from '../facts/index.js';
import { builtinVclReturns } from '../facts/builtin-vcl.js';

export const returnActionRule: Rule = {
  id: 'return-action',
  defaultSeverity: 'error',
  description: 'A return action the subroutine (or a built-in method that calls it) does not allow.',
  check(ctx) {
    const model = ctx.semantic();
    const out: Finding[] = [];
    for (const r of model.returns) {
      const action = r.action.text;
      // Names no release knows are already a syntax error; one that only
      // other releases know is not allowed in any of this release's subs.
      if (!model.facts.isReturnAction(action) && !isReturnActionOfAnyRelease(action)) continue;
      for (const method of [...model.methodsReaching(r.sub)].sort()) {
        const fact = model.facts.builtinSubroutine(method);
        if (!fact || fact.returns.includes(action)) continue;
        // VCL 3's return (lookup) in vcl_recv is vcl3-construct's, with its VCL 4 spelling.
        if (action === 'lookup' && method === 'vcl_recv' && r.sub === 'vcl_recv') break;
        // Varnish 4.0's return (fetch) in vcl_hit is return-action-removed's, with its rewrite.
        if (action === 'fetch' && method === 'vcl_hit' && r.sub === 'vcl_hit') break;
        const via = method === r.sub ? '' : ` (reached from ${method})`;
        out.push({
          file: r.file,
          start: r.action.start,
          end: r.action.end,
          message: `'return (${action})' is not allowed in ${method}${via}; allowed: ${fact.returns.join(', ')}`,
        });
        break;
      }
    }
    // `call vcl_recv;` from another method runs builtin.vcl's vcl_recv too, whose returns must suit the caller.
    for (const c of model.calls) {
      const actions = builtinVclReturns(c.to, model.facts.release);
      if (actions.length === 0) continue;
      for (const method of [...model.methodsReaching(c.from)].sort()) {
        const fact = model.facts.builtinSubroutine(method);
        const bad = fact ? actions.find((a) => !fact.returns.includes(a)) : undefined;
        if (!fact || bad === undefined) continue;
        const via = method === c.from ? '' : ` (reached from ${method})`;
        out.push({
          file: c.file,
          start: c.span.start,
          end: c.span.end,
          message: `Invalid return "${bad}": 'call ${c.to}' also runs builtin.vcl's ${c.to}, which can return (${actions.join(', ')}); ${method}${via} allows ${fact.returns.join(', ')}`,
        });
        break;
      }
    }
    return out;
  },
};
