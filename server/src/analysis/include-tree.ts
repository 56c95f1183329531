/**
 * Loads the files a VCL program includes, recursively, the way varnishd
 * resolves them: `include "./x.vcl"` relative to the including file, an
 * absolute path as it is, anything else (`../x.vcl` too) along vcl_path. Cycles are
 * reported, not followed; each file is read once.
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import { nodeKinds, walkKinds } from '../syntax/walk.js';
import { keptValue } from '../syntax/kept.js';
import { sharedParser, type Parser, type ParseResult } from '../syntax/parse.js';
import type { Declaration, IncludeDecl, Program, Span } from '../syntax/ast.js';
import type { ProgramCache } from './program-cache.js';

/** How the analysis reaches files: the editor's open documents, or the disk. */
export interface IncludeHost {
  /** The text of a file, or undefined when it cannot be read. */
  readFile(path: string): string | undefined;
  /** vcl_path: where `include "x.vcl"` is searched, in order. */
  searchPath: readonly string[];
  /** Files that include `path` (directly or not), so it can be analysed as part of them. */
  includersOf?(path: string): string[];
  /** Maps a candidate include path to the file to read; default: the path itself. */
  resolve?(candidate: string): string | undefined;
  /**
   * Why a path that `readFile` gave nothing for exists but was refused (a
   * FIFO, a device, a file under /proc, too large), or undefined when it
   * is simply not there.
   */
  refusal?(path: string): string | undefined;
  /**
   * Why the host will not read a file the program names directly (an
   * absolute or `./` include, an `import ... from`), or undefined when it
   * will. The language server refuses files outside an untrusted workspace.
   */
  refuses?(path: string): string | undefined;
  /** The first of `includersOf(path)`, when the host can answer it without listing them all. */
  firstIncluderOf?(path: string): string | undefined;
  /**
   * Where programs analysed through their top-level file are kept while
   * this host's files stay the same; without it each analysis loads its
   * program again.
   */
  programs?: ProgramCache;
}

export interface TreeFile {
  path: string;
  text: string;
  parse: ParseResult;
}

export interface IncludeProblem {
  /**
   * `depth`: the include is nested deeper than {@link MAX_INCLUDE_DEPTH} and was not followed;
   * `refused`: the host would not read the file (see IncludeHost.refuses).
   */
  kind: 'missing' | 'cycle' | 'depth' | 'refused';
  /** The file holding the include: its path, or '' for the root document. */
  file: string;
  span: Span;
  message: string;
}

export interface IncludeTree {
  /** Included files, in the order they were found (the root is not among them). */
  files: TreeFile[];
  /** Include declarations that were followed into a file of `files`. */
  resolved: Set<IncludeDecl>;
  problems: IncludeProblem[];
}

/**
 * Where an include may point, in the order varnishd tries them. Only a
 * target that starts with `./` is relative to the including file (so
 * `./../x.vcl` reaches its parent folder); `../x.vcl`, like `x.vcl`, is
 * looked for along vcl_path only, never the including file's folder nor the
 * working directory (Varnish 6.5, 7.1, 7.7 and Vinyl 9.0 alike).
 */
export function includeCandidates(target: string, fromFile: string | undefined, searchPath: readonly string[]): string[] {
  if (isAbsolute(target)) return [target];
  if (target.startsWith('./')) return fromFile ? [resolve(dirname(fromFile), target)] : [];
  return searchPath.map((dir) => resolve(dir, target));
}

/**
 * Deepest chain of includes followed. varnishd 7.1 has no limit (it
 * compiles a chain of 20,000 files); a real program nests a handful, so a
 * chain this long is generated or broken, and its files beyond the limit
 * are not analysed.
 */
export const MAX_INCLUDE_DEPTH = 10_000;

/** Most file names a cycle message lists; longer cycles are shortened in the middle. */
const MAX_CYCLE_NAMES = 12;

/** A file being read: its includes, the next one to follow, and the include that led here. */
interface Frame {
  fileId: string;
  path: string | undefined;
  includes: IncludeDecl[];
  next: number;
  via?: { file: string; node: IncludeDecl };
}

/**
 * Follows the includes of `root` (whose own path may be unknown: an unsaved
 * document). Glob includes (`include +glob "..."`) are not expanded. The
 * walk keeps its own stack, so chain length costs no call stack; `maxDepth`
 * bounds it (tests lower it). `parser` reads the files, with its owner's caches.
 */
