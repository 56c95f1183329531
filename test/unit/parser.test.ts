/**
 * Parser tests, one line per case: [description, VCL text, expectation].
 *
 * `ok(...)` rows must parse with no error at all, then pass the AST checks
 * listed; `fails(line, fragment)` rows must give an error on that 0-based
 * line whose message contains the fragment. Every `ok` row was compiled by
 * varnishd 7.1.1 (wrapped in `vcl 4.1;` and a backend, with unused objects
 * allowed, inline C allowed, the included files present and the glob written
 * as an absolute pattern); every `fails` row is refused by varnishd on the
 * same line.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../conformance/corpus.js';
import { parse } from '../../server/src/syntax/parse.js';
import { lintText } from '../../server/src/service/lint.js';
import type * as A from '../../server/src/syntax/ast.js';

interface NodeCheck {
  kind: string;
  /** Which node of that kind, in source order. */
  nth: number;
  /** Dotted paths into the node and the value each must have. */
  fields?: Record<string, unknown>;
  /** The expression rendered as an S-expression (see `sexpr`). */
  sexpr?: string;
  /** The node's source text. */
  source?: string;
  /** How many nodes of that kind the tree holds. */
  count?: number;
}

type Expectation = { valid: NodeCheck[] } | { line: number; message: string };

const ok = (...checks: NodeCheck[]): Expectation => ({ valid: checks });
const fails = (line: number, message: string): Expectation => ({ line, message });
/** The nth node of a kind has these field values (dotted paths: `'name.text'`, `'args.length'`). */
const node = (kind: string, fields: Record<string, unknown>, nth = 0): NodeCheck => ({ kind, nth, fields });
/** The nth node of a kind, rendered as an S-expression: `(+ 1 (* 2 3))`. */
const sx = (kind: string, sexpr: string, nth = 0): NodeCheck => ({ kind, nth, sexpr });
/** The nth node of a kind spans exactly this source text. */
const src = (kind: string, source: string, nth = 0): NodeCheck => ({ kind, nth, source });
const count = (kind: string, n: number): NodeCheck => ({ kind, nth: 0, count: n });

