/**
 * An index of which VCL files include which, over a set of known files (the
 * files given to the CLI, or the workspace's). It lets a file that is only
 * included be analysed as part of the program that includes it.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { lex } from '../syntax/lexer.js';
import { includeCandidates } from './include-tree.js';

/**
 * The default vcl_path: varnishd's, then Vinyl Cache 9.0's (vinyld's
 * folders are named vinyl-cache). A machine has one or the other, so both
 * are searched whatever release is checked.
 */
export const DEFAULT_VCL_PATH = ['/etc/varnish', '/usr/share/varnish/vcl', '/etc/vinyl-cache', '/usr/share/vinyl-cache/vcl'];

/**
 * The include targets written in a VCL text, in source order. varnishd
 * resolves includes on the token stream, before parsing, so a token scan
 * finds them even in text that does not parse.
 */
export function includeTargets(text: string): string[] {
  // Most files include nothing: a text search spares them a second lexing (the analysis lexes them anyway).
  if (!/\binclude\b/.test(text)) return [];
  const tokens = lex(text).tokens;
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i]!.tokenType.name !== 'Include') continue;
    // `include +glob "..."` is not followed.
    if (tokens[i + 1]?.image === '+') continue;
    const t = tokens[i + 1];
    if (t && t.tokenType.name === 'QuotedString') out.push(t.image.slice(1, -1));
  }
  return out;
}

/**
 * Built once per set of files; every question after that costs about the
 * size of its answer, so a run over thousands of files stays linear.
 */
export class IncludeIndex {
  private readonly known: Map<string, string>;
  private readonly includes = new Map<string, string[]>();
  /** Who includes each file directly. */
  private readonly parents = new Map<string, string[]>();
  /** Known files by their last two path components, for {@link resolve}. */
  private readonly byTail = new Map<string, string[]>();
  /** The first (in path order) top-level file that includes each file; built on first use. */
  private firstRoots: Map<string, string> | undefined;
  /** Top-level files: those nothing includes, and one file of each cycle nothing outside includes; built on first use. */
  private tops: Set<string> | undefined;

  /**
   * `files`: absolute paths and texts, and the include targets when the
   * caller already has them (an editor keeps them per document).
   */
  constructor(files: ReadonlyArray<{ path: string; text: string; targets?: string[] }>, private readonly searchPath: readonly string[]) {
    this.known = new Map(files.map((f) => [resolve(f.path), f.text]));
    for (const path of this.known.keys()) {
      const tail = tailOf(path);
      if (tail === undefined) continue;
      // Pushed, not copied: thousands of files may share a tail (a/x.vcl, b/x.vcl ...).
      const same = this.byTail.get(tail);
      if (same) same.push(path);
      else this.byTail.set(tail, [path]);
    }
    const given = new Map(files.map((f) => [resolve(f.path), f.targets]));
    for (const [path, text] of this.known) {
      const targets: string[] = [];
      for (const t of given.get(path) ?? includeTargets(text)) {
        for (const c of includeCandidates(t, path, this.searchPath)) {
          const hit = this.resolve(c);
          if (hit) {
            targets.push(hit);
            break;
          }
        }
      }
      this.includes.set(path, targets);
      for (const to of new Set(targets)) {
        const up = this.parents.get(to);
        if (up) up.push(path);
        else this.parents.set(to, [path]);
      }
    }
  }

  /** The text of a known file. */
  text(path: string): string | undefined {
    return this.known.get(resolve(path));
  }

  /**
   * Where a candidate include path really is: the path itself when it
   * exists, else a known file whose path ends with the same last two or
   * more components (a repository laid out like /etc/varnish or /etc/vinyl-cache).
   */
  resolve(candidate: string): string | undefined {
    const abs = resolve(candidate);
    if (this.known.has(abs) || existsSync(abs)) return abs;
    const tail = tailOf(abs);
    const matches = tail === undefined ? undefined : this.byTail.get(tail);
    return matches?.length === 1 ? matches[0] : undefined;
  }

  /**
   * Known top-level files that include `path`, directly or not: files that
   * no known file includes and, for files that include each other in a
   * cycle that nothing else includes, the first of the cycle in path order
   * (see {@link topLevelFiles}).
   */
  includersOf(path: string): string[] {
    const target = resolve(path);
    const tops = this.topLevelFiles();
    const roots = new Set<string>();
    const seen = new Set<string>([target]);
    const stack = [...(this.parents.get(target) ?? [])];
    while (stack.length) {
      const p = stack.pop()!;
      if (seen.has(p)) continue;
      seen.add(p);
      if (tops.has(p)) roots.add(p);
      else for (const u of this.parents.get(p) ?? []) stack.push(u);
    }
    return [...roots].sort();
  }

  /** The first of {@link includersOf}, answered from a table built once for all files. */
  firstIncluderOf(path: string): string | undefined {
    return (this.firstRoots ??= this.labelRoots()).get(resolve(path));
  }

