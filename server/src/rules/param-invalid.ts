/** `param-invalid`: a value varnishd refuses (bad unit, bad boolean, out of range, unknown bit, order-dependent limits). */
import type { Finding } from './rule.js';
import type { ParamsRule } from './params-rule.js';
import { settingProblems } from './param-settings.js';

export const paramInvalidRule: ParamsRule = {
  id: 'param-invalid',
  defaultSeverity: 'error',
  description: 'A parameter value the selected Varnish version refuses at start-up (unit, syntax, range, limits between parameters).',
  check(ctx) {
    const out: Finding[] = [];
    for (const command of ctx.file.commands) {
      for (const { setting, problem } of settingProblems(command, ctx.version)) {
        if (problem.rule !== 'param-invalid') continue;
        const f: Finding = { ...setting.valueSpan, message: problem.message };
        if (problem.suggestion !== undefined) f.fixes = [{ title: `Change the value to '${problem.suggestion}'`, edits: [{ ...setting.valueSpan, newText: problem.suggestion }] }];
        out.push(f);
      }
    }
    return out;
  },
};
