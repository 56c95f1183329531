/**
 * `include-glob`: `include +glob "pattern"` with a relative pattern that
 * does not start with `./`. Varnish 7.0 to 7.6 look such a pattern up along
 * `vcl_path`; from 7.7 the compiler refuses it ("+glob can only be used
 * with absolute paths or relative paths starting with './'", checked with
 * varnishd 7.7 and Vinyl Cache 9.0; 7.1 still searched).
 */
import type * as A from '../syntax/ast.js';
import type { Finding, Rule } from './rule.js';
import { allIncludesOf } from '../analysis/include-tree.js';
import { atLeast, productName } from '../facts/versions.js';

/** The first release that refuses a relative glob pattern without `./`. */
export const GLOB_PATH_RULE_SINCE = '7.7';

export const includeGlobRule: Rule = {
  id: 'include-glob',
  defaultSeverity: 'error',
  description: "An 'include +glob' whose relative pattern does not start with './', which Varnish 7.7 and later refuse.",
  check(ctx) {
    const release = ctx.varnishVersion;
    if (!atLeast(release, GLOB_PATH_RULE_SINCE)) return [];
    const out: Finding[] = [];
    // The include tree's kept search of each declaration, not a walk of every node of the program.
    for (const n of allIncludesOf(ctx.parse.ast)) {
      if (n.flag?.text !== 'glob' || !n.path) continue;
      const pattern = n.path.value;
      if (pattern.startsWith('/') || pattern.startsWith('./') || pattern === '') continue;
      const at = n.path.start + opening(n.path);
      out.push({
        start: n.path.start,
        end: n.path.end,
        message: `+glob can only be used with absolute paths or relative paths starting with './' (${productName(release)} no longer searches vcl_path for a glob pattern). Write "./${pattern}" for files beside this one, or give the absolute path.`,
        // The files then come from this file's folder, not from vcl_path: offered, never applied alone.
        fixes: [{ title: `Write "./${pattern}" (the files beside this one)`, edits: [{ start: at, end: at, newText: './' }], manual: true }],
      });
    }
    return out;
  },
};

/** How many characters open the literal: `"`, `{"` or `"""`. */
function opening(s: A.StringLiteral): number {
  return s.style === '"' ? 1 : s.style === '{"' ? 2 : 3;
}
