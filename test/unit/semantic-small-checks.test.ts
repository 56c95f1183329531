/**
 * The small semantic checks, one line per case: redefinition,
 * probe-constraint, acl-entry, name-legality, action-placement, inline-c,
 * no-backend, backend-address and vcl-feature-version.
 *
 * `ok` rows must give no finding of that rule; `err(line, fragment)` rows a
 * finding on that 1-based line whose message contains the fragment. Every
 * row without `unverifiable` was compiled with varnishd 7.1.1 (with
 * `-p vcc_err_unref=off`, and the row's inline-C setting): `ok` rows are
 * accepted, `err` rows refused on the same line.
 *
 * Then the corpus: no finding on any program varnishd accepts, and a
 * finding on varnishd's line for every refusal whose message belongs to
 * one of these rules.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Rule } from '../../server/src/rules/rule.js';
import { redefinitionRule } from '../../server/src/rules/redefinition.js';
import { probeConstraintRule } from '../../server/src/rules/probe-constraint.js';
import { aclEntryRule } from '../../server/src/rules/acl-entry.js';
import { nameLegalityRule } from '../../server/src/rules/name-legality.js';
import { actionPlacementRule } from '../../server/src/rules/action-placement.js';
import { inlineCRule } from '../../server/src/rules/inline-c.js';
import { noBackendRule } from '../../server/src/rules/no-backend.js';
import { backendAddressRule } from '../../server/src/rules/backend-address.js';
import { vclFeatureVersionRule } from '../../server/src/rules/vcl-feature-version.js';
import { runRule, runRules, type RunOptions } from '../helpers/run-rule.js';
import { loadCorpus } from '../conformance/corpus.js';
import { booleanParam } from '../conformance/evaluate.js';
import { corpusOrSkip } from '../helpers/corpus-or-skip.js';

export const smallCheckRules: readonly Rule[] = [
  redefinitionRule,
  probeConstraintRule,
  aclEntryRule,
  nameLegalityRule,
  actionPlacementRule,
  inlineCRule,
  noBackendRule,
  backendAddressRule,
  vclFeatureVersionRule,
];

export interface Expectation {
  /** 1-based line of the finding; undefined: no finding at all. */
  line?: number;
  message?: string;
  options?: RunOptions;
  /** Not compiled with varnishd (needs other files or the include tree). */
  unverifiable?: boolean;
}

const ok = (options?: RunOptions): Expectation => ({ options });
const err = (line: number, message: string, options?: RunOptions): Expectation => ({ line, message, options });
const unverifiable = (e: Expectation): Expectation => ({ ...e, unverifiable: true });

/** A program with a backend; what follows starts on line 3. */
const P = 'vcl 4.1;\nbackend be none;\n';
const ACL = (entries: string) => `${P}acl a ${entries}`;
const PROBE = (fields: string) => `${P}probe p { ${fields} }`;
const HOST = (fields: string) => `vcl 4.1;\nbackend b { ${fields} }`;

