/**
 * Header names a workspace already uses (`req.http.X-Forwarded-For` gives
 * `X-Forwarded-For`), offered after `req.http.` and the other header
 * families. Each file's names are remembered with its text, so a request
 * scans only the files that changed.
 */

const HEADER_USE = /\b(?:req|resp|bereq|beresp|obj|req_top)\.http\.([A-Za-z0-9_][A-Za-z0-9_-]*)/gi;

const byPath = new Map<string, { text: string; names: string[] }>();

/** Header names (as first spelled) used in the given VCL texts. */
export function headerNamesIn(files: Iterable<{ path: string; text: string }>): string[] {
  const out = new Map<string, string>();
  for (const f of files) {
    let known = byPath.get(f.path);
    if (known?.text !== f.text) {
      known = { text: f.text, names: scan(f.text) };
      byPath.set(f.path, known);
    }
    for (const n of known.names) if (!out.has(n.toLowerCase())) out.set(n.toLowerCase(), n);
  }
  return [...out.values()].sort((a, b) => a.localeCompare(b));
}

function scan(text: string): string[] {
  const names = new Set<string>();
  for (const m of text.matchAll(HEADER_USE)) names.add(m[1]!);
  return [...names];
}
