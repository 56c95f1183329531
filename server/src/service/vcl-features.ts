/**
 * Navigation in VCL: the outline (document symbols), folding ranges, go to
 * definition and find references for subs, backends, probes, ACLs and vmod
 * objects — across the files of an include tree when the analysis has one.
 */
import { describeVersions, isVarnishVersion, productName, releaseOf, versionsIn } from '../facts/versions.js';
import { parse, type ParseResult } from '../syntax/parse.js';
import type * as A from '../syntax/ast.js';
import { walkStatements, type StatementNode } from '../syntax/walk.js';
import type { Definition, SemanticModel } from '../analysis/semantic-model.js';
import { LineIndex } from '../text/line-index.js';
import type { Range } from './types.js';

export type SymbolKindName = 'function' | 'class' | 'interface' | 'constant' | 'module' | 'object' | 'namespace';

export interface OutlineSymbol {
  name: string;
  detail: string;
  kind: SymbolKindName;
  range: Range;
  selectionRange: Range;
}

/** Top-level declarations of a VCL text (parsed already, or parsed here), for the outline. */
export function documentSymbols(text: string, parsed: ParseResult = parse(text)): OutlineSymbol[] {
  const index = new LineIndex(text);
  const out: OutlineSymbol[] = [];
  for (const d of parsed.ast.declarations) {
    const named = (name: A.Name | undefined, kind: SymbolKindName, detail: string) => {
      if (name?.text) out.push({ name: name.text, detail, kind, range: index.range(d.start, d.end), selectionRange: index.range(name.start, name.end) });
    };
    switch (d.kind) {
      case 'SubDecl': named(d.name, 'function', 'sub'); break;
      case 'BackendDecl': named(d.name, 'class', d.none ? 'backend none' : 'backend'); break;
      case 'ProbeDecl': named(d.name, 'interface', 'probe'); break;
      case 'AclDecl': named(d.name, 'constant', 'acl'); break;
      case 'ImportDecl': named(d.alias ?? d.name, 'module', 'import'); break;
      default: break;
    }
  }
  return out;
}

export interface Fold {
  startLine: number;
  endLine: number;
  kind?: 'comment';
}

/** Folding ranges: declarations, blocks and multi-line comments. */
export function foldingRanges(text: string, parsed: ParseResult = parse(text)): Fold[] {
  const index = new LineIndex(text);
  const out: Fold[] = [];
  const add = (span: A.Span, kind?: 'comment') => {
    const a = index.position(span.start).line;
    const b = index.position(Math.max(span.start, span.end - 1)).line;
    if (b > a) out.push(kind ? { startLine: a, endLine: b, kind } : { startLine: a, endLine: b });
  };
  for (const d of parsed.ast.declarations) add(d);
  // Every nested block folds: bare blocks, if branches' bodies, else bodies.
  const visit = (s: StatementNode) => {
    if (s.kind === 'Block') add(s);
  };
  for (const d of parsed.ast.declarations) if (d.kind === 'SubDecl' && d.body) walkStatements(d.body, undefined, visit);
  for (const c of parsed.ast.comments) if (c.style === '/*') add(c, 'comment');
  return out;
}

/** A place in a file: '' is the document itself, otherwise a path of its include tree. */
export interface Place {
  file: string;
  start: number;
  end: number;
}

/** The definition of the symbol at `offset` (a sub, backend, probe, ACL or object name), if any. */
export function findDefinition(model: SemanticModel, selfId: string, offset: number): Place | undefined {
  const def = symbolAt(model, selfId, offset);
  return def ? { file: def.file, start: def.nameSpan.start, end: def.nameSpan.end } : undefined;
}

/** The definition and every reference of the symbol at `offset`. */
export function findReferences(model: SemanticModel, selfId: string, offset: number): Place[] {
  const def = symbolAt(model, selfId, offset);
  if (!def) return [];
  const places: Place[] = [{ file: def.file, start: def.nameSpan.start, end: def.nameSpan.end }];
  for (const r of model.references) if (r.target === def) places.push({ file: r.file, start: r.span.start, end: r.span.end });
  return places;
}

/** The definition named at `offset` of the document `selfId`: by its own name or by a reference to it. */
export function symbolAt(model: SemanticModel, selfId: string, offset: number): Definition | undefined {
  const within = (s: { start: number; end: number }) => offset >= s.start && offset <= s.end;
  const def = model.definitions.find((d) => d.file === selfId && within(d.nameSpan));
  if (def) return def;
  return model.references.find((r) => r.file === selfId && r.target && within(r.span))?.target;
}

/** Markdown describing what is under `offset` in VCL: a variable, a vmod function or a symbol. */
export function vclHover(model: SemanticModel, selfId: string, offset: number): { contents: string; start: number; end: number } | undefined {
  const within = (s: { start: number; end: number }) => offset >= s.start && offset <= s.end;
  const use = model.variableUses.find((u) => u.file === selfId && within(u.span));
  if (use) {
    const f = use.fact;
    const list = (xs: readonly string[]) => (xs.length ? xs.join(', ') : '—');
    const lines = [
      `**${use.name}** — \`${f.type}\`${f.family ? ` (any header: ${f.name}NAME)` : ''}`,
      '',
      `Read in: ${list(f.readable)}`,
      `Set in: ${list(f.writable)}`,
      `Unset in: ${list(f.unsettable)}`,
    ];
    if (f.deprecated) lines.push('', 'Deprecated.');
    // Which release the answer is for, and, for a variable that changed, the releases of this form.
    const release = model.facts.release;
    const derived = isVarnishVersion(release) && releaseOf(release).evidence === 'derived' ? ' (derived from the checked releases)' : '';
    const span = f.since !== undefined || f.until !== undefined ? `; this form exists ${describeVersions(versionsIn(f))}` : '';
    lines.push('', `As in ${productName(release)}${derived}${span}.`);
    return { contents: lines.join('  \n'), start: use.span.start, end: use.span.end };
  }
  const def = symbolAt(model, selfId, offset);
  if (def) {
    const where = def.file === selfId ? '' : ` (in ${def.file.split('/').pop()})`;
    const span = def.nameSpan;
    return { contents: `**${def.kind} ${def.name}**${where}`, start: def.file === selfId && within(span) ? span.start : offset, end: def.file === selfId && within(span) ? span.end : offset };
  }
  return undefined;
}