export const smallCheckCases: Array<[Rule, string, string, Expectation]> = [
  // redefinition
  [redefinitionRule, 'built-in sub defined twice', `${P}sub vcl_recv { }\nsub vcl_recv { }`, ok()],
  [redefinitionRule, 'built-in sub twice, other letter case', `${P}sub vcl_hash { }\nsub Vcl_Hash { }`, ok()],
  [redefinitionRule, 'builtin.vcl sub defined twice', `${P}sub vcl_req_cookie { }\nsub vcl_req_cookie { }`, ok()],
  [redefinitionRule, 'one vmod imported twice', `${P}import std;\nimport std;`, ok()],
  [redefinitionRule, 'one vmod twice under one alias', `${P}import std as s;\nimport std as s;`, ok()],
  [redefinitionRule, 'one vmod, alias in two letter cases', `${P}import directors as foo;\nimport directors as Foo;`, ok()],
  [redefinitionRule, 'probe default and backend default share the name', 'vcl 4.1;\nprobe default { }\nbackend default { .host = "127.0.0.1"; }', ok()],
  [redefinitionRule, 'probe default twice', `${P}probe default { }\nprobe default { }`, ok()],
  [redefinitionRule, 'custom sub twice', `${P}sub c1 { }\nsub c1 { }\nsub vcl_recv { call c1; }`, err(4, "Subroutine 'c1' is already defined (line 3)")],
  [redefinitionRule, 'custom sub twice, other letter case', `${P}sub c1 { }\nsub C1 { }\nsub vcl_recv { call c1; }`, err(4, "Subroutine 'C1' is already defined")],
  [redefinitionRule, 'backend twice', `${P}backend s1 none;\nbackend s1 none;`, err(4, "Backend 's1' is already defined (line 3)")],
  [redefinitionRule, 'backend twice, other letter case', `${P}backend s1 none;\nbackend S1 none;`, err(4, "Backend 'S1' is already defined")],
  [redefinitionRule, 'probe twice', `${P}probe p1 { }\nprobe p1 { }`, err(4, "Probe 'p1' is already defined")],
  [redefinitionRule, 'ACL twice', `${P}acl a { }\nacl a { }`, err(4, "ACL 'a' is already defined")],
  [redefinitionRule, 'backend default twice', `vcl 4.1;\nbackend default none;\nbackend default none;`, err(3, 'Only one default backend')],
  [redefinitionRule, 'backend and ACL of one name', `${P}backend x none;\nacl x { }`, err(4, "Name 'x' is already a backend (line 3)")],
  [redefinitionRule, 'probe and ACL of one name', `${P}probe x { }\nacl x { }`, err(4, "Name 'x' is already a probe")],
  [redefinitionRule, 'sub, then backend of that name', `${P}sub x { }\nbackend x none;`, err(4, "Name 'x' is already a subroutine")],
  [redefinitionRule, 'ACL, then sub of that name', `${P}acl x { }\nsub x { }`, err(4, "Name 'x' is already an ACL")],
  [redefinitionRule, 'vmod, then backend of that name', `${P}import std;\nbackend Std none;`, err(4, "Name 'Std' is already a vmod import")],
  [redefinitionRule, 'backend, then vmod of that name', `${P}backend std none;\nimport std;`, err(4, "Name 'std' is already a backend")],
  [redefinitionRule, 'sub, then vmod of that name', `${P}sub debug { }\nimport debug;\nsub vcl_recv { call debug; }`, err(4, "Name 'debug' is already a subroutine")],
  [redefinitionRule, 'object twice', `${P}import directors;\nsub vcl_init {\n  new x = directors.round_robin();\n  new x = directors.random();\n}`, err(6, "Instance 'x' is already created (line 5)")],
  [redefinitionRule, 'object twice across vcl_init bodies', `${P}import directors;\nsub vcl_init { new x = directors.round_robin(); }\nsub vcl_init { new X = directors.random(); }`, err(5, "Instance 'X' is already created (line 4)")],
  [redefinitionRule, 'ACL, then object of that name', `${P}import directors;\nacl x { }\nsub vcl_init { new x = directors.round_robin(); }`, err(5, "Name 'x' is already an ACL")],
  [redefinitionRule, 'object named like its vmod', `${P}import directors;\nsub vcl_init {\n  new directors = directors.round_robin();\n}`, err(5, "Name 'directors' is already a vmod import")],
  [redefinitionRule, 'two vmods under one name', `${P}import std as s;\nimport\n  directors\n  as s;`, err(4, "Another module already imported as 's'")],
  [redefinitionRule, 'vmod alias taking an imported name', `${P}import std;\nimport directors as std;`, err(4, "Another module already imported as 'std'")],
  [redefinitionRule, 'call, then backend of that name', `${P}sub vcl_recv { call foo; }\nbackend foo none;\nsub foo { }`, err(4, "Name 'foo' is already used as a subroutine name (line 3)")],
  [redefinitionRule, 'ACL match, then sub of that name', `${P}sub vcl_recv {\n  if (client.ip ~ anacl) { }\n}\nsub anacl { }`, err(6, "Name 'anacl' is already used as an ACL name (line 4)")],

  // probe-constraint
  [probeConstraintRule, 'threshold equal to window', PROBE('.window = 4; .threshold = 4;'), ok()],
  [probeConstraintRule, 'threshold alone above the default window', PROBE('.threshold = 9;'), ok()],
  [probeConstraintRule, 'threshold and window both 0', PROBE('.threshold = 0; .window = 0;'), ok()],
  [probeConstraintRule, 'initial above the window', PROBE('.initial = 65;'), ok()],
  [probeConstraintRule, 'initial above threshold', PROBE('.initial = 5; .threshold = 3; .window = 8;'), ok()],
  [probeConstraintRule, 'expected_response 100', PROBE('.expected_response = 100;'), ok()],
  [probeConstraintRule, 'expected_response 999', PROBE('.expected_response = 999;'), ok()],
  [probeConstraintRule, 'expected_response with a leading zero', PROBE('.expected_response = 0200;'), ok()],
  [probeConstraintRule, 'threshold above window', `${P}probe p {\n  .window = 3;\n  .threshold = 4;\n}`, err(5, '.threshold (4) is greater than .window (3)')],
  [probeConstraintRule, 'threshold 65, window 64', PROBE('.threshold = 65; .window = 64;'), err(3, 'greater than .window')],
  [probeConstraintRule, 'window without threshold', PROBE('.window = 8;'), err(3, 'sets .window without .threshold')],
  [probeConstraintRule, 'window 65 without threshold', PROBE('.window = 65;'), err(3, 'sets .window without .threshold')],
  [probeConstraintRule, 'window above 64', PROBE('.threshold = 65; .window = 66;'), err(3, '.window is 66')],
  [probeConstraintRule, 'threshold alone above 64', PROBE('.threshold = 65;'), err(3, '.threshold is 65')],
  [probeConstraintRule, 'expected_response 99', PROBE('.expected_response = 99;'), err(3, 'three-digit status')],
  [probeConstraintRule, 'expected_response 1000', PROBE('.expected_response = 1000;'), err(3, '.expected_response is 1000')],
  [probeConstraintRule, 'expected_response 0', PROBE('.expected_response = 0;'), err(3, '.expected_response is 0')],
  [probeConstraintRule, '.url then .request', `${P}probe p {\n  .url = "/";\n  .request = "GET / HTTP/1.1";\n}`, err(5, 'both .url and .request')],
  [probeConstraintRule, '.request then .url', `${P}probe p {\n  .request = "GET / HTTP/1.1"\n    "Host: x";\n  .url = "/";\n}`, err(6, 'both .url and .request')],
  [probeConstraintRule, 'inline probe: window without threshold', 'vcl 4.1;\nbackend b {\n  .host = "127.0.0.1";\n  .probe = { .window = 5; }\n}', err(4, "The probe of backend 'b' sets .window")],

  // acl-entry
  [aclEntryRule, 'network address with its mask', ACL('{ "1.2.3.0"/24; }'), ok()],
  [aclEntryRule, 'host bits under -pedantic', ACL('-pedantic { "1.2.3.4"/24; }'), ok()],
  [aclEntryRule, 'IPv6 /128', ACL('{ "::1"/128; }'), ok()],
  [aclEntryRule, '/0 of 0.0.0.0', ACL('{ "0.0.0.0"/0; }'), ok()],
  [aclEntryRule, 'short form "10.1" is 10.1.0.0/16', ACL('{ "10.1"/16; }'), ok()],
  [aclEntryRule, 'short form "127"/24 is 127.0.0.0/24', ACL('{ "127"/24; }'), ok()],
  [aclEntryRule, 'short form "10.1.1"/25', ACL('{ "10.1.1"/25; }'), ok()],
  [aclEntryRule, 'inet_aton form "0x7f.1"', ACL('{ "0x7f.1"; }'), ok()],
  [aclEntryRule, 'inet_aton form "10.256"', ACL('{ "10.256"; }'), ok()],
  [aclEntryRule, 'VCC reads four parts in decimal: "010" is ten', ACL('{ "010.0.0.1"; !"8.0.0.1"; }'), ok()],
  [aclEntryRule, 'VCC ignores a fifth part when a mask is given', ACL('{ "1.2.3.4.5"/32; }'), ok()],
  [aclEntryRule, 'a fifth part means mask /40', ACL('{ "1.2.3.4.5"; }'), err(3, 'more than four parts')],
  [aclEntryRule, 'a fifth part, then host bits', ACL('{ "1.2.3.4.foo"/24; }'), err(3, '1.2.3.0/24')],
  [aclEntryRule, 'allowed and denied, "010" read as ten', ACL('{ "010.0.0.1"; !"10.0.0.1"; }'), err(3, 'Conflicting ACL entries')],
  [aclEntryRule, 'allowed and denied, hex part read by getaddrinfo', ACL('{ "0x7f.0.0.1"; !"127.0.0.1"; }'), err(3, 'Conflicting ACL entries')],
  [aclEntryRule, 'a part above 255 in a short form', ACL('{ "300.1"; }'), err(3, 'not a valid IPv4 address')],
  [aclEntryRule, 'mask inside the string', ACL('{ "1.2.3.0/24"; }'), ok()],
  [aclEntryRule, 'mask with a leading zero', ACL('{ "1.2.3.4"/032; }'), ok()],
  [aclEntryRule, 'same entry twice', ACL('{ "1.2.3.0"/24; "1.2.3.0"/24; }'), ok()],
  [aclEntryRule, 'negated narrower network', ACL('{ "1.2.3.0"/24; !"1.2.3.0"/25; }'), ok()],
  [aclEntryRule, 'IPv4-mapped IPv6 is another address', ACL('{ "::ffff:1.2.3.4"; !"1.2.3.4"; }'), ok()],
  [aclEntryRule, 'unresolvable entry in parentheses', ACL('{ ("10.1..2"); }'), ok()],
  [aclEntryRule, 'host name', ACL('{ "localhost"; }'), ok()],
  [aclEntryRule, 'IPv6 with a scope', ACL('{ "fe80::1%lo"; }'), ok()],
  [aclEntryRule, 'mask /33 on IPv4', ACL('{ "10.1.2.3"/33; }'), err(3, 'Too wide mask (/33) for IPv4')],
  [aclEntryRule, 'mask /33 inside the string', ACL('{ "1.2.3.4/33"; }'), err(3, 'Too wide mask (/33)')],
  [aclEntryRule, 'mask /129 on IPv6', ACL('{ "::1"/129; }'), err(3, 'Too wide mask (/129) for IPv6')],
  [aclEntryRule, 'mask /40 in parentheses', ACL('{ ("1.2.3.4"/40); }'), err(3, 'Too wide mask (/40)')],
  [aclEntryRule, 'host bits set (pedantic by default)', `${P}acl a {\n  "1.2.3.4"/24;\n}`, err(4, 'Write the network address, 1.2.3.0/24')],
  [aclEntryRule, 'host bits set under +pedantic', ACL('+pedantic { "1.2.3.4"/24; }'), err(3, '1.2.3.0/24')],
  [aclEntryRule, 'host bits set, IPv6', ACL('{ "::1"/64; }'), err(3, '::/64')],
  [aclEntryRule, 'host bits set, short form', ACL('{ "10.1"/8; }'), err(3, '10.0.0.0/8')],
  [aclEntryRule, 'host bits set, "010" read as ten', ACL('{ "010.0.0.0"/6; }'), err(3, '8.0.0.0/6')],
  [aclEntryRule, 'empty mask inside the string is /0', ACL('{ "1.2.3.4/"; }'), err(3, '0.0.0.0/0')],
  [aclEntryRule, 'allowed and denied', `${P}acl a {\n  "1.2.3.4";\n  !"1.2.3.4";\n}`, err(4, 'Conflicting ACL entries: 1.2.3.4/32 is allowed here and denied on line 5')],
  [aclEntryRule, 'allowed and denied, mask in string', ACL('{ "1.2.3.0"/24; !"1.2.3.0/24"; }'), err(3, 'Conflicting ACL entries')],
  [aclEntryRule, 'allowed and denied after -pedantic clears bits', ACL('-pedantic { "1.2.3.4"/24; !"1.2.3.5"/24; }'), err(3, 'Conflicting ACL entries: 1.2.3.0/24')],
  [aclEntryRule, 'allowed and denied, short form', ACL('{ "10"; !"10.0.0.0"/8; }'), err(3, 'Conflicting ACL entries')],
  [aclEntryRule, 'mask not numeric', `${P}acl a {\n  "10.0.1.0/1bc";\n}`, err(4, 'is not a number')],
  [aclEntryRule, 'socket path as an entry', ACL('{ "/tmp/v1.sock"; }'), err(3, 'looks like a file path')],
  [aclEntryRule, 'blank after the mask', ACL('{ "10.1/16 "; }'), err(3, 'is not a number')],
  [aclEntryRule, 'mask given twice', `${P}acl a {\n  "10.0.1.0/22" / 22;\n}`, err(4, 'two masks')],
  [aclEntryRule, 'empty part between dots', ACL('{ "10.1..2"; }'), err(3, 'empty part between dots')],
  [aclEntryRule, 'only dots before the name', ACL('{ "...com"; }'), err(3, 'neither an IP address nor a host name')],
  [aclEntryRule, 'address with a port', ACL('{ "1.2.3.4::80"; }'), err(3, 'not a valid IPv6 address')],
  [aclEntryRule, 'empty string', ACL('{ ""; }'), err(3, 'it is empty')],
  [aclEntryRule, 'IPv4 part above 255', ACL('{ "1.2.3.256"; }'), err(3, 'not a valid IPv4 address')],
  [aclEntryRule, 'blank after the address', ACL('{ "1.2.3.4 "; }'), err(3, 'contains a blank')],

  // name-legality
  [nameLegalityRule, 'a dash in a sub name', `${P}sub foo-bar { }\nsub vcl_recv { call foo-bar; }`, ok()],
  [nameLegalityRule, 'names of variable groups are free', `${P}acl client { }\nbackend obj none;\nsub storage { }`, ok()],
  [nameLegalityRule, 'type names are free', `${P}sub STRING { }`, ok()],
  [nameLegalityRule, 'a dot in an import alias', `${P}import directors as foo.bar;`, ok()],
  [nameLegalityRule, 'a builtin.vcl sub', `${P}sub vcl_req_cookie { }`, ok()],
  [nameLegalityRule, 'backend default and probe default', 'vcl 4.1;\nprobe default { }\nbackend default { .host = "127.0.0.1"; }', ok()],
  [nameLegalityRule, 'keyword as a vmod enum value', `${P}import vtc;\nsub vcl_backend_response {\n  set beresp.http.free = vtc.workspace_free(backend);\n}`, ok()],
  [nameLegalityRule, 'a dot in a sub name', `${P}sub foo.bar {\n}`, err(3, "The subroutine name 'foo.bar' contains '.'")],
  [nameLegalityRule, 'a dot in a backend name', `${P}backend foo.bar none;`, err(3, "backend name 'foo.bar'")],
  [nameLegalityRule, 'a dot in a probe name', `${P}probe foo.bar { }`, err(3, "probe name 'foo.bar'")],
  [nameLegalityRule, 'a dot in an ACL name', `${P}acl foo.bar { }`, err(3, "ACL name 'foo.bar'")],
  [nameLegalityRule, 'a dot in an object name', `${P}import directors;\nsub vcl_init {\n  new rr1.xx = directors.round_robin();\n}`, err(5, "object name 'rr1.xx'")],
  [nameLegalityRule, 'custom sub named vcl_*', `${P}sub vcl_bar { }`, err(3, "'vcl_bar' is not a built-in subroutine")],
  [nameLegalityRule, 'custom sub named VCL_*', `${P}sub VCL_bar { }`, err(3, 'reserved for those')],
  [nameLegalityRule, 'misspelt built-in sub', `${P}sub vcl_recieve { }`, err(3, "Did you mean 'vcl_recv'?")],
  [nameLegalityRule, 'backend named vcl_*', `${P}backend vcl_x none;`, err(3, "a backend cannot be called 'vcl_x'")],
  [nameLegalityRule, 'probe named vcl_*', `${P}probe vcl_x { }`, err(3, "a probe cannot be called 'vcl_x'")],
  [nameLegalityRule, 'ACL named vcl_*', `${P}acl vcl_foo { }`, err(3, "an ACL cannot be called 'vcl_foo'")],
  [nameLegalityRule, 'object named vcl_*', `${P}import directors;\nsub vcl_init { new vcl_x = directors.round_robin(); }`, err(4, "an object cannot be called 'vcl_x'")],
  [nameLegalityRule, 'vmod alias named vcl_*', `${P}import directors as vcl_x;`, err(3, "a vmod import cannot be called 'vcl_x'")],
  [nameLegalityRule, 'ACL named like a built-in sub', `${P}acl vcl_recv { }`, err(3, "'vcl_recv' is the name of a built-in subroutine")],
  [nameLegalityRule, 'sub named like a variable', `${P}sub req { }`, err(3, "'req' is a built-in VCL variable")],
  [nameLegalityRule, 'backend named like a variable', `${P}backend now none;`, err(3, "'now' is a built-in VCL variable")],
  [nameLegalityRule, 'ACL named like a function', `${P}acl regsub { }`, err(3, "'regsub' is a built-in VCL function")],
  [nameLegalityRule, 'probe named like an action', `${P}probe set { }`, err(3, "'set' is a VCL statement")],
  [nameLegalityRule, 'object named like an action', `${P}import directors;\nsub vcl_init { new ban = directors.round_robin(); }`, err(4, "'ban' is a VCL statement")],
  [nameLegalityRule, 'sub named true', `${P}sub true { }`, err(3, "'true' is a BOOL constant")],
  [nameLegalityRule, 'sub named like a keyword in capitals', `${P}sub BACKEND { }`, err(3, "'BACKEND' is a VCL keyword")],
  [nameLegalityRule, 'vmod alias named like a variable', `${P}import directors as req;`, err(3, "'req' is a built-in VCL variable")],
  [nameLegalityRule, 'sub named default', `${P}sub default { }`, err(3, "'default' is reserved")],
  [nameLegalityRule, 'ACL named default', `${P}acl default { }`, err(3, "'default' is reserved")],
  [nameLegalityRule, 'backend Default in capitals', 'vcl 4.1;\nbackend Default none;', err(2, 'in lower case')],
  [nameLegalityRule, 'ACL match on a vcl_* name', `${P}sub vcl_recv {\n  if (client.ip ~ vcl_foo) { }\n}`, err(4, "'vcl_foo' is none of them")],
  [nameLegalityRule, 'ACL match on a keyword', `${P}sub vcl_recv {\n  if (client.ip ~ acl) { }\n}`, err(4, "'acl' is a VCL keyword")],
  [nameLegalityRule, 'ACL match on default', `${P}sub vcl_recv {\n  if (client.ip ~ default) { }\n}`, err(4, "'default' is a reserved word")],
  [nameLegalityRule, 'keyword as a value', `${P}sub vcl_recv {\n  set req.http.x = backend;\n}`, err(4, "'backend' is a VCL keyword")],

  // action-placement
  [actionPlacementRule, 'new in vcl_init', `${P}import directors;\nsub vcl_init { new d = directors.round_robin(); }`, ok()],
  [actionPlacementRule, 'new in a block of vcl_init', `${P}import directors;\nsub vcl_init { if (true) { new d = directors.round_robin(); } }`, ok()],
  [actionPlacementRule, 'new in a sub called from vcl_init', `${P}import directors;\nsub mk { new d = directors.round_robin(); }\nsub vcl_init { call mk; }`, ok()],
  [actionPlacementRule, 'synthetic in vcl_synth', `${P}sub vcl_synth { synthetic("x"); }`, ok()],
  [actionPlacementRule, 'synthetic in vcl_backend_error', `${P}sub vcl_backend_error { synthetic("x"); }`, ok()],
  [actionPlacementRule, 'synthetic in a sub called from vcl_synth', `${P}sub body { synthetic("x"); }\nsub vcl_synth { call body; }`, ok()],
  [actionPlacementRule, 'synthetic in a sub nothing calls', `${P}sub body { synthetic("x"); }`, ok()],
  [actionPlacementRule, 'hash_data in vcl_hash', `${P}sub vcl_hash { hash_data("x"); }`, ok()],
  [actionPlacementRule, 'new in vcl_recv', `${P}import directors;\nsub vcl_recv {\n  new d = directors.round_robin();\n}`, err(5, "'new' is not allowed in subroutine 'vcl_recv'")],
  [actionPlacementRule, 'new in vcl_fini', `${P}import directors;\nsub vcl_fini { new d = directors.round_robin(); }`, err(4, "in subroutine 'vcl_fini'")],
  [actionPlacementRule, 'synthetic in vcl_recv', `${P}sub vcl_recv {\n  synthetic("XXX");\n  return (synth(503));\n}`, err(4, "synthetic() is not allowed in subroutine 'vcl_recv'")],
  [actionPlacementRule, 'synthetic in vcl_deliver', `${P}sub vcl_deliver { synthetic("x"); }`, err(3, 'only allowed in vcl_synth and vcl_backend_error')],
  [actionPlacementRule, 'synthetic in vcl_backend_response', `${P}sub vcl_backend_response { synthetic("x"); }`, err(3, "'vcl_backend_response'")],
  [actionPlacementRule, 'synthetic in a sub called from vcl_recv', `${P}sub body {\n  synthetic("x");\n}\nsub vcl_recv { call body; }`, err(4, "in sub 'body', which runs from 'vcl_recv'")],
  [actionPlacementRule, 'hash_data in vcl_recv', `${P}sub vcl_recv { hash_data("x"); }`, err(3, 'hash_data() is not allowed')],
  [actionPlacementRule, 'hash_data in vcl_backend_fetch', `${P}sub vcl_backend_fetch { hash_data("x"); }`, err(3, "'vcl_backend_fetch'")],

  // inline-c
  [inlineCRule, 'inline C at top level', `${P}C{ int x; }C`, err(3, 'Inline C is not allowed')],
  [inlineCRule, 'inline C in a sub', `${P}sub vcl_recv {\n  C{ /*...*/ }C\n}`, err(4, 'vcc_allow_inline_c')],
  [inlineCRule, 'inline C allowed', `${P}C{ int x; }C\nsub vcl_recv {\n  C{ x = 1; }C\n}`, ok({ allowInlineC: true })],

  // no-backend
  [noBackendRule, 'nothing but the version', 'vcl 4.1;\n', err(1, 'No backend in this VCL program')],
  [noBackendRule, 'a director is not a backend', 'vcl 4.1;\nimport directors;\nsub vcl_init { new d = directors.round_robin(); }', err(1, 'a director made with new does not count')],
  [noBackendRule, 'backend none counts', 'vcl 4.1;\nbackend b none;', ok()],
  [noBackendRule, 'an included file may have none', 'sub vcl_recv { }', unverifiable(ok({ isIncluded: true }))],
  [noBackendRule, 'a file that includes others may get one from them', 'vcl 4.1;\ninclude "backends.vcl";', unverifiable(ok())],

  // backend-address
  [backendAddressRule, 'bracketed IPv6', HOST('.host = "[::1]";'), ok()],
  [backendAddressRule, 'bracketed IPv6 with port', HOST('.host = "[::1]:80";'), ok()],
  [backendAddressRule, 'bracketed IPv6, blank, port', HOST('.host = "[::1] 80";'), ok()],
  [backendAddressRule, 'bare IPv6', HOST('.host = "::1";'), ok()],
  [backendAddressRule, 'bare IPv6 that ends like a port', HOST('.host = "::1:80";'), ok()],
  [backendAddressRule, 'IPv4 with an empty port', HOST('.host = "127.0.0.1:";'), ok()],
  [backendAddressRule, 'IPv4 with a service name', HOST('.host = "127.0.0.1:http";'), ok()],
  [backendAddressRule, 'IPv4, blank, port', HOST('.host = "127.0.0.1 80";'), ok()],
  [backendAddressRule, 'port only', HOST('.host = ":80";'), ok()],
  [backendAddressRule, 'inet_aton short form', HOST('.host = "1.2.3";'), ok()],
  [backendAddressRule, 'host name in brackets', HOST('.host = "[localhost]";'), ok()],
  [backendAddressRule, 'empty .port', HOST('.host = "127.0.0.1"; .port = "";'), ok()],
  [backendAddressRule, 'port above 65535', HOST('.host = "127.0.0.1"; .port = "99999";'), ok()],
  [backendAddressRule, 'absolute socket path that does not exist yet', HOST('.path = "/nonexistent/x.sock";'), ok()],
  [backendAddressRule, "IPv6 without ']'", 'vcl 4.1;\nbackend b1 {\n  .host = "[0:0:0:0";\n}', err(3, "lacks its closing ']'")],
  [backendAddressRule, "something after ']'", HOST('.host = "[0:0:0:0]/0";'), err(2, "comes '/'")],
  [backendAddressRule, "a letter after ']'", HOST('.host = "[::1]x";'), err(2, "comes 'x'")],
  [backendAddressRule, 'empty host', HOST('.host = "";'), err(2, 'it is empty')],
  [backendAddressRule, 'IPv4 with two colons', HOST('.host = "1.2.3.4::80";'), err(2, 'not a valid IPv6 address')],
  [backendAddressRule, 'empty part between dots', HOST('.host = "10.1..2";'), err(2, 'empty part between dots')],
  [backendAddressRule, 'port in .host and in .port', HOST('.host = "127.0.0.1:80"; .port = "81";'), err(2, 'Give the port in one place only')],
  [backendAddressRule, 'negative port', HOST('.host = "127.0.0.1"; .port = "-1";'), err(2, "the port '-1' is not a port number")],
  [backendAddressRule, 'relative socket path', 'vcl 4.1;\nbackend b1 {\n  .path = "server.sock";\n}', err(3, '.path must be the absolute path')],
  [backendAddressRule, 'empty socket path', HOST('.path = "";'), err(2, 'absolute path')],

  // vcl-feature-version
  [vclFeatureVersionRule, 'quoted header in VCL 4.1', `${P}sub vcl_recv { set req.http."x-a" = "b"; }`, ok()],
  [vclFeatureVersionRule, 'a lower second version line does not count', 'vcl 4.1;\nvcl 4.0;\nbackend be none;\nsub vcl_recv { set req.http."a" = "b"; }', ok()],
  [vclFeatureVersionRule, 'socket backend after a lower second version line', 'vcl 4.1;\nvcl 4.0;\nbackend b { .path = "/tmp/x.sock"; }', ok()],
  [vclFeatureVersionRule, 'an included file takes the including version', 'vcl 4.0;\nsub vcl_recv { set req.http."a" = "b"; }', unverifiable(ok({ isIncluded: true }))],
  [vclFeatureVersionRule, 'quoted header set in VCL 4.0', 'vcl 4.0;\nbackend be none;\nsub vcl_recv {\n  set req.http."quoted" = "invalid";\n}', err(4, 'need VCL 4.1')],
  [vclFeatureVersionRule, 'quoted header read in VCL 4.0', 'vcl 4.0;\nbackend be none;\nsub vcl_recv { if (req.http."a" == "b") { } }', err(3, "Write 'req.http.a'")],
  [vclFeatureVersionRule, 'quoted header unset in VCL 4.0', 'vcl 4.0;\nbackend be none;\nsub vcl_recv { unset req.http."a"; }', err(3, 'Quoted header names')],
  [vclFeatureVersionRule, 'quoted header as a vmod argument in VCL 4.0', 'vcl 4.0;\nbackend be none;\nimport std;\nsub vcl_recv { std.log(req.http."a.b"); }', err(4, 'Use a header name without quotes')],
  [vclFeatureVersionRule, 'socket backend in VCL 4.0', 'vcl 4.0;\nbackend b {\n  .path = "/tmp/x.sock";\n}', err(3, 'uses a UNIX socket (.path), which needs VCL 4.1')],
];

