/**
 * Loads the files a VCL program includes, recursively, the way varnishd
 * resolves them: `include "./x.vcl"` relative to the including file, an
 * absolute path as it is, anything else (`../x.vcl` too) along vcl_path. Cycles are
 * reported, not followed; each file is read once.
 */
import { dirname, isAbsolute, resolve } from 'node:path';
import { walk } from '../syntax/walk.js';
import { parse, type ParseResult } from '../syntax/parse.js';
import type { IncludeDecl, Span } from '../syntax/ast.js';

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
}

export interface TreeFile {
  path: string;
  text: string;
  parse: ParseResult;
}

export interface IncludeProblem {
  /** `refused`: the host would not read the file (see IncludeHost.refuses). */
  kind: 'missing' | 'cycle' | 'refused';
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
 * Follows the includes of `root` (whose own path may be unknown: an unsaved
 * document). Glob includes (`include +glob "..."`) are not expanded.
 */
export function loadIncludeTree(rootPath: string | undefined, root: ParseResult, host: IncludeHost): IncludeTree {
  const tree: IncludeTree = { files: [], resolved: new Set(), problems: [] };
  const loaded = new Map<string, TreeFile>();
  /** `chain`: the includes followed to get here, so that a cycle is reported on each of them. */
  const visit = (fileId: string, filePath: string | undefined, parsed: ParseResult, stack: string[], chain: Array<{ file: string; span: Span }>): void => {
    walk(parsed.ast, (n) => {
      if (n.kind !== 'IncludeDecl') return undefined;
      if (!n.path || n.flag) return false;
      const target = n.path.value;
      const candidates = includeCandidates(target, filePath, host.searchPath);
      // Only a path the text names itself can lead out of the folders the user chose.
      const direct = isAbsolute(target) || target.startsWith('./') || target.startsWith('../');
      let found: string | undefined;
      let text: string | undefined;
      let refused: string | undefined;
      for (const c of candidates) {
        const real = host.resolve ? host.resolve(c) : c;
        const untrusted = direct && real !== undefined ? host.refuses?.(real) : undefined;
        if (untrusted !== undefined) {
          tree.problems.push({ kind: 'refused', file: fileId, span: n.path, message: `Included file '${target}' was not read: ${untrusted}` });
          return false;
        }
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
      if (refused !== undefined) {
        tree.problems.push({ kind: 'missing', file: fileId, span: n.path, message: refused });
        return false;
      }
      if (found === undefined || text === undefined) {
        const where = candidates.length ? `looked for ${candidates.join(', ')}` : 'a relative include needs the including file to be saved';
        tree.problems.push({ kind: 'missing', file: fileId, span: n.path, message: `Included file '${target}' not found (${where}). Add its folder to the include path (setting vcl.includePaths, or --include-path).` });
        return false;
      }
      if (stack.includes(found) || found === rootPath) {
        const message = `Include cycle: ${[...stack, found].map((p) => p.split('/').pop()).join(' -> ')}; varnishd would include forever`;
        for (const at of [...chain, { file: fileId, span: n.path }]) tree.problems.push({ kind: 'cycle', file: at.file, span: at.span, message });
        return false;
      }
      tree.resolved.add(n);
      if (!loaded.has(found)) {
        const file: TreeFile = { path: found, text, parse: parse(text, found) };
        loaded.set(found, file);
        tree.files.push(file);
        visit(found, found, file.parse, [...stack, found], [...chain, { file: fileId, span: n.path }]);
      }
      return false;
    });
  };
  visit('', rootPath, root, rootPath ? [rootPath] : [], []);
  return tree;
}
