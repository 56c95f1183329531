/** `include-cycle`: files that include each other; varnishd would never finish reading them. */
import type { Rule } from './rule.js';

export const includeCycleRule: Rule = {
  id: 'include-cycle',
  defaultSeverity: 'error',
  description: 'Files that include each other in a cycle.',
  check: (ctx) => ctx.includeProblems.filter((p) => p.kind === 'cycle').map((p) => ({ ...p.span, message: p.message })),
};