/**
 * Programs of several files, analysed as the service does with an include
 * tree: `files` are the other files, `root` the file that includes the
 * text. Checked with varnishd 7.1.1 by hand, the files written out under
 * another folder (the tests need no files on disk).
 */
const A_VCL = '/vcl/a.vcl';
const MAIN = '/vcl/main.vcl';
export const includeTreeCases: Array<[Rule, string, string, Expectation]> = [
  [redefinitionRule, 'an included backend, then an ACL of its name', `${P}include "${A_VCL}";\nacl x { }`, err(4, "Name 'x' is already a backend (in a.vcl)", { files: { [A_VCL]: 'backend x none;' } })],
  [redefinitionRule, 'an ACL, then an included backend: reported in the included file', `${P}acl x { }\ninclude "${A_VCL}";`, ok({ files: { [A_VCL]: 'backend x none;' } })],
  [redefinitionRule, 'the included file, seen through the file that includes it', 'backend x none;', err(1, "Name 'x' is already an ACL (in the file that includes this one)", { path: A_VCL, root: MAIN, files: { [MAIN]: `${P}acl x { }\ninclude "${A_VCL}";` } })],
  [noBackendRule, 'the backend is in an included file', `vcl 4.1;\ninclude "${A_VCL}";`, ok({ files: { [A_VCL]: 'backend be none;' } })],
  [noBackendRule, 'no backend in any file', `vcl 4.1;\ninclude "${A_VCL}";`, err(1, 'No backend', { files: { [A_VCL]: 'sub vcl_recv { }' } })],
  [noBackendRule, 'reported on the top file only', 'sub vcl_recv { }', ok({ path: A_VCL, root: MAIN, files: { [MAIN]: `vcl 4.1;\ninclude "${A_VCL}";` } })],
  [vclFeatureVersionRule, 'the top file declares 4.0', 'sub vcl_recv { set req.http."x" = "y"; }', err(1, 'need VCL 4.1', { path: A_VCL, root: MAIN, files: { [MAIN]: `vcl 4.0;\nbackend be none;\ninclude "${A_VCL}";` } })],
  [vclFeatureVersionRule, "the included file's own 4.0 does not count", 'vcl 4.0;\nsub vcl_recv { set req.http."x" = "y"; }', ok({ path: A_VCL, root: MAIN, files: { [MAIN]: `${P}include "${A_VCL}";` } })],
  [actionPlacementRule, 'a sub called from another file', 'sub helper {\n  synthetic("x");\n}', err(2, "which runs from 'vcl_recv'", { path: A_VCL, root: MAIN, files: { [MAIN]: `${P}include "${A_VCL}";\nsub vcl_recv { call helper; }` } })],
];

