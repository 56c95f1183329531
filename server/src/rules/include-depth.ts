/** `include-depth`: includes nested deeper than the analysis follows; the files beyond it are not checked. */
import type { Rule } from './rule.js';

export const includeDepthRule: Rule = {
  id: 'include-depth',
  defaultSeverity: 'warning',
  description: 'Includes nested so deep that the files beyond the limit are not analysed.',
  check: (ctx) => ctx.includeProblems.filter((p) => p.kind === 'depth').map((p) => ({ ...p.span, message: p.message })),
};
