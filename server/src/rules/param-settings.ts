/**
 * Shared by `param-unknown` and `param-invalid`: validates every `-p` /
 * `param.set` of each command in order, as varnishd does at start-up
 * (relations such as thread_pool_min <= thread_pool_max depend on order).
 */
import type { ParamsCommand, ParamSetting } from '../params/model.js';
import { validateSettings, type IndexedProblem } from '../params/validate.js';
import type { VarnishVersion } from '../facts/versions.js';

export interface SettingProblem {
  setting: ParamSetting;
  problem: IndexedProblem;
}

const cache = new WeakMap<ParamsCommand, { version: VarnishVersion; problems: SettingProblem[] }>();

/** Problems of one command's settings as `version` reads them; values the shell fills in at run time are skipped. */
export function settingProblems(command: ParamsCommand, version: VarnishVersion): SettingProblem[] {
  const known = cache.get(command);
  if (known?.version === version) return known.problems;
  const settings = command.settings.filter((s) => !s.unresolved);
  const problems = validateSettings(settings.map((s) => [s.name, s.value] as const), { version }).map((problem) => ({ setting: settings[problem.index]!, problem }));
  cache.set(command, { version, problems });
  return problems;
}
