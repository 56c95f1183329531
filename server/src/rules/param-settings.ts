/**
 * Shared by `param-unknown` and `param-invalid`: validates every `-p` /
 * `param.set` of each command in order, as varnishd does at start-up
 * (relations such as thread_pool_min <= thread_pool_max depend on order).
 */
import type { ParamsCommand, ParamSetting } from '../params/model.js';
import { validateSettings, type IndexedProblem } from '../params/validate.js';

export interface SettingProblem {
  setting: ParamSetting;
  problem: IndexedProblem;
}

const cache = new WeakMap<ParamsCommand, SettingProblem[]>();

/** Problems of one command's settings; values the shell fills in at run time are skipped. */
export function settingProblems(command: ParamsCommand): SettingProblem[] {
  let out = cache.get(command);
  if (!out) {
    const settings = command.settings.filter((s) => !s.unresolved);
    out = validateSettings(settings.map((s) => [s.name, s.value] as const)).map((problem) => ({ setting: settings[problem.index]!, problem }));
    cache.set(command, out);
  }
  return out;
}
