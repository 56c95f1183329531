/**
 * `tag-header-size`: the VCL handles a cache-tag header (X-Magento-Tags,
 * xkey, Surrogate-Key, Cache-Tag, ...) while http_resp_hdr_len stays below
 * 64k. Such headers list every object on a page and routinely pass 8k,
 * Varnish's default; then the fetch fails with 503. Information only: the
 * remedy is in the parameter file (see resp-buffer-too-small).
 */
import type { Finding, Rule } from './rule.js';
import { findTagHeaders } from '../analysis/tag-headers.js';
import { TAG_HEADER_MIN } from './resp-buffer-too-small.js';
import { paramFact } from '../facts/params.js';
import { productName } from '../facts/versions.js';
import { formatBytes } from '../params/units.js';

export const tagHeaderSizeRule: Rule = {
  id: 'tag-header-size',
  defaultSeverity: 'info',
  description: 'A cache-tag header is handled while http_resp_hdr_len is below 64k; large tag headers make fetches fail with 503.',
  check(ctx) {
    const limit = ctx.responseHeaderLimit?.bytes ?? (paramFact('http_resp_hdr_len', ctx.varnishVersion)?.default.value as number);
    if (limit >= TAG_HEADER_MIN) return [];
    const source = ctx.responseHeaderLimit ? `set to ${formatBytes(limit)} in ${ctx.responseHeaderLimit.where}` : `${formatBytes(limit)}, ${productName(ctx.varnishVersion)}'s default (no parameter file in the workspace sets it)`;
    const seen = new Set<string>();
    const out: Finding[] = [];
    for (const hit of findTagHeaders(ctx.text)) {
      // Once per header name is enough to make the point.
      if (seen.has(hit.header.toLowerCase())) continue;
      seen.add(hit.header.toLowerCase());
      out.push({
        start: hit.offset,
        end: hit.offset + hit.header.length,
        message: `${hit.header} lists every object of a page and often grows past 8k; http_resp_hdr_len is ${source}. A longer header makes Varnish answer '503 Backend fetch failed': raise http_resp_hdr_len to 64k (with http_resp_size 96k, workspace_backend 128k) in the varnishd parameters.`,
      });
    }
    return out;
  },
};