  /** Files that `root` includes, directly or not (not `root` itself). */
  filesUnder(root: string): string[] {
    const top = resolve(root);
    const seen = new Set<string>([top]);
    const stack = [...(this.includes.get(top) ?? [])];
    const out: string[] = [];
    while (stack.length) {
      const p = stack.pop()!;
      if (seen.has(p)) continue;
      seen.add(p);
      out.push(p);
      for (const c of this.includes.get(p) ?? []) stack.push(c);
    }
    return out;
  }

  /** Known files that `path` includes directly. */
  includedBy(path: string): string[] {
    return this.includes.get(resolve(path)) ?? [];
  }

  /** True when some known file includes `path`. */
  isIncluded(path: string): boolean {
    return this.parents.has(resolve(path));
  }

  /** {@link topLevelOf} the known files, worked out once. */
  private topLevelFiles(): Set<string> {
    return (this.tops ??= topLevelOf(this.known.keys(), this.includes, this.parents));
  }

  /**
   * Walks down from each top-level file, in path order, and labels every
   * file it reaches that no earlier top-level file reached: that label is
   * the smallest top-level includer. A file already labelled is not walked
   * again, since everything below it was labelled with a root no later
   * than this one; so every file and include is visited once.
   */
  private labelRoots(): Map<string, string> {
    const label = new Map<string, string>();
    const roots = [...this.topLevelFiles()].sort();
    for (const root of roots) {
      const stack = [...(this.includes.get(root) ?? [])];
      while (stack.length) {
        const p = stack.pop()!;
        if (p === root || label.has(p)) continue;
        label.set(p, root);
        for (const c of this.includes.get(p) ?? []) stack.push(c);
      }
    }
    return label;
  }
}

/**
 * The files a program can be analysed through: every file that no known
 * file includes, and one file (the first in path order) of every group of
 * files that include each other and that no file outside the group
 * includes. Without the latter, a folder holding a cycle of N files and
 * nothing else had no top-level file at all: each file was then analysed as
 * the top of its own program of N files, N times over.
 */
function topLevelOf(known: Iterable<string>, includes: ReadonlyMap<string, readonly string[]>, parents: ReadonlyMap<string, readonly string[]>): Set<string> {
  const tops = new Set<string>();
  const component = stronglyConnected(known, includes);
  // A group is a top when no include reaches it from another group.
  const reachedFromOutside = new Set<number>();
  for (const [path, c] of component) {
    for (const u of parents.get(path) ?? []) if (component.get(u) !== c) reachedFromOutside.add(c);
  }
  const first = new Map<number, string>();
  for (const [path, c] of component) {
    if (reachedFromOutside.has(c)) continue;
    const best = first.get(c);
    if (best === undefined || path < best) first.set(c, path);
  }
  for (const path of first.values()) tops.add(path);
  return tops;
}

/**
 * Tarjan's strongly connected components, with its own stack (a chain of
 * thousands of includes must not use the call stack): the component number
 * of each file. Includes of files outside `known` are ignored.
 */
function stronglyConnected(known: Iterable<string>, includes: ReadonlyMap<string, readonly string[]>): Map<string, number> {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const component = new Map<string, number>();
  let counter = 0;
  let components = 0;
  for (const start of known) {
    if (index.has(start)) continue;
    const work: Array<{ path: string; next: number }> = [{ path: start, next: 0 }];
    index.set(start, counter);
    low.set(start, counter++);
    stack.push(start);
    onStack.add(start);
    while (work.length) {
      const top = work[work.length - 1]!;
      const out = includes.get(top.path) ?? [];
      if (top.next < out.length) {
        const to = out[top.next++]!;
        if (!includes.has(to)) continue;
        if (!index.has(to)) {
          index.set(to, counter);
          low.set(to, counter++);
          stack.push(to);
          onStack.add(to);
          work.push({ path: to, next: 0 });
        } else if (onStack.has(to)) {
          low.set(top.path, Math.min(low.get(top.path)!, index.get(to)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.path, Math.min(low.get(parent.path)!, low.get(top.path)!));
      if (low.get(top.path) === index.get(top.path)) {
        for (;;) {
          const p = stack.pop()!;
          onStack.delete(p);
          component.set(p, components);
          if (p === top.path) break;
        }
        components++;
      }
    }
  }
  return component;
}

/**
 * The last two components of a path (separated by `/` or `\\`), joined, or
 * undefined when it has fewer. Read from the end: splitting the whole path
 * for every file of a 10,000-file run cost more than the rest of the index.
 */
export function tailOf(path: string): string | undefined {
  let end = path.length;
  const isSep = (i: number) => {
    const c = path.charCodeAt(i);
    return c === 47 /* / */ || c === 92 /* \\ */;
  };
  const parts: string[] = [];
  while (parts.length < 2) {
    while (end > 0 && isSep(end - 1)) end--;
    if (end === 0) return undefined;
    let start = end;
    while (start > 0 && !isSep(start - 1)) start--;
    parts.push(path.slice(start, end));
    end = start;
  }
  return join(parts[1]!, parts[0]!);
}
