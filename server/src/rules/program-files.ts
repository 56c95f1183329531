/**
 * Where things stand in a program made of several files. varnishd reads an
 * `include` as if the included text stood in its place, so "earlier" and
 * "later" follow that flattened text; and a rule can only name a line of
 * the document it is checking, whose text it has.
 */
import type * as A from '../syntax/ast.js';
import type { FileId, SemanticModel } from '../analysis/semantic-model.js';
import type { RuleContext } from './rule.js';
import { isExpression } from '../syntax/ast.js';
import { nodeKinds, walk, walkKinds } from '../syntax/walk.js';
import { lineIndexFor } from '../text/line-index.js';

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
  let order = placeOrders.get(model);
  if (!order) {
    order = buildPlaceOrder(model);
    placeOrders.set(model, order);
  }
  return order;
}

/** Every file of a program is checked against the same model: its order is worked out once. */
const INCLUDES = nodeKinds('IncludeDecl');

const placeOrders = new WeakMap<SemanticModel, PlaceOrder>();

/** A placed file and the files it includes, by the offset of their `include`. */
interface Placed {
  length: number;
  children: Array<{ at: number; file: FileId }>;
  /** Start in the flattened text, and the length each file of `children` adds there (with its own subtree). */
  start: number;
  added: number[];
  size: number;
}

/**
 * Gives every place a number in the flattened text: a file stands at its
 * include, and takes its own length plus what it includes (plus one, so
 * that the include itself comes before the file's first character). The
 * walk keeps its own stack, so a chain of thousands of includes is fine.
 */
function buildPlaceOrder(model: SemanticModel): PlaceOrder {
  const unresolved = new Set(model.includes);
  const placed = new Map<FileId, Placed>();
  const preorder: FileId[] = [];
  const root = model.files[0]!;
  let next = 1;
  const includesIn = (program: A.Program): A.IncludeDecl[] => {
    const out: A.IncludeDecl[] = [];
    walkKinds(program, INCLUDES, (n) => {
      if (n.path && !n.flag && !unresolved.has(n)) out.push(n);
    });
    return out;
  };
  const enter = (file: FileId, program: A.Program) => {
    placed.set(file, { length: program.end, children: [], start: 0, added: [], size: 0 });
    preorder.push(file);
    return { file, includes: includesIn(program), i: 0 };
  };
  // Files were found in this same depth-first order, each once: follow it.
  const stack = [enter(root.file, root.program)];
  while (stack.length) {
    const top = stack[stack.length - 1]!;
    if (top.i >= top.includes.length) {
      stack.pop();
      continue;
    }
    const n = top.includes[top.i++]!;
    const f = model.files[next];
    if (f && !placed.has(f.file) && baseName(f.file) === baseName(n.path!.value)) {
      next++;
      placed.get(top.file)!.children.push({ at: n.start, file: f.file });
      stack.push(enter(f.file, f.program));
    }
  }
  // Sizes from the leaves up (a file comes after its includer in `preorder`), then starts from the root down.
  for (let i = preorder.length - 1; i >= 0; i--) {
    const p = placed.get(preorder[i]!)!;
    p.added = p.children.map((c) => placed.get(c.file)!.size + 1);
    p.size = p.length + 1 + p.added.reduce((x, y) => x + y, 0);
  }
  for (const file of preorder) {
    const p = placed.get(file)!;
    let before = 0;
    p.children.forEach((c, k) => {
      placed.get(c.file)!.start = p.start + c.at + before + 1;
      before += p.added[k]!;
    });
  }
  const index = new Map(model.files.map((f, i) => [f.file, i]));
  const flat = (p: Placed, offset: number): number => {
    let at = p.start + offset;
    // Children are in offset order; few files include many, so a scan is enough.
    for (let k = 0; k < p.children.length && p.children[k]!.at < offset; k++) at += p.added[k]!;
    return at;
  };
  return (a, b) => {
    const pa = placed.get(a.file);
    const pb = placed.get(b.file);
    if (pa && pb) return flat(pa, a.offset) - flat(pb, b.offset);
    if (pa || pb) return pa ? -1 : 1;
    return (index.get(a.file) ?? 0) - (index.get(b.file) ?? 0) || a.offset - b.offset;
  };
}

/**
 * The model's id of the document being checked: the root when the model was
 * built from it, else the included file whose tree matches the document's.
 */
export function documentFile(ctx: RuleContext, model: SemanticModel): FileId | undefined {
  const own = ctx.parse.ast;
  let byShape = shapes.get(model);
  if (!byShape) {
    byShape = { exact: new Map(), shape: new Map() };
    for (const f of model.files) {
      if (!byShape.exact.has(f.program)) byShape.exact.set(f.program, f.file);
      const key = shapeOf(f.program);
      if (!byShape.shape.has(key)) byShape.shape.set(key, f.file);
    }
    shapes.set(model, byShape);
  }
  return byShape.exact.get(own) ?? byShape.shape.get(shapeOf(own));
}

/**
 * The model's files by tree and by shape, once per model: every file of a
 * program of thousands is checked against the same model, and a search of
 * its file list per file was quadratic.
 */
const shapes = new WeakMap<SemanticModel, { exact: Map<A.Program, FileId>; shape: Map<string, FileId> }>();

/** What identifies a document's tree among the model's: its length and the span of each declaration. */
function shapeOf(p: A.Program): string {
  let key = `${p.end}`;
  for (const d of p.declarations) key += `,${d.start}-${d.end}`;
  return key;
}

/** Says where a place is, from the document's point of view: `line 12`, or `in x.vcl`. */
export function whereIs(ctx: RuleContext, docFile: FileId | undefined, place: { file: FileId; offset: number }): string {
  if (place.file === docFile) return `line ${lineOf(ctx.text, place.offset)}`;
  return place.file === '' ? 'in the file that includes this one' : `in ${baseName(place.file)}`;
}

/**
 * The `set` statement whose target starts at `start` in `file` of the
 * program: what a finding about the variable it sets may rewrite.
 */
export function setStatementAt(model: SemanticModel, file: FileId, start: number): A.SetStmt | undefined {
  const program = model.files.find((f) => f.file === file)?.program;
  let found: A.SetStmt | undefined;
  if (program) {
    walk(program, (n) => {
      if (found) return false;
      if (n.kind === 'SetStmt' && n.target?.start === start) found = n;
      return isExpression(n) ? false : undefined;
    });
  }
  return found;
}

/** 1-based line of an offset. */
export function lineOf(text: string, offset: number): number {
  // The same line model as the diagnostics' positions (a lone \r ends a line too).
  // Shared (lineIndexFor): rules ask for many lines of one document in a row, one per
  // redefinition; an index built each time made 20,000 duplicate subs quadratic.
  return lineIndexFor(text).position(offset).line + 1;
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
