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
const pattern = new RegExp(`\\b(?:beresp|resp|obj|req|bereq)\\.http\\.(${TAG_HEADERS.map((h) => h.replace(/-/g, '\\-')).join('|')})\\b(?![-\\w])`, 'gi');

/** Every use of a tag header in a VCL text, in order. */
export function findTagHeaders(text: string): TagHeaderHit[] {
  const out: TagHeaderHit[] = [];
  for (const m of text.matchAll(pattern)) out.push({ header: TAG_HEADERS.find((h) => h.toLowerCase() === m[1]!.toLowerCase()) ?? m[1]!, offset: m.index! + m[0].length - m[1]!.length });
  return out;
}