export const parserCases: Array<[string, string, Expectation]> = [
  // versions
  ['vcl 4.0', 'vcl 4.0;', ok(node('VersionDecl', { 'version.text': '4.0' }))],
  ['vcl 4.1', 'vcl 4.1;', ok(node('VersionDecl', { 'version.text': '4.1', 'version.value': 4.1 }), src('VersionDecl', 'vcl 4.1;'))],
  ['a second, lower version line', 'vcl 4.1;\nvcl 4.0;', ok(count('VersionDecl', 2))],

  // import and include
  ['import', 'import std;', ok(node('ImportDecl', { 'name.text': 'std', alias: undefined, from: undefined }))],
  ['import from a path', 'import std from "/usr/lib/x.so";', ok(node('ImportDecl', { 'name.text': 'std', 'from.value': '/usr/lib/x.so' }))],
  ['import as an alias', 'import debug as dbg;', ok(node('ImportDecl', { 'name.text': 'debug', 'alias.text': 'dbg', from: undefined }))],
  ['include', 'include "x.vcl";', ok(node('IncludeDecl', { 'path.value': 'x.vcl', flag: undefined }))],
  ['include inside a sub', 'sub vcl_recv {\n  include "y.vcl";\n}', ok(node('SubDecl', { 'body.statements.0.kind': 'IncludeDecl', 'body.statements.0.path.value': 'y.vcl' }))],
  ['include +glob', 'include +glob "*.vcl";', ok(node('IncludeDecl', { 'flag.text': 'glob', 'path.value': '*.vcl' }))],

  // backends and probes
  [
    'backend with every attribute but .path',
    'probe p1 { .url = "/"; }\nbackend b1 {\n  .host = "127.0.0.1";\n  .port = "8081";\n  .host_header = "example.com";\n  .connect_timeout = 1s;\n  .first_byte_timeout = 60s;\n  .between_bytes_timeout = 10s;\n  .max_connections = 100;\n  .proxy_header = 1;\n  .probe = p1;\n  .preamble = :SGVsbG8=:;\n}',
    ok(
      node('BackendDecl', { 'name.text': 'b1', none: false, 'attributes.length': 10 }),
      node('Attribute', { 'name.text': 'connect_timeout', 'value.text': '1', 'value.unit.text': 's' }, 4),
      node('Attribute', { 'name.text': 'probe', 'value.kind': 'Identifier', 'value.name.text': 'p1' }, 9),
      node('Attribute', { 'name.text': 'preamble', 'value.kind': 'BlobLiteral', 'value.text': ':SGVsbG8=:' }, 10),
    ),
  ],
  ['backend with .path (UNIX socket)', 'backend b1 { .path = "/run/app.sock"; }', ok(node('Attribute', { 'name.text': 'path', 'value.value': '/run/app.sock' }))],
  [
    'backend with an inline probe',
    'backend b1 {\n  .host = "127.0.0.1";\n  .probe = { .url = "/health"; .timeout = 100ms; .interval = 5s; .window = 10; .threshold = 5; .initial = 3; .expected_response = 200; }\n}',
    ok(node('Attribute', { 'name.text': 'probe', value: undefined, 'block.length': 7 }, 1), node('Attribute', { 'name.text': 'timeout', 'value.unit.text': 'ms' }, 3)),
  ],
  ['backend b none', 'backend b none;', ok(node('BackendDecl', { 'name.text': 'b', none: true, 'attributes.length': 0 }))],
  ['backend b None', 'backend b None;', ok(node('BackendDecl', { none: true }))],
  [
    'probe with a multi-string .request',
    'probe p {\n  .request = "GET / HTTP/1.1"\n    "Host: example.com"\n    "Connection: close";\n}',
    ok(node('Attribute', { 'name.text': 'request', 'value.value': 'GET / HTTP/1.1', 'moreStrings.length': 2, 'moreStrings.1.value': 'Connection: close' })),
  ],

  // acl
  [
    'acl with flags, negation, masks and optional entries',
    'acl a +log -pedantic {\n  "127.0.0.1";\n  !"10.0.0.0"/8;\n  ( "localhost" / 24 );\n  (!"example.invalid");\n  "::1"/128;\n}',
    ok(
      node('AclDecl', { 'name.text': 'a', 'flags.length': 2, 'flags.0.sign': '+', 'flags.0.name.text': 'log', 'flags.1.sign': '-', 'flags.1.name.text': 'pedantic', 'entries.length': 5 }),
      node('AclEntry', { negated: false, optional: false, 'address.value': '127.0.0.1', mask: undefined }, 0),
      node('AclEntry', { negated: true, optional: false, 'mask.value': 8 }, 1),
      node('AclEntry', { negated: false, optional: true, 'address.value': 'localhost', 'mask.value': 24 }, 2),
      node('AclEntry', { negated: true, optional: true }, 3),
      src('AclEntry', '(!"example.invalid");', 3),
    ),
  ],

  // subs and inline C
  ['sub', 'sub vcl_recv { }', ok(node('SubDecl', { 'name.text': 'vcl_recv', 'body.statements.length': 0 }))],
  ['inline C at top level', 'C{\n#include <stdio.h>\n}C', ok(node('InlineC', { code: '\n#include <stdio.h>\n' }))],
  ['inline C in a sub', 'sub vcl_recv { C{ ; }C }', ok(node('SubDecl', { 'body.statements.0.kind': 'InlineC', 'body.statements.0.code': ' ; ' }))],

  // statements
  ['set and unset', 'sub vcl_recv { set req.http.x = "a"; unset req.http.x; }', ok(node('SetStmt', { 'target.text': 'req.http.x', operator: '=', 'value.value': 'a' }), node('UnsetStmt', { 'target.text': 'req.http.x' }))],
  ['call', 'sub s { }\nsub vcl_recv { call s; }', ok(node('CallStmt', { 'target.text': 's', args: undefined }))],
  ['return (action)', 'sub vcl_recv { return (pass); }', ok(node('ReturnStmt', { 'action.text': 'pass', args: undefined }))],
  ['return (synth(status, reason))', 'sub vcl_recv { return (synth(503, "x")); }', ok(node('ReturnStmt', { 'action.text': 'synth', 'args.length': 2 }), sx('Argument', '503', 0), sx('Argument', '"x"', 1))],
  ['bare return; in a custom sub', 'sub s { return; }\nsub vcl_recv { call s; }', ok(node('ReturnStmt', { action: undefined, args: undefined }), src('ReturnStmt', 'return;'))],
  [
    'if, elsif, elseif, elif, else if, else',
    'sub vcl_recv {\n  if (req.url == "/a") { return (pass); }\n  elsif (req.url == "/b") { return (pipe); }\n  elseif (req.url == "/c") { return (hash); }\n  elif (req.url == "/d") { return (purge); }\n  else if (req.url == "/e") { return (restart); }\n  else { return (synth(404)); }\n}',
    ok(
      node('IfStmt', { 'branches.length': 5, 'branches.0.keyword': 'if', 'branches.1.keyword': 'elsif', 'branches.2.keyword': 'elseif', 'branches.3.keyword': 'elif', 'branches.4.keyword': 'else if', 'elseBody.statements.0.action.text': 'synth' }),
      sx('IfBranch', '(== req.url "/e")', 4),
    ),
  ],
  ['nested blocks', 'sub vcl_recv { { set req.http.x = "1"; } }', ok(node('SubDecl', { 'body.statements.0.kind': 'Block', 'body.statements.0.statements.0.kind': 'SetStmt' }))],
  [
    'new and method calls',
    'import directors;\nsub vcl_init {\n  new rr = directors.round_robin();\n  rr.add_backend(b);\n}\nsub vcl_recv { set req.backend_hint = rr.backend(); }',
    ok(node('NewStmt', { 'name.text': 'rr' }), sx('NewStmt', '(directors.round_robin)'), node('ExpressionStmt', { 'expression.callee.text': 'rr.add_backend' }), sx('SetStmt', '(rr.backend)')),
  ],
  ['synthetic', 'sub vcl_synth { synthetic("hello"); return (deliver); }', ok(sx('ExpressionStmt', '(synthetic "hello")'))],
  ['hash_data', 'sub vcl_hash { hash_data(req.url); }', ok(sx('ExpressionStmt', '(hash_data req.url)'))],
  ['ban', 'sub vcl_recv { ban("req.url ~ /"); }', ok(sx('ExpressionStmt', '(ban "req.url ~ /")'))],
  ['+= on a string', 'sub vcl_recv { set req.http.x = "a"; set req.http.x += "b"; }', ok(node('SetStmt', { operator: '+=' }, 1))],
  [
    '+= -= *= /= on a duration',
    'sub vcl_backend_response { set beresp.ttl += 1s; set beresp.ttl -= 1s; set beresp.ttl *= 2; set beresp.ttl /= 2; }',
    ok(node('SetStmt', { operator: '+=' }, 0), node('SetStmt', { operator: '-=' }, 1), node('SetStmt', { operator: '*=' }, 2), node('SetStmt', { operator: '/=' }, 3)),
  ],

  // expressions: precedence
  ['|| binds looser than &&, ! tighter', 'sub vcl_recv { if (true || false && !req.http.x) { } }', ok(sx('IfBranch', '(|| true (&& false (! req.http.x)))'))],
  ['! binds looser than a match', 'sub vcl_recv { if (! req.url ~ "^/a") { } }', ok(sx('IfBranch', '(! (~ req.url "^/a"))'))],
  [
    'comparisons under &&',
    'sub vcl_recv { if (req.url != "/" && req.restarts < 1 && req.restarts <= 1 || req.restarts > 0 && req.restarts >= 0) { } }',
    ok(sx('IfBranch', '(|| (&& (&& (!= req.url "/") (< req.restarts 1)) (<= req.restarts 1)) (&& (> req.restarts 0) (>= req.restarts 0)))')),
  ],
  ['!~', 'sub vcl_recv { if (req.url !~ "^/a") { } }', ok(sx('IfBranch', '(!~ req.url "^/a")'))],
  ['* / % bind tighter than + -', 'import std;\nsub vcl_recv { set req.http.x = 1 + 2 * 3 - 4 / 2 % 3; }', ok(sx('SetStmt', '(- (+ 1 (* 2 3)) (% (/ 4 2) 3))'))],
  ['unary minus binds tighter than *', 'sub vcl_backend_response { set beresp.ttl = -1s * 2; }', ok(sx('SetStmt', '(* (- 1s) 2)'))],
  ['parentheses', 'sub vcl_backend_response { set beresp.grace = (1s + 2s) * 3; set beresp.ttl = -(1s + 2s); }', ok(sx('SetStmt', '(* (group (+ 1s 2s)) 3)', 0), sx('SetStmt', '(- (group (+ 1s 2s)))', 1))],
  ['string concatenation', 'sub vcl_recv { set req.http.X-Forwarded-For = req.http.X-Forwarded-For + ", " + client.ip; }', ok(sx('SetStmt', '(+ (+ req.http.X-Forwarded-For ", ") client.ip)'))],

  // expressions: calls and arguments
  ['function call', 'import std;\nsub vcl_recv { set req.http.x = std.fileread("/etc/hostname"); }', ok(sx('SetStmt', '(std.fileread "/etc/hostname")'), src('CallExpr', 'std.fileread("/etc/hostname")'))],
  [
    'named argument',
    'import directors;\nsub vcl_init {\n  new h = directors.hash();\n  h.add_backend(b, weight = 2);\n}',
    ok(sx('ExpressionStmt', '(h.add_backend b weight=2)'), node('Argument', { 'name.text': 'weight', 'value.value': 2 }, 1)),
  ],
  ['named argument to a std function', 'import std;\nsub vcl_recv { std.log(s = "x"); }', ok(sx('ExpressionStmt', '(std.log s="x")'))],
  [
    'method call on a parenthesised expression',
    'sub vcl_recv { set req.http.x = (req.url + "x").lower(); }',
    ok(sx('SetStmt', '(.lower (group (+ req.url "x")))'), src('CallExpr', '(req.url + "x").lower()'), node('CallExpr', { 'callee.text': 'lower', 'receiver.kind': 'ParenExpr' })),
  ],
  ['regex concatenation', 'sub vcl_recv { if (req.url ~ "a" + "b") { } }', ok(sx('IfBranch', '(~ req.url (concat "a" "b"))'))],
  ['ACL match', 'acl purgers { "127.0.0.1"; }\nsub vcl_recv { if (client.ip ~ purgers) { return (purge); } }', ok(sx('IfBranch', '(~ client.ip purgers)'), node('MatchExpr', { 'pattern.kind': 'Identifier' }))],

  // literals and names
  [
    'duration units',
    'sub vcl_recv { set req.ttl = 10ms; set req.ttl = 1.5m; set req.ttl = 1y; set req.ttl = 2w; set req.ttl = 1.s; }',
    ok(node('NumberLiteral', { text: '10', value: 10, 'unit.text': 'ms' }, 0), node('NumberLiteral', { text: '1.5', value: 1.5, 'unit.text': 'm' }, 1), node('NumberLiteral', { 'unit.text': 'y' }, 2), node('NumberLiteral', { text: '1.', 'unit.text': 's' }, 4)),
  ],
  [
    'size units',
    'import std;\nsub vcl_recv { std.cache_req_body(100KB); std.cache_req_body(256b); std.cache_req_body(10K); std.cache_req_body(1MB); }',
    ok(node('NumberLiteral', { text: '100', 'unit.text': 'KB' }, 0), node('NumberLiteral', { 'unit.text': 'b' }, 1), node('NumberLiteral', { 'unit.text': 'K' }, 2), src('NumberLiteral', '1MB', 3)),
  ],
  [
    'the three string forms',
    'sub vcl_recv {\n  set req.http.a = "x";\n  set req.http.b = {"long "string""};\n  set req.http.c = """triple "" string""";\n  set req.http.d = {"multi\nline"};\n}',
    ok(
      node('StringLiteral', { style: '"', value: 'x' }, 0),
      node('StringLiteral', { style: '{"', value: 'long "string"' }, 1),
      node('StringLiteral', { style: '"""', value: 'triple "" string' }, 2),
      node('StringLiteral', { style: '{"', value: 'multi\nline' }, 3),
    ),
  ],
  ['true and false', 'sub vcl_backend_response { set beresp.do_gzip = true; set beresp.do_esi = false; }', ok(sx('SetStmt', 'true', 0), sx('SetStmt', 'false', 1))],
  ['header name with dashes', 'sub vcl_recv { set req.http.X-Forwarded-For = "1"; }', ok(node('SetStmt', { 'target.text': 'req.http.X-Forwarded-For' }))],
  ['quoted header name', 'sub vcl_recv { set req.http."a.b" = "1"; }', ok(node('SetStmt', { 'target.text': 'req.http."a.b"' }))],
  ['spaces around the dots of a name', 'sub vcl_recv { set req . url = "/"; }', ok(node('SetStmt', { 'target.text': 'req.url' }))],
  ['BLOB literal', 'backend b1 { .host = "127.0.0.1"; .preamble = :SGVsbG8=:; }', ok(node('BlobLiteral', { text: ':SGVsbG8=:' }))],

  // comments
  [
    '#, // and /* */ comments are kept',
    '# hash\n// slashes\n/* block\n   comment */ sub vcl_recv { # trailing\n}',
    ok(node('Program', { 'comments.length': 4, 'comments.0.style': '#', 'comments.1.style': '//', 'comments.2.style': '/*', 'comments.2.text': '/* block\n   comment */', 'comments.3.text': '# trailing' }), node('SubDecl', { 'name.text': 'vcl_recv' })),
  ],

  // found by comparing with varnishd 7.1.1, which accepts these
  ['repeated unary minus', 'sub vcl_backend_response { set beresp.ttl = - - 1s; }', ok(sx('SetStmt', '(- (- 1s))'))],
  ['trailing comma in a vmod call', 'import std;\nsub vcl_recv { std.log("a",); }', ok(sx('ExpressionStmt', '(std.log "a")'))],

  // syntax errors
  ['missing ;', 'sub vcl_recv {\n  set req.http.x = "a"\n}', fails(2, "Expected ';' got '}'")],
  ['!! (one ! at most)', 'sub vcl_recv {\n  if (!!req.http.x) { return (pass); }\n}', fails(1, "'!'")],
  ['; as a statement', 'sub vcl_recv { ; }', fails(0, "got ';'")],
  ['unknown return action', 'sub vcl_recv {\n  return (foobar);\n}', fails(1, 'return action')],
  ['return; in vcl_recv', 'sub vcl_recv { return; }', fails(0, "Expected '('")],
  ['two else', 'sub vcl_recv { if (req.url) { } else { } else { } }', fails(0, "'else'")],
  ['chained comparison', 'sub vcl_recv { if (req.http.a == "b" == "c") { } }', fails(0, "Expected ')' got '=='")],
  ['empty condition', 'sub vcl_recv { if () { } }', fails(0, "')'")],
  ['juxtaposed strings outside .request', 'sub vcl_recv { set req.http.x = "a" "b"; }', fails(0, "Expected ';'")],
  ['a variable after + in a regex', 'sub vcl_recv { if (req.url ~ "a" + req.http.x) { } }', fails(0, "got 'req")],
  ['unset with a value', 'sub vcl_recv { unset req.http.x = 1; }', fails(0, "Expected ';' got '='")],
  ['++ is no operator', 'sub vcl_recv { set req.http.x = 1 ++ 2; }', fails(0, "got '++'")],
  ['call without a name', 'sub vcl_recv { call ; }', fails(0, "got ';'")],
  ['.port as a number', 'backend b {\n  .host = "127.0.0.1";\n  .port = 8081;\n}', fails(2, 'string')],
  ['.timeout as a string in a probe', 'probe p {\n  .url = "/";\n  .timeout = "1s";\n}', fails(2, 'duration')],
  ['backend without .host or .path', 'backend b { .port = "8081"; }', fails(0, '.host or .path')],
  ['juxtaposed strings in .port', 'backend b { .host = "127.0.0.1"; .port = "80" "81"; }', fails(0, "Expected ';'")],
  ['acl flag with a space after +', 'acl a + log { "1.2.3.4"; }', fails(0, 'Expected a flag')],
  ['unknown acl flag', 'acl a +foo { "1.2.3.4"; }', fails(0, 'Unknown ACL flag')],
  ['+= on a BOOL', 'sub vcl_backend_response {\n  set beresp.do_gzip += 1;\n}', fails(1, "Expected '=' got '+='")],
  ['unterminated "', 'sub vcl_recv {\n  set req.http.x = "abc;\n}', fails(1, 'Unterminated string')],
  ['unterminated {"', 'sub vcl_recv {\n  set req.http.x = {"abc;\n}', fails(1, 'Unterminated long-string')],
  ['unterminated """', 'sub vcl_recv {\n  set req.http.x = """abc;\n}', fails(1, 'Unterminated long-string')],
  ['unterminated C{', 'sub vcl_recv { }\nC{ int x;', fails(1, 'Unterminated inline C')],
  ['unterminated /*', 'sub vcl_recv { }\n/* open', fails(1, 'Unterminated /*')],
  ['/* inside a comment', 'sub vcl_recv { }\n/* a /* b */', fails(1, 'comment contains /*')],
  ['too many digits after the point', 'sub vcl_recv { set req.ttl = 0.1234s; }', fails(0, 'Too many digits for real')],
  ['too many digits for an integer', 'import std;\nsub vcl_recv { set req.http.x = 1234567890123456; }', fails(1, 'Too many digits for integer')],
  ['import ... to', 'import std to;', fails(0, "got 'to'")],
  ['unknown duration unit', 'sub vcl_backend_response {\n  set beresp.ttl = 1 k;\n}', fails(1, 'unit')],
  ['unknown unit', 'sub vcl_backend_response { set beresp.ttl = 1 x; }', fails(0, "Unknown unit 'x'")],
  ['quoted name outside headers', 'sub vcl_recv { set req."http" = "1"; }', fails(0, 'Quoted names')],
  ['identifier starting with _', 'sub vcl_recv {\n  set req.http.x = _invalid;\n}', fails(1, "Syntax error at '_'")],
  ['stray } at top level', 'sub vcl_recv { }\n}', fails(1, "'}'")],
  ['backend neither { nor none', 'backend b nothing;', fails(0, "'none'")],
];

