/**
 * `resp-too-many-headers` on a parameter file: a varnishlog capture of the
 * same run (or editor workspace) proved that a backend response had more
 * header lines than `http_max_hdr` allows, so the fetch failed with
 * "503 Backend fetch failed". The id is the 503 doctor's cause id, as
 * `no-backend` is shared by the VCL rule and the cause: the same fault,
 * reported where it is fixed. Silent without such a capture, since how many
 * headers a backend sends is not in the parameter file.
 */
import type { ParamsCommand, ParamSetting } from '../params/model.js';
import { newSettingText } from '../params/model.js';
import { paramFact } from '../facts/params.js';
import { productName } from '../facts/versions.js';
import type { Finding } from './rule.js';
import type { ParamsRule } from './params-rule.js';

const PARAM = 'http_max_hdr';

/** The last resolved setting of http_max_hdr in a command (the one varnishd keeps). */
function settingOf(command: ParamsCommand): ParamSetting | undefined {
  return [...command.settings].reverse().find((s) => s.name === PARAM && !s.unresolved);
}

export const respTooManyHeadersParamsRule: ParamsRule = {
  id: 'resp-too-many-headers',
  defaultSeverity: 'warning',
  description: 'A varnishlog capture shows a backend response with more header lines than http_max_hdr: raise it where varnishd gets it.',
  check(ctx) {
    const observed = ctx.observedTooManyHeaders;
    if (!observed) return [];
    const out: Finding[] = [];
    const fallback = paramFact(PARAM, ctx.version)?.default.value;
    for (const command of ctx.file.commands) {
      const setting = settingOf(command);
      const value = setting ? (/^\s*\d+\s*$/.test(setting.value) ? Number(setting.value) : undefined) : typeof fallback === 'number' ? fallback : undefined;
      // An invalid value is param-invalid's to report.
      if (value === undefined || value >= observed.need) continue;
      const at = setting ? setting.valueSpan : command.span;
      const edit = setting
        ? { ...setting.valueSpan, newText: String(observed.need) }
        : { start: command.insertAt.offset, end: command.insertAt.offset, newText: newSettingText(command.insertAt, PARAM, String(observed.need)) };
      out.push({
        ...at,
        message: `${observed.why}, but ${PARAM} is ${value}${setting ? '' : ` (${productName(ctx.version)}'s default)`}: Varnish answers '503 Backend fetch failed' for such responses. Raise ${PARAM} to at least ${observed.need}.`,
        fixes: [{ title: `Raise ${PARAM} to ${observed.need}`, edits: [edit] }],
      });
    }
    return out;
  },
};
