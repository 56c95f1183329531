/**
 * VCL 3 variable spellings and their VCL 4 names. Some renames hold
 * everywhere (`req.request` is `req.method`); others depend on the
 * subroutine, because VCL 4 split the client and backend sides: in VCL 3's
 * `vcl_fetch` the request was `req` and the response being fetched `obj`
 * or `beresp`, in `vcl_error` the error page was `obj`, and `vcl_deliver`
 * could read `obj.status`, `obj.response` and `obj.http.*`, which VCL 4
 * only has as `resp.*` there (varnishd 7.1 still lets vcl_deliver read
 * obj.hits, obj.ttl, obj.age, obj.grace, obj.keep, obj.storage, obj.time,
 * obj.can_esi and obj.uncacheable, which stay).
 */
import { own } from '../text/own.js';

/** Renamed in every subroutine. */
const everywhere: Record<string, string> = {
  'req.request': 'req.method',
  'bereq.request': 'bereq.method',
  'req.backend': 'req.backend_hint',
  'obj.response': 'obj.reason',
  'resp.response': 'resp.reason',
  'beresp.response': 'beresp.reason',
};

/** Per VCL 3 subroutine: variable prefix (or whole name) -> its VCL 4 spelling there. */
const bySub: Record<string, Record<string, string>> = {
  // vcl_fetch became vcl_backend_response, where the request is bereq and the response beresp.
  vcl_fetch: {
    'req.url': 'bereq.url',
    'req.method': 'bereq.method',
    'req.request': 'bereq.method',
    'req.proto': 'bereq.proto',
    'req.xid': 'bereq.xid',
    'req.backend': 'bereq.backend',
    'req.backend_hint': 'bereq.backend',
    'req.http.': 'bereq.http.',
    'obj.ttl': 'beresp.ttl',
    'obj.grace': 'beresp.grace',
    'obj.keep': 'beresp.keep',
    'obj.status': 'beresp.status',
    'obj.response': 'beresp.reason',
    'obj.reason': 'beresp.reason',
    'obj.proto': 'beresp.proto',
    'obj.http.': 'beresp.http.',
  },
  // vcl_error became vcl_synth, where the page being built is resp.
  vcl_error: {
    'obj.status': 'resp.status',
    'obj.response': 'resp.reason',
    'obj.reason': 'resp.reason',
    'obj.proto': 'resp.proto',
    'obj.http.': 'resp.http.',
  },
  vcl_deliver: {
    'obj.status': 'resp.status',
    'obj.response': 'resp.reason',
    'obj.reason': 'resp.reason',
    'obj.proto': 'resp.proto',
    'obj.http.': 'resp.http.',
  },
};

/**
 * The VCL 4 spelling of variable `name` used in subroutine `sub` (as
 * written, e.g. `vcl_fetch`), or undefined when it needs no change.
 */
export function vcl4VariableName(sub: string, name: string): string | undefined {
  // Names from the user's text: a table's own entries only (see text/own.ts).
  const table = own(bySub, sub);
  if (table) {
    const exact = own(table, name);
    if (exact) return exact;
    const dot = name.indexOf('.', name.indexOf('.') + 1);
    // `req.http.X-Foo`: the table holds the prefix `req.http.`.
    const prefix = dot > 0 ? own(table, name.slice(0, dot + 1)) : undefined;
    if (prefix && name.length > dot + 1) return prefix + name.slice(dot + 1);
  }
  return own(everywhere, name);
}

/** True when the rename of `name` in `sub` depends on the subroutine (not one of the global renames). */
export function isSubSpecificRename(sub: string, name: string): boolean {
  const to = vcl4VariableName(sub, name);
  return to !== undefined && to !== own(everywhere, name);
}
