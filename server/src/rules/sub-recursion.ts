/** `sub-recursion`: a sub that calls itself, directly or through others; VCC forbids it. */
import type { Finding, Rule } from './rule.js';
import type { SemanticModel } from '../analysis/semantic-model.js';

export const subRecursionRule: Rule = {
  id: 'sub-recursion',
  defaultSeverity: 'error',
  description: 'A subroutine that calls itself, directly or through other subroutines; VCL has no recursion.',
  check(ctx) {
    const model = ctx.semantic();
    let found = findingsByModel.get(model);
    if (!found) {
      found = recursions(model);
      findingsByModel.set(model, found);
    }
    // A copy: the caller keeps the findings of its own file.
    return [...found];
  },
};

/**
 * The answer depends on the program only, and every file of a program is
 * checked against the same model: a folder holding a program of thousands
 * of files worked it out once per file.
 */
const findingsByModel = new WeakMap<SemanticModel, Finding[]>();

/** Each sub that recurses, once, at its definition. */
function recursions(model: SemanticModel): Finding[] {
  const edges = new Map<string, string[]>();
  for (const c of model.calls) {
    const list = edges.get(c.from);
    if (list) list.push(c.to);
    else edges.set(c.from, [c.to]);
  }
  // Only a call within one strongly connected group of subs can lead back:
  // the groups are found once, so a program of thousands of subs costs no search per call.
  const group = stronglyConnected(edges);
  const out: Finding[] = [];
  const reported = new Set<string>();
  for (const c of model.calls) {
    if (reported.has(c.from)) continue;
    if (c.from !== c.to && (group.get(c.from) === undefined || group.get(c.from) !== group.get(c.to))) continue;
    const path = pathBack(edges, c.to, c.from);
    if (!path) continue;
    reported.add(c.from);
    // varnishd names the sub that recurses, at its definition.
    const def = model.lookup(c.from).find((d) => d.kind === 'sub');
    const at = def ? def.nameSpan : c.span;
    out.push({ file: def ? def.file : c.file, start: at.start, end: at.end, message: `Subroutine recursion: ${[c.from, ...path].join(' -> ')}. VCL does not allow a sub to call itself, directly or through others.` });
  }
  return out;
}

/** The call path from `start` back to `target`, if there is one. */
function pathBack(edges: Map<string, string[]>, start: string, target: string): string[] | undefined {
  const previous = new Map<string, string>();
  const queue = [start];
  const seen = new Set([start]);
  for (let head = 0; head < queue.length; head++) {
    const s = queue[head]!;
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

/** The strongly connected group of every sub that calls (Tarjan's algorithm, with its own stack). */
function stronglyConnected(edges: Map<string, string[]>): Map<string, number> {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const group = new Map<string, number>();
  let counter = 0;
  let groups = 0;
  for (const root of edges.keys()) {
    if (index.has(root)) continue;
    const work: Array<{ node: string; next: number }> = [{ node: root, next: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length) {
      const top = work[work.length - 1]!;
      const out = edges.get(top.node) ?? [];
      if (top.next < out.length) {
        const n = out[top.next++]!;
        if (!index.has(n)) {
          index.set(n, counter);
          low.set(n, counter++);
          stack.push(n);
          onStack.add(n);
          work.push({ node: n, next: 0 });
        } else if (onStack.has(n)) {
          low.set(top.node, Math.min(low.get(top.node)!, index.get(n)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(top.node)!));
      if (low.get(top.node) === index.get(top.node)) {
        for (;;) {
          const m = stack.pop()!;
          onStack.delete(m);
          group.set(m, groups);
          if (m === top.node) break;
        }
        groups++;
      }
    }
  }
  return group;
}
