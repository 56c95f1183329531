/**
 * Programs whose verdict changes between releases, one line each: the
 * releases whose compiler accepts the program (a span), and the rule we
 * report on a 1-based line for the others. test/semantic/release-cases.test.ts
 * lints each for every supported release; test/varnishd/release-cases.test.ts
 * compiles each with the real 6.5, 7.1, 7.7 and 9.0 compilers.
 */
import type { VersionSpan } from '../../server/src/facts/versions.js';

export interface ReleaseCase {
  name: string;
  /** The whole program. */
  text: string;
  /** Where the compiler accepts it. */
  accepted: VersionSpan;
  /** `rule@line` reported where it is refused. */
  refused: string;
}

const B = 'backend b { .host = "127.0.0.1"; .port = "8080"; }';
const v41 = (body: string) => `vcl 4.1;\n${B}\n${body}\n`;

export const releaseCases: ReleaseCase[] = [
  { name: 'resp.proto set in vcl_deliver', text: v41('sub vcl_deliver {\n  set resp.proto = "HTTP/1.0";\n}'), accepted: { until: '6.6' }, refused: 'variable-access@4' },
  { name: 'req.hash_ignore_vary', text: v41('sub vcl_recv {\n  set req.hash_ignore_vary = true;\n}'), accepted: { since: '7.0' }, refused: 'symbol-unknown@4' },
  { name: 'req.xid compared with an INT', text: v41('sub vcl_recv {\n  if (req.xid > 5) { return (pass); }\n}'), accepted: { since: '7.3' }, refused: 'type-mismatch@4' },
  { name: 'beresp.transit_buffer', text: v41('sub vcl_backend_response {\n  set beresp.transit_buffer = 1MB;\n}'), accepted: { since: '7.3' }, refused: 'symbol-unknown@4' },
  { name: 'unset bereq.first_byte_timeout', text: v41('sub vcl_backend_fetch {\n  unset bereq.first_byte_timeout;\n}'), accepted: { since: '7.5' }, refused: 'variable-access@4' },
  { name: 'req.filters', text: v41('sub vcl_recv {\n  set req.filters = "";\n}'), accepted: { since: '7.7' }, refused: 'symbol-unknown@4' },
  { name: 'req.is_hitmiss in vcl_recv', text: v41('sub vcl_recv {\n  if (req.is_hitmiss) { return (pass); }\n}'), accepted: { until: '7.7' }, refused: 'variable-access@4' },
  { name: 'param.max_retries', text: v41('sub vcl_recv {\n  set req.http.x = param.max_retries;\n}'), accepted: { since: '8.0' }, refused: 'symbol-unknown@4' },
  { name: 'vcl_backend_refresh returning merge', text: v41('sub vcl_backend_refresh {\n  return (merge);\n}'), accepted: { since: '8.0' }, refused: 'name-legality@3' },
  { name: 'req.max_age', text: v41('sub vcl_recv {\n  set req.max_age = 10s;\n}'), accepted: { since: '9.0' }, refused: 'symbol-unknown@4' },
  { name: 'beresp.storage_hint under vcl 4.0', text: `vcl 4.0;\n${B}\nsub vcl_backend_response {\n  set beresp.storage_hint = "s0";\n}\n`, accepted: { until: '9.0' }, refused: 'symbol-unknown@4' },
  { name: 'probe .expect_close', text: v41('probe p {\n  .url = "/";\n  .expect_close = false;\n}\nbackend c { .host = "127.0.0.1"; .port = "8081"; .probe = p; }\nsub vcl_recv {\n  set req.backend_hint = c;\n}'), accepted: { since: '7.3' }, refused: 'release-feature@5' },
  { name: 'ACL flag +fold', text: v41('acl local +fold {\n  "127.0.0.1";\n}\nsub vcl_recv {\n  if (client.ip ~ local) { return (pass); }\n}'), accepted: { since: '7.5' }, refused: 'release-feature@3' },
  { name: 'backend .wait_timeout and .wait_limit', text: `vcl 4.1;\nbackend b {\n  .host = "127.0.0.1";\n  .port = "8080";\n  .max_connections = 10;\n  .wait_timeout = 2s;\n  .wait_limit = 5;\n}\n`, accepted: { since: '7.6' }, refused: 'release-feature@6' },
  { name: 'sub vcl_beresp_range merged with the built-in one', text: v41('sub vcl_beresp_range {\n  unset beresp.http.X-Range;\n}'), accepted: { since: '7.6' }, refused: 'name-legality@3' },
  { name: "the 'unused' statement", text: v41('probe p {\n  .url = "/";\n}\nunused p;'), accepted: { since: '9.0' }, refused: 'release-feature@6' },
  { name: 'the % operator', text: v41('sub vcl_deliver {\n  set resp.http.x = 7 % 3;\n}'), accepted: { since: '6.6' }, refused: 'release-feature@4' },
  { name: 'a long string between triple quotes', text: v41('sub vcl_synth {\n  set resp.body = """{"a":1}""";\n}'), accepted: { since: '6.6' }, refused: 'release-feature@4' },
  { name: 'ACL flag +log', text: v41('acl local +log {\n  "127.0.0.1";\n}\nsub vcl_recv {\n  if (client.ip ~ local) { return (pass); }\n}'), accepted: { since: '7.0' }, refused: 'release-feature@3' },
  { name: 'regular expression of joined constants', text: v41('sub vcl_recv {\n  if (req.url ~ "^/a" + "b") { return (pass); }\n}'), accepted: { since: '7.1' }, refused: 'release-feature@4' },
  { name: 'ACL entry with host bits', text: v41('acl local {\n  "127.0.0.1"/8;\n}\nsub vcl_recv {\n  if (client.ip ~ local) { return (pass); }\n}'), accepted: { until: '7.0' }, refused: 'acl-entry@4' },
  { name: 'std.cache_req_body outside vcl_recv', text: v41('import std;\nsub vcl_deliver {\n  std.cache_req_body(1KB);\n}'), accepted: { until: '7.7' }, refused: 'call-arguments@5' },
  { name: 'a regex escape PCRE2 does not know', text: v41('sub vcl_recv {\n  if (req.url ~ "^/\\Tracking") { return (pass); }\n}'), accepted: { until: '7.0' }, refused: 'regex-invalid@4' },
  { name: 'a quoted header name', text: v41('sub vcl_recv {\n  set req.http.x = req.http."x.y";\n}'), accepted: { since: '7.0' }, refused: 'release-feature@4' },
  { name: 'a backend used above its definition', text: v41('sub vcl_recv {\n  set req.backend_hint = c;\n}\nbackend c { .host = "127.0.0.1"; .port = "8081"; }'), accepted: { since: '7.0' }, refused: 'release-feature@4' },
  { name: 'an ACL used above its definition', text: v41('sub vcl_recv {\n  if (client.ip ~ local) { return (pass); }\n}\nacl local { "127.0.0.1"; }'), accepted: {}, refused: 'symbol-unknown@4' },
  { name: 'an integer of 16 digits', text: v41('sub vcl_recv {\n  set req.http.x = 1234567890123456;\n}'), accepted: { until: '7.0' }, refused: 'syntax@4' },
  { name: 'a real with 5 decimals', text: v41('sub vcl_recv {\n  set req.http.x = 1.23456;\n}'), accepted: { until: '7.0' }, refused: 'syntax@4' },
  { name: 'IP compared with a string constant', text: v41('sub vcl_recv {\n  if (client.ip == "127.0.0.1") { return (pass); }\n}'), accepted: {}, refused: 'type-mismatch@4' },
  { name: 'a custom sub used as a string', text: v41('sub s {\n}\nsub vcl_recv {\n  call s;\n  set req.http.x = s;\n}'), accepted: { until: '7.0' }, refused: 'type-mismatch@7' },
];
