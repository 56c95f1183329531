/**
 * Cursor markers in fixture texts: `⟨name⟩` marks a place; the marker is
 * removed and its offset kept under its name, so one real VCL file can hold
 * many named cursors for editor-feature tests.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The text without markers, and each marker's offset in it. */
export function withCursors(marked: string): { text: string; at: (name: string) => number; names: string[] } {
  const offsets = new Map<string, number>();
  let text = '';
  let last = 0;
  for (const m of marked.matchAll(/⟨([a-z0-9-]+)⟩/g)) {
    text += marked.slice(last, m.index);
    if (offsets.has(m[1]!)) throw new Error(`cursor ${m[1]} marked twice`);
    offsets.set(m[1]!, text.length);
    last = m.index! + m[0].length;
  }
  text += marked.slice(last);
  return {
    text,
    names: [...offsets.keys()],
    at: (name) => {
      const o = offsets.get(name);
      if (o === undefined) throw new Error(`no cursor ${name}`);
      return o;
    },
  };
}

/** A fixture under test/fixtures/ (this file runs as out/test/helpers/cursors.js). */
export function fixturePath(relative: string): string {
  return fileURLToPath(new URL(`../../../test/fixtures/${relative}`, import.meta.url));
}

/** A fixture's text with its cursors. */
export function readMarked(relative: string): ReturnType<typeof withCursors> {
  return withCursors(readFileSync(fixturePath(relative), 'utf8'));
}
