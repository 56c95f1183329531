/**
 * `return-action-removed`: `return (miss)` and `return (fetch)` in vcl_hit,
 * from Varnish 4.x and 6.0 VCL (Magento 2.3/2.4 exports among them).
 * `fetch` there was renamed `miss` in Varnish 4.1 and dropped in 5.0;
 * `miss` was removed in 6.2 (6.0 LTS still has it). Varnish 7.1 refuses
 * both ("Expected return action name.", "Invalid return "fetch"").
 *
 * What the author wanted is a fresh copy of the object fetched from the
 * backend and cached in place of the stale one. `return (pass)` would fetch
 * it but not cache it, so the stale object stays and every request passes
 * until it leaves grace. The rewrite Varnish's 6.2 notes give keeps the
 * intent: restart from vcl_hit with a marker, and in vcl_recv turn the
 * marked restart into a forced miss (`req.hash_always_miss`), which fetches
 * and caches the new object. The marker is dropped from every request that
 * is not a restart, so a client cannot force misses by sending it.
 */
import type * as A from '../syntax/ast.js';
import { walk } from '../syntax/walk.js';
import type { Finding, OffsetEdit, Rule } from './rule.js';
import { lineStartAt, endsWithLineBreak } from '../text/line-breaks.js';

/** The request header that carries "vcl_hit wanted a miss" across the restart. */
export const HIT_MISS_MARKER = 'X-Hit-Miss';

export const returnActionRemovedRule: Rule = {
  id: 'return-action-removed',
  defaultSeverity: 'error',
  description: "A return action of older Varnish versions that 6.2 and later refuse: 'return (miss)' or 'return (fetch)' in vcl_hit.",
  check(ctx) {
    const out: Finding[] = [];
    const decls = ctx.parse.ast.declarations;
    for (const d of decls) {
      if (d.kind !== 'SubDecl' || d.name?.text !== 'vcl_hit' || !d.body) continue;
      walk(d.body, (n) => {
        if (n.kind !== 'ReturnStmt') return undefined;
        const action = n.action?.text;
        if (n.action && (action === 'miss' || action === 'fetch') && !n.args) {
          const history =
            action === 'miss'
              ? "'return (miss)' in vcl_hit was removed in Varnish 6.2 (6.0 LTS still had it)"
              : "'return (fetch)' in vcl_hit is Varnish 4.0's spelling of 'return (miss)' (gone since 5.0), which was itself removed in 6.2";
          out.push({
            start: n.action.start,
            end: n.action.end,
            message: `${history}. To fetch and cache a fresh object, restart and force a miss in vcl_recv (set req.hash_always_miss); 'return (pass)' would fetch without caching, so the stale object would keep being passed.`,
            fixes: [{ title: 'Restart and force a miss in vcl_recv (req.hash_always_miss)', edits: rewrite(ctx.text, n, decls) }],
          });
        }
        return false;
      });
    }
    return out;
  },
};

/** `return (miss);` -> marker + `return (restart);`, and the marker's check at the top of vcl_recv (once). */
function rewrite(text: string, r: A.ReturnStmt, decls: A.Declaration[]): OffsetEdit[] {
  const edits: OffsetEdit[] = [{ start: r.start, end: r.end, newText: `set req.http.${HIT_MISS_MARKER} = "1"; return (restart);` }];
  const recv = decls.find((d): d is A.SubDecl => d.kind === 'SubDecl' && d.name?.text === 'vcl_recv' && !!d.body);
  // The marker counts only on a restart: a client that sends the header itself must not force misses.
  const check = (indent: string) =>
    `${indent}if (req.restarts == 0) {\n${indent}    unset req.http.${HIT_MISS_MARKER};\n${indent}} elsif (req.http.${HIT_MISS_MARKER}) {\n` +
    `${indent}    unset req.http.${HIT_MISS_MARKER};\n${indent}    set req.hash_always_miss = true;\n${indent}}\n`;
  // A second finding's fix, after the first was applied, must not add the check again.
  if (recv && text.slice(recv.start, recv.end).includes(`req.http.${HIT_MISS_MARKER}`)) return edits;
  if (recv) {
    const open = recv.body!.start + 1;
    const first = recv.body!.statements[0];
    const lineStart = first ? lineStartAt(text, first.start) : -1;
    // Above the first statement, in its indentation; right after the `{` when it shares that line.
    if (first && lineStart > open) edits.push({ start: lineStart, end: lineStart, newText: check(/^[ \t]*/.exec(text.slice(lineStart))![0]) });
    else edits.push({ start: open, end: open, newText: `\n${check('    ')}` });
  } else {
    const end = text.length;
    edits.push({ start: end, end, newText: `${endsWithLineBreak(text) ? '' : '\n'}\nsub vcl_recv {\n${check('    ')}}\n` });
  }
  return edits;
}
