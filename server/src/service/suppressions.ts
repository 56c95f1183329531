/**
 * Suppression comments in VCL:
 *
 *   # vcl-lint-disable-next-line rule-a, rule-b
 *   # vcl-lint-disable rule-a        ...   # vcl-lint-enable rule-a
 *
 * (also with `//` and `/* *\/`). Without ids they apply to every rule. A
 * suppression that silences nothing is reported as a hint, so stale ones
 * do not pile up.
 */
import type { Comment } from '../syntax/ast.js';
import type { LineIndex } from '../text/line-index.js';
import type { LintDiagnostic } from './types.js';

interface Directive {
  kind: 'next-line' | 'disable' | 'enable';
  rules: string[] | undefined;
  line: number;
  comment: Comment;
  used: boolean;
}

const DIRECTIVE = /vcl-lint-(disable-next-line|disable|enable)\b([^*\n]*)/;

function directives(comments: readonly Comment[], index: LineIndex): Directive[] {
  const out: Directive[] = [];
  for (const c of comments) {
    const m = DIRECTIVE.exec(c.text);
    if (!m) continue;
    const ids = m[2]!.split(/[\s,]+/).filter(Boolean);
    out.push({ kind: m[1] === 'disable-next-line' ? 'next-line' : (m[1] as 'disable' | 'enable'), rules: ids.length ? ids : undefined, line: index.position(c.start).line, comment: c, used: false });
  }
  return out;
}

const covers = (d: Directive, rule: string) => !d.rules || d.rules.includes(rule);

/** Removes suppressed diagnostics and adds a hint for each suppression that silenced nothing. */
export function applySuppressions(diagnostics: LintDiagnostic[], comments: readonly Comment[], index: LineIndex): LintDiagnostic[] {
  const list = directives(comments, index);
  if (list.length === 0) return diagnostics;
  const kept: LintDiagnostic[] = [];
  for (const d of diagnostics) {
    const line = d.range.start.line;
    const next = list.find((s) => s.kind === 'next-line' && s.line === line - 1 && covers(s, d.rule));
    // The last disable/enable before the line that names this rule decides.
    let region: Directive | undefined;
    for (const s of list) if (s.kind !== 'next-line' && s.line < line && covers(s, d.rule)) region = s;
    const silencer = next ?? (region?.kind === 'disable' ? region : undefined);
    if (silencer) silencer.used = true;
    else kept.push(d);
  }
  for (const s of list) {
    if (s.used || s.kind === 'enable') continue;
    kept.push({
      rule: 'unused-suppression',
      severity: 'hint',
      message: `This vcl-lint-${s.kind === 'next-line' ? 'disable-next-line' : 'disable'} comment silences nothing${s.rules ? ` (${s.rules.join(', ')})` : ''}; remove it.`,
      range: index.range(s.comment.start, s.comment.end),
      fixes: [{ title: 'Remove the unused suppression comment', edits: [{ range: index.range(s.comment.start, s.comment.end), newText: '' }] }],
    });
  }
  return kept;
}
