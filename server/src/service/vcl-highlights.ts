/**
 * Document highlights in VCL: every occurrence, in the same document, of the
 * symbol or variable under the cursor. Variables are written where they are
 * `set` or `unset` and read elsewhere; a definition counts as a write.
 */
import type { SemanticModel } from '../analysis/semantic-model.js';
import { symbolAt } from './vcl-features.js';

/** One occurrence to highlight, and whether it reads or writes. */
export interface Highlight {
  start: number;
  end: number;
  kind: 'read' | 'write';
}

/** Occurrences in document `selfId` of what is at `offset`. */
export function documentHighlights(model: SemanticModel, selfId: string, offset: number): Highlight[] {
  const within = (s: { start: number; end: number }) => offset >= s.start && offset <= s.end;
  const use = model.variableUses.find((u) => u.file === selfId && within(u.span));
  if (use) {
    const name = use.name.toLowerCase();
    return model.variableUses
      .filter((u) => u.file === selfId && u.name.toLowerCase() === name)
      .map((u) => ({ start: u.span.start, end: u.span.end, kind: u.access === 'read' ? 'read' : 'write' }));
  }
  const def = symbolAt(model, selfId, offset);
  if (!def) return [];
  const out: Highlight[] = [];
  if (def.file === selfId) out.push({ start: def.nameSpan.start, end: def.nameSpan.end, kind: 'write' });
  for (const r of model.references) if (r.target === def && r.file === selfId) out.push({ start: r.span.start, end: r.span.end, kind: 'read' });
  return out.sort((a, b) => a.start - b.start);
}