export function loadIncludeTree(rootPath: string | undefined, root: ParseResult, host: IncludeHost, parser: Parser = sharedParser(), maxDepth = MAX_INCLUDE_DEPTH): IncludeTree {
  const tree: IncludeTree = { files: [], resolved: new Set(), problems: [] };
  const loaded = new Set<string>();
  const onStack = new Set<string>();
  /**
   * Includes already reported as part of a cycle (by file and offset: two
   * files of the same text share their parsed declarations); each is
   * reported once, with the first cycle found through it.
   */
  const inCycle = new Set<string>();
  if (rootPath) onStack.add(rootPath);
  const stack: Frame[] = [{ fileId: '', path: rootPath, includes: includeDeclsOf(root.ast), next: 0 }];
  while (stack.length) {
    const frame = stack[stack.length - 1]!;
    if (frame.next >= frame.includes.length) {
      stack.pop();
      if (frame.path !== undefined && stack.length > 0) onStack.delete(frame.path);
      continue;
    }
    const n = frame.includes[frame.next++]!;
    const target = n.path!.value;
    const candidates = includeCandidates(target, frame.path, host.searchPath);
    // Only a path the text names itself can lead out of the folders the user chose.
    const direct = isAbsolute(target) || target.startsWith('./') || target.startsWith('../');
    let found: string | undefined;
    let text: string | undefined;
    let untrusted: string | undefined;
    let refused: string | undefined;
    for (const c of candidates) {
      const real = host.resolve ? host.resolve(c) : c;
      untrusted = direct && real !== undefined ? host.refuses?.(real) : undefined;
      if (untrusted !== undefined) break;
      text = real === undefined ? undefined : host.readFile(real);
      if (text !== undefined) {
        found = real;
        break;
      }
      // A file that is there but refused is named, not searched past: it is what the include points at.
      const why = real === undefined ? undefined : host.refusal?.(real);
      if (why !== undefined) {
        refused = `Included file '${target}' refused: '${real}' ${why}`;
        break;
      }
    }
    if (untrusted !== undefined) {
      tree.problems.push({ kind: 'refused', file: frame.fileId, span: n.path!, message: `Included file '${target}' was not read: ${untrusted}` });
      continue;
    }
    if (refused !== undefined) {
      tree.problems.push({ kind: 'missing', file: frame.fileId, span: n.path!, message: refused });
      continue;
    }
    if (found === undefined || text === undefined) {
      const where = candidates.length ? `looked for ${candidates.join(', ')}` : 'a relative include needs the including file to be saved';
      tree.problems.push({ kind: 'missing', file: frame.fileId, span: n.path!, message: `Included file '${target}' not found (${where}). Add its folder to the include path (setting vcl.includePaths, or --include-path).` });
      continue;
    }
    if (onStack.has(found)) {
      reportCycle(stack, found, { file: frame.fileId, node: n }, inCycle, tree.problems);
      continue;
    }
    if (stack.length > maxDepth) {
      tree.problems.push({
        kind: 'depth',
        file: frame.fileId,
        span: n.path!,
        message: `Includes nested more than ${maxDepth} files deep; '${target}' and what it includes are not analysed`,
      });
      continue;
    }
    tree.resolved.add(n);
    if (loaded.has(found)) continue;
    loaded.add(found);
    const file: TreeFile = { path: found, text, parse: parser.parse(text, found) };
    tree.files.push(file);
    onStack.add(found);
    stack.push({ fileId: found, path: found, includes: includeDeclsOf(file.parse.ast), next: 0, via: { file: frame.fileId, node: n } });
  }
  return tree;
}

/**
 * The includes of a program that name a file (glob includes left out), in
 * source order, those inside subs included.
 */
export function includeDeclsOf(program: Program): IncludeDecl[] {
  return allIncludesOf(program).filter((d) => d.path && !d.flag);
}

/** Every `include` of a program, glob ones too, in source order, those inside subs included. */
export function allIncludesOf(program: Program): IncludeDecl[] {
  const out: IncludeDecl[] = [];
  for (const decl of program.declarations) {
    if (decl.kind === 'IncludeDecl') out.push(decl);
    else for (const inside of includesInside(decl)) out.push(inside);
  }
  return out;
}

const INCLUDES = nodeKinds('IncludeDecl');
const NONE: readonly IncludeDecl[] = [];

/**
 * The includes inside a declaration (in a sub's statements), kept for it
 * (syntax/kept.ts): after an edit only the edited declaration is searched
 * again, where a walk of the whole program cost a 20,000-line document a
 * quarter of each edit's analysis. Declarations keep their shape for as
 * long as they live (see syntax/walk.ts).
 */
function includesInside(decl: Declaration): readonly IncludeDecl[] {
  // Only a sub's statements can hold an include (the AST has statements nowhere else): most
  // declarations of a file (`vcl 4.1;`, imports, backends) are too small to keep what a walk found.
  if (decl.kind !== 'SubDecl') return NONE;
  return keptValue(decl, 'includes', () => {
    const found: IncludeDecl[] = [];
    walkKinds(decl, INCLUDES, (n) => found.push(n));
    return found;
  });
}

/**
 * Reports a cycle on the include that closes it and on every include of the
 * chain that led there from the root, as varnishd lists them. The message
 * names the files of the cycle itself.
 */
function reportCycle(stack: Frame[], found: string, closing: { file: string; node: IncludeDecl }, inCycle: Set<string>, problems: IncludeProblem[]): void {
  let from = stack.length - 1;
  while (from > 0 && stack[from]!.path !== found) from--;
  const names = [...stack.slice(from).map((f) => baseName(f.path ?? '')), baseName(found)];
  const shown = names.length <= MAX_CYCLE_NAMES ? names : [...names.slice(0, MAX_CYCLE_NAMES / 2), `(${names.length - MAX_CYCLE_NAMES} more)`, ...names.slice(-MAX_CYCLE_NAMES / 2)];
  const message = `Include cycle: ${shown.join(' -> ')}; varnishd would include forever`;
  const at = [closing];
  // Walking back to the root stops at an include already reported: the ones above it were reported with it.
  for (let i = stack.length - 1; i > 0; i--) {
    const via = stack[i]!.via!;
    if (inCycle.has(placeKey(via))) break;
    at.push(via);
  }
  for (const a of at.reverse()) {
    const key = placeKey(a);
    if (inCycle.has(key)) continue;
    inCycle.add(key);
    problems.push({ kind: 'cycle', file: a.file, span: a.node.path!, message });
  }
}

function placeKey(at: { file: string; node: IncludeDecl }): string {
  return `${at.file}\n${at.node.start}`;
}

function baseName(path: string): string {
  return path.split('/').pop()!;
}
