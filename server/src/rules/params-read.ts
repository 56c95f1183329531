/** `params-read`: the file itself could not be read as a varnishd command (unbalanced quote, no ExecStart, ...). */
import type { ParamsRule } from './params-rule.js';

export const paramsReadRule: ParamsRule = {
  id: 'params-read',
  defaultSeverity: 'warning',
  description: 'The parameter file could not be fully read as a varnishd command line.',
  check: (ctx) => ctx.file.problems.map((p) => ({ ...p.span, message: p.message, severity: p.severity === 'info' ? 'info' : p.severity })),
};
