/**
 * Where each rule's documentation page is on this machine. The project has
 * no public web address, so the pages ship with the package (docs/rules/)
 * and diagnostics point at them with file: URIs. The folder is found once,
 * next to the running bundle, and its pages are listed on the first lookup.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Maps a rule id to the URI of its page, or undefined when the page is not there. */
export type RuleDocUri = (ruleId: string) => string | undefined;

/** Parent folders searched for docs/rules: dist/x.cjs is one level down, out/server/src/x.js three. */
const MAX_LEVELS_UP = 3;

/**
 * The `docs/rules` folder that belongs to the program file `fromFile`
 * (dist/server.cjs -> ../docs/rules), or undefined when none is installed.
 */
export function findRuleDocsDir(fromFile: string): string | undefined {
  let dir = dirname(fromFile);
  for (let i = 0; i < MAX_LEVELS_UP; i++) {
    dir = dirname(dir);
    const candidate = join(dir, 'docs', 'rules');
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}

/**
 * A lookup over the pages in `dir`: file: URIs of `<id>.md` that exist;
 * nothing for ids without a page or when `dir` is undefined. The folder is
 * read on the first lookup, not before: only SARIF output links the pages,
 * and reading it cost 1.5 ms of every CLI start.
 */
export function ruleDocUris(dir: string | undefined): RuleDocUri {
  let pages: Map<string, string> | undefined;
  return (id) => (pages ??= readPages(dir)).get(id);
}

function readPages(dir: string | undefined): Map<string, string> {
  const pages = new Map<string, string>();
  if (dir) {
    let names: string[] = [];
    try {
      names = readdirSync(dir);
    } catch {
      // An unreadable folder means no links, never a failed lint.
    }
    for (const name of names) {
      if (name.endsWith('.md')) pages.set(name.slice(0, -3), pathToFileURL(join(dir, name)).href);
    }
  }
  return pages;
}
