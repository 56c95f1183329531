/**
 * The rules about 503s, probes and caching (probe-sanity, retry-after-missing,
 * rate-limit-status, backend-timeout-risk, cache-disabled), one line per
 * case: a VCL body after `vcl 4.1;` and the findings expected as
 * `severity@line` (line within the body, 1-based).
 */
import assert from 'node:assert/strict';
import type { Rule } from '../../server/src/rules/rule.js';
import { probeSanityRule } from '../../server/src/rules/probe-sanity.js';
import { retryAfterMissingRule } from '../../server/src/rules/retry-after-missing.js';
import { rateLimitStatusRule } from '../../server/src/rules/rate-limit-status.js';
import { backendTimeoutRiskRule } from '../../server/src/rules/backend-timeout-risk.js';
import { cacheDisabledRule } from '../../server/src/rules/cache-disabled.js';
import { runRule } from '../helpers/run-rule.js';

const B = 'backend b { .host = "127.0.0.1"; }\n';
const probe = (attrs: string) => `probe p {\n${attrs}\n}\n`;

const cases: Array<[Rule, string, string, string[]]> = [
  [probeSanityRule, 'HTTP/1.1 request without Connection: close', probe('.request = "GET / HTTP/1.1" "Host: a";'), ['warning@2']],
  [probeSanityRule, 'request with Host and Connection: close', probe('.request = "GET / HTTP/1.1" "Host: a" "connection: close";'), []],
  [probeSanityRule, 'HTTP/1.0 request closes by itself', probe('.request = "GET / HTTP/1.0";'), []],
  [probeSanityRule, 'HTTP/1.0 request asking for keep-alive', probe('.request = "GET / HTTP/1.0" "Connection: keep-alive";'), ['warning@2']],
  [probeSanityRule, 'HTTP/1.1 request without Host', probe('.request = "GET / HTTP/1.1" "Connection: close";'), ['warning@2']],
  [probeSanityRule, 'no Host and no close: two findings', probe('.request = "GET / HTTP/1.1";'), ['warning@2', 'warning@2']],
  [probeSanityRule, '.url probes are Varnish\'s own request', probe('.url = "/";'), []],
  [probeSanityRule, 'timeout equal to interval', probe('.timeout = 5s;\n.interval = 5s;'), ['info@2']],
  [probeSanityRule, 'interval below the default timeout', probe('.interval = 1s;'), ['info@2']],
  [probeSanityRule, 'timeout below interval', probe('.timeout = 1s;\n.interval = 5s;'), []],
  [probeSanityRule, 'timeout alone below the default interval', probe('.timeout = 500ms;'), []],
  [probeSanityRule, 'timeout alone above the default interval', probe('.timeout = 1m;'), ['info@2']],
  [probeSanityRule, 'initial above threshold', probe('.window = 8;\n.threshold = 3;\n.initial = 5;'), ['info@4']],
  [probeSanityRule, 'initial equal to threshold is a choice', probe('.window = 8;\n.threshold = 3;\n.initial = 3;'), []],
  [probeSanityRule, 'initial above the default threshold', probe('.initial = 4;'), ['info@2']],
  [probeSanityRule, 'initial below the default threshold', probe('.initial = 2;'), []],
  [probeSanityRule, 'threshold 0 means the default 3', probe('.threshold = 0;\n.initial = 8;'), ['info@3']],
  [probeSanityRule, 'inline probe of a backend', 'backend c {\n.host = "127.0.0.1";\n.probe = { .interval = 1s; }\n}\n', ['info@3']],

  [retryAfterMissingRule, 'synth(503) without vcl_synth', `${B}sub vcl_recv {\nreturn (synth(503, "Down"));\n}`, ['hint@3']],
  [retryAfterMissingRule, 'synth(503) and vcl_synth sets it', `${B}sub vcl_recv {\nreturn (synth(503));\n}\nsub vcl_synth {\nset resp.http.Retry-After = "5";\n}`, []],
  [retryAfterMissingRule, 'set for 503 only', `${B}sub vcl_recv {\nreturn (synth(503));\n}\nsub vcl_synth {\nif (resp.status == 503) { set resp.http.retry-after = "5"; }\n}`, []],
  [retryAfterMissingRule, 'set for 429 only', `${B}sub vcl_recv {\nreturn (synth(503));\n}\nsub vcl_synth {\nif (resp.status == 429) { set resp.http.Retry-After = "5"; }\n}`, ['hint@3']],
  [retryAfterMissingRule, 'set for 429 or 503', `${B}sub vcl_recv {\nreturn (synth(503));\n}\nsub vcl_synth {\nif (resp.status == 429 || resp.status == 503) { set resp.http.Retry-After = "5"; }\n}`, []],
  [retryAfterMissingRule, 'set in a sub vcl_synth calls', `${B}sub retry {\nset resp.http.Retry-After = "5";\n}\nsub vcl_recv {\nreturn (synth(503));\n}\nsub vcl_synth {\ncall retry;\n}`, []],
  [retryAfterMissingRule, 'set in the else of a status test counts', `${B}sub vcl_recv {\nreturn (synth(503));\n}\nsub vcl_synth {\nif (resp.status == 404) { } else { set resp.http.Retry-After = "5"; }\n}`, []],
  [retryAfterMissingRule, 'other statuses', `${B}sub vcl_recv {\nreturn (synth(404));\n}`, []],
  [retryAfterMissingRule, 'vcl_backend_error without it', `${B}sub vcl_backend_error {\nset beresp.http.X = "1";\n}`, ['hint@2']],
  [retryAfterMissingRule, 'vcl_backend_error with it', `${B}sub vcl_backend_error {\nset beresp.http.Retry-After = "5";\n}`, []],

  [rateLimitStatusRule, 'vsthrottle denial with 503', `import vsthrottle;\n${B}sub vcl_recv {\nif (vsthrottle.is_denied(client.identity, 10, 1s)) {\nreturn (synth(503));\n}\n}`, ['warning@5']],
  [rateLimitStatusRule, 'denial with 502 inside a nested if', `import vsthrottle;\n${B}sub vcl_recv {\nif (req.url ~ "^/api" && vsthrottle.is_denied(client.identity, 10, 1s)) {\nif (req.http.X) { return (synth(502, "Bad Gateway")); }\n}\n}`, ['warning@5']],
  [rateLimitStatusRule, 'denial with 429', `import vsthrottle;\n${B}sub vcl_recv {\nif (vsthrottle.is_denied(client.identity, 10, 1s)) {\nreturn (synth(429));\n}\n}`, []],
  [rateLimitStatusRule, 'negated: the allowed path', `import vsthrottle;\n${B}sub vcl_recv {\nif (!vsthrottle.is_denied(client.identity, 10, 1s)) {\nreturn (synth(503));\n}\n}`, []],
  [rateLimitStatusRule, 'a 503 without a limiter', `${B}sub vcl_recv {\nif (req.url ~ "^/down") {\nreturn (synth(503));\n}\n}`, []],

  [backendTimeoutRiskRule, 'first_byte_timeout under 1s', 'backend c {\n.host = "127.0.0.1";\n.first_byte_timeout = 500ms;\n}', ['warning@3']],
  [backendTimeoutRiskRule, 'between_bytes_timeout under 1s', 'backend c {\n.host = "127.0.0.1";\n.between_bytes_timeout = 0.2s;\n}', ['warning@3']],
  [backendTimeoutRiskRule, 'one second is fine', 'backend c {\n.host = "127.0.0.1";\n.first_byte_timeout = 1s;\n}', []],
  [backendTimeoutRiskRule, '0s is left alone', 'backend c {\n.host = "127.0.0.1";\n.first_byte_timeout = 0s;\n}', []],
  [backendTimeoutRiskRule, 'connect_timeout above first_byte_timeout', 'backend c {\n.host = "127.0.0.1";\n.connect_timeout = 5s;\n.first_byte_timeout = 2s;\n}', ['warning@3']],
  [backendTimeoutRiskRule, 'connect_timeout below first_byte_timeout', 'backend c {\n.host = "127.0.0.1";\n.connect_timeout = 1s;\n.first_byte_timeout = 1m;\n}', []],
  [backendTimeoutRiskRule, 'set in VCL under 1s', `${B}sub vcl_backend_fetch {\nset bereq.first_byte_timeout = 100ms;\n}`, ['warning@3']],
  [backendTimeoutRiskRule, 'set in VCL to seconds', `${B}sub vcl_backend_fetch {\nset bereq.between_bytes_timeout = 5s;\n}`, []],

  [cacheDisabledRule, 'unconditional pass', `${B}sub vcl_recv {\nset req.http.X = "1";\nreturn (pass);\n}`, ['info@4']],
  [cacheDisabledRule, 'unconditional pipe', `${B}sub vcl_recv {\nreturn (pipe);\n}`, ['info@3']],
  [cacheDisabledRule, 'a conditional return comes first', `${B}sub vcl_recv {\nif (req.url ~ "^/static") { return (hash); }\nreturn (pass);\n}`, []],
  [cacheDisabledRule, 'pass only in an if', `${B}sub vcl_recv {\nif (req.http.Cookie) { return (pass); }\n}`, []],
  [cacheDisabledRule, 'a called sub may return first', `${B}sub cacheable {\nif (req.url ~ "^/static") { return (hash); }\n}\nsub vcl_recv {\ncall cacheable;\nreturn (pass);\n}`, []],
  [cacheDisabledRule, 'a called sub that never returns', `${B}sub clean {\nunset req.http.Cookie;\n}\nsub vcl_recv {\ncall clean;\nreturn (pass);\n}`, ['info@7']],
  [cacheDisabledRule, 'hash first', `${B}sub vcl_recv {\nreturn (hash);\n}`, []],
  [cacheDisabledRule, 'the first of two vcl_recv passes', `${B}sub vcl_recv {\nreturn (pass);\n}\nsub vcl_recv {\nreturn (hash);\n}`, ['info@3']],
];

describe('503, probe and caching rules', () => {
  for (const [rule, name, body, expected] of cases) {
    it(`${rule.id}: ${name}: ${expected.join(', ') || 'nothing'}`, () => {
      const prelude = 'vcl 4.1;\n';
      const found = runRule(rule, prelude + body).map((f) => `${f.severity ?? rule.defaultSeverity}@${f.line - 1}`);
      assert.deepEqual(found, expected);
    });
  }
});
