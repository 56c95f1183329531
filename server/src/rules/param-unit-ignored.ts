/**
 * `param-unit-ignored`: a duration written with a unit that Varnish 7.0 and
 * 7.1 silently ignore (`first_byte_timeout=2m` is 2 seconds, `100ms` is 100
 * seconds). varnishd starts, but with a value nobody meant. 6.x refuses such
 * values (param-invalid) and 7.2 and later read the unit, so the rule is
 * silent for them.
 */
import type { Finding } from './rule.js';
import type { ParamsRule } from './params-rule.js';
import { settingNote } from '../params/validate.js';

export const paramUnitIgnoredRule: ParamsRule = {
  id: 'param-unit-ignored',
  defaultSeverity: 'warning',
  description: 'A duration parameter written with a unit that Varnish 7.0 and 7.1 ignore, so the value means something else.',
  check(ctx) {
    const out: Finding[] = [];
    for (const command of ctx.file.commands) {
      for (const s of command.settings) {
        if (s.unresolved) continue;
        const note = settingNote(s.name, s.value, ctx.version);
        if (!note) continue;
        const f: Finding = { ...s.valueSpan, message: note.message };
        if (note.suggestion !== undefined) f.fixes = [{ title: `Write ${note.suggestion} seconds`, edits: [{ ...s.valueSpan, newText: note.suggestion }] }];
        out.push(f);
      }
    }
    return out;
  },
};
