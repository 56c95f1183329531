/** `include-missing`: an include whose file cannot be found; varnishd refuses the VCL. */
import type { Rule } from './rule.js';

export const includeMissingRule: Rule = {
  id: 'include-missing',
  defaultSeverity: 'error',
  description: 'An included file that cannot be found on the include path.',
  check: (ctx) => ctx.includeProblems.filter((p) => p.kind === 'missing').map((p) => ({ ...p.span, message: p.message })),
};
