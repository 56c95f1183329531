/**
 * Include resolution as varnishd does it: `include "./x.vcl"` is relative to
 * the including file, any other relative path is searched along vcl_path
 * (default /etc/varnish and /usr/share/varnish/vcl), absolute paths are used
 * as they are.
 */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve, sep } from 'node:path';
import { lex } from '../syntax/lexer.js';

/** varnishd's default vcl_path. */
export const DEFAULT_VCL_PATH = ['/etc/varnish', '/usr/share/varnish/vcl'];

/**
 * The include targets written in a VCL text, in source order. varnishd
 * resolves includes on the token stream, before parsing, so a token scan
 * finds them even in text that does not parse.
 */
export function includeTargets(text: string): string[] {
  const tokens = lex(text).tokens;
  const out: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    if (tokens[i]!.tokenType.name !== 'Include') continue;
    // `include +glob "..."` puts a flag before the string.
    const j = tokens[i + 1]?.image === '+' ? i + 3 : i + 1;
    const t = tokens[j];
    if (t && t.tokenType.name === 'QuotedString') out.push(t.image.slice(1, -1));
  }
  return out;
}

/** Where `include "target"` in `fromFile` points, or undefined when no such file exists. */
export function resolveInclude(target: string, fromFile: string, searchPath: readonly string[]): string | undefined {
  if (isAbsolute(target)) return existsSync(target) ? target : undefined;
  if (target.startsWith(`.${sep}`) || target.startsWith('./') || target.startsWith('../')) {
    const p = resolve(dirname(fromFile), target);
    return existsSync(p) ? p : undefined;
  }
  for (const dir of searchPath) {
    const p = resolve(dir, target);
    if (existsSync(p)) return p;
  }
  return undefined;
}

/**
 * The files among `files` that another of them includes. An include that
 * does not resolve on this machine (a repository laid out like
 * /etc/varnish, say) still marks the linted file whose path ends with the
 * same two or more components.
 */
export function includedFiles(files: ReadonlyArray<{ path: string; text: string }>, searchPath: readonly string[]): Set<string> {
  const byAbs = new Map(files.map((f) => [resolve(f.path), f.path]));
  const included = new Set<string>();
  for (const f of files) {
    for (const target of includeTargets(f.text)) {
      const hit = resolveInclude(target, f.path, [...searchPath, dirname(resolve(f.path))]);
      const known = hit && byAbs.get(resolve(hit));
      if (known) {
        included.add(known);
        continue;
      }
      const parts = target.split(/[\\/]+/).filter(Boolean);
      if (parts.length < 2) continue;
      const tail = join(...parts.slice(-2));
      for (const [abs, given] of byAbs) if (abs.endsWith(`${sep}${tail}`)) included.add(given);
    }
  }
  return included;
}