/** [rule, description, text before, fix title fragment, text after] */
const fixCases: Array<[Rule, string, string, string, string]> = [
  [aclEntryRule, 'host bits cleared', ACL('{ "1.2.3.4"/24; }'), '1.2.3.0/24', ACL('{ "1.2.3.0"/24; }')],
  [aclEntryRule, 'host bits cleared, mask in string', ACL('{ "1.2.3.4/24"; }'), '1.2.3.0/24', ACL('{ "1.2.3.0/24"; }')],
  [aclEntryRule, 'second equal mask removed', ACL('{ "10.0.4.0/22" / 22; }'), 'Remove', ACL('{ "10.0.4.0/22"; }')],
  [noBackendRule, 'backend none added', 'vcl 4.1;\nsub vcl_recv { }', 'backend default none', 'vcl 4.1;\n\nbackend default none;\nsub vcl_recv { }'],
  [vclFeatureVersionRule, 'quotes removed', 'vcl 4.0;\nbackend be none;\nsub vcl_recv { set req.http."X-A" = "b"; }', 'req.http.X-A', 'vcl 4.0;\nbackend be none;\nsub vcl_recv { set req.http.X-A = "b"; }'],
];

describe('small semantic checks, one line per case', () => {
  for (const [rule, description, text, expected] of smallCheckCases) {
    it(`${rule.id}: ${description}`, () => {
      const findings = runRule(rule, text, expected.options);
      const shown = findings.map((f) => `line ${f.line}: ${f.message}`);
      if (expected.line === undefined) {
        assert.deepEqual(shown, [], 'no finding');
      } else {
        const hit = findings.some((f) => f.line === expected.line && f.message.includes(expected.message!));
        assert.ok(hit, `expected a finding on line ${expected.line} containing ${JSON.stringify(expected.message)}; got ${JSON.stringify(shown)}`);
      }
    });
  }
});

