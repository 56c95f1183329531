/**
 * Workspace symbols: the subs, backends, probes, ACLs and imports of every
 * VCL file of the workspace and of the files they include (also those found
 * along the include path, outside the workspace), matched against a query.
 * Each file's symbols are kept with its text, so a query parses only files
 * that changed since the last one.
 */
import type { IncludeHost } from '../analysis/include-tree.js';
import { includeCandidates } from '../analysis/include-tree.js';
import { includeTargets } from '../analysis/includes.js';
import { documentSymbols, type OutlineSymbol } from './vcl-features.js';

/** A symbol of the outline, with the file it is in. */
export interface WorkspaceSymbol extends OutlineSymbol {
  path: string;
}

/** Files and includes looked at per query; beyond this a workspace is not a Varnish configuration. */
const MAX_FILES = 5000;
/** Most symbols returned to one query. */
const MAX_RESULTS = 1000;

const byPath = new Map<string, { text: string; symbols?: OutlineSymbol[]; targets?: string[] }>();

/** What is remembered of a file while its text stays the same. */
function known(path: string, text: string): { text: string; symbols?: OutlineSymbol[]; targets?: string[] } {
  let k = byPath.get(path);
  if (k?.text !== text) {
    k = { text };
    byPath.set(path, k);
  }
  return k;
}

/** The symbols whose names match `query` (letters in order, any case; '' matches all). */
export function workspaceSymbols(files: ReadonlyArray<{ path: string; text: string }>, query: string, host?: IncludeHost): WorkspaceSymbol[] {
  const all = withIncludes(files, host);
  const out: WorkspaceSymbol[] = [];
  const q = query.toLowerCase();
  for (const f of all) {
    const k = known(f.path, f.text);
    k.symbols ??= documentSymbols(f.text);
    for (const s of k.symbols) {
      if (!matches(s.name.toLowerCase(), q)) continue;
      out.push({ ...s, path: f.path });
      if (out.length >= MAX_RESULTS) return out;
    }
  }
  return out;
}

/** True when the letters of `query` appear in `name` in order (as editors filter). */
function matches(name: string, query: string): boolean {
  let i = 0;
  for (let j = 0; j < name.length && i < query.length; j++) if (name[j] === query[i]) i++;
  return i === query.length;
}

/** The files and, transitively, every file they include that can be read. */
function withIncludes(files: ReadonlyArray<{ path: string; text: string }>, host: IncludeHost | undefined): Array<{ path: string; text: string }> {
  const seen = new Map(files.map((f) => [f.path, f.text] as const));
  const queue = [...files];
  while (host && queue.length && seen.size < MAX_FILES) {
    const f = queue.shift()!;
    const k = known(f.path, f.text);
    k.targets ??= includeTargets(f.text);
    for (const target of k.targets) {
      for (const c of includeCandidates(target, f.path, host.searchPath)) {
        const path = host.resolve ? host.resolve(c) : c;
        if (!path) continue;
        if (!seen.has(path)) {
          const text = host.readFile(path);
          if (text === undefined) continue;
          seen.set(path, text);
          queue.push({ path, text });
        }
        break;
      }
    }
  }
  return [...seen].map(([path, text]) => ({ path, text }));
}
