/**
 * Quick fixes, one line per case: the rule, the text before, and the whole
 * text after applying the first fix of every finding of that rule (as
 * `vcl-lint --fix` does, repeated until nothing changes). Fixes that need a
 * person's judgement (`manual`, never applied in bulk) are applied here too,
 * as an editor user would; the last column says which kind the rule offers.
 */
import assert from 'node:assert/strict';
import { lintText } from '../../server/src/service/lint.js';
import { fixText } from '../../server/src/cli/fix.js';
import type { LintDiagnostic } from '../../server/src/service/types.js';

const V = 'vcl 4.1;\nbackend b { .host = "127.0.0.1"; }\n';

const cases: Array<[rule: string, name: string, before: string, after: string, manual?: 'manual']> = [
  ['vcl3-construct', 'req.* in vcl_fetch is bereq.*', 'sub vcl_fetch {\n  set beresp.http.u = req.url + req.http.Host;\n}\n', 'sub vcl_backend_response {\n  set beresp.http.u = bereq.url + bereq.http.Host;\n}\n'],
  ['vcl3-construct', 'req.request in vcl_fetch is bereq.method in one step', 'sub vcl_fetch {\n  set beresp.http.m = req.request;\n}\n', 'sub vcl_backend_response {\n  set beresp.http.m = bereq.method;\n}\n'],
  ['vcl3-construct', 'obj.* in vcl_fetch is beresp.*', 'sub vcl_fetch {\n  set obj.ttl = 1h;\n  set obj.http.X = obj.response;\n}\n', 'sub vcl_backend_response {\n  set beresp.ttl = 1h;\n  set beresp.http.X = beresp.reason;\n}\n'],
  ['vcl3-construct', 'hit_for_pass in vcl_fetch', 'sub vcl_fetch {\n  return (hit_for_pass);\n}\n', 'sub vcl_backend_response {\n  return (pass);\n}\n'],
  ['vcl3-construct', 'obj.* of the error page in vcl_error is resp.*', 'sub vcl_error {\n  set obj.http.Content-Type = "text/plain";\n  set obj.http.X = obj.status + obj.response;\n}\n', 'sub vcl_synth {\n  set resp.http.Content-Type = "text/plain";\n  set resp.http.X = resp.status + resp.reason;\n}\n'],
  ['vcl3-construct', 'obj.status and obj.http in vcl_deliver are resp.*; obj.hits stays', 'sub vcl_deliver {\n  if (obj.hits > 0 && obj.status == 200) {\n    set resp.http.S = obj.http.Server;\n  }\n}\n', 'sub vcl_deliver {\n  if (obj.hits > 0 && resp.status == 200) {\n    set resp.http.S = resp.http.Server;\n  }\n}\n'],
  ['vcl3-construct', 'resp.response is resp.reason everywhere', 'sub vcl_deliver {\n  set resp.http.R = resp.response;\n}\n', 'sub vcl_deliver {\n  set resp.http.R = resp.reason;\n}\n'],
  ['vcl3-construct', 'req.url in vcl_recv stays', 'sub vcl_recv {\n  set req.http.u = req.url;\n}\n', 'sub vcl_recv {\n  set req.http.u = req.url;\n}\n'],
  ['return-action-removed', 'return (miss) in vcl_hit: restart, forced miss in a new vcl_recv', 'sub vcl_hit {\n  if (obj.ttl >= 0s) {\n    return (deliver);\n  }\n  return (miss);\n}\n', 'sub vcl_hit {\n  if (obj.ttl >= 0s) {\n    return (deliver);\n  }\n  set req.http.X-Hit-Miss = \"1\"; return (restart);\n}\n\nsub vcl_recv {\n    if (req.restarts == 0) {\n        unset req.http.X-Hit-Miss;\n    } elsif (req.http.X-Hit-Miss) {\n        unset req.http.X-Hit-Miss;\n        set req.hash_always_miss = true;\n    }\n}\n'],
  ['return-action-removed', 'return (fetch) in vcl_hit: restart, forced miss at the top of vcl_recv', 'sub vcl_recv {\n  return (hash);\n}\nsub vcl_hit {\n  if (obj.ttl < 0s) { return (fetch); }\n  return (deliver);\n}\n', 'sub vcl_recv {\n  if (req.restarts == 0) {\n      unset req.http.X-Hit-Miss;\n  } elsif (req.http.X-Hit-Miss) {\n      unset req.http.X-Hit-Miss;\n      set req.hash_always_miss = true;\n  }\n  return (hash);\n}\nsub vcl_hit {\n  if (obj.ttl < 0s) { set req.http.X-Hit-Miss = \"1\"; return (restart); }\n  return (deliver);\n}\n'],
  ['vcl3-construct', 'synthetic without parentheses in vcl_error', 'sub vcl_error {\n  synthetic {"<h1>"} + obj.status + {"</h1>"};\n  return (deliver);\n}\n', 'sub vcl_synth {\n  synthetic({"<h1>"} + resp.status + {"</h1>"});\n  return (deliver);\n}\n'],
  ['vcl3-construct', 'esi; and pass; of VCL 2 in vcl_fetch', 'sub vcl_fetch {\n  esi;\n  if (beresp.ttl <= 0s) {\n    pass;\n  }\n}\n', 'sub vcl_backend_response {\n  set beresp.do_esi = true;\n  if (beresp.ttl <= 0s) {\n    return (pass);\n  }\n}\n'],
  ['name-legality', 'acl ban renamed with every use, the ban() statement left alone', 'acl ban {\n  "127.0.0.1";\n}\nsub vcl_recv {\n  if (req.method == "BAN") {\n    if (!client.ip ~ ban) { return (synth(405)); }\n    ban("req.url ~ " + req.url);\n    return (synth(200));\n  }\n  if (client.ip ~ ban) { set req.http.X-Internal = "1"; }\n}\n', 'acl ban_acl {\n  "127.0.0.1";\n}\nsub vcl_recv {\n  if (req.method == "BAN") {\n    if (!client.ip ~ ban_acl) { return (synth(405)); }\n    ban("req.url ~ " + req.url);\n    return (synth(200));\n  }\n  if (client.ip ~ ban_acl) { set req.http.X-Internal = "1"; }\n}\n'],
  ['retry-after-missing', 'a new vcl_synth when there is none', 'sub vcl_recv {\n  return (synth(503, "Down"));\n}\n', 'sub vcl_recv {\n  return (synth(503, "Down"));\n}\n\nsub vcl_synth {\n    if (resp.status == 503) {\n        set resp.http.Retry-After = "5";\n    }\n}\n'],
  ['retry-after-missing', 'at the top of vcl_synth, in its indentation, once for two 503s', 'sub vcl_recv {\n  if (req.url ~ "^/a") { return (synth(503)); }\n  return (synth(503));\n}\nsub vcl_synth {\n  set resp.http.Content-Type = "text/plain";\n  return (deliver);\n}\n', 'sub vcl_recv {\n  if (req.url ~ "^/a") { return (synth(503)); }\n  return (synth(503));\n}\nsub vcl_synth {\n  if (resp.status == 503) {\n      set resp.http.Retry-After = "5";\n  }\n  set resp.http.Content-Type = "text/plain";\n  return (deliver);\n}\n'],
  ['retry-after-missing', 'beresp in vcl_backend_error', 'sub vcl_backend_error {\n    set beresp.http.Content-Type = "text/plain";\n}\n', 'sub vcl_backend_error {\n    if (beresp.status == 503) {\n        set beresp.http.Retry-After = "5";\n    }\n    set beresp.http.Content-Type = "text/plain";\n}\n'],
  ['rate-limit-status', '429 with the limiter\'s period as Retry-After', 'import vsthrottle;\nsub vcl_recv {\n    if (vsthrottle.is_denied(client.identity, 10, 30s)) {\n        return (synth(503, "Service Unavailable"));\n    }\n}\nsub vcl_synth {\n    return (deliver);\n}\n', 'import vsthrottle;\nsub vcl_recv {\n    if (vsthrottle.is_denied(client.identity, 10, 30s)) {\n        return (synth(429, "Too Many Requests"));\n    }\n}\nsub vcl_synth {\n    if (resp.status == 429) {\n        set resp.http.Retry-After = "30";\n    }\n    return (deliver);\n}\n', 'manual'],
  ['rate-limit-status', 'own reason kept, Retry-After already set for all', 'import vsthrottle;\nsub vcl_recv {\n    if (vsthrottle.is_denied(client.identity, 10, 1m, 2m)) {\n        return (synth(502, "Slow down"));\n    }\n}\nsub vcl_synth {\n    set resp.http.Retry-After = "120";\n}\n', 'import vsthrottle;\nsub vcl_recv {\n    if (vsthrottle.is_denied(client.identity, 10, 1m, 2m)) {\n        return (synth(429, "Slow down"));\n    }\n}\nsub vcl_synth {\n    set resp.http.Retry-After = "120";\n}\n', 'manual'],
  ['probe-sanity', 'Connection: close on its own line', 'probe p {\n    .request = "GET / HTTP/1.1"\n        "Host: a";\n}\n', 'probe p {\n    .request = "GET / HTTP/1.1"\n        "Host: a"\n        "Connection: close";\n}\n', 'manual'],
  ['probe-sanity', 'Connection: close on one line, before a trailing ""', 'probe p { .request = "GET / HTTP/1.1" "Host: a" ""; }\n', 'probe p { .request = "GET / HTTP/1.1" "Host: a" "Connection: close" ""; }\n', 'manual'],
  ['probe-sanity', '.initial capped at the threshold', 'probe p {\n    .threshold = 4;\n    .initial = 10;\n}\n', 'probe p {\n    .threshold = 4;\n    .initial = 4;\n}\n'],
];

/** Findings of one rule, with every fix made applicable so that manual ones are tested too. */
function findingsOf(rule: string, text: string): LintDiagnostic[] {
  return lintText(text)
    .filter((d) => d.rule === rule)
    .map((d) => ({ ...d, fixes: d.fixes?.map((f) => ({ ...f, manual: false })) }));
}

describe('rule fixes (whole text before and after)', () => {
  for (const [rule, name, before, after, manual] of cases) {
    it(`${rule}: ${name}${manual ? ' (manual)' : ''}`, () => {
      const offered = lintText(V + before).filter((d) => d.rule === rule && d.fixes?.length);
      if (V + before !== V + after) assert.ok(offered.length > 0, 'no fix offered');
      for (const d of offered) assert.equal(d.fixes![0]!.manual === true, manual === 'manual', `${d.fixes![0]!.title}: manual flag`);
      const fixed = fixText(V + before, (t) => findingsOf(rule, t)).text;
      assert.equal(fixed, V + after);
    });
  }
});
