/**
 * `param-unknown`: a parameter name the selected release's varnishd does
 * not know; it refuses to start. A name another release knows says which.
 */
import type { Finding } from './rule.js';
import type { ParamsRule } from './params-rule.js';
import { settingProblems } from './param-settings.js';

export const paramUnknownRule: ParamsRule = {
  id: 'param-unknown',
  defaultSeverity: 'error',
  description: 'A parameter name the selected Varnish version does not know; varnishd refuses to start.',
  check(ctx) {
    const out: Finding[] = [];
    for (const command of ctx.file.commands) {
      for (const { setting, problem } of settingProblems(command, ctx.version)) {
        if (problem.rule !== 'param-unknown') continue;
        const f: Finding = { ...setting.nameSpan, message: problem.message };
        if (problem.suggestion) f.fixes = [{ title: `Change to '${problem.suggestion}'`, edits: [{ ...setting.nameSpan, newText: problem.suggestion }] }];
        out.push(f);
      }
    }
    return out;
  },
};