describe('small semantic checks over an include tree', () => {
  for (const [rule, description, text, expected] of includeTreeCases) {
    it(`${rule.id}: ${description}`, () => {
      const findings = runRule(rule, text, expected.options);
      const shown = findings.map((f) => `line ${f.line}: ${f.message}`);
      if (expected.line === undefined) assert.deepEqual(shown, [], 'no finding');
      else assert.ok(findings.some((f) => f.line === expected.line && f.message.includes(expected.message!)), `expected line ${expected.line} ${JSON.stringify(expected.message)}; got ${JSON.stringify(shown)}`);
    });
  }
});

describe('small semantic checks: quick fixes', () => {
  for (const [rule, description, before, title, after] of fixCases) {
    it(`${rule.id}: ${description}`, () => {
      const fixes = runRule(rule, before).flatMap((f) => f.fixes ?? []);
      const fix = fixes.find((f) => f.title.includes(title));
      assert.ok(fix, `a fix titled like ${JSON.stringify(title)}; got ${JSON.stringify(fixes.map((f) => f.title))}`);
      let text = before;
      for (const e of [...fix.edits].sort((a, b) => b.start - a.start)) text = text.slice(0, e.start) + e.newText + text.slice(e.end);
      assert.equal(text, after);
      assert.deepEqual(runRule(rule, text).map((f) => f.message), [], 'nothing left to report after the fix');
    });
  }
});

