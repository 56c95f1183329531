/**
 * `deprecated-variable`: a variable the selected release's manual calls
 * deprecated: `req.ttl` in Vinyl Cache 9.0 (an alias of `req.max_age`, to be
 * removed), `beresp.storage_hint` under `vcl 4.0`. The program compiles
 * today; the next release may refuse it. Where the replacement means the
 * same (`req.ttl` -> `req.max_age`), a fix writes it.
 */
import type { Finding, Rule } from './rule.js';
import { productName } from '../facts/versions.js';
import { own } from '../text/own.js';

/** Deprecated names and the name that means the same in the releases that deprecate them. */
const SAME_AS: Readonly<Record<string, string>> = { 'req.ttl': 'req.max_age' };

export const deprecatedVariableRule: Rule = {
  id: 'deprecated-variable',
  defaultSeverity: 'info',
  description: "A variable the selected release's manual calls deprecated (req.ttl in 9.0, beresp.storage_hint under vcl 4.0).",
  check(ctx) {
    const model = ctx.semantic();
    const release = productName(model.facts.release);
    const out: Finding[] = [];
    for (const use of model.variableUses) {
      if (!use.fact.deprecated) continue;
      const lower = use.name.toLowerCase();
      const same = own(SAME_AS, lower);
      const finding: Finding = {
        file: use.file,
        start: use.span.start,
        end: use.span.end,
        message: `'${use.name}' is deprecated in ${release}${same ? `: it is another name for ${same}, which it will give way to. Write ${same}.` : ', and a later release may refuse it.'}`,
      };
      if (same) finding.fixes = [{ title: `Write ${same}`, edits: [{ start: use.span.start, end: use.span.end, newText: same }] }];
      out.push(finding);
    }
    return out;
  },
};
