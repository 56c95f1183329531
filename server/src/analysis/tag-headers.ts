/**
 * Finds the cache-tag headers a VCL handles. They list every object a page
 * shows, so they grow with the catalogue: Magento's X-Magento-Tags, the
 * xkey vmod's xkey header, Fastly-style Surrogate-Key, Cloudflare-style
 * Cache-Tag, Drupal's X-Drupal-Cache-Tags and Shopware's xkey variants.
 */

export interface TagHeaderHit {
  header: string;
  offset: number;
}

const TAG_HEADERS = ['X-Magento-Tags', 'xkey', 'X-Xkey', 'Surrogate-Key', 'Cache-Tag', 'Cache-Tags', 'X-Cache-Tags', 'X-Drupal-Cache-Tags', 'X-Shopware-Cache-Tags'];
/** Each tag header by its name in lower case. */
const BY_LOWER = new Map(TAG_HEADERS.map((h) => [h.toLowerCase(), h]));
/** The objects whose headers are looked at (`req.http.xkey`, ...), in lower case. */
const OBJECTS = new Set(['beresp', 'resp', 'obj', 'req', 'bereq']);
const HTTP = /\.http\./gi;

/**
 * Every use of a tag header in a VCL text, in order: `obj.http.name` where
 * obj is one of {@link OBJECTS} standing as a word of its own and name is a
 * tag header followed by no other name character (`-` included); letters in
 * either case, as VCC and HTTP take them.
 *
 * A scan for `.http.` that reads the words on each side, not one regular
 * expression of every header: that one took a third of a small file's
 * analysis in a fresh process, compiling it (case-insensitive, nine
 * alternatives). test/unit/tag-headers.test.ts holds this to it.
 */
export function findTagHeaders(text: string): TagHeaderHit[] {
  const out: TagHeaderHit[] = [];
  HTTP.lastIndex = 0;
  for (let m = HTTP.exec(text); m !== null; m = HTTP.exec(text)) {
    const at = m.index;
    let from = at;
    while (from > 0 && isWordChar(text.charCodeAt(from - 1))) from--;
    const start = at + m[0].length;
    let end = start;
    while (end < text.length && (isWordChar(text.charCodeAt(end)) || text.charCodeAt(end) === DASH)) end++;
    // Both words are ASCII by construction, so lower case keeps their length.
    const header = BY_LOWER.get(text.slice(start, end).toLowerCase());
    if (header !== undefined && OBJECTS.has(text.slice(from, at).toLowerCase())) out.push({ header, offset: start });
  }
  return out;
}

const DASH = 0x2d;

/** A character of `\w`: an ASCII letter, digit or `_`. */
function isWordChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f;
}
