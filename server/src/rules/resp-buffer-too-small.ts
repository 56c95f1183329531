/**
 * `resp-buffer-too-small`: the buffers for a backend response's headers
 * (http_resp_hdr_len, http_resp_size, workspace_backend) are too small or do
 * not fit into each other, so a healthy backend's response ends in
 * "503 Backend fetch failed". Also fires when the workspace's VCL handles
 * tag headers (Magento's X-Magento-Tags, xkey, Surrogate-Key, Cache-Tag)
 * that routinely outgrow the default 8k, or when a header larger than the
 * limit is expected (setting vcl.maxResponseHeaderBytes).
 */
import type { ParamsRule } from './params-rule.js';
import { bufferFindings, type BufferTrio } from './buffer-limits.js';

const KB = 1024;

/** Tag headers need room: Magento's guide recommends 64k for X-Magento-Tags. */
export const TAG_HEADER_MIN = 64 * KB;

export const respTrio: BufferTrio = {
  line: 'http_resp_hdr_len',
  head: 'http_resp_size',
  workspace: 'workspace_backend',
  sender: 'backend',
  symptom: "Varnish answers '503 Backend fetch failed'",
  recommended: [64 * KB, 96 * KB, 128 * KB],
};

export const respBufferTooSmallRule: ParamsRule = {
  id: 'resp-buffer-too-small',
  defaultSeverity: 'warning',
  description: "Response-header buffers too small or inconsistent: a healthy backend's large headers end in 503 Backend fetch failed.",
  check(ctx) {
    return bufferFindings(ctx, respTrio, () => {
      const expected = ctx.maxResponseHeaderBytes;
      const tags = ctx.tagHeaders;
      const needs: Array<{ need: number; why: string }> = [];
      if (expected) needs.push({ need: Math.ceil(expected / KB) * KB, why: `The largest response header you expect is ${expected} bytes (setting maxResponseHeaderBytes)` });
      if (tags.length) {
        const names = [...new Set(tags.map((t) => t.header))].join(', ');
        needs.push({ need: TAG_HEADER_MIN, why: `The VCL handles tag headers (${names}, e.g. at ${tags[0]!.where}) that grow with the catalogue and often pass 8k` });
      }
      if (ctx.observedLongHeader) needs.push(ctx.observedLongHeader);
      return needs.sort((a, b) => b.need - a.need)[0];
    }, ctx.observedHeadOverflow);
  },
};
