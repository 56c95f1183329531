/**
 * Generates server/src/facts/builtin-vcl.json from Varnish 7.1's builtin.vcl
 * (the VCL varnishd appends to every program): each sub it defines and the
 * built-in methods from which that sub runs. Run after `npm run compile-tests`:
 * `node out/scripts/gen-builtin-vcl.js`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '../server/src/syntax/parse.js';
import { walk } from '../server/src/syntax/walk.js';
import { builtinSubroutine } from '../server/src/facts/index.js';
import { projectRoot } from '../test/conformance/corpus.js';

const refDir = process.env['VARNISH_REF_DIR'] ?? join(projectRoot, '../shared/varnish-7.1');
const out = process.argv[2] ?? join(projectRoot, 'server/src/facts/builtin-vcl.json');
const text = readFileSync(join(refDir, 'builtin.vcl'), 'utf8');
const { ast, errors } = parse(text);
if (errors.length) throw new Error(`builtin.vcl does not parse: ${errors[0]!.message}`);

const calls = new Map<string, string[]>();
const subs: string[] = [];
for (const d of ast.declarations) {
  if (d.kind !== 'SubDecl' || !d.name) continue;
  const from = d.name.text;
  subs.push(from);
  walk(d, (n) => {
    if (n.kind === 'CallStmt' && n.target) calls.set(from, [...(calls.get(from) ?? []), n.target.text]);
  });
}
const reached = new Map<string, Set<string>>();
for (const method of subs.filter((s) => builtinSubroutine(s))) {
  const stack = [method];
  while (stack.length) {
    const s = stack.pop()!;
    const set = reached.get(s) ?? new Set<string>();
    if (set.has(method)) continue;
    set.add(method);
    reached.set(s, set);
    stack.push(...(calls.get(s) ?? []));
  }
}
const table = [...new Set(subs)].sort().map((name) => ({
  name,
  reachedFrom: [...(reached.get(name) ?? [])].sort(),
  calls: [...new Set(calls.get(name) ?? [])].sort(),
}));
writeFileSync(out, `${JSON.stringify(table, null, 2)}\n`);
console.log(`${out}: ${table.length} subs`);