/** Every node of the tree in source order (ancestors before their children). */
function allNodes(ast: A.Program): Array<{ kind: string; start: number; end: number }> {
  const out: Array<{ kind: string; start: number; end: number }> = [];
  const stack: unknown[] = [ast];
  while (stack.length) {
    const x = stack.pop();
    if (!x || typeof x !== 'object') continue;
    if (Array.isArray(x)) {
      for (let i = x.length - 1; i >= 0; i--) stack.push(x[i]);
      continue;
    }
    const o = x as Record<string, unknown>;
    if (typeof o['kind'] === 'string') out.push(o as { kind: string; start: number; end: number });
    const children = Object.values(o).filter((v) => v && typeof v === 'object');
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  return out.map((n, i) => [n, i] as const).sort((a, b) => a[0].start - b[0].start || a[1] - b[1]).map(([n]) => n);
}

function get(obj: unknown, dotted: string): unknown {
  let x = obj;
  for (const key of dotted.split('.')) {
    if (x === undefined || x === null) return undefined;
    x = (x as Record<string, unknown>)[key];
  }
  return x;
}

/** An expression as an S-expression: `(op left right)`, `(callee args)`, `(.method receiver args)`, `(group x)`. */
function sexpr(x: unknown): string {
  const n = x as A.Node | A.IfBranch | A.SetStmt | A.NewStmt | A.ExpressionStmt | undefined;
  if (!n) return '?';
  switch (n.kind) {
    case 'IfBranch':
      return sexpr(n.condition);
    case 'SetStmt':
    case 'NewStmt':
      return sexpr(n.value);
    case 'ExpressionStmt':
      return sexpr(n.expression);
    case 'BinaryExpr':
      return `(${n.operator} ${sexpr(n.left)} ${sexpr(n.right)})`;
    case 'UnaryExpr':
      return `(${n.operator} ${sexpr(n.operand)})`;
    case 'MatchExpr':
      return `(${n.operator} ${sexpr(n.subject)} ${sexpr(n.pattern)})`;
    case 'ParenExpr':
      return `(group ${sexpr(n.expression)})`;
    case 'CallExpr': {
      const head = n.receiver ? `.${n.callee.text} ${sexpr(n.receiver)}` : n.callee.text;
      return `(${[head, ...n.args.map(sexpr)].join(' ')})`;
    }
    case 'Argument':
      return n.name ? `${n.name.text}=${sexpr(n.value)}` : sexpr(n.value);
    case 'Identifier':
      return n.name.text;
    case 'StringLiteral':
      return n.style === '"' ? `"${n.value}"` : n.style === '{"' ? `{"${n.value}"}` : `"""${n.value}"""`;
    case 'StringConcat':
      return `(concat ${n.parts.map(sexpr).join(' ')})`;
    case 'NumberLiteral':
      return n.text + (n.unit?.text ?? '');
    case 'BlobLiteral':
      return n.text;
    default:
      return `<${n.kind}>`;
  }
}

function lineOf(text: string, offset: number): number {
  let line = 0;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function checkNode(ast: A.Program, text: string, c: NodeCheck): void {
  const nodes = allNodes(ast).filter((n) => n.kind === c.kind);
  if (c.count !== undefined) {
    assert.equal(nodes.length, c.count, `number of ${c.kind} nodes`);
    return;
  }
  const n = nodes[c.nth];
  assert.ok(n, `no ${c.kind} #${c.nth} (found ${nodes.length})`);
  for (const [path, want] of Object.entries(c.fields ?? {})) {
    assert.deepEqual(get(n, path), want, `${c.kind} #${c.nth}: ${path}`);
  }
  if (c.sexpr !== undefined) assert.equal(sexpr(n), c.sexpr, `${c.kind} #${c.nth} as an S-expression`);
  if (c.source !== undefined) assert.equal(text.slice(n.start, n.end), c.source, `${c.kind} #${c.nth} source text`);
}

describe('parser: grammar surface, one line per case', () => {
  for (const [description, text, expected] of parserCases) {
    it(description, () => {
      const { ast, errors } = parse(text);
      const shown = errors.map((e) => `line ${lineOf(text, e.start)}: ${e.message}`);
      if ('valid' in expected) {
        assert.deepEqual(shown, [], 'no syntax errors');
        for (const c of expected.valid) checkNode(ast, text, c);
      } else {
        const hit = errors.some((e) => lineOf(text, e.start) === expected.line && e.message.includes(expected.message));
        assert.ok(hit, `expected an error on line ${expected.line} containing ${JSON.stringify(expected.message)}; got ${JSON.stringify(shown)}`);
      }
    });
  }
});

describe('parser: VCL 3 input', () => {
  const vcl3 = [
    'backend default {', //          0
    '  .host = "127.0.0.1";',
    '  .port = "8080";',
    '}',
    'sub vcl_recv {', //             4
    '  if (req.request != "GET") {',
    '    error 405 "Not allowed";', // 6
    '  }',
    '  remove req.http.Cookie;', //  8
    '  return (lookup);',
    '}',
    'sub vcl_fetch {', //            11
    '  set beresp.ttl = 1h;',
    '  return (deliver);',
    '}',
    '',
  ].join('\n');

  it('gives a full tree with the VCL 3 statements as their own kinds', () => {
    const { ast } = parse(vcl3);
    assert.deepEqual(
      ast.declarations.map((d) => `${d.kind} ${'name' in d ? d.name?.text : ''}`),
      ['BackendDecl default', 'SubDecl vcl_recv', 'SubDecl vcl_fetch'],
    );
    checkNode(ast, vcl3, node('LegacyErrorStmt', { 'args.length': 2, 'args.0.value': 405, 'args.1.value': 'Not allowed' }));
    checkNode(ast, vcl3, src('LegacyErrorStmt', 'error 405 "Not allowed";'));
    checkNode(ast, vcl3, node('LegacyRemoveStmt', { 'target.text': 'req.http.Cookie' }));
    checkNode(ast, vcl3, src('LegacyRemoveStmt', 'remove req.http.Cookie;'));
    checkNode(ast, vcl3, node('SubDecl', { 'body.statements.length': 2 }, 1));
  });

  it('is reported where each VCL 3 construct stands, not as one error at line 1', () => {
    const errorLines = new Set(lintText(vcl3).filter((d) => d.severity === 'error').map((d) => d.range.start.line));
    for (const line of [6, 8, 11]) assert.ok(errorLines.has(line), `an error on line ${line}; got lines ${[...errorLines].join(', ')}`);
  });

  it('reads VCL 3 synthetic without parentheses and one-word statements (purge; esi;) as their own kinds', () => {
    const text = 'sub vcl_error {\n  synthetic {"<h1>"} + obj.status + {"</h1>"};\n}\nsub vcl_hit {\n  purge;\n}\nsub vcl_fetch {\n  esi;\n  pass;\n}\n';
    const r = parse(text);
    assert.deepEqual(r.errors, []);
    checkNode(r.ast, text, src('LegacySyntheticStmt', 'synthetic {"<h1>"} + obj.status + {"</h1>"};'));
    checkNode(r.ast, text, node('LegacyBareStmt', { 'word.text': 'purge' }));
    checkNode(r.ast, text, node('LegacyBareStmt', { 'word.text': 'esi' }, 1));
    // VCL 4 forms are untouched: synthetic(...) is a call, and `pass(1)` no bare word.
    assert.deepEqual(parse('sub vcl_synth {\n  synthetic("x");\n}\n').ast.declarations.flatMap((d) => (d.kind === 'SubDecl' ? d.body!.statements.map((s) => s.kind) : [])), ['ExpressionStmt']);
  });

  it('a Varnish 3 file gets one finding per construct and no cascade of syntax errors', () => {
    const path = join(projectRoot, 'test/fixtures/vcl3/varnish3-purge-esi-synthetic.vcl');
    const found = lintText(readFileSync(path, 'utf8')).filter((d) => d.severity === 'error');
    assert.deepEqual(found.filter((d) => d.rule === 'syntax').map((d) => d.message), []);
    const perLine = new Map<number, number>();
    for (const d of found) if (d.rule === 'vcl3-construct') perLine.set(d.range.start.line, (perLine.get(d.range.start.line) ?? 0) + 1);
    for (const [line, n] of perLine) assert.ok(n <= 2, `line ${line + 1}: ${n} findings`);
    for (const word of ["'purge;'", "'esi;'", "'synthetic' without parentheses", "'return (hit_for_pass)'"]) assert.ok(found.some((d) => d.message.includes(word)), `${word} reported`);
  });

  it('reports one syntax error per line: the first, not what the parser says while it recovers', () => {
    const errors = lintText('vcl 4.1;\nbackend b { .host = "127.0.0.1"; }\nsub vcl_recv {\n  return error 405, "Method not allowed";\n}\n').filter((d) => d.rule === 'syntax');
    assert.deepEqual(errors.map((d) => `${d.range.start.line}:${d.range.start.character}`), ['3:9']);
  });
});
