/**
 * Where things stand in a program made of several files. varnishd reads an
 * `include` as if the included text stood in its place, so "earlier" and
 * "later" follow that flattened text; and a rule can only name a line of
 * the document it is checking, whose text it has.
 */
import type * as A from '../syntax/ast.js';
import type { FileId, SemanticModel } from '../analysis/semantic-model.js';
import type { RuleContext } from './rule.js';
import { walk } from '../syntax/walk.js';
import { LineIndex } from '../analysis/line-index.js';

/** Compares two places of the program in varnishd's reading order. */
export type PlaceOrder = (a: { file: FileId; offset: number }, b: { file: FileId; offset: number }) => number;

/**
 * The reading order of the model's files: the root's text, with each
 * included file read where its `include` stands. The model lists included
 * files in the order they were found, each once, which this walk repeats.
 * A file whose include cannot be placed goes after everything else.
 */
export function placeOrder(model: SemanticModel): PlaceOrder {
  if (model.files.length <= 1) return (a, b) => a.offset - b.offset;
  const unresolved = new Set(model.includes);
  const prefix = new Map<FileId, number[]>();
  const root = model.files[0];
  let next = 1;
  const visit = (program: A.Program, pre: number[]) => {
    walk(program, (n) => {
      if (n.kind !== 'IncludeDecl') return undefined;
      if (!n.path || n.flag || unresolved.has(n)) return false;
      const f = model.files[next];
      if (f && !prefix.has(f.file) && baseName(f.file) === baseName(n.path.value)) {
        next++;
        const here = [...pre, n.start];
        prefix.set(f.file, here);
        visit(f.program, here);
      }
      return false;
    });
  };
  if (root) {
    prefix.set(root.file, []);
    visit(root.program, []);
  }
  const index = new Map(model.files.map((f, i) => [f.file, i] as const));
  const key = (file: FileId, offset: number): number[] => {
    const pre = prefix.get(file);
    return pre ? [...pre, offset] : [Number.MAX_SAFE_INTEGER, index.get(file) ?? 0, offset];
  };
  return (a, b) => {
    const ka = key(a.file, a.offset);
    const kb = key(b.file, b.offset);
    for (let i = 0; i < Math.min(ka.length, kb.length); i++) if (ka[i] !== kb[i]) return ka[i]! - kb[i]!;
    return ka.length - kb.length;
  };
}

/**
 * The model's id of the document being checked: the root when the model was
 * built from it, else the included file whose tree matches the document's.
 */
export function documentFile(ctx: RuleContext, model: SemanticModel): FileId | undefined {
  const own = ctx.parse.ast;
  const exact = model.files.find((f) => f.program === own);
  if (exact) return exact.file;
  const same = (p: A.Program) =>
    p.end === own.end && p.declarations.length === own.declarations.length && p.declarations.every((d, i) => d.start === own.declarations[i]!.start && d.end === own.declarations[i]!.end);
  return model.files.find((f) => same(f.program))?.file;
}

/** Says where a place is, from the document's point of view: `line 12`, or `in x.vcl`. */
export function whereIs(ctx: RuleContext, docFile: FileId | undefined, place: { file: FileId; offset: number }): string {
  if (place.file === docFile) return `line ${lineOf(ctx.text, place.offset)}`;
  return place.file === '' ? 'in the file that includes this one' : `in ${baseName(place.file)}`;
}

/** 1-based line of an offset. */
export function lineOf(text: string, offset: number): number {
  // The same line model as the diagnostics' positions (a lone \r ends a line too).
  return new LineIndex(text).position(offset).line + 1;
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