/** Each rule and the varnishd messages (as recorded in the corpus) that are its findings. */
const corpusMessages: Array<[Rule, RegExp]> = [
  [redefinitionRule, /^(Subroutine|Backend|Probe|Acl|Instance) '[^']*' redefined|already defined|Another module already imported|has wrong type \((backend|acl|probe|sub|instance|vmod)\), expected (sub|vmod)|must have type '(sub|acl|backend|probe)'|Only one default director/],
  [probeConstraintRule, /^(Must specify \.threshold with \.window|Threshold must be 64 or less|Window must be 64 or less|Threshold can not be greater than window|Must specify \.expected_response|Probe request redefinition)/],
  [aclEntryRule, /^(Too wide mask|Conflicting ACL entries|Non-zero bits in masked part|\.\.\.\/mask is not numeric|\/mask only allowed once|DNS lookup\()/],
  [nameLegalityRule, /contains illegal character|are reserved|must have type '(var|func|action|reserved)'|type \(reserved\) can not be used in expression|is a reserved word/],
  [actionPlacementRule, /^Not a valid action (in|from) subroutine/],
  [inlineCRule, /^Inline-C not allowed/],
  [noBackendRule, /^No backends or directors found/],
  [backendAddressRule, /^Backend path: Must be an absolute path|^Backend host .* could not be resolved/],
  [vclFeatureVersionRule, /^Quoted headers are available|^Unix socket backends only supported/],
];

/**
 * Refusals these rules leave to others, with the reason: the parser already
 * refuses `call acl;`; `default` used as a string needs the type checker;
 * builtin.vcl has no `vcl` line, so the service takes it for a fragment of
 * another program (and vcl-version reports the missing line).
 */
const leftToOthers = new Set(['vtc/v00020-8.vcl', 'vtc/v00020-47.vcl', 'real/varnishcache__varnish-cache/bin/varnishd/builtin.vcl']);

describe('small semantic checks on the corpus', function () {
  const root = corpusOrSkip('1,250 small-check corpus cases not run');
  if (!root) return;
  const entries = loadCorpus(root).map((e) => ({ ...e, text: readFileSync(e.path, 'utf8') }));
  const options = (args: readonly string[] | undefined, fragment: boolean): RunOptions => ({
    isIncluded: fragment,
    errUnref: booleanParam(args, 'vcc_err_unref', true),
    allowInlineC: booleanParam(args, 'vcc_allow_inline_c', false),
  });

  it('reports nothing on any program varnishd accepts', () => {
    const problems: string[] = [];
    for (const e of entries) {
      if (e.varnishd.result !== 'accept' && !e.fragment) continue;
      for (const f of runRules(smallCheckRules, e.text, options(e.varnishdArgs, e.fragment))) {
        if ((f.severity ?? 'error') === 'error') problems.push(`${e.name}:${f.line} ${f.rule}: ${f.message}`);
      }
    }
    assert.deepEqual(problems, []);
  });

  for (const [rule, pattern] of corpusMessages) {
    const refused = entries.filter((e) => e.varnishd.result === 'reject' && !e.fragment && !e.varnishd.file && pattern.test(e.varnishd.message ?? '') && !leftToOthers.has(e.name));
    it(`${rule.id}: flags varnishd's line in the ${refused.length} refusals with its messages`, () => {
      const missed: string[] = [];
      for (const e of refused) {
        const findings = runRule(rule, e.text, options(e.varnishdArgs, e.fragment));
        const line = e.varnishd.line;
        if (!findings.some((f) => line === null || f.line === line)) {
          missed.push(`${e.name}: varnishd line ${line}: ${e.varnishd.message}; ours: ${findings.map((f) => `${f.line} ${f.message}`).join(' | ') || 'none'}`);
        }
      }
      assert.deepEqual(missed, []);
    });
  }
});
