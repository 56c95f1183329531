/**
 * Generates server/src/facts/builtin-vcl.json from the builtin.vcl of each
 * checked release (`varnishd -x builtin` of 6.5, 7.1, 7.7 and 9.0): each sub
 * it defines, the built-in methods from which that sub runs, the subs it
 * calls and the actions it returns, written once with the releases it holds in (`since`/`until`).
 * Run after `npm run compile-tests`: `node out/scripts/gen-builtin-vcl.js [OUT]`;
 * the texts come from $VARNISH_VERSIONS_DIR or ../shared/varnish-versions.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from '../server/src/syntax/parse.js';
import { walk } from '../server/src/syntax/walk.js';
import { builtinSubroutineOfAnyRelease } from '../server/src/facts/index.js';
import { compareVersions } from '../server/src/facts/versions.js';
import { projectRoot } from '../test/conformance/corpus.js';

const versionsDir = process.env['VARNISH_VERSIONS_DIR'] ?? join(projectRoot, '../shared/varnish-versions');
const out = process.argv[2] ?? join(projectRoot, 'server/src/facts/builtin-vcl.json');

/** The releases whose builtin.vcl is read, oldest first. */
const CHECKED = ['6.5', '7.1', '7.7', '9.0'];

/**
 * The release that made each change seen between two checked releases'
 * builtin.vcl (Varnish's change records, the shared FACTS.md): by sub name,
 * else the release every other change between those two dates from. A
 * change not placed here stops the script.
 */
const CHANGED_IN: Record<string, string | string[]> = {
  // 7.7 -> 9.0: the refresh subs of vcl_backend_refresh.
  vcl_backend_refresh: '8.0',
  vcl_builtin_backend_refresh: '8.0',
  vcl_refresh_valid: '8.0',
  vcl_refresh_conditions: '8.0',
  vcl_refresh_status: '8.0',
  // 7.7 -> 9.0: an unknown method gets synth(501), no longer pipe (8.0).
  vcl_req_method: '8.0',
  // 7.1 -> 7.7: Range check first in the backend response.
  vcl_beresp_range: '7.6',
  vcl_builtin_backend_response: '7.6',
  // 7.1 -> 7.7: URL check (Debian's 7.7 package, which the 7.7 compiler
  // here is, carries it as a security patch; upstream has it from 9.0).
  vcl_req_url: '7.7',
  vcl_builtin_recv: '7.7',
};
/** 6.5 -> 7.1: the split into vcl_builtin_* subs and their helpers came in 6.6. */
const INTERVAL_DEFAULT: Record<string, string> = { '7.1': '6.6' };

interface Sub {
  name: string;
  reachedFrom: string[];
  calls: string[];
  returns: string[];
  since?: string;
  until?: string;
}

function subsOf(version: string): Sub[] {
  const file = join(versionsDir, `${version}-builtin.vcl`);
  const { ast, errors } = parse(readFileSync(file, 'utf8'));
  if (errors.length) throw new Error(`${file} does not parse: ${errors[0]!.message}`);
  const calls = new Map<string, string[]>();
  const returns = new Map<string, string[]>();
  const subs: string[] = [];
  for (const d of ast.declarations) {
    if (d.kind !== 'SubDecl' || !d.name) continue;
    const from = d.name.text;
    subs.push(from);
    walk(d, (n) => {
      if (n.kind === 'CallStmt' && n.target) calls.set(from, [...(calls.get(from) ?? []), n.target.text]);
      if (n.kind === 'ReturnStmt' && n.action) returns.set(from, [...(returns.get(from) ?? []), n.action.text]);
    });
  }
  const reached = new Map<string, Set<string>>();
  for (const method of subs.filter((s) => builtinSubroutineOfAnyRelease(s))) {
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
  return [...new Set(subs)].sort().map((name) => ({
    name,
    reachedFrom: [...(reached.get(name) ?? [])].sort(),
    calls: [...new Set(calls.get(name) ?? [])].sort(),
    returns: [...new Set(returns.get(name) ?? [])].sort(),
  }));
}

/** The release in (older, newer] that changed `name`. */
function changedIn(name: string, older: string, newer: string): string {
  const inInterval = (v: string | undefined) => v !== undefined && compareVersions(v, older) > 0 && compareVersions(v, newer) <= 0;
  const at = [CHANGED_IN[name] ?? []].flat().find(inInterval) ?? INTERVAL_DEFAULT[newer];
  if (!inInterval(at)) {
    throw new Error(`builtin.vcl: ${name} changed between ${older} and ${newer}; CHANGED_IN does not place it there`);
  }
  return at!;
}

const perVersion = CHECKED.map((v) => new Map(subsOf(v).map((s) => [s.name, s])));
const names = [...new Set(perVersion.flatMap((m) => [...m.keys()]))].sort();
const same = (a: Sub | undefined, b: Sub | undefined) => JSON.stringify(a) === JSON.stringify(b);
const table: Sub[] = [];
for (const name of names) {
  const seq = perVersion.map((m) => m.get(name));
  for (let i = 0; i < seq.length; ) {
    if (!seq[i]) {
      i++;
      continue;
    }
    let j = i;
    while (j + 1 < seq.length && same(seq[j + 1], seq[i])) j++;
    const entry: Sub = { ...seq[i]! };
    if (i > 0) entry.since = changedIn(name, CHECKED[i - 1]!, CHECKED[i]!);
    if (j < seq.length - 1) entry.until = changedIn(name, CHECKED[j]!, CHECKED[j + 1]!);
    table.push(entry);
    i = j + 1;
  }
}
writeFileSync(out, `${JSON.stringify(table, null, 2)}\n`);
console.log(`${out}: ${table.length} entries, ${names.length} subs over ${CHECKED.join(', ')}`);
