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
    const reported = new Set<string>();
    for (const c of model.calls) {
      if (reported.has(c.from)) continue;
      const path = pathBack(edges, c.to, c.from);
      if (!path) continue;
      reported.add(c.from);
      // varnishd names the sub that recurses, at its definition.
      const def = model.lookup(c.from).find((d) => d.kind === 'sub');
      const at = def ? def.nameSpan : c.span;
      out.push({ file: def ? def.file : c.file, ...at, message: `Subroutine recursion: ${[c.from, ...path].join(' -> ')}. VCL does not allow a sub to call itself, directly or through others.` });
    }
    return out;
  },
};

/** The call path from `start` back to `target`, if there is one. */
function pathBack(edges: Map<string, string[]>, start: string, target: string): string[] | undefined {
  const previous = new Map<string, string>();
  const queue = [start];
  const seen = new Set([start]);
  while (queue.length) {
    const s = queue.shift()!;
    if (s === target) {
      const path = [s];
      for (let p = previous.get(s); p !== undefined; p = previous.get(p)) path.unshift(p);
      return path;
    }
    for (const n of edges.get(s) ?? []) {
      if (seen.has(n)) continue;
      seen.add(n);
      previous.set(n, s);
      queue.push(n);
    }
  }
  return undefined;
}
