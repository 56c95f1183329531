/**
 * An index of which VCL files include which, over a set of known files (the
 * files given to the CLI, or the workspace's). It lets a file that is only
 * included be analysed as part of the program that includes it.
 */
import { existsSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { lex } from '../syntax/lexer.js';
import { includeCandidates } from './include-tree.js';

/** varnishd's default vcl_path. */
export const DEFAULT_VCL_PATH = ['/etc/varnish', '/usr/share/varnish/vcl'];

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

export class IncludeIndex {
  private readonly known: Map<string, string>;
  private readonly includes = new Map<string, string[]>();

  /**
   * `files`: absolute paths and texts, and the include targets when the
   * caller already has them (an editor keeps them per document).
   */
  constructor(files: ReadonlyArray<{ path: string; text: string; targets?: string[] }>, private readonly searchPath: readonly string[]) {
    this.known = new Map(files.map((f) => [resolve(f.path), f.text]));
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
    }
  }

  /** The text of a known file. */
  text(path: string): string | undefined {
    return this.known.get(resolve(path));
  }

  /**
   * Where a candidate include path really is: the path itself when it
   * exists, else a known file whose path ends with the same last two or
   * more components (a repository laid out like /etc/varnish).
   */
  resolve(candidate: string): string | undefined {
    const abs = resolve(candidate);
    if (this.known.has(abs) || existsSync(abs)) return abs;
    const parts = abs.split(/[\\/]+/).filter(Boolean);
    if (parts.length < 2) return undefined;
    const tail = sep + join(...parts.slice(-2));
    const matches = [...this.known.keys()].filter((k) => k.endsWith(tail));
    return matches.length === 1 ? matches[0] : undefined;
  }

  /** Known files that include `path`, directly or not, and that no known file includes. */
  includersOf(path: string): string[] {
    const target = resolve(path);
    const parents = new Map<string, string[]>();
    for (const [from, tos] of this.includes) for (const to of tos) parents.set(to, [...(parents.get(to) ?? []), from]);
    const roots = new Set<string>();
    const seen = new Set<string>([target]);
    const stack = [...(parents.get(target) ?? [])];
    while (stack.length) {
      const p = stack.pop()!;
      if (seen.has(p)) continue;
      seen.add(p);
      const up = parents.get(p) ?? [];
      if (up.length === 0) roots.add(p);
      stack.push(...up);
    }
    return [...roots].sort();
  }

  /** Known files that `path` includes directly. */
  includedBy(path: string): string[] {
    return this.includes.get(resolve(path)) ?? [];
  }

  /** True when some known file includes `path`. */
  isIncluded(path: string): boolean {
    const target = resolve(path);
    for (const tos of this.includes.values()) if (tos.includes(target)) return true;
    return false;
  }
}
