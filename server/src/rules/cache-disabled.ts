/**
 * `cache-disabled`: `vcl_recv` passes or pipes every request, so Varnish
 * caches nothing. Found when a `return (pass)` or `return (pipe)` stands at
 * the top level of vcl_recv (in no `if`) before any other `return`, and no
 * sub called before it can return. Often a debugging line left in, or a
 * setup that only needs a proxy; information, as it may be meant.
 */
import type * as A from '../syntax/ast.js';
import { walk } from '../syntax/walk.js';
import type { Finding, Rule } from './rule.js';

export const cacheDisabledRule: Rule = {
  id: 'cache-disabled',
  defaultSeverity: 'info',
  description: 'vcl_recv passes or pipes every request: nothing is cached.',
  check(ctx) {
    // vcl_recv parts in other files may run first and return: judge only programs seen whole.
    if (ctx.isIncluded || ctx.semantic().lookup('vcl_recv').some((d) => d.file !== '')) return [];
    const subs = new Map<string, A.SubDecl[]>();
    for (const d of ctx.parse.ast.declarations) {
      if (d.kind !== 'SubDecl' || !d.name) continue;
      // Pushed, not copied: a program of thousands of subs of one name would copy the list once per sub.
      const list = subs.get(d.name.text);
      if (list) list.push(d);
      else subs.set(d.name.text, [d]);
    }
    // Several `sub vcl_recv` run one after the other, in the order written.
    for (const recv of subs.get('vcl_recv') ?? []) {
      for (const st of recv.body?.statements ?? []) {
        if (st.kind === 'ReturnStmt') {
          const action = st.action?.text;
          if (action !== 'pass' && action !== 'pipe') return [];
          const what = action === 'pass' ? 'passed to the backend' : 'piped to the backend';
          return [{
            start: st.start,
            end: st.end,
            message: `Every request is ${what} here, before vcl_recv can return anything else: Varnish caches nothing. If that is meant for some requests only, put the return in an 'if'.`,
          }];
        }
        // Included text or inline C may return too.
        if (st.kind === 'IncludeDecl' || st.kind === 'InlineC' || mayReturn(st, subs, new Set())) return [];
      }
    }
    return [];
  },
};

/** True when running `st` can end vcl_recv: a return in it, or in a sub it calls. */
function mayReturn(st: A.Statement, subs: Map<string, A.SubDecl[]>, seen: Set<string>): boolean {
  let found = false;
  walk(st, (n) => {
    if (found) return false;
    if (n.kind === 'ReturnStmt') {
      found = true;
      return false;
    }
    if (n.kind === 'CallStmt' && n.target && !seen.has(n.target.text)) {
      seen.add(n.target.text);
      // A sub we cannot see (another file) may return: assume it does.
      const defs = subs.get(n.target.text);
      if (!defs || defs.some((d) => d.body && d.body.statements.some((s) => mayReturn(s, subs, seen)))) found = true;
    }
    return undefined;
  });
  return found;
}
