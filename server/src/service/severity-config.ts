/**
 * Rule levels from configuration (`vcl.lint.rules` in the editor, `rules`
 * in .vcl-lint.json): `{ "<rule id>": "off" | "hint" | "info" | "warning" | "error" }`.
 */
import type { LintDiagnostic, Severity } from './types.js';

export type RuleLevel = Severity | 'off';
export type RuleLevels = Readonly<Record<string, RuleLevel>>;

const LEVELS = new Set<RuleLevel>(['off', 'hint', 'info', 'warning', 'error']);

/** Applies configured levels: `off` drops a rule's diagnostics, a severity replaces theirs. */
export function applyRuleLevels(diagnostics: LintDiagnostic[], levels: RuleLevels | undefined): LintDiagnostic[] {
  if (!levels) return diagnostics;
  const out: LintDiagnostic[] = [];
  for (const d of diagnostics) {
    const level = levels[d.rule];
    if (level === 'off') continue;
    out.push(level && LEVELS.has(level) ? { ...d, severity: level } : d);
  }
  return out;
}

/** Problems with a configured levels object: unknown rule ids and unknown levels. */
export function checkRuleLevels(levels: unknown, knownIds: ReadonlySet<string>): { levels: Record<string, RuleLevel>; warnings: string[] } {
  const warnings: string[] = [];
  const out: Record<string, RuleLevel> = {};
  if (levels === undefined || levels === null) return { levels: out, warnings };
  if (typeof levels !== 'object' || Array.isArray(levels)) return { levels: out, warnings: ['rules must be an object of rule id to level'] };
  for (const [id, level] of Object.entries(levels as Record<string, unknown>)) {
    if (!knownIds.has(id)) {
      warnings.push(`unknown rule '${id}' in rules (ignored)`);
      continue;
    }
    if (typeof level !== 'string' || !LEVELS.has(level as RuleLevel)) {
      warnings.push(`rule '${id}': level must be one of off, hint, info, warning, error (ignored)`);
      continue;
    }
    out[id] = level as RuleLevel;
  }
  return { levels: out, warnings };
}
