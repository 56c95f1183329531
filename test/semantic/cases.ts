/**
 * Semantic check cases, one line each: a VCL body (compiled after
 * `vcl 4.1;` and a backend `b`), and the rule we expect on a 1-based line of
 * the body, or none. The same table is checked against the real varnishd in
 * test/varnishd/semantic-cases.test.ts: every case expecting a finding must
 * be refused by varnishd, every case expecting none accepted.
 */
export interface SemanticCase {
  name: string;
  body: string;
  /** `rule@line` (line within the body), or null for a clean program. */
  expect: string | null;
}

export const PRELUDE = 'vcl 4.1;\nbackend b { .host = "127.0.0.1"; }\n';

export const semanticCases: SemanticCase[] = [
  // variable-access
  { name: 'beresp.ttl read in vcl_recv', body: 'sub vcl_recv {\n  set req.http.x = beresp.ttl;\n}', expect: 'variable-access@2' },
  { name: 'beresp.ttl set in vcl_recv', body: 'sub vcl_recv {\n  set beresp.ttl = 1s;\n}', expect: 'variable-access@2' },
  { name: 'beresp.ttl set in vcl_backend_response', body: 'sub vcl_backend_response {\n  set beresp.ttl = 1s;\n}', expect: null },
  { name: 'now is read only', body: 'sub vcl_recv {\n  set now = now;\n}', expect: 'variable-access@2' },
  { name: 'obj.ttl not available in vcl_recv', body: 'sub vcl_recv {\n  set obj.ttl = 1s;\n}', expect: 'variable-access@2' },
  { name: 'resp.status cannot be unset', body: 'sub vcl_deliver {\n  unset resp.status;\n}', expect: 'variable-access@2' },
  { name: 'bereq.body unset in vcl_recv', body: 'sub vcl_recv {\n  unset bereq.body;\n}', expect: 'variable-access@2' },
  { name: 'req header unset in vcl_recv', body: 'sub vcl_recv {\n  unset req.http.Cookie;\n}', expect: null },
  { name: 'custom sub called from vcl_recv reads beresp', body: 'sub foo {\n  set req.http.x = beresp.status;\n}\nsub vcl_recv {\n  call foo;\n}', expect: 'variable-access@2' },
  { name: 'custom sub called from the backend side', body: 'sub foo {\n  set beresp.http.x = "1";\n}\nsub vcl_backend_response {\n  call foo;\n}', expect: null },
  // VCL 3's obj.* in vcl_deliver (vcl3-construct, not variable-access), and what 7.1 still allows there
  { name: 'obj.status read in vcl_deliver', body: 'sub vcl_deliver {\n  set resp.http.x = obj.status;\n}', expect: 'vcl3-construct@2' },
  { name: 'obj.http read in vcl_deliver', body: 'sub vcl_deliver {\n  set resp.http.x = obj.http.Server;\n}', expect: 'vcl3-construct@2' },
  { name: 'obj.hits, obj.ttl and obj.age read in vcl_deliver', body: 'sub vcl_deliver {\n  set resp.http.x = obj.hits + obj.ttl + obj.age;\n}', expect: null },
  { name: 'return (pass) in vcl_backend_response', body: 'sub vcl_backend_response {\n  return (pass);\n}', expect: null },
  { name: 'return (pass(120s)) in vcl_backend_response', body: 'sub vcl_backend_response {\n  return (pass(120s));\n}', expect: null },
  // return-action
  { name: 'deliver is not a vcl_recv action', body: 'sub vcl_recv {\n  return (deliver);\n}', expect: 'return-action@2' },
  { name: 'hash is a vcl_recv action', body: 'sub vcl_recv {\n  return (hash);\n}', expect: null },
  { name: 'action checked through a call', body: 'sub foo {\n  return (fetch);\n}\nsub vcl_recv {\n  call foo;\n}', expect: 'return-action@2' },
  // symbol-unknown
  { name: 'unknown variable', body: 'sub vcl_recv {\n  set req.foobar = "x";\n}', expect: 'symbol-unknown@2' },
  { name: 'call of an undefined sub', body: 'sub vcl_recv {\n  call nosuch;\n}', expect: 'symbol-unknown@2' },
  { name: 'undefined backend', body: 'sub vcl_backend_fetch {\n  set bereq.backend = nosuch;\n}', expect: 'symbol-unknown@2' },
  { name: 'variable of VCL 4.0 only', body: 'sub vcl_recv {\n  set req.esi = false;\n}', expect: 'symbol-unknown@2' },
  { name: 'vmod function that does not exist', body: 'import std;\nsub vcl_recv {\n  std.nosuch("x");\n}', expect: 'call-arguments@3' },
  // unused-definition
  { name: 'unused second backend', body: 'backend c { .host = "127.0.0.1"; }', expect: 'unused-definition@1' },
  { name: 'unused sub', body: 'sub foo {\n}', expect: 'unused-definition@1' },
  { name: 'unused acl', body: 'acl local {\n  "127.0.0.1";\n}', expect: 'unused-definition@1' },
  { name: 'probe named default is used implicitly', body: 'probe default {\n  .url = "/";\n}', expect: null },
  { name: 'used acl', body: 'acl local {\n  "127.0.0.1";\n}\nsub vcl_recv {\n  if (client.ip ~ local) { return (pass); }\n}', expect: null },
  // sub-recursion
  { name: 'recursion through two subs', body: 'sub a {\n  call c;\n}\nsub c {\n  call a;\n}\nsub vcl_recv {\n  call a;\n}', expect: 'sub-recursion@1' },
  // return-action-removed: vcl_hit's miss (Varnish 6.0) and fetch (4.0), and the rewrite offered for them
  { name: 'return (miss) in vcl_hit', body: 'sub vcl_hit {\n  if (obj.ttl >= 0s) {\n    return (deliver);\n  }\n  return (miss);\n}', expect: 'return-action-removed@5' },
  { name: 'return (fetch) in vcl_hit', body: 'sub vcl_recv {\n  return (hash);\n}\nsub vcl_hit {\n  if (obj.ttl < 0s) { return (fetch); }\n  return (deliver);\n}', expect: 'return-action-removed@5' },
  { name: 'return (miss) rewritten: restart and hash_always_miss', body: 'sub vcl_hit {\n  if (obj.ttl >= 0s) {\n    return (deliver);\n  }\n  set req.http.X-Hit-Miss = \"1\"; return (restart);\n}\n\nsub vcl_recv {\n    if (req.restarts == 0) {\n        unset req.http.X-Hit-Miss;\n    } elsif (req.http.X-Hit-Miss) {\n        unset req.http.X-Hit-Miss;\n        set req.hash_always_miss = true;\n    }\n}', expect: null },
  { name: 'return (fetch) rewritten: restart and hash_always_miss', body: 'sub vcl_recv {\n  if (req.restarts == 0) {\n      unset req.http.X-Hit-Miss;\n  } elsif (req.http.X-Hit-Miss) {\n      unset req.http.X-Hit-Miss;\n      set req.hash_always_miss = true;\n  }\n  return (hash);\n}\nsub vcl_hit {\n  if (obj.ttl < 0s) { set req.http.X-Hit-Miss = \"1\"; return (restart); }\n  return (deliver);\n}', expect: null },
  // name-legality: an ACL named like a statement, and the program its rename fix makes
  { name: 'acl named ban', body: 'acl ban {\n  "127.0.0.1";\n}\nsub vcl_recv {\n  if (req.method == "BAN") {\n    if (!client.ip ~ ban) { return (synth(405)); }\n    ban("req.url ~ " + req.url);\n    return (synth(200));\n  }\n  if (client.ip ~ ban) { set req.http.X-Internal = "1"; }\n}', expect: 'name-legality@1' },
  { name: 'acl ban renamed to ban_acl with its uses', body: 'acl ban_acl {\n  "127.0.0.1";\n}\nsub vcl_recv {\n  if (req.method == "BAN") {\n    if (!client.ip ~ ban_acl) { return (synth(405)); }\n    ban("req.url ~ " + req.url);\n    return (synth(200));\n  }\n  if (client.ip ~ ban_acl) { set req.http.X-Internal = "1"; }\n}', expect: null },
  // backend-host-placeholder: templates that still carry their placeholders
  { name: 'host placeholder _BACKEND_HOST_', body: 'backend c { .host = "_BACKEND_HOST_"; }\nsub vcl_backend_fetch { set bereq.backend = c; }', expect: 'backend-host-placeholder@1' },
  { name: 'host placeholder {VARNISH_BACKEND_HOST}', body: 'backend c { .host = "{VARNISH_BACKEND_HOST}"; }\nsub vcl_backend_fetch { set bereq.backend = c; }', expect: 'backend-host-placeholder@1' },
  { name: 'host placeholder ${BACKEND}', body: 'backend c { .host = "${BACKEND}"; }\nsub vcl_backend_fetch { set bereq.backend = c; }', expect: 'backend-host-placeholder@1' },
  { name: 'host placeholder {{ .Values.host }}', body: 'backend c { .host = "{{ .Values.host }}"; }\nsub vcl_backend_fetch { set bereq.backend = c; }', expect: 'backend-host-placeholder@1' },
  { name: 'host placeholder %BACKEND%', body: 'backend c { .host = "%BACKEND%"; }\nsub vcl_backend_fetch { set bereq.backend = c; }', expect: 'backend-host-placeholder@1' },
  { name: 'host placeholder @@HOST@@', body: 'backend c { .host = "@@HOST@@"; }\nsub vcl_backend_fetch { set bereq.backend = c; }', expect: 'backend-host-placeholder@1' },
  { name: 'port placeholder ${PORT}', body: 'backend c { .host = "127.0.0.1"; .port = "${PORT}"; }\nsub vcl_backend_fetch { set bereq.backend = c; }', expect: 'backend-host-placeholder@1' },
  { name: 'port placeholder {{ .Values.port }}', body: 'backend c { .host = "127.0.0.1"; .port = "{{ .Values.port }}"; }\nsub vcl_backend_fetch { set bereq.backend = c; }', expect: 'backend-host-placeholder@1' },
  // return actions and their arguments: what VCC reads between the parentheses
  { name: 'return (synth) without its status', body: 'sub vcl_recv {\n  return (synth);\n}', expect: 'syntax@2' },
  { name: 'return (synth()) with an empty list', body: 'sub vcl_recv {\n  return (synth());\n}', expect: 'syntax@2' },
  { name: 'return (synth) with three arguments', body: 'sub vcl_recv {\n  return (synth(200, "a", "b"));\n}', expect: 'syntax@2' },
  { name: 'return (vcl) without its label', body: 'sub vcl_recv {\n  return (vcl);\n}', expect: 'syntax@2' },
  { name: 'return (pass()) with an empty list', body: 'sub vcl_backend_response {\n  return (pass());\n}', expect: 'syntax@2' },
  { name: 'return (fail) without a reason', body: 'sub vcl_recv {\n  return (fail);\n}', expect: null },
  { name: 'return (error) without a status', body: 'sub vcl_backend_fetch {\n  return (error);\n}', expect: null },
  { name: 'return (error(503, "x"))', body: 'sub vcl_backend_fetch {\n  return (error(503, "x"));\n}', expect: null },
  // a header name VCC can hold (126 characters) and one it cannot (127)
  { name: 'header name of 127 characters', body: 'sub vcl_deliver {\n  set resp.http.hhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhh = "x";\n}', expect: 'variable-access@2' },
  { name: 'header name of 126 characters', body: 'sub vcl_deliver {\n  set resp.http.hhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhh = "x";\n}', expect: null },
  { name: 'header name of 127 characters read', body: 'sub vcl_recv {\n  if (req.http.hhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhhh) { return (pass); }\n}', expect: 'variable-access@2' },
  // a sub used as a value (a built-in method's name too, written in the program or not)
  { name: 'a built-in method used as a string', body: 'sub vcl_recv {\n  set req.http.x = vcl_hash;\n}', expect: 'type-mismatch@2' },
  { name: 'a custom sub used as a condition', body: 'sub s {\n}\nsub vcl_recv {\n  call s;\n  if (s) { return (pass); }\n}', expect: 'type-mismatch@5' },
  // a backend's .probe names a probe defined below it
  { name: 'probe defined below the backend that uses it', body: 'backend c {\n  .host = "127.0.0.1";\n  .probe = p;\n}\nprobe p {\n  .url = "/";\n}\nsub vcl_recv {\n  set req.backend_hint = c;\n}', expect: 'symbol-unknown@3' },
  { name: 'probe defined above the backend that uses it', body: 'probe p {\n  .url = "/";\n}\nbackend c {\n  .host = "127.0.0.1";\n  .probe = p;\n}\nsub vcl_recv {\n  set req.backend_hint = c;\n}', expect: null },
  // objects made with new: values of their own type, and what new takes
  { name: 'director object where a backend is wanted', body: 'import directors;\nsub vcl_init {\n  new rr = directors.round_robin();\n  rr.add_backend(b);\n}\nsub vcl_recv {\n  set req.backend_hint = rr;\n}', expect: 'type-mismatch@7' },
  { name: 'director object as a string', body: 'import directors;\nsub vcl_init {\n  new rr = directors.round_robin();\n  rr.add_backend(b);\n}\nsub vcl_recv {\n  set req.http.x = rr;\n}', expect: 'type-mismatch@7' },
  { name: 'director object as an ACL', body: 'import directors;\nsub vcl_init {\n  new rr = directors.round_robin();\n  rr.add_backend(b);\n}\nsub vcl_recv {\n  if (client.ip ~ rr) { return (pass); }\n}', expect: 'type-mismatch@7' },
  { name: 'constructor without parentheses', body: 'import directors;\nsub vcl_init {\n  new rr = directors.round_robin;\n  rr.add_backend(b);\n}\nsub vcl_recv {\n  set req.backend_hint = rr.backend();\n}', expect: 'syntax@3' },
  { name: 'new with an ACL', body: 'acl local {\n  "127.0.0.1";\n}\nsub vcl_init {\n  new x = local;\n}\nsub vcl_recv {\n  if (client.ip ~ local) { return (pass); }\n}', expect: 'type-mismatch@5' },
  { name: 'a built-in method the program does not write, called', body: 'sub vcl_pass {\n  call vcl_miss;\n}', expect: null },
  // built-in functions take a fixed number of arguments
  { name: 'ban() without its argument', body: 'sub vcl_recv {\n  ban();\n}', expect: 'syntax@2' },
  { name: 'regsub with two arguments', body: 'sub vcl_recv {\n  set req.url = regsub(req.url, "a");\n}', expect: 'syntax@2' },
  { name: 'regsub with four arguments', body: 'sub vcl_recv {\n  set req.url = regsub(req.url, "a", "b", "c");\n}', expect: 'syntax@2' },
  { name: 'hash_data with two arguments', body: 'sub vcl_hash {\n  hash_data(req.url, req.http.host);\n}', expect: 'syntax@2' },
  { name: 'hash_data of joined strings', body: 'sub vcl_hash {\n  hash_data(req.url + req.http.host);\n}', expect: null },
  // a vmod is known from its import on
  { name: 'vmod used above its import', body: 'sub vcl_recv {\n  std.log("x");\n}\nimport std;', expect: 'symbol-unknown@2' },
  { name: 'vmod used below its import', body: 'import std;\nsub vcl_recv {\n  std.log("x");\n}', expect: null },
  { name: 'object used above the vcl_init that creates it', body: 'import directors;\nsub vcl_recv {\n  set req.backend_hint = rr.backend();\n}\nsub vcl_init {\n  new rr = directors.round_robin();\n  rr.add_backend(b);\n}', expect: 'symbol-unknown@3' },
  { name: 'object created through an import alias', body: 'import directors as d;\nsub vcl_init {\n  new rr = d.round_robin();\n  rr.add_backend(b);\n}\nsub vcl_recv {\n  set req.backend_hint = rr.backend();\n}', expect: 'call-arguments@4' },
  { name: 'object created through an alias, the vmod imported under its own name too', body: 'import directors as d;\nimport directors;\nsub vcl_init {\n  new rr = d.round_robin();\n  rr.add_backend(b);\n}\nsub vcl_recv {\n  set req.backend_hint = rr.backend();\n}', expect: null },
  { name: 'a vmod function called through an import alias', body: 'import std as s;\nsub vcl_recv {\n  s.log("x");\n}', expect: null },
  { name: 'IP matched against a string', body: 'sub vcl_recv {\n  if (client.ip ~ "^10\\.") { return (pass); }\n}', expect: 'syntax@2' },
  { name: '.proxy_header 3', body: 'backend c {\n  .host = "127.0.0.1";\n  .proxy_header = 3;\n}\nsub vcl_recv {\n  set req.backend_hint = c;\n}', expect: 'backend-address@3' },
  { name: '.proxy_header 2', body: 'backend c {\n  .host = "127.0.0.1";\n  .proxy_header = 2;\n}\nsub vcl_recv {\n  set req.backend_hint = c;\n}', expect: null },
  { name: 'vcl_recv called from vcl_deliver runs builtin.vcl\'s vcl_recv too', body: 'sub vcl_deliver {\n  call vcl_recv;\n}', expect: 'return-action@2' },
  { name: 'vcl_fini called from vcl_init', body: 'sub vcl_init {\n  call vcl_fini;\n}', expect: null },
  { name: 'a size in a string', body: 'sub vcl_recv {\n  set req.http.x = "limit " + 1KB;\n}', expect: 'type-mismatch@2' },
  { name: 'sizes added to a stevedore\'s space, in a string', body: 'sub vcl_recv {\n  set req.http.x = storage.Transient.used_space + 1B + 1KB;\n}', expect: null },
  { name: 'a negative size', body: 'import std;\nsub vcl_recv {\n  if (std.cache_req_body(-1KB)) { return (hash); }\n}', expect: 'type-mismatch@3' },
  { name: 'a duration in a string', body: 'sub vcl_recv {\n  set req.http.x = "ttl " + 10s;\n}', expect: null },
  // type-mismatch
  { name: 'INT + STRING in INT context', body: 'sub vcl_backend_response {\n  set beresp.status = 1 + "foo";\n}', expect: 'type-mismatch@2' },
  { name: 'anything concatenates in STRING context', body: 'sub vcl_recv {\n  set req.http.x = 1s + 1;\n}', expect: null },
  { name: 'STRING - STRING', body: 'sub vcl_recv {\n  set req.http.x = "a" - "b";\n}', expect: 'type-mismatch@2' },
  { name: 'DURATION compared with INT', body: 'sub vcl_recv {\n  if (req.ttl > 0) { return (pass); }\n}', expect: 'type-mismatch@2' },
  { name: 'REAL compared with INT literal', body: 'import std;\nsub vcl_recv {\n  if (std.random(0, 1) > 0) { return (pass); }\n}', expect: null },
  { name: 'TIME is no condition', body: 'sub vcl_recv {\n  if (now) { return (pass); }\n}', expect: 'type-mismatch@2' },
  { name: 'INT is a condition', body: 'sub vcl_recv {\n  if (req.restarts) { return (pass); }\n}', expect: null },
  { name: 'INT literal where DURATION is expected', body: 'sub vcl_backend_response {\n  set beresp.ttl = 10;\n}', expect: 'type-mismatch@2' },
  { name: 'INT * DURATION', body: 'sub vcl_backend_response {\n  set beresp.grace = 2 * beresp.ttl;\n}', expect: 'type-mismatch@2' },
  { name: 'DURATION * REAL', body: 'sub vcl_backend_response {\n  set beresp.grace = beresp.ttl * 1.5;\n}', expect: null },
  { name: 'string where a backend is expected', body: 'sub vcl_backend_fetch {\n  set bereq.backend = "b";\n}', expect: 'type-mismatch@2' },
  { name: 'ordering of BOOL', body: 'sub vcl_recv {\n  if (req.can_gzip > false) { return (pass); }\n}', expect: 'type-mismatch@2' },
  { name: 'regex from a header', body: 'sub vcl_recv {\n  if (req.url ~ req.http.x) { return (pass); }\n}', expect: 'type-mismatch@2' },
  { name: 'HTTP into a header', body: 'sub vcl_synth {\n  set resp.http.x = resp;\n}', expect: 'type-mismatch@2' },
  { name: "'!' on REAL", body: 'import std;\nsub vcl_recv {\n  if (!std.random(0, 1)) { return (pass); }\n}', expect: 'type-mismatch@3' },
  // call-arguments
  { name: 'wrong enum value', body: 'import blob;\nsub vcl_recv {\n  set req.http.x = blob.encode(NOSUCH, blob=blob.decode(encoded="aa"));\n}', expect: 'call-arguments@3' },
  { name: 'missing argument', body: 'import std;\nsub vcl_recv {\n  set req.http.x = std.tolower();\n}', expect: 'call-arguments@3' },
  { name: 'unknown named argument', body: 'import std;\nsub vcl_recv {\n  set req.http.x = std.integer(s = "1", nosuch = 1);\n}', expect: 'call-arguments@3' },
  { name: 'named and defaulted arguments', body: 'import std;\nsub vcl_recv {\n  set req.http.x = std.integer(s = req.http.y, fallback = 0);\n}', expect: null },
  { name: 'director object with backends', body: 'import directors;\nsub vcl_init {\n  new rr = directors.round_robin();\n  rr.add_backend(b);\n}\nsub vcl_recv {\n  set req.backend_hint = rr.backend();\n}', expect: null },
  { name: 'object method that does not exist', body: 'import directors;\nsub vcl_init {\n  new rr = directors.round_robin();\n  rr.nosuch(b);\n}', expect: 'call-arguments@4' },
];
