/**
 * Semantic tokens for VCL: what each name is, as the analysis knows it, so
 * an editor can colour a backend differently from a sub or a variable. The
 * legend (types and modifiers, in this order) is part of the protocol:
 *
 * | token type  | what |
 * |---|---|
 * | `function`  | subs, built-in functions (`regsub`) and vmod functions (`std.log`) |
 * | `class`     | backends |
 * | `interface` | probes |
 * | `enum`      | ACLs |
 * | `struct`    | vmod objects (`new d = ...`) |
 * | `namespace` | vmods (`import std;`, the `std` of `std.log`) |
 * | `variable`  | built-in variables (`req.url`); `readonly` when no sub may set them |
 * | `method`    | methods of vmod objects (`d.backend`) |
 * | `property`  | fields of backends and probes (`.host`, `.url`) |
 * | `parameter` | named arguments (`std.integer(s = ..., fallback = 0)`) |
 *
 * Modifiers: `declaration` where a name is defined, `readonly` (above),
 * `defaultLibrary` for what VCL itself provides (variables, built-in functions).
 */
import type * as A from '../syntax/ast.js';
import type { DefinitionKind, SemanticModel } from '../analysis/semantic-model.js';
import { LineIndex } from '../text/line-index.js';
import { builtinFunction } from '../facts/builtin-functions.js';
import { walk } from '../syntax/walk.js';
import { resolveCallable, type VmodScope } from './vmod-scope.js';

/** Token types, in legend order. */
export const TOKEN_TYPES = ['function', 'class', 'interface', 'enum', 'struct', 'namespace', 'variable', 'method', 'property', 'parameter'] as const;
/** Token modifiers, in legend order (bit i is modifier i). */
export const TOKEN_MODIFIERS = ['declaration', 'readonly', 'defaultLibrary'] as const;

type TokenType = (typeof TOKEN_TYPES)[number];
type Modifier = (typeof TOKEN_MODIFIERS)[number];

/** One token, by offsets. */
export interface SemanticToken {
  start: number;
  end: number;
  type: TokenType;
  modifiers: Modifier[];
}

const BY_KIND: Record<DefinitionKind, TokenType> = { sub: 'function', backend: 'class', probe: 'interface', acl: 'enum', object: 'struct', vmod: 'namespace' };

/** The tokens of document `selfId`, sorted, without overlaps. */
export function semanticTokens(model: SemanticModel, selfId: string, scope: VmodScope): SemanticToken[] {
  const out: SemanticToken[] = [];
  for (const d of model.definitions) if (d.file === selfId) out.push({ start: d.nameSpan.start, end: d.nameSpan.end, type: BY_KIND[d.kind], modifiers: ['declaration'] });
  for (const r of model.references) if (r.file === selfId && r.target) out.push({ start: r.span.start, end: r.span.end, type: BY_KIND[r.target.kind], modifiers: [] });
  for (const u of model.variableUses) {
    if (u.file !== selfId) continue;
    out.push({ start: u.span.start, end: u.span.end, type: 'variable', modifiers: u.fact.writable.length ? ['defaultLibrary'] : ['readonly', 'defaultLibrary'] });
  }
  const program = model.files.find((f) => f.file === selfId)?.program;
  if (program) {
    walk(program, (n) => {
      if (n.kind === 'Attribute' && n.name) out.push({ start: n.name.start, end: n.name.end, type: 'property', modifiers: [] });
      if (n.kind === 'CallExpr' && !n.receiver) callee(n, scope, out);
      if (n.kind === 'Argument' && n.name) out.push({ start: n.name.start, end: n.name.end, type: 'parameter', modifiers: [] });
      return undefined;
    });
  }
  out.sort((a, b) => a.start - b.start || b.end - a.end);
  // Keep the first of overlapping tokens (a definition over the same span as anything else).
  const kept: SemanticToken[] = [];
  for (const t of out) if (t.end > t.start && (kept.length === 0 || t.start >= kept[kept.length - 1]!.end)) kept.push(t);
  return kept;
}

function callee(n: A.CallExpr, scope: VmodScope, out: SemanticToken[]): void {
  const name = n.callee;
  if (builtinFunction(name.text)) {
    out.push({ start: name.start, end: name.end, type: 'function', modifiers: ['defaultLibrary'] });
    return;
  }
  const c = resolveCallable(scope, name.text);
  if (!c) return;
  // The head (`std`, `d`) is a reference already; colour the member after the dot.
  const dot = name.text.indexOf('.');
  out.push({ start: name.start + dot + 1, end: name.end, type: c.kind === 'method' ? 'method' : c.kind === 'constructor' ? 'struct' : 'function', modifiers: [] });
}

/**
 * The LSP encoding of tokens (relative lines and characters, five numbers
 * per token), keeping only those that start in `range` (offsets) if given.
 */
export function encodeSemanticTokens(text: string, tokens: readonly SemanticToken[], range?: { start: number; end: number }): number[] {
  const index = new LineIndex(text);
  const data: number[] = [];
  let line = 0;
  let char = 0;
  for (const t of tokens) {
    if (range && (t.end <= range.start || t.start >= range.end)) continue;
    const p = index.position(t.start);
    const q = index.position(t.end);
    // Names never span lines; a token that does would confuse every client.
    if (q.line !== p.line) continue;
    const type = TOKEN_TYPES.indexOf(t.type);
    let bits = 0;
    for (const m of t.modifiers) bits |= 1 << TOKEN_MODIFIERS.indexOf(m);
    data.push(p.line - line, p.line === line ? p.character - char : p.character, t.end - t.start, type, bits);
    line = p.line;
    char = p.character;
  }
  return data;
}
