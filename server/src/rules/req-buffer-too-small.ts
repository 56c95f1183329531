/**
 * `req-buffer-too-small`: the buffers for a client request's headers
 * (http_req_hdr_len, http_req_size, workspace_client) are too small or do
 * not fit into each other, so requests with large cookies or tokens are
 * refused.
 */
import type { ParamsRule } from './params-rule.js';
import { bufferFindings, type BufferTrio } from './buffer-limits.js';

const KB = 1024;

export const reqTrio: BufferTrio = {
  line: 'http_req_hdr_len',
  head: 'http_req_size',
  workspace: 'workspace_client',
  sender: 'client',
  symptom: 'Varnish refuses the request',
  recommended: [16 * KB, 64 * KB, 128 * KB],
};

export const reqBufferTooSmallRule: ParamsRule = {
  id: 'req-buffer-too-small',
  defaultSeverity: 'warning',
  description: 'Request-header buffers too small or inconsistent: requests with large cookies or tokens are refused.',
  check: (ctx) => bufferFindings(ctx, reqTrio),
};
