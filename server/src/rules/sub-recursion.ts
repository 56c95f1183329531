/** `sub-recursion`: a sub that calls itself, directly or through others; VCC forbids it. */
import type { Finding, Rule } from './rule.js';

export const subRecursionRule: Rule = {
  id: 'sub-recursion',
  defaultSeverity: 'error',
  description: 'A subroutine that calls itself, directly or through other subroutines; VCL has no recursion.',
  check(ctx) {
    const model = ctx.semantic();
    const edges = new Map<string, string[]>();
    for (const c of model.calls) edges.set(c.from, [...(edges.get(c.from) ?? []), c.to]);
    const out: Finding[] = [];
    for (const c of model.calls) {
      // Is there a path from the callee back to the caller?
      const seen = new Set<string>();
      const stack = [c.to];
      let cycle = false;
      while (stack.length && !cycle) {
        const s = stack.pop()!;
        if (s === c.from) cycle = true;
        else if (!seen.has(s)) {
          seen.add(s);
          stack.push(...(edges.get(s) ?? []));
        }
      }
      if (cycle) out.push({ ...c.span, message: `Subroutine recursion: '${c.from}' calls '${c.to}', which leads back to '${c.from}'. VCL does not allow recursion.` });
    }
    return out;
  },
};
