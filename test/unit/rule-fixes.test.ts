/**
 * Quick fixes, one line per case: the rule, the text before, and the whole
 * text after applying the first fix of every finding of that rule (as
 * `vcl-lint --fix` does, repeated until nothing changes).
 */
import assert from 'node:assert/strict';
import { lintText } from '../../server/src/service/lint.js';
import { fixText } from '../../server/src/cli/fix.js';

const V = 'vcl 4.1;\nbackend b { .host = "127.0.0.1"; }\n';

const cases: Array<[rule: string, name: string, before: string, after: string]> = [
  ['vcl3-construct', 'req.* in vcl_fetch is bereq.*', 'sub vcl_fetch {\n  set beresp.http.u = req.url + req.http.Host;\n}\n', 'sub vcl_backend_response {\n  set beresp.http.u = bereq.url + bereq.http.Host;\n}\n'],
  ['vcl3-construct', 'req.request in vcl_fetch is bereq.method in one step', 'sub vcl_fetch {\n  set beresp.http.m = req.request;\n}\n', 'sub vcl_backend_response {\n  set beresp.http.m = bereq.method;\n}\n'],
  ['vcl3-construct', 'obj.* in vcl_fetch is beresp.*', 'sub vcl_fetch {\n  set obj.ttl = 1h;\n  set obj.http.X = obj.response;\n}\n', 'sub vcl_backend_response {\n  set beresp.ttl = 1h;\n  set beresp.http.X = beresp.reason;\n}\n'],
  ['vcl3-construct', 'hit_for_pass in vcl_fetch', 'sub vcl_fetch {\n  return (hit_for_pass);\n}\n', 'sub vcl_backend_response {\n  return (pass);\n}\n'],
  ['vcl3-construct', 'obj.* of the error page in vcl_error is resp.*', 'sub vcl_error {\n  set obj.http.Content-Type = "text/plain";\n  set obj.http.X = obj.status + obj.response;\n}\n', 'sub vcl_synth {\n  set resp.http.Content-Type = "text/plain";\n  set resp.http.X = resp.status + resp.reason;\n}\n'],
  ['vcl3-construct', 'obj.status and obj.http in vcl_deliver are resp.*; obj.hits stays', 'sub vcl_deliver {\n  if (obj.hits > 0 && obj.status == 200) {\n    set resp.http.S = obj.http.Server;\n  }\n}\n', 'sub vcl_deliver {\n  if (obj.hits > 0 && resp.status == 200) {\n    set resp.http.S = resp.http.Server;\n  }\n}\n'],
  ['vcl3-construct', 'resp.response is resp.reason everywhere', 'sub vcl_deliver {\n  set resp.http.R = resp.response;\n}\n', 'sub vcl_deliver {\n  set resp.http.R = resp.reason;\n}\n'],
  ['vcl3-construct', 'req.url in vcl_recv stays', 'sub vcl_recv {\n  set req.http.u = req.url;\n}\n', 'sub vcl_recv {\n  set req.http.u = req.url;\n}\n'],
];

describe('rule fixes (whole text before and after)', () => {
  for (const [rule, name, before, after] of cases) {
    it(`${rule}: ${name}`, () => {
      const fixed = fixText(V + before, (t) => lintText(t).filter((d) => d.rule === rule)).text;
      assert.equal(fixed, V + after);
    });
  }
});
